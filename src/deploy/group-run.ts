// One deployment group: create the deployment, follow it, and conclude by how the wait ended.
// Each conclusion (succeeded, failed, timed out, cancelled, halted on silent agents) fills in the
// group's result and, when it did not succeed, the error the step fails with.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { formatDuration } from '../common/duration.js'
import { ActionError } from '../common/errors.js'
import { plural } from '../common/plural.js'
import type { DeploySettings } from '../settings/settings.js'
import {
  agentChecksText,
  AgentWatch,
  isAgentNotReceived,
  minutesText,
  silenceWarning,
  silentList
} from './agent-silence.js'
import { deploymentConsoleUrl } from './console-url.js'
import type { CodeDeployContext } from './context.js'
import { createDeployment, type CreateResult } from './create.js'
import { distinctCauses, failedInstancesOf, reportFailure } from './diagnose.js'
import type { S3Revision } from './request.js'
import { findRollbackId } from './rollback.js'
import { rollbackOnStop, stopDeployment } from './stop.js'
import { fetchInstances } from './targets.js'
import type { GroupResult, InstanceView } from './types.js'
import { waitForDeployment, type WaitResult } from './wait.js'
import {
  planLine,
  planOf,
  terminationText,
  terminationWaitWarning,
  trafficRerouted,
  type DeploymentPlan
} from './blue-green.js'
import { autoScalingGroupsOf, continueDeployment, readDeployment } from './continue.js'
import { settleReplacementFleet } from './fleet-policy.js'
import { TargetGroups } from './target-groups.js'
import { TrafficWatch } from './traffic-watch.js'
import type { ContinueTarget } from '../settings/settings.js'

/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
export const STOP_CONFIRM_MS = 60_000
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
export const CANCEL_CONFIRM_MS = 4000

/** Everything one group's run reads; the result it writes is passed beside it. */
export interface GroupRun {
  ctx: CodeDeployContext
  settings: DeploySettings
  region: string
  /** Absent when continuing a deployment (nothing is created). */
  revision?: S3Revision
  onCreated?: (group: string, id: string) => void
}

export function emptyResult(group: string): GroupResult {
  return {
    group,
    id: '',
    status: '',
    url: '',
    failedInstances: [],
    instances: [],
    outcome: 'not-attempted'
  }
}

export async function deployGroup(run: GroupRun, r: GroupResult): Promise<void> {
  const { ctx, settings, region } = run
  const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000
  if (!run.revision) throw new Error('deployGroup needs a revision')
  const created = await createDeployment({
    ...ctx,
    settings,
    group: r.group,
    revision: run.revision,
    deadline,
    region
  })
  if (created.kind !== 'created') return notCreated(run, r, created)

  const id = created.deploymentId
  r.id = id
  r.url = deploymentConsoleUrl(region, id)
  r.status = 'Created'
  run.onCreated?.(r.group, id)
  ctx.log.info(`Created deployment ${id} for group '${r.group}': ${r.url}`)
  if (!settings.wait) {
    r.outcome = 'created'
    return
  }
  await follow(run, r, deadline, { readyDone: false })
}

/**
 * continue-deployment: the deployment another run created (in Ready, or in its termination wait)
 * goes on; then it is followed like one this run created.
 */
export async function continueGroup(
  run: GroupRun,
  r: GroupResult,
  target: ContinueTarget
): Promise<void> {
  const { ctx, settings, region } = run
  const deadline = ctx.now() + settings.waitTimeoutMinutes * 60_000
  const id = target.deploymentId
  const info = await readDeployment(ctx, id)
  if (info.applicationName !== settings.application || info.deploymentGroupName !== r.group)
    throw new ActionError(
      `Deployment ${id} belongs to application '${info.applicationName ?? '?'}', group '${info.deploymentGroupName ?? '?'}', not to '${settings.application}', '${r.group}'.`,
      'Set application and deployment-group to those of the deployment to continue (a safeguard against continuing the wrong one).'
    )
  r.id = id
  r.url = deploymentConsoleUrl(region, id)
  applyInfo(r, info)
  const waitType = target.termination ? 'TERMINATION_WAIT' : 'READY_WAIT'
  await continueDeployment(ctx, id, waitType)
  run.onCreated?.(r.group, id)
  ctx.log.info(
    target.termination
      ? `Ended the termination wait of deployment ${id} (continue-termination): CodeDeploy terminates the original instances now. ${r.url}`
      : `Continued deployment ${id}: CodeDeploy reroutes the traffic to the replacement instances now. ${r.url}`
  )
  if (!settings.wait) {
    r.outcome = 'created'
    return
  }
  // Ending the termination wait means waiting for the end, whatever wait-until says.
  await follow(run, r, deadline, { readyDone: true, terminating: target.termination }, info)
}

