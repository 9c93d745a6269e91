// Blue/green deployments behind the bed's load balancer, with a copied Auto Scaling group: the
// AWS CLI drives one through Ready and ContinueDeployment, and one left in Ready stops at the end
// of its wait; requests through the listener never fail while the traffic moves; a failure
// leaves the replacement group running and the traffic where it was; DISCOVER_EXISTING.
// (blue-green-lifecycle.test.ts: KEEP_ALIVE, TERMINATE, rollback, errors and faults.)
import { describe, expect, it } from '@jest/globals'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { autoScaling, settled } from '../support/bed.js'
import { aws } from '../support/commands.js'
import { tarBundle } from '../support/fixtures.js'
import { readReroute, readSteady, requestLoop } from './reroute.js'
import { deploy } from './traffic.js'
import { blueGreenSuite, events } from './blue-green-suite.js'
import { webApp } from './web-app.js'

const s = blueGreenSuite(
  'bed-bg',
  [
    { name: 'cli', ready: 'STOP_DEPLOYMENT', readyMinutes: 60 },
    { name: 'ready-timeout', ready: 'STOP_DEPLOYMENT', readyMinutes: 5 },
    { name: 'auto' },
    { name: 'discover', provisioning: 'DISCOVER_EXISTING' }
  ],
  ['spare']
)

