// Following one deployment to a terminal state: GetDeployment at a steady pace, lines only on change.
import type { DeployContext } from '../context.js'
import { GetDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { AwsCallError } from '../../common/errors.js'
import { isAccessDenied, isThrottling, isTransient } from '../../aws/aws-errors.js'
import { codeDeployCallError } from '../../aws/codedeploy-errors.js'
import { describeChanges, type Overview, type Snapshot } from './progress.js'
import { backoffMs } from '../../aws/retry.js'
import { getInstances, listTargetIds, TARGETS_PER_BATCH } from './deployment-targets.js'
import type { InstanceView } from '../types.js'

export const TERMINAL_STATUSES = new Set(['Succeeded', 'Failed', 'Stopped'])

/** Give up after this many failed GetDeployment calls in a row (throttling, 5xx, network). */
export const MAX_CONSECUTIVE_ERRORS = 10

/**
 * How long a GetDeployment call (the SDK's retries included) may run past the deadline. Without
 * this bound a CodeDeploy that stops answering keeps the step in one call for the SDK's attempts
 * times its socket timeout, minutes past wait-timeout.
 */
export const CALL_GRACE_MS = 10_000

/**
 * Time between GetDeployment calls: 1 s at first (short deployments end quickly), then 2 s, then 3 s.
 * Median lag after the terminal state stays around 1-1.5 s, at no more than one call a second.
 */
export function pollDelayMs(elapsedMs: number): number {
  if (elapsedMs < 10_000) return 1000
  if (elapsedMs < 5 * 60_000) return 2000
  return 3000
}

/** Time between instance refreshes: each costs a list call and one call per 25 instances, so many instances refresh less often. */
export function targetsRefreshMs(instanceCount: number): number {
  const batches = Math.max(1, Math.ceil(instanceCount / TARGETS_PER_BATCH))
  return Math.max(5000, batches * 1500)
}

export interface WaitOptions extends DeployContext {
  deploymentId: string
  /** Epoch ms after which we stop waiting. */
  deadline: number
  /** Fetch and print each instance's lifecycle event while InProgress (default true). */
  trackInstances?: boolean
  /**
   * Called with the instances after each refresh while the deployment runs; 'halt' ends the wait
   * (kind 'halted') so the caller can act, e.g. stop a deployment whose agents are silent.
   */
  onInstances?: (instances: InstanceView[]) => 'continue' | 'halt' | Promise<'continue' | 'halt'>
  /**
   * Called with each GetDeployment answer that is not terminal; a name ends the wait there (kind
   * 'reached'): a blue/green deployment in Ready, or with its traffic rerouted.
   */
  until?: (info: DeploymentInfo) => string | undefined
  /** Called with each GetDeployment answer, before anything is printed (e.g. to learn the deployment's style). */
  onInfo?: (info: DeploymentInfo) => Promise<void> | void
  /** What was last printed, kept across waits on one deployment so a line is never repeated. */
  progress?: { printed?: Snapshot }
}

/** `instances`: the last fetched, refreshed at the terminal state when tracking; absent when never fetched. */
export type WaitResult =
  | { kind: 'terminal'; info: DeploymentInfo; instances?: InstanceView[] }
  | { kind: 'timed-out'; info?: DeploymentInfo; instances?: InstanceView[] }
  | { kind: 'cancelled'; info?: DeploymentInfo; instances?: InstanceView[] }
  | { kind: 'halted'; info: DeploymentInfo; instances: InstanceView[] }
  | { kind: 'reached'; reached: string; info: DeploymentInfo; instances?: InstanceView[] }

function toOverview(info: DeploymentInfo): Overview | undefined {
  const o = info.deploymentOverview
  if (!o) return undefined
  return {
    Pending: o.Pending ?? 0,
    InProgress: o.InProgress ?? 0,
    Succeeded: o.Succeeded ?? 0,
    Failed: o.Failed ?? 0,
    Skipped: o.Skipped ?? 0,
    Ready: o.Ready ?? 0
  }
}

function overviewTotal(o: Overview | undefined): number {
  return o ? o.Pending + o.InProgress + o.Succeeded + o.Failed + o.Skipped + o.Ready : 0
}

/** Polls GetDeployment until Succeeded, Failed or Stopped, the deadline, or the signal. Throws AwsCallError when CodeDeploy cannot be asked. */
export async function waitForDeployment(opts: WaitOptions): Promise<WaitResult> {
  const { deploymentId, codedeploy, log, sleep, now, deadline, signal } = opts
  const started = now()
  const progress = opts.progress ?? {}
  let info: DeploymentInfo | undefined
  let failures = 0
  let trackInstances = opts.trackInstances ?? true
  let targetIds: string[] = []
  let instances: InstanceView[] | undefined
  let nextTargetsRefresh = 0
  async function refreshInstances(overview: Overview | undefined, final: boolean): Promise<void> {
    // While running, one attempt per call: a failed refresh is simply tried again at the next one.
    // At the end the diagnosis depends on it, so the calls are retried.
    const targetsClient = { codedeploy, log, sleep, signal, attempts: final ? 6 : 1 }
    try {
      if (targetIds.length === 0 || targetIds.length < overviewTotal(overview)) {
        targetIds = await listTargetIds(deploymentId, targetsClient)
      }
      if (targetIds.length) instances = await getInstances(deploymentId, targetIds, targetsClient)
    } catch (err) {
      if (err instanceof AwsCallError && isAccessDenied(err.cause)) {
        log.warning(
          `Not showing per-instance progress (nor watching for silent agents): ${err.describe()}`
        )
        trackInstances = false
      } else if (final) {
        log.warning(
          `Could not read the instances' final state: ${err instanceof Error ? err.message : String(err)}`
        )
      } else {
        log.debug(
          `Instance progress skipped this time: ${err instanceof Error ? err.message : String(err)}`
        )
      }
    }
    nextTargetsRefresh = now() + targetsRefreshMs(targetIds.length)
  }

  for (;;) {
    if (signal?.aborted) return { kind: 'cancelled', info, instances }
    const pastDeadline = now() >= deadline
    let delay: number
    const overdue = new AbortController()
    const timer = setTimeout(() => overdue.abort(), Math.max(0, deadline - now()) + CALL_GRACE_MS)
    timer.unref()
    try {
      const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId }), {
        abortSignal: signal ? AbortSignal.any([signal, overdue.signal]) : overdue.signal
      })
      failures = 0
      info = out.deploymentInfo ?? {}
      await opts.onInfo?.(info)
      const status = info.status ?? 'Unknown'
      const overview = toOverview(info)
      const terminal = TERMINAL_STATUSES.has(status)
      if (
        trackInstances &&
        (terminal || (status === 'InProgress' && now() >= nextTargetsRefresh))
      ) {
        await refreshInstances(overview, terminal)
      }
      const snapshot: Snapshot = { status, overview, instances }
      for (const line of describeChanges(deploymentId, progress.printed, snapshot)) log.info(line)
      const refreshed = instances !== progress.printed?.instances
      progress.printed = snapshot
      // Also shown the final instances (an agent that answered just before the end is reported).
      const verdict = refreshed && instances ? await opts.onInstances?.(instances) : undefined
      if (terminal) return { kind: 'terminal', info, instances }
      if (verdict === 'halt') return { kind: 'halted', info, instances: instances! }
      const reached = opts.until?.(info)
      if (reached) return { kind: 'reached', reached, info, instances }
      delay = pollDelayMs(now() - started)
    } catch (err) {
      if (signal?.aborted) return { kind: 'cancelled', info, instances }
      if (overdue.signal.aborted) {
        log.warning(
          `CodeDeploy did not answer GetDeployment for ${deploymentId} within ${CALL_GRACE_MS / 1000} s after wait-timeout; giving up waiting.`
        )
        return { kind: 'timed-out', info, instances }
      }
      failures++
      if (!isTransient(err))
        throw codeDeployCallError(
          'GetDeployment',
          err,
          isAccessDenied(err)
            ? undefined
            : `Check that deployment ${deploymentId} exists in this region.`
        )
      if (failures >= MAX_CONSECUTIVE_ERRORS) {
        const e = codeDeployCallError('GetDeployment', err)
        throw new AwsCallError(
          'GetDeployment',
          e.code,
          `${failures} calls in a row failed, the last with: ${(err as Error).message ?? ''}`,
          `Deployment ${deploymentId} may still be running: follow it in the console. ${e.fix ?? ''}`.trim(),
          err
        )
      }
      delay = backoffMs(failures, isThrottling(err), opts.random)
      log.debug(
        `GetDeployment failed (${failures} in a row), retrying in ${delay} ms: ${(err as Error).message ?? ''}`
      )
    } finally {
      clearTimeout(timer)
    }
    if (pastDeadline) return { kind: 'timed-out', info, instances }
    // The last call is made at the deadline, so a deployment finishing just before it is not reported as timed out.
    await sleep(Math.max(0, Math.min(delay, deadline - now())), signal)
  }
}
