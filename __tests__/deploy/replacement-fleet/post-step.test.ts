// The post step after a cancelled blue/green deployment (SDK mocked): it waits for the stop to
// end, then applies failed-replacement-fleet as the main step would have.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand
} from '@aws-sdk/client-auto-scaling'
import {
  BatchGetDeploymentTargetsCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand
} from '@aws-sdk/client-codedeploy'
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { MemoryLogger } from '../../../src/common/log.js'
import { runPost } from '../../../src/post.js'
import { FakeClock } from '../fake-codedeploy.js'
import { asg, blueGreenInfo, cd, elb, ID, mockTargetGroup } from '../blue-green-fixtures.js'

const COPY = `CodeDeploy_web_${ID}`
const ENV = {
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  'STATE_is-post': 'true',
  STATE_region: 'us-east-1'
}

let log: MemoryLogger
let clock: FakeClock

beforeEach(() => {
  cd.reset()
  asg.reset()
  elb.reset()
  log = new MemoryLogger()
  clock = new FakeClock()
  mockTargetGroup()
  cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['i-green1'] })
  cd.on(BatchGetDeploymentTargetsCommand).resolves({
    deploymentTargets: [
      { instanceTarget: { targetId: 'i-green1', instanceLabel: 'Green', status: 'Failed' } }
    ]
  })
  cd.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: { autoScalingGroups: [{ name: 'web-asg' }] }
  })
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: COPY,
        CreatedTime: new Date('2026-11-30T10:01:00Z'),
        Instances: [{ InstanceId: 'i-green1' } as never],
        MinSize: 0,
        MaxSize: 2,
        DesiredCapacity: 1,
        DefaultCooldown: 300,
        AvailabilityZones: [],
        HealthCheckType: 'EC2'
      }
    ]
  })
  asg.on(DeleteAutoScalingGroupCommand).resolves({})
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [{ Target: { Id: 'i-green1' }, TargetHealth: { State: 'unused' } }]
  })
})

describe('runPost: a blue/green deployment with a copied Auto Scaling group', () => {
  it('main stopped it but did not see it end (fleet-pending): waits for Stopped, then deletes the copy', async () => {
    let calls = 0
    cd.on(GetDeploymentCommand).callsFake(() => ({
      deploymentInfo: blueGreenInfo({ status: ++calls < 3 ? 'InProgress' : 'Stopped' })
    }))
    await runPost(
      log,
      { ...ENV, 'STATE_fleet-pending': ID, 'STATE_failed-replacement-fleet': 'delete' },
      clock.sleep,
      clock.now
    )
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand)[0]!.args[0].input).toEqual({
      AutoScalingGroupName: COPY,
      ForceDelete: true
    })
    expect(log.text('info')).toContain(`Deleted the replacement Auto Scaling group ${COPY}`)
  })

  it('main was killed mid-wait: stops it, then keeps the copy with a warning (the default policy)', async () => {
    let stopped = false
    cd.on(StopDeploymentCommand).callsFake(() => {
      stopped = true
      return { status: 'Pending' }
    })
    cd.on(GetDeploymentCommand).callsFake(() => ({
      deploymentInfo: blueGreenInfo({ status: stopped ? 'Stopped' : 'InProgress' })
    }))
    await runPost(
      log,
      { ...ENV, 'STATE_deployment-id': ID, 'STATE_stop-on-cancel': 'true' },
      clock.sleep,
      clock.now
    )
    expect(stopped).toBe(true)
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand)).toHaveLength(0)
    expect(log.text('warning')).toContain(
      `Deployment ${ID} stopped and left its replacement Auto Scaling group ${COPY} running (1 instance)`
    )
  })

  it('a stop that has not ended within its bound leaves the copy alone, and says so', async () => {
    cd.on(GetDeploymentCommand).resolves({
      deploymentInfo: blueGreenInfo({ status: 'InProgress' })
    })
    await runPost(
      log,
      { ...ENV, 'STATE_fleet-pending': ID, 'STATE_failed-replacement-fleet': 'delete' },
      clock.sleep,
      clock.now
    )
    expect(asg.calls()).toHaveLength(0)
    expect(log.text('warning')).toBe(
      `Deployment ${ID} had not ended 90 s after the stop (status InProgress); its replacement Auto Scaling group is left as it is. Check it in the CodeDeploy console.`
    )
    // Bounded: the fake clock moved 90 s, in 3 s polls.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(90_000)
    expect(clock.elapsed()).toBeLessThan(100_000)
  })
})
