// One group's run of a blue/green deployment with CodeDeploy, Auto Scaling and ELBv2 mocked:
// wait-until, on-ready, continue-deployment, the traffic explained, and where the traffic is
// after a stop. GetDeployment answers from a script, one state per call.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type DeploymentTarget,
  type LifecycleEventStatus,
  type TargetLabel,
  type TargetStatus
} from '@aws-sdk/client-codedeploy'
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { deployToGroups } from '../../../src/deploy/run-deployments.js'
import type { DeploySettings } from '../../../src/settings/settings.js'
import { REVISION, testSettings } from '../fake-codedeploy.js'
import { asg, blueGreenInfo, cd, freshContext, elb, ID } from '../blue-green-fixtures.js'

let t: ReturnType<typeof freshContext>

function target(
  id: string,
  label: string,
  status: string,
  events: [string, string][],
  at = 0
): DeploymentTarget {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      targetId: id,
      instanceLabel: label as TargetLabel,
      status: status as TargetStatus,
      lifecycleEvents: events.map(([name, s]) => ({
        lifecycleEventName: name,
        status: s as LifecycleEventStatus,
        ...(s === 'InProgress' ? { startTime: new Date(at) } : {}),
        ...(name === 'AllowTraffic' && s === 'Failed'
          ? {
              diagnostics: {
                errorCode: 'UnknownError',
                message: 'The instance did not pass the health checks of target group web-tg.'
              }
            }
          : {})
      }))
    }
  }
}

/** GetDeployment answers these, one per call, the last one from then on. */
function script(...states: DeploymentInfo[]): void {
  let call = 0
  cd.on(GetDeploymentCommand).callsFake(() => ({
    deploymentInfo: states[Math.min(call++, states.length - 1)]
  }))
}

function targets(...list: DeploymentTarget[]): void {
  cd.on(ListDeploymentTargetsCommand).resolves({
    targetIds: list.map((x) => x.instanceTarget!.targetId!)
  })
  cd.on(BatchGetDeploymentTargetsCommand).resolves({ deploymentTargets: list })
}

function run(
  over: Partial<DeploySettings> = {},
  continueTarget?: { deploymentId: string; termination: boolean }
) {
  return deployToGroups({
    settings: testSettings({ deploymentGroups: ['web'], ...over }),
    ...(continueTarget ? { continueTarget } : { revision: REVISION }),
    region: 'us-east-1',
    ...t.ctx
  })
}

beforeEach(() => {
  t = freshContext()
  cd.on(ListDeploymentsCommand).resolves({ deployments: [] })
  cd.on(CreateDeploymentCommand).resolves({ deploymentId: ID })
  cd.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: { autoScalingGroups: [{ name: 'web-asg' }] }
  })
  cd.on(ContinueDeploymentCommand).resolves({})
  targets(
    target('i-blue1', 'Blue', 'Pending', [['BlockTraffic', 'Pending']]),
    target('i-green1', 'Green', 'InProgress', [['Install', 'InProgress']])
  )
})

const ready = (over: Partial<DeploymentInfo> = {}) =>
  blueGreenInfo({
    status: 'Ready',
    blueGreenDeploymentConfiguration: {
      ...blueGreenInfo().blueGreenDeploymentConfiguration,
      deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 }
    },
    ...over
  })

describe('wait-until', () => {
  const rerouted = blueGreenInfo({ instanceTerminationWaitTimeStarted: true })

  it('traffic-rerouted ends the step at the termination wait: outcome rerouted, status InProgress, when the originals go', async () => {
    script(blueGreenInfo(), blueGreenInfo(), rerouted)
    const r = await run({ waitUntil: 'traffic-rerouted' })
    expect(r.ok).toBe(true)
    expect(r.groups[0]).toMatchObject({ outcome: 'rerouted', status: 'InProgress' })
    const info = t.log.text('info')
    expect(info).toContain(
      `Deployment ${ID}: blue/green behind target group 'web-tg': copies Auto Scaling group 'web-asg' as the replacement fleet, reroutes after the install, terminates the original instances 60 minutes later.`
    )
    expect(info).toContain(
      `Deployment ${ID} to 'web' moved the traffic to the replacement instances, which passed their health checks; the step ends here (wait-until: traffic-rerouted) with the deployment InProgress. CodeDeploy terminates the original instances after its termination wait of 60 minutes`
    )
    expect(t.log.text('warning')).toBe('')
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(0)
  })

  it('succeeded waits through the termination wait, after warning that it is longer than wait-timeout', async () => {
    script(blueGreenInfo(), rerouted, rerouted, blueGreenInfo({ status: 'Succeeded' }))
    const r = await run({ waitTimeoutMinutes: 30 })
    expect(r.groups[0]).toMatchObject({ outcome: 'succeeded', status: 'Succeeded' })
    expect(t.log.lines.filter((l) => l.level === 'warning').map((l) => l.props?.title)).toEqual([
      'wait-timeout shorter than the termination wait'
    ])
    expect(t.log.text('warning')).toContain('longer than wait-timeout (30 minutes)')
  })

  it('the progress lines carry the Blue/Green labels', async () => {
    script(blueGreenInfo(), blueGreenInfo({ status: 'Succeeded' }))
    await run()
    expect(t.log.text('info')).toContain(`${ID} i-green1 (Green): Install`)
    expect(t.log.text('info')).toContain(`${ID} i-blue1 (Blue): Pending`)
  })
})

