// The run of one deployment group, as a script: create the deployment (or continue one another
// run created), then follow it to a conclusion (follow.ts, outcomes.ts). The result it fills in is
// passed beside the run.
import type { BundleEvidence } from '../../advice/types.js'
import { ActionError } from '../../common/errors.js'
import type { ContinueTarget, DeploySettings } from '../../settings/settings.js'
import { deploymentConsoleUrl } from '../codedeploy/console-url.js'
import { sendContinueDeployment } from '../codedeploy/continue.js'
import { createDeployment } from '../codedeploy/create.js'
import { readDeployment } from '../codedeploy/reads.js'
import type { S3Revision } from '../codedeploy/request.js'
import type { DeployContext } from '../context.js'
import type { GroupResult } from '../types.js'
import { follow } from './follow.js'
import { notCreated } from './outcomes.js'
import { applyInfo } from './result.js'

/** Everything one group's run reads; the result it writes is passed beside it. */
export interface GroupRun {
  ctx: DeployContext
  settings: DeploySettings
  region: string
  /** Absent when continuing a deployment (nothing is created). */
  revision?: S3Revision
  onCreated?: (group: string, id: string) => void
  /** Right before CreateDeployment: a reason not to deploy to this group after all (order of commits). */
  beforeCreate?: (group: string) => Promise<string | undefined>
  /** The bundle the action built and checked, for the advice on a failure (absent with continue-deployment). */
  bundle?: BundleEvidence
}

export async function deployGroup(run: GroupRun, r: GroupResult): Promise<void> {
  const { ctx, settings, region } = run
  const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000
  if (!run.revision) throw new Error('deployGroup needs a revision')
  const created = await createDeployment({
    ...ctx,
    settings,
    group: r.group,
    revision: run.revision,
    deadline,
    region,
    ...(run.beforeCreate ? { beforeCreate: () => run.beforeCreate!(r.group) } : {})
  })
  if (created.kind === 'skipped') {
    r.outcome = 'skipped'
    r.skipNotice = created.notice
    ctx.log.notice(created.notice)
    return
  }
  if (created.kind !== 'created') return notCreated(run, r, created)

  const id = created.deploymentId
  r.id = id
  r.url = deploymentConsoleUrl(region, id)
  r.status = 'Created'
  run.onCreated?.(r.group, id)
  ctx.log.info(`Created deployment ${id} for group '${r.group}': ${r.url}`)
  if (!settings.wait) {
    r.outcome = 'created'
    return
  }
  await follow(run, r, deadline, { readyDone: false })
}

/**
 * continue-deployment: the deployment another run created (in Ready, or in its termination wait)
 * goes on; then it is followed like one this run created.
 */
export async function continueGroup(
  run: GroupRun,
  r: GroupResult,
  target: ContinueTarget
): Promise<void> {
  const { ctx, settings, region } = run
  const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000
  const id = target.deploymentId
  const info = await readDeployment(ctx, id)
  if (info.applicationName !== settings.application || info.deploymentGroupName !== r.group)
    throw new ActionError(
      `Deployment ${id} belongs to application '${info.applicationName ?? '?'}', group '${info.deploymentGroupName ?? '?'}', not to '${settings.application}', '${r.group}'.`,
      'Set application and deployment-group to those of the deployment to continue (a safeguard against continuing the wrong one).'
    )
  r.id = id
  r.url = deploymentConsoleUrl(region, id)
  applyInfo(r, info)
  const waitType = target.termination ? 'TERMINATION_WAIT' : 'READY_WAIT'
  await sendContinueDeployment(ctx, id, waitType)
  run.onCreated?.(r.group, id)
  ctx.log.info(
    target.termination
      ? `Ended the termination wait of deployment ${id} (continue-termination): CodeDeploy terminates the original instances now. ${r.url}`
      : `Continued deployment ${id}: CodeDeploy reroutes the traffic to the replacement instances now. ${r.url}`
  )
  if (!settings.wait) {
    r.outcome = 'created'
    return
  }
  // Ending the termination wait means waiting for the end, whatever wait-until says.
  await follow(run, r, deadline, { readyDone: true, terminating: target.termination }, info)
}
