// The fleet: applications, deployment groups, instances and deployment configs, read from the
// YAML file named by TESTBED_CONFIG (or the built-in default), checked with clear messages.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { parseFaults, type FaultSettings } from './faults.ts'
import { parseNetwork, type NetworkSettings } from './fleet-network.ts'
import {
  fail,
  str,
  parseAgent,
  parseInstances,
  names,
  parseTargetGroup,
  parseAutoScalingGroup,
  parseStyle,
  parseLoadBalancerInfo,
  parseBlueGreen,
  parseRollback,
  parseAlarmConfiguration
} from './fleet-sections.ts'

export type Isolation = 'namespace' | 'shared'
// Whether an instance's CodeDeploy agent is polling for commands (see README "A silent agent").
export type AgentState = 'running' | 'stopped'
export type RollbackEvent =
  'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST'

export interface AutoRollbackConfiguration {
  enabled: boolean
  events: RollbackEvent[]
}

export interface GroupConfig {
  name: string
  instances: number
  deploymentConfig: string
  isolation: Isolation
  autoRollback?: AutoRollbackConfiguration
  // CloudWatch alarms that stop the group's deployments while one is in ALARM (fault activeAlarms).
  alarmConfiguration?: AlarmConfiguration
  // Set when the group's instances run the real CodeDeploy agent (`agent: real`, or `auto` with
  // a runner at hand): the path of its local-mode runner, codedeploy-local. Unset: emulated.
  agentRunner?: string
  // Each instance's agent state at start, one per instance (`agent: stopped` on the group, or an
  // instance's own `{agent: stopped}` in an `instances` list).
  agentStates: AgentState[]
  // The Auto Scaling groups whose instances the group deploys to (besides `instances`).
  autoScalingGroups: string[]
  deploymentStyle: DeploymentStyle
  // The target groups CodeDeploy blocks and allows traffic on (loadBalancerInfo.targetGroupInfoList).
  targetGroups: string[]
  blueGreen?: BlueGreenConfig
}

// The deployment group's alarms, as CodeDeploy's API spells them.
export interface AlarmConfiguration {
  enabled: boolean
  ignorePollAlarmFailure: boolean
  alarms: { name: string }[]
}

export type DeploymentType = 'IN_PLACE' | 'BLUE_GREEN'
export type DeploymentOption = 'WITH_TRAFFIC_CONTROL' | 'WITHOUT_TRAFFIC_CONTROL'

// The deployment group's settings as CodeDeploy's API spells them (GetDeploymentGroup returns
// them as they are; GetDeployment copies them).
export interface DeploymentStyle {
  deploymentType: DeploymentType
  deploymentOption: DeploymentOption
}

export interface BlueGreenConfig {
  deploymentReadyOption: {
    actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'
    waitTimeInMinutes: number
  }
  greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' | 'DISCOVER_EXISTING' }
  terminateBlueInstancesOnDeploymentSuccess: {
    action: 'TERMINATE' | 'KEEP_ALIVE'
    terminationWaitTimeInMinutes: number
  }
}

export interface HealthCheckConfig {
  path: string
  intervalSeconds: number
  timeoutSeconds: number
  healthyThreshold: number
  unhealthyThreshold: number
  // The HTTP codes that pass ("200", "200-299", "200,302"), as ELBv2's Matcher.HttpCode.
  matcher: string
}

// An ELBv2 target group with its own HTTP listener on 127.0.0.1 (elbv2/target-group.ts).
export interface TargetGroupConfig {
  name: string
  port: number
  healthCheck: HealthCheckConfig
  deregistrationDelaySeconds: number
}

// An Auto Scaling group of namespace instances; they register with its target groups at launch.
export interface AutoScalingGroupConfig {
  name: string
  desired: number
  min: number
  max: number
  targetGroups: string[]
}

export interface ApplicationConfig {
  name: string
  groups: GroupConfig[]
  // The timing.timeScale of the document that declared the application (the start file, or a
  // PUT /fleet body): suites sharing a bed each scale their own applications' waits.
  timeScale: number
}

// MOST_CONCURRENCY is CodeDeployDefault.OneAtATime's own (GetDeploymentConfig answers it; no
// configuration can be created with it): one instance at a time, all but one kept healthy.
export interface MinimumHealthyHosts {
  type: 'HOST_COUNT' | 'FLEET_PERCENT' | 'MOST_CONCURRENCY'
  value: number
}

