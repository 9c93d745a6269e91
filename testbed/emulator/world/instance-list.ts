// Every instance of the bed across services, for GET /instances and PUT /agent: the Auto Scaling
// groups' instances in service and the deployment groups' own.
import type { Instance } from '../codedeploy/model.ts'
import type { Backends } from '../registry.ts'
import type { AgentState } from './fleet-config.ts'

export interface ListedInstance {
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
}

export function listInstances(backends: Backends): ListedInstance[] {
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
  for (const { group, entry } of backends.autoscaling.allInstances()) {
    if (!entry.instance.host || entry.lifecycleState !== 'InService') continue
    out.push(
      listed(
        entry.instance,
        { group: '', application: '', autoScalingGroup: group.name },
        'emulated'
      )
    )
  }
  for (const app of backends.codedeploy.applications.values()) {
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

/** Starts or stops an instance's CodeDeploy agent (PUT /agent); undefined for an unknown id. */
export function setAgentState(
  backends: Backends,
  id: string,
  state: AgentState
): Instance | undefined {
  for (const { entry } of backends.autoscaling.allInstances()) {
    if (entry.instance.id === id) {
      entry.instance.agentState = state
      return entry.instance
    }
  }
  for (const app of backends.codedeploy.applications.values()) {
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
