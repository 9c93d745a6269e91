// Blue/green's own turns in a group's run: Ready (on-ready), the traffic rerouted (wait-until),
// and after a stop, where the traffic is and what becomes of the replacement fleet.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { minutesText } from '../../common/duration.js'
import { sendContinueDeployment } from '../codedeploy/continue.js'
import { terminationText, type DeploymentPlan } from '../plan.js'
import { settleReplacementFleet } from '../replacement-fleet/policy.js'
import type { GroupResult } from '../types.js'
import { failedInstancesOf } from './diagnose.js'
import type { PlanAndTraffic } from './follow.js'
import type { GroupRun } from './group-run.js'

/** With a manual reroute, when CodeDeploy gives up on a deployment left in Ready ('' otherwise). */
function readyStopsText(plan: DeploymentPlan): string {
  if (!plan.manualReroute) return ''
  return ` CodeDeploy stops it if nobody continues it within ${minutesText(plan.readyWaitMinutes)} of the install.`
}

/** on-ready: the deployment is Ready (installed on the replacement instances, traffic still on the original ones). */
export async function atReady(
  run: GroupRun,
  r: GroupResult,
  plan: DeploymentPlan
): Promise<'finished' | 'waiting'> {
  const { ctx, settings } = run
  const stopsAt = readyStopsText(plan)
  const ready = `Deployment ${r.id} is Ready: the replacement instances are installed and the traffic is still on the original instances.`
  switch (settings.onReady) {
    case 'finish':
      r.outcome = 'ready'
      r.status = 'Ready'
      ctx.log.info(
        `${ready} The step ends here (on-ready: finish). Move the traffic with this action and continue-deployment: ${r.id} (for example in a job behind an environment with required reviewers), or in the console.${stopsAt} ${r.url}`
      )
      return 'finished'
    case 'continue':
      ctx.log.info(`${ready} Continuing it (on-ready: continue).`)
      await sendContinueDeployment(ctx, r.id, 'READY_WAIT')
      ctx.log.info(`Continued deployment ${r.id}: CodeDeploy reroutes the traffic now.`)
      return 'waiting'
    case 'wait':
      ctx.log.info(
        `${ready} Waiting for someone to continue it (on-ready: wait), within wait-timeout (${minutesText(settings.waitTimeoutMinutes)}): in the console, or with this action and continue-deployment: ${r.id}.${stopsAt}`
      )
      return 'waiting'
  }
}

/** wait-until: traffic-rerouted: the traffic is on the healthy replacement instances; the termination wait runs on. */
export function rerouted(run: GroupRun, r: GroupResult, plan: DeploymentPlan): void {
  const { log, now } = run.ctx
  r.outcome = 'rerouted'
  r.failedInstances = failedInstancesOf(r.instances)
  log.info(
    `Deployment ${r.id} to '${r.group}' moved the traffic to the replacement instances, which passed their health checks; the step ends here (wait-until: traffic-rerouted) with the deployment ${r.status}. ${terminationText(plan, now())} ${r.url}`
  )
}

/** failed-replacement-fleet, once the deployment ended; a sentence for the error. */
export async function applyFailedReplacementFleet(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  pt: PlanAndTraffic
): Promise<string> {
  if (!info || !pt.plan.copiesAutoScalingGroup || !pt.traffic) return ''
  r.replacementFleet = await settleReplacementFleet({
    ctx: run.ctx,
    info,
    instances: r.instances,
    targetGroups: pt.traffic.targetGroups,
    policy: run.settings.failedReplacementFleet,
    region: run.region
  })
  return r.replacementFleet ? ` ${r.replacementFleet.note}` : ''
}

/** After a stop of a blue/green deployment: where the traffic is now, in the log and the result. */
export async function sayWhereTrafficIs(
  run: GroupRun,
  r: GroupResult,
  pt: PlanAndTraffic
): Promise<string> {
  if (!pt.plan.blueGreen || !pt.traffic) return ''
  const where = await pt.traffic.whereTrafficIs(r.instances)
  if (!where) return ''
  const rollback = r.rollbackId
    ? ` Rollback ${r.rollbackId} moves it back to the original instances if it is not there yet.`
    : ''
  r.traffic = `${where}${rollback}`
  run.ctx.log.info(r.traffic)
  return ` ${r.traffic}`
}

/**
 * A stopped deployment: where the traffic is, then the replacement fleet once CodeDeploy says
 * Stopped. Left to the post step (replacementFleetPending) when it has not ended yet, or on a cancel: the
 * runner kills the main step seconds after it, too soon to wait for a drain.
 */
export async function afterStop(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  pt: PlanAndTraffic,
  settleNow = true
): Promise<string> {
  const where = await sayWhereTrafficIs(run, r, pt)
  if (!pt.plan.copiesAutoScalingGroup) return where
  if (settleNow && (info?.status === 'Stopped' || info?.status === 'Failed')) {
    return `${where}${await applyFailedReplacementFleet(run, r, info, pt)}`
  }
  r.replacementFleetPending = true
  run.ctx.log.info(
    `The post step applies failed-replacement-fleet (${run.settings.failedReplacementFleet}) to the replacement Auto Scaling group once CodeDeploy reports deployment ${r.id} ended.`
  )
  return where
}
