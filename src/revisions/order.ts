// The order check and what changed, per deployment group: read what the group last attempted and
// last succeeded with, find their commits, ask the history how ours stands, and decide. Run once
// before the upload (all groups) and again right before each CreateDeployment (gate), since
// another run may have deployed in between (a queue wait, a slow upload).
import type { RevisionSettings } from '../settings/settings.js'
import {
  readDeployedRevision,
  readGroupHistory,
  type DeploymentRef,
  type RevisionReadContext
} from './deployed.js'
import type { CompareAnswer, History } from './history.js'
import {
  decideOrder,
  needsComparison,
  sameRepository,
  type DeployedRevision,
  type OrderVerdict
} from './order-policy.js'
import { FULL_SHA } from './provenance.js'

/** What one group's check found. */
export interface GroupRevisions {
  group: string
  /** The group's last attempted deployment (in progress included) and its commit. */
  last?: DeployedRevision
  /** The group's last successful deployment before this run, and its commit. */
  previous?: DeployedRevision
  /** How this run's commit stands against the previous one's: what deploying it changes. */
  changes?: CompareAnswer
  verdict: OrderVerdict
  /** The group could not be read (the check was not made). */
  unreadable?: string
}

export interface RevisionFacts {
  /** This run's commit and repository. */
  ours: { commit: string; repository: string }
  /** GITHUB_SERVER_URL, for links to commits and comparisons. */
  serverUrl: string
  groups: GroupRevisions[]
  /** The first group whose verdict is skip: the run stops there, successfully. */
  skipped?: { group: string; notice: string }
}

export class OrderCheck {
  private readonly decided = new Map<string, GroupRevisions>()
  private readonly revisions = new Map<string, Promise<DeployedRevision>>()

  constructor(
    private readonly ctx: RevisionReadContext,
    private readonly settings: RevisionSettings,
    private readonly history: History
  ) {}

  get ours(): { commit: string; repository: string } {
    return { commit: this.settings.run.sha.toLowerCase(), repository: this.settings.run.repository }
  }

  /** Without a full GITHUB_SHA there is no commit to order (a run outside GitHub Actions). */
  get enabled(): boolean {
    return FULL_SHA.test(this.ours.commit)
  }

  /** The groups checked so far, in the input's order, as last decided. */
  groups(): GroupRevisions[] {
    return this.settings.deploymentGroups.flatMap((g) => this.decided.get(g) ?? [])
  }

  /** The group's last successful deployment before this run, and its commit ('' when unknown). */
  previousOf(group: string): { deploymentId: string; commit: string } | undefined {
    const p = this.decided.get(group)?.previous
    return p ? { deploymentId: p.deploymentId, commit: p.commit ?? '' } : undefined
  }

  /** Every group, before the upload; stops at the first that skips (or throws through fail). */
  async beforeUpload(): Promise<RevisionFacts> {
    const facts: RevisionFacts = {
      ours: this.ours,
      serverUrl: this.settings.run.serverUrl,
      groups: []
    }
    if (!this.enabled) {
      this.ctx.log.info(
        'GITHUB_SHA is not a full commit id: the order of commits is not checked, and the object records no commit.'
      )
      return facts
    }
    for (const group of this.settings.deploymentGroups) {
      const g = await this.check(group, true)
      facts.groups.push(g)
      if (g.verdict.kind === 'skip') {
        facts.skipped = { group, notice: g.verdict.notice }
        break
      }
      if (g.verdict.kind === 'fail') break
    }
    return facts
  }

  /**
   * Right before CreateDeployment: the group read again. The same last deployment as before keeps
   * its verdict (no more reads); a new one is decided afresh.
   */
  async gate(group: string): Promise<GroupRevisions> {
    return this.check(group, false)
  }

  private async check(group: string, withChanges: boolean): Promise<GroupRevisions> {
    const read = await readGroupHistory(this.ctx, this.settings.application, group)
    const before = this.decided.get(group)
    if ('unknown' in read) {
      const g: GroupRevisions = {
        ...(before ?? { group }),
        group,
        unreadable: read.unknown,
        verdict: {
          kind: 'deploy',
          say: {
            level: 'warning',
            text: `Could not read what '${group}' last deployed (${read.unknown}), so the order of commits is not checked; deploying.`
          }
        }
      }
      this.say(g, before)
      this.decided.set(group, g)
      return g
    }
    if (
      before &&
      before.last?.deploymentId === read.lastAttempted?.deploymentId &&
      !before.unreadable
    )
      return before
    const last = read.lastAttempted && (await this.revisionOf(read.lastAttempted))
    const previous =
      before?.previous ?? (read.lastSuccessful && (await this.revisionOf(read.lastSuccessful)))
    const ours = this.ours
    const answer =
      last && needsComparison({ group, ours, last })
        ? await this.history.compare(last.commit!, ours.commit)
        : undefined
    const g: GroupRevisions = {
      group,
      ...(last ? { last } : {}),
      ...(previous ? { previous } : {}),
      verdict: decideOrder({
        group,
        ours,
        ...(last ? { last } : {}),
        ...(answer ? { answer } : {}),
        policy: this.settings.ifNewerDeployed
      })
    }
    if (
      withChanges &&
      previous?.commit &&
      (!previous.repository || sameRepository(previous.repository, ours.repository))
    )
      g.changes = await this.history.compare(previous.commit, ours.commit)
    else if (before?.changes) g.changes = before.changes
    this.say(g, before)
    this.decided.set(group, g)
    return g
  }

  private revisionOf(ref: DeploymentRef): Promise<DeployedRevision> {
    let r = this.revisions.get(ref.deploymentId)
    if (!r) {
      r = readDeployedRevision(this.ctx, ref)
      this.revisions.set(ref.deploymentId, r)
    }
    return r
  }

  /** A verdict's line, once per group and last deployment. */
  private say(g: GroupRevisions, before?: GroupRevisions): void {
    if (
      before &&
      before.last?.deploymentId === g.last?.deploymentId &&
      before.unreadable === g.unreadable
    )
      return
    const v = g.verdict
    if (v.kind === 'deploy' && v.say) this.ctx.log[v.say.level](v.say.text)
  }
}
