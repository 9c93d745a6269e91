// CodeDeploy's state machine: a deployment from Created through its statuses to its end, the
// instances taken in batches by the deployment config's minimum healthy hosts, one active
// deployment per group, stop, continue, the waits, and the group's alarms watched. Blue/green (blue-green.ts), one
// instance's events (on-instance.ts) and rollback (rollback.ts) are its steps; the other
// services are reached through the registry.
import { setTimeout as sleep } from 'node:timers/promises'
import type { BundleStore } from '../hosts/bundles.ts'
import type { FileExistsBehavior } from '../hosts/appspec/appspec.ts'
import { deploymentId } from '../core/ids.ts'
import { Limiter } from '../core/limiter.ts'
import type { Registry } from '../registry.ts'
import type {
  AutoRollbackConfiguration,
  DeploymentConfigSpec,
  FleetConfig
} from '../world/fleet-config.ts'
import { blueGreen, rerouteBack } from './blue-green.ts'
import {
  ALARM_ACTIVE,
  HEALTH_CONSTRAINTS,
  HEALTH_CONSTRAINTS_INVALID,
  IAM_ROLE_MISSING,
  IAM_ROLE_PERMISSIONS,
  INTERNAL_ERROR,
  MANUAL_STOP,
  NO_INSTANCES,
  type DeploymentError
} from './deployment-errors.ts'
import {
  revisionKey,
  type CodeDeployRecords,
  type Deployment,
  type Group,
  type Instance,
  type Revision,
  type WaitType
} from './model.ts'
import { runOnInstance, type InstanceOutcome } from './on-instance.ts'
import { rollBack, rollbackWanted } from './rollback.ts'
import { inPlaceEvents, newTarget, skipRest, skipTargets } from './targets.ts'

export interface NewDeployment {
  group: Group
  deploymentConfigName: string
  description?: string
  revision: Revision
  fileExistsBehavior?: FileExistsBehavior
  ignoreApplicationStopFailures: boolean
  updateOutdatedInstancesOnly: boolean
  autoRollbackConfiguration?: AutoRollbackConfiguration
  creator?: 'user' | 'codeDeployRollback'
  rollbackTriggeringDeploymentId?: string
  // DISCOVER_EXISTING blue/green: the replacement fleet's Auto Scaling groups (targetInstances).
  targetAutoScalingGroups?: string[]
  // A blue/green rollback: the deployment whose traffic it moves back.
  rollbackOf?: Deployment
}

// The fault switches a deployment reads, by application (world/faults.ts).
export interface DeploymentFaults {
  // New deployments stay in their first event until StopDeployment.
  hangs(application: string): boolean
  // Auto Scaling copies find no capacity.
  capacity(application: string): boolean
  // Which of `names` (a deployment group's alarms) are in ALARM.
  alarmsInAlarm(application: string, names: string[]): string[]
  // S3 refuses the instances the revision.
  bundleAccessDenied(application: string): { crossAccount: boolean } | undefined
  // The deployment group's service role is gone, or lacks CodeDeploy's permissions.
  serviceRole(application: string): 'missing' | 'permissions' | undefined
}

export interface EngineOptions {
  config: FleetConfig
  bundles: BundleStore
  faults: DeploymentFaults
  log: (line: string) => void
}

// How often CodeDeploy looks at a running deployment's alarms here (AWS does not say).
const ALARM_POLL_MS = 1000

// The number of instances that must stay healthy, from the config and the instances deployed to:
// FLEET_PERCENT rounded up ("rounding up any fractional instances", user guide "Instance health");
// OneAtATime's MOST_CONCURRENCY keeps all but one.
function minimumHealthy(config: DeploymentConfigSpec, n: number): number {
  const m = config.minimumHealthyHosts
  if (m.type === 'MOST_CONCURRENCY') return Math.max(n - m.value, 0)
  return m.type === 'HOST_COUNT' ? m.value : Math.ceil((n * m.value) / 100)
}

export class Engine {
  readonly registry: Registry
  private readonly opts: EngineOptions
  private readonly limiter: Limiter

  constructor(registry: Registry, opts: EngineOptions) {
    this.registry = registry
    this.opts = opts
    this.limiter = new Limiter(opts.config.timing.maxParallelInstances)
  }

  // CodeDeploy's backend now (a reset replaces it).
  private get records(): CodeDeployRecords {
    return this.registry.backends.codedeploy
  }

