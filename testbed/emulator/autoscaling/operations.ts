// Auto Scaling (2011-01-01) over the Query protocol, on the emulator's port: what a deploy action
// reads and what cleans up a replacement fleet. Shapes and error codes as the service's model
// and observed answers have them.
import { ACCOUNT, REGION } from '../core/ids.ts'
import { page, required } from '../core/query-params.ts'
import { QueryError, memberList, optionalInt, type QueryService } from '../core/query-protocol.ts'
import { targetGroupArn } from '../elbv2/target-group.ts'
import type { Registry } from '../registry.ts'
import type { AutoScalingGroup } from './groups.ts'

const ZONE = `${REGION}a`
const LAUNCH_TEMPLATE = {
  LaunchTemplateId: 'lt-0123456789abcdef0',
  LaunchTemplateName: 'testbed-instance',
  Version: '$Default'
}

export function autoScalingService(registry: Registry): QueryService {
  const autoScaling = () => registry.backends.autoscaling
  const groups = () => autoScaling().groups
  const find = (name: string): AutoScalingGroup => {
    const g = groups().get(name)
    if (!g)
      throw new QueryError(
        'ValidationError',
        `AutoScalingGroup name not found - AutoScalingGroup ${name} not found`
      )
    return g
  }
  const describe = (g: AutoScalingGroup): Record<string, unknown> => ({
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: LAUNCH_TEMPLATE,
    MinSize: g.min,
    MaxSize: g.max,
    DesiredCapacity: g.desired,
    DefaultCooldown: 300,
    AvailabilityZones: [ZONE],
    LoadBalancerNames: [],
    TargetGroupARNs: g.targetGroups.map(targetGroupArn),
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 300,
    Instances: g.instances.map((i) => ({
      InstanceId: i.instance.id,
      InstanceType: 't3.micro',
      AvailabilityZone: ZONE,
      LifecycleState: i.lifecycleState,
      HealthStatus: 'Healthy',
      LaunchTemplate: LAUNCH_TEMPLATE,
      ProtectedFromScaleIn: false
    })),
    CreatedTime: new Date(g.createdTime),
    SuspendedProcesses: [],
    EnabledMetrics: [],
    Tags: [],
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    ...(g.status ? { Status: g.status } : {})
  })
  return {
    signingName: 'autoscaling',
    version: '2011-01-01',
    namespace: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
    operations: {
      DescribeAutoScalingGroups(p) {
        const names = memberList(p, 'AutoScalingGroupNames')
        // Unknown names are left out, as the service does (it has no not-found error here).
        const list = names.length
          ? names.map((n) => groups().get(n)).filter((g): g is AutoScalingGroup => !!g)
          : [...groups().values()].sort((a, b) => a.name.localeCompare(b.name))
        const pg = page(list, p, 50, 100)
        return {
          AutoScalingGroups: pg.items.map(describe),
          ...(pg.next ? { NextToken: pg.next } : {})
        }
      },

      DescribeAutoScalingInstances(p) {
        const ids = memberList(p, 'InstanceIds')
        const out = []
        for (const { group, entry } of autoScaling().allInstances()) {
          if (ids.length && !ids.includes(entry.instance.id)) continue
          out.push({
            InstanceId: entry.instance.id,
            InstanceType: 't3.micro',
            AutoScalingGroupName: group.name,
            AvailabilityZone: ZONE,
            LifecycleState: entry.lifecycleState,
            HealthStatus: 'HEALTHY',
            LaunchTemplate: LAUNCH_TEMPLATE,
            ProtectedFromScaleIn: false
          })
        }
        const pg = page(out, p, 50, 50)
        return { AutoScalingInstances: pg.items, ...(pg.next ? { NextToken: pg.next } : {}) }
      },

      UpdateAutoScalingGroup(p) {
        const g = find(required(p, 'AutoScalingGroupName'))
        const min = optionalInt(p, 'MinSize') ?? g.min
        const max = optionalInt(p, 'MaxSize') ?? g.max
        let desired = optionalInt(p, 'DesiredCapacity')
        if (min > max)
          throw new QueryError(
            'ValidationError',
            `Max bound, ${max}, must be greater than or equal to min bound, ${min}`
          )
        if (desired !== undefined && (desired < min || desired > max))
          throw new QueryError(
            'ValidationError',
            `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`
          )
        // A new minimum or maximum moves the desired capacity inside it, as the service does.
        desired = Math.min(Math.max(desired ?? g.desired, min), max)
        g.min = min
        g.max = max
        g.desired = desired
        void autoScaling()
          .scale(g)
          .catch(() => {})
        return undefined
      },

      DeleteAutoScalingGroup(p) {
        const g = find(required(p, 'AutoScalingGroupName'))
        const force = p.get('ForceDelete') === 'true'
        if (!force && g.instances.length > 0)
          throw new QueryError(
            'ResourceInUse',
            'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.'
          )
        autoScaling().remove(g)
        return undefined
      }
    }
  }
}
