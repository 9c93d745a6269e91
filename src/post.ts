// The post step: a backstop for cancellation. If the main step saved a deployment id and was
// killed before it saw the deployment end, stop that deployment (when stop-on-cancel). A stopped
// blue/green deployment that copied an Auto Scaling group then gets failed-replacement-fleet
// applied once CodeDeploy says it ended, as the main step does.
import type { Logger, Sleep } from './common/log.js'
import { realSleep } from './common/log.js'
import { readPostState } from './state-helper.js'

/** How long the post step waits for a stopped deployment to end before settling its fleet. */
export const POST_FLEET_WAIT_MS = 90_000

export async function runPost(
  log: Logger,
  env: NodeJS.ProcessEnv,
  sleep: Sleep = realSleep,
  now: () => number = Date.now
): Promise<void> {
  const state = readPostState(env)
  const { deploymentId } = state
  if (!deploymentId && !state.replacementFleetPendingId) return
  if (deploymentId && !state.stopOnCancel) {
    log.info(
      `Deployment ${deploymentId} may still be running: stop-on-cancel is false, so it is left alone.`
    )
    return
  }
  const { createAwsClients } = await import('./aws/clients.js')
  let aws
  try {
    aws = await createAwsClients({ region: state.region, env })
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    log.warning(
      deploymentId
        ? `Could not stop deployment ${deploymentId} after the cancellation: ${why}. Stop it in the CodeDeploy console.`
        : `Could not check the replacement fleet of deployment ${state.replacementFleetPendingId} after the cancellation: ${why}. Check it in the EC2 console.`
    )
    return
  }
  if (deploymentId) {
    const { stopDeployment } = await import('./deploy/codedeploy/stop.js')
    try {
      log.info(
        `The main step ended before deployment ${deploymentId} did: stopping it (stop-on-cancel).`
      )
      await stopDeployment({
        codedeploy: aws.codedeploy,
        log,
        sleep,
        deploymentId,
        ...(state.autoRollback !== undefined ? { autoRollbackEnabled: state.autoRollback } : {})
      })
    } catch (err) {
      // The post step must not hide the main step's result; it reports and moves on.
      log.warning(
        `Could not stop deployment ${deploymentId} after the cancellation: ${err instanceof Error ? err.message : String(err)}. Stop it in the CodeDeploy console.`
      )
      return
    }
  }
  const { settleAfterStop } = await import('./deploy/replacement-fleet/post-step.js')
  await settleAfterStop({
    codedeploy: aws.codedeploy,
    traffic: aws.traffic,
    log,
    sleep,
    now,
    region: aws.region,
    deploymentId: deploymentId || state.replacementFleetPendingId,
    policy: state.failedReplacementFleet,
    waitMs: POST_FLEET_WAIT_MS
  })
}
