// Stopping a deployment (on timeout with on-timeout: stop, and when the workflow is cancelled).
import type { DeployContext } from '../context.js'
import { StopDeploymentCommand, type AutoRollbackConfiguration } from '@aws-sdk/client-codedeploy'
import { AwsCallError } from '../../common/errors.js'
import { callWithRetry } from '../../aws/retry.js'

export type StopOutcome = 'stopping' | 'already-completed'

export interface StopOptions extends Pick<DeployContext, 'codedeploy' | 'log' | 'sleep'> {
  deploymentId: string
  /** Roll the instances back; undefined leaves CodeDeploy's default (no rollback). */
  autoRollbackEnabled?: boolean
}

/**
 * Whether a stop we make should roll back: the auto-rollback input when given, else what the
 * deployment (from its group) says about stops on request.
 */
export function rollbackOnStop(
  input: boolean | undefined,
  config: AutoRollbackConfiguration | undefined
): boolean {
  if (input !== undefined) return input
  return Boolean(config?.enabled && config.events?.includes('DEPLOYMENT_STOP_ON_REQUEST'))
}

/** Asks CodeDeploy to stop the deployment. A deployment that already ended is not an error. Throws AwsCallError otherwise. */
export async function stopDeployment(opts: StopOptions): Promise<StopOutcome> {
  const { codedeploy, log, deploymentId, autoRollbackEnabled } = opts
  try {
    const out = await callWithRetry(
      'StopDeployment',
      () =>
        codedeploy.send(
          new StopDeploymentCommand({
            deploymentId,
            ...(autoRollbackEnabled !== undefined ? { autoRollbackEnabled } : {})
          })
        ),
      // Few quick attempts: on cancellation the runner kills us 10 s after SIGINT.
      { log, sleep: opts.sleep, attempts: 3 },
      () =>
        `Stop it by hand in the console, and grant codedeploy:StopDeployment to this workflow's role.`
    )
    const rollback = autoRollbackEnabled ? ', rolling back the instances it updated' : ''
    log.info(
      `Stopping deployment ${deploymentId}${rollback}: ${out.statusMessage ?? out.status ?? 'requested'}`
    )
    return 'stopping'
  } catch (err) {
    if (err instanceof AwsCallError && err.code === 'DeploymentAlreadyCompletedException') {
      log.info(`Deployment ${deploymentId} had already ended; nothing to stop.`)
      return 'already-completed'
    }
    throw err
  }
}
