// The post step: a backstop for cancellation. If the main step saved a deployment id and was
// killed before it saw the deployment end, stop that deployment (when stop-on-cancel).
import { State } from './settings/constants.js'
import type { Logger } from './common/log.js'
import { realSleep } from './common/log.js'

/** Reads what the main step saved (the runner passes it as STATE_<name>). */
export function readState(env: NodeJS.ProcessEnv, name: State): string {
  return env[`STATE_${name}`] ?? ''
}

export async function runPost(log: Logger, env: NodeJS.ProcessEnv): Promise<void> {
  const deploymentId = readState(env, State.DeploymentId)
  if (!deploymentId || readState(env, State.DeploymentFinished) === 'true') return
  if (readState(env, State.StopOnCancel) !== 'true') {
    log.info(
      `Deployment ${deploymentId} may still be running: stop-on-cancel is false, so it is left alone.`
    )
    return
  }
  const { createAwsClients } = await import('./aws/clients.js')
  const { stopDeployment } = await import('./deploy/stop.js')
  const region = readState(env, State.Region)
  const autoRollback = readState(env, State.AutoRollback)
  try {
    const { codedeploy } = await createAwsClients({ region, env })
    log.info(
      `The main step ended before deployment ${deploymentId} did: stopping it (stop-on-cancel).`
    )
    await stopDeployment({
      codedeploy,
      log,
      sleep: realSleep,
      deploymentId,
      ...(autoRollback ? { autoRollbackEnabled: autoRollback === 'true' } : {})
    })
  } catch (err) {
    // The post step must not hide the main step's result; it reports and moves on.
    log.warning(
      `Could not stop deployment ${deploymentId} after the cancellation: ${err instanceof Error ? err.message : String(err)}. Stop it in the CodeDeploy console.`
    )
  }
}
