// Fault injection: throttling, server errors and slow answers on chosen operations, deployments
// that never finish, and what makes AWS fail a deployment outside the instances' scripts (alarms
// in ALARM, an instance profile S3 refuses, a missing or powerless service role). Switched by the
// fleet config or the admin endpoint.
import { AwsError } from '../core/aws-error.ts'
import type { TargetGroupFaults } from '../elbv2/target-group.ts'

// A rule applies to the named operations (all when absent) on the named applications (all when
// absent; a call is on an application through its applicationName or its deployment's), so a
// test can break its own application without disturbing others sharing the bed.
export interface Scope {
  operations?: string[]
  applications?: string[]
}

export interface EveryNth extends Scope {
  every: number
}

export interface FaultSettings {
  throttle?: EveryNth
  serverError?: EveryNth & { status?: number }
  delay?: Scope & { ms: number }
  hangDeployments?: boolean | { applications?: string[] }
  // A blue/green copy of an Auto Scaling group launches no instance (EC2 has no capacity).
  capacity?: boolean | { applications?: string[] }
  // Target groups' health checks fail `period` times in a row, then pass `period` times.
  flapHealthChecks?: { targetGroups?: string[]; period: number }
  // Deregistration lasts `ms` (default the target group's delay) even with nothing in flight.
  slowDeregistration?: { targetGroups?: string[]; ms?: number }
  // CloudWatch alarms in ALARM: the named ones (every alarm without a list). A deployment group
  // whose alarmConfiguration names one stops its deployments (ALARM_ACTIVE).
  activeAlarms?: { alarms?: string[]; applications?: string[] }
  // The instances' profile may not read the revision: DownloadBundle's GetObject is denied.
  // crossAccount: the bucket is another account's, so S3 says only "Access Denied".
  bundleAccessDenied?: boolean | { applications?: string[]; crossAccount?: boolean }
  // The deployment group's service role is gone, or lacks CodeDeploy's permissions.
  serviceRole?: { problem: ServiceRoleProblem; applications?: string[] }
}

export type ServiceRoleProblem = 'missing' | 'permissions'
const SERVICE_ROLE_PROBLEMS: ServiceRoleProblem[] = ['missing', 'permissions']

export interface FaultDecision {
  delayMs: number
  error?: AwsError
}

