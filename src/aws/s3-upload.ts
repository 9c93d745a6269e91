// Puts the bundle in S3: reuses an identical object when one is there, otherwise streams the file
// up in parts with bounded memory, and never leaves a half-finished multipart upload behind.

import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { ActionError } from '../errors.js'
import { realSleep, type Logger } from '../log.js'
import {
  describeAwsError,
  isAbortError,
  networkCode,
  toAwsCallError,
  type AwsErrorHints
} from './aws-errors.js'
import { UploadProgress, formatDuration, formatMiB, formatRate } from './upload-progress.js'

export interface UploadBundleOptions {
  s3: S3Client
  bucket: string
  key: string
  filePath: string
  size: number
  /** Hex sha256 of the file; stored as the object's `sha256` metadata and compared on re-runs. */
  sha256: string
  sse?: 'AES256' | 'aws:kms'
  sseKmsKeyId?: string
  expectedBucketOwner?: string
  log: Logger
  /** Aborting it cancels the upload in flight and aborts the multipart upload. */
  signal?: AbortSignal
  now?: () => number
  partSize?: number
  queueSize?: number
}

export interface UploadResult {
  /** Without quotes, as CreateDeployment wants it. */
  etag: string
  /** Absent on an unversioned bucket. */
  versionId?: string
  /** false when an identical object (same sha256 and size) was already there. */
  uploaded: boolean
}

const MIB = 1024 * 1024
const MAX_PARTS = 10_000
/** aws s3 cp's part size; memory stays near queueSize × partSize whatever the bundle size. */
export const MIN_PART_SIZE = 8 * MIB
export const DEFAULT_QUEUE_SIZE = 4

/** The part size for a file: at least MIN_PART_SIZE, grown in whole MiB so there are at most 10,000 parts. */
export function choosePartSize(size: number, min = MIN_PART_SIZE): number {
  return Math.max(min, Math.ceil(Math.ceil(size / MAX_PARTS) / MIB) * MIB)
}

export function contentTypeFor(name: string): string {
  if (/\.zip$/i.test(name)) return 'application/zip'
  if (/\.(tgz|tar\.gz)$/i.test(name)) return 'application/gzip'
  if (/\.tar$/i.test(name)) return 'application/x-tar'
  return 'application/octet-stream'
}

