// Automatic rollback: when a deployment's end calls for one (its own or its group's
// autoRollbackConfiguration, StopDeployment's autoRollbackEnabled, DEPLOYMENT_STOP_ON_ALARM for
// a stop by an alarm), a new deployment of the
// group's last successful revision; a blue/green one moves the traffic back instead.
import { NO_PREVIOUS_SUCCESS, ROLLBACK_STARTED } from './deployment-errors.ts'
import type { AutoRollbackConfiguration } from '../world/fleet-config.ts'
import type { Deployment, Group } from './model.ts'
import type { NewDeployment } from './engine.ts'

export function rollbackWanted(
  d: Deployment,
  status: string,
  groupConfig: () => AutoRollbackConfiguration | undefined
): boolean {
  if (d.creator === 'codeDeployRollback') return false
  const c = d.autoRollbackConfiguration ?? groupConfig()
  if (status === 'Failed') return !!c?.enabled && c.events.includes('DEPLOYMENT_FAILURE')
  if (status === 'Stopped') {
    if (d.stoppedByAlarms) return !!c?.enabled && c.events.includes('DEPLOYMENT_STOP_ON_ALARM')
    if (d.stopRollback !== undefined) return d.stopRollback
    return !!c?.enabled && c.events.includes('DEPLOYMENT_STOP_ON_REQUEST')
  }
  return false
}

/** Starts the rollback of `d` (through `create`) and notes it in `d`'s rollbackInfo. */
export function rollBack(
  create: (req: NewDeployment) => Deployment,
  d: Deployment,
  group: Group,
  previousGood: Deployment | undefined
): void {
  if (!previousGood) {
    d.rollbackInfo = { rollbackMessage: NO_PREVIOUS_SUCCESS }
    return
  }
  const r = create({
    group,
    deploymentConfigName: d.deploymentConfigName,
    revision: previousGood.revision,
    fileExistsBehavior: previousGood.fileExistsBehavior,
    ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
    updateOutdatedInstancesOnly: false,
    creator: 'codeDeployRollback',
    rollbackTriggeringDeploymentId: d.id,
    ...(d.blueGreen ? { rollbackOf: d } : {})
  })
  d.rollbackInfo = { rollbackDeploymentId: r.id, rollbackMessage: ROLLBACK_STARTED(r.id) }
}
