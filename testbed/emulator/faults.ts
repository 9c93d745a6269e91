// Fault injection: throttling, server errors and slow answers on chosen operations, and
// deployments that never finish. Switched by the fleet config or the admin endpoint.
import { AwsError } from './aws-error.ts'

export interface EveryNth {
  every: number
  operations?: string[]
}

export interface FaultSettings {
  throttle?: EveryNth
  serverError?: EveryNth & { status?: number }
  delay?: { ms: number; operations?: string[] }
  hangDeployments?: boolean
}

export interface FaultDecision {
  delayMs: number
  error?: AwsError
}

function applies(rule: { operations?: string[] } | undefined, operation: string): boolean {
  return !!rule && (!rule.operations?.length || rule.operations.includes(operation))
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
  const known = ['throttle', 'serverError', 'delay', 'hangDeployments']
  for (const k of Object.keys(r)) {
    if (!known.includes(k)) throw new Error(`unknown fault '${k}' (known: ${known.join(', ')})`)
  }
  const ops = (v: unknown, what: string): string[] | undefined => {
    if (v === undefined) return undefined
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      throw new Error(`${what}.operations must be a list of operation names`)
    }
    return v as string[]
  }
  const out: FaultSettings = {}
  if (r.throttle) {
    const t = r.throttle as Record<string, unknown>
    out.throttle = {
      every: positiveInteger(t.every, 'throttle.every'),
      operations: ops(t.operations, 'throttle')
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
      operations: ops(s.operations, 'serverError')
    }
  }
  if (r.delay) {
    const d = r.delay as Record<string, unknown>
    out.delay = { ms: positiveInteger(d.ms, 'delay.ms'), operations: ops(d.operations, 'delay') }
  }
  if (r.hangDeployments !== undefined) {
    if (typeof r.hangDeployments !== 'boolean')
      throw new Error('hangDeployments must be true or false')
    out.hangDeployments = r.hangDeployments
  }
  return out
}

// Counts matching calls per rule, so "every Nth" means the Nth, 2Nth, ... matching call.
export class FaultInjector {
  settings: FaultSettings = {}
  private throttleCount = 0
  private serverErrorCount = 0

  set(settings: FaultSettings): void {
    this.settings = settings
    this.throttleCount = 0
    this.serverErrorCount = 0
  }

  decide(operation: string): FaultDecision {
    const s = this.settings
    const decision: FaultDecision = { delayMs: applies(s.delay, operation) ? s.delay!.ms : 0 }
    if (applies(s.throttle, operation) && ++this.throttleCount % s.throttle!.every === 0) {
      decision.error = new AwsError('ThrottlingException', 'Rate exceeded')
    } else if (
      applies(s.serverError, operation) &&
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