export function stripQuotes(etag: string): string {
  return etag.replace(/"/g, '')
}

type S3Sdk = typeof import('@aws-sdk/client-s3')

type Existing =
  | { kind: 'absent' }
  | { kind: 'same'; etag: string; versionId?: string }
  | { kind: 'different'; sha256?: string; size?: number }
  | { kind: 'unknown' }

export async function uploadBundle(opts: UploadBundleOptions): Promise<UploadResult> {
  const { bucket, key, log } = opts
  const uri = `s3://${bucket}/${key}`
  throwIfCancelled(opts.signal, uri, false)
  const sdk = await import('@aws-sdk/client-s3')
  const where = await whereIs(opts.s3)

  const existing = await findExisting(sdk, opts, where)
  if (existing.kind === 'same') {
    log.info(
      `Reusing ${uri}: an object with the same sha256 and size is already there (ETag ${existing.etag}` +
        `${existing.versionId ? `, version ${existing.versionId}` : ''}); not uploading.`
    )
    return { etag: existing.etag, versionId: existing.versionId, uploaded: false }
  }
  if (existing.kind === 'different') {
    log.warning(
      `${uri} already exists with different content (sha256 ${existing.sha256 ?? 'not recorded'}, ` +
        `${existing.size ?? '?'} bytes) and is being overwritten. A deployment still running from the old object ` +
        'fails unless the bucket is versioned; keep {bundle_hash} in `key` so different content gets its own key.'
    )
  }
  if (existing.kind === 'unknown') {
    log.debug(
      `HeadObject on ${uri} was refused (403), so whether it already exists is unknown; uploading anyway ` +
        '(with the default key, one key always holds one bundle). Grant s3:GetObject and s3:ListBucket to let re-runs reuse it.'
    )
  }

  const sent = await transfer(sdk, opts, uri, where, existing.kind === 'unknown')
  return { ...(await completeResult(sdk, opts, uri, sent)), uploaded: true }
}

async function findExisting(
  sdk: S3Sdk,
  opts: UploadBundleOptions,
  where: Where
): Promise<Existing> {
  let head: HeadObjectCommandOutput
  try {
    head = await opts.s3.send(
      new sdk.HeadObjectCommand({
        Bucket: opts.bucket,
        Key: opts.key,
        ExpectedBucketOwner: opts.expectedBucketOwner
      }),
      { abortSignal: opts.signal }
    )
  } catch (err) {
    const { code, status } = describeAwsError(err)
    // S3 answers 404 both for a missing key and a missing bucket; the upload names which.
    if (status === 404 || code === 'NotFound' || code === 'NoSuchKey') return { kind: 'absent' }
    // Without s3:ListBucket, S3 says 403 for a missing key, so 403 cannot mean "present".
    // A 403 from a bucket of another account looks the same; the upload's error body says which.
    if (status === 403) return { kind: 'unknown' }
    if (isAbortError(err) || opts.signal?.aborted)
      throwIfCancelled(opts.signal, `s3://${opts.bucket}/${opts.key}`, false)
    throw toAwsCallError(
      'S3 HeadObject',
      err,
      s3Hints(opts, where, err, ['s3:GetObject', 's3:ListBucket'])
    )
  }
  const sha256 = head.Metadata?.sha256
  if (sha256 === opts.sha256 && head.ContentLength === opts.size && head.ETag) {
    return { kind: 'same', etag: stripQuotes(head.ETag), versionId: versionOf(head.VersionId) }
  }
  return { kind: 'different', sha256, size: head.ContentLength }
}

/** Runs the multipart (or single PUT) upload; on any failure or cancel, aborts it before throwing. */
async function transfer(
  sdk: S3Sdk,
  opts: UploadBundleOptions,
  uri: string,
  where: Where,
  headRefused: boolean
): Promise<{ etag?: string; versionId?: string }> {
  const { Upload } = await import('@aws-sdk/lib-storage')
  const { s3, log } = opts
  const partSize = opts.partSize ?? choosePartSize(opts.size)
  const queueSize = opts.queueSize ?? DEFAULT_QUEUE_SIZE
  const parts = Math.max(1, Math.ceil(opts.size / partSize))
  const progress = new UploadProgress(opts.size, log, opts.now ?? Date.now)
  log.info(
    `Uploading ${basename(opts.filePath)} (${formatMiB(opts.size)}) to ${uri}` +
      (parts > 1 ? ` in ${parts} parts of ${formatMiB(partSize)}` : '')
  )

  // One controller for everything in flight: the first failed request or the caller's signal
  // cancels the other parts at once, instead of letting lib-storage upload the rest of the file.
  const stop = new AbortController()
  const inflight = new Set<Promise<unknown>>()
  let failure: { call: string; err: unknown } | undefined
  let uploadId: string | undefined
  let completed = false

  const send = (command: object, options?: object): Promise<unknown> => {
    const call = `S3 ${callName(sdk, command)}`
    if (stop.signal.aborted)
      return Promise.reject(Object.assign(new Error('Upload aborted.'), { name: 'AbortError' }))
    // Create and Complete are short and change server state: let them finish, so an upload
    // that was created is known and can be aborted, and a completed one is not half-reported.
    const cancellable = !(
      command instanceof sdk.CreateMultipartUploadCommand ||
      command instanceof sdk.CompleteMultipartUploadCommand
    )
    const request = Promise.resolve(
      (s3.send as (c: object, o?: object) => Promise<unknown>)(command, {
        ...options,
        ...(cancellable ? { abortSignal: stop.signal } : {})
      })
    ).then(
      (out) => {
        if (command instanceof sdk.CreateMultipartUploadCommand)
          uploadId = (out as { UploadId?: string }).UploadId
        if (command instanceof sdk.CompleteMultipartUploadCommand) completed = true
        return out
      },
      (err: unknown) => {
        if (!stop.signal.aborted) {
          failure = { call, err }
          stop.abort()
          void upload.abort()
        }
        throw err
      }
    )
    inflight.add(request)
    request.then(
      () => inflight.delete(request),
      () => inflight.delete(request)
    )
    return request
  }
  const client = Object.assign(Object.create(s3) as S3Client, { send })

  const body = createReadStream(opts.filePath, { highWaterMark: MIB })
  const upload = new Upload({
    client,
    params: {
      Bucket: opts.bucket,
      Key: opts.key,
      Body: body,
      ContentLength: opts.size,
      ContentType: contentTypeFor(opts.filePath),
      Metadata: { sha256: opts.sha256 },
      ServerSideEncryption: opts.sse,
      SSEKMSKeyId: opts.sse === 'aws:kms' ? opts.sseKmsKeyId : undefined,
      ExpectedBucketOwner: opts.expectedBucketOwner
    },
    partSize,
    queueSize,
    // lib-storage's own abort runs in the background after done() has rejected; ours is awaited.
    leavePartsOnError: true
  })
  upload.on('httpUploadProgress', (p) => progress.update(p.loaded ?? 0))

  const onCancel = (): void => {
    if (stop.signal.aborted) return
    stop.abort()
    void upload.abort()
  }
  opts.signal?.addEventListener('abort', onCancel, { once: true })
  try {
    if (opts.signal?.aborted) onCancel()
    const out = await upload.done()
    const ms = progress.elapsed()
    log.info(
      `Uploaded ${formatMiB(opts.size)} to ${uri} in ${formatDuration(ms)} (${formatRate(opts.size, ms)})`
    )
    return {
      etag: out.ETag ? stripQuotes(out.ETag) : undefined,
      versionId: versionOf(out.VersionId)
    }
  } catch (err) {
    if (!stop.signal.aborted) stop.abort()
    await Promise.allSettled([...inflight])
    if (uploadId && !completed) await abortMultipart(sdk, opts, uri, uploadId)
    if (opts.signal?.aborted) throwIfCancelled(opts.signal, uri, true)
    const cause = failure ?? { call: 'S3 Upload', err }
    throw uploadError(opts, where, cause.call, cause.err, headRefused)
  } finally {
    opts.signal?.removeEventListener('abort', onCancel)
    body.destroy()
  }
}

/**
 * Tries this long in all (the SDK's own retries aside) to abort when S3 is unreachable or failing:
 * an upload that broke because S3 went away is usually aborted once it is back.
 */
const ABORT_RETRY_DELAYS_MS = [2000, 4000, 6000, 8000]

async function abortMultipart(
  sdk: S3Sdk,
  opts: UploadBundleOptions,
  uri: string,
  uploadId: string
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await opts.s3.send(
        new sdk.AbortMultipartUploadCommand({
          Bucket: opts.bucket,
          Key: opts.key,
          UploadId: uploadId,
          ExpectedBucketOwner: opts.expectedBucketOwner
        })
      )
      opts.log.debug(`Aborted multipart upload ${uploadId} of ${uri}; no parts remain.`)
      return
    } catch (err) {
      const { code, status } = describeAwsError(err)
      if (code === 'NoSuchUpload') return
      const delay = ABORT_RETRY_DELAYS_MS[attempt]
      if (delay !== undefined && (networkCode(err) || (status ?? 0) >= 500)) {
        opts.log.debug(`Aborting multipart upload ${uploadId} failed (${code}); trying again.`)
        await realSleep(delay)
        continue
      }
      const why =
        networkCode(err) || (status ?? 0) >= 500 ? '' : ' The role needs s3:AbortMultipartUpload.'
      opts.log.warning(
        `Could not abort multipart upload ${uploadId} of ${uri} (${code}): its parts stay in the bucket (not as an object) ` +
          `until an AbortIncompleteMultipartUpload lifecycle rule removes them.${why}`
      )
      return
    }
  }
}

