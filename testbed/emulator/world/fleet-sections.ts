// The fleet document's sections as the bed reads them: target groups, Auto Scaling groups,
// deployment styles, blue/green settings, rollback, instances and agents, each checked with a
// message that names its place.
import type {
  Isolation,
  AgentState,
  RollbackEvent,
  AutoRollbackConfiguration,
  AlarmConfiguration,
  DeploymentStyle,
  BlueGreenConfig,
  HealthCheckConfig,
  TargetGroupConfig,
  AutoScalingGroupConfig
} from './fleet-config.ts'

const ROLLBACK_EVENTS: RollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST'
]

export function fail(where: string, message: string): never {
  throw new Error(`fleet config: ${where}: ${message}`)
}

export function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') fail(where, 'must be a non-empty string')
  return v
}

export const NO_AGENT_RUNNER =
  'agent: real needs the real CodeDeploy agent: set CODEDEPLOY_LOCAL_RUNNER (or TESTBED_AGENT_RUNNER) to its codedeploy-local, or provide ../shared/tools/codedeploy-agent beside the repository (see testbed/README.md, "The real agent"); agent: auto falls back to the emulated agent'

// `agent: emulated` (default), `real` (the runner is required), `auto` (real when the runner is
// at hand, else emulated) or `stopped` (emulated, every instance's agent stopped at start): the
// runner's path for real instances, undefined for emulated ones.
export function parseAgent(
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
export function parseInstances(v: unknown, groupState: AgentState, where: string): AgentState[] {
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
// The bed's defaults are small so that a test sees a switch in seconds; the answer's timeout stays
// ALB's 5 s, so a loaded machine does not turn a slow healthy answer into an unhealthy target (a
// failing check answers at once, and a check starts when the last ended).
export const TARGET_GROUP_DEFAULTS = {
  healthCheck: {
    path: '/',
    intervalSeconds: 1,
    timeoutSeconds: 5,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    matcher: '200'
  },
  deregistrationDelaySeconds: 1
}

export function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(where, 'must be a mapping')
  return v as Record<string, unknown>
}

export function int(v: unknown, where: string, min: number, max: number, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(where, `must be a whole number from ${min} to ${max}`)
  return v
}

export function oneOf<T extends string>(v: unknown, where: string, values: T[], dflt: T): T {
  if (v === undefined) return dflt
  if (!values.includes(v as T)) fail(where, `must be ${values.join(' or ')}`)
  return v as T
}

export function names(v: unknown, where: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === ''))
    fail(where, 'must be a list of names')
  return v as string[]
}

export function parseTargetGroup(v: unknown, where: string): TargetGroupConfig {
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

export function parseAutoScalingGroup(v: unknown, where: string): AutoScalingGroupConfig {
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

export function parseStyle(v: unknown, where: string): DeploymentStyle {
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

export function parseLoadBalancerInfo(v: unknown, where: string): string[] {
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

export function parseBlueGreen(v: unknown, where: string): BlueGreenConfig {
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

export function parseRollback(v: unknown, where: string): AutoRollbackConfiguration | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'object' || v === null) fail(where, 'must be {enabled, events}')
  const r = v as Record<string, unknown>
  const events = (r.events ?? ['DEPLOYMENT_FAILURE']) as unknown
  if (!Array.isArray(events) || events.some((e) => !ROLLBACK_EVENTS.includes(e as RollbackEvent))) {
    fail(where, `events must be a list of ${ROLLBACK_EVENTS.join(', ')}`)
  }
  return { enabled: r.enabled !== false, events: events as RollbackEvent[] }
}

// CodeDeploy takes at most ten alarms per deployment group.
const MAX_ALARMS = 10

// `alarmConfiguration: {enabled, alarms: [{name}], ignorePollAlarmFailure}` as the API spells it;
// `enabled` defaults to true when the section is given.
export function parseAlarmConfiguration(v: unknown, where: string): AlarmConfiguration | undefined {
  if (v === undefined) return undefined
  const a = obj(v, where)
  const other = Object.keys(a).find(
    (k) => !['enabled', 'alarms', 'ignorePollAlarmFailure'].includes(k)
  )
  if (other !== undefined)
    fail(where, `unknown setting ${other} (enabled, alarms, ignorePollAlarmFailure)`)
  const flag = (x: unknown, name: string, dflt: boolean): boolean => {
    if (x === undefined) return dflt
    if (typeof x !== 'boolean') fail(`${where}.${name}`, 'must be true or false')
    return x
  }
  const list = a.alarms ?? []
  if (!Array.isArray(list) || list.length > MAX_ALARMS)
    fail(`${where}.alarms`, `must be a list of at most ${MAX_ALARMS} {name: ...}`)
  return {
    enabled: flag(a.enabled, 'enabled', true),
    ignorePollAlarmFailure: flag(a.ignorePollAlarmFailure, 'ignorePollAlarmFailure', false),
    alarms: list.map((x, k) => ({
      name: str(obj(x, `${where}.alarms[${k}]`).name, `${where}.alarms[${k}].name`)
    }))
  }
}
