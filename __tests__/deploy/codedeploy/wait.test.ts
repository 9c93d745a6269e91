import { describe, expect, it } from '@jest/globals'
import { stopDeployment, rollbackOnStop } from '../../../src/deploy/codedeploy/stop.js'
import { listTargetIds } from '../../../src/deploy/codedeploy/deployment-targets.js'
import {
  pollDelayMs,
  targetsRefreshMs,
  waitForDeployment
} from '../../../src/deploy/codedeploy/wait.js'
import { AwsCallError } from '../../../src/common/errors.js'
import { MemoryLogger } from '../../../src/common/log.js'
import { awsError, FakeClock, FakeCodeDeploy } from '../fake-codedeploy.js'

function setup() {
  const clock = new FakeClock()
  const cd = new FakeCodeDeploy(clock)
  const log = new MemoryLogger()
  return { clock, cd, log }
}

describe('pace', () => {
  it('polls every second at first, then every 2 s, then 3 s: never more than one call a second', () => {
    expect([0, 9_999, 10_000, 299_999, 300_000, 3_600_000].map(pollDelayMs)).toEqual([
      1000, 1000, 2000, 2000, 3000, 3000
    ])
  })
  it('refreshes instance details less often the bigger the fleet', () => {
    expect([1, 25, 100, 1000].map(targetsRefreshMs)).toEqual([5000, 5000, 6000, 60000])
  })
})

describe('waitForDeployment', () => {
  it('makes a last call at the deadline, so a deployment ending just before it is not reported as timed out', async () => {
    const { clock, cd, log } = setup()
    // Ends 16.7 s after creation, after the poll at 16.5 s; the next regular one would come after the deadline (17 s).
    const id = cd.addDeployment('blue', { instances: [{ id: 'i-1' }], startDelayMs: 2700 })
    const r = await waitForDeployment({
      deploymentId: id,
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 17_000
    })
    expect(r.kind).toBe('terminal')
    expect(r.info?.status).toBe('Succeeded')
    expect(clock.elapsed()).toBe(17_000)
  })

  it('warns once and keeps waiting when it may not read instance details', async () => {
    const { clock, cd, log } = setup()
    cd.fault = (name) =>
      name === 'ListDeploymentTargets'
        ? awsError('AccessDeniedException', 'not authorized')
        : undefined
    const id = cd.addDeployment('blue', { instances: [{ id: 'i-1' }] })
    const r = await waitForDeployment({
      deploymentId: id,
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 600_000
    })
    expect(r.kind).toBe('terminal')
    expect(cd.count('ListDeploymentTargets')).toBe(1)
    const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Not showing per-instance progress \(nor watching for silent agents\): ListDeploymentTargets failed: AccessDeniedException: not authorized\. .*codedeploy:ListDeploymentTargets/
    )
  })

  it('fails at once, naming the deployment, when GetDeployment cannot find it', async () => {
    const { clock, cd, log } = setup()
    const err = await waitForDeployment({
      deploymentId: 'd-NOSUCHONE',
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 600_000
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as AwsCallError).describe()).toBe(
      'GetDeployment failed: DeploymentDoesNotExistException: The deployment d-NOSUCHONE could not be found. Check that deployment d-NOSUCHONE exists in this region.'
    )
    expect(cd.count('GetDeployment')).toBe(1)
  })

  it('returns cancelled as soon as the signal aborts', async () => {
    const { clock, cd, log } = setup()
    const id = cd.addDeployment('blue', { instances: [{ id: 'i-1', eventMs: 60_000 }] })
    const controller = new AbortController()
    clock.at(12_000, () => controller.abort())
    const r = await waitForDeployment({
      deploymentId: id,
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 600_000,
      signal: controller.signal
    })
    expect(r.kind).toBe('cancelled')
    expect(clock.elapsed()).toBeLessThanOrEqual(12_000)
  })
})

describe('listTargetIds', () => {
  it('is empty before the deployment starts (DeploymentNotStartedException) and pages after', async () => {
    const { clock, cd, log } = setup()
    const id = cd.addDeployment('blue', {
      instances: Array.from({ length: 250 }, (_, n) => ({ id: `i-${n}` }))
    })
    const c = { codedeploy: cd.client, log, sleep: clock.sleep }
    expect(await listTargetIds(id, c)).toEqual([])
    await clock.sleep(3000)
    const ids = await listTargetIds(id, c)
    expect(ids).toHaveLength(250)
    expect(cd.count('ListDeploymentTargets')).toBe(1 + 3)
  })
})

