// keep-revisions after a successful deployment: read what every deployment group still needs,
// list the prefix, plan, and delete this application's older bundles the action uploaded.
// Safety over tidiness: when any CodeDeploy read or the listing fails, nothing is deleted; a
// failure is a warning in the report, never a failed step.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { S3Client } from '@aws-sdk/client-s3'
import { realSleep, type Logger, type Sleep } from '../common/log.js'
import { plural } from '../common/plural.js'
import type { RetryOptions } from '../aws/retry.js'
import { deleteBundles, describe, where } from './deletion.js'
import { listingPrefix, namesTheApplication } from './key-shape.js'
import { readProtectedRevisions } from './protected-revisions.js'
import { planRetention } from './retention-plan.js'
import { listBundles, MAX_LIST_PAGES, type BucketAccess } from './s3-bundles.js'
import type { ProtectedRevision, RetentionReport } from './types.js'

export interface PruneRevisionsOptions {
  s3: S3Client
  codedeploy: CodeDeployClient
  bucket: string
  application: string
  /** The `key` input, as the upload rendered it. */
  keyTemplate: string
  /** keep-revisions: 0 keeps everything (no call is made). */
  keep: number
  /** The object this run deployed: never deleted. */
  deployed: { key: string; versionId?: string }
  log: Logger
  /** The run's cancel: stops the retention between calls. */
  signal?: AbortSignal
  expectedBucketOwner?: string
  /** Waits between retries (tests pass a fake one); the real timer by default. */
  sleep?: Sleep
}

/** Every call is tried this often in all (throttling, 5xx, a dropped connection). */
const ATTEMPTS = 3

export async function pruneRevisions(opts: PruneRevisionsOptions): Promise<RetentionReport> {
  const prefix = listingPrefix(opts.keyTemplate, opts.application)
  const report: RetentionReport = { keep: opts.keep, prefix, deleted: [], kept: [], warnings: [] }
  if (opts.keep <= 0) return report
  const { log } = opts
  const warn = (text: string): void => {
    report.warnings.push(text)
    log.warning(text)
  }
  const title = `Old revisions (keep-revisions: ${opts.keep})`
  log.startGroup(`${title}: bundles of '${opts.application}' under s3://${opts.bucket}/${prefix}`)
  let needed = 0
  try {
    needed = await prune(opts, report, warn)
  } finally {
    log.endGroup()
  }
  const warnings = report.warnings.length ? `, ${plural(report.warnings.length, 'warning')}` : ''
  log.info(
    `${title}: deleted ${plural(report.deleted.length, 'bundle')}, kept ${report.kept.length}` +
      `${needed ? ` (${needed} that CodeDeploy needs or this run deployed)` : ''}${warnings}.`
  )
  return report
}

/** Fills the report; returns how many kept bundles are protected (CodeDeploy needs them). */
async function prune(
  opts: PruneRevisionsOptions,
  report: RetentionReport,
  warn: (text: string) => void
): Promise<number> {
  const { log, signal } = opts
  const retry: RetryOptions = {
    log,
    sleep: opts.sleep ?? realSleep,
    attempts: ATTEMPTS,
    ...(signal ? { signal } : {})
  }
  const bucket: BucketAccess = {
    s3: opts.s3,
    bucket: opts.bucket,
    ...(opts.expectedBucketOwner ? { expectedBucketOwner: opts.expectedBucketOwner } : {}),
    retry
  }
  /** Whether the run was cancelled, said once as a warning: the report is then incomplete. */
  const stopIfCancelled = (): boolean => {
    if (signal?.aborted)
      warn('keep-revisions stopped: the run was cancelled. Nothing more was deleted.')
    return signal?.aborted === true
  }
  if (stopIfCancelled()) return 0

  let needed: ProtectedRevision[]
  try {
    needed = await readProtectedRevisions({ codedeploy: opts.codedeploy, retry }, opts.application)
  } catch (err) {
    if (stopIfCancelled()) return 0
    warn(
      `keep-revisions deleted nothing: could not read which revisions the deployment groups of '${opts.application}' still need ` +
        `(a rollback, a deployment in progress, a new Auto Scaling instance). ${describe(err)}`
    )
    return 0
  }
  if (stopIfCancelled()) return 0

  let listing: Awaited<ReturnType<typeof listBundles>>
  try {
    listing = await listBundles(bucket, report.prefix)
  } catch (err) {
    if (stopIfCancelled()) return 0
    warn(
      `keep-revisions deleted nothing: could not list s3://${opts.bucket}/${report.prefix}. ${describe(err)}`
    )
    return 0
  }
  if (!listing.complete)
    log.info(
      `s3://${opts.bucket}/${report.prefix} holds more than ${MAX_LIST_PAGES * 1000} versions: only the first ${MAX_LIST_PAGES * 1000} are looked at; later runs go on.`
    )
  if (!namesTheApplication(opts.keyTemplate))
    log.info(
      `The key template has no {application}: every bundle of its shape under s3://${opts.bucket}/${report.prefix} counts as '${opts.application}''s. ` +
        "Give other applications' bundles another prefix, or put {application} in `key`."
    )

  const plan = planRetention({
    bucket: opts.bucket,
    keyTemplate: opts.keyTemplate,
    application: opts.application,
    keep: opts.keep,
    objects: listing.objects,
    protectedRevisions: needed,
    deployed: opts.deployed
  })
  if (plan.ignored > 0)
    log.debug(
      `${plural(plan.ignored, 'object')} under the prefix ${plan.ignored === 1 ? 'is' : 'are'} not of the key template's shape for '${opts.application}': left alone.`
    )
  for (const k of plan.kept) {
    const line = `Kept ${where(bucket, k)}: ${k.reason}.`
    if (k.protected) log.info(line)
    else log.debug(line)
  }
  report.kept.push(...plan.kept.map((k) => ({ ...ref(k.key, k.versionId), reason: k.reason })))

  const outcome = await deleteBundles(
    { ...bucket, log, ...(signal ? { signal } : {}) },
    plan.delete
  )
  report.deleted.push(
    ...outcome.deleted.map((d) => ({ ...ref(d.key, d.versionId), lastModified: d.lastModified }))
  )
  report.kept.push(...outcome.kept.map((k) => ({ ...ref(k.key, k.versionId), reason: k.reason })))
  for (const w of outcome.warnings) warn(w)
  stopIfCancelled()
  return plan.kept.filter((k) => k.protected).length
}

/** The report's form of an object: the version only where there is one. */
function ref(key: string, versionId: string | undefined): { key: string; versionId?: string } {
  return { key, ...(versionId ? { versionId } : {}) }
}
