// Why a deployment failed: per failed instance, the event, error code, script, message and log tail.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import type { Advice } from '../../advice/types.js'
import type { Logger } from '../../common/log.js'
import { firstAndMore } from '../../common/plural.js'
import type { FailedInstance, InstanceView } from '../types.js'

/** Log groups shown one per failed instance; beyond this the rest are summed up (causes still annotated). */
export const LOGGED_INSTANCES_MAX = 30
/** GitHub shows at most 10 error annotations per step; keep room for the step's own failure line. */
export const ANNOTATED_CAUSES_MAX = 8

export function failedInstancesOf(instances: InstanceView[]): FailedInstance[] {
  return instances
    .filter((i) => i.status === 'Failed' || i.events.some((e) => e.status === 'Failed'))
    .map((i) => {
      const e = i.events.find((ev) => ev.status === 'Failed')
      return {
        instanceId: i.instanceId,
        ...(i.label ? { label: i.label } : {}),
        lifecycleEvent: e?.name ?? '',
        errorCode: e?.errorCode ?? '',
        script: e?.script ?? '',
        message: e?.message ?? '',
        logTail: e?.logTail ?? ''
      }
    })
}

export interface Cause {
  lifecycleEvent: string
  errorCode: string
  script: string
  message: string
  instanceIds: string[]
  /** The first instance's traffic explanation, when it has one. */
  explanation?: string
  /** The first instance's advice, when the catalogue knows the failure. */
  advice?: Advice
}

/** Failed instances grouped by what went wrong (event, error code, script, message), most frequent first. */
export function distinctCauses(failed: FailedInstance[]): Cause[] {
  const byKey = new Map<string, Cause>()
  for (const f of failed) {
    const key = JSON.stringify([f.lifecycleEvent, f.errorCode, f.script, f.message])
    const cause = byKey.get(key)
    if (cause) cause.instanceIds.push(f.instanceId)
    else
      byKey.set(key, {
        ...pick(f),
        instanceIds: [f.instanceId],
        ...(f.explanation ? { explanation: f.explanation } : {}),
        ...(f.advice ? { advice: f.advice } : {})
      })
  }
  return [...byKey.values()].sort((a, b) => b.instanceIds.length - a.instanceIds.length)
}

function pick(f: FailedInstance): Omit<Cause, 'instanceIds'> {
  return {
    lifecycleEvent: f.lifecycleEvent,
    errorCode: f.errorCode,
    script: f.script,
    message: f.message
  }
}

/** "BeforeInstall ScriptFailed in scripts/x.sh": the first cause, for a one-line message. */
export function firstCauseText(c: Cause): string {
  const inScript = c.script ? ` in ${c.script}` : ''
  return `${c.lifecycleEvent} ${c.errorCode}${inScript}`
}

/** "ValidateService failed on 3 instances (i-1, i-2, i-3): ScriptFailed in scripts/check.sh: <message>" */
export function causeText(c: Cause): string {
  const where = c.lifecycleEvent ? `${c.lifecycleEvent} failed` : 'Failed'
  const n = c.instanceIds.length
  const instances = n === 1 ? 'instance' : `${n} instances`
  const on = `on ${instances} (${firstAndMore(c.instanceIds, 5)})`
  const what = [c.errorCode, c.script ? `in ${c.script}` : ''].filter(Boolean).join(' ')
  const base = `${where} ${on}${what ? `: ${what}` : ''}${c.message ? `: ${c.message}` : ''}`
  return c.explanation ? `${base.replace(/\.?$/, '.')} ${c.explanation}` : base
}

/** " Cause. Fix: …" after a failure's own words, or '' when no rule knows it. */
export function adviceText(a: Advice | undefined): string {
  return a ? ` ${a.cause} Fix: ${a.fix}` : ''
}

/** The cause's line with its advice: for an annotation. */
export function causeWithAdvice(c: Cause): string {
  const base = causeText(c)
  return c.advice ? `${base.replace(/\.?$/, '.')}${adviceText(c.advice)}` : base
}

/**
 * Script output is untrusted: the runner treats a line starting with "::" (after spaces) as a workflow command.
 * A visible prefix on every line keeps it plain text.
 */
export function quoteLogTail(logTail: string): string {
  return logTail
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `| ${l}`)
    .join('\n')
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** Prints the diagnosis: CodeDeploy's own error, a group per failed instance, one error annotation per distinct cause. */
export function reportFailure(
  log: Logger,
  deploymentId: string,
  info: DeploymentInfo,
  failed: FailedInstance[],
  url: string,
  advice?: Advice
): void {
  const ei = info.errorInformation
  const status = info.status ?? 'Failed'
  log.info(
    `Deployment ${deploymentId} ${status}${ei?.code || ei?.message ? `: ${[ei.code, ei.message].filter(Boolean).join(': ')}` : ''}`
  )
  for (const f of failed.slice(0, LOGGED_INSTANCES_MAX)) {
    log.startGroup(
      `${f.instanceId}${f.label ? ` (${f.label})` : ''}: ${f.lifecycleEvent || 'failed'}${f.errorCode ? ` (${f.errorCode})` : ''}`
    )
    log.info(`Lifecycle event: ${f.lifecycleEvent || '(unknown)'}`)
    log.info(`Error code: ${f.errorCode || '(none)'}`)
    log.info(`Script: ${f.script || '(none)'}`)
    log.info(`Message: ${oneLine(f.message) || '(none)'}`)
    if (f.explanation) log.info(`Load balancer: ${f.explanation}`)
    if (f.advice) log.info(`Cause: ${f.advice.cause}\nFix: ${f.advice.fix}`)
    log.info(f.logTail ? `Log tail:\n${quoteLogTail(f.logTail)}` : 'Log tail: (empty)')
    log.endGroup()
  }
  if (failed.length > LOGGED_INSTANCES_MAX) {
    log.info(
      `${failed.length - LOGGED_INSTANCES_MAX} more failed instances are not shown one by one; every cause is annotated below and all are in the failed-instances output.`
    )
  }
  const causes = distinctCauses(failed)
  const title = `CodeDeploy deployment ${deploymentId} ${status.toLowerCase()}`
  // Each cause ends with the catalogue's fix when a rule knows it (a silent agent: what to check).
  for (const c of causes.slice(0, ANNOTATED_CAUSES_MAX)) log.error(causeWithAdvice(c), { title })
  if (causes.length > ANNOTATED_CAUSES_MAX) {
    const rest = causes.slice(ANNOTATED_CAUSES_MAX)
    const n = rest.reduce((sum, c) => sum + c.instanceIds.length, 0)
    log.error(
      `${rest.length} more distinct causes on ${n} instances: see the log and the failed-instances output.`,
      { title }
    )
  }
  if (causes.length === 0 && ei) {
    log.error(
      `${[ei.code, ei.message].filter(Boolean).join(': ') || status}${adviceText(advice)}`,
      {
        title
      }
    )
  }
  log.info(`Console: ${url}`)
}