describe('on-ready', () => {
  it('finish ends the step at Ready: outcome ready, no ContinueDeployment, the way on', async () => {
    // The plan comes from the first look: the group reroutes by hand (STOP_DEPLOYMENT, 30 min).
    script(ready({ status: 'InProgress' }), ready())
    const r = await run({ onReady: 'finish' })
    expect(r.ok).toBe(true)
    expect(r.groups[0]).toMatchObject({ outcome: 'ready', status: 'Ready' })
    expect(cd.commandCalls(ContinueDeploymentCommand)).toHaveLength(0)
    expect(t.log.text('info')).toContain(
      `The step ends here (on-ready: finish). Move the traffic with this action and continue-deployment: ${ID}`
    )
    expect(t.log.text('info')).toContain(
      'CodeDeploy stops it if nobody continues it within 30 minutes of the install.'
    )
  })

  it('finish stops the chain of groups: the next group waits for the approval', async () => {
    script(blueGreenInfo(), ready())
    const r = await deployToGroups({
      settings: testSettings({ deploymentGroups: ['web', 'prod'], onReady: 'finish' }),
      revision: REVISION,
      region: 'us-east-1',
      ...t.ctx
    })
    expect(r.ok).toBe(true)
    expect(r.groups.map((g) => g.outcome)).toEqual(['ready', 'not-attempted'])
    expect(t.log.text('info')).toContain(
      `Not deploying to 'prod': deployment ${ID} to 'web' waits in Ready for its traffic switch (on-ready: finish).`
    )
  })

  it('continue calls ContinueDeployment once (READY_WAIT) and waits for the end', async () => {
    script(
      blueGreenInfo(),
      ready(),
      ready(),
      blueGreenInfo(),
      blueGreenInfo({ status: 'Succeeded' })
    )
    const r = await run({ onReady: 'continue' })
    expect(r.groups[0]).toMatchObject({ outcome: 'succeeded' })
    expect(cd.commandCalls(ContinueDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: ID, deploymentWaitType: 'READY_WAIT' }
    ])
  })

  it('wait says who must continue it, then waits without calling ContinueDeployment', async () => {
    script(blueGreenInfo(), ready(), ready(), ready(), blueGreenInfo({ status: 'Succeeded' }))
    const r = await run()
    expect(r.groups[0]!.outcome).toBe('succeeded')
    expect(cd.commandCalls(ContinueDeploymentCommand)).toHaveLength(0)
    const said = t.log.text('info')
    expect(said).toContain(
      `Waiting for someone to continue it (on-ready: wait), within wait-timeout (60 minutes): in the console, or with this action and continue-deployment: ${ID}.`
    )
    // Said once, however many polls see Ready.
    expect(said.split('Waiting for someone').length).toBe(2)
  })
})

describe('continue-deployment', () => {
  it('continues the deployment of the named group and follows it; nothing is created', async () => {
    script(ready(), ready(), blueGreenInfo(), blueGreenInfo({ status: 'Succeeded' }))
    const r = await run({}, { deploymentId: ID, termination: false })
    expect(r.groups[0]).toMatchObject({ id: ID, outcome: 'succeeded' })
    expect(cd.commandCalls(CreateDeploymentCommand)).toHaveLength(0)
    expect(cd.commandCalls(ContinueDeploymentCommand)[0]!.args[0].input).toEqual({
      deploymentId: ID,
      deploymentWaitType: 'READY_WAIT'
    })
  })

  it('refuses a deployment of another group before calling ContinueDeployment', async () => {
    script(ready({ deploymentGroupName: 'other' }))
    const r = await run({}, { deploymentId: ID, termination: false })
    expect(r.ok).toBe(false)
    expect(r.error?.message).toBe(
      `Deployment ${ID} belongs to application 'my-app', group 'other', not to 'my-app', 'web'.`
    )
    expect(cd.commandCalls(ContinueDeploymentCommand)).toHaveLength(0)
  })

  it('continue-termination waits for the end whatever wait-until says', async () => {
    const waiting = blueGreenInfo({ instanceTerminationWaitTimeStarted: true })
    script(waiting, waiting, waiting, blueGreenInfo({ status: 'Succeeded' }))
    const r = await run({ waitUntil: 'traffic-rerouted' }, { deploymentId: ID, termination: true })
    expect(r.groups[0]).toMatchObject({ outcome: 'succeeded', status: 'Succeeded' })
    expect(cd.commandCalls(ContinueDeploymentCommand)[0]!.args[0].input.deploymentWaitType).toBe(
      'TERMINATION_WAIT'
    )
  })
})

