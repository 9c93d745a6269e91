// The service side of CodeDeploy: the fleet, deployments moving through their statuses,
// instances taken in batches by the deployment config's minimum healthy hosts, one active
// deployment per group, stop, and automatic rollback to the last successful revision.
import { Agent, IN_PLACE_EVENTS, type AgentSpec } from './agent.ts'
import { RealAgent } from './real-agent.ts'
import type { BundleStore } from './bundles.ts'
import type {
  AgentState,
  ApplicationConfig,
  AutoRollbackConfiguration,
  DeploymentConfigSpec,
  FleetConfig
} from './config.ts'
import { deploymentId, instanceId, uuid } from './ids.ts'
import {
  NamespaceInstance,
  SharedInstance,
  SharedNamespace,
  type InstanceHost
} from './instances.ts'
import { Limiter } from './limiter.ts'
import type { BedNetwork } from './network.ts'
import {
  revisionKey,
  type Application,
  type Deployment,
  type Group,
  type Instance,
  type Revision,
  type Target,
  type World
} from './model.ts'
import type { FileExistsBehavior } from './appspec.ts'

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
}

export interface EngineOptions {
  config: FleetConfig
  bundles: BundleStore
  stateDir: string
  hangs: (application: string) => boolean
  log: (line: string) => void
  // The bed's network: every namespace instance gets an address on it.
  network?: BedNetwork
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

  constructor(opts: EngineOptions) {
    this.opts = opts
    this.limiter = new Limiter(opts.config.timing.maxParallelInstances)
  }

  // Builds the fleet from the config, starting a namespace per isolated instance.
  async start(): Promise<void> {
    this.world = {
      applications: new Map(),
      deploymentConfigs: new Map(),
      deployments: new Map(),
      order: []
    }
    await this.addApplications(this.opts.config.applications, this.opts.config.deploymentConfigs)
  }

  // Adds (or replaces, by name) applications and deployment configs in the running fleet.
  async addApplications(apps: ApplicationConfig[], configs: DeploymentConfigSpec[]): Promise<void> {
    const now = Date.now()
    const world = this.world
    for (const c of configs) {
      if (!world.deploymentConfigs.has(c.name))
        world.deploymentConfigs.set(c.name, { ...c, id: uuid(), createTime: now })
    }
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
    for (const h of this.hosts) h.stop()
    this.shared?.stop()
    this.hosts = []
    this.shared = undefined
  }

  // Every deployment stops; instances are recreated with empty file systems.
  async reset(): Promise<void> {
    for (const d of this.world.deployments.values()) d.stopRequested = true
    this.stop()
    await this.start()
  }

  instances(): {
    id: string
    group: string
    application: string
    isolation: string
    agent: 'real' | 'emulated'
    agentState: AgentState
    pid: number
    flags: string[]
    root: string
  }[] {
    const out = []
    for (const app of this.world.applications.values()) {
      for (const g of app.groups.values()) {
        for (const i of g.instances) {
          if (!i.host) continue
          out.push({
            id: i.id,
            group: g.config.name,
            application: app.name,
            isolation: i.host.isolation,
            agent: g.config.agentRunner ? ('real' as const) : ('emulated' as const),
            agentState: i.agentState,
            ...i.host.enterInfo()
          })
        }
      }
    }
    return out
  }

  // Starts or stops an instance's CodeDeploy agent (PUT /agent); undefined for an unknown id.
  setAgentState(id: string, state: AgentState): Instance | undefined {
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
      hang: req.creator !== 'codeDeployRollback' && this.opts.hangs(group.applicationName)
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
  }

  private newTarget(instanceId: string): Target {
    return {
      instanceId,
      status: 'Pending',
      lastUpdatedAt: Date.now(),
      lifecycleEvents: IN_PLACE_EVENTS.map((name) => ({
        lifecycleEventName: name,
        status: 'Pending' as const
      }))
    }
  }

  private skipRest(t: Target): void {
    for (const e of t.lifecycleEvents) if (e.status === 'Pending') e.status = 'Skipped'
    t.lastUpdatedAt = Date.now()
  }

  private async execute(d: Deployment, group: Group): Promise<void> {
    await new Promise((r) => setTimeout(r, this.opts.config.timing.createdMs))
    if (d.stopRequested)
      return this.complete(d, group, 'Stopped', {
        code: 'MANUAL_STOP',
        message: 'The deployment was stopped by the user.'
      })
    if (group.instances.length === 0)
      return this.complete(d, group, 'Failed', {
        code: 'NO_INSTANCES',
        message: NO_INSTANCES_MESSAGE
      })
    for (const i of group.instances) d.targets.set(i.id, this.newTarget(i.id))
    d.status = 'InProgress'
    d.startTime = Date.now()

    const key = revisionKey(d.revision)
    const queue: Instance[] = []
    for (const i of group.instances) {
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
    let successes = 0
    const running = new Set<Promise<void>>()
    const mayTakeAnother = () =>
      successes + queue.length - 1 >= m && !(oneAtATime && (failures > 0 || running.size > 0))
    while (queue.length > 0 || running.size > 0) {
      while (queue.length > 0 && !d.stopRequested && mayTakeAnother()) {
        const instance = queue.shift()!
        const p = this.limiter
          .run(() => this.runOnInstance(d, group, instance))
          .then((status) => {
            if (status === 'Succeeded') {
              successes++
              instance.lastSucceededRevision = key
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
    for (const i of queue) {
      const t = d.targets.get(i.id)!
      t.status = 'Skipped'
      this.skipRest(t)
    }
    if (d.stopRequested) {
      return this.complete(d, group, 'Stopped', {
        code: 'MANUAL_STOP',
        message: 'The deployment was stopped by the user.'
      })
    }
    if (queue.length > 0 || successes < Math.max(m, 1)) {
      return this.complete(d, group, 'Failed', {
        code: 'HEALTH_CONSTRAINTS',
        message: HEALTH_CONSTRAINTS_MESSAGE
      })
    }
    this.complete(d, group, 'Succeeded')
  }

  private async runOnInstance(
    d: Deployment,
    group: Group,
    instance: Instance
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
    const status = await agent.run({
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
      stopRequested: () => d.stopRequested
    })
    for (const e of t.lifecycleEvents) {
      if (e.status === 'InProgress') {
        e.status = 'Failed'
        e.endTime = Date.now()
      }
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
      rollbackTriggeringDeploymentId: d.id
    })
    d.rollbackInfo = {
      rollbackDeploymentId: r.id,
      rollbackMessage: `Automatic rollback to the last successful revision started as deployment ${r.id}.`
    }
  }
}
