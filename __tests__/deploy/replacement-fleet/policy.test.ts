// failed-replacement-fleet with the SDK mocked: a copy is deleted only when it is this
// deployment's and serves no traffic; keep warns with the command; every refusal says why.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup
} from '@aws-sdk/client-auto-scaling'
import { GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy'
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { settleReplacementFleet } from '../../../src/deploy/replacement-fleet/policy.js'
import { TargetGroups } from '../../../src/deploy/traffic/target-groups.js'
import { awsError } from '../fake-codedeploy.js'
import {
  asg,
  blueGreenInfo,
  cd,
  freshContext,
  elb,
  ID,
  instance,
  TG_ARN
} from '../blue-green-fixtures.js'

const COPY = `CodeDeploy_web_${ID}`
const failed = blueGreenInfo({ status: 'Failed' })
const instances = [
  instance('i-blue1', 'Blue', 'Skipped'),
  instance('i-blue2', 'Blue', 'Skipped'),
  instance('i-green1', 'Green', 'Failed'),
  instance('i-green2', 'Green', 'Failed')
]

function copyGroup(over: Partial<AutoScalingGroup> = {}): AutoScalingGroup {
  return {
    AutoScalingGroupName: COPY,
    CreatedTime: new Date('2026-11-30T10:00:30Z'),
    Instances: [{ InstanceId: 'i-green1' } as never, { InstanceId: 'i-green2' } as never],
    TargetGroupARNs: [],
    LoadBalancerNames: [],
    MinSize: 0,
    MaxSize: 4,
    DesiredCapacity: 2,
    DefaultCooldown: 300,
    AvailabilityZones: [],
    HealthCheckType: 'EC2',
    ...over
  }
}

let t: ReturnType<typeof freshContext>

beforeEach(() => {
  t = freshContext()
  asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [copyGroup()] })
  asg.on(DeleteAutoScalingGroupCommand).resolves({})
  cd.on(GetDeploymentGroupCommand).resolves({
    deploymentGroupInfo: { autoScalingGroups: [{ name: 'web-asg' }] }
  })
  // The replacement instances were deregistered after the failure.
  elb.on(DescribeTargetHealthCommand).resolves({
    TargetHealthDescriptions: [
      {
        Target: { Id: 'i-green1' },
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered' }
      },
      {
        Target: { Id: 'i-green2' },
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered' }
      }
    ]
  })
})

function settle(policy: 'keep' | 'delete', info = failed) {
  return settleReplacementFleet({
    ctx: t.ctx,
    info,
    instances,
    targetGroups: new TargetGroups(t.ctx, ['web-tg']),
    policy,
    region: 'us-east-1'
  })
}

