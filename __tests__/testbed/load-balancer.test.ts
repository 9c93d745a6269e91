// The bed's network, load balancer and Auto Scaling API: instances have addresses the host
// reaches (and nothing beyond the bed's subnet); an in-place OneAtATime deployment with traffic
// control blocks and allows each instance so that no request through the listener fails; the
// Auto Scaling and ELBv2 Query APIs answer the SDK with the services' shapes and errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  BatchGetDeploymentTargetsCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type InstanceTarget
} from '@aws-sdk/client-codedeploy'
import {
  AutoScalingClient,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  UpdateAutoScalingGroupCommand
} from '@aws-sdk/client-auto-scaling'
import {
  ElasticLoadBalancingV2Client,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  admin,
  autoScaling,
  bed,
  type Bed,
  type BedInstance,
  codedeploy,
  elb,
  instances,
  settled,
  unique
} from '../support/bed.js'
import { aws, onInstance } from '../support/commands.js'
import { REPO } from '../e2e/harness.js'
import { addLoadBalancedFleet, deploy, fleetYaml } from './traffic.js'
import { readReroute, requestLoop, switches } from './reroute.js'
import { webApp } from './web-app.js'

let b: Bed
let cd: CodeDeployClient
let asg: AutoScalingClient
const app = unique('bed-lb')
const n = (s: string) => `${app}-${s}`
let listener: Record<string, string>

async function instancesOf(group: string): Promise<BedInstance[]> {
  return (await instances(b)).filter((i) => i.autoScalingGroup === group)
}

beforeAll(async () => {
  b = bed()
  cd = codedeploy(b)
  asg = autoScaling(b)
  listener = await addLoadBalancedFleet(
    b,
    fleetYaml({
      app,
      targetGroups: [{ name: n('web-tg') }, { name: n('api-tg') }],
      autoScalingGroups: [
        { name: n('web-asg'), instances: 3, targetGroup: n('web-tg') },
        { name: n('api-asg'), instances: 2, targetGroup: n('api-tg') }
      ],
      inPlace: [{ name: 'web', asg: n('web-asg'), tg: n('web-tg') }]
    })
  )
}, 60_000)

afterAll(() => {
  cd.destroy()
  asg.destroy()
})

describe('the interface other suites and the demo rely on', () => {
  it('exports the Auto Scaling and ELBv2 endpoints the SDK reads, and the listeners of the fleet file', async () => {
    expect(process.env.AWS_ENDPOINT_URL_AUTO_SCALING).toBe(b.codedeployEndpoint)
    expect(process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2).toBe(b.codedeployEndpoint)
    // Clients given no endpoint find the bed through those variables alone.
    const plainAsg = new AutoScalingClient({ region: b.region })
    const groups = await plainAsg.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [n('web-asg')] })
    )
    expect(groups.AutoScalingGroups!.map((g) => g.AutoScalingGroupName)).toEqual([n('web-asg')])
    plainAsg.destroy()
    const plainElb = new ElasticLoadBalancingV2Client({ region: b.region })
    const tgs = await plainElb.send(new DescribeTargetGroupsCommand({ Names: [n('web-tg')] }))
    expect(tgs.TargetGroups!.map((t) => t.TargetGroupName)).toEqual([n('web-tg')])
    plainElb.destroy()
    const listeners = JSON.parse(process.env.TESTBED_TARGET_GROUPS ?? 'not set') as Record<
      string,
      string
    >
    for (const url of Object.values(listeners)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('testbed/examples/blue-green.yml declares the groups the interface names', async () => {
    const example = readFileSync(path.join(REPO, 'testbed/examples/blue-green.yml'), 'utf8')
    // Under names of this suite's own, so that it disturbs no one sharing the bed.
    const mine = example
      .replace(/\bbg-app\b/g, n('bg-app'))
      .replace(/\b(bg|web)-(tg|asg)\b/g, (m) => n(m))
    const added = await admin<{ targetGroups: Record<string, string> }>(b, 'PUT', '/fleet', mine)
    expect(Object.keys(added.targetGroups).sort()).toEqual([n('bg-tg'), n('web-tg')])
    const info = async (group: string) =>
      (
        await cd.send(
          new GetDeploymentGroupCommand({
            applicationName: n('bg-app'),
            deploymentGroupName: group
          })
        )
      ).deploymentGroupInfo!
    const auto = await info('bg-auto')
    expect(auto.deploymentStyle).toEqual({
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL'
    })
    expect(auto.autoScalingGroups!.map((g) => g.name)).toEqual([n('bg-asg')])
    expect(auto.loadBalancerInfo).toEqual({ targetGroupInfoList: [{ name: n('bg-tg') }] })
    expect(auto.blueGreenDeploymentConfiguration).toEqual({
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: 0
      }
    })
    expect(
      (await info('bg-wait')).blueGreenDeploymentConfiguration!
        .terminateBlueInstancesOnDeploymentSuccess!.terminationWaitTimeInMinutes
    ).toBe(60)
    expect(
      (await info('bg-manual')).blueGreenDeploymentConfiguration!.deploymentReadyOption
    ).toEqual({ actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 })
    expect(
      (await info('bg-keep')).blueGreenDeploymentConfiguration!
        .terminateBlueInstancesOnDeploymentSuccess!.action
    ).toBe('KEEP_ALIVE')
    const web = await info('web-lb')
    expect(web).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      loadBalancerInfo: { targetGroupInfoList: [{ name: n('web-tg') }] }
    })
    expect(await instancesOf(n('bg-asg'))).toHaveLength(2)
    expect(await instancesOf(n('web-asg'))).toHaveLength(3)
    const tg = await elb(b).send(new DescribeTargetGroupsCommand({ Names: [n('bg-tg')] }))
    expect(tg.TargetGroups![0]).toMatchObject({ Port: 8080, HealthCheckPath: '/health' })
  })
})

