// The fleet: applications, deployment groups, instances and deployment configs, read from the
// YAML file named by TESTBED_CONFIG (or the built-in default), checked with clear messages.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { parseFaults, type FaultSettings } from './faults.ts'

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

// An ELBv2 target group with its own HTTP listener on 127.0.0.1 (loadbalancer.ts).
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

export interface MinimumHealthyHosts {
  type: 'HOST_COUNT' | 'FLEET_PERCENT'
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
}

export const BUILTIN_DEPLOYMENT_CONFIGS: DeploymentConfigSpec[] = [
  { name: 'CodeDeployDefault.AllAtOnce', minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 } },
  {
    name: 'CodeDeployDefault.HalfAtATime',
    minimumHealthyHosts: { type: 'FLEET_PERCENT', value: 50 }
  },
  { name: 'CodeDeployDefault.OneAtATime', minimumHealthyHosts: { type: 'HOST_COUNT', value: 1 } }
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

const ROLLBACK_EVENTS: RollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST'
]

function fail(where: string, message: string): never {
  throw new Error(`fleet config: ${where}: ${message}`)
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') fail(where, 'must be a non-empty string')
  return v
}

export const NO_AGENT_RUNNER =
  'agent: real needs the real CodeDeploy agent: set CODEDEPLOY_LOCAL_RUNNER (or TESTBED_AGENT_RUNNER) to its codedeploy-local, or provide ../shared/tools/codedeploy-agent beside the repository (see testbed/README.md, "The real agent"); agent: auto falls back to the emulated agent'

// `agent: emulated` (default), `real` (the runner is required), `auto` (real when the runner is
// at hand, else emulated) or `stopped` (emulated, every instance's agent stopped at start): the
// runner's path for real instances, undefined for emulated ones.
function parseAgent(
  v: unknown,
  isolation: Isolation,
  runner: string | undefined,
  where: string
): string | undefined {
  if (v === undefined || v === 'emulated' || v === 'stopped') return undefined
  if (v !== 'real' && v !== 'auto') fail(where, 'must be emulated, real, auto or stopped')
  if (isolation !== 'namespace')
    fail(where, `agent: ${v} needs isolation: namespace (the agent keeps its state in /opt)`)
  if (!runner && v === 'real') fail(where, NO_AGENT_RUNNER)
  return runner
}

const INSTANCES_FORM =
  'must be a whole number from 0 to 1000, or a list of at most 1000 instances ({} or {agent: stopped})'

