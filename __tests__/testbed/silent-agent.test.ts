// A silent CodeDeploy agent (one that is stopped, or stops mid-deployment): its next lifecycle
// event stays Pending until the agent comes back, or fails after CodeDeploy's one-hour timeout
// (scaled here by timing.timeScale) with the service's words. See testbed/README.md.
import { beforeAll, describe, expect, it, test } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  type InstanceTarget,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import {
  addFleet,
  admin,
  adminAnswer,
  bed,
  type Bed,
  codedeploy,
  instances,
  putBundle,
  settled,
  unique
} from '../support/bed.js'
import { appspec, tarBundle, type Tree } from '../support/fixtures.js'

let b: Bed
// Two applications, because timing.timeScale applies to the applications of its PUT /fleet:
// `fast` times a silent agent out after 7.2 s, `slow` after 36 s (time to bring it back).
const fast = unique('bed-silent-fast')
const slow = unique('bed-silent-slow')
const FAST_TIMEOUT_S = 3600 * 0.002
const instancesOf: Record<string, string[]> = {}

const NOT_RECEIVED =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `timing: { timeScale: 0.002 }
applications:
  - name: ${fast}
    groups:
      - { name: silent, instances: 1, agent: stopped, deploymentConfig: CodeDeployDefault.AllAtOnce }
      - name: one
        instances: [{}, { agent: stopped }]
        deploymentConfig: CodeDeployDefault.OneAtATime
`
  )
  await addFleet(
    b,
    `timing: { timeScale: 0.01 }
applications:
  - name: ${slow}
    groups:
      - { name: midway, instances: 1, deploymentConfig: CodeDeployDefault.AllAtOnce }
      - { name: restart, instances: 1, agent: stopped, deploymentConfig: CodeDeployDefault.AllAtOnce }
`
  )
  for (const app of [fast, slow])
    for (const i of await instances(b, app)) (instancesOf[`${app}/${i.group}`] ??= []).push(i.id)
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `probe` until it returns a value (not undefined), at most `timeoutMs`. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await probe()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`still waiting after ${timeoutMs} ms for ${what}`)
    await sleep(200)
  }
}

let counter = 0
async function deploy(app: string, group: string, files: Tree): Promise<string> {
  const key = `${app}/${++counter}.tgz`
  await putBundle(b, key, await tarBundle(files))
  const { deploymentId } = await codedeploy(b).send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } }
    })
  )
  return deploymentId!
}

/** The deployment's targets by instance id; undefined while the deployment is Created. */
async function targets(id: string, ids: string[]): Promise<Record<string, InstanceTarget>> {
  const cd = codedeploy(b)
  const status = (await cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!
    .status
  if (status === 'Created') return {}
  const out = await cd.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: ids })
  )
  return Object.fromEntries(
    out.deploymentTargets!.map((t) => [t.instanceTarget!.targetId!, t.instanceTarget!])
  )
}

async function target(id: string, instance: string): Promise<InstanceTarget | undefined> {
  return (await targets(id, [instance]))[instance]
}

/** The instance's target once it is InProgress (the deployment has reached it). */
function inProgress(id: string, instance: string): Promise<InstanceTarget> {
  return until('the target InProgress', async () => {
    const t = await target(id, instance)
    return t?.status === 'InProgress' ? t : undefined
  })
}

const event = (t: InstanceTarget, name: string): LifecycleEvent =>
  t.lifecycleEvents!.find((e) => e.lifecycleEventName === name)!

const statuses = (t: InstanceTarget) => t.lifecycleEvents!.map((e) => e.status)

const allPending = (t: InstanceTarget) => {
  expect(statuses(t)).toEqual(Array(7).fill('Pending'))
  for (const e of t.lifecycleEvents!) expect(e.startTime).toBeUndefined()
}

// A revision whose BeforeInstall hook runs for `seconds`.
const slowBundle = (app: string, seconds: number): Tree => ({
  'appspec.yml': appspec(
    { BeforeInstall: ['slow.sh'] },
    `  - source: /\n    destination: /opt/${app}\n`
  ),
  'slow.sh': `#!/bin/sh\nsleep ${seconds}\n`
})

