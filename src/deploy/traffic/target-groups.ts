// What the load balancer says about a deployment's instances: the target groups' health check
// and deregistration settings, and each instance's health there (ELBv2 DescribeTargetGroups,
// DescribeTargetHealth, DescribeTargetGroupAttributes). Read-only; cached per deployment.
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type TargetGroup
} from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AwsErrorHints } from '../../aws/aws-errors.js'
import { callServiceWithRetry, fewAttempts } from '../../aws/retry.js'
import type { DeployContext } from '../context.js'

/** ELBv2's default when the attribute cannot be read. */
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300

export interface HealthCheckView {
  protocol: string
  port: string
  path: string
  intervalSeconds: number
  timeoutSeconds: number
  healthyThreshold: number
  unhealthyThreshold: number
  matcher: string
}

export interface TargetGroupView {
  name: string
  arn: string
  healthCheck: HealthCheckView
}

export interface TargetHealthView {
  targetGroup: string
  instanceId: string
  /** initial, healthy, unhealthy, unused, draining, unavailable. */
  state: string
  reason?: string
  description?: string
}

type Ctx = Pick<DeployContext, 'log' | 'sleep' | 'signal' | 'random' | 'traffic'>

const hints = (action: string): AwsErrorHints => ({
  iamActions: [action],
  fallback:
    "Check that the deployment group's target groups exist in this region (EC2 console, Target Groups)."
})

export function healthCheckText(h: HealthCheckView): string {
  const where =
    h.protocol === 'TCP' ? `TCP port ${h.port}` : `${h.protocol} ${h.path} on port ${h.port}`
  return `${where}, expecting ${h.matcher}, every ${h.intervalSeconds} s (timeout ${h.timeoutSeconds} s), unhealthy after ${h.unhealthyThreshold} failures, healthy after ${h.healthyThreshold} passes`
}

function toView(t: TargetGroup): TargetGroupView {
  return {
    name: t.TargetGroupName ?? '',
    arn: t.TargetGroupArn ?? '',
    healthCheck: {
      protocol: t.HealthCheckProtocol ?? 'HTTP',
      port:
        t.HealthCheckPort === 'traffic-port' || !t.HealthCheckPort
          ? String(t.Port ?? '')
          : t.HealthCheckPort,
      path: t.HealthCheckPath ?? '/',
      intervalSeconds: t.HealthCheckIntervalSeconds ?? 30,
      timeoutSeconds: t.HealthCheckTimeoutSeconds ?? 5,
      healthyThreshold: t.HealthyThresholdCount ?? 5,
      unhealthyThreshold: t.UnhealthyThresholdCount ?? 2,
      matcher: t.Matcher?.HttpCode ?? t.Matcher?.GrpcCode ?? '200'
    }
  }
}

/** The deployment's target groups, read once; each call names what failed and what to grant. */
export class TargetGroups {
  private groups?: Promise<TargetGroupView[]>
  private delays = new Map<string, Promise<number>>()

  constructor(
    private readonly ctx: Ctx,
    readonly names: string[]
  ) {}

  async list(): Promise<TargetGroupView[]> {
    const traffic = this.ctx.traffic
    if (!traffic || this.names.length === 0) return []
    this.groups ??= (async () => {
      const elb = await traffic.elb()
      const out = await callServiceWithRetry(
        'ELBv2 DescribeTargetGroups',
        () => elb.send(new DescribeTargetGroupsCommand({ Names: this.names })),
        fewAttempts(this.ctx, 3),
        hints('elasticloadbalancing:DescribeTargetGroups')
      )
      return (out.TargetGroups ?? []).map(toView)
    })()
    // A failed read is tried again next time.
    return this.groups.catch((err: unknown) => {
      this.groups = undefined
      throw err
    })
  }

  /** deregistration_delay.timeout_seconds: how long BlockTraffic waits for connections to drain. */
  async deregistrationDelaySeconds(group: TargetGroupView): Promise<number> {
    let delay = this.delays.get(group.arn)
    if (!delay) {
      delay = (async () => {
        const elb = await this.ctx.traffic!.elb()
        const out = await callServiceWithRetry(
          'ELBv2 DescribeTargetGroupAttributes',
          () => elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: group.arn })),
          fewAttempts(this.ctx, 3),
          hints('elasticloadbalancing:DescribeTargetGroupAttributes')
        )
        const v = out.Attributes?.find(
          (a) => a.Key === 'deregistration_delay.timeout_seconds'
        )?.Value
        return v && /^\d+$/.test(v) ? Number(v) : DEFAULT_DEREGISTRATION_DELAY_SECONDS
      })()
      this.delays.set(group.arn, delay)
    }
    return delay
  }

  /**
   * The health of these instances in every target group (ELBv2 answers `unused` for one not
   * registered); all registered targets when `instanceIds` is empty.
   */
  async health(instanceIds: string[] = []): Promise<TargetHealthView[]> {
    const groups = await this.list()
    if (groups.length === 0) return []
    const elb = await this.ctx.traffic!.elb()
    const views: TargetHealthView[] = []
    for (const g of groups) {
      const out = await callServiceWithRetry(
        'ELBv2 DescribeTargetHealth',
        () =>
          elb.send(
            new DescribeTargetHealthCommand({
              TargetGroupArn: g.arn,
              ...(instanceIds.length ? { Targets: instanceIds.map((Id) => ({ Id })) } : {})
            })
          ),
        fewAttempts(this.ctx, 3),
        hints('elasticloadbalancing:DescribeTargetHealth')
      )
      for (const d of out.TargetHealthDescriptions ?? []) {
        if (!d.Target?.Id) continue
        views.push({
          targetGroup: g.name,
          instanceId: d.Target.Id,
          state: d.TargetHealth?.State ?? 'unknown',
          ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
          ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {})
        })
      }
    }
    return views
  }
}

/** States in which a target is registered at all (unused: not registered; unavailable: health checks off). */
export function isRegistered(state: string): boolean {
  return state !== 'unused' && state !== 'unavailable' && state !== 'unknown'
}
