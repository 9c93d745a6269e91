// Deletes the bundles the plan gave up, oldest first: each one only after HeadObject shows the
// action uploaded it, at most MAX_DELETIONS a run, a few at a time. A refused call stops the
// rest (they would be refused too); a cancel stops it between calls. Nothing here throws.
import { ActionError, AwsCallError } from '../common/errors.js'
import type { Logger } from '../common/log.js'
import { isAccessDenied } from '../aws/aws-errors.js'
import { deleteBundle, provenance, type BucketAccess } from './s3-bundles.js'
import type { StoredBundle } from './types.js'

export const MAX_DELETIONS = 1000
/** Calls in flight at once: a first run on a full prefix takes seconds, not a minute. */
const WORKERS = 4
/** Failures (other than a refusal) after which the rest is left for a later run. */
const MAX_FAILURES = 5

export const FOREIGN_REASON = 'not uploaded by this action (its metadata has no sha256)'
export const CANCELLED_REASON = 'not looked at: the run was cancelled'

export interface DeletionOutcome {
  /** In the plan's order, oldest first. */
  deleted: StoredBundle[]
  kept: Array<StoredBundle & { reason: string }>
  warnings: string[]
}

export async function deleteBundles(
  ctx: BucketAccess & { log: Logger; signal?: AbortSignal },
  doomed: readonly StoredBundle[]
): Promise<DeletionOutcome> {
  const deleted = new Set<StoredBundle>()
  const kept: Array<{ at: number; bundle: StoredBundle; reason: string }> = []
  const warnings: string[] = []
  let next = 0
  let attempted = 0
  let failures = 0
  let stopped: { reason: string; count: number } | undefined

  const keep = (at: number, reason: string): void => {
    const bundle = doomed[at]!
    kept.push({ at, bundle, reason })
    ctx.log.debug(`Kept ${where(ctx, bundle)}: ${reason}`)
  }
  const failed = (err: unknown, call: string): void => {
    failures++
    const cause = err instanceof AwsCallError ? err.cause : err
    if (isAccessDenied(cause)) stopped ??= { reason: `not tried: ${call} was refused`, count: 0 }
    else if (failures >= MAX_FAILURES)
      stopped ??= { reason: `not tried: ${failures} calls failed before it`, count: 0 }
  }

  const work = async (): Promise<void> => {
    while (next < doomed.length) {
      const at = next++
      const bundle = doomed[at]!
      if (ctx.signal?.aborted) {
        keep(at, CANCELLED_REASON)
        continue
      }
      if (stopped) {
        stopped.count++
        keep(at, stopped.reason)
        continue
      }
      if (attempted >= MAX_DELETIONS) {
        keep(at, `left for a later run: at most ${MAX_DELETIONS} deletions a run`)
        continue
      }
      let origin: Awaited<ReturnType<typeof provenance>>
      try {
        origin = await provenance(ctx, bundle)
      } catch (err) {
        if (ctx.signal?.aborted) {
          keep(at, CANCELLED_REASON)
          continue
        }
        warnings.push(
          `Kept ${where(ctx, bundle)}: could not check that this action uploaded it. ${describe(err)}`
        )
        keep(at, 'could not check that this action uploaded it (HeadObject failed)')
        failed(err, 'HeadObject')
        continue
      }
      if (origin === 'gone') {
        ctx.log.debug(`${where(ctx, bundle)} is already gone.`)
        continue
      }
      if (origin === 'foreign') {
        keep(at, FOREIGN_REASON)
        continue
      }
      attempted++
      try {
        await deleteBundle(ctx, bundle)
        deleted.add(bundle)
        ctx.log.info(
          `Deleted ${where(ctx, bundle)}, last modified ${bundle.lastModified.toISOString()}.`
        )
      } catch (err) {
        warnings.push(`Could not delete ${where(ctx, bundle)}. ${describe(err)}`)
        keep(at, 'not deleted: DeleteObject failed')
        failed(err, 'DeleteObject')
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(WORKERS, doomed.length) }, work))

  if (stopped && stopped.count > 0)
    warnings.push(
      `Stopped deleting after the failures above: ${stopped.count} more bundle${stopped.count === 1 ? '' : 's'} due for deletion ${stopped.count === 1 ? 'was' : 'were'} kept; a later run deletes them once the calls are allowed.`
    )
  return {
    deleted: doomed.filter((b) => deleted.has(b)),
    kept: kept.sort((a, b) => a.at - b.at).map(({ bundle, reason }) => ({ ...bundle, reason })),
    warnings
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
