// ELBv2 target groups for real traffic: each has an HTTP listener on 127.0.0.1 that forwards
// requests round-robin to its healthy registered targets (instances on the bed's network), real
// HTTP health checks with the healthy/unhealthy thresholds, and deregistration with draining
// (no new requests; the target leaves once its in-flight requests are done or the delay ends).
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { createHash } from 'node:crypto'
import type { TargetGroupConfig } from '../world/fleet-config.ts'
import { ACCOUNT, REGION } from '../core/ids.ts'

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining'

// ELBv2's TargetHealth: state, reason code and description as DescribeTargetHealth gives them.
export interface TargetHealth {
  state: TargetState | 'unused'
  reason?: string
  description?: string
}

interface Target {
  id: string
  address: string
  state: TargetState
  reason?: string
  description?: string
  // Consecutive passed and failed checks, and every check made (for the flapping fault).
  passes: number
  fails: number
  checks: number
  inflight: number
  timer?: NodeJS.Timeout
  drainTimer?: NodeJS.Timeout
  drained?: () => void
  // What the target answered its last health check: "HTTP 503", "connection refused", ...
  lastAnswer?: string
}

// Faults on a target group (faults.ts): checks fail `period` times in a row then pass `period`
// times (flapping); draining always lasts `slowDeregistrationMs` (no early end).
export interface TargetGroupFaults {
  flapPeriod?: number
  // Draining lasts `ms` (default: the whole deregistration delay), in-flight requests or not.
  slowDeregistration?: { ms?: number }
}

type Listener = () => void

