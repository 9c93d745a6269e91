// CodeDeploy misbehaving under a real run of dist/: 5xx answers (the emulator's serverError fault,
// scoped to one operation and this file's applications), connection resets (a fault proxy), a
// throttling storm while waiting, and answers slower than the SDK's timeouts. Every run ends in a
// success that is true (the deployment really succeeded) or a failure that names the call, and
// never later than wait-timeout allows.
//
// Every test runs concurrently with the others (they mostly wait on deployments and timeouts), so
// each has an application, or a deployment group, of its own (__tests__/e2e/fleet.yml): a fault
// switch or an active deployment of one never meets another's run. Longest first.
import { expect, test } from '@jest/globals'
import { codedeploy, lastSeq, requests, setFaults, settled } from '../support/bed.js'
import { codeDeployError, FaultProxy, pass, type FaultAction } from '../e2e/fault-proxy.js'
import { appWorkspace, b, deploy, expectCleanFailure } from './rel.js'

// The calls one waited deployment makes, in order.
const OPERATIONS = [
  'ListDeployments',
  'CreateDeployment',
  'GetDeployment',
  'ListDeploymentTargets',
  'BatchGetDeploymentTargets'
]

/** The deployment really ended as the step says. */
async function expectTrueSuccess(r: Awaited<ReturnType<typeof deploy>>): Promise<void> {
  expect(r.errors).toEqual([])
  expect(r.code).toBe(0)
  expect(r.outputs['deployment-status']).toBe('Succeeded')
  expect((await settled(codedeploy(b), r.outputs['deployment-id'] as string)).status).toBe(
    'Succeeded'
  )
}

// Longest first: jest starts them in this order, a few at a time (maxConcurrency).
test.concurrent(
  'CodeDeploy 5xx or reset on each call, every time: a true success or a failure naming the call',
  async () => {
    const APP = 'rel-cd-persist'
    // Through a proxy, one group per case, all at once: the SDK's retries and the action's own
    // take up to a minute per case with the default settings users get.
    const cases = [
      {
        group: 'p1',
        op: 'ListDeployments',
        fault: codeDeployError(500, 'InternalFailure', 'boom')
      },
      {
        group: 'p2',
        op: 'CreateDeployment',
        fault: codeDeployError(500, 'InternalFailure', 'boom')
      },
      {
        group: 'p3',
        op: 'GetDeployment',
        fault: codeDeployError(503, 'ServiceUnavailableException', 'down')
      },
      {
        group: 'p4',
        op: 'ListDeploymentTargets',
        fault: codeDeployError(500, 'InternalFailure', 'boom')
      },
      { group: 'p5', op: 'BatchGetDeploymentTargets', fault: { kind: 'reset' } as FaultAction },
      { group: 'p6', op: '*', fault: { kind: 'reset' } as FaultAction }
    ]
    const results = await Promise.all(
      cases.map(async (c) => {
        const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_CODEDEPLOY as string, (req) =>
          c.op === '*' || req.operation === c.op ? c.fault : pass
        )
        try {
          const r = await deploy(
            APP,
            appWorkspace(APP),
            { 'deployment-group': c.group },
            { env: { AWS_ENDPOINT_URL_CODEDEPLOY: proxy.url } }
          )
          return { ...c, r, proxy }
        } finally {
          await proxy.close()
        }
      })
    )
    const [list, create, get, targets, batch, all] = results.map((x) => x.r)
    // The active-deployment check is advisory: CreateDeployment itself refuses a busy group.
    await expectTrueSuccess(list!)
    expect(results[0]!.proxy.of('ListDeployments').every((c) => c.action === '500')).toBe(true)
    expect(expectCleanFailure(create!)).toMatch(
      /CreateDeployment failed: InternalFailure.*internal error/
    )
    expect(create!.outputs['deployment-id']).toBeUndefined()
    expect(expectCleanFailure(get!)).toMatch(/GetDeployment failed.*may still be running/)
    // Instance details are extras: the deployment's own status decides, with a warning.
    for (const r of [targets!, batch!]) {
      await expectTrueSuccess(r)
      expect(r.stdout).toMatch(/::warning::.*instances' final state/)
    }
    expect(expectCleanFailure(all!)).toMatch(
      /CreateDeployment failed: ECONNRESET.*could not be reached/
    )
    expect(all!.outputs['deployment-id']).toBeUndefined()
    for (const x of results) {
      expect(x.r.durationMs).toBeLessThan(120_000)
      console.log(
        `${x.op} always failing: exit ${x.r.code} after ${x.r.durationMs} ms, ${x.proxy.requests.length} calls`
      )
    }
  },
  180_000
)

