// Blue/green deployments after the reroute and when things go wrong: KEEP_ALIVE keeps the
// original group, TERMINATE waits (ContinueDeployment TERMINATION_WAIT ends the wait) and deletes
// it; an automatic rollback moves the traffic back; ContinueDeployment's errors; the faults (no
// capacity, flapping checks, slow deregistration). (blue-green.test.ts: Ready, traffic, failures.)
import { describe, expect, it } from '@jest/globals'
import { ContinueDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { admin, autoScaling, settled } from '../support/bed.js'
import { deploy } from './traffic.js'
import { blueGreenSuite, events } from './blue-green-suite.js'
import { webApp } from './web-app.js'

const s = blueGreenSuite(
  'bed-bgl',
  [
    { name: 'keep', termination: 'KEEP_ALIVE' },
    { name: 'wait', terminationMinutes: 60 },
    { name: 'wait-short', terminationMinutes: 5 },
    { name: 'rollback', autoRollback: true },
    { name: 'faults' }
  ],
  ['inplace'],
  ['faults']
)

describe('the original instances after the reroute', () => {
  it('KEEP_ALIVE: succeeds at the reroute and leaves the original group running, out of the target group', async () => {
    const id = await deploy(s.b, s.cd, s.app, 'keep', webApp('v1'))
    const d = await settled(s.cd, id, 90_000)
    expect(d.status).toBe('Succeeded')
    expect(d.instanceTerminationWaitTimeStarted).toBe(false)
    expect(
      d.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.action
    ).toBe('KEEP_ALIVE')
    const r = await autoScaling(s.b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [s.n('keep-asg')] })
    )
    const original = r.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!)
    expect(original).toHaveLength(2)
    const tg = await s.health('keep')
    for (const i of original) expect(tg[i] ?? 'unused').not.toBe('healthy')
    expect(await s.groupAsg('keep')).toEqual([`CodeDeploy_keep_${id}`])
  }, 90_000)

  it('TERMINATE: InProgress through the termination wait, which TERMINATION_WAIT ends; then the original group is gone', async () => {
    const id = await deploy(s.b, s.cd, s.app, 'wait', webApp('v1'))
    const waiting = await settled(
      s.cd,
      id,
      90_000,
      (d) => d.instanceTerminationWaitTimeStarted === true
    )
    expect(waiting).toMatchObject({
      status: 'InProgress',
      instanceTerminationWaitTimeStarted: true
    })
    expect(await s.asgNames()).toContain(s.n('wait-asg'))
    expect((await fetch(s.url('wait')).then((r) => r.text())).trim()).toBe('v1')
    await expect(
      s.cd.send(new ContinueDeploymentCommand({ deploymentId: id }))
    ).rejects.toMatchObject({
      name: 'DeploymentIsNotInReadyStateException'
    })
    await s.cd.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' })
    )
    const done = await settled(s.cd, id, 90_000)
    expect(done.status).toBe('Succeeded')
    expect(await s.asgNames()).not.toContain(s.n('wait-asg'))
  }, 90_000)

  it('TERMINATE: the termination wait ends by itself after its minutes', async () => {
    const id = await deploy(s.b, s.cd, s.app, 'wait-short', webApp('v1'))
    const waiting = await settled(
      s.cd,
      id,
      90_000,
      (d) => d.instanceTerminationWaitTimeStarted === true
    )
    const t0 = Date.now()
    expect(waiting.status).toBe('InProgress')
    const done = await settled(s.cd, id, 90_000)
    expect(done.status).toBe('Succeeded')
    expect(Date.now() - t0).toBeGreaterThan(1500)
    expect(await s.asgNames()).not.toContain(s.n('wait-short-asg'))
  }, 90_000)
})

