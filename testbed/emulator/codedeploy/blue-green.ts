// A blue/green deployment: the replacement fleet (a copy of the group's Auto Scaling group, or
// the ones named), the install on it, the Ready wait, the reroute, and the original instances'
// termination; and a blue/green rollback, which moves the traffic back.
import {
  ALLOW_TRAFFIC_EVENTS,
  BLOCK_TRAFFIC_EVENTS,
  IN_PLACE_EVENTS
} from '../hosts/agents/agent.ts'
import type { AutoScalingGroup } from '../autoscaling/groups.ts'
import {
  COPY_SHORT,
  HEALTH_CONSTRAINTS,
  HEALTH_CONSTRAINTS_INVALID,
  MANUAL_STOP,
  NO_COPY_SOURCE,
  NO_INSTANCES,
  READY_TIMEOUT
} from './deployment-errors.ts'
import type { Engine } from './engine.ts'
import { revisionKey, type Deployment, type Group, type Instance } from './model.ts'
import { newTarget, skipTargets } from './targets.ts'
import { blockTraffic } from './traffic.ts'

export async function blueGreen(steps: Engine, d: Deployment, group: Group): Promise<void> {
  const bg = d.blueGreen!
  const autoScaling = steps.registry.backends.autoscaling
  const copy = bg.greenFleetProvisioningOption.action === 'COPY_AUTO_SCALING_GROUP'
  // An alarm in ALARM at the start stops it before anything is provisioned.
  if (d.stopRequested) return steps.complete(d, group, 'Stopped', MANUAL_STOP)
  const blue = steps.groupInstances(group)
  d.originalAutoScalingGroups = [...group.autoScalingGroups]
  let green: Instance[]
  let copied: AutoScalingGroup | undefined
  if (copy) {
    const sourceName = group.autoScalingGroups[0]!
    const source = autoScaling.groups.get(sourceName)
    if (!source)
      return steps.complete(d, group, 'Failed', NO_COPY_SOURCE(sourceName, group.config.name))
    // "The number of currently healthy instances in the Auto Scaling group you select is created
    // in your replacement environment" (CodeDeploy user guide).
    const count = source.inService().length
    // The config applies to the replacement fleet: one it cannot deploy to is not provisioned.
    if (count > 0 && steps.healthConstraintsInvalid(d, count))
      return steps.complete(d, group, 'Failed', HEALTH_CONSTRAINTS_INVALID)
    const name = `CodeDeploy_${group.config.name}_${d.id}`
    copied = await autoScaling.create(
      {
        name,
        desired: count,
        min: Math.min(source.min, count),
        max: Math.max(source.max, count),
        // Reported on AWS: the copy does not keep the source's target groups (CodeDeploy
        // registers its instances itself).
        targetGroups: []
      },
      steps.capacityFault(d.applicationName)
    )
    if (copied.inService().length < count)
      return steps.complete(d, group, 'Failed', COPY_SHORT(name, copied.lastFailure))
    green = copied.inService()
  } else {
    // DISCOVER_EXISTING: the named groups' instances, never one of the original fleet.
    green = (d.targetAutoScalingGroups ?? [])
      .flatMap((n) => autoScaling.groups.get(n)?.inService() ?? [])
      .filter((i) => !blue.includes(i))
  }
  d.blue = blue
  d.green = green
  if (green.length === 0) return steps.complete(d, group, 'Failed', NO_INSTANCES)
  if (steps.healthConstraintsInvalid(d, green.length))
    return steps.complete(d, group, 'Failed', HEALTH_CONSTRAINTS_INVALID)
  for (const i of blue) d.targets.set(i.id, newTarget(i.id, BLOCK_TRAFFIC_EVENTS, 'Blue'))
  for (const i of green)
    d.targets.set(i.id, newTarget(i.id, [...IN_PLACE_EVENTS, ...ALLOW_TRAFFIC_EVENTS], 'Green'))
  d.status = 'InProgress'
  d.startTime = Date.now()

  // Install on the replacement fleet; "the deployment configuration and minimum healthy hosts
  // value apply to instances in the replacement environment" (user guide).
  const install = await steps.runBatches(d, group, green, IN_PLACE_EVENTS, false)
  const fail = (): void => {
    skipTargets(d, [...blue, ...green])
    steps.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
  }
  const stopped = (error = MANUAL_STOP): void => {
    skipTargets(d, [...blue, ...green])
    steps.complete(d, group, 'Stopped', error)
  }
  if (d.stopRequested) return stopped()
  if (!install.ok) return fail()
  const ready = install.succeeded

  if (bg.deploymentReadyOption.actionOnTimeout === 'STOP_DEPLOYMENT') {
    d.status = 'Ready'
    const r = await steps.waitFor(
      d,
      group,
      'READY_WAIT',
      bg.deploymentReadyOption.waitTimeInMinutes
    )
    if (r === 'stopped') return stopped()
    if (r === 'timeout') return stopped(READY_TIMEOUT)
    d.status = 'InProgress'
  }

  // Reroute: the replacement instances are registered and must pass the health checks, then
  // the original ones are deregistered.
  const allowed = await Promise.all(
    ready.map((i) => steps.runOnInstance(d, group, i, ALLOW_TRAFFIC_EVENTS, true))
  )
  if (allowed.some((s) => s !== 'Succeeded')) {
    // The traffic stays on (goes back to) the original instances: every replacement instance
    // is deregistered again, those that passed and those that failed (one that failed could
    // pass its checks later and serve the failed revision).
    await Promise.all(ready.map((i) => blockTraffic(steps.registry, d, i)))
    return d.stopRequested ? stopped() : fail()
  }
  for (const i of ready) i.lastSucceededRevision = revisionKey(d.revision)
  const blocked = await Promise.all(
    blue.map((i) => steps.runOnInstance(d, group, i, BLOCK_TRAFFIC_EVENTS, true))
  )
  // "The overall deployment is marked as Failed if even a single original instance fails to be
  // deregistered successfully" (user guide). The traffic is on the replacement instances then.
  if (blocked.some((s) => s === 'Failed')) return fail()
  if (d.stopRequested) return stopped()

  // The replacement fleet is the deployment group's now (observed on AWS: its Auto Scaling
  // groups list names the copy).
  if (copied) group.autoScalingGroups = [copied.name]
  else group.autoScalingGroups = [...(d.targetAutoScalingGroups ?? [])]

  const term = bg.terminateBlueInstancesOnDeploymentSuccess
  if (term.action === 'TERMINATE') {
    d.instanceTerminationWaitTimeStarted = true
    const r = await steps.waitFor(d, group, 'TERMINATION_WAIT', term.terminationWaitTimeInMinutes)
    if (r === 'stopped' || d.stopRequested) return steps.complete(d, group, 'Stopped', MANUAL_STOP)
    // The original instances are terminated; with a copied group, the original group goes
    // with them (likely on AWS, not documented: see the README).
    for (const n of d.originalAutoScalingGroups) {
      const g = autoScaling.groups.get(n)
      if (g) autoScaling.remove(g)
    }
    for (const i of blue) if (group.instances.includes(i)) i.host?.stop()
    group.instances = group.instances.filter((i) => !blue.includes(i))
  }
  steps.complete(d, group, 'Succeeded')
}

