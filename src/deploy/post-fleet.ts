// The post step's half of failed-replacement-fleet: wait (bounded) for a deployment stopped on
// cancel to end, then settle its copied Auto Scaling group as the main step would have.
import { AwsCallError } from '../common/errors.js'
import { planOf } from './blue-green.js'
import { readDeployment } from './continue.js'
import type { CodeDeployContext } from './context.js'
import { leavesReplacementFleet, settleReplacementFleet, type FleetPolicy } from './fleet-policy.js'
import { TargetGroups } from './target-groups.js'
import { fetchInstances } from './targets.js'
import { TERMINAL_STATUSES } from './wait.js'

export interface SettleAfterStopOptions extends Omit<CodeDeployContext, 'signal'> {
  region: string
  deploymentId: string
  policy: FleetPolicy
  /** How long to wait for CodeDeploy to report the deployment ended. */
  waitMs: number
}

const POLL_MS = 3000

export async function settleAfterStop(o: SettleAfterStopOptions): Promise<void> {
  const { log, deploymentId } = o
  try {
    let info = await readDeployment(o, deploymentId)
    if (!planOf(info).copiesAutoScalingGroup) return
    const until = o.now() + o.waitMs
    while (!TERMINAL_STATUSES.has(info.status ?? '') && o.now() < until) {
      await o.sleep(POLL_MS)
      info = await readDeployment(o, deploymentId)
    }
    if (!TERMINAL_STATUSES.has(info.status ?? '')) {
      log.warning(
        `Deployment ${deploymentId} had not ended ${Math.round(o.waitMs / 1000)} s after the stop (status ${info.status}); its replacement Auto Scaling group is left as it is. Check it in the CodeDeploy console.`
      )
      return
    }
    if (!leavesReplacementFleet(info)) return
    const instances = await fetchInstances(deploymentId, { ...o, attempts: 3 })
    await settleReplacementFleet({
      ctx: o,
      info,
      instances,
      targetGroups: new TargetGroups(o, planOf(info).targetGroups),
      policy: o.policy,
      region: o.region
    })
  } catch (err) {
    log.warning(
      `Could not settle the replacement fleet of deployment ${deploymentId}: ${err instanceof AwsCallError ? err.describe() : String(err)}`
    )
  }
}