export function targetGroupArn(name: string): string {
  const id = createHash('sha256').update(name).digest('hex').slice(0, 16)
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${id}`
}

function matches(matcher: string, status: number): boolean {
  return matcher.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number)
    return hi === undefined ? status === lo : status >= lo! && status <= hi
  })
}

const NO_TARGET_PAGE =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n'
const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n'

export class TargetGroup {
  readonly config: TargetGroupConfig
  readonly arn: string
  readonly createTime = Date.now()
  port = 0
  private server?: Server
  private readonly targets = new Map<string, Target>()
  private next = 0
  private readonly listeners = new Set<Listener>()
  private readonly faults: () => TargetGroupFaults
  private closed = false

  private readonly log: (line: string) => void

  constructor(
    config: TargetGroupConfig,
    faults: () => TargetGroupFaults = () => ({}),
    log: (line: string) => void = () => {}
  ) {
    this.config = config
    this.arn = targetGroupArn(config.name)
    this.faults = faults
    this.log = log
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Listens on 127.0.0.1, on the first free port from `firstPort` on. */
  async listen(firstPort: number): Promise<number> {
    const server = createServer((req, res) => this.forward(req, res))
    server.keepAliveTimeout = 60_000
    for (let port = firstPort; port < firstPort + 500; port++) {
      const ok = await new Promise<boolean>((resolve, reject) => {
        const onError = (e: NodeJS.ErrnoException): void =>
          e.code === 'EADDRINUSE' ? resolve(false) : reject(e)
        server.once('error', onError)
        server.listen(port, '127.0.0.1', () => {
          server.off('error', onError)
          resolve(true)
        })
      })
      if (ok) {
        this.server = server
        this.port = port
        return port
      }
    }
    throw new Error(`no free port for target group ${this.config.name}'s listener`)
  }

  private closing?: Promise<void>

  /** Stops the checks and the listener; resolves once its port is free again (once for all calls). */
  close(): Promise<void> {
    this.closing ??= this.shut()
    return this.closing
  }

  private shut(): Promise<void> {
    this.closed = true
    for (const t of this.targets.values()) {
      clearTimeout(t.timer)
      clearTimeout(t.drainTimer)
      t.drained?.()
    }
    this.targets.clear()
    // Waiters (a deregistration, AllowTraffic's wait) see their target gone.
    this.changed()
    const server = this.server
    if (!server) return Promise.resolve()
    server.closeAllConnections()
    return new Promise((resolve) => server.close(() => resolve()))
  }

  // ---- traffic ----

  /** Round-robin over healthy targets; with none healthy, over every registered one (ALB fails open). */
  private pick(): Target | undefined {
    const live = [...this.targets.values()].filter((t) => t.state !== 'draining')
    const healthy = live.filter((t) => t.state === 'healthy')
    const pool = healthy.length > 0 ? healthy : live
    if (pool.length === 0) return undefined
    return pool[this.next++ % pool.length]
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const target = this.pick()
    if (!target) {
      res.writeHead(503, { 'content-type': 'text/html', server: 'awselb/2.0' })
      res.end(NO_TARGET_PAGE)
      return
    }
    target.inflight++
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      target.inflight--
      if (target.inflight === 0 && target.state === 'draining' && !this.slowDrainMs())
        this.completeDrain(target)
    }
    const upstream = httpRequest(
      {
        host: target.address,
        port: this.config.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' },
        agent: false
      },
      (answer) => {
        // Which instance served it: the bed's addition, for tests and the demo (ALB has none).
        res.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          'x-testbed-target': target.id
        })
        answer.pipe(res)
        answer.on('end', finish)
        answer.on('close', finish)
      }
    )
    upstream.on('error', (e: NodeJS.ErrnoException) => {
      this.log(
        `target group ${this.config.name}: ${req.method} ${req.url} to ${target.id} (${target.state}) failed: ${e.code ?? e.message}`
      )
      finish()
      if (!res.headersSent) {
        // Why, for tests and the demo (ALB says nothing).
        res.writeHead(502, {
          'content-type': 'text/html',
          server: 'awselb/2.0',
          'x-testbed-target': target.id,
          'x-testbed-error': `${e.code ?? e.message} (target ${target.state})`
        })
        res.end(BAD_GATEWAY_PAGE)
      } else res.destroy()
    })
    req.pipe(upstream)
  }

  // ---- registration and health ----

  /** RegisterTargets: `initial` until the checks decide (a draining target is taken back). */
  register(id: string, address: string): void {
    const old = this.targets.get(id)
    if (old && old.state !== 'draining') return
    if (old) {
      clearTimeout(old.drainTimer)
      clearTimeout(old.timer)
      old.drained?.()
      this.targets.delete(id)
    }
    const t: Target = {
      id,
      address,
      state: 'initial',
      reason: 'Elb.InitialHealthChecking',
      description: 'Initial health checks in progress',
      passes: 0,
      fails: 0,
      checks: 0,
      // Requests still in flight to the old entry count down on it, not on this one.
      inflight: 0
    }
    this.targets.set(id, t)
    this.schedule(t, 0)
    this.changed()
  }

  /**
   * DeregisterTargets: `draining` at once (no new requests); resolves when the target is gone:
   * its in-flight requests done, or the deregistration delay over. Unknown ids resolve at once.
   */
  deregister(id: string): Promise<void> {
    const t = this.targets.get(id)
    if (!t) return Promise.resolve()
    if (t.state === 'draining') return new Promise((r) => (t.drained ? this.whenGone(id, r) : r()))
    clearTimeout(t.timer)
    t.state = 'draining'
    t.reason = 'Target.DeregistrationInProgress'
    t.description = 'Target deregistration is in progress'
    this.changed()
    // ALB: with no in-flight request the deregistration completes at once, yet the target shows
    // `draining` until the delay ends; the slow-deregistration fault takes the early end away.
    const slow = this.slowDrainMs()
    t.drainTimer = setTimeout(
      () => this.endDrain(t),
      slow ?? this.config.deregistrationDelaySeconds * 1000
    )
    return new Promise((resolve) => {
      t.drained = resolve
      if (t.inflight === 0 && slow === undefined) this.completeDrain(t)
    })
  }

  // The deregistration is complete (DeregisterTargets' waiters go on); the entry stays `draining`.
  private completeDrain(t: Target): void {
    const done = t.drained
    t.drained = undefined
    done?.()
  }

  private slowDrainMs(): number | undefined {
    const slow = this.faults().slowDeregistration
    return slow ? (slow.ms ?? this.config.deregistrationDelaySeconds * 1000) : undefined
  }

  private whenGone(id: string, done: () => void): void {
    const check = (): void => {
      if (!this.targets.has(id)) {
        this.listeners.delete(check)
        done()
      }
    }
    this.listeners.add(check)
  }

  private endDrain(t: Target): void {
    if (this.targets.get(t.id) !== t) return
    clearTimeout(t.drainTimer)
    this.targets.delete(t.id)
    t.drained?.()
    this.changed()
  }

  private changed(): void {
    for (const l of [...this.listeners]) l()
  }

  private schedule(t: Target, ms: number): void {
    t.timer = setTimeout(() => {
      void this.check(t)
    }, ms)
  }

  private async check(t: Target): Promise<void> {
    const hc = this.config.healthCheck
    const answer = await new Promise<{
      ok: boolean
      reason: string
      description: string
      answer: string
    }>((resolve) => {
      const r = httpRequest(
        {
          host: t.address,
          port: this.config.port,
          path: hc.path,
          method: 'GET',
          agent: false,
          timeout: hc.timeoutSeconds * 1000,
          headers: { 'user-agent': 'ELB-HealthChecker/2.0' }
        },
        (res) => {
          res.resume()
          const status = res.statusCode ?? 0
          resolve(
            matches(hc.matcher, status)
              ? { ok: true, reason: '', description: '', answer: `HTTP ${status}` }
              : {
                  ok: false,
                  reason: 'Target.ResponseCodeMismatch',
                  description: `Health checks failed with these codes: [${status}]`,
                  answer: `HTTP ${status}`
                }
          )
        }
      )
      r.on('timeout', () => {
        r.destroy()
        resolve({
          ok: false,
          reason: 'Target.Timeout',
          description: 'Request timed out',
          answer: `no answer within ${hc.timeoutSeconds} s`
        })
      })
      r.on('error', (e: NodeJS.ErrnoException) =>
        resolve({
          ok: false,
          reason: 'Target.FailedHealthChecks',
          description: 'Health checks failed',
          answer:
            e.code === 'ECONNREFUSED'
              ? `connection refused on port ${this.config.port}`
              : (e.code ?? e.message)
        })
      )
      r.end()
    })
    if (this.closed || this.targets.get(t.id) !== t || t.state === 'draining') return
    t.checks++
    let ok = answer.ok
    const flap = this.faults().flapPeriod
    // Flapping: the checks' own verdict is overridden, `flap` failures then `flap` passes.
    if (flap && Math.floor((t.checks - 1) / flap) % 2 === 0) ok = false
    t.lastAnswer = answer.answer
    if (ok) {
      t.passes++
      t.fails = 0
      // A new target is healthy after one passed check; an unhealthy one after the threshold.
      const needed = t.state === 'initial' ? 1 : hc.healthyThreshold
      if (t.state !== 'healthy' && t.passes >= needed) {
        t.state = 'healthy'
        t.reason = undefined
        t.description = undefined
        this.changed()
      }
    } else {
      t.fails++
      t.passes = 0
      // An unhealthy target keeps the reason of its latest failure (a flapped pass has none).
      if (t.state === 'unhealthy' || t.fails >= hc.unhealthyThreshold) {
        const turned = t.state !== 'unhealthy'
        t.state = 'unhealthy'
        t.reason = answer.ok ? 'Target.FailedHealthChecks' : answer.reason
        t.description = answer.ok ? 'Health checks failed' : answer.description
        if (turned) this.changed()
      }
    }
    this.schedule(t, hc.intervalSeconds * 1000)
  }

  /**
   * Resolves once the target is `healthy` (true) or `unhealthy` (false), or the abort signal
   * fires (false). CodeDeploy's AllowTraffic waits for this.
   */
  waitHealthy(id: string, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const look = (): void => {
        const t = this.targets.get(id)
        const verdict =
          t?.state === 'healthy'
            ? true
            : !t || t.state === 'unhealthy' || signal?.aborted
              ? false
              : undefined
        if (verdict === undefined) return
        this.listeners.delete(look)
        resolve(verdict)
      }
      this.listeners.add(look)
      signal?.addEventListener('abort', look, { once: true })
      look()
    })
  }

  health(id: string): TargetHealth {
    const t = this.targets.get(id)
    if (!t)
      return {
        state: 'unused',
        reason: 'Target.NotRegistered',
        description: 'Target is not registered to the target group'
      }
    return {
      state: t.state,
      ...(t.reason ? { reason: t.reason } : {}),
      ...(t.description ? { description: t.description } : {})
    }
  }

  /** What a target answered its last health check (GET /target-groups). */
  lastAnswer(id: string): string | undefined {
    return this.targets.get(id)?.lastAnswer
  }

  registered(): string[] {
    return [...this.targets.keys()]
  }
}
