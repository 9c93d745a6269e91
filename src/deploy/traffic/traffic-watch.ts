// The traffic events explained, for groups behind a load balancer. BlockTraffic and AllowTraffic
// are run by CodeDeploy, not by a script, so their failures carry no log: the cause is in the
// target groups. While an instance is in AllowTraffic we read its health there and keep what the
// load balancer last said; a BlockTraffic that takes long is the deregistration delay.
import { AwsCallError } from '../../common/errors.js'
import type { Logger } from '../../common/log.js'
import { healthCheckText, TargetGroups, type TargetHealthView } from './target-groups.js'
import type { FailedInstance, InstanceView } from '../types.js'

/** A BlockTraffic running this long gets one line naming the deregistration delay. */
export const SLOW_BLOCK_TRAFFIC_MS = 15_000

function inEvent(i: InstanceView, event: string): boolean {
  return i.events.some((e) => e.name === event && e.status === 'InProgress')
}

function labelled(i: { instanceId: string; label?: string }): string {
  return i.label ? `${i.instanceId} (${i.label})` : i.instanceId
}

export function healthText(h: TargetHealthView): string {
  const why = [h.reason, h.description].filter(Boolean).join(': ')
  return `${h.state}${why ? ` (${why})` : ''}`
}

/** Of what the load balancer said about one target, the reading that tells most: unhealthy, then initial. */
function mostTelling(readings: TargetHealthView[]): TargetHealthView | undefined {
  const rank = (h: TargetHealthView): number =>
    h.state === 'unhealthy' ? 0 : h.state === 'initial' ? 1 : 2
  return [...readings].sort((a, b) => rank(a) - rank(b))[0]
}

function verdictText(h: TargetHealthView): string {
  if (h.state === 'unhealthy') return `the load balancer said ${healthText(h)}`
  if (h.state === 'initial')
    return `the last reading was ${healthText(h)}: the instance never passed a health check`
  if (h.state === 'unused')
    return `it is no longer registered (${healthText(h)}), so what it answered cannot be read`
  return `the load balancer says ${healthText(h)}`
}

export class TrafficWatch {
  /** instance id → target group → what the load balancer last said while AllowTraffic ran. */
  private readonly lastHealth = new Map<string, Map<string, TargetHealthView>>()
  private readonly printed = new Map<string, string>()
  private slowBlockSaid = false
  private gaveUp = false

  constructor(
    private readonly deploymentId: string,
    readonly targetGroups: TargetGroups,
    private readonly log: Logger,
    private readonly now: () => number
  ) {}

  /** At each instance refresh: health lines for instances in AllowTraffic, one line for a slow BlockTraffic. */
  async look(instances: InstanceView[]): Promise<void> {
    if (this.gaveUp || this.targetGroups.names.length === 0) return
    try {
      const allowing = instances.filter((i) => inEvent(i, 'AllowTraffic'))
      if (allowing.length) await this.readHealth(allowing)
      const blocking = instances.filter((i) => {
        const e = i.events.find((ev) => ev.name === 'BlockTraffic' && ev.status === 'InProgress')
        return e?.startedAt && this.now() - e.startedAt.getTime() >= SLOW_BLOCK_TRAFFIC_MS
      })
      if (blocking.length && !this.slowBlockSaid) {
        this.slowBlockSaid = true
        this.log.info(
          `${this.deploymentId}: BlockTraffic on ${blocking.map(labelled).slice(0, 3).join(', ')} is waiting for the load balancer to drain connections: ${await this.delayText()}.`
        )
      }
    } catch (err) {
      this.giveUp(err)
    }
  }

  private giveUp(err: unknown): void {
    this.gaveUp = true
    this.log.warning(
      `Not explaining the traffic events: ${err instanceof AwsCallError ? err.describe() : String(err)}`
    )
  }

  private async readHealth(allowing: InstanceView[]): Promise<void> {
    const labels = new Map(allowing.map((i) => [i.instanceId, i.label]))
    for (const h of await this.targetGroups.health(allowing.map((i) => i.instanceId))) {
      const seen = this.lastHealth.get(h.instanceId) ?? new Map<string, TargetHealthView>()
      seen.set(h.targetGroup, h)
      this.lastHealth.set(h.instanceId, seen)
      const key = `${h.instanceId} ${h.targetGroup}`
      const text = healthText(h)
      if (this.printed.get(key) === text) continue
      this.printed.set(key, text)
      this.log.info(
        `${this.deploymentId} ${labelled({ instanceId: h.instanceId, label: labels.get(h.instanceId) })}: AllowTraffic: target group '${h.targetGroup}' says ${text}`
      )
    }
  }