export interface DeploymentConfigSpec {
  name: string
  minimumHealthyHosts: MinimumHealthyHosts
}

export interface Timing {
  // How long a new deployment stays Created (ListDeploymentTargets says not started meanwhile).
  createdMs: number
  // Concurrent instance runs at most (a 1,000-instance AllAtOnce runs in waves of this size).
  maxParallelInstances: number
  // Multiplies the service's own durations (for now the agent's one-hour timeout), so a test can
  // see in seconds what takes an hour on AWS. Never changes what the API returns.
  timeScale: number
}

export interface FleetConfig {
  applications: ApplicationConfig[]
  targetGroups: TargetGroupConfig[]
  autoScalingGroups: AutoScalingGroupConfig[]
  deploymentConfigs: DeploymentConfigSpec[]
  timing: Timing
  faults: FaultSettings
  // The bed's proxy and TLS front ends (fleet-network.ts): started by testbed/lib/network.sh from
  // the TESTBED_CONFIG file; a PUT /fleet body's are checked and ignored.
  network: NetworkSettings
}

export const BUILTIN_DEPLOYMENT_CONFIGS: DeploymentConfigSpec[] = [
  { name: 'CodeDeployDefault.AllAtOnce', minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 } },
  {
    name: 'CodeDeployDefault.HalfAtATime',
    minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 }
  },
  {
    name: 'CodeDeployDefault.OneAtATime',
    minimumHealthyHosts: { type: 'MOST_CONCURRENCY', value: 1 }
  }
]

export const DEFAULT_FLEET_YAML = `
applications:
  - name: sample-app
    groups:
      - name: staging
        instances: 2
        deploymentConfig: CodeDeployDefault.OneAtATime
      - name: production
        instances: 2
        deploymentConfig: CodeDeployDefault.HalfAtATime
`

