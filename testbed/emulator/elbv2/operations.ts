// Elastic Load Balancing v2 (2015-12-01) over the Query protocol, on the emulator's port: the
// target groups a deploy action reads. Shapes and error codes as the service's model and
// observed answers have them.
import { ACCOUNT, REGION } from '../core/ids.ts'
import { page, required } from '../core/query-params.ts'
import { QueryError, memberList, memberRecords, type QueryService } from '../core/query-protocol.ts'
import type { Registry } from '../registry.ts'
import type { TargetGroup } from './target-group.ts'

export function elbService(registry: Registry): QueryService {
  const all = (): TargetGroup[] =>
    [...registry.backends.elbv2.targetGroups.values()].sort((a, b) =>
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
