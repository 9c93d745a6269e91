// The deploy phase: each deployment group in order (run/group-run.ts), stopping at the first that
// does not succeed.
import type { BundleEvidence } from '../advice/types.js'
import { ActionError } from '../common/errors.js'
import type { ContinueTarget, DeploySettings } from '../settings/settings.js'
import type { DeployContext } from './context.js'
import { continueGroup, deployGroup } from './run/group-run.js'
import { emptyResult } from './run/result.js'
import type { S3Revision } from './codedeploy/request.js'
import type { DeploymentsResult, GroupOutcome, GroupResult } from './types.js'

export interface DeployToGroupsOptions extends DeployContext {
  settings: DeploySettings
  /** Absent with continue-deployment (nothing is created). */
  revision?: S3Revision
  /** continue-deployment: continue this deployment instead of creating one. */
  continueTarget?: ContinueTarget
  /** The region the clients use (for console links and the checks suggested). */
  region: string
  /** Called as soon as a deployment exists, before waiting (set the deployment-id output, save state). */
  onCreated?: (group: string, id: string) => void
  /** The bundle as the action built and checked it, for the advice on a failure. */
  bundle?: BundleEvidence
  /** Right before each CreateDeployment: a reason not to deploy to the group after all. */
  beforeCreate?: (group: string) => Promise<string | undefined>
}

/** Outcomes after which the next group is deployed (a Ready left for approval is a gate: it stops the chain). */
const GOES_ON: ReadonlySet<GroupOutcome> = new Set(['succeeded', 'created', 'rerouted'])

export async function deployToGroups(opts: DeployToGroupsOptions): Promise<DeploymentsResult> {
  const { settings, revision, continueTarget, region, onCreated, bundle, beforeCreate, ...ctx } =
    opts
  const run = {
    ctx,
    settings,
    region,
    ...(revision ? { revision } : {}),
    ...(bundle ? { bundle } : {}),
    ...(onCreated ? { onCreated } : {}),
    ...(beforeCreate ? { beforeCreate } : {})
  }
  const groups = settings.deploymentGroups.map(emptyResult)
  for (const r of groups) {
    try {
      if (continueTarget) await continueGroup(run, r, continueTarget)
      else await deployGroup(run, r)
    } catch (err) {
      if (!(err instanceof ActionError)) throw err
      r.outcome = 'failed'
      r.error = err
    }
    if (!GOES_ON.has(r.outcome)) break
  }

  // The chain stops at one group; the groups after it are named once, with why.
  const notAttempted = groups
    .filter((g) => g.outcome === 'not-attempted')
    .map((g) => `'${g.group}'`)
  const stopper = groups.find((g) => !GOES_ON.has(g.outcome) && g.outcome !== 'not-attempted')
  const why = stopper && whyStopped(stopper)
  if (why && notAttempted.length)
    ctx.log.info(`Not deploying to ${notAttempted.join(', ')}: ${why}`)
  const firstBad = groups.find((g) => g.error)
  return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) }
}

/** Why the groups after `g` are not deployed; undefined when nothing stopped the chain there. */
function whyStopped(g: GroupResult): string | undefined {
  if (g.outcome === 'skipped')
    return `the run stops where a newer commit is deployed ('${g.group}').`
  if (g.outcome === 'ready')
    return `deployment ${g.id} to '${g.group}' waits in Ready for its traffic switch (on-ready: finish).`
  if (g.error) return `the deployment to '${g.group}' did not succeed.`
  return undefined
}