describe('stopDeployment', () => {
  it('treats a deployment that already ended as nothing to stop', async () => {
    const { clock, cd, log } = setup()
    const id = cd.addDeployment('blue', { instances: [{ id: 'i-1' }] })
    await clock.sleep(60_000)
    expect(
      await stopDeployment({ codedeploy: cd.client, log, sleep: clock.sleep, deploymentId: id })
    ).toBe('already-completed')
    expect(log.text()).toBe(`Deployment ${id} had already ended; nothing to stop.`)
  })

  it('stops a running deployment, passing the rollback choice', async () => {
    const { clock, cd, log } = setup()
    const id = cd.addDeployment('blue', { instances: [{ id: 'i-1' }] })
    expect(
      await stopDeployment({
        codedeploy: cd.client,
        log,
        sleep: clock.sleep,
        deploymentId: id,
        autoRollbackEnabled: true
      })
    ).toBe('stopping')
    expect(cd.deployments.get(id)!.stopRollback).toBe(true)
    expect(log.text()).toBe(
      `Stopping deployment ${id}, rolling back the instances it updated: Stop request is in progress`
    )
  })

  it('names the IAM action when it may not stop', async () => {
    const { clock, cd, log } = setup()
    cd.fault = (name) =>
      name === 'StopDeployment'
        ? awsError('AccessDeniedException', 'not authorized to perform: codedeploy:StopDeployment')
        : undefined
    const err = await stopDeployment({
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      deploymentId: 'd-ABCDEFGHI'
    }).catch((e: unknown) => e)
    expect((err as AwsCallError).fix).toContain('grant codedeploy:StopDeployment')
  })

  it.each([
    [true, undefined, true],
    [false, { enabled: true, events: ['DEPLOYMENT_STOP_ON_REQUEST' as const] }, false],
    [undefined, { enabled: true, events: ['DEPLOYMENT_STOP_ON_REQUEST' as const] }, true],
    [undefined, { enabled: true, events: ['DEPLOYMENT_FAILURE' as const] }, false],
    [undefined, undefined, false]
  ])('rollbackOnStop(%s, %j) = %s', (input, config, expected) => {
    expect(rollbackOnStop(input, config)).toBe(expected)
  })
})

describe('the final instance read', () => {
  it('is retried, so a transient error at the end does not lose the diagnosis', async () => {
    const { clock, cd, log } = setup()
    const id = cd.addDeployment('blue', {
      instances: [
        {
          id: 'i-1',
          failAt: {
            event: 'BeforeInstall',
            errorCode: 'ScriptFailed',
            script: 'a.sh',
            message: 'exit 1',
            logTail: 'boom'
          }
        }
      ]
    })
    let failedOnce = false
    cd.fault = (name) => {
      const end = cd.completeTimeOf(id)
      if (name !== 'BatchGetDeploymentTargets' || failedOnce || !(clock.t >= end)) return undefined
      failedOnce = true
      return awsError('InternalFailure', 'internal', 500)
    }
    const r = await waitForDeployment({
      deploymentId: id,
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 600_000
    })
    expect(failedOnce).toBe(true)
    expect(r.instances?.[0]?.events.find((e) => e.status === 'Failed')?.logTail).toBe('boom')
  })
})

describe('GetDeployment denied', () => {
  it('names the IAM action', async () => {
    const { clock, cd, log } = setup()
    cd.fault = (name) =>
      name === 'GetDeployment'
        ? awsError('AccessDeniedException', 'not authorized to perform: codedeploy:GetDeployment')
        : undefined
    const err = await waitForDeployment({
      deploymentId: 'd-ABCDEFGHI',
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 60_000
    }).catch((e: unknown) => e)
    expect((err as AwsCallError).fix).toBe(
      'The credentials are not allowed to call it: grant the IAM action codedeploy:GetDeployment to the role or user this workflow runs as.'
    )
  })
})
