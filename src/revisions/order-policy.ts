// Whether this run's commit may replace the one a group last attempted: the decision alone, from
// what was read (pure). An older commit never silently replaces a newer one, and order is never
// guessed: when nothing can tell, the run deploys and says so.
import type { CompareAnswer } from './history.js'

/** A deployment and the commit its revision records. */
export interface DeployedRevision {
  deploymentId: string
  /** CodeDeploy's status (Created, InProgress, Succeeded, Failed, Stopped...). */
  status: string
  /** The full commit id its revision records; absent when it records none. */
  commit?: string
  /** owner/name the commit belongs to, when recorded. */
  repository?: string
  /** Why no commit is known (no metadata, the object is gone or replaced, HeadObject refused). */
  unknown?: string
}

export type IfNewerDeployed = 'skip' | 'fail' | 'deploy'

export interface OrderInput {
  group: string
  /** This run's commit and repository. */
  ours: { commit: string; repository: string }
  /** The group's last attempted deployment; absent when the group has none. */
  last?: DeployedRevision
  /** How our commit stands against the last one's (absent when there was nothing to compare). */
  answer?: CompareAnswer
  policy: IfNewerDeployed
}

export type OrderVerdict =
  /** Deploy; `say` is a line for the log, at info level or as a warning. */
  | { kind: 'deploy'; say?: { level: 'info' | 'warning'; text: string } }
  | { kind: 'skip'; notice: string }
  | { kind: 'fail'; message: string; fix: string }

export function short(sha: string): string {
  return sha.slice(0, 7)
}

function named(d: DeployedRevision): string {
  return `deployment ${d.deploymentId} (${d.status || 'status unknown'})`
}

/** GitHub's owner/name ignore case; a GitHub revision spells them as whoever created it typed them. */
export function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** Does the last deployment's revision need comparing with ours? (Else the verdict needs no history.) */
export function needsComparison(i: Omit<OrderInput, 'answer' | 'policy'>): boolean {
  const theirs = i.last
  return Boolean(
    theirs?.commit &&
    theirs.commit !== i.ours.commit &&
    (!theirs.repository || sameRepository(theirs.repository, i.ours.repository))
  )
}

export function decideOrder(i: OrderInput): OrderVerdict {
  const { group, ours, last } = i
  if (!last) return { kind: 'deploy' }
  if (!last.commit)
    return {
      kind: 'deploy',
      say: {
        level: 'info',
        text: `Order: the last deployment to '${group}', ${named(last)}, records no commit (${last.unknown ?? 'not uploaded by this action'}), so it cannot be newer than ours; deploying.`
      }
    }
  if (last.commit === ours.commit)
    return {
      kind: 'deploy',
      say: {
        level: 'info',
        text: `Order: '${group}' last attempted this same commit ${short(ours.commit)} (${named(last)}); deploying it again.`
      }
    }
  if (last.repository && !sameRepository(last.repository, ours.repository))
    return {
      kind: 'deploy',
      say: {
        level: 'warning',
        text: `The last deployment to '${group}', ${named(last)}, is of commit ${short(last.commit)} of ${last.repository}, not of ${ours.repository}: commits of two repositories have no order, so this run deploys ${short(ours.commit)} over it. Check that both workflows should deploy to this group.`
      }
    }
  const answer = i.answer
  if (!answer || 'unknown' in answer)
    return {
      kind: 'deploy',
      say: {
        level: 'warning',
        text: `Could not tell whether commit ${short(ours.commit)} is older than ${short(last.commit)}, which '${group}' last attempted (${named(last)}): ${answer && 'unknown' in answer ? answer.unknown : 'nothing was asked'}. Deploying, since order is never guessed. To let the action tell, check out with fetch-depth: 0 or give github-token contents: read.`
      }
    }
  const c = answer.comparison
  switch (c.relation) {
    case 'identical':
    case 'ahead':
      return {
        kind: 'deploy',
        say: {
          level: 'info',
          text: `Order: commit ${short(ours.commit)} is ${c.aheadBy} commit${c.aheadBy === 1 ? '' : 's'} ahead of ${short(last.commit)}, which '${group}' last attempted (${named(last)}); deploying.`
        }
      }
    case 'diverged':
      return {
        kind: 'deploy',
        say: {
          level: 'warning',
          text: `Commit ${short(ours.commit)} and ${short(last.commit)}, which '${group}' last attempted (${named(last)}), have diverged (${c.aheadBy} and ${c.behindBy} commits apart, per ${c.source}): deploying ${short(ours.commit)} replaces the other branch's code. Check that both branches should deploy to this group.`
        }
      }
    case 'behind': {
      const what = `'${group}' last attempted commit ${last.commit}, ${named(last)}, which is ${c.behindBy} commit${c.behindBy === 1 ? '' : 's'} newer than this run's ${ours.commit} (per ${c.source})`
      if (i.policy === 'skip')
        return {
          kind: 'skip',
          notice: `Skipped: ${what}. Nothing was uploaded or deployed (if-newer-deployed: skip). To deploy this older commit on purpose (a rollback), set if-newer-deployed: deploy.`
        }
      if (i.policy === 'fail')
        return {
          kind: 'fail',
          message: `A newer commit is deployed: ${what}.`,
          fix: 'To deploy this older commit on purpose (a rollback), set if-newer-deployed: deploy; to let such runs pass quietly, if-newer-deployed: skip.'
        }
      return {
        kind: 'deploy',
        say: {
          level: 'warning',
          text: `Deploying an older commit on purpose (if-newer-deployed: deploy): ${what}.`
        }
      }
    }
  }
}
