// The post step's half of failed-replacement-fleet: wait (bounded) for a deployment stopped on
// cancel to end, then settle its copied Auto Scaling group as the main step would have.
import { AwsCallError } from '../../common/errors.js'
import { planOf } from '../plan.js'
import { readDeployment } from '../codedeploy/reads.js'
import type { DeployContext } from '../context.js'
import {
  leavesReplacementFleet,
  settleReplacementFleet,
  type ReplacementFleetPolicy
} from './policy.js'
import { TargetGroups } from '../traffic/target-groups.js'
import { fetchInstances } from '../codedeploy/deployment-targets.js'
import { TERMINAL_STATUSES, waitForDeployment } from '../codedeploy/wait.js'

export interface SettleAfterStopOptions extends Omit<DeployContext, 'signal'> {
  region: string
  deploymentId: string
  policy: ReplacementFleetPolicy
  /** How long to wait for CodeDeploy to report the deployment ended. */
  waitMs: number
}

export async function settleAfterStop(o: SettleAfterStopOptions): Promise<void> {
  const { log, deploymentId } = o
  try {
    const first = await readDeployment(o, deploymentId)
    if (!planOf(first).copiesAutoScalingGroup) return
    // The waiter's own polling, backoff and bound, without the instances (fetched once below).
    const w = TERMINAL_STATUSES.has(first.status ?? '')
      ? { kind: 'terminal' as const, info: first }
      : await waitForDeployment({
          ...o,
          deploymentId,
          deadline: o.now() + o.waitMs,
          trackInstances: false
        })
    const info = w.info ?? first
    if (w.kind !== 'terminal') {
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