// The deployments of a describe block are concurrent, each on a group of its own.
describe('an instance whose agent never picks up its command', () => {
  test.concurrent(
    'is InProgress with ApplicationStop Pending, then fails after the (scaled) hour with CodeDeploy’s words',
    async () => {
      const [instance] = instancesOf[`${fast}/silent`]!
      expect((await instances(b, fast)).find((i) => i.id === instance)).toMatchObject({
        agent: 'emulated',
        agentState: 'stopped'
      })
      const id = await deploy(fast, 'silent', slowBundle(fast, 0))
      const waiting = await inProgress(id, instance!)
      allPending(waiting)
      await sleep(1500)
      const still = (await target(id, instance!))!
      expect(still.status).toBe('InProgress')
      expect(still.lastUpdatedAt).toEqual(waiting.lastUpdatedAt)
      allPending(still)
      const info = await settled(codedeploy(b), id, 30_000)
      expect(info.status).toBe('Failed')
      expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
      const t = (await target(id, instance!))!
      expect(t.status).toBe('Failed')
      expect(statuses(t)).toEqual(['Failed', ...Array(6).fill('Skipped')])
      const stop = event(t, 'ApplicationStop')
      expect(stop.startTime).toBeUndefined()
      expect(stop.diagnostics).toEqual({
        errorCode: 'UnknownError',
        scriptName: '',
        message: NOT_RECEIVED,
        logTail: ''
      })
      // The timeout counts from the target turning InProgress.
      const waited = (stop.endTime!.getTime() - waiting.lastUpdatedAt!.getTime()) / 1000
      expect(waited).toBeGreaterThanOrEqual(FAST_TIMEOUT_S - 0.1)
      expect(waited).toBeLessThan(FAST_TIMEOUT_S + 3)
    },
    45_000
  )

  test.concurrent(
    'waits Pending (not InProgress) for its OneAtATime turn, then times out as the last instance',
    async () => {
      const [first, second] = instancesOf[`${fast}/one`]!
      const agents = await instances(b, fast)
      expect(agents.filter((i) => i.group === 'one').map((i) => i.agentState)).toEqual([
        'running',
        'stopped'
      ])
      const id = await deploy(fast, 'one', slowBundle(fast, 3))
      const during = await until('the first instance in BeforeInstall', async () => {
        const ts = await targets(id, [first!, second!])
        return ts[first!] && event(ts[first!]!, 'BeforeInstall').status === 'InProgress'
          ? ts
          : undefined
      })
      expect(during[first!]!.status).toBe('InProgress')
      expect(during[second!]!.status).toBe('Pending')
      allPending(during[second!]!)
      const turn = await until('the second instance InProgress', async () => {
        const ts = await targets(id, [first!, second!])
        return ts[second!]?.status === 'InProgress' ? ts : undefined
      })
      expect(turn[first!]!.status).toBe('Succeeded')
      allPending(turn[second!]!)
      const info = await settled(codedeploy(b), id, 30_000)
      // OneAtATime: only the last instance failed, so the deployment succeeds.
      expect(info.status).toBe('Succeeded')
      const t = (await target(id, second!))!
      expect(t.status).toBe('Failed')
      expect(event(t, 'ApplicationStop').diagnostics?.message).toBe(NOT_RECEIVED)
    },
    45_000
  )
})