describe('failed-replacement-fleet: delete', () => {
  it('deletes the copy with ForceDelete after every check passed, and says so', async () => {
    const r = await settle('delete')
    expect(r).toEqual({
      name: COPY,
      instances: 2,
      deleted: true,
      note: `Deleted the replacement Auto Scaling group ${COPY} and its 2 instances (failed-replacement-fleet: delete); the traffic stays on the original instances.`
    })
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: COPY, ForceDelete: true }
    ])
    expect(asg.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({
      AutoScalingGroupNames: [COPY]
    })
    // The health of exactly the copy's instances was read in the deployment's target group.
    expect(elb.commandCalls(DescribeTargetHealthCommand)[0]!.args[0].input).toEqual({
      TargetGroupArn: TG_ARN,
      Targets: [{ Id: 'i-green1' }, { Id: 'i-green2' }]
    })
    expect(t.log.text('info')).toContain(`Deleted the replacement Auto Scaling group ${COPY}`)
  })

  it.each<[string, () => void, RegExp]>([
    [
      'an instance is registered (it may serve traffic)',
      () =>
        elb.on(DescribeTargetHealthCommand).resolves({
          TargetHealthDescriptions: [
            { Target: { Id: 'i-green1' }, TargetHealth: { State: 'healthy' } },
            { Target: { Id: 'i-green2' }, TargetHealth: { State: 'unused' } }
          ]
        }),
      /its instance i-green1 is registered in target group 'web-tg' \(healthy\), so it may serve traffic/
    ],
    [
      'the deployment group uses it now',
      () =>
        cd.on(GetDeploymentGroupCommand).resolves({
          deploymentGroupInfo: { autoScalingGroups: [{ name: COPY }] }
        }),
      /deployment group 'web' uses it as its Auto Scaling group now/
    ],
    [
      'it holds an instance that is not a replacement instance of this deployment',
      () =>
        asg.on(DescribeAutoScalingGroupsCommand).resolves({
          AutoScalingGroups: [
            copyGroup({
              Instances: [{ InstanceId: 'i-green1' } as never, { InstanceId: 'i-other' } as never]
            })
          ]
        }),
      /it holds instances that are not this deployment's replacement instances \(i-other\)/
    ],
    [
      'it is older than the deployment',
      () =>
        asg.on(DescribeAutoScalingGroupsCommand).resolves({
          AutoScalingGroups: [copyGroup({ CreatedTime: new Date('2026-11-29T10:00:00Z') })]
        }),
      /it was created at 2026-11-29T10:00:00.000Z, before deployment d-ABCDEF123/
    ],
    [
      'it is attached to a target group',
      () =>
        asg.on(DescribeAutoScalingGroupsCommand).resolves({
          AutoScalingGroups: [copyGroup({ TargetGroupARNs: [TG_ARN] })]
        }),
      /it is attached to 1 load balancer target: arn:aws:elasticloadbalancing/
    ]
  ])(
    'does not delete it when %s: a warning names the group, why, and the command',
    async (_w, arrange, why) => {
      arrange()
      const r = await settle('delete')
      expect(r?.deleted).toBe(false)
      expect(asg.commandCalls(DeleteAutoScalingGroupCommand)).toHaveLength(0)
      const [warning, ...more] = t.log.lines.filter((l) => l.level === 'warning')
      expect(more).toEqual([])
      expect(warning!.message).toMatch(
        new RegExp(`^Replacement Auto Scaling group ${COPY} \\(2 instances\\) was not deleted: `)
      )
      expect(warning!.message).toMatch(why)
      expect(warning!.message).toContain(
        `aws autoscaling delete-auto-scaling-group --auto-scaling-group-name ${COPY} --force-delete --region us-east-1`
      )
    }
  )

  it('waits for replacement instances still draining after the failure, then deletes the copy', async () => {
    const draining = {
      TargetHealthDescriptions: [
        { Target: { Id: 'i-green1' }, TargetHealth: { State: 'draining' as const } },
        { Target: { Id: 'i-green2' }, TargetHealth: { State: 'unused' as const } }
      ]
    }
    elb
      .on(DescribeTargetHealthCommand)
      .resolvesOnce(draining)
      .resolvesOnce(draining)
      .resolves({
        TargetHealthDescriptions: [
          { Target: { Id: 'i-green1' }, TargetHealth: { State: 'unused' } },
          { Target: { Id: 'i-green2' }, TargetHealth: { State: 'unused' } }
        ]
      })
    elb.on(DescribeTargetGroupAttributesCommand).resolves({
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }]
    })
    const r = await settle('delete')
    expect(r?.deleted).toBe(true)
    expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(3)
    expect(t.clock.elapsed()).toBe(10_000)
    expect(t.log.text('info')).toContain(
      `The replacement instances are still being deregistered from the load balancer (draining, up to 300 s); checking again before touching ${COPY}.`
    )
  })

  it('gives up waiting for a drain after the deregistration delay and a margin: not deleted, says why', async () => {
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: 'i-green1' }, TargetHealth: { State: 'draining' } }
      ]
    })
    elb.on(DescribeTargetGroupAttributesCommand).resolves({
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }]
    })
    const r = await settle('delete')
    expect(r?.deleted).toBe(false)
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand)).toHaveLength(0)
    expect(t.clock.elapsed()).toBeGreaterThanOrEqual(40_000)
    expect(t.clock.elapsed()).toBeLessThan(50_000)
    expect(t.log.text('warning')).toContain('(draining), so it may serve traffic')
  })

  it('a denied DeleteAutoScalingGroup is a warning naming the call and the IAM action, never a throw', async () => {
    asg
      .on(DeleteAutoScalingGroupCommand)
      .rejects(
        awsError(
          'AccessDenied',
          'User is not authorized to perform: autoscaling:DeleteAutoScalingGroup',
          403
        )
      )
    const r = await settle('delete')
    expect(r?.deleted).toBe(false)
    const warning = t.log.text('warning')
    expect(warning).toContain(
      `Could not delete the replacement Auto Scaling group ${COPY}: Auto Scaling DeleteAutoScalingGroup failed: AccessDenied`
    )
    expect(warning).toContain('grant autoscaling:DeleteAutoScalingGroup')
  })

  it('nothing to do when the copy does not exist (never launched, or already gone)', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] })
    expect(await settle('delete')).toBeUndefined()
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand)).toHaveLength(0)
    expect(t.log.text('warning')).toBe('')
  })
})

describe('failed-replacement-fleet: keep', () => {
  it('warns with the group, its size and the exact command; deletes nothing', async () => {
    const r = await settle('keep')
    expect(r?.deleted).toBe(false)
    expect(asg.commandCalls(DeleteAutoScalingGroupCommand)).toHaveLength(0)
    expect(t.log.lines.filter((l) => l.level === 'warning')).toEqual([
      {
        level: 'warning',
        message: `Deployment ${ID} failed and left its replacement Auto Scaling group ${COPY} running (2 instances); the traffic stays on the original instances. It costs money until deleted: aws autoscaling delete-auto-scaling-group --auto-scaling-group-name ${COPY} --force-delete --region us-east-1 (or set failed-replacement-fleet: delete).`,
        props: { title: 'Replacement fleet left running' }
      }
    ])
  })
})

describe('when the policy applies', () => {
  it.each<[string, Parameters<typeof blueGreenInfo>[0]]>([
    ['a success', { status: 'Succeeded' }],
    ['a deployment still running', { status: 'InProgress' }],
    [
      'DISCOVER_EXISTING (no copy)',
      {
        status: 'Failed',
        blueGreenDeploymentConfiguration: {
          greenFleetProvisioningOption: { action: 'DISCOVER_EXISTING' }
        }
      }
    ],
    [
      'an in-place deployment',
      { status: 'Failed', deploymentStyle: { deploymentType: 'IN_PLACE' } }
    ]
  ])('never for %s: no call at all', async (_w, over) => {
    expect(await settle('delete', blueGreenInfo(over))).toBeUndefined()
    expect(asg.calls()).toHaveLength(0)
  })
})
