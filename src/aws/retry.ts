// The one retry loop for AWS calls (S3 and CodeDeploy): attempts, the delay before each retry,
// and what is worth retrying are the caller's policy; the sleep is always injected.
import type { Logger, Sleep } from '../common/log.js'
import { isThrottling, isTransient, toAwsCallError, type AwsErrorHints } from './aws-errors.js'
import { codeDeployCallError } from './codedeploy-errors.js'

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

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  /** Whether this error is worth another attempt. */
  retryable(err: unknown): boolean
  /** Milliseconds to wait before retry number `attempt` (1-based) after `err`. */
  delayMs(attempt: number, err: unknown): number
  sleep: Sleep
  /** Aborted: no further attempt; the last error is thrown. */
  signal?: AbortSignal
  /** Told before each wait, to log it or to note that the failed call may have had an effect. */
  onRetry?(err: unknown, attempt: number, delayMs: number): void
}

/** Calls `fn` until it succeeds, throws an error not worth retrying, or the attempts run out; throws the last error as it came. */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (err) {
      if (attempt >= policy.attempts || policy.signal?.aborted || !policy.retryable(err)) throw err
      const delay = policy.delayMs(attempt, err)
      policy.onRetry?.(err, attempt, delay)
      await policy.sleep(delay, policy.signal)
      if (policy.signal?.aborted) throw err
    }
  }
}

/** The policy for AWS API calls: transient errors, jittered exponential backoff, longer when throttled. */
export function awsPolicy(opts: {
  attempts: number
  sleep: Sleep
  signal?: AbortSignal
  random?: () => number
  onRetry?: RetryPolicy['onRetry']
}): RetryPolicy {
  return {
    attempts: opts.attempts,
    retryable: isTransient,
    delayMs: (attempt, err) => backoffMs(attempt, isThrottling(err), opts.random),
    sleep: opts.sleep,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {})
  }
}

export interface RetryOptions {
  log: Logger
  sleep: Sleep
  signal?: AbortSignal
  /** Attempts in all, the first included. */
  attempts?: number
  random?: () => number
}

/**
 * Retry options for a few quick attempts, without the run's cancel signal: the blue/green reads
 * and clean-up also run after a cancel (where the traffic is) and in the post step.
 */
export function fewAttempts(
  ctx: Pick<RetryOptions, 'log' | 'sleep' | 'random'>,
  attempts: number
): RetryOptions {
  return {
    log: ctx.log,
    sleep: ctx.sleep,
    attempts,
    ...(ctx.random ? { random: ctx.random } : {})
  }
}

/** One call with retries (throttling and transient errors, with backoff); any error is mapped by `explain`. */
async function withRetries<T>(
  call: string,
  fn: () => Promise<T>,
  opts: RetryOptions,
  explain: (err: unknown) => Error
): Promise<T> {
  try {
    return await retry(
      fn,
      awsPolicy({
        attempts: opts.attempts ?? 6,
        sleep: opts.sleep,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.random ? { random: opts.random } : {}),
        onRetry: (err, _attempt, delay) =>
          opts.log.debug(
            `${call}: ${isThrottling(err) ? 'throttled' : 'transient error'}, retrying in ${delay} ms`
          )
      })
    )
  } catch (err) {
    throw explain(err)
  }
}

/** One CodeDeploy call with retries; any error becomes an AwsCallError naming `call`, with `check` as the advice. */
export function callWithRetry<T>(
  call: string,
  fn: () => Promise<T>,
  opts: RetryOptions,
  check?: (err: unknown) => string | undefined
): Promise<T> {
  return withRetries(call, fn, opts, (err) => codeDeployCallError(call, err, check?.(err)))
}

/**
 * A call to a service other than CodeDeploy (Auto Scaling, ELBv2): retried like callWithRetry,
 * and explained through that service's IAM action and hints.
 */
export function callServiceWithRetry<T>(
  call: string,
  fn: () => Promise<T>,
  opts: RetryOptions,
  hints: AwsErrorHints
): Promise<T> {
  return withRetries(call, fn, opts, (err) => toAwsCallError(call, err, hints))
}