test.concurrent(
  'answers slower than the SDK timeouts: GetDeployment never answering in time, or once too late',
  async () => {
    // rel-slow: every GetDeployment answer comes after 45 s; the SDK gives up on a socket after
    // 30 s and retries, so without a bound the step would sit in one call for minutes.
    // rel-slow-once: only the first answer is late; the retry gets through.
    await setFaults(b, { delay: { ms: 45_000, operations: ['GetDeployment'] } }, 'rel-slow')
    const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_CODEDEPLOY as string, (req, n) =>
      req.operation === 'GetDeployment' && n === 1 ? { kind: 'delay', ms: 35_000 } : pass
    )
    try {
      const [never, once] = await Promise.all([
        deploy('rel-slow', appWorkspace('rel-slow'), { 'wait-timeout': '0.25' }),
        deploy(
          'rel-slow-once',
          appWorkspace('rel-slow-once'),
          {},
          { env: { AWS_ENDPOINT_URL_CODEDEPLOY: proxy.url } }
        )
      ])
      const error = expectCleanFailure(never!)
      expect(error).toMatch(/did not finish within wait-timeout/)
      expect(never!.stdout).toMatch(/did not answer GetDeployment/)
      // 15 s of wait-timeout, 10 s of grace, a little start-up.
      expect(never!.durationMs).toBeLessThan(40_000)

      await expectTrueSuccess(once!)
      expect(proxy.of('GetDeployment')[0]?.action).toBe('delay')
      expect(once!.durationMs).toBeGreaterThan(30_000)
    } finally {
      await proxy.close()
      await setFaults(b, {}, 'rel-slow')
    }
  },
  120_000
)

test.concurrent(
  'a throttling storm while waiting, every call throttled for 15 s: waits it out, true success, calls bounded',
  async () => {
    const APP = 'rel-throttle'
    // ApplicationStart takes 20 s on each of the two instances (one at a time).
    const ws = appWorkspace(APP, { start: '#!/bin/bash\nsleep 10\n' })
    const since = await lastSeq(b)
    let stormStart = 0
    let stormEnd = 0
    const r = await deploy(
      APP,
      ws,
      { 'wait-timeout': '3' },
      {
        onSpawn: (child, output) => {
          const timer = setInterval(() => {
            if (!stormStart && /Created deployment/.test(output())) {
              stormStart = Date.now()
              void setFaults(b, { throttle: { every: 1 } }, APP)
              setTimeout(() => {
                stormEnd = Date.now()
                void setFaults(b, {}, APP)
              }, 15_000)
            }
          }, 100)
          child.on('close', () => clearInterval(timer))
        }
      }
    )
    expect(stormEnd).toBeGreaterThan(0)
    await expectTrueSuccess(r)
    const calls = await requests(b, { application: APP, since })
    const throttled = calls.filter((c) => c.error === 'ThrottlingException')
    expect(throttled.length).toBeGreaterThan(3)
    // Backing off: well under one call a second during the 15 s storm.
    expect(throttled.length).toBeLessThan(15)
    console.log(
      `throttling storm: ${throttled.length} throttled calls in 15 s, ${calls.length} calls in all, run ${r.durationMs} ms`
    )
  },
  240_000
)

const CASES: [string, number][] = [
  ...OPERATIONS.map((op): [string, number] => [op, 500]),
  ['CreateDeployment', 503],
  ['GetDeployment', 503]
]

// rel-cd-faults-1 ... -7: the switch counts the calls of its application.
test.concurrent.each(
  CASES.map(([op, status], i): [string, number, string] => [op, status, `rel-cd-faults-${i + 1}`])
)(
  'CodeDeploy 5xx: every other %s answers %d: retried, true success',
  async (op, status, APP) => {
    await setFaults(b, { serverError: { every: 2, status, operations: [op] } }, APP)
    try {
      // The count starts at the first matching call, which passes: an operation a run calls
      // only once needs a second run to meet the 5xx.
      const since = await lastSeq(b)
      let hit = false
      for (let i = 0; i < 3 && !hit; i++) {
        await expectTrueSuccess(await deploy(APP, appWorkspace(APP)))
        hit = (await requests(b, { application: APP, since })).some(
          (c) => c.operation === op && c.status === status
        )
      }
      expect(hit).toBe(true)
    } finally {
      await setFaults(b, {}, APP)
    }
  },
  120_000
)

// One group each (r1 ... r5): the runs are concurrent.
test.concurrent.each(OPERATIONS.map((op, i): [string, string] => [op, `r${i + 1}`]))(
  'connection resets: the first %s connection is reset: retried, true success',
  async (op, group) => {
    const APP = 'rel-cd-reset'
    const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_CODEDEPLOY as string, (req, n) =>
      req.operation === op && n === 1 ? { kind: 'reset' } : pass
    )
    try {
      const r = await deploy(
        APP,
        appWorkspace(APP),
        { 'deployment-group': group },
        { env: { AWS_ENDPOINT_URL_CODEDEPLOY: proxy.url } }
      )
      await expectTrueSuccess(r)
      expect(
        proxy
          .of(op)
          .map((c) => c.action)
          .slice(0, 2)
      ).toEqual(['reset', 'pass'])
    } finally {
      await proxy.close()
    }
  },
  120_000
)
