// The post step: a backstop for cancellation. If the main step saved a deployment id and was
// killed before it saw the deployment end, stop that deployment (when stop-on-cancel).
import type { Logger, Sleep } from './common/log.js'
import { realSleep } from './common/log.js'
import { readPostState } from './state-helper.js'

export async function runPost(
  log: Logger,
  env: NodeJS.ProcessEnv,
  sleep: Sleep = realSleep
): Promise<void> {
  const state = readPostState(env)
  const { deploymentId } = state
  if (!deploymentId) return
  if (!state.stopOnCancel) {
    log.info(
      `Deployment ${deploymentId} may still be running: stop-on-cancel is false, so it is left alone.`
    )
    return
  }
  const { createAwsClients } = await import('./aws/clients.js')
  const { stopDeployment } = await import('./deploy/stop.js')
  try {
    const { codedeploy } = await createAwsClients({ region: state.region, env })
    log.info(
      `The main step ended before deployment ${deploymentId} did: stopping it (stop-on-cancel).`
    )
    await stopDeployment({
      codedeploy,
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
  }
}
