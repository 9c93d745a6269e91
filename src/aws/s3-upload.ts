// Puts the bundle in S3: reuses an identical object when one is there, otherwise streams the file
// up in parts with bounded memory, and never leaves a half-finished multipart upload behind.

import { open, type FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { basename } from 'node:path'
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { ActionError } from '../common/errors.js'
import { realSleep, type Logger, type Sleep } from '../common/log.js'
import {
  describeAwsError,
  isAbortError,
  isThrottling,
  isTransient,
  toAwsCallError,
  type AwsErrorHints
} from './aws-errors.js'
import { backoffMs, retry } from './retry.js'
import { formatDuration } from '../common/duration.js'
import { UploadProgress, formatMiB, formatRate } from './upload-progress.js'
import { FilePart } from './file-part.js'

export interface UploadBundleOptions {
  s3: S3Client
  bucket: string
  key: string
  filePath: string
  size: number
  /** Hex sha256 of the file; stored as the object's `sha256` metadata and compared on re-runs. */
  sha256: string
  /**
   * More metadata for the object (provenance: the commit and run). An identical object is reused
   * only when it records the same `git-commit`, so the object always names the commit deployed.
   */
  metadata?: Record<string, string>
  sse?: 'AES256' | 'aws:kms'
  sseKmsKeyId?: string
  expectedBucketOwner?: string
  log: Logger
  /** Waits between retries (tests pass a fake one); the real timer by default. */
  sleep?: Sleep
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
/**
 * Ten parts in flight, as `aws s3 cp` keeps (its max_concurrent_requests): far from the bucket,
 * each connection carries about a TCP window per round trip, so the number of connections sets
 * the speed (bench/REPORT.md, upload@RTT). Parts are streamed from the bundle file through a
 * few reused buffers (file-part.ts), so memory does not grow with them.
 */
export const MIN_PART_SIZE = 8 * MIB
export const DEFAULT_QUEUE_SIZE = 10
/** What the checksum pass reads at a time. */
const PART_READ_AHEAD = 256 * 1024

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
  /** The same bytes, recorded as built from another commit: uploaded again to record this one. */
  | { kind: 'other-commit'; commit: string }
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
  if (existing.kind === 'other-commit') {
    log.info(
      `${uri} already holds this bundle, built from ${existing.commit ? `commit ${existing.commit}` : 'no recorded commit'}; ` +
        `uploading it again so the object records commit ${opts.metadata?.['git-commit'] ?? ''}.`
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
  const commit = opts.metadata?.['git-commit']
  const sameCommit = !commit || head.Metadata?.['git-commit'] === commit
  if (sha256 === opts.sha256 && head.ContentLength === opts.size && head.ETag) {
    if (!sameCommit) return { kind: 'other-commit', commit: head.Metadata?.['git-commit'] ?? '' }
    return { kind: 'same', etag: stripQuotes(head.ETag), versionId: versionOf(head.VersionId) }
  }
  return { kind: 'different', sha256, size: head.ContentLength }
}

/**
 * Runs the multipart (or single PUT) upload; on any failure or cancel, aborts it before throwing.
 * Each part is read from the file into one of `queueSize` reused buffers and sent as a Buffer
 * body (a stream would be sent aws-chunked, which some S3-compatible servers refuse), so memory
 * stays at queueSize × partSize and no dropped part buffers wait for the garbage collector.
 */
async function transfer(
  sdk: S3Sdk,
  opts: UploadBundleOptions,
  uri: string,
  where: Where,
  headRefused: boolean
): Promise<{ etag?: string; versionId?: string }> {
  const { s3, log } = opts
  const partSize = opts.partSize ?? choosePartSize(opts.size)
  const queueSize = Math.max(1, opts.queueSize ?? DEFAULT_QUEUE_SIZE)
  const parts = Math.max(1, Math.ceil(opts.size / partSize))
  const progress = new UploadProgress(opts.size, log, opts.now ?? Date.now)
  log.info(
    `Uploading ${basename(opts.filePath)} (${formatMiB(opts.size)}) to ${uri}` +
      (parts > 1 ? ` in ${parts} parts of ${formatMiB(partSize)}` : '')
  )

  // One controller for everything in flight: the first failed request or the caller's signal
  // cancels the other parts at once instead of letting the rest of the file go up.
  const stop = new AbortController()
  let failure: { call: string; err: unknown } | undefined
  /** Sends one request; a failure is recorded (the first one wins) and stops the rest. */
  const step = async <T>(call: string, request: () => Promise<T>): Promise<T> => {
    if (stop.signal.aborted) throw cancelled()
    try {
      return await request()
    } catch (err) {
      if (!stop.signal.aborted) {
        failure = { call: `S3 ${call}`, err }
        stop.abort()
      }
      throw err
    }
  }
  const onCancel = (): void => stop.abort()
  opts.signal?.addEventListener('abort', onCancel, { once: true })

  const target = {
    Bucket: opts.bucket,
    Key: opts.key,
    ExpectedBucketOwner: opts.expectedBucketOwner
  }
  const object = {
    ...target,
    ContentType: contentTypeFor(opts.filePath),
    Metadata: { ...opts.metadata, sha256: opts.sha256 },
    ServerSideEncryption: opts.sse,
    SSEKMSKeyId: opts.sse === 'aws:kms' ? opts.sseKmsKeyId : undefined
  }
  const cancellable = { abortSignal: stop.signal }
  let file: FileHandle | undefined
  let uploadId: string | undefined
  let completed = false
  try {
    if (opts.signal?.aborted) onCancel()
    file = await open(opts.filePath, 'r')
    let out: { ETag?: string; VersionId?: string }
    if (parts === 1) {
      const body = await readPart(file, opts.filePath, 0, Buffer.allocUnsafe(opts.size))
      out = await step('PutObject', () =>
        s3.send(
          new sdk.PutObjectCommand({ ...object, Body: body, ContentLength: opts.size }),
          cancellable
        )
      )
    } else {
      // Create and Complete are short and change server state: they are let finish, so an
      // upload that was created is known and can be aborted, and a completed one is not lost.
      const created = await step('CreateMultipartUpload', () =>
        s3.send(new sdk.CreateMultipartUploadCommand(object))
      )
      uploadId = created.UploadId
      const id = uploadId
      const etags: (string | undefined)[] = []
      let next = 0
      let loaded = 0
      const attempts = await s3.config.maxAttempts()
      const worker = async (source: FileHandle): Promise<void> => {
        while (!stop.signal.aborted && next < parts) {
          const index = next++
          const start = index * partSize
          const length = Math.min(partSize, opts.size - start)
          // The checksum S3 verifies, computed first: sent as a header, the part's bytes can
          // then stream from the file (a stream the SDK checksums itself goes aws-chunked,
          // which some S3-compatible servers refuse). Reading twice costs page-cache reads only.
          const checksum = await partCrc32(source, opts.filePath, start, length)
          const sent = await step('UploadPart', () =>
            // The SDK does not retry a streamed body (it cannot rewind it): each attempt here
            // opens the part afresh, with the client's number of attempts.
            retry(
              () =>
                s3.send(
                  new sdk.UploadPartCommand({
                    ...target,
                    UploadId: id,
                    PartNumber: index + 1,
                    Body: new FilePart(source, start, length, () => sizeChanged(opts.filePath)),
                    ContentLength: length,
                    ChecksumCRC32: checksum
                  }),
                  cancellable
                ),
              {
                attempts,
                retryable: (err) => isTransient(err) && !isAbortError(err),
                delayMs: (attempt, err) => backoffMs(attempt, isThrottling(err)),
                sleep: opts.sleep ?? realSleep,
                signal: stop.signal,
                onRetry: (err, attempt, ms) =>
                  log.debug(
                    `UploadPart ${index + 1} failed (${describeAwsError(err).code}); attempt ${attempt + 1} of ${attempts} in ${ms} ms.`
                  )
              }
            )
          )
          etags[index] = sent.ETag
          loaded += length
          progress.update(loaded)
        }
      }
      const source = file
      await Promise.all(
        Array.from({ length: Math.min(queueSize, parts) }, () =>
          worker(source).catch((err: unknown) => {
            // A read error: recorded like a failed request, so the other parts stop too.
            if (!stop.signal.aborted) {
              failure = { call: 'S3 Upload', err }
              stop.abort()
            }
          })
        )
      )
      if (stop.signal.aborted) throw failure?.err ?? cancelled()
      // A file that grew was read only up to its recorded size: not what was hashed.
      if ((await source.stat()).size !== opts.size) throw sizeChanged(opts.filePath)
      out = await step('CompleteMultipartUpload', () =>
        s3.send(
          new sdk.CompleteMultipartUploadCommand({
            ...target,
            UploadId: id,
            MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) }
          })
        )
      )
      completed = true
    }
    progress.update(opts.size)
    const ms = progress.elapsed()
    log.info(
      `Uploaded ${formatMiB(opts.size)} to ${uri} in ${formatDuration(ms, { precise: true })} (${formatRate(opts.size, ms)})`
    )
    return {
      etag: out.ETag ? stripQuotes(out.ETag) : undefined,
      versionId: versionOf(out.VersionId)
    }
  } catch (err) {
    if (!stop.signal.aborted) stop.abort()
    if (uploadId && !completed) await abortMultipart(sdk, opts, uri, uploadId)
    if (opts.signal?.aborted) throwIfCancelled(opts.signal, uri, true)
    const cause = failure ?? { call: 'S3 Upload', err }
    throw uploadError(opts, where, cause.call, cause.err, headRefused)
  } finally {
    opts.signal?.removeEventListener('abort', onCancel)
    await file?.close()
  }
}

function cancelled(): Error {
  return Object.assign(new Error('Upload aborted.'), { name: 'AbortError' })
}

/** Fills `into` from the file at `start`; the file ending early means it changed. */
async function readPart(
  file: FileHandle,
  path: string,
  start: number,
  into: Buffer
): Promise<Buffer> {
  let at = 0
  while (at < into.length) {
    const { bytesRead } = await file.read(into, at, into.length - at, start + at)
    if (bytesRead === 0) throw sizeChanged(path)
    at += bytesRead
  }
  return into
}

/** CRC-32 of a part, base64 as S3 wants it, read in PART_READ_AHEAD pieces (readPart: the file ending early means it changed). */
async function partCrc32(
  file: FileHandle,
  path: string,
  start: number,
  length: number
): Promise<string> {
  const piece = Buffer.allocUnsafe(Math.min(PART_READ_AHEAD, length))
  let crc = 0
  for (let at = 0; at < length; at += piece.length) {
    const chunk = piece.subarray(0, Math.min(piece.length, length - at))
    crc = crc32(await readPart(file, path, start + at, chunk), crc)
  }
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc >>> 0)
  return out.toString('base64')
}

