// CodeDeploy's automatic rollback after a failed or stopped deployment: whether one is due, and
// its id once CodeDeploy has started it (the run follows it: run/follow-rollback.ts).
import type { DeployContext } from '../context.js'
import { GetDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { isTransient } from '../../aws/aws-errors.js'

/** CodeDeploy creates the rollback a few seconds after the terminal state; we look this long for it. */
export const ROLLBACK_APPEAR_MS = 20_000
const ROLLBACK_POLL_MS = 2000

/** Whether the deployment's auto-rollback settings cover how it ended. */
export function expectsRollback(info: DeploymentInfo): boolean {
  const cfg = info.autoRollbackConfiguration
  if (!cfg?.enabled) return false
  const events = cfg.events ?? []
  if (info.status === 'Failed') return events.includes('DEPLOYMENT_FAILURE')
  if (info.status === 'Stopped') {
    return (
      events.includes('DEPLOYMENT_STOP_ON_REQUEST') || events.includes('DEPLOYMENT_STOP_ON_ALARM')
    )
  }
  return false
}

export interface FindRollbackOptions extends Omit<DeployContext, 'random'> {
  deploymentId: string
  /** GetDeployment's answer at the terminal state. */
  info: DeploymentInfo
}

/** The rollback deployment's id, when CodeDeploy started one (waiting briefly for it when auto-rollback applies). */
export async function findRollbackId(opts: FindRollbackOptions): Promise<string | undefined> {
  const { codedeploy, log, sleep, now, signal, deploymentId } = opts
  let info = opts.info
  if (info.rollbackInfo?.rollbackDeploymentId) return info.rollbackInfo.rollbackDeploymentId
  if (!expectsRollback(info)) return undefined
  const until = now() + ROLLBACK_APPEAR_MS
  while (now() < until && !signal?.aborted) {
    await sleep(ROLLBACK_POLL_MS, signal)
    try {
      info =
        (await codedeploy.send(new GetDeploymentCommand({ deploymentId }), { abortSignal: signal }))
          .deploymentInfo ?? info
    } catch (err) {
      if (!isTransient(err)) break
      continue
    }
    if (info.rollbackInfo?.rollbackDeploymentId) return info.rollbackInfo.rollbackDeploymentId
  }
  const message = info.rollbackInfo?.rollbackMessage
  const why = message
    ? `: ${message}`
    : ' (there may be no earlier successful revision to return to)'
  log.info(`Auto-rollback is enabled, but CodeDeploy started no rollback${why}.`)
  return undefined
}