interface FollowState {
  /** Ready was handled (or is behind us): do not stop at it again. */
  readyDone: boolean
  /** continue-termination: the traffic has long moved; wait for the end. */
  terminating?: boolean
}

/**
 * What the deployment will do (learnt from the first GetDeployment answer, the waiter's own, so
 * that its deadline and retries hold), the warnings that follow from it, then the wait and its
 * conclusion. `first`: an answer already in hand (continue-deployment).
 */
async function follow(
  run: GroupRun,
  r: GroupResult,
  deadline: number,
  state: FollowState,
  first?: DeploymentInfo
): Promise<void> {
  const { ctx, settings } = run
  const id = r.id
  let bg: BlueGreen | undefined
  const learn = async (info: DeploymentInfo): Promise<void> => {
    if (!bg) bg = await planFrom(run, r, info, state)
  }
  if (first) await learn(first)
  const silence = settings.agentSilenceTimeoutMinutes > 0 ? new SilenceReporter(run, id) : undefined
  const progress = {}
  for (;;) {
    const w = await waitForDeployment({
      ...ctx,
      deploymentId: id,
      deadline,
      progress,
      onInfo: learn,
      onInstances: async (instances: InstanceView[]) => {
        await bg?.traffic?.look(instances)
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
    const known: BlueGreen = bg ?? { plan: planOf(w.info ?? {}), traffic: undefined }

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
): Promise<BlueGreen> {
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

/** What a blue/green or load-balanced deployment's conclusions need besides the result. */
interface BlueGreen {
  plan: DeploymentPlan
  traffic: TrafficWatch | undefined
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

/** on-ready: the deployment is Ready (installed on the replacement instances, traffic still on the original ones). */
async function atReady(
  run: GroupRun,
  r: GroupResult,
  plan: DeploymentPlan
): Promise<'finished' | 'waiting'> {
  const { ctx, settings } = run
  const stopsAt = plan.manualReroute
    ? ` CodeDeploy stops it if nobody continues it within ${minutesText(plan.readyWaitMinutes)} of the install.`
    : ''
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
      await continueDeployment(ctx, r.id, 'READY_WAIT')
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
function rerouted(run: GroupRun, r: GroupResult, plan: DeploymentPlan): void {
  const { log, now } = run.ctx
  r.outcome = 'rerouted'
  r.failedInstances = failedInstancesOf(r.instances)
  log.info(
    `Deployment ${r.id} to '${r.group}' moved the traffic to the replacement instances, which passed their health checks; the step ends here (wait-until: traffic-rerouted) with the deployment ${r.status}. ${terminationText(plan, now())} ${r.url}`
  )
}

function notCreated(
  run: GroupRun,
  r: GroupResult,
  created: Exclude<CreateResult, { kind: 'created' }>
): void {
  r.outcome = created.kind
  const behind = created.activeDeploymentId
    ? ` behind deployment ${created.activeDeploymentId}`
    : ''
  r.error =
    created.kind === 'timed-out'
      ? new ActionError(
          `Nothing was deployed to '${r.group}': it was still queued${behind} when wait-timeout (${minutesText(run.settings.waitTimeoutMinutes)}) ran out.`,
          'Raise wait-timeout, or stop the other deployment.'
        )
      : new ActionError(
          `The workflow was cancelled while queued${behind}; nothing was deployed to '${r.group}'.`
        )
}

function succeeded(run: GroupRun, r: GroupResult): void {
  const { log } = run.ctx
  r.outcome = 'succeeded'
  log.info(
    `Deployment ${r.id} to '${r.group}' succeeded${r.startedAt && r.endedAt ? ` in ${formatDuration(r.endedAt.getTime() - r.startedAt.getTime())}` : ''}.`
  )
  // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
  // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
  r.failedInstances = failedInstancesOf(r.instances)
  const first = distinctCauses(r.failedInstances)[0]
  if (first)
    log.warning(
      `Deployment ${r.id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}. They are listed in failed-instances; console: ${r.url}`
    )
}

async function failed(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo,
  deadline: number,
  bg: BlueGreen
): Promise<void> {
  const { region } = run
  r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed'
  r.failedInstances = failedInstancesOf(r.instances)
  if (bg.traffic) r.failedInstances = await bg.traffic.explain(r.failedInstances)
  reportFailure(run.ctx.log, r.id, info, r.failedInstances, r.url, region)
  const rollback = await followRollback(run, r, info, deadline)
  const fleet = await settleFleet(run, r, info, bg)
  const first = distinctCauses(r.failedInstances)[0]
  const why = first
    ? ` ${plural(r.failedInstances.length, 'instance')} failed, first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}.`
    : ''
  const agentFailed = r.failedInstances.filter((f) => isAgentNotReceived(f.message))
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' ${r.status === 'Stopped' ? 'was stopped' : 'failed'}${errorText(info)}.${why}${rollback}${fleet}`,
    first && isAgentNotReceived(first.message)
      ? `No CodeDeploy agent picked up the lifecycle event on ${agentFailed.length === 1 ? 'that instance' : `${agentFailed.length} instances`}. ${agentChecksText(
          region,
          agentFailed.every((f) => labelOf(r, f.instanceId) === 'Green')
        )} Console: ${r.url}`
      : `The failing instances and their script output are above; console: ${r.url}`
  )
}

/** failed-replacement-fleet, once the deployment ended; a sentence for the error. */
async function settleFleet(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  bg: BlueGreen
): Promise<string> {
  if (!info || !bg.plan.copiesAutoScalingGroup || !bg.traffic) return ''
  r.replacementFleet = await settleReplacementFleet({
    ctx: run.ctx,
    info,
    instances: r.instances,
    targetGroups: bg.traffic.targetGroups,
    policy: run.settings.failedReplacementFleet,
    region: run.region
  })
  return r.replacementFleet ? ` ${r.replacementFleet.note}` : ''
}

/** After a stop of a blue/green deployment: where the traffic is now, in the log and the result. */
async function sayWhereTrafficIs(run: GroupRun, r: GroupResult, bg: BlueGreen): Promise<string> {
  if (!bg.plan.blueGreen || !bg.traffic) return ''
  const where = await bg.traffic.whereTrafficIs(r.instances)
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
 * Stopped. Left to the post step (fleetPending) when it has not ended yet, or on a cancel: the
 * runner kills the main step seconds after it, too soon to wait for a drain.
 */
async function afterStop(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  bg: BlueGreen,
  settleNow = true
): Promise<string> {
  const where = await sayWhereTrafficIs(run, r, bg)
  if (!bg.plan.copiesAutoScalingGroup) return where
  if (settleNow && (info?.status === 'Stopped' || info?.status === 'Failed')) {
    return `${where}${await settleFleet(run, r, info, bg)}`
  }
  r.fleetPending = true
  run.ctx.log.info(
    `The post step applies failed-replacement-fleet (${run.settings.failedReplacementFleet}) to the replacement Auto Scaling group once CodeDeploy reports deployment ${r.id} ended.`
  )
  return where
}

async function timedOut(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  bg: BlueGreen
): Promise<void> {
  const { settings } = run
  const minutes = minutesText(settings.waitTimeoutMinutes)
  r.outcome = 'timed-out'
  if (settings.onTimeout === 'stop') {
    run.ctx.log.info(
      `Deployment ${r.id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`
    )
    const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
    const after = await afterStop(run, r, stopped, bg)
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}${after}`,
      `Raise wait-timeout if the deployment needs longer${bg.plan.blueGreen && settings.waitUntil === 'succeeded' ? ', or set wait-until: traffic-rerouted' : ''}; console: ${r.url}`
    )
  } else {
    const where = bg.plan.blueGreen ? await sayWhereTrafficIs(run, r, bg) : ''
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).${where}`,
      `Follow it in the console (${r.url}); raise wait-timeout${bg.plan.blueGreen && settings.waitUntil === 'succeeded' ? ', set wait-until: traffic-rerouted' : ''}, or set on-timeout: stop to stop it instead.`
    )
  }
  r.failedInstances = failedInstancesOf(r.instances)
}

async function cancelled(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  bg: BlueGreen
): Promise<void> {
  const { log } = run.ctx
  r.outcome = 'cancelled'
  let after = ''
  if (run.settings.stopOnCancel) {
    log.info(`The workflow was cancelled: stopping deployment ${r.id}.`)
    const stopped = await stopAndConfirm(run, r, w.info, CANCEL_CONFIRM_MS)
    // The runner kills the step seconds after the cancel: one quick look, the fleet in the post step.
    after = await afterStop(run, r, stopped, bg, false)
  } else {
    log.info(
      `The workflow was cancelled; deployment ${r.id} keeps running (stop-on-cancel: false). ${r.url}`
    )
  }
  r.error = new ActionError(
    `The workflow was cancelled while deployment ${r.id} to '${r.group}' was running; ${run.settings.stopOnCancel ? `it was stopped (status ${r.status})` : 'it was left running'}.${after}`,
    `Console: ${r.url}`
  )
}

/** on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback. */
async function haltedOnSilence(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  watch: AgentWatch,
  bg: BlueGreen
): Promise<void> {
  const silent = watch.silentNow()
  run.ctx.log.info(
    `Stopping deployment ${r.id}: the CodeDeploy agent on ${plural(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`
  )
  const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
  r.outcome = 'stopped'
  r.failedInstances = failedInstancesOf(r.instances)
  const after = await afterStop(run, r, stopped, bg)
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${minutesText(run.settings.agentSilenceTimeoutMinutes)}) on ${silentList(silent)}.${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}${after}`,
    `${agentChecksText(
      run.region,
      silent.every((s) => s.label === 'Green')
    )} Console: ${r.url}`
  )
}

/** Watches for silent agents at each instance refresh: one warning, then a line per newly silent instance; 'halt' with on-agent-silence: fail. */
class SilenceReporter {
  readonly watch: AgentWatch
  private warned = false

  constructor(
    private readonly run: GroupRun,
    private readonly id: string
  ) {
    this.watch = new AgentWatch(run.settings.agentSilenceTimeoutMinutes * 60_000)
  }

  look(instances: InstanceView[]): 'continue' | 'halt' {
    const { log, now } = this.run.ctx
    const { settings, region } = this.run
    const { newlySilent, answered } = this.watch.observe(instances, now())
    for (const s of answered)
      log.info(
        `${this.id} ${s.instanceId}: the CodeDeploy agent picked up ${s.event} after ${formatDuration(now() - s.since)}.`
      )
    if (newlySilent.length === 0) return 'continue'
    if (settings.onAgentSilence === 'fail') return 'halt'
    if (!this.warned) {
      this.warned = true
      const silent = this.watch.silentNow()
      log.warning(silenceWarning(silent, settings.agentSilenceTimeoutMinutes, region), {
        title: `CodeDeploy agent not responding on ${plural(silent.length, 'instance')}`
      })
      log.info(
        `Still waiting for deployment ${this.id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`
      )
    } else {
      log.info(`${this.id}: the agent is silent on more instances now: ${silentList(newlySilent)}.`)
    }
    return 'continue'
  }
}

/** StopDeployment, then a short wait for CodeDeploy to say Stopped (the signal may be aborted: not used here). */
async function stopAndConfirm(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  confirmMs: number
): Promise<DeploymentInfo | undefined> {
  const { ctx, region } = run
  const { signal: _cancelled, ...uncancelled } = ctx
  const autoRollbackEnabled = rollbackOnStop(
    run.settings.autoRollback,
    info?.autoRollbackConfiguration
  )
  const outcome = await stopDeployment({ ...uncancelled, deploymentId: r.id, autoRollbackEnabled })
  const w = await waitForDeployment({
    ...uncancelled,
    deploymentId: r.id,
    deadline: ctx.now() + confirmMs,
    trackInstances: false
  })
  applyInfo(r, w.info)
  if (w.kind === 'terminal' && confirmMs >= STOP_CONFIRM_MS && !r.rollbackId) {
    r.rollbackId = await findRollbackId({ ...uncancelled, deploymentId: r.id, info: w.info })
  }
  if (r.rollbackId) {
    r.rollbackUrl = deploymentConsoleUrl(region, r.rollbackId)
    ctx.log.info(`CodeDeploy started rollback deployment ${r.rollbackId}. ${r.rollbackUrl}`)
  }
  if (outcome === 'stopping' && w.kind !== 'terminal') {
    ctx.log.info(
      `CodeDeploy is still stopping deployment ${r.id} (status ${r.status}); it will end shortly. ${r.url}`
    )
  }
  if (confirmMs >= STOP_CONFIRM_MS) {
    try {
      r.instances = await fetchInstances(r.id, { ...uncancelled, attempts: 2 })
    } catch {
      // The summary keeps the instances last seen.
    }
  }
  return w.info ?? info
}

/** Finds CodeDeploy's rollback of a failed deployment and follows it to its end; returns a sentence for the error. */
async function followRollback(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo,
  deadline: number
): Promise<string> {
  const { ctx, region } = run
  const { log } = ctx
  const rollbackId = await findRollbackId({ ...ctx, deploymentId: r.id, info })
  if (!rollbackId) return ''
  r.rollbackId = rollbackId
  r.rollbackUrl = deploymentConsoleUrl(region, rollbackId)
  log.info(
    `CodeDeploy is rolling back: deployment ${rollbackId} returns the instances to the last successful revision. ${r.rollbackUrl}`
  )
  const w = await waitForDeployment({
    ...ctx,
    deploymentId: rollbackId,
    deadline,
    trackInstances: false
  })
  r.rollbackStatus = w.info?.status ?? 'Unknown'
  if (w.kind !== 'terminal') {
    log.info(
      `Rollback ${rollbackId} had not ended when waiting stopped (status ${r.rollbackStatus}). ${r.rollbackUrl}`
    )
    return ` Rollback ${rollbackId} is ${r.rollbackStatus}.`
  }
  if (r.rollbackStatus === 'Succeeded') {
    log.info(`Rollback ${rollbackId} succeeded: the instances run the previous revision again.`)
    return ` CodeDeploy rolled back (${rollbackId} succeeded).`
  }
  log.error(
    `Rollback ${rollbackId} ${r.rollbackStatus}${errorText(w.info)}. Check the instances: ${r.rollbackUrl}`,
    { title: `CodeDeploy rollback ${rollbackId} ${r.rollbackStatus.toLowerCase()}` }
  )
  return ` The rollback ${rollbackId} also ${r.rollbackStatus === 'Stopped' ? 'was stopped' : 'failed'}.`
}

function applyInfo(r: GroupResult, info: DeploymentInfo | undefined): void {
  if (!info) return
  r.status = info.status ?? r.status
  r.startedAt = info.startTime ?? info.createTime ?? r.startedAt
  r.endedAt = info.completeTime ?? r.endedAt
  r.errorInformation = info.errorInformation ?? r.errorInformation
  if (info.rollbackInfo?.rollbackDeploymentId) r.rollbackId = info.rollbackInfo.rollbackDeploymentId
}

function labelOf(r: GroupResult, instanceId: string): string | undefined {
  return r.instances.find((i) => i.instanceId === instanceId)?.label
}

function errorText(info: DeploymentInfo | undefined): string {
  const ei = info?.errorInformation
  const text = [ei?.code, ei?.message?.replace(/\.+$/, '')].filter(Boolean).join(': ')
  return text ? `: ${text}` : ''
}
