// Traffic through a load balancer's listener while a deployment moves it: a bounded request loop
// and what is true of a reroute, for the bed's tests and the demo (scripts/demo.mjs imports this
// file as it is, under Node 24's type stripping: no imports, erasable types only).
//
// What a reroute looks like from outside: during a blue/green switch (and an in-place deployment
// with traffic control) the load balancer serves both versions for a moment, because the new
// targets are registered and pass their checks before the old ones finish draining, as on an
// ALB. So the answers go v1 … v1, then v1 and v2 interleaved, then v2 … v2. What must hold is:
// no failed request, the first answer from the old version, the last from the new one, and no
// answer from any other version. How long both answered is reported, never hidden or refused.

export interface LoopResult {
  /** Why each failed request failed: a non-200 status (with the bed's reason) or a network error. */
  failed: string[]
  /** Each answer's body (the version), in order: one per request answered 200. */
  versions: string[]
  /** Milliseconds since the loop started, per answer (same order as `versions`). */
  at: number[]
  /** The loop reached its bound before it was stopped: it saw only the start of what happened. */
  bounded: boolean
}

export interface LoopOptions {
  /** The loop stops itself after this long (default 3 minutes), and says so (`bounded`). */
  maxMs?: number
  /** A request without an answer after this long is a failed request (default 10 s). */
  timeoutMs?: number
  /** The pause between one answer and the next request (default 10 ms; 0 samples densest). */
  pauseMs?: number
}

/**
 * Sends requests one after another through `url` until stopped, or for `maxMs` at most (it
 * stops itself). A failure is any non-200 answer or a network error, including no answer within
 * `timeoutMs`.
 */
export function requestLoop(
  url: string,
  { maxMs = 180_000, timeoutMs = 10_000, pauseMs = 10 }: LoopOptions = {}
): { stop: () => Promise<LoopResult> } {
  const result: LoopResult = { failed: [], versions: [], at: [], bounded: false }
  let running = true
  const start = Date.now()
  const done = (async () => {
    while (running) {
      if (Date.now() - start >= maxMs) {
        result.bounded = true
        break
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
        const body = (await res.text()).trim()
        if (res.status === 200) {
          result.versions.push(body)
          result.at.push(Date.now() - start)
        } else {
          const why = res.headers.get('x-testbed-error')
          result.failed.push(
            `HTTP ${res.status}${why ? ` ${why} from ${res.headers.get('x-testbed-target')}` : ''}`
          )
        }
      } catch (e) {
        result.failed.push((e as Error).message)
      }
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs))
    }
  })()
  return {
    stop: async () => {
      running = false
      await done
      return result
    }
  }
}

/** The versions in the order they first appeared, each run of equal answers counted once. */
export function switches(versions: string[]): string[] {
  return versions.filter((v, i) => i === 0 || versions[i - 1] !== v)
}

/** The answers as runs: `v1 ×594 → v2 ×2 → v1 ×1 → v2 ×468`. */
export function runs(versions: string[]): string {
  const out: [string, number][] = []
  for (const v of versions) {
    const last = out.at(-1)
    if (last && last[0] === v) last[1]++
    else out.push([v, 1])
  }
  return out.map(([v, n]) => `${v} ×${n}`).join(' → ')
}

export interface Reroute {
  /** What must hold and did not, one sentence each; empty when the reroute is as it should be. */
  problems: string[]
  /** Requests from the first answer of the new version to the last of the old one (0: a clean cut). */
  overlapRequests: number
  /** How long that window lasted, in milliseconds. */
  overlapMs: number
  /** One line for a person: the counts, the runs, and the overlap said as such. */
  line: string
}

function failures(seen: LoopResult): string[] {
  const out: string[] = []
  if (seen.failed.length) {
    const kinds = [...new Set(seen.failed)].slice(0, 3).join('; ')
    out.push(`${seen.failed.length} request(s) failed (${kinds})`)
  }
  if (seen.bounded)
    out.push('the request loop reached its time bound before the deployment ended: raise maxMs')
  if (seen.versions.length === 0) out.push('no request was answered')
  return out
}

function counted(seen: LoopResult): string {
  const answered = seen.versions.length
  const tail = answered ? `; ${runs(seen.versions)}` : ''
  return `${answered} answered, ${seen.failed.length} failed${tail}`
}

/** What the loop saw while the traffic moved from version `from` to version `to`. */
export function readReroute(seen: LoopResult, from: string, to: string): Reroute {
  const problems = failures(seen)
  const v = seen.versions
  const others = [...new Set(v.filter((x) => x !== from && x !== to))]
  if (others.length)
    problems.push(`answers came from neither ${from} nor ${to}: ${others.join(', ')}`)
  if (v.length && v[0] !== from)
    problems.push(
      `the first answer came from ${v[0]}, not ${from}: the loop did not see the old version serve`
    )
  if (v.length && v.at(-1) !== to)
    problems.push(
      `the last answer came from ${v.at(-1)}, not ${to}: the traffic did not end on the new version`
    )

  const firstNew = v.indexOf(to)
  const lastOld = v.lastIndexOf(from)
  const overlapRequests = firstNew >= 0 && lastOld > firstNew ? lastOld - firstNew + 1 : 0
  const overlapMs = overlapRequests ? seen.at[lastOld]! - seen.at[firstNew]! : 0
  let switchText = ''
  if (overlapRequests)
    switchText = `; both answered for ${overlapRequests} requests (${overlapMs < 1000 ? `${overlapMs} ms` : `${(overlapMs / 1000).toFixed(1)} s`}) during the switch, as a load balancer does while the new targets are registered and the old ones drain`
  else if (firstNew > 0 && lastOld >= 0) switchText = `; a clean cut from ${from} to ${to}`
  return { problems, overlapRequests, overlapMs, line: `${counted(seen)}${switchText}` }
}

/** What the loop saw while the traffic was meant to stay on `version` (a failed deployment). */
export function readSteady(
  seen: LoopResult,
  version: string
): { problems: string[]; line: string } {
  const problems = failures(seen)
  const others = [...new Set(seen.versions.filter((x) => x !== version))]
  if (others.length)
    problems.push(`the traffic left ${version}: answers came from ${others.join(', ')}`)
  return { problems, line: counted(seen) }
}
