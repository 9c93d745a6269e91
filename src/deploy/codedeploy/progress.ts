// What changed between two looks at a deployment, and the lines that tell the user. Pure.
import { LIFECYCLE_EVENTS } from '../../appspec/lifecycle.js'
import { plural } from '../../common/plural.js'
import type { InstanceView } from '../types.js'

export interface Overview {
  Pending: number
  InProgress: number
  Succeeded: number
  Failed: number
  Skipped: number
  Ready: number
}

/** One look at a deployment: what GetDeployment said, and the instances when we fetched them. */
export interface Snapshot {
  status: string
  overview?: Overview
  instances?: InstanceView[]
}

/** Above this many instances, lifecycle progress is one aggregated line instead of a line per instance. */
export const PER_INSTANCE_LINES_MAX = 10

/** The order CodeDeploy runs hooks in (in-place, with and without a load balancer). */
export const HOOK_ORDER: readonly string[] = LIFECYCLE_EVENTS

const DONE = new Set(['Succeeded', 'Skipped'])

/** Where one instance is: the event it runs or waits for next, or its final state. */
export function instanceStage(instance: InstanceView): string {
  const { status, events } = instance
  if (status === 'Failed') {
    const failed = events.find((e) => e.status === 'Failed')
    return failed ? `Failed at ${failed.name}` : 'Failed'
  }
  if (status === 'Succeeded' || status === 'Skipped' || status === 'Ready') return status
  const running = events.find((e) => e.status === 'InProgress')
  if (running) return running.name
  const lastDone = events.map((e) => DONE.has(e.status)).lastIndexOf(true)
  const next =
    lastDone >= 0 ? events.slice(lastDone + 1).find((e) => e.status === 'Pending') : undefined
  return next ? next.name : status
}

function stageRank(stage: string): number {
  const hook = HOOK_ORDER.indexOf(stage)
  if (hook >= 0) return hook + 1
  if (stage === 'Pending') return 0
  if (stage === 'Succeeded' || stage === 'Ready' || stage === 'Skipped') return 100
  if (stage.startsWith('Failed')) return 101
  return 50
}

/** Instances per stage, in hook order: "ApplicationStart: 12 instances, ValidateService: 3". */
export function aggregateStages(instances: InstanceView[]): string {
  const counts = new Map<string, number>()
  for (const i of instances) {
    const stage = instanceStage(i)
    counts.set(stage, (counts.get(stage) ?? 0) + 1)
  }
  const ordered = [...counts.entries()].sort(
    (a, b) => stageRank(a[0]) - stageRank(b[0]) || a[0].localeCompare(b[0])
  )
  // Only the first count names its unit: "Install: 3 instances, AfterInstall: 1".
  return ordered
    .map(([stage, n], idx) => (idx === 0 ? `${stage}: ${plural(n, 'instance')}` : `${stage}: ${n}`))
    .join(', ')
}

const OVERVIEW_WORDS: [keyof Overview, string][] = [
  ['Succeeded', 'succeeded'],
  ['Failed', 'failed'],
  ['InProgress', 'in progress'],
  ['Pending', 'pending'],
  ['Skipped', 'skipped'],
  ['Ready', 'ready']
]

export function overviewText(o: Overview): string {
  const parts = OVERVIEW_WORDS.filter(([k]) => o[k] > 0).map(([k, word]) => `${o[k]} ${word}`)
  return parts.length ? parts.join(', ') : 'none yet'
}

function sameOverview(a: Overview | undefined, b: Overview | undefined): boolean {
  if (!a || !b) return a === b
  return OVERVIEW_WORDS.every(([k]) => a[k] === b[k])
}

function instanceLine(id: string, instance: InstanceView): string {
  const stage = instanceStage(instance)
  const who = instance.label ? `${instance.instanceId} (${instance.label})` : instance.instanceId
  if (stage.startsWith('Failed at')) {
    const failed = instance.events.find((e) => e.status === 'Failed')
    const code = failed?.errorCode ? ` (${failed.errorCode})` : ''
    return `${id} ${who}: ${stage}${code}`
  }
  return `${id} ${who}: ${stage}`
}

/** Per label for blue/green ("Green: Install: 3 instances; Blue: Pending: 3 instances"), else one list. */
function aggregateByLabel(instances: InstanceView[]): string {
  const labels = [...new Set(instances.map((i) => i.label ?? ''))]
  if (labels.length === 1 && labels[0] === '') return aggregateStages(instances)
  return labels
    .sort((a, b) => (a === 'Green' ? -1 : b === 'Green' ? 1 : a.localeCompare(b)))
    .map(
      (l) =>
        `${l || 'Unlabelled'}: ${aggregateStages(instances.filter((i) => (i.label ?? '') === l))}`
    )
    .join('; ')
}

/** The lines to print for `next`, given what was printed for `prev`; empty when nothing changed. */
export function describeChanges(
  deploymentId: string,
  prev: Snapshot | undefined,
  next: Snapshot
): string[] {
  const lines: string[] = []
  if (!prev || prev.status !== next.status) {
    lines.push(
      prev
        ? `${deploymentId}: ${next.status} (was ${prev.status})`
        : `${deploymentId}: ${next.status}`
    )
  }
  if (next.overview && !sameOverview(prev?.overview, next.overview)) {
    lines.push(`${deploymentId} instances: ${overviewText(next.overview)}`)
  }
  if (next.instances) {
    if (next.instances.length <= PER_INSTANCE_LINES_MAX) {
      const before = new Map((prev?.instances ?? []).map((i) => [i.instanceId, instanceStage(i)]))
      for (const i of next.instances) {
        if (before.get(i.instanceId) !== instanceStage(i)) lines.push(instanceLine(deploymentId, i))
      }
    } else {
      const text = aggregateByLabel(next.instances)
      if (!prev?.instances || aggregateByLabel(prev.instances) !== text) {
        lines.push(`${deploymentId} lifecycle events: ${text}`)
      }
    }
  }
  return lines
}