describe('the AWS CLI drives a blue/green deployment', () => {
  it('create-deployment waits in Ready until continue-deployment; the copy then serves and the original group is gone', async () => {
    const key = `traffic/${s.app}/cli.tgz`
    const up = await aws(s.b, 's3', [
      'cp',
      await tarBundle(webApp('v1')),
      `s3://${s.b.bucket}/${key}`
    ])
    expect(up.code).toBe(0)
    const created = await aws(s.b, 'deploy', [
      'create-deployment',
      '--application-name',
      s.app,
      '--deployment-group-name',
      'cli',
      '--s3-location',
      `bucket=${s.b.bucket},key=${key},bundleType=tgz`,
      '--query',
      'deploymentId',
      '--output',
      'text'
    ])
    expect(created.stderr).toBe('')
    const id = created.stdout.trim()
    const ready = await settled(s.cd, id, 90_000, (d) => d.status === 'Ready')
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
    expect(ready.loadBalancerInfo).toEqual({ targetGroupInfoList: [{ name: s.n('cli-tg') }] })

    const green = await aws(s.b, 'deploy', [
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
    const all = await s.targets(id)
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

    const early = await aws(s.b, 'deploy', [
      'continue-deployment',
      '--deployment-id',
      id,
      '--deployment-wait-type',
      'TERMINATION_WAIT'
    ])
    expect(early.code).not.toBe(0)
    expect(early.stderr).toContain('InvalidDeploymentStatusException')

    const go = await aws(s.b, 'deploy', [
      'continue-deployment',
      '--deployment-id',
      id,
      '--deployment-wait-type',
      'READY_WAIT'
    ])
    expect(go).toMatchObject({ code: 0, stderr: '' })
    const done = await settled(s.cd, id, 90_000)
    expect(done.status).toBe('Succeeded')
    expect(done.deploymentOverview).toMatchObject({ Succeeded: 4, Ready: 0 })

    const copy = `CodeDeploy_cli_${id}`
    const described = await aws(s.b, 'autoscaling', [
      'describe-auto-scaling-groups',
      '--auto-scaling-group-names',
      copy,
      s.n('cli-asg'),
      '--query',
      'AutoScalingGroups[].[AutoScalingGroupName,length(Instances)]',
      '--output',
      'text'
    ])
    expect(described.stderr).toBe('')
    expect(described.stdout.trim()).toBe(`${copy}\t2`)
    expect(await s.groupAsg('cli')).toEqual([copy])
    expect((await fetch(s.url('cli')).then((r) => r.text())).trim()).toBe('v1')

    const again = await aws(s.b, 'deploy', ['continue-deployment', '--deployment-id', id])
    expect(again.stderr).toContain('DeploymentAlreadyCompletedException')
  }, 120_000)

  it('a deployment left in Ready is stopped at the end of its wait; the replacement group stays', async () => {
    const id = await deploy(s.b, s.cd, s.app, 'ready-timeout', webApp('v1'))
    const ready = await settled(s.cd, id, 90_000, (d) => d.status === 'Ready')
    expect(ready.status).toBe('Ready')
    const t0 = Date.now()
    const end = await settled(s.cd, id, 90_000)
    expect(end.status).toBe('Stopped')
    expect(end.errorInformation?.code).toBe('TIMEOUT')
    // 5 minutes at timeScale 0.01: 3 s from Ready (less what the first poll took).
    expect(Date.now() - t0).toBeGreaterThan(1500)
    expect(await s.asgNames()).toContain(`CodeDeploy_ready-timeout_${id}`)
    expect(await s.groupAsg('ready-timeout')).toEqual([s.n('ready-timeout-asg')])
    const all = await s.targets(id)
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
    const first = await deploy(s.b, s.cd, s.app, 'auto', webApp('v1'))
    expect((await settled(s.cd, first, 90_000)).status).toBe('Succeeded')

    let loop = requestLoop(s.url('auto'))
    const second = await deploy(s.b, s.cd, s.app, 'auto', webApp('v2'))
    const ok = await settled(s.cd, second, 90_000)
    await new Promise((r) => setTimeout(r, 300))
    let seen = await loop.stop()
    expect(ok.status).toBe('Succeeded')
    expect(readReroute(seen, 'v1', 'v2').problems).toEqual([])
    expect(seen.versions.length).toBeGreaterThan(20)
    expect(await s.groupAsg('auto')).toEqual([`CodeDeploy_auto_${second}`])
    expect(await s.asgNames()).not.toContain(`CodeDeploy_auto_${first}`)

    loop = requestLoop(s.url('auto'))
    const third = await deploy(s.b, s.cd, s.app, 'auto', webApp('v3', 503))
    const failed = await settled(s.cd, third, 90_000)
    seen = await loop.stop()
    expect(failed.status).toBe('Failed')
    expect(failed.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
    expect(readSteady(seen, 'v2').problems).toEqual([])

    // The replacement group is left running, as users report on AWS; the group keeps v2's.
    const copy = `CodeDeploy_auto_${third}`
    const r = await autoScaling(s.b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [copy] })
    )
    expect(r.AutoScalingGroups![0]!.Instances!.map((i) => i.LifecycleState)).toEqual([
      'InService',
      'InService'
    ])
    expect(await s.groupAsg('auto')).toEqual([`CodeDeploy_auto_${second}`])
    const all = await s.targets(third)
    for (const t of all.filter((x) => x.instanceLabel === 'Green')) {
      expect(t.status).toBe('Failed')
      const allow = t.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!
      expect(allow.status).toBe('Failed')
      expect(allow.diagnostics?.message).toContain(s.n('auto-tg'))
      // Deregistered again, so that it can never serve the failed revision.
      const tg = await s.health('auto')
      expect(['draining', undefined]).toContain(tg[t.targetId!])
    }
    for (const t of all.filter((x) => x.instanceLabel === 'Blue')) expect(t.status).toBe('Skipped')
  }, 120_000)

  it('a failing hook on a replacement instance fails the deployment before any traffic moves', async () => {
    const before = await deploy(s.b, s.cd, s.app, 'auto', webApp('v4'))
    expect((await settled(s.cd, before, 90_000)).status).toBe('Succeeded')
    const id = await deploy(
      s.b,
      s.cd,
      s.app,
      'auto',
      webApp('v5', 200, '  ValidateService:\n    - location: fail.sh\n')
    )
    const d = await settled(s.cd, id, 90_000)
    // fail.sh is missing from the bundle: ValidateService fails with ScriptMissing.
    expect(d.status).toBe('Failed')
    const green = (await s.targets(id)).filter((t) => t.instanceLabel === 'Green')
    expect(green.map((t) => t.status)).toEqual(['Failed', 'Failed'])
    expect(
      green[0]!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'ValidateService')!
        .diagnostics?.errorCode
    ).toBe('ScriptMissing')
    expect((await fetch(s.url('auto')).then((r) => r.text())).trim()).toBe('v4')
    expect(await s.asgNames()).toContain(`CodeDeploy_auto_${id}`)
  }, 90_000)
})

describe('DISCOVER_EXISTING', () => {
  it('deploys to the Auto Scaling group named in targetInstances and moves the traffic to it', async () => {
    const spare = await autoScaling(s.b).send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [s.n('spare-asg')] })
    )
    const green = spare.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!).sort()
    const id = await deploy(s.b, s.cd, s.app, 'discover', webApp('v1'), {
      targetInstances: { autoScalingGroups: [s.n('spare-asg')] }
    })
    const d = await settled(s.cd, id, 90_000)
    expect(d.status).toBe('Succeeded')
    expect(d.targetInstances).toEqual({ autoScalingGroups: [s.n('spare-asg')] })
    const all = await s.targets(id)
    expect(
      all
        .filter((t) => t.instanceLabel === 'Green')
        .map((t) => t.targetId)
        .sort()
    ).toEqual(green)
    expect((await fetch(s.url('discover')).then((r) => r.text())).trim()).toBe('v1')
    expect(await s.groupAsg('discover')).toEqual([s.n('spare-asg')])
  }, 90_000)
})
