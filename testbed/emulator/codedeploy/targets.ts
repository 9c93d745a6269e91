// A deployment's targets (one per instance) and the lifecycle events each goes through.
import {
  ALLOW_TRAFFIC_EVENTS,
  BLOCK_TRAFFIC_EVENTS,
  IN_PLACE_EVENTS
} from '../hosts/agents/agent.ts'
import type { Deployment, Instance, Target, TargetLabel } from './model.ts'

export function newTarget(instanceId: string, events: string[], label?: TargetLabel): Target {
  return {
    instanceId,
    ...(label ? { label } : {}),
    status: 'Pending',
    lastUpdatedAt: Date.now(),
    lifecycleEvents: events.map((name) => ({
      lifecycleEventName: name,
      status: 'Pending' as const
    }))
  }
}

export function skipRest(t: Target): void {
  for (const e of t.lifecycleEvents) if (e.status === 'Pending') e.status = 'Skipped'
  t.lastUpdatedAt = Date.now()
}

/** Every target of these instances not yet ended is Skipped, with its events left. */
export function skipTargets(d: Deployment, instances: Instance[]): void {
  for (const i of instances) {
    const t = d.targets.get(i.id)
    if (!t || t.status === 'Succeeded' || t.status === 'Failed') continue
    t.status = 'Skipped'
    skipRest(t)
  }
}

/** An in-place deployment's events: with traffic control, the instance leaves and rejoins. */
export function inPlaceEvents(d: Deployment): string[] {
  return d.deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL'
    ? [...BLOCK_TRAFFIC_EVENTS, ...IN_PLACE_EVENTS, ...ALLOW_TRAFFIC_EVENTS]
    : IN_PLACE_EVENTS
}
