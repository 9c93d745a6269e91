// The deploy phase: each deployment group in order (group-run.ts), stopping at the first that
// does not succeed.
import { ActionError } from '../common/errors.js'
import type { DeploySettings } from '../settings/settings.js'
import type { CodeDeployContext } from './context.js'
import { deployGroup, emptyResult } from './group-run.js'
import type { S3Revision } from './request.js'
import type { DeploymentsResult } from './types.js'

export { CANCEL_CONFIRM_MS, STOP_CONFIRM_MS } from './group-run.js'

export interface DeployToGroupsOptions extends CodeDeployContext {
  settings: DeploySettings
  revision: S3Revision
  /** The region the clients use (for console links and the checks suggested). */
  region: string
  /** Called as soon as a deployment exists, before waiting (set the deployment-id output, save state). */
  onCreated?: (group: string, id: string) => void
}

export async function deployToGroups(opts: DeployToGroupsOptions): Promise<DeploymentsResult> {
  const { settings, revision, region, onCreated, ...ctx } = opts
  const run = { ctx, settings, region, revision, ...(onCreated ? { onCreated } : {}) }
  const groups = settings.deploymentGroups.map(emptyResult)
  for (const r of groups) {
    try {
      await deployGroup(run, r)
    } catch (err) {
      if (!(err instanceof ActionError)) throw err
      r.outcome = 'failed'
      r.error = err
    }
    if (r.outcome !== 'succeeded' && r.outcome !== 'created') break
  }

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