describe('the traffic explained', () => {
  it('a failed AllowTraffic is explained by the health check and what the load balancer said', async () => {
    targets(
      target('i-blue1', 'Blue', 'Pending', [['BlockTraffic', 'Pending']]),
      target('i-green1', 'Green', 'InProgress', [['AllowTraffic', 'InProgress']], 0)
    )
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: 'i-green1' },
          TargetHealth: {
            State: 'unhealthy',
            Reason: 'Target.ResponseCodeMismatch',
            Description: 'Health checks failed with these codes: [502]'
          }
        }
      ]
    })
    let call = 0
    cd.on(GetDeploymentCommand).callsFake(() => {
      call++
      if (call === 3)
        targets(
          target('i-blue1', 'Blue', 'Skipped', [['BlockTraffic', 'Skipped']]),
          target('i-green1', 'Green', 'Failed', [['AllowTraffic', 'Failed']])
        )
      return {
        deploymentInfo: call < 3 ? blueGreenInfo() : blueGreenInfo({ status: 'Failed' })
      }
    })
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] })
    const r = await run()
    expect(t.log.text('info')).toContain(
      `${ID} i-green1 (Green): AllowTraffic: target group 'web-tg' says unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502])`
    )
    const [f] = r.groups[0]!.failedInstances
    expect(f).toMatchObject({
      instanceId: 'i-green1',
      label: 'Green',
      lifecycleEvent: 'AllowTraffic'
    })
    expect(f!.explanation).toBe(
      "The instance did not pass the load balancer's health checks: target group 'web-tg' checks HTTP /health on port 8080, expecting 200, every 30 s (timeout 5 s), unhealthy after 2 failures, healthy after 5 passes; the load balancer said unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502]). Check that the application answers the health check path on that port once ApplicationStart and ValidateService have run."
    )
    expect(t.log.text('error')).toContain('Health checks failed with these codes: [502]')
  })

  it('a BlockTraffic running long is put down to the deregistration delay, once', async () => {
    targets(
      target('i-blue1', 'Blue', 'InProgress', [['BlockTraffic', 'InProgress']], t.clock.now())
    )
    elb.on(DescribeTargetGroupAttributesCommand).resolves({
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }]
    })
    const states = Array.from({ length: 30 }, () => blueGreenInfo())
    script(...states, blueGreenInfo({ status: 'Succeeded' }))
    await run()
    const lines = t.log.lines.filter((l) => l.message.includes('drain connections'))
    expect(lines.map((l) => l.message)).toEqual([
      `${ID}: BlockTraffic on i-blue1 (Blue) is waiting for the load balancer to drain connections: the deregistration delay of target group 'web-tg' 300 s (attribute deregistration_delay.timeout_seconds; ELBv2's default is 300 s). Lower it on the target group if your requests finish sooner: every deployment waits for it.`
    ])
  })
})

describe('a stop says where the traffic is', () => {
  it('on-timeout: stop on a blue/green deployment reads the target group: the original instances serve', async () => {
    targets(
      target('i-blue1', 'Blue', 'Pending', [['BlockTraffic', 'Pending']]),
      target('i-green1', 'Green', 'InProgress', [['Install', 'InProgress']])
    )
    let stopped = false
    cd.on(StopDeploymentCommand).callsFake(() => {
      stopped = true
      return { status: 'Pending' }
    })
    cd.on(GetDeploymentCommand).callsFake(() => ({
      deploymentInfo: stopped ? blueGreenInfo({ status: 'Stopped' }) : blueGreenInfo()
    }))
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [{ Target: { Id: 'i-blue1' }, TargetHealth: { State: 'healthy' } }]
    })
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] })
    const r = await run({ waitTimeoutMinutes: 1, onTimeout: 'stop' })
    expect(r.groups[0]!.outcome).toBe('timed-out')
    expect(r.error?.message).toContain(
      "The traffic is on the original (Blue) instances: 1 serving in target group 'web-tg'."
    )
    expect(r.groups[0]!.traffic).toBe(
      "The traffic is on the original (Blue) instances: 1 serving in target group 'web-tg'."
    )
    expect(r.error?.describe()).toContain('or set wait-until: traffic-rerouted')
  })
})
