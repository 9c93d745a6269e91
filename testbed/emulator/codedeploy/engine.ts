// The service side of CodeDeploy: the fleet, deployments moving through their statuses,
// instances taken in batches by the deployment config's minimum healthy hosts, one active
// deployment per group, stop, and automatic rollback to the last successful revision.
import {
  Agent,
  ALLOW_TRAFFIC_EVENTS,
  BLOCK_TRAFFIC_EVENTS,
  IN_PLACE_EVENTS,
  type AgentSpec
} from '../hosts/agents/emulated.ts'
import { AutoScaling, type AutoScalingGroup } from '../autoscaling/groups.ts'
import { TargetGroup, type TargetGroupFaults } from '../elbv2/target-group.ts'
import { RealAgent } from '../hosts/agents/real.ts'
import type { BundleStore } from '../hosts/bundles.ts'
import type {
  AgentState,
  ApplicationConfig,
  AutoRollbackConfiguration,
  AutoScalingGroupConfig,
  DeploymentConfigSpec,
  FleetConfig,
  TargetGroupConfig
} from '../world/fleet-config.ts'
import { deploymentId, instanceId, uuid } from '../core/ids.ts'
import {
  NamespaceInstance,
  SharedInstance,
  SharedNamespace,
  type InstanceHost
} from '../hosts/instances.ts'
import { Limiter } from '../core/limiter.ts'
import type { BedNetwork } from '../hosts/network.ts'
import {
  revisionKey,
  type Application,
  type Deployment,
  type Group,
  type Instance,
  type Revision,
  type Target,
  type TargetLabel,
  type WaitType,
  type World
} from './model.ts'
import type { FileExistsBehavior } from '../hosts/appspec/appspec.ts'

const HEALTH_CONSTRAINTS_MESSAGE =
  'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.'
// CodeDeploy's wait for an agent to pick up a lifecycle event's host command ("CodeDeploy has a
// one-hour timeout for the CodeDeploy agent to respond to pending deployments"), times the
// application's timing.timeScale; then the event fails with these words (aws-codedeploy-agent
// issue #307; AWS does not document the errorCode paired with them).
const AGENT_TIMEOUT_MS = 3600_000
const AGENT_TIMEOUT_MESSAGE =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'
// How often a waiting event looks at the agent's state (and at StopDeployment).
const AGENT_POLL_MS = 200
const NO_INSTANCES_MESSAGE =
  'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.'

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

