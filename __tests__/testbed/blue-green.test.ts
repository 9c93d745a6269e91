// Blue/green deployments behind the bed's load balancer, with a copied Auto Scaling group: the
// AWS CLI drives one through Ready and ContinueDeployment; requests through the listener never
// fail while the traffic moves; a failure leaves the replacement group running and the traffic
// where it was; KEEP_ALIVE and TERMINATE (with its wait) end as AWS documents; rollback and
// the faults (no capacity, flapping checks, slow deregistration).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ContinueDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type InstanceTarget
} from '@aws-sdk/client-codedeploy'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { admin, aws, bed, codedeploy, tarBundle, unique, type Bed } from './bed.js'
import {
  addLoadBalancedFleet,
  autoScaling,
  deploy,
  elb,
  fleetYaml,
  requestLoop,
  switches,
  until,
  type BlueGreenGroup
} from './traffic.js'
import { webApp } from './web-app.js'

let b: Bed
let cd: CodeDeployClient
const app = unique('bed-bg')
const n = (s: string) => `${app}-${s}`
let listener: Record<string, string>

// Each deployment group has its own Auto Scaling group (2 instances) and target group, so that
// a TERMINATE (which deletes the original group) or a traffic switch touches no other test.
const groups: BlueGreenGroup[] = [
  { name: 'cli', ready: 'STOP_DEPLOYMENT', readyMinutes: 60 },
  { name: 'ready-timeout', ready: 'STOP_DEPLOYMENT', readyMinutes: 5 },
  { name: 'auto' },
  { name: 'keep', termination: 'KEEP_ALIVE' },
  { name: 'wait', terminationMinutes: 60 },
  { name: 'wait-short', terminationMinutes: 5 },
  { name: 'rollback', autoRollback: true },
  { name: 'faults' },
  { name: 'discover', provisioning: 'DISCOVER_EXISTING' }
]

beforeAll(async () => {
  b = bed()
  cd = codedeploy(b)
  listener = await addLoadBalancedFleet(
    b,
    fleetYaml({
      app,
      // The service's minutes at a hundredth: 60 min lasts 36 s, 5 min 3 s.
      timeScale: 0.01,
      targetGroups: [...groups.map((g) => g.name), 'inplace', 'spare'].map((g) => ({
        name: n(`${g}-tg`),
        deregistrationDelaySeconds: g === 'faults' ? 30 : 1
      })),
      autoScalingGroups: [...groups.map((g) => g.name), 'inplace', 'spare'].map((g) => ({
        name: n(`${g}-asg`),
        instances: g === 'inplace' ? 1 : 2,
        // The replacement fleet DISCOVER_EXISTING is given: outside any target group until then.
        targetGroup: n(`${g === 'spare' ? 'spare' : g}-tg`)
      })),
      blueGreen: groups.map((g) => ({ ...g, asg: n(`${g.name}-asg`), tg: n(`${g.name}-tg`) })),
      inPlace: [{ name: 'inplace', asg: n('inplace-asg'), tg: n('inplace-tg') }]
    })
  )
}, 60_000)

afterAll(async () => {
  await admin(b, 'DELETE', `/faults?application=${app}`)
  cd.destroy()
})

const url = (group: string) => listener[n(`${group}-tg`)]!

async function targets(id: string): Promise<InstanceTarget[]> {
  const { targetIds } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))
  const out: InstanceTarget[] = []
  for (let i = 0; i < targetIds!.length; i += 25) {
    const r = await cd.send(
      new BatchGetDeploymentTargetsCommand({
        deploymentId: id,
        targetIds: targetIds!.slice(i, i + 25)
      })
    )
    out.push(...r.deploymentTargets!.map((t) => t.instanceTarget!))
  }
  return out
}

const events = (t: InstanceTarget) =>
  t.lifecycleEvents!.map((e) => `${e.lifecycleEventName}:${e.status}`)

async function asgNames(): Promise<string[]> {
  const r = await autoScaling(b).send(new DescribeAutoScalingGroupsCommand({}))
  return r.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!)
}

async function groupAsg(group: string): Promise<string[]> {
  const r = await cd.send(
    new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })
  )
  return r.deploymentGroupInfo!.autoScalingGroups!.map((g) => g.name!)
}

