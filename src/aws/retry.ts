// Retrying one CodeDeploy call on throttling and transient failures, with jittered exponential backoff.
import type { Logger, Sleep } from '../common/log.js'
import { codeDeployCallError, isThrottling, isTransient } from './codedeploy-errors.js'

/** Delay before retry number `attempt` (1-based): exponential, capped, with "equal jitter" so parallel runs spread out. */
export function backoffMs(
  attempt: number,
  throttled: boolean,
  random: () => number = Math.random
): number {
  const base = throttled ? 2000 : 1000
  const cap = throttled ? 30_000 : 10_000
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export interface RetryOptions {
  log: Logger
  sleep: Sleep
  signal?: AbortSignal
  /** Attempts in all, the first included. */
  attempts?: number
  random?: () => number
}

/** Calls `fn` until it succeeds, a non-transient error occurs, or the attempts run out; errors become AwsCallError naming `call`. */
export async function callWithRetry<T>(
  call: string,
  fn: () => Promise<T>,
  opts: RetryOptions,
  check?: (err: unknown) => string | undefined
): Promise<T> {
  const attempts = opts.attempts ?? 6
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts || opts.signal?.aborted) {
        throw codeDeployCallError(call, err, check?.(err))
      }
      const delay = backoffMs(attempt, isThrottling(err), opts.random)
      opts.log.debug(
        `${call}: ${isThrottling(err) ? 'throttled' : 'transient error'}, retrying in ${delay} ms`
      )
      await opts.sleep(delay, opts.signal)
    }
  }
}