function uploadError(
  opts: UploadBundleOptions,
  where: Where,
  call: string,
  err: unknown,
  headRefused: boolean
): Error {
  // File-system errors name the file; a socket's EPIPE or ECONNRESET (S3 going away mid-upload)
  // has a syscall too, but no path, and is reported as the S3 call that failed.
  const e = err as { code?: unknown; path?: unknown; message?: unknown }
  if (typeof e.path === 'string' || /^Expected \d+ part/.test(String(e.message))) {
    return new ActionError(
      `Could not read the bundle ${opts.filePath} while uploading (${String(e.code ?? 'size changed')}).`,
      'It was changed or removed during the upload; re-run the job.'
    )
  }
  const actions = [
    's3:PutObject',
    ...(opts.sse === 'aws:kms' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : [])
  ]
  const mapped = toAwsCallError(call, err, s3Hints(opts, where, err, actions))
  if (headRefused && mapped.code !== 'NoSuchBucket') {
    return new ActionError(
      mapped.message,
      `${mapped.fix} (HeadObject on the key was refused too: s3:GetObject / s3:ListBucket.)`
    )
  }
  return mapped
}

function s3Hints(
  opts: UploadBundleOptions,
  { region, endpoint }: Where,
  err: unknown,
  iamActions: string[]
): AwsErrorHints {
  const bucketRegion = headerOf(err, 'x-amz-bucket-region')
  const wrongRegion =
    `Bucket '${opts.bucket}' is not in region ${region}${bucketRegion ? ` (it is in ${bucketRegion})` : ''}: set \`region\` ` +
    "to the bucket's region; CodeDeploy needs the bucket in the same region as the deployment group."
  const byCode: Record<string, string> = {
    NoSuchBucket: `Bucket '${opts.bucket}' does not exist in region ${region}: check \`bucket\` and \`region\`.`,
    PermanentRedirect: wrongRegion,
    TemporaryRedirect: wrongRegion,
    AuthorizationHeaderMalformed: wrongRegion,
    IllegalLocationConstraintException: wrongRegion,
    NoSuchUpload:
      'The multipart upload was removed while it ran (a lifecycle rule or another process): re-run the job.',
    InvalidEncryptionAlgorithmError: 'Check `sse`: it must be AES256 or aws:kms.',
    'KMS.NotFoundException': `The KMS key in \`sse-kms-key-id\` was not found in region ${region}: check the key id or alias and its region.`,
    'KMS.DisabledException':
      'The KMS key in `sse-kms-key-id` is disabled: enable it or use another key.',
    'KMS.KMSInvalidStateException':
      'The KMS key in `sse-kms-key-id` is pending deletion or not usable: use another key.'
  }
  if (opts.expectedBucketOwner) {
    const owner =
      `Access to bucket '${opts.bucket}' was denied: either it belongs to another account than ` +
      `${opts.expectedBucketOwner} (check \`expected-bucket-owner\`), or the role lacks ${iamActions.join(', ')} ` +
      `on arn:aws:s3:::${opts.bucket}/${opts.key}.`
    byCode.AccessDenied = owner
    byCode.Forbidden = owner
  }
  return {
    iamActions,
    endpoint,
    resource: `arn:aws:s3:::${opts.bucket}/${opts.key}`,
    byCode,
    fallback: 'Check `bucket`, `key`, `sse` and `sse-kms-key-id`.'
  }
}

