// The deploy phase: each deployment group in order, created, followed, explained; stops at the first failure.
import type { CodeDeployClient, DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { ActionError } from '../common/errors.js'
import type { Logger, Sleep } from '../common/log.js'
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
import { formatDuration } from '../common/duration.js'
import { createDeployment } from './create.js'
import { distinctCauses, failedInstancesOf, reportFailure } from './diagnose.js'
import type { S3Revision } from './request.js'
import { findRollbackId } from './rollback.js'
import { rollbackOnStop, stopDeployment } from './stop.js'
import { fetchInstances } from './targets.js'
import type { DeploymentsResult, GroupResult, InstanceView } from './types.js'
import { waitForDeployment } from './wait.js'
import { plural } from '../common/plural.js'

/** After StopDeployment on timeout, how long we look for CodeDeploy to report Stopped. */
export const STOP_CONFIRM_MS = 60_000
/** On cancellation the runner kills us 10 s after SIGINT: confirm the stop only briefly. */
export const CANCEL_CONFIRM_MS = 4000

export interface DeployToGroupsOptions {
  settings: DeploySettings
  revision: S3Revision
  /** The region the clients use (for console links and the checks suggested). */
  region: string
  codedeploy: CodeDeployClient
  log: Logger
  sleep: Sleep
  now: () => number
  /** Aborted when the workflow is cancelled: the current deployment is stopped when settings.stopOnCancel. */
  signal?: AbortSignal
  /** Called as soon as a deployment exists, before waiting (set the deployment-id output, save state). */
  onCreated?: (group: string, id: string) => void
  random?: () => number
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

export async function deployToGroups(opts: DeployToGroupsOptions): Promise<DeploymentsResult> {
  const { settings, codedeploy, log, sleep, now, signal, random } = opts
  const region = opts.region
  const timeoutMs = settings.waitTimeoutMinutes * 60_000
  const minutes = minutesText(settings.waitTimeoutMinutes)
  const groups: GroupResult[] = settings.deploymentGroups.map((group) => ({
    group,
    id: '',
    status: '',
    url: '',
    failedInstances: [],
    instances: [],
    outcome: 'not-attempted'
  }))

  for (const r of groups) {
    try {
      await deployOne(r)
    } catch (err) {
      if (!(err instanceof ActionError)) throw err
      r.outcome = 'failed'
      r.error = err
    }
    if (r.outcome !== 'succeeded' && r.outcome !== 'created') break
  }
  const firstBad = groups.find((g) => g.error)
  const notAttempted = groups
    .filter((g) => g.outcome === 'not-attempted')
    .map((g) => `'${g.group}'`)
  if (firstBad && notAttempted.length) {
    log.info(
      `Not deploying to ${notAttempted.join(', ')}: the deployment to '${firstBad.group}' did not succeed.`
    )
  }
  return { groups, ok: !firstBad, error: firstBad?.error, ...(region ? { region } : {}) }

  async function deployOne(r: GroupResult): Promise<void> {
    const group = r.group
    const deadline = now() + timeoutMs
    const created = await createDeployment({
      settings,
      group,
      revision: opts.revision,
      codedeploy,
      log,
      sleep,
      now,
      deadline,
      region,
      signal,
      random
    })
    if (created.kind !== 'created') {
      r.outcome = created.kind
      const behind = created.activeDeploymentId
        ? ` behind deployment ${created.activeDeploymentId}`
        : ''
      r.error =
        created.kind === 'timed-out'
          ? new ActionError(
              `Nothing was deployed to '${group}': it was still queued${behind} when wait-timeout (${minutes}) ran out.`,
              'Raise wait-timeout, or stop the other deployment.'
            )
          : new ActionError(
              `The workflow was cancelled while queued${behind}; nothing was deployed to '${group}'.`
            )
      return
    }
    const id = created.deploymentId
    r.id = id
    r.url = deploymentConsoleUrl(region, id)
    r.status = 'Created'
    opts.onCreated?.(group, id)
    log.info(`Created deployment ${id} for group '${group}': ${r.url}`)
    if (!settings.wait) {
      r.outcome = 'created'
      return
    }

    const watch =
      settings.agentSilenceTimeoutMinutes > 0
        ? new AgentWatch(settings.agentSilenceTimeoutMinutes * 60_000)
        : undefined
    const warnedOnce = { done: false }
    const w = await waitForDeployment({
      deploymentId: id,
      codedeploy,
      log,
      sleep,
      now,
      deadline,
      signal,
      random,
      ...(watch
        ? {
            onInstances: (instances: InstanceView[]) =>
              watchAgents(id, watch, instances, warnedOnce)
          }
        : {})
    })
    applyInfo(r, w.info)
    r.instances = w.instances ?? []
    if (watch?.everSilent().length) r.silentAgents = watch.everSilent()

    if (w.kind === 'halted') {
      // on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback.
      const silent = watch!.silentNow()
      log.info(
        `Stopping deployment ${id}: the CodeDeploy agent on ${plural(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`
      )
      await stopAndConfirm(r, w.info, STOP_CONFIRM_MS)
      r.outcome = 'stopped'
      r.failedInstances = failedInstancesOf(r.instances)
      r.error = new ActionError(
        `Deployment ${id} to '${group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${minutesText(settings.agentSilenceTimeoutMinutes)}) on ${silentList(silent)}.${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`,
        `${agentChecksText(
          region,
          silent.every((s) => s.label === 'Green')
        )} Console: ${r.url}`
      )
      return
    }

    if (w.kind === 'terminal') {
      if (r.status === 'Succeeded') {
        r.outcome = 'succeeded'
        log.info(
          `Deployment ${id} to '${group}' succeeded${r.startedAt && r.endedAt ? ` in ${formatDuration(r.endedAt.getTime() - r.startedAt.getTime())}` : ''}.`
        )
        // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
        // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
        r.failedInstances = failedInstancesOf(r.instances)
        const first = distinctCauses(r.failedInstances)[0]
        if (first)
          log.warning(
            `Deployment ${id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}. They are listed in failed-instances; console: ${r.url}`
          )
        return
      }
      r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed'
      r.failedInstances = failedInstancesOf(r.instances)
      reportFailure(log, id, w.info, r.failedInstances, r.url, region)
      const rollback = await followRollback(r, w.info, deadline)
      const causes = distinctCauses(r.failedInstances)
      const first = causes[0]
      const why = first
        ? ` ${plural(r.failedInstances.length, 'instance')} failed, first cause: ${first.lifecycleEvent} ${first.errorCode}${first.script ? ` in ${first.script}` : ''}.`
        : ''
      const agentFailed = r.failedInstances.filter((f) => isAgentNotReceived(f.message))
      r.error = new ActionError(
        `Deployment ${id} to '${group}' ${r.status === 'Stopped' ? 'was stopped' : 'failed'}${errorText(w.info)}.${why}${rollback}`,
        first && isAgentNotReceived(first.message)
          ? `No CodeDeploy agent picked up the lifecycle event on ${agentFailed.length === 1 ? 'that instance' : `${agentFailed.length} instances`}. ${agentChecksText(
              region,
              agentFailed.every((f) => labelOf(r, f.instanceId) === 'Green')
            )} Console: ${r.url}`
          : `The failing instances and their script output are above; console: ${r.url}`
      )
      return
    }

    if (w.kind === 'timed-out') {
      r.outcome = 'timed-out'
      if (settings.onTimeout === 'stop') {
        log.info(
          `Deployment ${id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`
        )
        await stopAndConfirm(r, w.info, STOP_CONFIRM_MS)
        r.error = new ActionError(
          `Deployment ${id} to '${group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''}`,
          `Raise wait-timeout if the deployment needs longer; console: ${r.url}`
        )
      } else {
        r.error = new ActionError(
          `Deployment ${id} to '${group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).`,
          `Follow it in the console (${r.url}); raise wait-timeout, or set on-timeout: stop to stop it instead.`
        )
      }
      r.failedInstances = failedInstancesOf(r.instances)
      return
    }

    r.outcome = 'cancelled'
    if (settings.stopOnCancel) {
      log.info(`The workflow was cancelled: stopping deployment ${id}.`)
      await stopAndConfirm(r, w.info, CANCEL_CONFIRM_MS)
    } else {
      log.info(
        `The workflow was cancelled; deployment ${id} keeps running (stop-on-cancel: false). ${r.url}`
      )
    }
    r.error = new ActionError(
      `The workflow was cancelled while deployment ${id} to '${group}' was running; ${settings.stopOnCancel ? `it was stopped (status ${r.status})` : 'it was left running'}.`,
      `Console: ${r.url}`
    )
  }

  /** One look at the instances for silent agents: a warning (once, then a line per newly silent instance), or 'halt' with on-agent-silence: fail. */
  function watchAgents(
    id: string,
    watch: AgentWatch,
    instances: InstanceView[],
    warned: { done: boolean }
  ): 'continue' | 'halt' {
    const { newlySilent, answered } = watch.observe(instances, now())
    for (const s of answered)
      log.info(
        `${id} ${s.instanceId}: the CodeDeploy agent picked up ${s.event} after ${formatDuration(now() - s.since)}.`
      )
    if (newlySilent.length === 0) return 'continue'
    if (settings.onAgentSilence === 'fail') return 'halt'
    if (!warned.done) {
      warned.done = true
      const silent = watch.silentNow()
      log.warning(silenceWarning(silent, settings.agentSilenceTimeoutMinutes, region), {
        title: `CodeDeploy agent not responding on ${plural(silent.length, 'instance')}`
      })
      log.info(
        `Still waiting for deployment ${id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`
      )
    } else {
      log.info(`${id}: the agent is silent on more instances now: ${silentList(newlySilent)}.`)
    }
    return 'continue'
  }

  /** StopDeployment, then a short wait for CodeDeploy to say Stopped (the signal may be aborted: not used here). */
  async function stopAndConfirm(
    r: GroupResult,
    info: DeploymentInfo | undefined,
    confirmMs: number
  ): Promise<void> {
    const autoRollbackEnabled = rollbackOnStop(
      settings.autoRollback,
      info?.autoRollbackConfiguration
    )
    const outcome = await stopDeployment({
      codedeploy,
      log,
      sleep,
      deploymentId: r.id,
      autoRollbackEnabled
    })
    const w = await waitForDeployment({
      deploymentId: r.id,
      codedeploy,
      log,
      sleep,
      now,
      deadline: now() + confirmMs,
      trackInstances: false,
      random
    })
    applyInfo(r, w.info)
    if (w.kind === 'terminal' && confirmMs >= STOP_CONFIRM_MS && !r.rollbackId) {
      r.rollbackId = await findRollbackId({
        codedeploy,
        log,
        sleep,
        now,
        deploymentId: r.id,
        info: w.info
      })
    }
    if (r.rollbackId) {
      r.rollbackUrl = deploymentConsoleUrl(region, r.rollbackId)
      log.info(`CodeDeploy started rollback deployment ${r.rollbackId}. ${r.rollbackUrl}`)
    }
    if (outcome === 'stopping' && w.kind !== 'terminal') {
      log.info(
        `CodeDeploy is still stopping deployment ${r.id} (status ${r.status}); it will end shortly. ${r.url}`
      )
    }
    if (confirmMs >= STOP_CONFIRM_MS) {
      try {
        r.instances = await fetchInstances(r.id, { codedeploy, log, sleep, attempts: 2 })
      } catch {
        // The summary keeps the instances last seen.
      }
    }
  }

  /** Finds CodeDeploy's rollback of a failed deployment and follows it to its end; returns a sentence for the error. */
  async function followRollback(
    r: GroupResult,
    info: DeploymentInfo,
    deadline: number
  ): Promise<string> {
    const rollbackId = await findRollbackId({
      codedeploy,
      log,
      sleep,
      now,
      signal,
      deploymentId: r.id,
      info
    })
    if (!rollbackId) return ''
    r.rollbackId = rollbackId
    r.rollbackUrl = deploymentConsoleUrl(region, rollbackId)
    log.info(
      `CodeDeploy is rolling back: deployment ${rollbackId} returns the instances to the last successful revision. ${r.rollbackUrl}`
    )
    const w = await waitForDeployment({
      deploymentId: rollbackId,
      codedeploy,
      log,
      sleep,
      now,
      deadline,
      signal,
      trackInstances: false,
      random
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
      {
        title: `CodeDeploy rollback ${rollbackId} ${r.rollbackStatus.toLowerCase()}`
      }
    )
    return ` The rollback ${rollbackId} also ${r.rollbackStatus === 'Stopped' ? 'was stopped' : 'failed'}.`
  }
}
