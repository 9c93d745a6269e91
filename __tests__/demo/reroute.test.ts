// The verdicts on traffic through a load balancer that the demo and the bed's blue/green tests
// share (__tests__/testbed/reroute.ts): what a reroute may look like and what it may not.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  readReroute,
  readSteady,
  requestLoop,
  runs,
  switches,
  type LoopResult
} from '../testbed/reroute.js'

/** A loop result from runs of answers, one every 10 ms; `failed` as given. */
function seen(spec: [string, number][], failed: string[] = [], bounded = false): LoopResult {
  const versions = spec.flatMap(([v, n]) => Array<string>(n).fill(v))
  return {
    failed,
    versions,
    at: versions.map((_, i) => i * 10),
    bounded
  }
}

describe('readReroute', () => {
  it('accepts the overlap a load balancer makes during the switch, and reports it', () => {
    // The run a new user saw fail the demo (issue 25): nothing was wrong with it.
    const r = readReroute(
      seen([
        ['v1', 594],
        ['v2', 2],
        ['v1', 1],
        ['v2', 468]
      ]),
      'v1',
      'v2'
    )
    expect(r.problems).toEqual([])
    expect(r.overlapRequests).toBe(3)
    expect(r.overlapMs).toBe(20)
    expect(r.line).toBe(
      '1065 answered, 0 failed; v1 ×594 → v2 ×2 → v1 ×1 → v2 ×468; both answered for 3 requests (20 ms) during the switch, as a load balancer does while the new targets are registered and the old ones drain'
    )
  })

  it('says a clean cut is one', () => {
    const r = readReroute(
      seen([
        ['v1', 5],
        ['v2', 5]
      ]),
      'v1',
      'v2'
    )
    expect(r.problems).toEqual([])
    expect(r.overlapRequests).toBe(0)
    expect(r.line).toBe('10 answered, 0 failed; v1 ×5 → v2 ×5; a clean cut from v1 to v2')
  })

  it('measures a long interleaving (in place, one instance at a time) from the first new answer to the last old one', () => {
    const r = readReroute(
      seen([
        ['v1', 3],
        ['v2', 1],
        ['v1', 2],
        ['v2', 1],
        ['v1', 1],
        ['v2', 4]
      ]),
      'v1',
      'v2'
    )
    expect(r.problems).toEqual([])
    expect(r.overlapRequests).toBe(5)
    expect(r.overlapMs).toBe(40)
  })

  it('refuses a failed request, naming why', () => {
    const r = readReroute(
      seen(
        [
          ['v1', 2],
          ['v2', 2]
        ],
        [
          'HTTP 502 ECONNREFUSED (target draining) from i-1',
          'HTTP 502 ECONNREFUSED (target draining) from i-1'
        ]
      ),
      'v1',
      'v2'
    )
    expect(r.problems).toEqual([
      '2 request(s) failed (HTTP 502 ECONNREFUSED (target draining) from i-1)'
    ])
    expect(r.line).toMatch(/^4 answered, 2 failed; /)
  })

  it('refuses traffic that never reached the new version, or never saw the old one', () => {
    expect(readReroute(seen([['v1', 4]]), 'v1', 'v2').problems).toEqual([
      'the last answer came from v1, not v2: the traffic did not end on the new version'
    ])
    expect(
      readReroute(
        seen([
          ['v2', 2],
          ['v1', 1],
          ['v2', 2]
        ]),
        'v1',
        'v2'
      ).problems
    ).toEqual(['the first answer came from v2, not v1: the loop did not see the old version serve'])
    expect(
      readReroute(
        seen([
          ['v1', 2],
          ['v2', 3],
          ['v1', 1]
        ]),
        'v1',
        'v2'
      ).problems
    ).toEqual(['the last answer came from v1, not v2: the traffic did not end on the new version'])
  })

  it('refuses an answer from a third version', () => {
    const r = readReroute(
      seen([
        ['v1', 2],
        ['v3', 1],
        ['v2', 2]
      ]),
      'v1',
      'v2'
    )
    expect(r.problems).toEqual(['answers came from neither v1 nor v2: v3'])
  })

  it('refuses a loop that saw nothing, or stopped at its bound before the deployment ended', () => {
    expect(readReroute(seen([], ['fetch failed']), 'v1', 'v2').problems).toEqual([
      '1 request(s) failed (fetch failed)',
      'no request was answered'
    ])
    expect(readReroute(seen([['v1', 3]], [], true), 'v1', 'v2').problems).toEqual([
      'the request loop reached its time bound before the deployment ended: raise maxMs',
      'the last answer came from v1, not v2: the traffic did not end on the new version'
    ])
  })
})