async function health(group: string): Promise<Record<string, string>> {
  const client = elb(b)
  const tg = await client.send(new DescribeTargetGroupsCommand({ Names: [n(`${group}-tg`)] }))
  const h = await client.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroups![0]!.TargetGroupArn })
  )
  return Object.fromEntries(
    h.TargetHealthDescriptions!.map((d) => [d.Target!.Id!, d.TargetHealth!.State!])
  )
}

describe('the AWS CLI drives a blue/green deployment', () => {
  it('create-deployment waits in Ready until continue-deployment; the copy then serves and the original group is gone', async () => {
    const key = `traffic/${app}/cli.tgz`
    const up = await aws(b, 's3', ['cp', await tarBundle(webApp('v1')), `s3://${b.bucket}/${key}`])
    expect(up.code).toBe(0)
    const created = await aws(b, 'deploy', [
      'create-deployment',
      '--application-name',
      app,
      '--deployment-group-name',
      'cli',
      '--s3-location',
      `bucket=${b.bucket},key=${key},bundleType=tgz`,
      '--query',
      'deploymentId',
      '--output',
      'text'
    ])
    expect(created.stderr).toBe('')
    const id = created.stdout.trim()
    const ready = await until(cd, id, (d) => d.status === 'Ready')
    expect(ready.status).toBe('Ready')
    expect(ready.deploymentOverview).toMatchObject({ Ready: 2, Pending: 2, Succeeded: 0 })
    expect(ready.deploymentStyle).toEqual({
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL'
    })
    expect(ready.blueGreenDeploymentConfiguration?.deploymentReadyOption).toEqual({
      actionOnTimeout: 'STOP_DEPLOYMENT',
      waitTimeInMinutes: 60
    })
    expect(ready.loadBalancerInfo).toEqual({ targetGroupInfoList: [{ name: n('cli-tg') }] })

    const green = await aws(b, 'deploy', [
      'list-deployment-targets',
      '--deployment-id',
      id,
      '--target-filters',
      'ServerInstanceLabel=Green',
      '--query',
      'targetIds',
      '--output',
      'text'
    ])
    expect(green.stdout.trim().split(/\s+/)).toHaveLength(2)
    const all = await targets(id)
    const greenTarget = all.find((t) => t.instanceLabel === 'Green')!
    expect(greenTarget.status).toBe('Ready')
    expect(events(greenTarget)).toEqual([
      'ApplicationStop:Succeeded',
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Succeeded',
      'ApplicationStart:Succeeded',
      'ValidateService:Succeeded',
      'BeforeAllowTraffic:Pending',
      'AllowTraffic:Pending',
      'AfterAllowTraffic:Pending'
    ])
    expect(events(all.find((t) => t.instanceLabel === 'Blue')!)).toEqual([
      'BeforeBlockTraffic:Pending',
      'BlockTraffic:Pending',
      'AfterBlockTraffic:Pending'
    ])

    const early = await aws(b, 'deploy', [
      'continue-deployment',
      '--deployment-id',
      id,
      '--deployment-wait-type',
      'TERMINATION_WAIT'
    ])
    expect(early.code).not.toBe(0)
    expect(early.stderr).toContain('InvalidDeploymentStatusException')

    const go = await aws(b, 'deploy', [
      'continue-deployment',
      '--deployment-id',
      id,
      '--deployment-wait-type',
      'READY_WAIT'
    ])
    expect(go).toMatchObject({ code: 0, stderr: '' })
    const done = await until(cd, id, () => false)
    expect(done.status).toBe('Succeeded')
    expect(done.deploymentOverview).toMatchObject({ Succeeded: 4, Ready: 0 })

    const copy = `CodeDeploy_cli_${id}`
    const described = await aws(b, 'autoscaling', [
      'describe-auto-scaling-groups',
      '--auto-scaling-group-names',
      copy,
      n('cli-asg'),
      '--query',
      'AutoScalingGroups[].[AutoScalingGroupName,length(Instances)]',
      '--output',
      'text'
    ])
    expect(described.stderr).toBe('')
    expect(described.stdout.trim()).toBe(`${copy}\t2`)
    expect(await groupAsg('cli')).toEqual([copy])
    expect((await fetch(url('cli')).then((r) => r.text())).trim()).toBe('v1')

    const again = await aws(b, 'deploy', ['continue-deployment', '--deployment-id', id])
    expect(again.stderr).toContain('DeploymentAlreadyCompletedException')
  }, 120_000)

  it('a deployment left in Ready is stopped at the end of its wait; the replacement group stays', async () => {
    const id = await deploy(b, cd, app, 'ready-timeout', webApp('v1'))
    const ready = await until(cd, id, (d) => d.status === 'Ready')
    expect(ready.status).toBe('Ready')
    const t0 = Date.now()
    const end = await until(cd, id, () => false)
    expect(end.status).toBe('Stopped')
    expect(end.errorInformation?.code).toBe('TIMEOUT')
    // 5 minutes at timeScale 0.01: 3 s from Ready (less what the first poll took).
    expect(Date.now() - t0).toBeGreaterThan(1500)
    expect(await asgNames()).toContain(`CodeDeploy_ready-timeout_${id}`)
    expect(await groupAsg('ready-timeout')).toEqual([n('ready-timeout-asg')])
    const all = await targets(id)
    expect(all.map((t) => t.status)).toEqual(['Skipped', 'Skipped', 'Skipped', 'Skipped'])
    for (const t of all.filter((x) => x.instanceLabel === 'Green'))
      expect(
        events(t)
          .slice(0, 7)
          .every((e) => e.endsWith(':Succeeded'))
      ).toBe(true)
  }, 90_000)
})

