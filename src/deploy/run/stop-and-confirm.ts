// Stopping a group's deployment and confirming it stopped: StopDeployment, a short wait for
// CodeDeploy to say Stopped, the rollback it started, and the instances as they ended.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { deploymentConsoleUrl } from '../codedeploy/console-url.js'
import { fetchInstances } from '../codedeploy/deployment-targets.js'
import { findRollbackId } from '../codedeploy/rollback.js'
import { rollbackOnStop, stopDeployment } from '../codedeploy/stop.js'
import { waitForDeployment } from '../codedeploy/wait.js'
import type { GroupResult } from '../types.js'
import type { GroupRun } from './group-run.js'
import { applyInfo } from './result.js'

/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
export const STOP_CONFIRM_MS = 60_000
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
export const CANCEL_CONFIRM_MS = 4000

/** StopDeployment, then a short wait for CodeDeploy to say Stopped (the signal may be aborted: not used here). */
export async function stopAndConfirm(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  confirmMs: number
): Promise<DeploymentInfo | undefined> {
  const { ctx, region } = run
  const { signal: _cancelled, ...uncancelled } = ctx
  const autoRollbackEnabled = rollbackOnStop(
    run.settings.autoRollback,
    info?.autoRollbackConfiguration
  )
  const outcome = await stopDeployment({ ...uncancelled, deploymentId: r.id, autoRollbackEnabled })
  const w = await waitForDeployment({
    ...uncancelled,
    deploymentId: r.id,
    deadline: ctx.now() + confirmMs,
    trackInstances: false
  })
  applyInfo(r, w.info)
  if (w.kind === 'terminal' && confirmMs >= STOP_CONFIRM_MS && !r.rollbackId) {
    r.rollbackId = await findRollbackId({ ...uncancelled, deploymentId: r.id, info: w.info })
  }
  if (r.rollbackId) {
    r.rollbackUrl = deploymentConsoleUrl(region, r.rollbackId)
    ctx.log.info(`CodeDeploy started rollback deployment ${r.rollbackId}. ${r.rollbackUrl}`)
  }
  if (outcome === 'stopping' && w.kind !== 'terminal') {
    ctx.log.info(
      `CodeDeploy is still stopping deployment ${r.id} (status ${r.status}); it will end shortly. ${r.url}`
    )
  }
  if (confirmMs >= STOP_CONFIRM_MS) {
    try {
      r.instances = await fetchInstances(r.id, { ...uncancelled, attempts: 2 })
    } catch {
      // The summary keeps the instances last seen.
    }
  }
  return w.info ?? info
}
