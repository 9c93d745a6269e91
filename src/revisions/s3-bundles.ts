// The S3 calls of the retention: list the prefix (every version), check that an object is one the
// action uploaded, delete one object or version. Each is retried on transient errors and throws
// an AwsCallError naming the call, the object and what to grant.
import type { ObjectVersion, S3Client } from '@aws-sdk/client-s3'
import { AwsCallError } from '../common/errors.js'
import type { AwsErrorHints } from '../aws/aws-errors.js'
import { callServiceWithRetry, type RetryOptions } from '../aws/retry.js'
import type { StoredBundle } from './types.js'

export interface BucketAccess {
  s3: S3Client
  bucket: string
  expectedBucketOwner?: string
  retry: RetryOptions
}

/** 10 pages of 1,000: a prefix holding more is pruned from its first 10,000 versions, run after run. */
export const MAX_LIST_PAGES = 10

export interface Listing {
  objects: StoredBundle[]
  /** false when the prefix holds more than MAX_LIST_PAGES pages. */
  complete: boolean
}

/**
 * Every version under the prefix. ListObjectVersions answers on an unversioned bucket too (each
 * object once, version 'null'), so one call serves both and no GetBucketVersioning is needed.
 */
export async function listBundles(ctx: BucketAccess, prefix: string): Promise<Listing> {
  const sdk = await import('@aws-sdk/client-s3')
  const versions: ObjectVersion[] = []
  let deleteMarkers = false
  let KeyMarker: string | undefined
  let VersionIdMarker: string | undefined
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const out = await callServiceWithRetry(
      'S3 ListObjectVersions',
      () =>
        ctx.s3.send(
          new sdk.ListObjectVersionsCommand({
            Bucket: ctx.bucket,
            ...(prefix ? { Prefix: prefix } : {}),
            KeyMarker,
            VersionIdMarker,
            ExpectedBucketOwner: ctx.expectedBucketOwner
          }),
          abortable(ctx)
        ),
      ctx.retry,
      hints(ctx, ['s3:ListBucketVersions'], `arn:aws:s3:::${ctx.bucket}`, prefix)
    )
    versions.push(...(out.Versions ?? []))
    deleteMarkers ||= (out.DeleteMarkers ?? []).length > 0
    KeyMarker = out.NextKeyMarker
    VersionIdMarker = out.NextVersionIdMarker
    if (!out.IsTruncated) return { objects: toBundles(versions, deleteMarkers), complete: true }
    if (!KeyMarker) break
  }
  return { objects: toBundles(versions, deleteMarkers), complete: false }
}

/**
 * An object written while versioning was off has version 'null'. On a bucket that versions now
 * (other versions or delete markers show it), only a delete naming 'null' removes it; on an
 * unversioned one the plain delete does, and the version is left out.
 */
function toBundles(versions: readonly ObjectVersion[], deleteMarkers: boolean): StoredBundle[] {
  const versioned = deleteMarkers || versions.some((v) => v.VersionId && v.VersionId !== 'null')
  return versions.flatMap((v) =>
    v.Key && v.LastModified
      ? [
          {
            key: v.Key,
            ...(versioned && v.VersionId ? { versionId: v.VersionId } : {}),
            lastModified: v.LastModified,
            size: v.Size ?? 0,
            ...(versioned ? { isLatest: v.IsLatest === true } : {})
          }
        ]
      : []
  )
}

/** `ours`: its metadata has the sha256 the action always writes; `gone`: deleted since the listing. */
export type Provenance = 'ours' | 'foreign' | 'gone'

export async function provenance(ctx: BucketAccess, bundle: StoredBundle): Promise<Provenance> {
  const sdk = await import('@aws-sdk/client-s3')
  try {
    const head = await callServiceWithRetry(
      'S3 HeadObject',
      () =>
        ctx.s3.send(
          new sdk.HeadObjectCommand({
            Bucket: ctx.bucket,
            Key: bundle.key,
            VersionId: bundle.versionId,
            ExpectedBucketOwner: ctx.expectedBucketOwner
          }),
          abortable(ctx)
        ),
      ctx.retry,
      hints(
        ctx,
        [bundle.versionId ? 's3:GetObjectVersion' : 's3:GetObject'],
        objectArn(ctx, bundle)
      )
    )
    return /^[0-9a-f]{64}$/.test(head.Metadata?.sha256 ?? '') ? 'ours' : 'foreign'
  } catch (err) {
    if (
      err instanceof AwsCallError &&
      ['NotFound', 'NoSuchKey', 'NoSuchVersion'].includes(err.code)
    )
      return 'gone'
    throw err
  }
}

/**
 * Deletes the object, or with a version id that version (a delete without one only hides the
 * object behind a delete marker in a versioned bucket). Not cancellable once sent: whether it
 * happened must be known for the report.
 */
export async function deleteBundle(
  ctx: BucketAccess,
  bundle: StoredBundle
): Promise<'deleted' | 'cancelled'> {
  const sdk = await import('@aws-sdk/client-s3')
  // The last moment a cancel can still keep the bundle.
  if (ctx.retry.signal?.aborted) return 'cancelled'
  await callServiceWithRetry(
    'S3 DeleteObject',
    () =>
      ctx.s3.send(
        new sdk.DeleteObjectCommand({
          Bucket: ctx.bucket,
          Key: bundle.key,
          VersionId: bundle.versionId,
          ExpectedBucketOwner: ctx.expectedBucketOwner
        })
      ),
    ctx.retry,
    hints(
      ctx,
      [bundle.versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject'],
      objectArn(ctx, bundle)
    )
  )
  return 'deleted'
}

function objectArn(ctx: BucketAccess, bundle: StoredBundle): string {
  return `arn:aws:s3:::${ctx.bucket}/${bundle.key}`
}

function abortable(ctx: BucketAccess): { abortSignal?: AbortSignal } {
  return ctx.retry.signal ? { abortSignal: ctx.retry.signal } : {}
}

function hints(
  ctx: BucketAccess,
  iamActions: string[],
  resource: string,
  prefix?: string
): AwsErrorHints {
  const on = prefix === undefined ? resource : `${resource} (condition s3:prefix '${prefix}*')`
  const byCode: Record<string, string> = {
    NoSuchBucket: `Bucket '${ctx.bucket}' does not exist: check \`bucket\` and \`region\`.`
  }
  if (ctx.expectedBucketOwner) {
    const denied =
      `Access to bucket '${ctx.bucket}' was denied: either it belongs to another account than ` +
      `${ctx.expectedBucketOwner} (check \`expected-bucket-owner\`), or the role lacks ${iamActions.join(', ')} on ${on}.`
    byCode.AccessDenied = denied
    byCode.Forbidden = denied
  }
  return {
    iamActions,
    resource: on,
    byCode,
    fallback: 'Check `bucket` and `key`; the bundles stay until a later run deletes them.'
  }
}