describe('traffic through the load balancer', () => {
  it('moves from v1 to v2 with no failed request, and stays on v2 when v3 fails its health checks', async () => {
    const first = await deploy(b, cd, app, 'auto', webApp('v1'))
    expect((await until(cd, first, () => false)).status).toBe('Succeeded')

    let loop = requestLoop(url('auto'))
    const second = await deploy(b, cd, app, 'auto', webApp('v2'))
    const ok = await until(cd, second, () => false)
    await new Promise((r) => setTimeout(r, 300))
    let seen = await loop.stop()
    expect(ok.status).toBe('Succeeded')
    expect(seen.failed).toEqual([])
    expect(seen.ok).toBeGreaterThan(20)
    expect(switches(seen.versions)[0]).toBe('v1')
    expect(seen.versions.at(-1)).toBe('v2')
    expect(await groupAsg('auto')).toEqual([`CodeDeploy_auto_${second}`])
    expect(await asgNames()).not.toContain(`CodeDeploy_auto_${first}`)

    loop = requestLoop(url('auto'))
    const third = await deploy(b, cd, app, 'auto', webApp('v3', 503))
    const failed = await until(cd, third, () => false)
    seen = await loop.stop()
    expect(failed.status).toBe('Failed')
    expect(failed.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
    expect(seen.failed).toEqual([])
    expect(new Set(seen.versions)).toEqual(new Set(['v2']))

    // The replacement group is left running, as users report on AWS; the group keeps v2's.
    const copy = `CodeDeploy_auto_${third}`
    const r = await autoScaling(b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [copy] })
    )
    expect(r.AutoScalingGroups![0]!.Instances!.map((i) => i.LifecycleState)).toEqual([
      'InService',
      'InService'
    ])
    expect(await groupAsg('auto')).toEqual([`CodeDeploy_auto_${second}`])
    const all = await targets(third)
    for (const t of all.filter((x) => x.instanceLabel === 'Green')) {
      expect(t.status).toBe('Failed')
      const allow = t.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!
      expect(allow.status).toBe('Failed')
      expect(allow.diagnostics?.message).toContain(n('auto-tg'))
      // Deregistered again, so that it can never serve the failed revision.
      const tg = await health('auto')
      expect(['draining', undefined]).toContain(tg[t.targetId!])
    }
    for (const t of all.filter((x) => x.instanceLabel === 'Blue')) expect(t.status).toBe('Skipped')
  }, 120_000)

  it('a failing hook on a replacement instance fails the deployment before any traffic moves', async () => {
    const before = await deploy(b, cd, app, 'auto', webApp('v4'))
    expect((await until(cd, before, () => false)).status).toBe('Succeeded')
    const id = await deploy(
      b,
      cd,
      app,
      'auto',
      webApp('v5', 200, '  ValidateService:\n    - location: fail.sh\n')
    )
    const d = await until(cd, id, () => false)
    // fail.sh is missing from the bundle: ValidateService fails with ScriptMissing.
    expect(d.status).toBe('Failed')
    const green = (await targets(id)).filter((t) => t.instanceLabel === 'Green')
    expect(green.map((t) => t.status)).toEqual(['Failed', 'Failed'])
    expect(
      green[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'ValidateService')!
        .diagnostics?.errorCode
    ).toBe('ScriptMissing')
    expect((await fetch(url('auto')).then((r) => r.text())).trim()).toBe('v4')
    expect(await asgNames()).toContain(`CodeDeploy_auto_${id}`)
  }, 90_000)
})