/** The region and endpoint, for messages. */
interface Where {
  region: string
  endpoint: string
}

async function whereIs(s3: S3Client): Promise<Where> {
  const region = await s3.config.region().catch(() => 'the configured region')
  const custom = await s3.config.endpoint?.().catch(() => undefined)
  const endpoint = custom
    ? `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ''}`
    : `S3 in ${region}`
  return { region, endpoint }
}

async function completeResult(
  sdk: S3Sdk,
  opts: UploadBundleOptions,
  uri: string,
  sent: { etag?: string; versionId?: string }
): Promise<{ etag: string; versionId?: string }> {
  let { etag, versionId } = sent
  // Some S3-compatible servers leave VersionId (or even the ETag) out of CompleteMultipartUpload;
  // a HEAD on the key has both. On an unversioned bucket it simply has no version.
  if (!etag || !versionId) {
    try {
      const head = await opts.s3.send(
        new sdk.HeadObjectCommand({
          Bucket: opts.bucket,
          Key: opts.key,
          ExpectedBucketOwner: opts.expectedBucketOwner
        }),
        { abortSignal: opts.signal }
      )
      const headEtag = head.ETag ? stripQuotes(head.ETag) : undefined
      // Only trust the HEAD if it sees the object we wrote, not one written after it.
      if (!etag) etag = headEtag
      if (!versionId && headEtag === etag && head.Metadata?.sha256 === opts.sha256)
        versionId = versionOf(head.VersionId)
    } catch (err) {
      opts.log.debug(
        `HeadObject after the upload failed (${describeAwsError(err).code}); version id unknown.`
      )
    }
  }
  if (!etag) {
    throw new ActionError(
      `S3 returned no ETag for ${uri}.`,
      'CodeDeploy needs it to pin the revision: check that the endpoint is S3 or fully S3-compatible.'
    )
  }
  return { etag, versionId }
}

function versionOf(id: string | undefined): string | undefined {
  // 'null' is what S3 reports for objects written while versioning was off or suspended.
  return id && id !== 'null' ? id : undefined
}

function callName(sdk: S3Sdk, command: object): string {
  if (command instanceof sdk.PutObjectCommand) return 'PutObject'
  if (command instanceof sdk.CreateMultipartUploadCommand) return 'CreateMultipartUpload'
  if (command instanceof sdk.UploadPartCommand) return 'UploadPart'
  if (command instanceof sdk.CompleteMultipartUploadCommand) return 'CompleteMultipartUpload'
  return 'Upload'
}

function headerOf(err: unknown, name: string): string | undefined {
  const headers = (
    err as { $response?: { headers?: Record<string, string | undefined> } } | undefined
  )?.$response?.headers
  return headers?.[name]
}

function throwIfCancelled(signal: AbortSignal | undefined, uri: string, started: boolean): void {
  if (!signal?.aborted) return
  throw new ActionError(
    `Upload to ${uri} was cancelled.`,
    started
      ? 'The multipart upload was aborted; no partial object was left in the bucket.'
      : 'Nothing was uploaded.'
  )
}
