// The deployments part of the job summary (Markdown). Pure. Script output is untrusted: everything is escaped.
import { escapeHtml, escapeText } from './escape.js'
import { agentChecks, isAgentNotReceived } from '../advice/agent-checks.js'
import { causeText, distinctCauses } from '../deploy/run/diagnose.js'
import { HOOK_ORDER } from '../deploy/codedeploy/progress.js'
import { formatDuration } from '../common/duration.js'
import type {
  DeploymentsResult,
  GroupResult,
  InstanceView,
  LifecycleEventView
} from '../deploy/types.js'
import { plural } from '../common/plural.js'

/** GitHub refuses a step summary over 1 MiB; this leaves room for the bundle and S3 parts. */
export const SUMMARY_BUDGET_BYTES = 900 * 1024

export interface SummaryLimits {
  /** Rows for failed instances in the instance table. */
  failedRows: number
  /** Rows for the other instances. */
  otherRows: number
  /** Failed instances whose log tail is shown. */
  logTails: number
  /** Characters of each log tail shown (the agent keeps about 2,048). */
  logTailChars: number
  /** Distinct failure causes listed. */
  causes: number
}

export const DEFAULT_LIMITS: SummaryLimits = {
  failedRows: 100,
  otherRows: 20,
  logTails: 10,
  logTailChars: 4096,
  causes: 20
}
const FALLBACK_LIMITS: SummaryLimits[] = [
  { failedRows: 50, otherRows: 10, logTails: 5, logTailChars: 2048, causes: 10 },
  { failedRows: 10, otherRows: 5, logTails: 2, logTailChars: 1024, causes: 5 },
  { failedRows: 0, otherRows: 0, logTails: 0, logTailChars: 0, causes: 3 }
]

const STATUS_ICON: Record<string, string> = {
  Succeeded: '✅',
  Failed: '❌',
  Stopped: '⏹️',
  Skipped: '⏭️',
  InProgress: '⏳',
  Pending: '⏸️',
  Created: '🆕',
  Queued: '⏸️',
  Ready: '⏳',
  Baking: '⏳'
}

function icon(status: string): string {
  return STATUS_ICON[status] ?? '❔'
}

function groupStatusText(g: GroupResult): string {
  switch (g.outcome) {
    case 'not-attempted':
      return 'not attempted'
    case 'timed-out':
      return `⏱️ timed out${g.status ? ` (${g.status})` : ''}`
    case 'cancelled':
      return `🚫 cancelled${g.status ? ` (${g.status})` : ''}`
    case 'rerouted':
      return `🔀 traffic rerouted (${g.status})`
    case 'ready':
      return `⏸️ Ready: waiting for the traffic switch`
    case 'skipped':
      return `⏭️ skipped: a newer commit is deployed`
    default:
      return `${icon(g.status)} ${g.status}`
  }
}

function durationOf(start?: Date, end?: Date): string {
  return start && end ? formatDuration(end.getTime() - start.getTime()) : ''
}

function instanceCounts(instances: InstanceView[]): string {
  const counts = new Map<string, number>()
  for (const i of instances) counts.set(i.status, (counts.get(i.status) ?? 0) + 1)
  return [...counts.entries()].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ')
}

/** Event names across instances, in hook order, unknown names after in first-seen order. */
export function eventColumns(instances: InstanceView[]): string[] {
  const seen: string[] = []
  for (const i of instances) for (const e of i.events) if (!seen.includes(e.name)) seen.push(e.name)
  const rank = (n: string): number => {
    const r = HOOK_ORDER.indexOf(n)
    return r >= 0 ? r : HOOK_ORDER.length + seen.indexOf(n)
  }
  return seen.sort((a, b) => rank(a) - rank(b))
}

function eventCell(e: LifecycleEventView | undefined): string {
  if (!e) return ''
  const d = durationOf(e.startedAt, e.endedAt)
  return `${icon(e.status)}${d ? ` ${d}` : ''}`
}

function instanceTable(instances: InstanceView[], columns: string[]): string[] {
  // Blue/green: which instances are the original (Blue) and which the replacement (Green).
  const labelled = instances.some((i) => i.label)
  const lines = [
    `| Instance |${labelled ? ' Fleet |' : ''} Status | ${columns.map(escapeText).join(' | ')} |`,
    `|---|${labelled ? '---|' : ''}---|${columns.map(() => '---|').join('')}`
  ]
  for (const i of instances) {
    const cells = columns.map((c) => eventCell(i.events.find((e) => e.name === c)))
    const labelCell = labelled ? ` ${LABEL_TEXT[i.label ?? ''] ?? escapeText(i.label ?? '')} |` : ''
    lines.push(
      `| ${escapeText(i.instanceId)} |${labelCell} ${icon(i.status)} ${escapeText(i.status)} | ${cells.join(' | ')} |`
    )
  }
  return lines
}