/** Reported as a read failure of the bundle (uploadError: an error with a path, no code). */
function sizeChanged(path: string): Error {
  return Object.assign(new Error(`${path} changed size during the upload`), { path })
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
  try {
    await retry(
      () =>
        opts.s3.send(
          new sdk.AbortMultipartUploadCommand({
            Bucket: opts.bucket,
            Key: opts.key,
            UploadId: uploadId,
            ExpectedBucketOwner: opts.expectedBucketOwner
          })
        ),
      {
        attempts: ABORT_RETRY_DELAYS_MS.length + 1,
        retryable: isTransient,
        delayMs: (attempt) => ABORT_RETRY_DELAYS_MS[attempt - 1] ?? 0,
        sleep: opts.sleep ?? realSleep,
        onRetry: (err) =>
          opts.log.debug(
            `Aborting multipart upload ${uploadId} failed (${describeAwsError(err).code}); trying again.`
          )
      }
    )
    opts.log.debug(`Aborted multipart upload ${uploadId} of ${uri}; no parts remain.`)
  } catch (err) {
    const { code } = describeAwsError(err)
    if (code === 'NoSuchUpload') return
    const why = isTransient(err) ? '' : ' The role needs s3:AbortMultipartUpload.'
    opts.log.warning(
      `Could not abort multipart upload ${uploadId} of ${uri} (${code}): its parts stay in the bucket (not as an object) ` +
        `until an AbortIncompleteMultipartUpload lifecycle rule removes them.${why}`
    )
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
  if (typeof e.path === 'string') {
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
