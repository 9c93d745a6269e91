// Auto Scaling groups of namespace instances: launched at their desired capacity, registered with
// their target groups when InService, resized by UpdateAutoScalingGroup, deleted (with their
// instances) by DeleteAutoScalingGroup. CodeDeploy copies one for a blue/green deployment.
import { createHash } from 'node:crypto'
import type { AutoScalingGroupConfig } from '../world/fleet-config.ts'
import { ACCOUNT, REGION, instanceId } from '../core/ids.ts'
import type { Instance } from '../codedeploy/model.ts'

export type LifecycleState = 'Pending' | 'InService' | 'Terminating'

export interface AsgInstance {
  instance: Instance
  lifecycleState: LifecycleState
  launchTime: number
}

// What launching needs from the fleet: a new instance on the bed's network, its end, and the
// target groups it joins.
export interface Launcher {
  launch(id: string): Promise<Instance>
  terminate(instance: Instance): void
  register(targetGroups: string[], instance: Instance): void
  // From every target group it is in: CodeDeploy registers a copy's instances itself.
  deregister(instance: Instance): void
}

export class AutoScalingGroup {
  readonly name: string
  readonly arn: string
  readonly createdTime = Date.now()
  min: number
  max: number
  desired: number
  targetGroups: string[]
  instances: AsgInstance[] = []
  status?: 'Delete in progress'
  // Scaling activities' last failure ("We currently do not have sufficient capacity ..."), if any.
  lastFailure?: string
  private seq = 0

  constructor(config: AutoScalingGroupConfig) {
    this.name = config.name
    const id = createHash('sha256').update(config.name).digest('hex')
    this.arn = `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}:autoScalingGroupName/${config.name}`
    this.min = config.min
    this.max = config.max
    this.desired = config.desired
    this.targetGroups = [...config.targetGroups]
  }

  nextInstanceId(): string {
    return instanceId('autoscaling', this.name, this.seq++)
  }

  inService(): Instance[] {
    return this.instances.filter((i) => i.lifecycleState === 'InService').map((i) => i.instance)
  }
}

export class AutoScaling {
  readonly groups = new Map<string, AutoScalingGroup>()
  private readonly launcher: Launcher

  constructor(launcher: Launcher) {
    this.launcher = launcher
  }

  /** Creates a group and launches its desired capacity (replacing a same-named one). */
  async create(config: AutoScalingGroupConfig, capacityFault = false): Promise<AutoScalingGroup> {
    const old = this.groups.get(config.name)
    if (old) this.remove(old)
    const g = new AutoScalingGroup(config)
    this.groups.set(g.name, g)
    await this.scale(g, capacityFault)
    return g
  }

  /**
   * Launches or terminates instances until the group has its desired capacity. `capacityFault`:
   * launches fail as EC2 does when it has no capacity (the group stays short).
   */
  async scale(g: AutoScalingGroup, capacityFault = false): Promise<void> {
    const live = g.instances.filter((i) => i.lifecycleState !== 'Terminating')
    if (live.length < g.desired) {
      if (capacityFault) {
        g.lastFailure =
          'We currently do not have sufficient capacity in the Availability Zone you requested. Launching EC2 instance failed.'
        return
      }
      const launches = []
      for (let k = live.length; k < g.desired; k++) {
        const entry: AsgInstance = {
          instance: { id: g.nextInstanceId(), agentState: 'running' } as Instance,
          lifecycleState: 'Pending',
          launchTime: Date.now()
        }
        g.instances.push(entry)
        launches.push(
          this.launcher.launch(entry.instance.id).then(
            (instance) => {
              entry.instance = instance
              if (entry.lifecycleState !== 'Pending') return this.launcher.terminate(instance)
              entry.lifecycleState = 'InService'
              this.launcher.register(g.targetGroups, instance)
            },
            (e: Error) => {
              // A launch that failed leaves the group short, as a failed scaling activity does.
              g.instances = g.instances.filter((i) => i !== entry)
              g.lastFailure = `Launching a new EC2 instance failed: ${e.message}`
            }
          )
        )
      }
      await Promise.all(launches)
    } else {
      // Newest first, as the default termination policy ends up doing for one launch template.
      for (const entry of live.slice(g.desired).reverse()) this.terminate(g, entry)
    }
  }

  private terminate(g: AutoScalingGroup, entry: AsgInstance): void {
    entry.lifecycleState = 'Terminating'
    if (entry.instance.host) this.launcher.deregister(entry.instance)
    if (entry.instance.host) this.launcher.terminate(entry.instance)
    g.instances = g.instances.filter((i) => i !== entry)
  }

  /** Terminates every instance and forgets the group (ForceDelete, or an empty group). */
  remove(g: AutoScalingGroup): void {
    g.status = 'Delete in progress'
    for (const entry of [...g.instances]) this.terminate(g, entry)
    this.groups.delete(g.name)
  }

  /** The group an instance belongs to, if any. */
  groupOf(instanceId: string): AutoScalingGroup | undefined {
    for (const g of this.groups.values())
      if (g.instances.some((i) => i.instance.id === instanceId)) return g
    return undefined
  }

  /** Every instance of every group (for the admin list and the agent switch). */
  *allInstances(): Generator<{ group: AutoScalingGroup; entry: AsgInstance }> {
    for (const group of this.groups.values())
      for (const entry of group.instances) yield { group, entry }
  }
}
