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

/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
export const STOP_CONFIRM_MS = 60_000
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
export const CANCEL_CONFIRM_MS = 4000

/** Everything one group's run reads; the result it writes is passed beside it. */
export interface GroupRun {
  ctx: CodeDeployContext
  settings: DeploySettings
  region: string
  revision: S3Revision
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

  const silence = settings.agentSilenceTimeoutMinutes > 0 ? new SilenceReporter(run, id) : undefined
  const w = await waitForDeployment({
    ...ctx,
    deploymentId: id,
    deadline,
    ...(silence ? { onInstances: (instances: InstanceView[]) => silence.look(instances) } : {})
  })
  applyInfo(r, w.info)
  r.instances = w.instances ?? []
  if (silence?.watch.everSilent().length) r.silentAgents = silence.watch.everSilent()

  switch (w.kind) {
    case 'halted':
      return haltedOnSilence(run, r, w, silence!.watch)
    case 'terminal':
      return r.status === 'Succeeded' ? succeeded(run, r) : failed(run, r, w.info, deadline)
    case 'timed-out':
      return timedOut(run, r, w)
    case 'cancelled':
      return cancelled(run, r, w)
  }
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
  deadline: number
): Promise<void> {
  const { region } = run
  r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed'
  r.failedInstances = failedInstancesOf(r.instances)
  reportFailure(run.ctx.log, r.id, info, r.failedInstances, r.url, region)
  const rollback = await followRollback(run, r, info, deadline)
  const first = distinctCauses(r.failedInstances)[0]
  const why = first
    ? ` ${plural(r.failedInstances.length, 'instance')} failed, first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}.`
    : ''
  const agentFailed = r.failedInstances.filter((f) => isAgentNotReceived(f.message))
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' ${r.status === 'Stopped' ? 'was stopped' : 'failed'}${errorText(info)}.${why}${rollback}`,
    first && isAgentNotReceived(first.message)
      ? `No CodeDeploy agent picked up the lifecycle event on ${agentFailed.length === 1 ? 'that instance' : `${agentFailed.length} instances`}. ${agentChecksText(
          region,
          agentFailed.every((f) => labelOf(r, f.instanceId) === 'Green')
        )} Console: ${r.url}`
      : `The failing instances and their script output are above; console: ${r.url}`
  )
}

async function timedOut(run: GroupRun, r: GroupResult, w: WaitResult): Promise<void> {
  const { settings } = run
  const minutes = minutesText(settings.waitTimeoutMinutes)
  r.outcome = 'timed-out'
  if (settings.onTimeout === 'stop') {
    run.ctx.log.info(
      `Deployment ${r.id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`
    )
    await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`,
      `Raise wait-timeout if the deployment needs longer; console: ${r.url}`
    )
  } else {
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).`,
      `Follow it in the console (${r.url}); raise wait-timeout, or set on-timeout: stop to stop it instead.`
    )
  }
  r.failedInstances = failedInstancesOf(r.instances)
}

async function cancelled(run: GroupRun, r: GroupResult, w: WaitResult): Promise<void> {
  const { log } = run.ctx
  r.outcome = 'cancelled'
  if (run.settings.stopOnCancel) {
    log.info(`The workflow was cancelled: stopping deployment ${r.id}.`)
    await stopAndConfirm(run, r, w.info, CANCEL_CONFIRM_MS)
  } else {
    log.info(
      `The workflow was cancelled; deployment ${r.id} keeps running (stop-on-cancel: false). ${r.url}`
    )
  }
  r.error = new ActionError(
    `The workflow was cancelled while deployment ${r.id} to '${r.group}' was running; ${run.settings.stopOnCancel ? `it was stopped (status ${r.status})` : 'it was left running'}.`,
    `Console: ${r.url}`
  )
}

/** on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback. */
async function haltedOnSilence(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  watch: AgentWatch
): Promise<void> {
  const silent = watch.silentNow()
  run.ctx.log.info(
    `Stopping deployment ${r.id}: the CodeDeploy agent on ${plural(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`
  )
  await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
  r.outcome = 'stopped'
  r.failedInstances = failedInstancesOf(r.instances)
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${minutesText(run.settings.agentSilenceTimeoutMinutes)}) on ${silentList(silent)}.${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`,
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
): Promise<void> {
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
