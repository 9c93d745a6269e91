// Deletes the bundles the plan gave up, oldest first: each one only after HeadObject shows the
// action uploaded it, at most MAX_DELETIONS a run, a few at a time. A failed call keeps that
// bundle and the others go on (Object Lock refuses single versions); a run of failures stops it,
// and a cancel stops it between calls. Nothing here throws.
import { ActionError, AwsCallError } from '../common/errors.js'
import type { Logger } from '../common/log.js'
import { plural } from '../common/plural.js'
import { deleteBundle, provenance, type BucketAccess, type Provenance } from './s3-bundles.js'
import type { StoredBundle } from './types.js'

export const MAX_DELETIONS = 1000
/** Calls in flight at once: a first run on a full prefix takes seconds, not a minute. */
const WORKERS = 4
/** Failed calls in a row after which the rest would most likely fail too (a missing permission). */
export const MAX_FAILURES_IN_A_ROW = 10

export const FOREIGN_REASON = 'not uploaded by this action (its metadata has no sha256)'
export const CANCELLED_REASON = 'not looked at: the run was cancelled'
export const LATER_REASON = `left for a later run: at most ${MAX_DELETIONS} deletions a run`

export interface DeletionOutcome {
  /** In the plan's order, oldest first. */
  deleted: StoredBundle[]
  /** In the plan's order. */
  kept: Array<StoredBundle & { reason: string }>
  warnings: string[]
}

type Ctx = BucketAccess & { log: Logger; signal?: AbortSignal }

export async function deleteBundles(
  ctx: Ctx,
  doomed: readonly StoredBundle[]
): Promise<DeletionOutcome> {
  const deleted = new Set<StoredBundle>()
  const kept: Array<{ at: number; reason: string }> = []
  const failures = new FailureLog()
  let next = 0
  let attempted = 0
  let notTried = 0

  const keep = (at: number, reason: string): void => {
    kept.push({ at, reason })
    ctx.log.debug(`Kept ${where(ctx, doomed[at]!)}: ${reason}.`)
  }

  /** One bundle: check, then delete; every outcome is recorded, nothing thrown. */
  const handle = async (at: number, bundle: StoredBundle): Promise<void> => {
    let origin: Provenance
    try {
      origin = await provenance(ctx, bundle)
    } catch (err) {
      if (ctx.signal?.aborted) return keep(at, CANCELLED_REASON)
      failures.add(
        'HeadObject',
        err,
        `Kept ${where(ctx, bundle)}: could not check that this action uploaded it.`
      )
      return keep(at, 'could not check that this action uploaded it (HeadObject failed)')
    }
    failures.succeeded('HeadObject')
    if (origin === 'gone') return ctx.log.debug(`${where(ctx, bundle)} is already gone.`)
    if (origin === 'foreign') return keep(at, FOREIGN_REASON)
    if (ctx.signal?.aborted) return keep(at, CANCELLED_REASON)
    if (attempted >= MAX_DELETIONS) return keep(at, LATER_REASON)
    attempted++
    try {
      if ((await deleteBundle(ctx, bundle)) === 'cancelled') return keep(at, CANCELLED_REASON)
    } catch (err) {
      failures.add('DeleteObject', err, `Could not delete ${where(ctx, bundle)}.`)
      return keep(at, 'not deleted: DeleteObject failed')
    }
    failures.succeeded('DeleteObject')
    deleted.add(bundle)
    ctx.log.info(
      `Deleted ${where(ctx, bundle)}, last modified ${bundle.lastModified.toISOString()}.`
    )
  }

  const work = async (): Promise<void> => {
    while (next < doomed.length) {
      const at = next++
      if (ctx.signal?.aborted) keep(at, CANCELLED_REASON)
      else if (failures.inARow >= MAX_FAILURES_IN_A_ROW) {
        notTried++
        keep(at, `not tried: the ${MAX_FAILURES_IN_A_ROW} calls before it failed`)
      } else if (attempted >= MAX_DELETIONS) keep(at, LATER_REASON)
      else await handle(at, doomed[at]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(WORKERS, doomed.length) }, work))

  const warnings = failures.warnings()
  if (notTried > 0)
    warnings.push(
      `Stopped deleting after ${MAX_FAILURES_IN_A_ROW} failed calls in a row: ${plural(notTried, 'more bundle')} due for deletion ${notTried === 1 ? 'was' : 'were'} kept; a later run deletes them once the calls succeed.`
    )
  return {
    deleted: doomed.filter((b) => deleted.has(b)),
    kept: kept.sort((a, b) => a.at - b.at).map(({ at, reason }) => ({ ...doomed[at]!, reason })),
    warnings
  }
}

/**
 * The failed calls: the first of each call and error code in full (it says what to grant), the
 * others of that kind counted, so a missing permission is one warning, not one per bundle.
 */
class FailureLog {
  private readonly kinds = new Map<string, { first: string; more: number }>()
  /** Failures in a row of each call: a HeadObject that works says nothing of DeleteObject. */
  private readonly streaks = new Map<string, number>()

  /** The longest run of failures of one call now. */
  get inARow(): number {
    return Math.max(0, ...this.streaks.values())
  }

  add(call: string, err: unknown, what: string): void {
    this.streaks.set(call, (this.streaks.get(call) ?? 0) + 1)
    const code = err instanceof AwsCallError ? err.code : 'Error'
    const kind = this.kinds.get(`${call} ${code}`)
    if (kind) kind.more++
    else this.kinds.set(`${call} ${code}`, { first: `${what} ${describe(err)}`, more: 0 })
  }

  succeeded(call: string): void {
    this.streaks.set(call, 0)
  }

  warnings(): string[] {
    return [...this.kinds.entries()].map(([kind, { first, more }]) =>
      more === 0
        ? first
        : `${first} (${plural(more, 'more call')} failed the same way: S3 ${kind}.)`
    )
  }
}

export function where(ctx: Pick<BucketAccess, 'bucket'>, bundle: StoredBundle): string {
  return `s3://${ctx.bucket}/${bundle.key}${bundle.versionId ? ` (version ${bundle.versionId})` : ''}`
}

export function describe(err: unknown): string {
  return err instanceof ActionError
    ? err.describe()
    : err instanceof Error
      ? err.message
      : String(err)
}