describe('the network between the host and its instances', () => {
  it('each namespace instance has its own address, reachable from the host, and no default route', async () => {
    const web = await instancesOf(n('web-asg'))
    expect(web).toHaveLength(3)
    const addresses = web.map((i) => i.address!)
    expect(new Set(addresses).size).toBe(3)
    for (const a of addresses) expect(a).toMatch(/^10\.2[0-4]\d\.\d+\.\d+$/)
    const inside = await onInstance(web[0]!.id, 'ip -4 -o addr show eth0; ip route')
    expect(inside.stdout).toContain(addresses[0])
    expect(inside.stdout).not.toContain('default')
    // No route out (a route lookup sends nothing), and the host forwards nothing from the bridge.
    const out = await onInstance(web[0]!.id, 'ip route get 203.0.113.1')
    expect(out.code).not.toBe(0)
    expect(out.stderr).toContain('unreachable')
    const bridge = readFileSync(path.join(process.env.TESTBED_STATE_DIR!, 'bridge'), 'utf8').trim()
    expect(readFileSync(`/proc/sys/net/ipv4/conf/${bridge}/forwarding`, 'utf8').trim()).toBe('0')
    // A server on the instance answers the host on the instance's address.
    const served = await onInstance(
      web[0]!.id,
      'cd /tmp && (setsid /usr/bin/python3 -m http.server 8099 --bind 0.0.0.0 >/dev/null 2>&1 &)'
    )
    expect(served.code).toBe(0)
    let status = 0
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await fetch(`http://${addresses[0]}:8099/`).then(
        (r) => r.status,
        () => 0
      )
      if (status !== 200) await new Promise((r) => setTimeout(r, 100))
    }
    expect(status).toBe(200)
    await onInstance(web[0]!.id, "pkill -f 'http.server 8099' || true")
  })
})

describe('in place with traffic control', () => {
  const targets = async (id: string): Promise<InstanceTarget[]> => {
    const { targetIds } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))
    const r = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds }))
    return r.deploymentTargets!.map((t) => t.instanceTarget!)
  }

  it('OneAtATime: each instance is blocked, updated and allowed again; no request fails', async () => {
    const first = await deploy(b, cd, app, 'web', webApp('v1'))
    expect((await settled(cd, first, 90_000)).status).toBe('Succeeded')
    const loop = requestLoop(listener[n('web-tg')]!)
    const second = await deploy(b, cd, app, 'web', webApp('v2'))
    const d = await settled(cd, second, 90_000)
    await new Promise((r) => setTimeout(r, 300))
    const seen = await loop.stop()
    expect(d.status).toBe('Succeeded')
    expect(d.deploymentStyle).toEqual({
      deploymentType: 'IN_PLACE',
      deploymentOption: 'WITH_TRAFFIC_CONTROL'
    })
    expect(readReroute(seen, 'v1', 'v2').problems).toEqual([])
    expect(seen.versions.length).toBeGreaterThan(20)
    // Old and new answer side by side while the instances are updated one at a time.
    expect(switches(seen.versions).length).toBeGreaterThan(2)
    const all = await targets(second)
    expect(all).toHaveLength(3)
    for (const t of all) {
      expect(t.instanceLabel).toBeUndefined()
      expect(t.lifecycleEvents!.map((e) => `${e.lifecycleEventName}:${e.status}`)).toEqual([
        'BeforeBlockTraffic:Succeeded',
        'BlockTraffic:Succeeded',
        'AfterBlockTraffic:Succeeded',
        'ApplicationStop:Succeeded',
        'DownloadBundle:Succeeded',
        'BeforeInstall:Succeeded',
        'Install:Succeeded',
        'AfterInstall:Succeeded',
        'ApplicationStart:Succeeded',
        'ValidateService:Succeeded',
        'BeforeAllowTraffic:Succeeded',
        'AllowTraffic:Succeeded',
        'AfterAllowTraffic:Succeeded'
      ])
    }
    // One at a time: an instance's BlockTraffic starts after the previous one's AllowTraffic.
    const spans = all
      .map((t) => ({
        block: t.lifecycleEvents![1]!.startTime!.getTime(),
        allow: t.lifecycleEvents![11]!.endTime!.getTime()
      }))
      .sort((x, y) => x.block - y.block)
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]!.block).toBeGreaterThanOrEqual(spans[i - 1]!.allow)
  }, 120_000)

  it('AllowTraffic fails on an instance that fails its health checks; the others keep serving', async () => {
    const loop = requestLoop(listener[n('web-tg')]!)
    const id = await deploy(b, cd, app, 'web', webApp('v3', 500))
    const d = await settled(cd, id, 90_000)
    const seen = await loop.stop()
    expect(d.status).toBe('Failed')
    expect(d.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
    expect(seen.failed).toEqual([])
    const statuses = (await targets(id)).map((t) => t.status).sort()
    expect(statuses).toEqual(['Failed', 'Skipped', 'Skipped'])
    const failed = (await targets(id)).find((t) => t.status === 'Failed')!
    const allow = failed.lifecycleEvents!.find((e) => e.lifecycleEventName === 'AllowTraffic')!
    expect(allow).toMatchObject({ status: 'Failed' })
    expect(allow.diagnostics?.message).toBe(
      `The instance did not pass the health checks of target group ${n('web-tg')}.`
    )
    // What the instance answered is in DescribeTargetHealth, as on AWS.
    const client = elb(b)
    const tg = await client.send(new DescribeTargetGroupsCommand({ Names: [n('web-tg')] }))
    const h = await client.send(
      new DescribeTargetHealthCommand({
        TargetGroupArn: tg.TargetGroups![0]!.TargetGroupArn,
        Targets: [{ Id: failed.targetId! }]
      })
    )
    expect(h.TargetHealthDescriptions![0]!.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]'
    })
  }, 120_000)
})