describe('the original instances after the reroute', () => {
  it('KEEP_ALIVE: succeeds at the reroute and leaves the original group running, out of the target group', async () => {
    const id = await deploy(b, cd, app, 'keep', webApp('v1'))
    const d = await until(cd, id, () => false)
    expect(d.status).toBe('Succeeded')
    expect(d.instanceTerminationWaitTimeStarted).toBe(false)
    expect(
      d.blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess?.action
    ).toBe('KEEP_ALIVE')
    const r = await autoScaling(b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [n('keep-asg')] })
    )
    const original = r.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!)
    expect(original).toHaveLength(2)
    const tg = await health('keep')
    for (const i of original) expect(tg[i] ?? 'unused').not.toBe('healthy')
    expect(await groupAsg('keep')).toEqual([`CodeDeploy_keep_${id}`])
  }, 90_000)

  it('TERMINATE: InProgress through the termination wait, which TERMINATION_WAIT ends; then the original group is gone', async () => {
    const id = await deploy(b, cd, app, 'wait', webApp('v1'))
    const waiting = await until(cd, id, (d) => d.instanceTerminationWaitTimeStarted === true)
    expect(waiting).toMatchObject({
      status: 'InProgress',
      instanceTerminationWaitTimeStarted: true
    })
    expect(await asgNames()).toContain(n('wait-asg'))
    expect((await fetch(url('wait')).then((r) => r.text())).trim()).toBe('v1')
    await expect(
      cd.send(new ContinueDeploymentCommand({ deploymentId: id }))
    ).rejects.toMatchObject({
      name: 'DeploymentIsNotInReadyStateException'
    })
    await cd.send(
      new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType: 'TERMINATION_WAIT' })
    )
    const done = await until(cd, id, () => false)
    expect(done.status).toBe('Succeeded')
    expect(await asgNames()).not.toContain(n('wait-asg'))
  }, 90_000)

  it('TERMINATE: the termination wait ends by itself after its minutes', async () => {
    const id = await deploy(b, cd, app, 'wait-short', webApp('v1'))
    const waiting = await until(cd, id, (d) => d.instanceTerminationWaitTimeStarted === true)
    const t0 = Date.now()
    expect(waiting.status).toBe('InProgress')
    const done = await until(cd, id, () => false)
    expect(done.status).toBe('Succeeded')
    expect(Date.now() - t0).toBeGreaterThan(1500)
    expect(await asgNames()).not.toContain(n('wait-short-asg'))
  }, 90_000)
})

describe('DISCOVER_EXISTING', () => {
  it('deploys to the Auto Scaling group named in targetInstances and moves the traffic to it', async () => {
    const spare = await autoScaling(b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [n('spare-asg')] })
    )
    const green = spare.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!).sort()
    const id = await deploy(b, cd, app, 'discover', webApp('v1'), {
      targetInstances: { autoScalingGroups: [n('spare-asg')] }
    })
    const d = await until(cd, id, () => false)
    expect(d.status).toBe('Succeeded')
    expect(d.targetInstances).toEqual({ autoScalingGroups: [n('spare-asg')] })
    const all = await targets(id)
    expect(
      all
        .filter((t) => t.instanceLabel === 'Green')
        .map((t) => t.targetId)
        .sort()
    ).toEqual(green)
    expect((await fetch(url('discover')).then((r) => r.text())).trim()).toBe('v1')
    expect(await groupAsg('discover')).toEqual([n('spare-asg')])
  }, 90_000)
})

