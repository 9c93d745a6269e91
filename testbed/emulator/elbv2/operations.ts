// Auto Scaling (2011-01-01) and Elastic Load Balancing v2 (2015-12-01) operations over the Query
// protocol, on the emulator's port: what a deploy action reads and what cleans up a replacement
// fleet. Shapes and error codes as the services' models and observed answers have them.
import type { Engine } from '../codedeploy/engine.ts'
import type { AutoScalingGroup } from '../autoscaling/groups.ts'
import { targetGroupArn, type TargetGroup } from './target-group.ts'
import { ACCOUNT, REGION } from '../core/ids.ts'
import {
  QueryError,
  memberList,
  memberRecords,
  optionalInt,
  type QueryParams,
  type QueryService
} from '../core/query-protocol.ts'

const ZONE = `${REGION}a`
const LAUNCH_TEMPLATE = {
  LaunchTemplateId: 'lt-0123456789abcdef0',
  LaunchTemplateName: 'testbed-instance',
  Version: '$Default'
}

function required(p: QueryParams, name: string): string {
  const v = p.get(name)
  if (!v)
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`
    )
  return v
}

function page<T>(
  items: T[],
  p: QueryParams,
  maxDefault: number,
  limit: number
): { items: T[]; next?: string } {
  const field = p.has('MaxRecords') ? 'MaxRecords' : 'PageSize'
  const max = optionalInt(p, field) ?? maxDefault
  if (max < 1 || max > limit)
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value '${max}' at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have value between 1 and ${limit}`
    )
  const token = p.get('NextToken') ?? p.get('Marker')
  const offset = token ? Number(Buffer.from(token, 'base64').toString()) : 0
  if (!Number.isInteger(offset) || offset < 0)
    throw new QueryError('InvalidNextToken', 'The token is invalid.')
  const slice = items.slice(offset, offset + max)
  return offset + max < items.length
    ? { items: slice, next: Buffer.from(String(offset + max)).toString('base64') }
    : { items: slice }
}

export function autoScalingService(engine: Engine): QueryService {
  const groups = () => engine.world.autoScaling.groups
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
        for (const { group, entry } of engine.world.autoScaling.allInstances()) {
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
        void engine.world.autoScaling.scale(g).catch(() => {})
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
        engine.world.autoScaling.remove(g)
        return undefined
      }
    }
  }
}

export function elbService(engine: Engine): QueryService {
  const all = (): TargetGroup[] =>
    [...engine.world.targetGroups.values()].sort((a, b) =>
      a.config.name.localeCompare(b.config.name)
    )
  const byArn = (arn: string): TargetGroup => {
    const tg = all().find((t) => t.arn === arn)
    if (!tg) throw new QueryError('TargetGroupNotFound', 'One or more target groups not found')
    return tg
  }
  const describe = (tg: TargetGroup): Record<string, unknown> => {
    const h = tg.config.healthCheck
    return {
      TargetGroupArn: tg.arn,
      TargetGroupName: tg.config.name,
      Protocol: 'HTTP',
      Port: tg.config.port,
      VpcId: 'vpc-0123456789abcdef0',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: h.intervalSeconds,
      HealthCheckTimeoutSeconds: h.timeoutSeconds,
      HealthyThresholdCount: h.healthyThreshold,
      UnhealthyThresholdCount: h.unhealthyThreshold,
      HealthCheckPath: h.path,
      Matcher: { HttpCode: h.matcher },
      LoadBalancerArns: [
        `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/testbed/${tg.arn.slice(-16)}`
      ],
      TargetType: 'instance',
      ProtocolVersion: 'HTTP1',
      IpAddressType: 'ipv4'
    }
  }
  return {
    signingName: 'elasticloadbalancing',
    version: '2015-12-01',
    namespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
    operations: {
      DescribeTargetGroups(p) {
        const names = memberList(p, 'Names')
        const arns = memberList(p, 'TargetGroupArns')
        let list = all()
        if (names.length) {
          list = list.filter((t) => names.includes(t.config.name))
          if (list.length < new Set(names).size)
            throw new QueryError('TargetGroupNotFound', 'One or more target groups not found')
        } else if (arns.length) {
          list = arns.map(byArn)
        }
        const pg = page(list, p, 400, 400)
        return { TargetGroups: pg.items.map(describe), ...(pg.next ? { NextMarker: pg.next } : {}) }
      },

      DescribeTargetHealth(p) {
        const tg = byArn(required(p, 'TargetGroupArn'))
        const asked = memberRecords(p, 'Targets').map((r) => r.Id!)
        const ids = asked.length ? asked : tg.registered()
        return {
          TargetHealthDescriptions: ids.map((id) => {
            const h = tg.health(id)
            return {
              Target: { Id: id, Port: tg.config.port },
              HealthCheckPort: String(tg.config.port),
              TargetHealth: {
                State: h.state,
                ...(h.reason ? { Reason: h.reason } : {}),
                ...(h.description ? { Description: h.description } : {})
              }
            }
          })
        }
      },

      DescribeTargetGroupAttributes(p) {
        const tg = byArn(required(p, 'TargetGroupArn'))
        return {
          Attributes: [
            {
              Key: 'deregistration_delay.timeout_seconds',
              Value: String(tg.config.deregistrationDelaySeconds)
            },
            { Key: 'stickiness.enabled', Value: 'false' },
            { Key: 'load_balancing.algorithm.type', Value: 'round_robin' },
            { Key: 'slow_start.duration_seconds', Value: '0' }
          ]
        }
      }
    }
  }
}