// `agentRunner`: the real agent's runner the bed resolved at start (TESTBED_AGENT_RUNNER), if any.
export function parseFleet(
  text: string,
  defaultIsolation: Isolation,
  agentRunner?: string
): FleetConfig {
  const raw = (parse(text) ?? {}) as Record<string, unknown>
  const network = parseNetwork(raw)
  const configs = [...BUILTIN_DEPLOYMENT_CONFIGS]
  for (const [i, c] of ((raw.deploymentConfigs ?? []) as Record<string, unknown>[]).entries()) {
    const where = `deploymentConfigs[${i}]`
    const m = (c.minimumHealthyHosts ?? {}) as Record<string, unknown>
    if (m.type !== 'HOST_COUNT' && m.type !== 'FLEET_PERCENT') {
      fail(where, 'minimumHealthyHosts.type must be HOST_COUNT or FLEET_PERCENT')
    }
    if (typeof m.value !== 'number' || m.value < 0)
      fail(where, 'minimumHealthyHosts.value must be a number >= 0')
    configs.push({
      name: str(c.name, `${where}.name`),
      minimumHealthyHosts: { type: m.type, value: m.value }
    })
  }
  const t = (raw.timing ?? {}) as Record<string, unknown>
  const timeScale = t.timeScale ?? 1
  if (typeof timeScale !== 'number' || !Number.isFinite(timeScale) || timeScale <= 0)
    fail('timing.timeScale', 'must be a number > 0 (1 = real durations)')
  const timing: Timing = {
    createdMs: typeof t.createdMs === 'number' ? t.createdMs : 1000,
    maxParallelInstances: typeof t.maxParallelInstances === 'number' ? t.maxParallelInstances : 200,
    timeScale
  }
  const list = (v: unknown, where: string): unknown[] => {
    if (v === undefined) return []
    if (!Array.isArray(v)) fail(where, 'must be a list')
    return v
  }
  const targetGroups = list(raw.targetGroups, 'targetGroups').map((t, i) =>
    parseTargetGroup(t, `targetGroups[${i}]`)
  )
  const autoScalingGroups = list(raw.autoScalingGroups, 'autoScalingGroups').map((a, i) =>
    parseAutoScalingGroup(a, `autoScalingGroups[${i}]`)
  )
  const apps =
    raw.applications ?? (targetGroups.length + autoScalingGroups.length > 0 ? [] : undefined)
  if (
    !Array.isArray(apps) ||
    (apps.length === 0 && targetGroups.length + autoScalingGroups.length === 0)
  )
    fail('applications', 'must list at least one application')
  const applications = apps.map((a: Record<string, unknown>, i): ApplicationConfig => {
    const where = `applications[${i}]`
    const groups = a.groups
    if (!Array.isArray(groups) || groups.length === 0)
      fail(`${where}.groups`, 'must list at least one group')
    return {
      name: str(a.name, `${where}.name`),
      timeScale,
      groups: groups.map((g: Record<string, unknown>, j): GroupConfig => {
        const gw = `${where}.groups[${j}]`
        const agentStates = parseInstances(
          g.instances === undefined && g.autoScalingGroups !== undefined ? 0 : g.instances,
          g.agent === 'stopped' ? 'stopped' : 'running',
          `${gw}.instances`
        )
        const deploymentConfig =
          g.deploymentConfig === undefined
            ? 'CodeDeployDefault.OneAtATime'
            : str(g.deploymentConfig, `${gw}.deploymentConfig`)
        if (!configs.some((c) => c.name === deploymentConfig))
          fail(`${gw}.deploymentConfig`, `unknown deployment config ${deploymentConfig}`)
        const isolation = g.isolation ?? defaultIsolation
        if (isolation !== 'namespace' && isolation !== 'shared')
          fail(`${gw}.isolation`, 'must be namespace or shared')
        const autoScalingGroups = names(g.autoScalingGroups, `${gw}.autoScalingGroups`)
        const deploymentStyle = parseStyle(g.deploymentStyle, `${gw}.deploymentStyle`)
        const targetGroups = parseLoadBalancerInfo(g.loadBalancerInfo, `${gw}.loadBalancerInfo`)
        const blueGreen =
          deploymentStyle.deploymentType === 'BLUE_GREEN'
            ? parseBlueGreen(
                g.blueGreenDeploymentConfiguration,
                `${gw}.blueGreenDeploymentConfiguration`
              )
            : undefined
        if (
          deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL' &&
          targetGroups.length === 0
        )
          fail(
            `${gw}.loadBalancerInfo`,
            'WITH_TRAFFIC_CONTROL needs targetGroupInfoList: [{name: ...}]'
          )
        if (blueGreen && deploymentStyle.deploymentOption !== 'WITH_TRAFFIC_CONTROL')
          fail(
            `${gw}.deploymentStyle`,
            'BLUE_GREEN on EC2 needs WITH_TRAFFIC_CONTROL (a load balancer)'
          )
        if (
          blueGreen?.greenFleetProvisioningOption.action === 'COPY_AUTO_SCALING_GROUP' &&
          autoScalingGroups.length !== 1
        )
          fail(
            `${gw}.autoScalingGroups`,
            'COPY_AUTO_SCALING_GROUP copies exactly one Auto Scaling group: name it'
          )
        const traffic = autoScalingGroups.length > 0 || targetGroups.length > 0
        if (traffic && g.agent !== undefined && g.agent !== 'emulated')
          fail(
            `${gw}.agent`,
            'Auto Scaling groups and load balancers run the emulated agent (the real one in local mode has no traffic events)'
          )
        if (traffic && isolation !== 'namespace')
          fail(
            `${gw}.isolation`,
            'Auto Scaling groups and load balancers need isolation: namespace (each instance its own address)'
          )
        return {
          name: str(g.name, `${gw}.name`),
          autoScalingGroups,
          deploymentStyle,
          targetGroups,
          ...(blueGreen ? { blueGreen } : {}),
          instances: agentStates.length,
          deploymentConfig,
          isolation,
          autoRollback: parseRollback(g.autoRollback, `${gw}.autoRollback`),
          alarmConfiguration: parseAlarmConfiguration(
            g.alarmConfiguration,
            `${gw}.alarmConfiguration`
          ),
          agentRunner: parseAgent(g.agent, isolation, agentRunner, `${gw}.agent`),
          agentStates
        }
      })
    }
  })
  let faults: FaultSettings
  try {
    faults = parseFaults(raw.faults)
  } catch (e) {
    fail('faults', (e as Error).message)
  }
  return {
    applications,
    targetGroups,
    autoScalingGroups,
    deploymentConfigs: configs,
    timing,
    faults,
    network
  }
}

export function loadFleet(
  file: string | undefined,
  defaultIsolation: Isolation,
  agentRunner?: string
): FleetConfig {
  return parseFleet(
    file ? readFileSync(file, 'utf8') : DEFAULT_FLEET_YAML,
    defaultIsolation,
    agentRunner
  )
}
