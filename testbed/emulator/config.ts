// The fleet: applications, deployment groups, instances and deployment configs, read from the
// YAML file named by TESTBED_CONFIG (or the built-in default), checked with clear messages.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { parseFaults, type FaultSettings } from './faults.ts'

export type Isolation = 'namespace' | 'shared'
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
}

export interface ApplicationConfig {
  name: string
  groups: GroupConfig[]
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
}

export interface FleetConfig {
  applications: ApplicationConfig[]
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

// `agent: emulated` (default), `real` (the runner is required) or `auto` (real when the runner is
// at hand, else emulated): the runner's path for real instances, undefined for emulated ones.
function parseAgent(
  v: unknown,
  isolation: Isolation,
  runner: string | undefined,
  where: string
): string | undefined {
  if (v === undefined || v === 'emulated') return undefined
  if (v !== 'real' && v !== 'auto') fail(where, 'must be emulated, real or auto')
  if (isolation !== 'namespace')
    fail(where, `agent: ${v} needs isolation: namespace (the agent keeps its state in /opt)`)
  if (!runner && v === 'real') fail(where, NO_AGENT_RUNNER)
  return runner
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
  const apps = raw.applications
  if (!Array.isArray(apps) || apps.length === 0)
    fail('applications', 'must list at least one application')
  const applications = apps.map((a: Record<string, unknown>, i): ApplicationConfig => {
    const where = `applications[${i}]`
    const groups = a.groups
    if (!Array.isArray(groups) || groups.length === 0)
      fail(`${where}.groups`, 'must list at least one group')
    return {
      name: str(a.name, `${where}.name`),
      groups: groups.map((g: Record<string, unknown>, j): GroupConfig => {
        const gw = `${where}.groups[${j}]`
        const instances = g.instances ?? 1
        if (
          typeof instances !== 'number' ||
          !Number.isInteger(instances) ||
          instances < 0 ||
          instances > 1000
        ) {
          fail(`${gw}.instances`, 'must be a whole number from 0 to 1000')
        }
        const deploymentConfig =
          g.deploymentConfig === undefined
            ? 'CodeDeployDefault.OneAtATime'
            : str(g.deploymentConfig, `${gw}.deploymentConfig`)
        if (!configs.some((c) => c.name === deploymentConfig))
          fail(`${gw}.deploymentConfig`, `unknown deployment config ${deploymentConfig}`)
        const isolation = g.isolation ?? defaultIsolation
        if (isolation !== 'namespace' && isolation !== 'shared')
          fail(`${gw}.isolation`, 'must be namespace or shared')
        return {
          name: str(g.name, `${gw}.name`),
          instances,
          deploymentConfig,
          isolation,
          autoRollback: parseRollback(g.autoRollback, `${gw}.autoRollback`),
          agentRunner: parseAgent(g.agent, isolation, agentRunner, `${gw}.agent`)
        }
      })
    }
  })
  const t = (raw.timing ?? {}) as Record<string, unknown>
  const timing: Timing = {
    createdMs: typeof t.createdMs === 'number' ? t.createdMs : 1000,
    maxParallelInstances: typeof t.maxParallelInstances === 'number' ? t.maxParallelInstances : 200
  }
  let faults: FaultSettings
  try {
    faults = parseFaults(raw.faults)
  } catch (e) {
    fail('faults', (e as Error).message)
  }
  return { applications, deploymentConfigs: configs, timing, faults }
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