describe('readSteady', () => {
  it('accepts traffic that stayed on the version, and refuses any other answer or failure', () => {
    expect(readSteady(seen([['v2', 9]]), 'v2')).toEqual({
      problems: [],
      line: '9 answered, 0 failed; v2 ×9'
    })
    expect(
      readSteady(
        seen([
          ['v2', 3],
          ['v3', 1]
        ]),
        'v2'
      ).problems
    ).toEqual(['the traffic left v2: answers came from v3'])
    expect(readSteady(seen([['v2', 3]], ['HTTP 503']), 'v2').problems).toEqual([
      '1 request(s) failed (HTTP 503)'
    ])
  })
})

describe('runs and switches', () => {
  it('count equal answers in a row once', () => {
    const v = ['a', 'a', 'b', 'a', 'a', 'a']
    expect(runs(v)).toBe('a ×2 → b ×1 → a ×3')
    expect(switches(v)).toEqual(['a', 'b', 'a'])
    expect(runs([])).toBe('')
  })
})

describe('requestLoop (against a server on 127.0.0.1)', () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((r) => server?.close(r) ?? r(undefined))
    server = undefined
  })
  async function serve(handler: RequestListener): Promise<string> {
    server = createServer(handler)
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  }

  it("records each answer in order, each failure with the bed's reason, and stops when told", async () => {
    let n = 0
    const url = await serve((_req, res) => {
      n++
      if (n === 3) {
        res.writeHead(502, {
          'x-testbed-error': 'ECONNREFUSED (target draining)',
          'x-testbed-target': 'i-1'
        })
        return res.end()
      }
      res.end(n < 6 ? 'v1\n' : 'v2\n')
    })
    const loop = requestLoop(url, { pauseMs: 0 })
    while (n < 10) await new Promise((r) => setTimeout(r, 5))
    const seen = await loop.stop()
    expect(seen.bounded).toBe(false)
    expect(seen.failed).toEqual(['HTTP 502 ECONNREFUSED (target draining) from i-1'])
    expect(seen.versions.slice(0, 5)).toEqual(['v1', 'v1', 'v1', 'v1', 'v2'])
    // Requests 1-10 but the third answered 200 by the time the loop stopped (and maybe more).
    expect(seen.versions.length).toBeGreaterThanOrEqual(9)
    expect(seen.at).toHaveLength(seen.versions.length)
    expect([...seen.at].sort((a, b) => a - b)).toEqual(seen.at)
  })

  it('stops itself at its bound and says so; no answer in time is a failure', async () => {
    const url = await serve(() => undefined) // never answers
    // Stopped five bounds later: a loaded machine's late timers must not make the loop end
    // by the stop before it reached its bound.
    const loop = requestLoop(url, { maxMs: 200, timeoutMs: 100, pauseMs: 0 })
    await new Promise((r) => setTimeout(r, 1000))
    const seen = await loop.stop()
    expect(seen.bounded).toBe(true)
    expect(seen.versions).toEqual([])
    expect(seen.failed.length).toBeGreaterThanOrEqual(2)
    expect(seen.failed[0]).toMatch(/timeout|aborted/i)
    expect(readReroute(seen, 'v1', 'v2').problems).toContain(
      'the request loop reached its time bound before the deployment ended: raise maxMs'
    )
  })
})