  /** "target group 'web' deregistration delay is 300 s (deregistration_delay.timeout_seconds)…" */
  async delayText(): Promise<string> {
    const groups = await this.targetGroups.list()
    const parts: string[] = []
    for (const g of groups)
      parts.push(`'${g.name}' ${await this.targetGroups.deregistrationDelaySeconds(g)} s`)
    return `the deregistration delay of target group ${parts.join(', ')} (attribute deregistration_delay.timeout_seconds; ELBv2's default is 300 s). Lower it on the target group if your requests finish sooner: every deployment waits for it`
  }

  /**
   * Why each failed AllowTraffic/BlockTraffic happened, from the target groups: the health check
   * and what the load balancer said about the instance (during the wait, or now).
   */
  async explain(failed: FailedInstance[]): Promise<FailedInstance[]> {
    const traffic = failed.filter(
      (f) => f.lifecycleEvent === 'AllowTraffic' || f.lifecycleEvent === 'BlockTraffic'
    )
    if (traffic.length === 0 || this.targetGroups.names.length === 0) return failed
    try {
      const groups = await this.targetGroups.list()
      const allowFailed = traffic.filter((f) => f.lifecycleEvent === 'AllowTraffic')
      const unseen = allowFailed.filter((f) => !this.lastHealth.has(f.instanceId))
      const now = unseen.length
        ? await this.targetGroups.health(unseen.map((f) => f.instanceId))
        : []
      const explanations = new Map<string, string>()
      for (const f of allowFailed) {
        const said = [
          ...(this.lastHealth.get(f.instanceId)?.values() ?? []),
          ...now.filter((h) => h.instanceId === f.instanceId)
        ]
        const perGroup = groups.map((g) => {
          const h = mostTelling(said.filter((x) => x.targetGroup === g.name))
          return `target group '${g.name}' checks ${healthCheckText(g.healthCheck)}; ${h ? verdictText(h) : 'it said nothing about the instance'}`
        })
        explanations.set(
          f.instanceId,
          `The instance did not pass the load balancer's health checks: ${perGroup.join('; ')}. Check that the application answers the health check path on that port once ApplicationStart and ValidateService have run.`
        )
      }
      if (traffic.some((f) => f.lifecycleEvent === 'BlockTraffic')) {
        const text = `BlockTraffic deregisters the instance and waits for ${await this.delayText()}; it fails when the target cannot be deregistered.`
        for (const f of traffic)
          if (f.lifecycleEvent === 'BlockTraffic') explanations.set(f.instanceId, text)
      }
      return failed.map((f) => {
        const explanation = explanations.get(f.instanceId)
        return explanation ? { ...f, explanation } : f
      })
    } catch (err) {
      this.log.warning(
        `Could not read the target groups to explain the traffic failure: ${err instanceof AwsCallError ? err.describe() : String(err)}`
      )
      return failed
    }
  }

  /** Where the traffic is: which registered, serving instances are original (Blue) and which replacement (Green). */
  async whereTrafficIs(instances: InstanceView[]): Promise<string | undefined> {
    if (this.targetGroups.names.length === 0) return undefined
    try {
      const label = new Map(instances.map((i) => [i.instanceId, i.label]))
      const serving = (await this.targetGroups.health()).filter(
        (h) => h.state === 'healthy' || h.state === 'initial'
      )
      const blue = new Set(
        serving.filter((h) => label.get(h.instanceId) === 'Blue').map((h) => h.instanceId)
      )
      const green = new Set(
        serving.filter((h) => label.get(h.instanceId) === 'Green').map((h) => h.instanceId)
      )
      const tgs = this.targetGroups.names.map((n) => `'${n}'`).join(', ')
      if (blue.size && !green.size)
        return `The traffic is on the original (Blue) instances: ${blue.size} serving in target group ${tgs}.`
      if (green.size && !blue.size)
        return `The traffic is on the replacement (Green) instances: ${green.size} serving in target group ${tgs}.`
      if (blue.size && green.size)
        return `The traffic is split: ${blue.size} original (Blue) and ${green.size} replacement (Green) instances serve in target group ${tgs}.`
      return `No instance of this deployment is serving in target group ${tgs} right now.`
    } catch (err) {
      this.log.debug(`Could not read where the traffic is: ${String(err)}`)
      return undefined
    }
  }
}