function applies(
  rule: Scope | undefined,
  operation: string,
  application: string | undefined
): boolean {
  return (
    !!rule &&
    (!rule.operations?.length || rule.operations.includes(operation)) &&
    (!rule.applications?.length ||
      (application !== undefined && rule.applications.includes(application)))
  )
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a whole number of at least 1`)
  }
  return value
}

// Checks an untrusted settings object (from YAML or the admin endpoint) field by field.
export function parseFaults(raw: unknown): FaultSettings {
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object') throw new Error('faults must be an object')
  const r = raw as Record<string, unknown>
  const known = [
    'throttle',
    'serverError',
    'delay',
    'hangDeployments',
    'capacity',
    'flapHealthChecks',
    'slowDeregistration',
    'activeAlarms',
    'bundleAccessDenied',
    'serviceRole'
  ]
  for (const k of Object.keys(r)) {
    if (!known.includes(k)) throw new Error(`unknown fault '${k}' (known: ${known.join(', ')})`)
  }
  const list = (v: unknown, what: string): string[] | undefined => {
    if (v === undefined) return undefined
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new Error(`${what} must be a list of names`)
    }
    return v as string[]
  }
  const scope = (v: Record<string, unknown>, what: string): Scope => ({
    operations: list(v.operations, `${what}.operations`),
    applications: list(v.applications, `${what}.applications`)
  })
  const out: FaultSettings = {}
  if (r.throttle) {
    const t = r.throttle as Record<string, unknown>
    out.throttle = {
      every: positiveInteger(t.every, 'throttle.every'),
      ...scope(t, 'throttle')
    }
  }
  if (r.serverError) {
    const s = r.serverError as Record<string, unknown>
    const status = s.status === undefined ? 500 : s.status
    if (typeof status !== 'number' || status < 500 || status > 599) {
      throw new Error('serverError.status must be a 5xx status')
    }
    out.serverError = {
      every: positiveInteger(s.every, 'serverError.every'),
      status,
      ...scope(s, 'serverError')
    }
  }
  if (r.delay) {
    const d = r.delay as Record<string, unknown>
    out.delay = { ms: positiveInteger(d.ms, 'delay.ms'), ...scope(d, 'delay') }
  }
  // `true`, `false` or `{applications: [...]}`.
  const byApplication = (
    name: 'hangDeployments' | 'capacity'
  ): boolean | { applications?: string[] } | undefined => {
    const v = r[name]
    if (v === undefined || typeof v === 'boolean') return v
    if (typeof v === 'object' && v !== null)
      return {
        applications: list((v as Record<string, unknown>).applications, `${name}.applications`)
      }
    throw new Error(`${name} must be true, false or {applications: [...]}`)
  }
  const capacity = byApplication('capacity')
  if (capacity !== undefined) out.capacity = capacity
  if (r.flapHealthChecks) {
    const f = r.flapHealthChecks as Record<string, unknown>
    out.flapHealthChecks = {
      targetGroups: list(f.targetGroups, 'flapHealthChecks.targetGroups'),
      period: f.period === undefined ? 2 : positiveInteger(f.period, 'flapHealthChecks.period')
    }
  }
  if (r.slowDeregistration) {
    const f = r.slowDeregistration as Record<string, unknown>
    out.slowDeregistration = {
      targetGroups: list(f.targetGroups, 'slowDeregistration.targetGroups'),
      ...(f.ms === undefined ? {} : { ms: positiveInteger(f.ms, 'slowDeregistration.ms') })
    }
  }
  const hang = byApplication('hangDeployments')
  if (hang !== undefined) out.hangDeployments = hang
  const rule = (name: string): Record<string, unknown> | undefined => {
    const v = r[name]
    if (v === undefined) return undefined
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new Error(`${name} must be an object`)
    return v as Record<string, unknown>
  }
  const alarms = rule('activeAlarms')
  if (alarms)
    out.activeAlarms = {
      alarms: list(alarms.alarms, 'activeAlarms.alarms'),
      applications: list(alarms.applications, 'activeAlarms.applications')
    }
  const denied = r.bundleAccessDenied
  if (typeof denied === 'boolean') out.bundleAccessDenied = denied
  else if (denied !== undefined) {
    const d = rule('bundleAccessDenied')!
    if (d.crossAccount !== undefined && typeof d.crossAccount !== 'boolean')
      throw new Error('bundleAccessDenied.crossAccount must be true or false')
    out.bundleAccessDenied = {
      applications: list(d.applications, 'bundleAccessDenied.applications'),
      crossAccount: d.crossAccount === true
    }
  }
  const role = rule('serviceRole')
  if (role) {
    if (!SERVICE_ROLE_PROBLEMS.includes(role.problem as ServiceRoleProblem))
      throw new Error(`serviceRole.problem must be ${SERVICE_ROLE_PROBLEMS.join(' or ')}`)
    out.serviceRole = {
      problem: role.problem as ServiceRoleProblem,
      applications: list(role.applications, 'serviceRole.applications')
    }
  }
  return out
}

// A switch that is `true`, or names the application (or names none).
function scoped(
  h: boolean | { applications?: string[] } | undefined,
  application: string
): boolean {
  if (typeof h === 'boolean' || h === undefined) return h === true
  return !h.applications?.length || h.applications.includes(application)
}

const namesTargetGroup = (rule: { targetGroups?: string[] } | undefined, name: string): boolean =>
  !!rule && (!rule.targetGroups?.length || rule.targetGroups.includes(name))

// Counts matching calls per rule, so "every Nth" means the Nth, 2Nth, ... matching call.
class Rules {
  readonly settings: FaultSettings
  private throttleCount = 0
  private serverErrorCount = 0

  constructor(settings: FaultSettings) {
    this.settings = settings
  }

  hangs(application: string): boolean {
    return scoped(this.settings.hangDeployments, application)
  }

  capacity(application: string): boolean {
    return scoped(this.settings.capacity, application)
  }

  alarmsInAlarm(application: string, names: string[]): string[] {
    const a = this.settings.activeAlarms
    if (!a || !scoped(a, application)) return []
    return a.alarms?.length ? names.filter((n) => a.alarms!.includes(n)) : names
  }

  bundleAccessDenied(application: string): { crossAccount: boolean } | undefined {
    const d = this.settings.bundleAccessDenied
    if (!scoped(d, application)) return undefined
    return { crossAccount: typeof d === 'object' && d.crossAccount === true }
  }

  serviceRole(application: string): ServiceRoleProblem | undefined {
    const r = this.settings.serviceRole
    return r && scoped(r, application) ? r.problem : undefined
  }

  decide(operation: string, application: string | undefined): FaultDecision {
    const s = this.settings
    const decision: FaultDecision = {
      delayMs: applies(s.delay, operation, application) ? s.delay!.ms : 0
    }
    if (
      applies(s.throttle, operation, application) &&
      ++this.throttleCount % s.throttle!.every === 0
    ) {
      decision.error = new AwsError('ThrottlingException', 'Rate exceeded')
    } else if (
      applies(s.serverError, operation, application) &&
      ++this.serverErrorCount % s.serverError!.every === 0
    ) {
      const status = s.serverError!.status ?? 500
      decision.error =
        status === 503
          ? new AwsError('ServiceUnavailableException', 'Service Unavailable', 503)
          : new AwsError(
              'InternalFailure',
              'The request processing has failed because of an unknown error, exception or failure.',
              status
            )
    }
    return decision
  }
}

// The bed-wide switches, plus switches of one application's own (set with
// `PUT /faults?application=NAME`): suites sharing a bed each break only their application,
// and setting or clearing one never disturbs another's. An application's own switches, when
// set, replace the bed-wide ones for its calls.
export class FaultInjector {
  private global = new Rules({})
  // Cleared only by reset(), never by a bed-wide set: a suite clearing "its" faults with
  // PUT /faults {} must not wipe another suite's.
  private readonly perApplication = new Map<string, Rules>()

  get settings(): FaultSettings {
    return this.global.settings
  }

  /** Without `application`: the bed-wide switches; applications' own switches are kept. */
  set(settings: FaultSettings, application?: string): void {
    if (application === undefined) this.global = new Rules(settings)
    else if (Object.keys(settings).length === 0) this.perApplication.delete(application)
    else this.perApplication.set(application, new Rules(settings))
  }

  reset(): void {
    this.global = new Rules({})
    this.perApplication.clear()
  }

  settingsOf(application: string): FaultSettings {
    return this.perApplication.get(application)?.settings ?? {}
  }

  private rulesFor(application: string | undefined): Rules {
    return (application !== undefined && this.perApplication.get(application)) || this.global
  }

  // A blue/green copy for `application` launches no instance.
  capacity(application: string): boolean {
    return this.rulesFor(application).capacity(application)
  }

  // Target groups belong to no application: the bed-wide switches and every application's own
  // are looked at, the first naming the target group (or naming none) applies.
  targetGroup(name: string): TargetGroupFaults {
    const out: TargetGroupFaults = {}
    for (const rules of [this.global, ...this.perApplication.values()]) {
      const s = rules.settings
      if (out.flapPeriod === undefined && namesTargetGroup(s.flapHealthChecks, name))
        out.flapPeriod = s.flapHealthChecks!.period
      if (out.slowDeregistration === undefined && namesTargetGroup(s.slowDeregistration, name))
        out.slowDeregistration =
          s.slowDeregistration!.ms === undefined ? {} : { ms: s.slowDeregistration!.ms }
    }
    return out
  }

  // Whether a new deployment of `application` should never finish.
  hangs(application: string): boolean {
    return this.rulesFor(application).hangs(application)
  }

  // Which of `names` (a deployment group's alarms) are in ALARM.
  alarmsInAlarm(application: string, names: string[]): string[] {
    return this.rulesFor(application).alarmsInAlarm(application, names)
  }

  // Whether S3 refuses the application's instances their revision, and in which words.
  bundleAccessDenied(application: string): { crossAccount: boolean } | undefined {
    return this.rulesFor(application).bundleAccessDenied(application)
  }

  // What is wrong with the application's deployment groups' service role, if anything.
  serviceRole(application: string): ServiceRoleProblem | undefined {
    return this.rulesFor(application).serviceRole(application)
  }

  decide(operation: string, application: string | undefined): FaultDecision {
    return this.rulesFor(application).decide(operation, application)
  }
}
