// ELBv2's backend: the target groups by name, each with its listener. A listener keeps its port
// across POST /reset (the ports map outlives the backend), since TESTBED_TARGET_GROUPS names them.
import { TargetGroup, type TargetGroupFaults } from './target-group.ts'
import type { TargetGroupConfig } from '../world/fleet-config.ts'

export interface LoadBalancingOptions {
  // The first port tried for listeners (each takes the next free one).
  listenerPort?: number
  // Each target group's port so far, kept by the bed across resets.
  ports: Map<string, number>
  faults?: (name: string) => TargetGroupFaults
  log: (line: string) => void
}

export class LoadBalancing {
  readonly targetGroups = new Map<string, TargetGroup>()
  private readonly opts: LoadBalancingOptions

  constructor(opts: LoadBalancingOptions) {
    this.opts = opts
  }

  /** Declares (or declares again, by name) a target group and opens its listener. */
  async add(config: TargetGroupConfig): Promise<TargetGroup> {
    const old = this.targetGroups.get(config.name)
    await old?.close()
    const tg = new TargetGroup(config, () => this.opts.faults?.(config.name) ?? {}, this.opts.log)
    const ports = this.opts.ports
    const port = await tg.listen(
      ports.get(config.name) ??
        Math.max(this.opts.listenerPort ?? 7500, ...[...ports.values()].map((p) => p + 1))
    )
    ports.set(config.name, port)
    this.targetGroups.set(config.name, tg)
    return tg
  }

  /** Each target group: its listener and its targets' states (GET /target-groups). */
  states(): Record<string, { url: string; targets: Record<string, unknown>[] }> {
    const out: Record<string, { url: string; targets: Record<string, unknown>[] }> = {}
    for (const [name, tg] of this.targetGroups)
      out[name] = {
        url: tg.url,
        targets: tg
          .registered()
          .map((id) => ({ id, ...tg.health(id), lastAnswer: tg.lastAnswer(id) }))
      }
    return out
  }

  /** Each target group's listener, as TESTBED_TARGET_GROUPS gives them. */
  listeners(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [name, tg] of this.targetGroups) out[name] = tg.url
    return out
  }

  close(): Promise<void[]> {
    return Promise.all([...this.targetGroups.values()].map((tg) => tg.close()))
  }
}