const LABEL_TEXT: Record<string, string> = {
  Blue: '🔵 Blue (original)',
  Green: '🟢 Green (replacement)'
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/** Per event across the deployment's instances: how many instances ended how, and how long it took. */
function eventStatsTable(instances: InstanceView[], columns: string[]): string[] {
  const lines = [
    '| Event | Succeeded | Failed | Skipped | Other | Median | Slowest |',
    '|---|---|---|---|---|---|---|'
  ]
  for (const c of columns) {
    let ok = 0
    let failed = 0
    let skipped = 0
    let other = 0
    const durations: number[] = []
    for (const i of instances) {
      const e = i.events.find((ev) => ev.name === c)
      if (!e) continue
      if (e.status === 'Succeeded') ok++
      else if (e.status === 'Failed') failed++
      else if (e.status === 'Skipped') skipped++
      else other++
      if (e.startedAt && e.endedAt) durations.push(e.endedAt.getTime() - e.startedAt.getTime())
    }
    durations.sort((a, b) => a - b)
    const med = durations.length ? formatDuration(median(durations)) : ''
    const max = durations.length ? formatDuration(durations[durations.length - 1] ?? 0) : ''
    lines.push(`| ${escapeText(c)} | ${ok} | ${failed} | ${skipped} | ${other} | ${med} | ${max} |`)
  }
  return lines
}

function link(text: string, url: string): string {
  return url ? `[${escapeText(text)}](${url})` : escapeText(text)
}

function renderGroup(g: GroupResult, limits: SummaryLimits, region: string): string[] {
  const out: string[] = [
    '',
    `#### ${groupStatusText(g)} ${escapeText(g.group)}: ${link(g.id, g.url)}`,
    ''
  ]
  const duration = durationOf(g.startedAt, g.endedAt)
  if (duration) out.push(`Duration: ${duration}`, '')
  if (g.plan) out.push(`Plan: ${escapeText(g.plan)}`, '')
  if (g.traffic) out.push(`Traffic: ${escapeText(g.traffic)}`, '')
  if (g.replacementFleet)
    out.push(
      `Replacement fleet: ${g.replacementFleet.deleted ? '🗑️ deleted. ' : '⚠️ still running. '}${escapeText(g.replacementFleet.note)}`,
      ''
    )
  const ei = g.errorInformation
  // The error already quotes CodeDeploy's errorInformation, and its fix points at the log: the message only.
  if (g.error) out.push(`**${escapeText(g.error.message)}**`, '')
  else if (ei?.code || ei?.message)
    out.push(`> ${escapeText([ei.code, ei.message].filter(Boolean).join(': '))}`, '')
  if (g.advice) {
    // The error's message already says the rule's cause; without an error, say it here.
    if (!g.error && g.advice.rule === ei?.code) out.push(`Why: ${escapeText(g.advice.cause)}`, '')
    out.push(`**How to fix:** ${escapeText(g.advice.fix)}`, '')
  }
  if (g.rollbackId) {
    out.push(
      `Rollback: ${link(g.rollbackId, g.rollbackUrl ?? '')}${g.rollbackStatus ? ` ${icon(g.rollbackStatus)} ${g.rollbackStatus}` : ''}`,
      ''
    )
  }

  if (g.failedInstances.length) {
    out.push(`##### Failures (${plural(g.failedInstances.length, 'instance')})`, '')
    const causes = distinctCauses(g.failedInstances)
    for (const c of causes.slice(0, limits.causes)) {
      out.push(`- ${escapeText(causeText(c))}`)
      if (c.advice)
        out.push(
          `  - Why: ${escapeText(c.advice.cause)}`,
          `  - How to fix: ${escapeText(c.advice.fix)}`
        )
    }
    if (causes.length > limits.causes)
      out.push(
        `- …and ${causes.length - limits.causes} more distinct causes (see the failed-instances output)`
      )
    out.push('')
    for (const f of g.failedInstances.slice(0, limits.logTails)) {
      if (!f.logTail) continue
      const tail =
        f.logTail.length > limits.logTailChars
          ? `…${f.logTail.slice(-limits.logTailChars)}`
          : f.logTail
      out.push(
        `<details><summary>${escapeHtml(`${f.instanceId}: ${f.lifecycleEvent} ${f.errorCode}`)} (log tail)</summary>`,
        '',
        `<pre>${escapeHtml(tail)}</pre>`,
        '</details>',
        ''
      )
    }
    const withTails = g.failedInstances.filter((f) => f.logTail).length
    if (withTails > limits.logTails) {
      out.push(
        `_Log tails of ${withTails - limits.logTails} more failed instances are in the step log and the failed-instances output._`,
        ''
      )
    }
  }

  out.push(...silentAgentsSection(g, limits, region))

  if (g.instances.length) {
    const columns = eventColumns(g.instances)
    const failed = g.instances.filter((i) => i.status === 'Failed')
    const others = g.instances.filter((i) => i.status !== 'Failed')
    const rows = [...failed.slice(0, limits.failedRows), ...others.slice(0, limits.otherRows)]
    out.push(`##### Instances (${escapeText(instanceCounts(g.instances))})`, '')
    if (rows.length) out.push(...instanceTable(rows, columns), '')
    const hidden = g.instances.length - rows.length
    if (hidden > 0) {
      const hiddenFailed = Math.max(0, failed.length - limits.failedRows)
      const ofThem = hiddenFailed ? ` (${hiddenFailed} of them failed)` : ''
      out.push(
        `_${plural(hidden, 'more instance')} not listed${ofThem}; every instance is counted below._`,
        ''
      )
    }
    if (hidden > 0 || g.instances.length > limits.otherRows)
      out.push(...eventStatsTable(g.instances, columns), '')
  }
  return out
}

/** Instances whose agent did not answer (found by the action, or failed so by CodeDeploy), and what to check. */
function silentAgentsSection(g: GroupResult, limits: SummaryLimits, region: string): string[] {
  const silent = g.silentAgents ?? []
  const failedSo = g.failedInstances.filter((f) => isAgentNotReceived(f.message))
  if (silent.length === 0 && failedSo.length === 0) return []
  const out: string[] = []
  if (silent.length) {
    out.push(
      `##### Silent agents (${plural(silent.length, 'instance')})`,
      '',
      'The CodeDeploy agent did not pick up its lifecycle event within agent-silence-timeout:',
      ''
    )
    const rows = Math.max(limits.causes, 3)
    for (const s of silent.slice(0, rows)) {
      const who = s.label ? `${s.instanceId} (${s.label})` : s.instanceId
      out.push(`- ${escapeText(who)}: ${escapeText(s.event)} waited ${formatDuration(s.silentMs)}`)
    }
    if (silent.length > rows) out.push(`- …and ${silent.length - rows} more`)
    out.push('')
  } else {
    out.push('##### No agent answered', '')
    out.push(
      `CodeDeploy failed ${plural(failedSo.length, 'instance')} because no CodeDeploy agent picked up the lifecycle event.`,
      ''
    )
  }
  // Our own text; the region is validated input. Backticks stay code spans.
  const justLaunched = silent.length > 0 && silent.every((s) => s.label === 'Green')
  out.push('Check, in order:', '')
  agentChecks(region, justLaunched).forEach((c, i) => out.push(`${i + 1}. ${escapeHtml(c)}`))
  out.push('')
  return out
}

function render(result: DeploymentsResult, limits: SummaryLimits): string {
  const lines = [
    '### Deployments',
    '',
    '| Group | Deployment | Status | Duration | Instances |',
    '|---|---|---|---|---|'
  ]
  for (const g of result.groups) {
    lines.push(
      `| ${escapeText(g.group)} | ${g.id ? link(g.id, g.url) : '—'} | ${groupStatusText(g)} | ${durationOf(g.startedAt, g.endedAt)} | ${escapeText(instanceCounts(g.instances))} |`
    )
  }
  for (const g of result.groups)
    if (g.outcome !== 'not-attempted') lines.push(...renderGroup(g, limits, result.region ?? ''))
  return lines.join('\n') + '\n'
}

/** Markdown for the deployments; shrinks detail until it fits `budgetBytes`. */
export function deploymentsMarkdown(
  result: DeploymentsResult,
  limits: SummaryLimits = DEFAULT_LIMITS,
  budgetBytes = SUMMARY_BUDGET_BYTES
): string {
  let text = render(result, limits)
  for (const smaller of FALLBACK_LIMITS) {
    if (Buffer.byteLength(text) <= budgetBytes) break
    text = render(result, smaller)
  }
  return text
}
