// Following a group's deployment: what it will do (its plan, learnt from the first GetDeployment
// answer), the wait, and which conclusion the way the wait ended calls for.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { autoScalingGroupsOf } from '../codedeploy/reads.js'
import { waitForDeployment } from '../codedeploy/wait.js'
import {
  planLine,
  planOf,
  terminationWaitWarning,
  trafficRerouted,
  type DeploymentPlan
} from '../plan.js'
import { SilenceReporter } from '../silent-agent/reporter.js'
import { TargetGroups } from '../traffic/target-groups.js'
import { TrafficWatch } from '../traffic/traffic-watch.js'
import type { GroupResult, InstanceView } from '../types.js'
import { atReady, rerouted } from './blue-green.js'
import type { GroupRun } from './group-run.js'
import { cancelled, failed, haltedOnSilence, succeeded, timedOut } from './outcomes.js'
import { applyInfo } from './result.js'

interface FollowState {
  /** Ready was handled (or is behind us): do not stop at it again. */
  readyDone: boolean
  /** continue-termination: the traffic has long moved; wait for the end. */
  terminating?: boolean
}

/** What the conclusions need besides the result: the plan, and the traffic watch of a load-balanced group. */
export interface PlanAndTraffic {
  plan: DeploymentPlan
  traffic: TrafficWatch | undefined
}

/**
 * What the deployment will do (learnt from the first GetDeployment answer, the waiter's own, so
 * that its deadline and retries hold), the warnings that follow from it, then the wait and its
 * conclusion. `first`: an answer already in hand (continue-deployment).
 */
export async function follow(
  run: GroupRun,
  r: GroupResult,
  deadline: number,
  state: FollowState,
  first?: DeploymentInfo
): Promise<void> {
  const { ctx, settings, region } = run
  const id = r.id
  let learnt: PlanAndTraffic | undefined
  const learn = async (info: DeploymentInfo): Promise<void> => {
    if (!learnt) learnt = await planFrom(run, r, info, state)
  }
  if (first) await learn(first)
  const silence =
    settings.agentSilenceTimeoutMinutes > 0
      ? new SilenceReporter({ log: ctx.log, now: ctx.now, settings, region, deploymentId: id })
      : undefined
  const progress = {}
  for (;;) {
    const w = await waitForDeployment({
      ...ctx,
      deploymentId: id,
      deadline,
      progress,
      onInfo: learn,
      onInstances: async (instances: InstanceView[]) => {
        await learnt?.traffic?.look(instances)
        return silence ? silence.look(instances) : 'continue'
      },
      until: (info) => {
        if (
          settings.waitUntil === 'traffic-rerouted' &&
          !state.terminating &&
          trafficRerouted(info)
        )
          return 'rerouted'
        if (info.status === 'Ready' && !state.readyDone) return 'ready'
        return undefined
      }
    })
    applyInfo(r, w.info)
    r.instances = w.instances ?? r.instances
    if (silence?.watch.everSilent().length) r.silentAgents = silence.watch.everSilent()
    // CodeDeploy never answered: nothing is known of the style.
    const known: PlanAndTraffic = learnt ?? { plan: planOf(w.info ?? {}), traffic: undefined }

    switch (w.kind) {
      case 'reached':
        if (w.reached === 'rerouted') return rerouted(run, r, known.plan)
        state.readyDone = true
        if ((await atReady(run, r, known.plan)) === 'finished') return
        continue
      case 'halted':
        return haltedOnSilence(run, r, w, silence!.watch, known)
      case 'terminal':
        return r.status === 'Succeeded'
          ? succeeded(run, r)
          : failed(run, r, w.info, deadline, known)
      case 'timed-out':
        return timedOut(run, r, w, known)
      case 'cancelled':
        return cancelled(run, r, w, known)
    }
  }
}

/** The plan line and the termination-wait warning, once; the traffic watch for load-balanced groups. */
async function planFrom(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo,
  state: FollowState
): Promise<PlanAndTraffic> {
  const { ctx, settings } = run
  const plan = planOf(info)
  if (plan.blueGreen || plan.trafficControl) {
    r.plan = planLine(plan, await sourceGroups(run, info, plan))
    ctx.log.info(`Deployment ${r.id}: ${r.plan}`)
  }
  const waitWarning =
    settings.waitUntil === 'succeeded' && !state.terminating
      ? terminationWaitWarning(plan, settings.waitTimeoutMinutes)
      : undefined
  if (waitWarning)
    ctx.log.warning(waitWarning, { title: 'wait-timeout shorter than the termination wait' })
  const traffic =
    plan.trafficControl && ctx.traffic
      ? new TrafficWatch(r.id, new TargetGroups(ctx, plan.targetGroups), ctx.log, ctx.now)
      : undefined
  return { plan, traffic }
}

/** The plan line's read of the group's Auto Scaling groups may take this long at most. */
const SOURCE_GROUPS_MS = 10_000

/** The deployment group's Auto Scaling groups, to name the one copied (best effort: the plan line only). */
async function sourceGroups(
  run: GroupRun,
  info: DeploymentInfo,
  plan: DeploymentPlan
): Promise<string[]> {
  if (!plan.copiesAutoScalingGroup) return []
  try {
    // Brief: the wait's deadline must hold even if CodeDeploy stops answering.
    return await autoScalingGroupsOf(run.ctx, info, AbortSignal.timeout(SOURCE_GROUPS_MS))
  } catch (err) {
    run.ctx.log.debug(
      `GetDeploymentGroup failed; the plan line names no Auto Scaling group: ${String(err)}`
    )
    return []
  }
}
