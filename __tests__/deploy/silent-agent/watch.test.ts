import { describe, expect, it } from '@jest/globals'
import {
  AGENT_NOT_RECEIVED,
  agentChecks,
  isAgentNotReceived
} from '../../../src/advice/agent-checks.js'
import {
  AgentWatch,
  eventAwaitingAgent,
  silenceWarning
} from '../../../src/deploy/silent-agent/watch.js'
import type { InstanceView, LifecycleEventView } from '../../../src/deploy/types.js'
import { HOOKS } from '../fake-codedeploy.js'

const T0 = 1_700_000_000_000
const MIN = 60_000

/** An instance whose first `done` events succeeded (a minute each from T0), the rest as given. */
function instance(
  id: string,
  status: string,
  opts: {
    done?: number
    running?: boolean
    names?: string[]
    lastUpdatedAt?: number
    label?: string
  } = {}
): InstanceView {
  const names = opts.names ?? HOOKS
  const done = opts.done ?? 0
  const events: LifecycleEventView[] = names.map((name, i) => {
    if (i < done)
      return {
        name,
        status: 'Succeeded',
        startedAt: new Date(T0 + i * MIN),
        endedAt: new Date(T0 + (i + 1) * MIN)
      }
    if (i === done && opts.running)
      return { name, status: 'InProgress', startedAt: new Date(T0 + i * MIN) }
    return { name, status: 'Pending' }
  })
  return {
    instanceId: id,
    status,
    events,
    ...(opts.lastUpdatedAt !== undefined ? { lastUpdatedAt: new Date(opts.lastUpdatedAt) } : {}),
    ...(opts.label ? { label: opts.label } : {})
  }
}

describe('eventAwaitingAgent: which instances wait for their agent', () => {
  it('an instance whose turn came and whose first event never started waits since its turn', () => {
    const i = instance('i-1', 'InProgress', { lastUpdatedAt: T0 })
    expect(eventAwaitingAgent(i, [i])).toEqual({ event: 'ApplicationStop', since: T0 })
  })

  it('an instance waiting for its turn (OneAtATime) never counts', () => {
    const i = instance('i-2', 'Pending', { lastUpdatedAt: T0 })
    expect(eventAwaitingAgent(i, [i])).toBeUndefined()
  })

  it('an instance running an event does not count, however long the event runs', () => {
    const i = instance('i-1', 'InProgress', { done: 2, running: true, lastUpdatedAt: T0 })
    expect(eventAwaitingAgent(i, [i])).toBeUndefined()
  })

  it('an agent lost mid-deployment: the next event waits since the previous one ended', () => {
    const i = instance('i-1', 'InProgress', { done: 3, lastUpdatedAt: T0 + 3 * MIN })
    expect(eventAwaitingAgent(i, [i])).toEqual({ event: 'Install', since: T0 + 3 * MIN })
  })

  it('finished, failed and Ready instances do not count', () => {
    for (const status of ['Succeeded', 'Failed', 'Skipped', 'Ready', 'Unknown']) {
      const i = instance('i-1', status, { lastUpdatedAt: T0 })
      expect(eventAwaitingAgent(i, [i])).toBeUndefined()
    }
  })

  it('the load balancer events CodeDeploy runs itself are never waiting for an agent', () => {
    const names = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic', ...HOOKS]
    const i = instance('i-1', 'InProgress', { names, done: 1 })
    expect(eventAwaitingAgent(i, [i])).toBeUndefined()
    const after = instance('i-1', 'InProgress', { names, done: 2 })
    expect(eventAwaitingAgent(after, [after])).toEqual({
      event: 'AfterBlockTraffic',
      since: T0 + 2 * MIN
    })
  })

  it('blue/green: an original (Blue) instance does not count while a replacement still installs', () => {
    const names = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic']
    const blue = instance('i-b', 'InProgress', { names, lastUpdatedAt: T0, label: 'Blue' })
    const green = instance('i-g', 'InProgress', { done: 2, running: true, label: 'Green' })
    expect(eventAwaitingAgent(blue, [blue, green])).toBeUndefined()
    const greenDone = { ...green, status: 'Succeeded' }
    expect(eventAwaitingAgent(blue, [blue, greenDone])).toEqual({
      event: 'BeforeBlockTraffic',
      since: T0
    })
  })
})