// A blue/green deployment's rollback (a new deployment): the original instances are allowed
// traffic again and the replacement ones blocked (the user guide's table of hooks for rollbacks).
export async function rerouteBack(
  steps: Engine,
  d: Deployment,
  group: Group,
  from: Deployment
): Promise<void> {
  const blue = (from.blue ?? []).filter((i) => i.host)
  const green = (from.green ?? []).filter((i) => i.host)
  d.blue = blue
  d.green = green
  for (const i of blue) d.targets.set(i.id, newTarget(i.id, ALLOW_TRAFFIC_EVENTS, 'Blue'))
  for (const i of green) d.targets.set(i.id, newTarget(i.id, BLOCK_TRAFFIC_EVENTS, 'Green'))
  d.status = 'InProgress'
  d.startTime = Date.now()
  const allowed = await Promise.all(
    blue.map((i) => steps.runOnInstance(d, group, i, ALLOW_TRAFFIC_EVENTS, true))
  )
  const blocked = allowed.every((s) => s === 'Succeeded')
    ? await Promise.all(
        green.map((i) => steps.runOnInstance(d, group, i, BLOCK_TRAFFIC_EVENTS, true))
      )
    : []
  if (from.originalAutoScalingGroups) group.autoScalingGroups = [...from.originalAutoScalingGroups]
  if (d.stopRequested) return steps.complete(d, group, 'Stopped', MANUAL_STOP)
  if (!allowed.every((s) => s === 'Succeeded') || blocked.some((s) => s === 'Failed')) {
    skipTargets(d, [...blue, ...green])
    return steps.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
  }
  steps.complete(d, group, 'Succeeded')
}
