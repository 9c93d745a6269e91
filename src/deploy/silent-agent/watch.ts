// A silent agent: an instance whose turn has come, but whose CodeDeploy agent has not picked up
// the lifecycle event waiting for it. Pure, apart from the memory AgentWatch keeps between looks.
//
// What CodeDeploy shows, and where that comes from:
// - The agent pulls its work: it long-polls PollHostCommand, then calls
//   PutHostCommandAcknowledgement, runs the event and calls PutHostCommandComplete (agent 1.8.1,
//   lib/instance_agent/plugins/codedeploy/command_poller.rb: next_command, acknowledge_command,
//   process_command). CodeDeploy can only dispatch; an event starts (InProgress, startTime) when
//   the agent acknowledges it. No agent: nothing ever starts.
// - An instance still waiting for its turn (OneAtATime, HalfAtATime batches) is Pending with every
//   event Pending (API reference: InstanceTarget.status, LifecycleEvent.status). It never counts.
// - An instance whose turn has come is InProgress; its lastUpdatedAt is when that happened. Its
//   first event (ApplicationStop; BeforeBlockTraffic with a load balancer) stays Pending, without
//   a startTime, for as long as no agent takes it. An agent that stops mid-deployment finishes the
//   running event, so it is the next event that stays Pending, from the previous one's endTime.
// - CodeDeploy fails such an event after one hour ("CodeDeploy has a one-hour timeout for the
//   CodeDeploy agent to respond to pending deployments": docs, Troubleshoot Amazon EC2 Auto
//   Scaling issues) with AGENT_NOT_RECEIVED below (aws/aws-codedeploy-agent issue #307).
// - BlockTraffic and AllowTraffic are run by CodeDeploy itself, not the agent: never counted.
// - Blue/green: the original (Blue) instances only get their events once the traffic moves, after
//   every replacement (Green) instance is done; until then they are not counted either.
import type { InstanceView, SilentInstance } from '../types.js'
import { formatDuration, minutesText } from '../../common/duration.js'
import { plural } from '../../common/plural.js'
import { AGENT_NOT_RECEIVED, agentChecksText } from '../../advice/agent-checks.js'

/** Events CodeDeploy runs itself (the load balancer's), which no agent picks up. */
const SERVICE_EVENTS = new Set(['BlockTraffic', 'AllowTraffic'])
const DONE = new Set(['Succeeded', 'Skipped'])

/** The event an instance's agent has yet to pick up, or undefined when it is not waiting for its agent. */
export function eventAwaitingAgent(
  instance: InstanceView,
  all: InstanceView[]
): { event: string; since?: number } | undefined {
  if (instance.status !== 'InProgress') return undefined
  const events = instance.events
  if (events.some((e) => e.status === 'InProgress')) return undefined
  const next = events.findIndex((e) => e.status === 'Pending')
  if (next < 0) return undefined
  if (!events.slice(0, next).every((e) => DONE.has(e.status))) return undefined
  const event = events[next]!
  if (SERVICE_EVENTS.has(event.name)) return undefined
  if (
    instance.label === 'Blue' &&
    all.some((i) => i.label === 'Green' && (i.status === 'Pending' || i.status === 'InProgress'))
  )
    return undefined
  const since = next === 0 ? instance.lastUpdatedAt : events[next - 1]!.endedAt
  return { event: event.name, since: since?.getTime() }
}

/**
 * Follows the instances across looks: which have waited for their agent longer than the timeout.
 * The wait counts from the later of CodeDeploy's time (lastUpdatedAt, the previous event's end)
 * and our first sight of it: the action watches a deployment from its creation, so our sight lags
 * by one refresh at most, and a lastUpdatedAt older than the instance's turn (or a clock that
 * differs from AWS's) can never make an instance silent the moment its turn comes.
 */
export class AgentWatch {
  private readonly timeoutMs: number
  private readonly firstSeen = new Map<string, number>()
  private readonly silent = new Map<string, SilentInstance>()
  private readonly seen = new Map<string, SilentInstance>()

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs
  }

  /** Looks at the instances once: the ones newly silent, and the silent ones whose agent has now answered. */
  observe(
    instances: InstanceView[],
    now: number
  ): { newlySilent: SilentInstance[]; answered: SilentInstance[] } {
    const newlySilent: SilentInstance[] = []
    const answered: SilentInstance[] = []
    const waiting = new Set<string>()
    for (const i of instances) {
      const awaiting = eventAwaitingAgent(i, instances)
      if (!awaiting) continue
      const key = `${i.instanceId}\n${awaiting.event}`
      waiting.add(key)
      if (!this.firstSeen.has(key)) this.firstSeen.set(key, now)
      const since = Math.max(awaiting.since ?? 0, this.firstSeen.get(key)!)
      const s: SilentInstance = {
        instanceId: i.instanceId,
        ...(i.label ? { label: i.label } : {}),
        event: awaiting.event,
        since,
        silentMs: now - since
      }
      if (s.silentMs < this.timeoutMs) continue
      if (!this.silent.has(key)) newlySilent.push(s)
      this.silent.set(key, s)
      this.seen.set(i.instanceId, s)
    }
    for (const [key, s] of this.silent) {
      if (waiting.has(key)) continue
      this.silent.delete(key)
      // No longer waiting: answered only if the event has started (not failed by CodeDeploy or skipped by a stop).
      const event = instances
        .find((i) => i.instanceId === s.instanceId)
        ?.events.find((e) => e.name === s.event)
      if (event && (event.status === 'InProgress' || event.status === 'Succeeded')) answered.push(s)
    }
    return { newlySilent, answered }
  }

  /** Every instance found silent at some look, with its longest silence. */
  everSilent(): SilentInstance[] {
    return [...this.seen.values()]
  }

  /** The instances silent at the last look. */
  silentNow(): SilentInstance[] {
    return [...this.silent.values()]
  }
}

function name(s: SilentInstance): string {
  return s.label ? `${s.instanceId} (${s.label})` : s.instanceId
}

/** "i-1 (Green) waiting for ApplicationStop for 5m 12s" per instance. */
export function silentList(silent: SilentInstance[], max = 10): string {
  const parts = silent
    .slice(0, max)
    .map((s) => `${name(s)} waiting for ${s.event} for ${formatDuration(s.silentMs)}`)
  if (silent.length > max) parts.push(`and ${silent.length - max} more`)
  return parts.join('; ')
}

/** The warning for instances found silent: who, how long, why it matters, what to check. */
export function silenceWarning(
  silent: SilentInstance[],
  timeoutMinutes: number,
  region: string
): string {
  const n = silent.length
  const justLaunched = silent.every((s) => s.label === 'Green')
  const notPickedUp =
    n === 1
      ? 'The CodeDeploy agent on 1 instance has not picked up its lifecycle event'
      : `The CodeDeploy agents on ${plural(n, 'instance')} have not picked up their lifecycle events`
  return (
    `${notPickedUp} for over ${minutesText(timeoutMinutes)} (agent-silence-timeout): ${silentList(silent)}. ` +
    `CodeDeploy itself fails such an instance only after an hour, with "${AGENT_NOT_RECEIVED}" ` +
    agentChecksText(region, justLaunched)
  )
}