describe('the Auto Scaling and ELBv2 APIs', () => {
  it('UpdateAutoScalingGroup launches and terminates instances; they join and leave the target group', async () => {
    const name = n('api-asg')
    await asg.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        MaxSize: 4,
        DesiredCapacity: 3
      })
    )
    const grown = await asg.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })
    )
    expect(grown.AutoScalingGroups![0]).toMatchObject({ DesiredCapacity: 3, MaxSize: 4 })
    expect(grown.AutoScalingGroups![0]!.TargetGroupARNs).toHaveLength(1)
    for (let i = 0; i < 50 && (await instancesOf(name)).length < 3; i++)
      await new Promise((r) => setTimeout(r, 100))
    const ids = (await instancesOf(name)).map((i) => i.id)
    expect(ids).toHaveLength(3)
    const mine = await asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: ids }))
    expect(mine.AutoScalingInstances!.map((i) => i.AutoScalingGroupName)).toEqual([
      name,
      name,
      name
    ])

    const client = elb(b)
    const tg = await client.send(new DescribeTargetGroupsCommand({ Names: [n('api-tg')] }))
    const arn = tg.TargetGroups![0]!.TargetGroupArn!
    expect(tg.TargetGroups![0]).toMatchObject({
      Port: 8080,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 1,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' }
    })
    const registered = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
    expect(registered.TargetHealthDescriptions!.map((d) => d.Target!.Id).sort()).toEqual(
      [...ids].sort()
    )
    const attrs = await client.send(
      new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })
    )
    expect(attrs.Attributes).toContainEqual({
      Key: 'deregistration_delay.timeout_seconds',
      Value: '1'
    })

    await asg.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 })
    )
    expect(await instancesOf(name)).toHaveLength(1)
    await expect(
      asg.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: 9 })
      )
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Desired capacity:9 must be between the specified min size:0 and max size:4'
    })
  })

  it('DeleteAutoScalingGroup needs ForceDelete while instances run; unknown names are errors', async () => {
    const name = n('api-asg')
    await expect(
      asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name }))
    ).rejects.toMatchObject({
      name: 'ResourceInUseFault',
      message:
        'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.'
    })
    const left = (await instancesOf(name)).map((i) => i.id)
    await asg.send(
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })
    )
    const after = await asg.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })
    )
    expect(after.AutoScalingGroups).toEqual([])
    const all = await instances(b)
    for (const id of left) expect(all.map((i) => i.id)).not.toContain(id)
    await expect(
      asg.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: 1 })
      )
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`
    })
    await expect(
      elb(b).send(new DescribeTargetGroupsCommand({ Names: [n('no-such-tg')] }))
    ).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      message: 'One or more target groups not found'
    })
  })

  it('checks SigV4 as the services do, and the CLI reads the same answers', async () => {
    const wrong = new AutoScalingClient({
      region: b.region,
      endpoint: b.codedeployEndpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: 'wrong' }
    })
    await expect(wrong.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 }
    })
    wrong.destroy()
    const cli = await aws(b, 'elbv2', [
      'describe-target-groups',
      '--names',
      n('web-tg'),
      '--query',
      'TargetGroups[0].TargetGroupName',
      '--output',
      'text'
    ])
    expect(cli).toMatchObject({ code: 0, stdout: `${n('web-tg')}\n` })
  })
})