  create(req: NewDeployment): Deployment {
    const group = req.group
    const d: Deployment = {
      id: deploymentId(),
      applicationName: group.applicationName,
      groupName: group.config.name,
      groupId: group.id,
      deploymentConfigName: req.deploymentConfigName,
      description: req.description,
      creator: req.creator ?? 'user',
      revision: req.revision,
      previousRevision: group.lastSuccessful?.revision,
      status: 'Created',
      createTime: Date.now(),
      fileExistsBehavior: req.fileExistsBehavior,
      ignoreApplicationStopFailures: req.ignoreApplicationStopFailures,
      updateOutdatedInstancesOnly: req.updateOutdatedInstancesOnly,
      autoRollbackConfiguration: req.autoRollbackConfiguration,
      ...(req.rollbackTriggeringDeploymentId
        ? { rollbackInfo: { rollbackTriggeringDeploymentId: req.rollbackTriggeringDeploymentId } }
        : {}),
      targets: new Map(),
      stopRequested: false,
      hang: req.creator !== 'codeDeployRollback' && this.opts.faults.hangs(group.applicationName),
      deploymentStyle: group.config.deploymentStyle,
      ...(group.config.blueGreen ? { blueGreen: group.config.blueGreen } : {}),
      targetGroups: group.config.targetGroups,
      instanceTerminationWaitTimeStarted: false,
      ...(req.targetAutoScalingGroups
        ? { targetAutoScalingGroups: req.targetAutoScalingGroups }
        : {}),
      ...(req.rollbackOf ? { rollbackOf: req.rollbackOf } : {})
    }
    const denied = this.opts.faults.bundleAccessDenied(group.applicationName)
    if (denied) d.bundleAccessDenied = denied
    this.records.deployments.set(d.id, d)
    this.records.order.unshift(d.id)
    group.active = d
    group.lastAttempted = d
    this.execute(d, group).catch((e: Error) => {
      this.opts.log(`deployment ${d.id} broke: ${e.stack ?? e.message}`)
      this.complete(d, group, 'Failed', INTERNAL_ERROR(e))
    })
    return d
  }

  stopDeployment(d: Deployment, autoRollbackEnabled: boolean | undefined): void {
    d.stopRequested = true
    d.stopRollback = autoRollbackEnabled
    d.waiting?.wake()
  }

  /** ContinueDeployment: ends the wait of that type; false when the deployment is not in it. */
  continueDeployment(d: Deployment, type: WaitType): boolean {
    if (d.waiting?.type !== type) return false
    d.waiting.wake()
    return true
  }

  capacityFault(application: string): boolean {
    return this.opts.faults.capacity(application)
  }

  /**
   * Whether the config asks for at least as many healthy instances as the deployment has, so it
   * cannot start (HEALTH_CONSTRAINTS_INVALID, user guide "Instance health": "when the deployment
   * starts, the number of healthy instances will already be less than or equal to the specified
   * minimum"). OneAtATime is the exception: one instance may always go.
   */
  healthConstraintsInvalid(d: Deployment, n: number): boolean {
    const config = this.records.deploymentConfigs.get(d.deploymentConfigName)!
    return config.minimumHealthyHosts.type !== 'MOST_CONCURRENCY' && minimumHealthy(config, n) >= n
  }

  // CodeDeploy stops a deployment when one of its group's alarms is in ALARM ("If any of the
  // specified alarms are activated, the deployment stops, and the status is updated to Stopped",
  // user guide "Monitoring deployments with CloudWatch alarms"). It looks here at the start,
  // before each instance it takes and every second (**guess**: AWS does not say how often); a
  // rollback is not watched (**guess**).
  private lookAtAlarms(d: Deployment, group: Group): void {
    const a = group.config.alarmConfiguration
    if (!a?.enabled || d.creator === 'codeDeployRollback' || d.stopRequested) return
    const names = a.alarms.map((x) => x.name)
    const active = this.opts.faults.alarmsInAlarm(d.applicationName, names)
    if (active.length === 0) return
    d.stoppedByAlarms = active
    this.stopDeployment(d, undefined)
  }

  private watchAlarms(d: Deployment, group: Group): void {
    if (!group.config.alarmConfiguration?.enabled) return
    this.lookAtAlarms(d, group)
    d.alarmWatch = setInterval(() => this.lookAtAlarms(d, group), ALARM_POLL_MS)
  }

  // The group's instances now: its own (tags) and those in service in its Auto Scaling groups.
  groupInstances(group: Group): Instance[] {
    const groups = this.registry.backends.autoscaling.groups
    const out = [...group.instances]
    for (const n of group.autoScalingGroups) out.push(...(groups.get(n)?.inService() ?? []))
    return out
  }