describe('AgentWatch', () => {
  it('calls an instance silent once, after the timeout, and says when its agent answers', () => {
    const watch = new AgentWatch(5 * MIN)
    const waiting = instance('i-1', 'InProgress', { lastUpdatedAt: T0, label: 'Green' })
    const other = instance('i-2', 'InProgress', { done: 1, running: true, lastUpdatedAt: T0 })
    // The action watches from the deployment's start: it sees the turn come.
    expect(watch.observe([waiting, other], T0)).toEqual({ newlySilent: [], answered: [] })
    expect(watch.observe([waiting, other], T0 + 4 * MIN)).toEqual({ newlySilent: [], answered: [] })
    const first = watch.observe([waiting, other], T0 + 5 * MIN + 1000)
    expect(first.newlySilent).toEqual([
      {
        instanceId: 'i-1',
        label: 'Green',
        event: 'ApplicationStop',
        since: T0,
        silentMs: 5 * MIN + 1000
      }
    ])
    // Not again at the next look; still silent now.
    expect(watch.observe([waiting, other], T0 + 6 * MIN).newlySilent).toEqual([])
    expect(watch.silentNow().map((s) => s.silentMs)).toEqual([6 * MIN])
    const started = instance('i-1', 'InProgress', {
      running: true,
      lastUpdatedAt: T0 + 7 * MIN,
      label: 'Green'
    })
    const later = watch.observe([started, other], T0 + 7 * MIN)
    expect(later.answered.map((s) => s.instanceId)).toEqual(['i-1'])
    expect(watch.silentNow()).toEqual([])
    expect(watch.everSilent().map((s) => s.instanceId)).toEqual(['i-1'])
  })

  it('without CodeDeploy times, counts from the first look', () => {
    const watch = new AgentWatch(5 * MIN)
    const i = instance('i-1', 'InProgress')
    expect(watch.observe([i], T0).newlySilent).toEqual([])
    expect(watch.observe([i], T0 + 5 * MIN - 1).newlySilent).toEqual([])
    expect(watch.observe([i], T0 + 5 * MIN).newlySilent).toHaveLength(1)
  })

  it('a clock behind CodeDeploy never makes the silence negative or early', () => {
    const watch = new AgentWatch(5 * MIN)
    const i = instance('i-1', 'InProgress', { lastUpdatedAt: T0 + 10 * MIN })
    expect(watch.observe([i], T0).newlySilent).toEqual([])
    expect(watch.observe([i], T0 + 14 * MIN).newlySilent).toEqual([])
    expect(watch.observe([i], T0 + 15 * MIN).newlySilent).toHaveLength(1)
  })

  it('a lastUpdatedAt older than the turn (or a clock ahead of AWS) does not call it silent at once', () => {
    const watch = new AgentWatch(5 * MIN)
    // Seen Pending for 20 minutes (OneAtATime), then its turn comes with an old lastUpdatedAt.
    const pending = instance('i-2', 'Pending', { lastUpdatedAt: T0 })
    for (let m = 0; m <= 20; m += 5)
      expect(watch.observe([pending], T0 + m * MIN).newlySilent).toEqual([])
    const turn = instance('i-2', 'InProgress', { lastUpdatedAt: T0 })
    expect(watch.observe([turn], T0 + 20 * MIN + 5000).newlySilent).toEqual([])
    expect(watch.observe([turn], T0 + 25 * MIN).newlySilent).toEqual([])
    expect(watch.observe([turn], T0 + 25 * MIN + 5000).newlySilent).toHaveLength(1)
  })

  it('an instance CodeDeploy failed, or a stop skipped, is not reported as answered', () => {
    const watch = new AgentWatch(MIN)
    const i = instance('i-1', 'InProgress', { lastUpdatedAt: T0 })
    watch.observe([i], T0)
    expect(watch.observe([i], T0 + 2 * MIN).newlySilent).toHaveLength(1)
    const failed: InstanceView = {
      ...i,
      status: 'Failed',
      events: i.events.map((e, n) =>
        n === 0
          ? { ...e, status: 'Failed', message: AGENT_NOT_RECEIVED }
          : { ...e, status: 'Skipped' }
      )
    }
    expect(watch.observe([failed], T0 + 61 * MIN).answered).toEqual([])
    expect(watch.everSilent()).toHaveLength(1)
  })
})

describe('what the user reads', () => {
  it('the warning names the instances, the time, CodeDeploy own words and the checks in order', () => {
    const text = silenceWarning(
      [
        { instanceId: 'i-0abc', event: 'ApplicationStop', since: T0, silentMs: 5 * MIN + 12_000 },
        { instanceId: 'i-0def', event: 'ApplicationStop', since: T0, silentMs: 6 * MIN }
      ],
      5,
      'eu-west-1'
    )
    expect(text).toContain(
      'The CodeDeploy agents on 2 instances have not picked up their lifecycle events for over 5 minutes (agent-silence-timeout): i-0abc waiting for ApplicationStop for 5m 12s; i-0def waiting for ApplicationStop for 6m 0s.'
    )
    expect(text).toContain(AGENT_NOT_RECEIVED)
    const order = [
      'systemctl status codedeploy-agent',
      '/var/log/aws/codedeploy-agent/codedeploy-agent.log',
      '/var/log/cloud-init-output.log',
      'com.amazonaws.eu-west-1.codedeploy',
      'instance profile'
    ].map((s) => text.indexOf(s))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('labels blue/green replacements and says they were just launched', () => {
    const text = silenceWarning(
      [{ instanceId: 'i-g', label: 'Green', event: 'ApplicationStop', since: T0, silentMs: MIN }],
      1,
      'us-east-1'
    )
    expect(text).toContain('1 instance has not picked up its lifecycle event for over 1 minute')
    expect(text).toContain('i-g (Green) waiting for ApplicationStop')
    expect(text).toContain('these instances were just launched')
    expect(agentChecks('us-east-1', false)[2]).toContain('on an instance launched recently')
  })

  it('recognises CodeDeploy own failure for a silent agent', () => {
    expect(isAgentNotReceived(AGENT_NOT_RECEIVED)).toBe(true)
    expect(isAgentNotReceived('Script at specified location: x failed')).toBe(false)
    expect(isAgentNotReceived(undefined)).toBe(false)
  })
})