describe('rollback and ContinueDeployment errors', () => {
  it('an automatic rollback moves the traffic back: original instances allowed, replacement ones blocked', async () => {
    const good = await deploy(b, cd, app, 'rollback', webApp('v1'))
    expect((await until(cd, good, () => false)).status).toBe('Succeeded')
    const bad = await deploy(b, cd, app, 'rollback', webApp('v2', 500))
    const failed = await until(cd, bad, () => false)
    expect(failed.status).toBe('Failed')
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId
    expect(rollbackId).toMatch(/^d-/)
    const r = await until(cd, rollbackId!, () => false)
    expect(r).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' })
    const all = await targets(rollbackId!)
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
    expect((await fetch(url('rollback')).then((r) => r.text())).trim()).toBe('v1')
  }, 120_000)

  it('ContinueDeployment refuses an in-place deployment, a bad wait type and an unknown id', async () => {
    const inPlace = await deploy(b, cd, app, 'inplace', webApp('v1'))
    await expect(
      cd.send(new ContinueDeploymentCommand({ deploymentId: inPlace }))
    ).rejects.toMatchObject({
      name: 'UnsupportedActionForDeploymentTypeException'
    })
    expect((await until(cd, inPlace, () => false)).status).toBe('Succeeded')
    const id = await deploy(b, cd, app, 'faults', webApp('v1'))
    await expect(
      cd.send(
        new ContinueDeploymentCommand({
          deploymentId: id,
          deploymentWaitType: 'SOMETIME' as 'READY_WAIT'
        })
      )
    ).rejects.toMatchObject({ name: 'InvalidDeploymentWaitTypeException' })
    await expect(
      cd.send(new ContinueDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' }))
    ).rejects.toMatchObject({ name: 'DeploymentDoesNotExistException' })
    expect((await until(cd, id, () => false)).status).toBe('Succeeded')
  }, 90_000)
})

describe('faults', () => {
  const setFaults = (f: unknown) => admin(b, 'PUT', `/faults?application=${app}`, JSON.stringify(f))

  it('no capacity: the copy launches nothing, the deployment fails and the empty copy stays', async () => {
    await setFaults({ capacity: true })
    try {
      const id = await deploy(b, cd, app, 'faults', webApp('v2'))
      const d = await until(cd, id, () => false)
      expect(d.status).toBe('Failed')
      expect(d.errorInformation?.code).toBe('AUTO_SCALING_CONFIGURATION')
      expect(d.errorInformation?.message).toContain('sufficient capacity')
      const r = await autoScaling(b).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`CodeDeploy_faults_${id}`] })
      )
      expect(r.AutoScalingGroups![0]).toMatchObject({ DesiredCapacity: 2, Instances: [] })
    } finally {
      await setFaults({})
    }
  }, 60_000)

  it('flapping health checks fail AllowTraffic; a slow deregistration makes BlockTraffic last', async () => {
    await setFaults({ flapHealthChecks: { targetGroups: [n('faults-tg')], period: 2 } })
    let id: string
    try {
      id = await deploy(b, cd, app, 'faults', webApp('v3'))
      const d = await until(cd, id, () => false)
      expect(d.status).toBe('Failed')
      const green = (await targets(id)).filter((t) => t.instanceLabel === 'Green')
      expect(
        green[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!.status
      ).toBe('Failed')
    } finally {
      await setFaults({})
    }
    // The deregistration delay is 30 s here; the fault holds each for 2.5 s, in flight or not.
    await setFaults({ slowDeregistration: { targetGroups: [n('faults-tg')], ms: 2500 } })
    try {
      id = await deploy(b, cd, app, 'faults', webApp('v4'))
      expect((await until(cd, id, () => false)).status).toBe('Succeeded')
      const blue = (await targets(id)).filter((t) => t.instanceLabel === 'Blue')
      const block = blue[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'BlockTraffic')!
      const ms = block.endTime!.getTime() - block.startTime!.getTime()
      expect(ms).toBeGreaterThanOrEqual(2400)
    } finally {
      await setFaults({})
    }
  }, 120_000)
})