// `instances`: a count, or a list whose entries are `{}` (the group's agent state) or
// `{agent: stopped|running}` (that instance's own). Returns each instance's agent state.
function parseInstances(v: unknown, groupState: AgentState, where: string): AgentState[] {
  if (v === undefined) return [groupState]
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 1000) fail(where, INSTANCES_FORM)
    return new Array<AgentState>(v).fill(groupState)
  }
  if (!Array.isArray(v) || v.length > 1000) fail(where, INSTANCES_FORM)
  return v.map((entry: unknown, k): AgentState => {
    const ew = `${where}[${k}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(ew, 'must be {} or {agent: stopped} (or {agent: running})')
    const e = entry as Record<string, unknown>
    const other = Object.keys(e).find((key) => key !== 'agent')
    if (other !== undefined) fail(ew, `unknown setting ${other} (an instance takes only agent)`)
    if (e.agent === undefined) return groupState
    if (e.agent !== 'stopped' && e.agent !== 'running')
      fail(`${ew}.agent`, 'must be stopped or running')
    return e.agent
  })
}

// AWS's own defaults, for the record (and for a fleet that asks for them):
// interval 30 s, timeout 5 s, healthy after 5, unhealthy after 2, deregistration delay 300 s.
// The bed's defaults are small so that a test sees a switch in seconds.
export const TARGET_GROUP_DEFAULTS = {
  healthCheck: {
    path: '/',
    intervalSeconds: 1,
    timeoutSeconds: 1,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    matcher: '200'
  },
  deregistrationDelaySeconds: 1
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be a mapping')
  return v as Record<string, unknown>
}

function int(v: unknown, where: string, min: number, max: number, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(where, `must be a whole number from ${min} to ${max}`)
  return v
}

function oneOf<T extends string>(v: unknown, where: string, values: T[], dflt: T): T {
  if (v === undefined) return dflt
  if (!values.includes(v as T)) fail(where, `must be ${values.join(' or ')}`)
  return v as T
}

function names(v: unknown, where: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))
    fail(where, 'must be a list of names')
  return v as string[]
}

function parseTargetGroup(v: unknown, where: string): TargetGroupConfig {
  const t = obj(v, where)
  const h = t.healthCheck === undefined ? {} : obj(t.healthCheck, `${where}.healthCheck`)
  const d = TARGET_GROUP_DEFAULTS
  const path = h.path ?? d.healthCheck.path
  if (typeof path !== 'string' || !path.startsWith('/'))
    fail(`${where}.healthCheck.path`, 'must be a path starting with /')
  const matcher = String(h.matcher ?? d.healthCheck.matcher)
  if (!/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(matcher))
    fail(`${where}.healthCheck.matcher`, 'must be HTTP codes such as 200, 200-299 or 200,302')
  const healthCheck: HealthCheckConfig = {
    path,
    intervalSeconds: int(
      h.intervalSeconds,
      `${where}.healthCheck.intervalSeconds`,
      1,
      300,
      d.healthCheck.intervalSeconds
    ),
    timeoutSeconds: int(
      h.timeoutSeconds,
      `${where}.healthCheck.timeoutSeconds`,
      1,
      120,
      d.healthCheck.timeoutSeconds
    ),
    healthyThreshold: int(
      h.healthyThreshold,
      `${where}.healthCheck.healthyThreshold`,
      2,
      10,
      d.healthCheck.healthyThreshold
    ),
    unhealthyThreshold: int(
      h.unhealthyThreshold,
      `${where}.healthCheck.unhealthyThreshold`,
      2,
      10,
      d.healthCheck.unhealthyThreshold
    ),
    matcher
  }
  return {
    name: str(t.name, `${where}.name`),
    port: int(t.port, `${where}.port`, 1, 65535, 8080),
    healthCheck,
    deregistrationDelaySeconds: int(
      t.deregistrationDelaySeconds,
      `${where}.deregistrationDelaySeconds`,
      0,
      3600,
      d.deregistrationDelaySeconds
    )
  }
}

function parseAutoScalingGroup(v: unknown, where: string): AutoScalingGroupConfig {
  const a = obj(v, where)
  const desired = int(a.instances, `${where}.instances`, 0, 1000, 1)
  const min = int(a.minSize, `${where}.minSize`, 0, 1000, desired)
  const max = int(a.maxSize, `${where}.maxSize`, 0, 1000, Math.max(desired, min))
  if (min > desired || desired > max)
    fail(where, `minSize (${min}) <= instances (${desired}) <= maxSize (${max}) must hold`)
  return {
    name: str(a.name, `${where}.name`),
    desired,
    min,
    max,
    targetGroups: names(a.targetGroups, `${where}.targetGroups`)
  }
}

function parseStyle(v: unknown, where: string): DeploymentStyle {
  const s = v === undefined ? {} : obj(v, where)
  return {
    deploymentType: oneOf(
      s.deploymentType,
      `${where}.deploymentType`,
      ['IN_PLACE', 'BLUE_GREEN'],
      'IN_PLACE'
    ),
    deploymentOption: oneOf(
      s.deploymentOption,
      `${where}.deploymentOption`,
      ['WITH_TRAFFIC_CONTROL', 'WITHOUT_TRAFFIC_CONTROL'],
      'WITHOUT_TRAFFIC_CONTROL'
    )
  }
}

function parseLoadBalancerInfo(v: unknown, where: string): string[] {
  if (v === undefined) return []
  const l = obj(v, where)
  const list = l.targetGroupInfoList ?? []
  if (!Array.isArray(list)) fail(`${where}.targetGroupInfoList`, 'must be a list of {name}')
  return list.map((t, k) =>
    str(
      obj(t, `${where}.targetGroupInfoList[${k}]`).name,
      `${where}.targetGroupInfoList[${k}].name`
    )
  )
}

function parseBlueGreen(v: unknown, where: string): BlueGreenConfig {
  const b = v === undefined ? {} : obj(v, where)
  const ready =
    b.deploymentReadyOption === undefined
      ? {}
      : obj(b.deploymentReadyOption, `${where}.deploymentReadyOption`)
  const green =
    b.greenFleetProvisioningOption === undefined
      ? {}
      : obj(b.greenFleetProvisioningOption, `${where}.greenFleetProvisioningOption`)
  const term =
    b.terminateBlueInstancesOnDeploymentSuccess === undefined
      ? {}
      : obj(
          b.terminateBlueInstancesOnDeploymentSuccess,
          `${where}.terminateBlueInstancesOnDeploymentSuccess`
        )
  const actionOnTimeout = oneOf(
    ready.actionOnTimeout,
    `${where}.deploymentReadyOption.actionOnTimeout`,
    ['CONTINUE_DEPLOYMENT', 'STOP_DEPLOYMENT'],
    'CONTINUE_DEPLOYMENT'
  )
  return {
    deploymentReadyOption: {
      actionOnTimeout,
      waitTimeInMinutes: int(
        ready.waitTimeInMinutes,
        `${where}.deploymentReadyOption.waitTimeInMinutes`,
        0,
        2880,
        0
      )
    },
    greenFleetProvisioningOption: {
      action: oneOf(
        green.action,
        `${where}.greenFleetProvisioningOption.action`,
        ['COPY_AUTO_SCALING_GROUP', 'DISCOVER_EXISTING'],
        'COPY_AUTO_SCALING_GROUP'
      )
    },
    terminateBlueInstancesOnDeploymentSuccess: {
      action: oneOf(
        term.action,
        `${where}.terminateBlueInstancesOnDeploymentSuccess.action`,
        ['TERMINATE', 'KEEP_ALIVE'],
        'TERMINATE'
      ),
      terminationWaitTimeInMinutes: int(
        term.terminationWaitTimeInMinutes,
        `${where}.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes`,
        0,
        2880,
        60
      )
    }
  }
}

function parseRollback(v: unknown, where: string): AutoRollbackConfiguration | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'object' || v === null) fail(where, 'must be {enabled, events}')
  const r = v as Record<string, unknown>
  const events = (r.events ?? ['DEPLOYMENT_FAILURE']) as unknown
  if (!Array.isArray(events) || events.some((e) => !ROLLBACK_EVENTS.includes(e as RollbackEvent))) {
    fail(where, `events must be a list of ${ROLLBACK_EVENTS.join(', ')}`)
  }
  return { enabled: r.enabled !== false, events: events as RollbackEvent[] }
}

// `agentRunner`: the real agent's runner the bed resolved at start (TESTBED_AGENT_RUNNER), if any.
export function parseFleet(
  text: string,
  defaultIsolation: Isolation,
  agentRunner?: string
): FleetConfig {
  const raw = (parse(text) ?? {}) as Record<string, unknown>
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
    faults
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
