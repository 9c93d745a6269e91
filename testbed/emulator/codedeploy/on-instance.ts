// One instance's part of a deployment: its target's events run by its agent (the emulated one,
// or the real agent for `agent: real` groups), CodeDeploy's hour for an agent that does not
// answer, and the traffic events CodeDeploy runs itself.
import { setTimeout as sleep } from 'node:timers/promises'
import { IN_PLACE_EVENTS, type AgentSpec } from '../hosts/agents/agent.ts'
import { Agent } from '../hosts/agents/emulated.ts'
import { RealAgent } from '../hosts/agents/real.ts'
import { accessDenied, type BundleStore } from '../hosts/bundles.ts'
import type { Registry } from '../registry.ts'
import type { Deployment, Group, Instance } from './model.ts'
import { skipRest } from './targets.ts'
import { allowTraffic, blockTraffic, POLL_MS } from './traffic.ts'

// CodeDeploy's wait for an agent to pick up a lifecycle event's host command ("CodeDeploy has a
// one-hour timeout for the CodeDeploy agent to respond to pending deployments"), times the
// application's timing.timeScale; then the event fails with these words (aws-codedeploy-agent
// issue #307; AWS does not document the errorCode paired with them).
const AGENT_TIMEOUT_MS = 3600_000
const AGENT_TIMEOUT_MESSAGE =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'

export type InstanceOutcome = 'Succeeded' | 'Failed' | 'Stopped'

export interface OnInstanceDeps {
  registry: Registry
  bundles: BundleStore
}

// `final`: these are the instance's last events (else a success leaves the target Ready).
export async function runOnInstance(
  deps: OnInstanceDeps,
  d: Deployment,
  group: Group,
  instance: Instance,
  events: string[] = IN_PLACE_EVENTS,
  final = true
): Promise<InstanceOutcome> {
  const t = d.targets.get(instance.id)!
  if (d.stopRequested) {
    t.status = 'Skipped'
    skipRest(t)
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
    hang: d.hang,
    ...(d.bundleAccessDenied
      ? {
          bundleDenied: accessDenied(
            d.revision.s3Location,
            instance.id,
            d.bundleAccessDenied.crossAccount
          )
        }
      : {})
  }
  const runner = group.config.agentRunner
  const agent = runner
    ? new RealAgent(instance.host, deps.bundles, spec, runner)
    : new Agent(instance.host, deps.bundles, spec)
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
          await sleep(Math.min(POLL_MS, left))
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
          ? blockTraffic(deps.registry, d, instance)
          : allowTraffic(deps.registry, d, group, instance)
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
  skipRest(t)
  t.status = status === 'Stopped' ? 'Skipped' : status
  return status
}
