// How a group's deployment ended, concluded: not created, succeeded, failed, timed out, cancelled,
// or halted on silent agents. Each fills in the result and, when it did not succeed, the error the
// step fails with.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { formatDuration, minutesText } from '../../common/duration.js'
import { ActionError } from '../../common/errors.js'
import { plural } from '../../common/plural.js'
import type { CreateResult } from '../codedeploy/create.js'
import type { WaitResult } from '../codedeploy/wait.js'
import { agentChecksText, isAgentNotReceived } from '../../advice/agent-checks.js'
import { silentList, type AgentWatch } from '../silent-agent/watch.js'
import type { FailedInstance, GroupResult } from '../types.js'
import { afterStop, sayWhereTrafficIs, applyFailedReplacementFleet } from './blue-green.js'
import {
  distinctCauses,
  failedInstancesOf,
  firstCauseText,
  reportFailure,
  type Cause
} from './diagnose.js'
import type { PlanAndTraffic } from './follow.js'
import { followRollback } from './follow-rollback.js'
import type { GroupRun } from './group-run.js'
import { adviseDeploymentOf, adviseInstances, readEvidence } from './advise.js'
import { endedText, errorText } from './result.js'
import { CANCEL_CONFIRM_MS, STOP_CONFIRM_MS, stopAndConfirm } from './stop-and-confirm.js'

/** " in 3m 12s" when CodeDeploy gave both times, else ''. */
function tookText(r: GroupResult): string {
  if (!r.startedAt || !r.endedAt) return ''
  return ` in ${formatDuration(r.endedAt.getTime() - r.startedAt.getTime())}`
}

/** " CodeDeploy started rollback d-X." when a stop started one, else ''. */
function rollbackStartedText(r: GroupResult): string {
  return r.rollbackId ? ` CodeDeploy started rollback ${r.rollbackId}.` : ''
}

/** The blue/green way out of a wait-timeout that only the termination wait exceeds. */
function trafficRerouteHint(run: GroupRun, pt: PlanAndTraffic, words: string): string {
  return pt.plan.blueGreen && run.settings.waitUntil === 'succeeded' ? words : ''
}

export function notCreated(
  run: GroupRun,
  r: GroupResult,
  created: Exclude<CreateResult, { kind: 'created' | 'skipped' }>
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

export async function succeeded(run: GroupRun, r: GroupResult): Promise<void> {
  const { log } = run.ctx
  r.outcome = 'succeeded'
  log.info(`Deployment ${r.id} to '${r.group}' succeeded${tookText(r)}.`)
  // CodeDeploy calls a deployment Succeeded when its configuration's minimum of healthy
  // hosts held (AllAtOnce: one instance): the instances that failed must not go unseen.
  r.failedInstances = failedInstancesOf(r.instances)
  await advise(run, r, undefined, false)
  const first = distinctCauses(r.failedInstances)[0]
  if (first)
    log.warning(
      `Deployment ${r.id} succeeded, but ${r.failedInstances.length} of ${r.instances.length} instances failed (the deployment configuration allows it), first cause: ${firstCauseText(first)}.${fixOf(first)} They are listed in failed-instances; console: ${r.url}`
    )
}

/**
 * The fix for a failed deployment: the catalogue's advice (its error code's rule, else its first
 * cause's), the agent checks when no agent picked up the event, else the log above.
 */
function failedFix(run: GroupRun, r: GroupResult, first: Cause | undefined): string {
  if (first && isAgentNotReceived(first.message)) {
    const justLaunched = r.failedInstances
      .filter((f) => isAgentNotReceived(f.message))
      .every((f: FailedInstance) => labelOf(r, f.instanceId) === 'Green')
    return `Fix: ${agentChecksText(run.region, justLaunched)} Console: ${r.url}`
  }
  if (r.advice) return `Fix: ${r.advice.fix} Console: ${r.url}`
  return `The failing instances and their script output are above; console: ${r.url}`
}

/** Why, after CodeDeploy's words: the silent agents, the rule's cause for the error code. */
function failedWhy(r: GroupResult, first: Cause | undefined): string {
  const silent = r.failedInstances.filter((f) => isAgentNotReceived(f.message)).length
  const agents =
    first && isAgentNotReceived(first.message)
      ? ` No CodeDeploy agent picked up the lifecycle event on ${silent === 1 ? 'that instance' : `${silent} instances`}.`
      : ''
  const byCode = r.advice && r.advice.rule === r.errorInformation?.code ? ` ${r.advice.cause}` : ''
  return `${byCode}${agents}`
}

/** Each failed instance's advice, read from the catalogue with what CodeDeploy says of the group. */
async function advise(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined,
  stoppedByAction: boolean
): Promise<void> {
  if (!r.failedInstances.length && !info?.errorInformation?.code) return
  const ev = await readEvidence(run, r, info)
  adviseInstances(r.failedInstances, ev.group)
  const a = adviseDeploymentOf(r, info, ev, stoppedByAction)
  if (a) r.advice = a
}

export async function failed(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo,
  deadline: number,
  pt: PlanAndTraffic
): Promise<void> {
  r.outcome = r.status === 'Stopped' ? 'stopped' : 'failed'
  r.failedInstances = failedInstancesOf(r.instances)
  if (pt.traffic) r.failedInstances = await pt.traffic.explain(r.failedInstances)
  await advise(run, r, info, false)
  reportFailure(run.ctx.log, r.id, info, r.failedInstances, r.url, r.advice)
  const rollback = await followRollback(run, r, info, deadline)
  const replacementFleet = await applyFailedReplacementFleet(run, r, info, pt)
  const first = distinctCauses(r.failedInstances)[0]
  const why = first
    ? ` ${plural(r.failedInstances.length, 'instance')} failed, first cause: ${firstCauseText(first)}.`
    : ''
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' ${endedText(r.status)}${errorText(info)}.${why}${failedWhy(r, first)}${rollback}${replacementFleet}`,
    failedFix(run, r, first)
  )
}

