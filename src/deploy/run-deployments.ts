// The deploy phase: each deployment group in order (run/group-run.ts), stopping at the first that
// does not succeed.
import type { BundleEvidence } from '../advice/types.js'
import { ActionError } from '../common/errors.js'
import type { ContinueTarget, DeploySettings } from '../settings/settings.js'
import type { DeployContext } from './context.js'
import { continueGroup, deployGroup } from './run/group-run.js'
import { emptyResult } from './run/result.js'
import type { S3Revision } from './codedeploy/request.js'
import type { DeploymentsResult, GroupOutcome } from './types.js'

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

  const skipped = groups.find((g) => g.outcome === 'skipped')
  const after = groups.filter((g) => g.outcome === 'not-attempted').map((g) => `'${g.group}'`)
  if (skipped && after.length)
    ctx.log.info(
      `Not deploying to ${after.join(', ')} either: the run stops where a newer commit is deployed.`
    )
  const ready = groups.find((g) => g.outcome === 'ready')
  const waiting = groups.filter((g) => g.outcome === 'not-attempted').map((g) => `'${g.group}'`)
  if (ready && waiting.length)
    ctx.log.info(
      `Not deploying to ${waiting.join(', ')}: deployment ${ready.id} to '${ready.group}' waits in Ready for its traffic switch (on-ready: finish).`
    )
  const firstBad = groups.find((g) => g.error)
  const notAttempted = groups
    .filter((g) => g.outcome === 'not-attempted')
    .map((g) => `'${g.group}'`)
  if (firstBad && notAttempted.length) {
    ctx.log.info(
      `Not deploying to ${notAttempted.join(', ')}: the deployment to '${firstBad.group}' did not succeed.`
    )
  }
  return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) }
}