  private async execute(d: Deployment, group: Group): Promise<void> {
    await sleep(this.opts.config.timing.createdMs)
    if (d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
    // CodeDeploy acts through the group's service role from the start (finding the instances).
    const role = this.opts.faults.serviceRole(d.applicationName)
    if (role)
      return this.complete(
        d,
        group,
        'Failed',
        role === 'missing' ? IAM_ROLE_MISSING : IAM_ROLE_PERMISSIONS
      )
    this.watchAlarms(d, group)
    if (d.rollbackOf?.blueGreen) return rerouteBack(this, d, group, d.rollbackOf)
    if (d.blueGreen) return blueGreen(this, d, group)
    const instances = this.groupInstances(group)
    if (instances.length === 0) return this.complete(d, group, 'Failed', NO_INSTANCES)
    const events = inPlaceEvents(d)
    for (const i of instances) d.targets.set(i.id, newTarget(i.id, events))
    // Refused before any instance is touched: every target Skipped (**guess**, as is the stop by
    // an alarm at the start).
    if (this.healthConstraintsInvalid(d, instances.length)) {
      skipTargets(d, instances)
      return this.complete(d, group, 'Failed', HEALTH_CONSTRAINTS_INVALID)
    }
    if (d.stopRequested) {
      skipTargets(d, instances)
      return this.complete(d, group, 'Stopped', MANUAL_STOP)
    }
    d.status = 'InProgress'
    d.startTime = Date.now()
    const outcome = await this.runBatches(d, group, instances, events, true)
    if (d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
    if (!outcome.ok) return this.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
    this.complete(d, group, 'Succeeded')
  }

  // Runs `events` on the instances in batches by the deployment config's minimum healthy hosts.
  // `final`: these are the instances' last events (else a success leaves the target Ready).
  async runBatches(
    d: Deployment,
    group: Group,
    instances: Instance[],
    events: string[],
    final: boolean
  ): Promise<{ ok: boolean; succeeded: Instance[] }> {
    const key = revisionKey(d.revision)
    const queue: Instance[] = []
    for (const i of instances) {
      if (d.updateOutdatedInstancesOnly && i.lastSucceededRevision === key) {
        const t = d.targets.get(i.id)!
        t.status = 'Skipped'
        skipRest(t)
      } else {
        queue.push(i)
      }
    }
    // Healthy = succeeded or not yet touched. An instance is taken only while the healthy ones
    // left would still meet the config's minimum (capped below their count: a config asking for
    // every instance fails at the start instead), so a failed batch stops the rest; OneAtATime also stops at any
    // failure but the last instance's.
    const n = queue.length
    const config = this.records.deploymentConfigs.get(d.deploymentConfigName)!
    const oneAtATime = config.minimumHealthyHosts.type === 'MOST_CONCURRENCY'
    const m = Math.min(minimumHealthy(config, n), Math.max(n - 1, 0))
    let failures = 0
    const succeeded: Instance[] = []
    const running = new Set<Promise<void>>()
    const mayTakeAnother = () =>
      succeeded.length + queue.length - 1 >= m &&
      !(oneAtATime && (failures > 0 || running.size > 0))
    while (queue.length > 0 || running.size > 0) {
      this.lookAtAlarms(d, group)
      while (queue.length > 0 && !d.stopRequested && mayTakeAnother()) {
        const instance = queue.shift()!
        const p = this.limiter
          .run(() => this.runOnInstance(d, group, instance, events, final))
          .then((status) => {
            if (status === 'Succeeded') {
              succeeded.push(instance)
              if (final) instance.lastSucceededRevision = key
            } else if (status === 'Failed') {
              failures++
            }
          })
          .finally(() => running.delete(p))
        running.add(p)
      }
      if (running.size === 0) break
      await Promise.race(running)
    }
    skipTargets(d, queue)
    return { ok: queue.length === 0 && succeeded.length >= Math.max(m, 1), succeeded }
  }

  // A wait of a blue/green deployment (Ready, the termination wait): it ends at ContinueDeployment
  // of that type, StopDeployment, or after `minutes` (times the application's timeScale).
  waitFor(
    d: Deployment,
    group: Group,
    type: WaitType,
    minutes: number
  ): Promise<'continued' | 'stopped' | 'timeout'> {
    return new Promise((resolve) => {
      const done = (r: 'continued' | 'stopped' | 'timeout'): void => {
        clearTimeout(timer)
        d.waiting = undefined
        resolve(r)
      }
      const timer = setTimeout(() => done('timeout'), minutes * 60_000 * group.timeScale)
      d.waiting = { type, wake: () => done(d.stopRequested ? 'stopped' : 'continued') }
      if (d.stopRequested) done('stopped')
    })
  }

  runOnInstance(
    d: Deployment,
    group: Group,
    instance: Instance,
    events: string[],
    final: boolean
  ): Promise<InstanceOutcome> {
    const deps = { registry: this.registry, bundles: this.opts.bundles }
    return runOnInstance(deps, d, group, instance, events, final)
  }

  complete(
    d: Deployment,
    group: Group,
    status: 'Succeeded' | 'Failed' | 'Stopped',
    error?: DeploymentError
  ): void {
    if (d.status === 'Succeeded' || d.status === 'Failed' || d.status === 'Stopped') return
    clearInterval(d.alarmWatch)
    const previousGood = group.lastSuccessful
    d.status = status
    d.completeTime = Date.now()
    // A stop an alarm caused says so, wherever the deployment noticed it.
    if (status === 'Stopped' && d.stoppedByAlarms) error = ALARM_ACTIVE(d.stoppedByAlarms)
    if (error) d.errorInformation = error
    if (group.active === d) group.active = undefined
    if (status === 'Succeeded') group.lastSuccessful = d
    this.opts.log(`deployment ${d.id} ${status}`)
    if (rollbackWanted(d, status, () => this.groupOf(d).config.autoRollback))
      rollBack((req) => this.create(req), d, group, previousGood)
  }

  private groupOf(d: Deployment): Group {
    return this.records.applications.get(d.applicationName)!.groups.get(d.groupName)!
  }
}