describe('rollback and ContinueDeployment errors', () => {
  it('an automatic rollback moves the traffic back: original instances allowed, replacement ones blocked', async () => {
    const good = await deploy(s.b, s.cd, s.app, 'rollback', webApp('v1'))
    expect((await settled(s.cd, good, 90_000)).status).toBe('Succeeded')
    const bad = await deploy(s.b, s.cd, s.app, 'rollback', webApp('v2', 500))
    const failed = await settled(s.cd, bad, 90_000)
    expect(failed.status).toBe('Failed')
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId
    expect(rollbackId).toMatch(/^d-/)
    const r = await settled(s.cd, rollbackId!, 90_000)
    expect(r).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' })
    const all = await s.targets(rollbackId!)
    const blue = all.filter((t) => t.instanceLabel === 'Blue')
    const green = all.filter((t) => t.instanceLabel === 'Green')
    expect(blue).toHaveLength(2)
    expect(green).toHaveLength(2)
    expect(events(blue[0]!)).toEqual([
      'BeforeAllowTraffic:Succeeded',
      'AllowTraffic:Succeeded',
      'AfterAllowTraffic:Succeeded'
    ])
    expect(events(green[0]!)).toEqual([
      'BeforeBlockTraffic:Succeeded',
      'BlockTraffic:Succeeded',
      'AfterBlockTraffic:Succeeded'
    ])
    expect((await fetch(s.url('rollback')).then((r) => r.text())).trim()).toBe('v1')
  }, 120_000)

  it('ContinueDeployment refuses an in-place deployment, a bad wait type and an unknown id', async () => {
    const inPlace = await deploy(s.b, s.cd, s.app, 'inplace', webApp('v1'))
    await expect(
      s.cd.send(new ContinueDeploymentCommand({ deploymentId: inPlace }))
    ).rejects.toMatchObject({
      name: 'UnsupportedActionForDeploymentTypeException'
    })
    expect((await settled(s.cd, inPlace, 90_000)).status).toBe('Succeeded')
    const id = await deploy(s.b, s.cd, s.app, 'faults', webApp('v1'))
    await expect(
      s.cd.send(
        new ContinueDeploymentCommand({
          deploymentId: id,
          deploymentWaitType: 'SOMETIME' as 'READY_WAIT'
        })
      )
    ).rejects.toMatchObject({ name: 'InvalidDeploymentWaitTypeException' })
    await expect(
      s.cd.send(new ContinueDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' }))
    ).rejects.toMatchObject({ name: 'DeploymentDoesNotExistException' })
    expect((await settled(s.cd, id, 90_000)).status).toBe('Succeeded')
  }, 90_000)
})

describe('faults', () => {
  const setFaults = (f: unknown) =>
    admin(s.b, 'PUT', `/faults?application=${s.app}`, JSON.stringify(f))

  it('no capacity: the copy launches nothing, the deployment fails and the empty copy stays', async () => {
    await setFaults({ capacity: true })
    try {
      const id = await deploy(s.b, s.cd, s.app, 'faults', webApp('v2'))
      const d = await settled(s.cd, id, 90_000)
      expect(d.status).toBe('Failed')
      expect(d.errorInformation?.code).toBe('AUTO_SCALING_CONFIGURATION')
      expect(d.errorInformation?.message).toContain('sufficient capacity')
      const r = await autoScaling(s.b).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`CodeDeploy_faults_${id}`] })
      )
      expect(r.AutoScalingGroups![0]).toMatchObject({ DesiredCapacity: 2, Instances: [] })
    } finally {
      await setFaults({})
    }
  }, 60_000)

  it('flapping health checks fail AllowTraffic; a slow deregistration makes BlockTraffic last', async () => {
    await setFaults({ flapHealthChecks: { targetGroups: [s.n('faults-tg')], period: 2 } })
    let id: string
    try {
      id = await deploy(s.b, s.cd, s.app, 'faults', webApp('v3'))
      const d = await settled(s.cd, id, 90_000)
      expect(d.status).toBe('Failed')
      const green = (await s.targets(id)).filter((t) => t.instanceLabel === 'Green')
      expect(
        green[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!.status
      ).toBe('Failed')
    } finally {
      await setFaults({})
    }
    // The deregistration delay is 30 s here; the fault holds each for 2.5 s, in flight or not.
    await setFaults({ slowDeregistration: { targetGroups: [s.n('faults-tg')], ms: 2500 } })
    try {
      id = await deploy(s.b, s.cd, s.app, 'faults', webApp('v4'))
      expect((await settled(s.cd, id, 90_000)).status).toBe('Succeeded')
      const blue = (await s.targets(id)).filter((t) => t.instanceLabel === 'Blue')
      const block = blue[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'BlockTraffic')!
      const ms = block.endTime!.getTime() - block.startTime!.getTime()
      expect(ms).toBeGreaterThanOrEqual(2400)
    } finally {
      await setFaults({})
    }
  }, 120_000)
})
