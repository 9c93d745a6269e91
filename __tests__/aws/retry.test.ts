import { describe, expect, it } from '@jest/globals'
import { backoffMs, callWithRetry, retry, type RetryPolicy } from '../../src/aws/retry.js'
import { AwsCallError } from '../../src/common/errors.js'
import { MemoryLogger } from '../../src/common/log.js'

function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $metadata: { httpStatusCode: status },
    $fault: status >= 500 ? 'server' : 'client'
  })
}

/** A sleep that records what it was asked to wait, and waits for nothing. */
function recordingSleep() {
  const waits: number[] = []
  return { waits, sleep: async (ms: number) => void waits.push(ms) }
}

function failingTimes(n: number, err: () => unknown) {
  let calls = 0
  const fn = async (): Promise<string> => {
    calls++
    if (calls <= n) throw err()
    return 'ok'
  }
  return { fn, calls: () => calls }
}

describe('retry', () => {
  const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
    attempts: 4,
    retryable: () => true,
    delayMs: (attempt) => attempt * 100,
    sleep: async () => undefined,
    ...over
  })

  it('retries until it succeeds, waiting the policy delay before each retry', async () => {
    const { waits, sleep } = recordingSleep()
    const { fn, calls } = failingTimes(2, () => new Error('x'))
    await expect(retry(fn, policy({ sleep }))).resolves.toBe('ok')
    expect(calls()).toBe(3)
    expect(waits).toEqual([100, 200])
  })

  it('throws the last error as it came once the attempts run out', async () => {
    const errors: Error[] = []
    const fn = async () => {
      const e = new Error(`attempt ${errors.length + 1}`)
      errors.push(e)
      throw e
    }
    const thrown = await retry(fn, policy({ attempts: 3 })).catch((e: unknown) => e)
    expect(thrown).toBe(errors[2])
    expect(errors).toHaveLength(3)
  })

  it('does not retry an error the policy calls final', async () => {
    const { fn, calls } = failingTimes(5, () => new Error('final'))
    await expect(retry(fn, policy({ retryable: () => false }))).rejects.toThrow('final')
    expect(calls()).toBe(1)
  })

  it('tells onRetry each error, attempt and delay before waiting', async () => {
    const seen: [string, number, number][] = []
    const { fn } = failingTimes(2, () => new Error('boom'))
    await retry(
      fn,
      policy({
        onRetry: (err, attempt, delay) => seen.push([(err as Error).message, attempt, delay])
      })
    )
    expect(seen).toEqual([
      ['boom', 1, 100],
      ['boom', 2, 200]
    ])
  })

  it('stops after the wait when the signal aborted during it', async () => {
    const controller = new AbortController()
    const { fn, calls } = failingTimes(5, () => new Error('transient'))
    const sleep = async () => controller.abort()
    await expect(retry(fn, policy({ sleep, signal: controller.signal }))).rejects.toThrow(
      'transient'
    )
    expect(calls()).toBe(1)
  })

  it('makes no further attempt when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { fn, calls } = failingTimes(5, () => new Error('transient'))
    await expect(retry(fn, policy({ signal: controller.signal }))).rejects.toThrow('transient')
    expect(calls()).toBe(1)
  })
})

describe('backoffMs', () => {
  it('doubles per attempt within equal jitter, capped; throttling waits longer', () => {
    expect(backoffMs(1, false, () => 0)).toBe(500)
    expect(backoffMs(1, false, () => 1)).toBe(1000)
    expect(backoffMs(3, false, () => 1)).toBe(4000)
    expect(backoffMs(10, false, () => 1)).toBe(10_000)
    expect(backoffMs(1, true, () => 0)).toBe(1000)
    expect(backoffMs(10, true, () => 1)).toBe(30_000)
  })
})

describe('callWithRetry (CodeDeploy calls)', () => {
  it('retries a 500 and a throttle, then succeeds', async () => {
    const { waits, sleep } = recordingSleep()
    const errs = [awsError('InternalFailure', 500), awsError('ThrottlingException', 400)]
    let i = 0
    const out = await callWithRetry(
      'GetDeployment',
      async () => {
        const e = errs[i++]
        if (e) throw e
        return 'done'
      },
      { log: new MemoryLogger(), sleep, random: () => 1 }
    )
    expect(out).toBe('done')
    // 1 s after the server error, 4 s (throttled, second attempt) after the throttle.
    expect(waits).toEqual([1000, 4000])
  })

  it('names the call and gives the check for a final error, without retrying', async () => {
    let calls = 0
    const err = await callWithRetry(
      'StopDeployment',
      async () => {
        calls++
        throw awsError('InvalidDeploymentIdException', 400)
      },
      { log: new MemoryLogger(), sleep: async () => undefined },
      () => 'Check the id.'
    ).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(err).toBeInstanceOf(AwsCallError)
    expect((err as AwsCallError).describe()).toMatch(/StopDeployment.*InvalidDeploymentIdException/)
    expect((err as AwsCallError).describe()).toContain('Check the id.')
  })

  it('gives up after the attempts asked for', async () => {
    let calls = 0
    await expect(
      callWithRetry(
        'ListDeploymentTargets',
        async () => {
          calls++
          throw awsError('ServiceUnavailable', 503)
        },
        { log: new MemoryLogger(), sleep: async () => undefined, attempts: 2 }
      )
    ).rejects.toBeInstanceOf(AwsCallError)
    expect(calls).toBe(2)
  })
})
