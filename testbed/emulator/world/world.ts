// The bed's world: the services' backends built from the fleet config (and the GitHub
// repositories tests register), applications added by PUT /fleet, POST /reset (every deployment
// stops, the instances start again empty, no repository stays registered), and what the admin
// endpoint reads across services. It is the registry through which services reach each other
// (registry.ts).
import { AutoScaling } from '../autoscaling/groups.ts'
import type { Application, Group, Instance } from '../codedeploy/model.ts'
import { instanceId, uuid } from '../core/ids.ts'
import { LoadBalancing } from '../elbv2/load-balancing.ts'
import { GitHubRepositories } from '../github/repositories.ts'
import type { TargetGroupFaults } from '../elbv2/target-group.ts'
import { HostPool } from '../hosts/host-pool.ts'
import type { BedNetwork } from '../hosts/network.ts'
import type { Backends, Registry } from '../registry.ts'
import type {
  ApplicationConfig,
  AutoScalingGroupConfig,
  DeploymentConfigSpec,
  FleetConfig,
  TargetGroupConfig
} from './fleet-config.ts'

export interface WorldOptions {
  config: FleetConfig
  stateDir: string
  log: (line: string) => void
  // The bed's network: every namespace instance gets an address on it.
  network?: BedNetwork
  // The first port tried for target groups' listeners (each takes the next free one).
  listenerPort?: number
  // Fault switches (faults.ts) for target groups.
  targetGroupFaults?: (name: string) => TargetGroupFaults
}

export class World implements Registry {
  backends!: Backends
  private readonly opts: WorldOptions
  private readonly hosts: HostPool
  // Each target group's listener port, kept across POST /reset (TESTBED_TARGET_GROUPS names them).
  private readonly listenerPorts = new Map<string, number>()

  constructor(opts: WorldOptions) {
    this.opts = opts
    this.hosts = new HostPool(opts.stateDir, opts.network)
  }

  // Builds the fleet from the config, starting a namespace per isolated instance.
  async start(): Promise<void> {
    // The Auto Scaling groups reach the target groups of their own world (a reset makes another).
    const elbv2 = new LoadBalancing({
      listenerPort: this.opts.listenerPort,
      ports: this.listenerPorts,
      faults: this.opts.targetGroupFaults,
      log: this.opts.log
    })
    const targetGroups = elbv2.targetGroups
    this.backends = {
      codedeploy: {
        applications: new Map(),
        deploymentConfigs: new Map(),
        deployments: new Map(),
        order: []
      },
      elbv2,
      autoscaling: new AutoScaling({
        launch: async (id) => ({ id, host: await this.hosts.launch(id), agentState: 'running' }),
        terminate: (i) => this.hosts.terminate(i.host),
        register: (names, i) => {
          for (const n of names)
            if (i.host.address) targetGroups.get(n)?.register(i.id, i.host.address)
        },
        deregister: (i) => {
          for (const tg of targetGroups.values()) void tg.deregister(i.id)
        }
      }),
      github: new GitHubRepositories()
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
      ...(this.backends?.elbv2.targetGroups.keys() ?? []),
      ...fleet.targetGroups.map((t) => t.name)
    ])
    const asgs = new Set([
      ...(this.backends?.autoscaling.groups.keys() ?? []),
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

  private async addTargetGroup(config: TargetGroupConfig): Promise<void> {
    const tg = await this.backends.elbv2.add(config)
    // A target group declared again keeps the Auto Scaling groups' instances that name it.
    for (const g of this.backends.autoscaling.groups.values())
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
    const { codedeploy, autoscaling } = this.backends
    for (const c of configs) {
      if (!codedeploy.deploymentConfigs.has(c.name))
        codedeploy.deploymentConfigs.set(c.name, { ...c, id: uuid(), createTime: now })
    }
    for (const t of targetGroups) await this.addTargetGroup(t)
    await Promise.all(autoScalingGroups.map((a) => autoscaling.create(a)))
    const starts: Promise<void>[] = []
    for (const a of apps) {
      const old = codedeploy.applications.get(a.name)
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
            group.instances.push({ id, host: this.hosts.startShared(id), agentState })
          } else {
            const instance = { id, agentState } as Instance
            group.instances.push(instance)
            starts.push(
              this.hosts.launch(id).then((host) => {
                instance.host = host
              })
            )
          }
        }
      }
      codedeploy.applications.set(a.name, app)
    }
    const shared = this.hosts.sharedStarted()
    if (shared) starts.push(shared)
    await Promise.all(starts)
  }

  // The application a request is about: its applicationName, or its deployment's.
  applicationOf(input: Record<string, unknown> | undefined): string | undefined {
    if (!input) return undefined
    if (typeof input.applicationName === 'string') return input.applicationName
    if (typeof input.deploymentId === 'string')
      return this.backends.codedeploy.deployments.get(input.deploymentId)?.applicationName
    return undefined
  }

  stop(): void {
    for (const tg of this.backends?.elbv2.targetGroups.values() ?? []) void tg.close()
    this.hosts.stop()
  }

  // Every deployment stops; instances are recreated with empty file systems.
  async reset(): Promise<void> {
    for (const d of this.backends.codedeploy.deployments.values()) {
      d.stopRequested = true
      d.waiting?.wake()
    }
    // The listeners' ports are taken again by the same target groups (TESTBED_TARGET_GROUPS).
    await this.backends.elbv2.close()
    this.stop()
    await this.start()
  }
}