export async function timedOut(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  pt: PlanAndTraffic
): Promise<void> {
  const { settings } = run
  const minutes = minutesText(settings.waitTimeoutMinutes)
  r.outcome = 'timed-out'
  if (settings.onTimeout === 'stop') {
    run.ctx.log.info(
      `Deployment ${r.id} did not finish within wait-timeout (${minutes}); stopping it (on-timeout: stop).`
    )
    const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
    const after = await afterStop(run, r, stopped, pt)
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}) and was stopped (status ${r.status || 'unknown'}).${rollbackStartedText(r)}${after}`,
      `Raise wait-timeout if the deployment needs longer${trafficRerouteHint(run, pt, ', or set wait-until: traffic-rerouted')}; console: ${r.url}`
    )
  } else {
    const where = await sayWhereTrafficIs(run, r, pt)
    r.error = new ActionError(
      `Deployment ${r.id} to '${r.group}' did not finish within wait-timeout (${minutes}); it is still running (status ${r.status || 'unknown'}).${where}`,
      `Follow it in the console (${r.url}); raise wait-timeout${trafficRerouteHint(run, pt, ', set wait-until: traffic-rerouted')}, or set on-timeout: stop to stop it instead.`
    )
  }
  r.failedInstances = failedInstancesOf(r.instances)
  await advise(run, r, w.info, settings.onTimeout === 'stop')
}

export async function cancelled(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  pt: PlanAndTraffic
): Promise<void> {
  const { log } = run.ctx
  r.outcome = 'cancelled'
  let after = ''
  let became = 'it was left running'
  if (run.settings.stopOnCancel) {
    log.info(`The workflow was cancelled: stopping deployment ${r.id}.`)
    const stopped = await stopAndConfirm(run, r, w.info, CANCEL_CONFIRM_MS)
    // The runner kills the step seconds after the cancel: one quick look, the replacement fleet in the post step.
    after = await afterStop(run, r, stopped, pt, false)
    became = `it was stopped (status ${r.status})`
  } else {
    log.info(
      `The workflow was cancelled; deployment ${r.id} keeps running (stop-on-cancel: false). ${r.url}`
    )
  }
  r.error = new ActionError(
    `The workflow was cancelled while deployment ${r.id} to '${r.group}' was running; ${became}.${after}`,
    `Console: ${r.url}`
  )
}

/** on-agent-silence: fail. Stopped as on-timeout: stop does, honouring auto-rollback. */
export async function haltedOnSilence(
  run: GroupRun,
  r: GroupResult,
  w: WaitResult,
  watch: AgentWatch,
  pt: PlanAndTraffic
): Promise<void> {
  const silent = watch.silentNow()
  run.ctx.log.info(
    `Stopping deployment ${r.id}: the CodeDeploy agent on ${plural(silent.length, 'instance')} did not pick up its lifecycle event within agent-silence-timeout (on-agent-silence: fail).`
  )
  const stopped = await stopAndConfirm(run, r, w.info, STOP_CONFIRM_MS)
  r.outcome = 'stopped'
  r.failedInstances = failedInstancesOf(r.instances)
  await advise(run, r, w.info, true)
  const after = await afterStop(run, r, stopped, pt)
  const justLaunched = silent.every((s) => s.label === 'Green')
  r.error = new ActionError(
    `Deployment ${r.id} to '${r.group}' was stopped (status ${r.status || 'unknown'}): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout (${minutesText(run.settings.agentSilenceTimeoutMinutes)}) on ${silentList(silent)}.${rollbackStartedText(r)}${after}`,
    `${agentChecksText(run.region, justLaunched)} Console: ${r.url}`
  )
}

/** " Fix: …" for the first cause, when the catalogue knows one. */
function fixOf(first: Cause): string {
  return first.advice ? ` Fix: ${first.advice.fix}` : ''
}

function labelOf(r: GroupResult, instanceId: string): string | undefined {
  return r.instances.find((i) => i.instanceId === instanceId)?.label
}