describe('an agent stopped and started through PUT /agent', () => {
  test.concurrent(
    'stopped during an event, finishes it; the next stays Pending until the agent runs again',
    async () => {
      const [instance] = instancesOf[`${slow}/midway`]!
      const id = await deploy(slow, 'midway', slowBundle(slow, 3))
      await until('BeforeInstall InProgress', async () => {
        const t = await target(id, instance!)
        return t && event(t, 'BeforeInstall').status === 'InProgress' ? t : undefined
      })
      expect(
        await admin(b, 'PUT', `/agent?instance=${instance}`, JSON.stringify({ state: 'stopped' }))
      ).toEqual({ instance, state: 'stopped' })
      expect((await instances(b, slow)).find((i) => i.id === instance)?.agentState).toBe('stopped')
      const after = await until('BeforeInstall to end', async () => {
        const t = await target(id, instance!)
        return t && event(t, 'BeforeInstall').status !== 'InProgress' ? t : undefined
      })
      expect(event(after, 'BeforeInstall').status).toBe('Succeeded')
      await sleep(1500)
      const held = (await target(id, instance!))!
      expect(held.status).toBe('InProgress')
      expect(statuses(held)).toEqual([
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Pending',
        'Pending',
        'Pending',
        'Pending'
      ])
      expect(event(held, 'Install').startTime).toBeUndefined()
      const restarted = Date.now()
      await admin(b, 'PUT', `/agent?instance=${instance}`, JSON.stringify({ state: 'running' }))
      const info = await settled(codedeploy(b), id, 30_000)
      expect(info.status).toBe('Succeeded')
      const t = (await target(id, instance!))!
      expect(statuses(t)).toEqual(Array(7).fill('Succeeded'))
      // Install started once the agent was back, not when BeforeInstall ended.
      expect(event(t, 'Install').startTime!.getTime()).toBeGreaterThanOrEqual(restarted - 1000)
    },
    45_000
  )

  test.concurrent(
    'a stopped agent started before the timeout picks the deployment up',
    async () => {
      const [instance] = instancesOf[`${slow}/restart`]!
      const id = await deploy(slow, 'restart', slowBundle(slow, 0))
      const waiting = await inProgress(id, instance!)
      allPending(waiting)
      await sleep(1000)
      await admin(b, 'PUT', `/agent?instance=${instance}`, JSON.stringify({ state: 'running' }))
      const info = await settled(codedeploy(b), id, 30_000)
      expect(info.status).toBe('Succeeded')
      const t = (await target(id, instance!))!
      expect(statuses(t)).toEqual(Array(7).fill('Succeeded'))
      expect(event(t, 'ApplicationStop').startTime!.getTime()).toBeGreaterThan(
        waiting.lastUpdatedAt!.getTime() + 900
      )
    },
    45_000
  )

  test.concurrent('answers 404 for an unknown instance and 400 for a bad body', async () => {
    const put = async (query: string, body: string) => {
      const res = await adminAnswer(b, 'PUT', `/agent${query}`, body)
      return { status: res.status, body: JSON.parse(res.text) as unknown }
    }
    expect(await put('?instance=i-00000000000000000', '{"state":"stopped"}')).toEqual({
      status: 404,
      body: { error: 'PUT /agent: no instance i-00000000000000000 (GET /instances lists them)' }
    })
    const [instance] = instancesOf[`${slow}/midway`]!
    const bad = {
      status: 400,
      body: { error: 'PUT /agent: the body must be {"state":"stopped"} or {"state":"running"}' }
    }
    expect(await put(`?instance=${instance}`, '{"state":"paused"}')).toEqual(bad)
    expect(await put(`?instance=${instance}`, 'stopped')).toEqual(bad)
    expect(await put('', '{"state":"stopped"}')).toEqual({
      status: 400,
      body: { error: 'PUT /agent needs ?instance=<instance id>' }
    })
  })
})

describe('the fleet settings', () => {
  async function putFleet(yaml: string): Promise<{ status: number; body: unknown }> {
    const res = await adminAnswer(b, 'PUT', '/fleet', yaml)
    return { status: res.status, body: JSON.parse(res.text) as unknown }
  }
  const group = (settings: string, timing = '') =>
    `${timing}applications:\n  - name: ${unique('bed-silent-cfg')}\n    groups:\n      - { name: g${settings} }\n`
  const refused = (error: string) => ({ status: 400, body: { error: `fleet config: ${error}` } })

  it('sets each instance’s agent from the group and from its own entry in an instances list', async () => {
    const app = unique('bed-silent-list')
    await addFleet(
      b,
      `applications:\n  - name: ${app}\n    groups:\n      - { name: g, agent: stopped, instances: [{}, {agent: running}, {agent: stopped}] }\n      - { name: h, instances: [{agent: stopped}, {}] }\n`
    )
    const list = await instances(b, app)
    expect(list.map((i) => [i.group, i.agent, i.agentState])).toEqual([
      ['g', 'emulated', 'stopped'],
      ['g', 'emulated', 'running'],
      ['g', 'emulated', 'stopped'],
      ['h', 'emulated', 'stopped'],
      ['h', 'emulated', 'running']
    ])
  })

  it('refuses a bad agent, instances entry or timeScale with a clear message', async () => {
    const g = 'applications[0].groups[0]'
    expect(await putFleet(group(', agent: asleep'))).toEqual(
      refused(`${g}.agent: must be emulated, real, auto or stopped`)
    )
    expect(await putFleet(group(', instances: [{}, {agent: asleep}]'))).toEqual(
      refused(`${g}.instances[1].agent: must be stopped or running`)
    )
    expect(await putFleet(group(', instances: [{}, {agnet: stopped}]'))).toEqual(
      refused(`${g}.instances[1]: unknown setting agnet (an instance takes only agent)`)
    )
    expect(await putFleet(group(', instances: [stopped]'))).toEqual(
      refused(`${g}.instances[0]: must be {} or {agent: stopped} (or {agent: running})`)
    )
    expect(await putFleet(group(', instances: 2.5'))).toEqual(
      refused(
        `${g}.instances: must be a whole number from 0 to 1000, or a list of at most 1000 instances ({} or {agent: stopped})`
      )
    )
    for (const scale of ['0', '-1', 'fast'])
      expect(await putFleet(group('', `timing: { timeScale: ${scale} }\n`))).toEqual(
        refused('timing.timeScale: must be a number > 0 (1 = real durations)')
      )
  })
})