// Words of the bed's own where AWS documents none (testbed/README.md, "Blue/green").
const ALLOW_TRAFFIC_TIMEOUT_MS = 3600_000
const READY_TIMEOUT = {
  code: 'TIMEOUT',
  message:
    'The deployment was stopped because traffic rerouting was not started before the end of the wait period.'
}
const MANUAL_STOP = { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user.' }
const HEALTH_CONSTRAINTS = { code: 'HEALTH_CONSTRAINTS', message: HEALTH_CONSTRAINTS_MESSAGE }

export interface EngineOptions {
  config: FleetConfig
  bundles: BundleStore
  stateDir: string
  hangs: (application: string) => boolean
  log: (line: string) => void
  // The bed's network: every namespace instance gets an address on it.
  network?: BedNetwork
  // The first port tried for target groups' listeners (each takes the next free one).
  listenerPort?: number
  // Fault switches (faults.ts) for target groups, and for an application's Auto Scaling copies.
  targetGroupFaults?: (name: string) => TargetGroupFaults
  capacityFault?: (application: string) => boolean
}

function minimumHealthy(config: DeploymentConfigSpec, n: number): number {
  const m = config.minimumHealthyHosts
  return m.type === 'HOST_COUNT' ? m.value : Math.ceil((n * m.value) / 100)
}

export class Engine {
  world!: World
  private readonly opts: EngineOptions
  private readonly limiter: Limiter
  private shared?: SharedNamespace
  private hosts: InstanceHost[] = []
  // Auto Scaling launches, a few at a time: a hundred namespaces started at once on a loaded
  // machine miss their 10 s start limit.
  private readonly launches = new Limiter(8)
  // Each target group's listener port, kept across POST /reset (TESTBED_TARGET_GROUPS names them).
  private readonly listenerPorts = new Map<string, number>()

  constructor(opts: EngineOptions) {
    this.opts = opts
    this.limiter = new Limiter(opts.config.timing.maxParallelInstances)
  }

  // Builds the fleet from the config, starting a namespace per isolated instance.
  async start(): Promise<void> {
    // The Auto Scaling groups reach the target groups of their own world (a reset makes another).
    const targetGroups = new Map<string, TargetGroup>()
    this.world = {
      applications: new Map(),
      deploymentConfigs: new Map(),
      deployments: new Map(),
      order: [],
      targetGroups,
      autoScaling: new AutoScaling({
        launch: (id) =>
          this.launches.run(async () => {
            const host = await NamespaceInstance.start(id, this.opts.stateDir, this.opts.network)
            this.hosts.push(host)
            return { id, host, agentState: 'running' as const }
          }),
        terminate: (i) => {
          i.host.stop()
          this.hosts = this.hosts.filter((h) => h !== i.host)
        },
        register: (names, i) => {
          for (const n of names)
            if (i.host.address) targetGroups.get(n)?.register(i.id, i.host.address)
        },
        deregister: (i) => {
          for (const tg of targetGroups.values()) void tg.deregister(i.id)
        }
      })
    }
    const c = this.opts.config
    await this.addApplications(
      c.applications,
      c.deploymentConfigs,
      c.targetGroups,
      c.autoScalingGroups
    )
  }

  /** What a fleet document names that neither it nor the running bed declares, or undefined. */
  checkReferences(
    fleet: Pick<FleetConfig, 'applications' | 'targetGroups' | 'autoScalingGroups'>
  ): string | undefined {
    const tgs = new Set([
      ...(this.world?.targetGroups.keys() ?? []),
      ...fleet.targetGroups.map((t) => t.name)
    ])
    const asgs = new Set([
      ...(this.world?.autoScaling.groups.keys() ?? []),
      ...fleet.autoScalingGroups.map((a) => a.name)
    ])
    for (const a of fleet.autoScalingGroups)
      for (const t of a.targetGroups)
        if (!tgs.has(t)) return `fleet config: autoScalingGroups ${a.name}: no target group ${t}`
    for (const app of fleet.applications)
      for (const g of app.groups) {
        for (const t of g.targetGroups)
          if (!tgs.has(t))
            return `fleet config: ${app.name}/${g.name}: loadBalancerInfo names no declared target group ${t}`
        for (const n of g.autoScalingGroups)
          if (!asgs.has(n))
            return `fleet config: ${app.name}/${g.name}: autoScalingGroups names no declared Auto Scaling group ${n}`
      }
    return undefined
  }

  /** Each target group: its listener and its targets' states (GET /target-groups). */
  targetGroupStates(): Record<string, { url: string; targets: Record<string, unknown>[] }> {
    const out: Record<string, { url: string; targets: Record<string, unknown>[] }> = {}
    for (const [name, tg] of this.world.targetGroups)
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
    for (const [name, tg] of this.world.targetGroups) out[name] = tg.url
    return out
  }

  private async addTargetGroup(config: TargetGroupConfig): Promise<void> {
    const old = this.world.targetGroups.get(config.name)
    await old?.close()
    const tg = new TargetGroup(
      config,
      () => this.opts.targetGroupFaults?.(config.name) ?? {},
      this.opts.log
    )
    const port = await tg.listen(
      this.listenerPorts.get(config.name) ??
        Math.max(
          this.opts.listenerPort ?? 7500,
          ...[...this.listenerPorts.values()].map((p) => p + 1)
        )
    )
    this.listenerPorts.set(config.name, port)
    this.world.targetGroups.set(config.name, tg)
    // A target group declared again keeps the Auto Scaling groups' instances that name it.
    for (const g of this.world.autoScaling.groups.values())
      if (g.targetGroups.includes(config.name))
        for (const i of g.inService()) if (i.host.address) tg.register(i.id, i.host.address)
  }

  // Adds (or replaces, by name) applications, deployment configs, target groups and Auto
  // Scaling groups in the running fleet.
  async addApplications(
    apps: ApplicationConfig[],
    configs: DeploymentConfigSpec[],
    targetGroups: TargetGroupConfig[] = [],
    autoScalingGroups: AutoScalingGroupConfig[] = []
  ): Promise<void> {
    const now = Date.now()
    const world = this.world
    for (const c of configs) {
      if (!world.deploymentConfigs.has(c.name))
        world.deploymentConfigs.set(c.name, { ...c, id: uuid(), createTime: now })
    }
    for (const t of targetGroups) await this.addTargetGroup(t)
    await Promise.all(autoScalingGroups.map((a) => world.autoScaling.create(a)))
    const starts: Promise<void>[] = []
    const startLimiter = new Limiter(8)
    for (const a of apps) {
      const old = world.applications.get(a.name)
      if (old) {
        for (const g of old.groups.values()) {
          if (g.active) g.active.stopRequested = true
          for (const i of g.instances) i.host?.stop()
        }
      }
      const app: Application = { id: uuid(), name: a.name, createTime: now, groups: new Map() }
      for (const g of a.groups) {
        const group: Group = {
          id: uuid(),
          applicationName: a.name,
          config: g,
          autoScalingGroups: [...g.autoScalingGroups],
          timeScale: a.timeScale,
          instances: []
        }
        app.groups.set(g.name, group)
        for (let i = 0; i < g.instances; i++) {
          const id = instanceId(a.name, g.name, i)
          const agentState = g.agentStates[i] ?? 'running'
          if (g.isolation === 'shared') {
            this.shared ??= new SharedNamespace(this.opts.stateDir)
            const host = new SharedInstance(id, this.shared)
            this.hosts.push(host)
            group.instances.push({ id, host, agentState })
          } else {
            const instance = { id, agentState } as Instance
            group.instances.push(instance)
            starts.push(
              startLimiter.run(async () => {
                instance.host = await NamespaceInstance.start(
                  id,
                  this.opts.stateDir,
                  this.opts.network
                )
                this.hosts.push(instance.host)
              })
            )
          }
        }
      }
      world.applications.set(a.name, app)
    }
    if (this.shared) starts.push(this.shared.pid().then(() => undefined))
    await Promise.all(starts)
  }

  // The application a request is about: its applicationName, or its deployment's.
  applicationOf(input: Record<string, unknown> | undefined): string | undefined {
    if (!input) return undefined
    if (typeof input.applicationName === 'string') return input.applicationName
    if (typeof input.deploymentId === 'string')
      return this.world.deployments.get(input.deploymentId)?.applicationName
    return undefined
  }

  stop(): void {
    for (const tg of this.world?.targetGroups.values() ?? []) void tg.close()
    for (const h of this.hosts) h.stop()
    this.shared?.stop()
    this.hosts = []
    this.shared = undefined
  }

  // Every deployment stops; instances are recreated with empty file systems.
  async reset(): Promise<void> {
    for (const d of this.world.deployments.values()) {
      d.stopRequested = true
      d.waiting?.wake()
    }
    // The listeners' ports are taken again by the same target groups (TESTBED_TARGET_GROUPS).
    await Promise.all([...this.world.targetGroups.values()].map((tg) => tg.close()))
    this.stop()
    await this.start()
  }

  instances(): {
    id: string
    group: string
    application: string
    autoScalingGroup?: string
    address?: string
    isolation: string
    agent: 'real' | 'emulated'
    agentState: AgentState
    pid: number
    flags: string[]
    root: string
  }[] {
    const out = []
    const listed = (
      i: Instance,
      where: { group: string; application: string; autoScalingGroup?: string },
      agent: 'real' | 'emulated'
    ) => ({
      id: i.id,
      ...where,
      ...(i.host.address ? { address: i.host.address } : {}),
      isolation: i.host.isolation,
      agent,
      agentState: i.agentState,
      ...i.host.enterInfo()
    })
    for (const { group, entry } of this.world.autoScaling.allInstances()) {
      if (!entry.instance.host || entry.lifecycleState !== 'InService') continue
      out.push(
        listed(
          entry.instance,
          { group: '', application: '', autoScalingGroup: group.name },
          'emulated'
        )
      )
    }
    for (const app of this.world.applications.values()) {
      for (const g of app.groups.values()) {
        for (const i of g.instances) {
          if (!i.host) continue
          out.push(
            listed(
              i,
              { group: g.config.name, application: app.name },
              g.config.agentRunner ? 'real' : 'emulated'
            )
          )
        }
      }
    }
    return out
  }

  // Starts or stops an instance's CodeDeploy agent (PUT /agent); undefined for an unknown id.
  setAgentState(id: string, state: AgentState): Instance | undefined {
    for (const { entry } of this.world.autoScaling.allInstances()) {
      if (entry.instance.id === id) {
        entry.instance.agentState = state
        return entry.instance
      }
    }
    for (const app of this.world.applications.values()) {
      for (const g of app.groups.values()) {
        const instance = g.instances.find((i) => i.id === id)
        if (instance) {
          instance.agentState = state
          return instance
        }
      }
    }
    return undefined
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
      hang: req.creator !== 'codeDeployRollback' && this.opts.hangs(group.applicationName),
      deploymentStyle: group.config.deploymentStyle,
      ...(group.config.blueGreen ? { blueGreen: group.config.blueGreen } : {}),
      targetGroups: group.config.targetGroups,
      instanceTerminationWaitTimeStarted: false,
      ...(req.targetAutoScalingGroups
        ? { targetAutoScalingGroups: req.targetAutoScalingGroups }
        : {}),
      ...(req.rollbackOf ? { rollbackOf: req.rollbackOf } : {})
    }
    this.world.deployments.set(d.id, d)
    this.world.order.unshift(d.id)
    group.active = d
    group.lastAttempted = d
    this.execute(d, group).catch((e: Error) => {
      this.opts.log(`deployment ${d.id} broke: ${e.stack ?? e.message}`)
      this.complete(d, group, 'Failed', {
        code: 'INTERNAL_ERROR',
        message: `The test bed failed: ${e.message}`
      })
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

  // The group's instances now: its own (tags) and those in service in its Auto Scaling groups.
  private groupInstances(group: Group, asgNames = group.autoScalingGroups): Instance[] {
    const out = [...group.instances]
    for (const n of asgNames) out.push(...(this.world.autoScaling.groups.get(n)?.inService() ?? []))
    return out
  }

  private newTarget(instanceId: string, events: string[], label?: TargetLabel): Target {
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

  private skipRest(t: Target): void {
    for (const e of t.lifecycleEvents) if (e.status === 'Pending') e.status = 'Skipped'
    t.lastUpdatedAt = Date.now()
  }

  private skipTargets(d: Deployment, instances: Instance[]): void {
    for (const i of instances) {
      const t = d.targets.get(i.id)
      if (!t || t.status === 'Succeeded' || t.status === 'Failed') continue
      t.status = 'Skipped'
      this.skipRest(t)
    }
  }

  private inPlaceEvents(d: Deployment): string[] {
    return d.deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL'
      ? [...BLOCK_TRAFFIC_EVENTS, ...IN_PLACE_EVENTS, ...ALLOW_TRAFFIC_EVENTS]
      : IN_PLACE_EVENTS
  }

  private async execute(d: Deployment, group: Group): Promise<void> {
    await new Promise((r) => setTimeout(r, this.opts.config.timing.createdMs))
    if (d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
    if (d.rollbackOf?.blueGreen) return this.rerouteBack(d, group, d.rollbackOf)
    if (d.blueGreen) return this.blueGreen(d, group)
    const instances = this.groupInstances(group)
    if (instances.length === 0)
      return this.complete(d, group, 'Failed', {
        code: 'NO_INSTANCES',
        message: NO_INSTANCES_MESSAGE
      })
    const events = this.inPlaceEvents(d)
    for (const i of instances) d.targets.set(i.id, this.newTarget(i.id, events))
    d.status = 'InProgress'
    d.startTime = Date.now()
    const outcome = await this.runBatches(d, group, instances, events, true)
    if (d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
    if (!outcome.ok) return this.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
    this.complete(d, group, 'Succeeded')
  }

  // Runs `events` on the instances in batches by the deployment config's minimum healthy hosts.
  // `final`: these are the instances' last events (else a success leaves the target Ready).
  private async runBatches(
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
        this.skipRest(t)
      } else {
        queue.push(i)
      }
    }
    // Healthy = succeeded or not yet touched. An instance is taken only while the healthy ones
    // left would still meet the config's minimum (capped so one instance can always go), so a
    // failed batch stops the rest; OneAtATime also stops at any failure but the last instance's.
    const n = queue.length
    const config = this.world.deploymentConfigs.get(d.deploymentConfigName)!
    const oneAtATime = d.deploymentConfigName === 'CodeDeployDefault.OneAtATime'
    const m = Math.min(minimumHealthy(config, n), Math.max(n - 1, 0))
    let failures = 0
    const succeeded: Instance[] = []
    const running = new Set<Promise<void>>()
    const mayTakeAnother = () =>
      succeeded.length + queue.length - 1 >= m &&
      !(oneAtATime && (failures > 0 || running.size > 0))
    while (queue.length > 0 || running.size > 0) {
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
    this.skipTargets(d, queue)
    return { ok: queue.length === 0 && succeeded.length >= Math.max(m, 1), succeeded }
  }

  // ---- blue/green ----

  // A wait of a blue/green deployment (Ready, the termination wait): it ends at ContinueDeployment
  // of that type, StopDeployment, or after `minutes` (times the application's timeScale).
  private waitFor(
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

  private async blueGreen(d: Deployment, group: Group): Promise<void> {
    const bg = d.blueGreen!
    const autoScaling = this.world.autoScaling
    const copy = bg.greenFleetProvisioningOption.action === 'COPY_AUTO_SCALING_GROUP'
    const blue = this.groupInstances(group)
    d.originalAutoScalingGroups = [...group.autoScalingGroups]
    let green: Instance[]
    let copied: AutoScalingGroup | undefined
    if (copy) {
      const sourceName = group.autoScalingGroups[0]!
      const source = autoScaling.groups.get(sourceName)
      if (!source)
        return this.complete(d, group, 'Failed', {
          code: 'AUTO_SCALING_CONFIGURATION',
          message: `The Auto Scaling group ${sourceName} of deployment group ${group.config.name} does not exist, so it cannot be copied for the replacement environment.`
        })
      // "The number of currently healthy instances in the Auto Scaling group you select is created
      // in your replacement environment" (CodeDeploy user guide).
      const count = source.inService().length
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
        this.opts.capacityFault?.(d.applicationName) ?? false
      )
      if (copied.inService().length < count)
        return this.complete(d, group, 'Failed', {
          code: 'AUTO_SCALING_CONFIGURATION',
          message: `The Auto Scaling group ${name} could not launch the replacement instances: ${copied.lastFailure ?? 'no instance launched'}`
        })
      green = copied.inService()
    } else {
      // DISCOVER_EXISTING: the named groups' instances, never one of the original fleet.
      green = (d.targetAutoScalingGroups ?? [])
        .flatMap((n) => autoScaling.groups.get(n)?.inService() ?? [])
        .filter((i) => !blue.includes(i))
    }
    d.blue = blue
    d.green = green
    if (green.length === 0)
      return this.complete(d, group, 'Failed', {
        code: 'NO_INSTANCES',
        message: NO_INSTANCES_MESSAGE
      })
    for (const i of blue) d.targets.set(i.id, this.newTarget(i.id, BLOCK_TRAFFIC_EVENTS, 'Blue'))
    for (const i of green)
      d.targets.set(
        i.id,
        this.newTarget(i.id, [...IN_PLACE_EVENTS, ...ALLOW_TRAFFIC_EVENTS], 'Green')
      )
    d.status = 'InProgress'
    d.startTime = Date.now()

    // Install on the replacement fleet; "the deployment configuration and minimum healthy hosts
    // value apply to instances in the replacement environment" (user guide).
    const install = await this.runBatches(d, group, green, IN_PLACE_EVENTS, false)
    const fail = (): void => {
      this.skipTargets(d, [...blue, ...green])
      this.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
    }
    const stopped = (error = MANUAL_STOP): void => {
      this.skipTargets(d, [...blue, ...green])
      this.complete(d, group, 'Stopped', error)
    }
    if (d.stopRequested) return stopped()
    if (!install.ok) return fail()
    const ready = install.succeeded

    if (bg.deploymentReadyOption.actionOnTimeout === 'STOP_DEPLOYMENT') {
      d.status = 'Ready'
      const r = await this.waitFor(
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
      ready.map((i) => this.runOnInstance(d, group, i, ALLOW_TRAFFIC_EVENTS, true))
    )
    if (allowed.some((s) => s !== 'Succeeded')) {
      // The traffic stays on (goes back to) the original instances: every replacement instance
      // is deregistered again, those that passed and those that failed (one that failed could
      // pass its checks later and serve the failed revision).
      await Promise.all(ready.map((i) => this.blockTraffic(d, i)))
      return d.stopRequested ? stopped() : fail()
    }
    for (const i of ready) i.lastSucceededRevision = revisionKey(d.revision)
    const blocked = await Promise.all(
      blue.map((i) => this.runOnInstance(d, group, i, BLOCK_TRAFFIC_EVENTS, true))
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
      const r = await this.waitFor(d, group, 'TERMINATION_WAIT', term.terminationWaitTimeInMinutes)
      if (r === 'stopped' || d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
      // The original instances are terminated; with a copied group, the original group goes
      // with them (likely on AWS, not documented: see the README).
      for (const n of d.originalAutoScalingGroups) {
        const g = autoScaling.groups.get(n)
        if (g) autoScaling.remove(g)
      }
      for (const i of blue) if (group.instances.includes(i)) i.host?.stop()
      group.instances = group.instances.filter((i) => !blue.includes(i))
    }
    this.complete(d, group, 'Succeeded')
  }

  // A blue/green deployment's rollback (a new deployment): the original instances are allowed
  // traffic again and the replacement ones blocked (the user guide's table of hooks for rollbacks).
  private async rerouteBack(d: Deployment, group: Group, from: Deployment): Promise<void> {
    const blue = (from.blue ?? []).filter((i) => i.host)
    const green = (from.green ?? []).filter((i) => i.host)
    d.blue = blue
    d.green = green
    for (const i of blue) d.targets.set(i.id, this.newTarget(i.id, ALLOW_TRAFFIC_EVENTS, 'Blue'))
    for (const i of green) d.targets.set(i.id, this.newTarget(i.id, BLOCK_TRAFFIC_EVENTS, 'Green'))
    d.status = 'InProgress'
    d.startTime = Date.now()
    const allowed = await Promise.all(
      blue.map((i) => this.runOnInstance(d, group, i, ALLOW_TRAFFIC_EVENTS, true))
    )
    const blocked = allowed.every((s) => s === 'Succeeded')
      ? await Promise.all(
          green.map((i) => this.runOnInstance(d, group, i, BLOCK_TRAFFIC_EVENTS, true))
        )
      : []
    if (from.originalAutoScalingGroups)
      group.autoScalingGroups = [...from.originalAutoScalingGroups]
    if (d.stopRequested) return this.complete(d, group, 'Stopped', MANUAL_STOP)
    if (!allowed.every((s) => s === 'Succeeded') || blocked.some((s) => s === 'Failed')) {
      this.skipTargets(d, [...blue, ...green])
      return this.complete(d, group, 'Failed', HEALTH_CONSTRAINTS)
    }
    this.complete(d, group, 'Succeeded')
  }

  // ---- traffic: what CodeDeploy does itself in BlockTraffic and AllowTraffic ----

  // Deregisters the instance from the deployment's target groups and waits for the draining.
  private async blockTraffic(d: Deployment, instance: Instance): Promise<string> {
    await Promise.all(
      d.targetGroups.map((n) => this.world.targetGroups.get(n)?.deregister(instance.id))
    )
    return ''
  }

  // Registers the instance and waits until every target group finds it healthy. It fails when
  // one finds it unhealthy (the unhealthy threshold of failed checks), at CodeDeploy's hour (times
  // timeScale), or at a stop.
  private async allowTraffic(d: Deployment, group: Group, instance: Instance): Promise<string> {
    const address = instance.host?.address
    if (!address) throw new Error(`The test bed: instance ${instance.id} has no network address.`)
    const tgs = d.targetGroups.map((n) => this.world.targetGroups.get(n)!).filter(Boolean)
    for (const tg of tgs) tg.register(instance.id, address)
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), ALLOW_TRAFFIC_TIMEOUT_MS * group.timeScale)
    const poll = setInterval(() => d.stopRequested && abort.abort(), AGENT_POLL_MS)
    try {
      const verdicts = await Promise.all(tgs.map((tg) => tg.waitHealthy(instance.id, abort.signal)))
      const bad = tgs.filter((_, k) => !verdicts[k])
      if (bad.length > 0)
        throw new Error(
          `The instance did not pass the health checks of target group ${bad.map((t) => t.config.name).join(', ')}.`
        )
      return ''
    } finally {
      clearTimeout(timer)
      clearInterval(poll)
    }
  }

  private async runOnInstance(
    d: Deployment,
    group: Group,
    instance: Instance,
    events: string[] = IN_PLACE_EVENTS,
    final = true
  ): Promise<'Succeeded' | 'Failed' | 'Stopped'> {
    const t = d.targets.get(instance.id)!
    if (d.stopRequested) {
      t.status = 'Skipped'
      this.skipRest(t)
      return 'Stopped'
    }
    t.status = 'InProgress'
    t.lastUpdatedAt = Date.now()
    const spec: AgentSpec = {
      deploymentId: d.id,
      applicationName: d.applicationName,
      groupName: d.groupName,
      groupId: d.groupId,
      revision: d.revision.s3Location,
      fileExistsBehavior: d.fileExistsBehavior,
      ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
      hang: d.hang
    }
    const runner = group.config.agentRunner
    const agent = runner
      ? new RealAgent(instance.host, this.opts.bundles, spec, runner)
      : new Agent(instance.host, this.opts.bundles, spec)
    const event = (name: string) => t.lifecycleEvents.find((e) => e.lifecycleEventName === name)!
    // When the next event's host command was dispatched: the target turning InProgress for the
    // first, the previous event's end after that. CodeDeploy's timeout counts from there.
    let dispatchedAt = t.lastUpdatedAt
    const status = await agent.run(
      {
        // A stopped agent does not poll, so the event stays Pending (no startTime, the target's
        // lastUpdatedAt untouched) until the agent runs again, StopDeployment, or the timeout.
        awaitAgent: async (name) => {
          const deadline = dispatchedAt + AGENT_TIMEOUT_MS * group.timeScale
          for (;;) {
            if (d.stopRequested) return 'stopped'
            if (instance.agentState === 'running') return 'go'
            const left = deadline - Date.now()
            if (left <= 0) break
            await new Promise((r) => setTimeout(r, Math.min(AGENT_POLL_MS, left)))
          }
          // Failed with an endTime but no startTime: the agent never acknowledged the command.
          const e = event(name)
          e.status = 'Failed'
          e.endTime = Date.now()
          e.diagnostics = {
            errorCode: 'UnknownError',
            scriptName: '',
            message: AGENT_TIMEOUT_MESSAGE,
            logTail: ''
          }
          t.lastUpdatedAt = e.endTime
          return 'timed-out'
        },
        started: (name) => {
          const e = event(name)
          e.status = 'InProgress'
          e.startTime = Date.now()
          t.lastUpdatedAt = e.startTime
        },
        finished: (name, status, diagnostics) => {
          const e = event(name)
          e.status = status
          e.endTime = Date.now()
          e.diagnostics = diagnostics
          t.lastUpdatedAt = e.endTime
          dispatchedAt = e.endTime
        },
        stopRequested: () => d.stopRequested,
        traffic: (name) =>
          name === 'BlockTraffic'
            ? this.blockTraffic(d, instance)
            : this.allowTraffic(d, group, instance)
      },
      events
    )
    for (const e of t.lifecycleEvents) {
      if (e.status === 'InProgress') {
        e.status = 'Failed'
        e.endTime = Date.now()
      }
    }
    // Blue/green: after the install the replacement instance waits Ready for the reroute.
    if (!final && status === 'Succeeded') {
      t.status = 'Ready'
      t.lastUpdatedAt = Date.now()
      return status
    }
    this.skipRest(t)
    t.status = status === 'Stopped' ? 'Skipped' : status
    return status
  }

  private complete(
    d: Deployment,
    group: Group,
    status: 'Succeeded' | 'Failed' | 'Stopped',
    error?: { code: string; message: string }
  ): void {
    if (d.status === 'Succeeded' || d.status === 'Failed' || d.status === 'Stopped') return
    const previousGood = group.lastSuccessful
    d.status = status
    d.completeTime = Date.now()
    if (error) d.errorInformation = error
    if (group.active === d) group.active = undefined
    if (status === 'Succeeded') group.lastSuccessful = d
    this.opts.log(`deployment ${d.id} ${status}`)
    if (this.rollbackWanted(d, status)) this.rollback(d, group, previousGood)
  }

  private rollbackWanted(d: Deployment, status: string): boolean {
    if (d.creator === 'codeDeployRollback') return false
    const c = d.autoRollbackConfiguration ?? this.groupOf(d).config.autoRollback
    if (status === 'Failed') return !!c?.enabled && c.events.includes('DEPLOYMENT_FAILURE')
    if (status === 'Stopped') {
      if (d.stopRollback !== undefined) return d.stopRollback
      return !!c?.enabled && c.events.includes('DEPLOYMENT_STOP_ON_REQUEST')
    }
    return false
  }

  private groupOf(d: Deployment): Group {
    return this.world.applications.get(d.applicationName)!.groups.get(d.groupName)!
  }

  private rollback(d: Deployment, group: Group, previousGood: Deployment | undefined): void {
    if (!previousGood) {
      d.rollbackInfo = {
        rollbackMessage:
          'Automatic rollback was not performed because no previous successful deployment exists for this deployment group.'
      }
      return
    }
    const r = this.create({
      group,
      deploymentConfigName: d.deploymentConfigName,
      revision: previousGood.revision,
      fileExistsBehavior: previousGood.fileExistsBehavior,
      ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
      updateOutdatedInstancesOnly: false,
      creator: 'codeDeployRollback',
      rollbackTriggeringDeploymentId: d.id,
      ...(d.blueGreen ? { rollbackOf: d } : {})
    })
    d.rollbackInfo = {
      rollbackDeploymentId: r.id,
      rollbackMessage: `Automatic rollback to the last successful revision started as deployment ${r.id}.`
    }
  }
}
