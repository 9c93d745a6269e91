import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { crc32 } from 'node:zlib'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  type UploadPartCommandInput
} from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { ActionError, AwsCallError } from '../../src/common/errors.js'
import { MemoryLogger } from '../../src/common/log.js'
import { choosePartSize, uploadBundle, type UploadBundleOptions } from '../../src/aws/s3-upload.js'

const MIB = 1024 * 1024
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE'
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'

const s3 = new S3Client({
  region: 'us-east-1',
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }
})
const mock = mockClient(s3)

let dir: string
let small: { path: string; data: Buffer; sha256: string }
let large: { path: string; data: Buffer; sha256: string }

function makeFile(name: string, size: number): { path: string; data: Buffer; sha256: string } {
  const data = randomBytes(size)
  const path = join(dir, name)
  writeFileSync(path, data)
  return { path, data, sha256: createHash('sha256').update(data).digest('hex') }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's3-upload-test-'))
  small = makeFile('bundle.tgz', 64 * 1024)
  large = makeFile('big.zip', 11 * MIB)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let log: MemoryLogger
beforeEach(() => {
  mock.reset()
  log = new MemoryLogger()
})

function s3Error(
  name: string,
  status: number,
  message = '',
  extra: object = {}
): S3ServiceException {
  return Object.assign(
    new S3ServiceException({
      name,
      $fault: status >= 500 ? 'server' : 'client',
      $metadata: { httpStatusCode: status },
      message
    }),
    extra
  )
}

/** A part's bytes: parts are streamed from the bundle file, a single PUT sends a buffer. */
async function bytesOf(body: unknown): Promise<Buffer> {
  if (body instanceof Readable) {
    const chunks: Buffer[] = []
    for await (const c of body) chunks.push(c as Buffer)
    return Buffer.concat(chunks)
  }
  return Buffer.from(body as Uint8Array)
}

const crc32Base64 = (data: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(data) >>> 0)
  return out.toString('base64')
}

const notFound = (): S3ServiceException => s3Error('NotFound', 404, 'UnknownError')

function smallOpts(extra: Partial<UploadBundleOptions> = {}): UploadBundleOptions {
  return {
    s3,
    bucket: 'my-bucket',
    key: 'my-app/7/0123456789abcdef.tgz',
    filePath: small.path,
    size: small.data.length,
    sha256: small.sha256,
    log,
    // Retries of streamed parts wait with this (no real backoff in unit tests).
    sleep: async () => undefined,
    ...extra
  }
}

function largeOpts(extra: Partial<UploadBundleOptions> = {}): UploadBundleOptions {
  return {
    ...smallOpts(),
    key: 'my-app/7/big.zip',
    filePath: large.path,
    size: large.data.length,
    sha256: large.sha256,
    partSize: 5 * MIB,
    ...extra
  }
}

function mockMultipart(): void {
  mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' })
  mock
    .on(UploadPartCommand)
    .callsFake((input: UploadPartCommandInput) => ({ ETag: `"part-${input.PartNumber}"` }))
  mock
    .on(CompleteMultipartUploadCommand)
    .resolves({ ETag: '"3858f62230ac3c915f300c664312c63f-3"', VersionId: 'v-2' })
  mock.on(AbortMultipartUploadCommand).resolves({})
}

/** The abort signal the upload gave to the request for this part (what cancels it on the wire). */
function partSignal(partNumber: number): AbortSignal | undefined {
  const call = mock
    .commandCalls(UploadPartCommand)
    .find((c) => c.args[0].input.PartNumber === partNumber)
  // send(command, options): the typings only declare the command.
  const args = call?.args as unknown[] | undefined
  return (args?.[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal
}

/** Everything the user could see: log lines and the error's one line. */
function userText(err?: unknown): string {
  const lines = log.lines.map((l) => l.message).join('\n')
  return err instanceof ActionError ? `${lines}\n${err.describe()}` : lines
}

async function failure(promise: Promise<unknown>): Promise<ActionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ActionError)
  return err as ActionError
}

describe('reusing an identical object', () => {
  it('skips the upload when the key already holds the same sha256 and size', async () => {
    mock.on(HeadObjectCommand).resolves({
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
      VersionId: 'v-1',
      ContentLength: small.data.length,
      Metadata: { sha256: small.sha256 }
    })
    const result = await uploadBundle(smallOpts({ expectedBucketOwner: '111122223333' }))
    expect(result).toEqual({
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      versionId: 'v-1',
      uploaded: false
    })
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(0)
    expect(mock.commandCalls(UploadPartCommand)).toHaveLength(0)
    expect(mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0)
    expect(mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'my-bucket',
      Key: 'my-app/7/0123456789abcdef.tgz',
      ExpectedBucketOwner: '111122223333'
    })
    expect(log.text('info')).toContain(
      'Reusing s3://my-bucket/my-app/7/0123456789abcdef.tgz: an object with the same sha256 and size is already there'
    )
  })

  it('uploads when the sha256 matches but the size does not', async () => {
    mock
      .on(HeadObjectCommand)
      .resolves({ ETag: '"x"', ContentLength: 1, Metadata: { sha256: small.sha256 } })
    mock.on(PutObjectCommand).resolves({ ETag: '"y"' })
    const result = await uploadBundle(smallOpts())
    expect(result.uploaded).toBe(true)
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(1)
  })
})

describe('a single PUT for a bundle smaller than a part', () => {
  it('sends the file with its metadata, content type, encryption and owner, and strips ETag quotes', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mock
      .on(PutObjectCommand)
      .resolves({ ETag: '"9b2cf535f27731c974343645a3985328"', VersionId: 'v-9' })
    const result = await uploadBundle(
      smallOpts({
        sse: 'AES256',
        expectedBucketOwner: '111122223333',
        sseKmsKeyId: 'ignored-without-kms'
      })
    )
    expect(result).toEqual({
      etag: '9b2cf535f27731c974343645a3985328',
      versionId: 'v-9',
      uploaded: true
    })
    const put = mock.commandCalls(PutObjectCommand)
    expect(put).toHaveLength(1)
    const input = put[0]!.args[0].input
    expect(input).toMatchObject({
      Bucket: 'my-bucket',
      Key: 'my-app/7/0123456789abcdef.tgz',
      ContentType: 'application/gzip',
      ContentLength: small.data.length,
      Metadata: { sha256: small.sha256 },
      ServerSideEncryption: 'AES256',
      ExpectedBucketOwner: '111122223333'
    })
    expect(input.SSEKMSKeyId).toBeUndefined()
    expect(Buffer.compare(Buffer.from(input.Body as Uint8Array), small.data)).toBe(0)
    expect(log.text('warning')).toBe('')
  })

  it('warns before overwriting a key that holds different content', async () => {
    mock
      .on(HeadObjectCommand)
      .resolves({ ETag: '"old"', ContentLength: 5, Metadata: { sha256: 'ab'.repeat(32) } })
    mock.on(PutObjectCommand).resolves({ ETag: '"new"' })
    const result = await uploadBundle(smallOpts())
    expect(result.etag).toBe('new')
    expect(log.text('warning')).toContain(
      's3://my-bucket/my-app/7/0123456789abcdef.tgz already exists with different content'
    )
    expect(log.text('warning')).toContain('keep {bundle_hash} in `key`')
  })

  it('gets the version from a HEAD when the PUT response lacks it, and reports none for "null"', async () => {
    mock
      .on(HeadObjectCommand)
      .rejectsOnce(notFound())
      .resolves({ ETag: '"e1"', VersionId: 'v-head', Metadata: { sha256: small.sha256 } })
    mock.on(PutObjectCommand).resolves({ ETag: '"e1"' })
    expect(await uploadBundle(smallOpts())).toEqual({
      etag: 'e1',
      versionId: 'v-head',
      uploaded: true
    })

    mock.reset()
    mock
      .on(HeadObjectCommand)
      .rejectsOnce(notFound())
      .resolves({ ETag: '"e1"', VersionId: 'null', Metadata: { sha256: small.sha256 } })
    mock.on(PutObjectCommand).resolves({ ETag: '"e1"' })
    expect(await uploadBundle(smallOpts())).toEqual({
      etag: 'e1',
      versionId: undefined,
      uploaded: true
    })
  })

  it('does not take the version of an object someone else wrote after ours', async () => {
    mock
      .on(HeadObjectCommand)
      .rejectsOnce(notFound())
      .resolves({ ETag: '"other"', VersionId: 'v-other', Metadata: { sha256: 'cd'.repeat(32) } })
    mock.on(PutObjectCommand).resolves({ ETag: '"ours"' })
    expect(await uploadBundle(smallOpts())).toEqual({
      etag: 'ours',
      versionId: undefined,
      uploaded: true
    })
  })
})

describe('multipart upload of a bundle larger than a part', () => {
  it('uploads every part in order and completes with the parts list', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    // Each body read while its request is in flight, as the SDK sends it (the file is closed after).
    const read = new Map<number, Buffer>()
    mock.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
      read.set(input.PartNumber!, await bytesOf(input.Body))
      return { ETag: `"part-${input.PartNumber}"` }
    })
    const result = await uploadBundle(largeOpts({ sse: 'aws:kms', sseKmsKeyId: 'alias/deploy' }))
    expect(result).toEqual({
      etag: '3858f62230ac3c915f300c664312c63f-3',
      versionId: 'v-2',
      uploaded: true
    })

    const create = mock.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input
    expect(create).toMatchObject({
      Bucket: 'my-bucket',
      Key: 'my-app/7/big.zip',
      ContentType: 'application/zip',
      Metadata: { sha256: large.sha256 },
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/deploy'
    })
    const parts = mock
      .commandCalls(UploadPartCommand)
      .map((c) => c.args[0].input)
      .sort((a, b) => a.PartNumber! - b.PartNumber!)
    const bodies = parts.map((p) => read.get(p.PartNumber!)!)
    expect(
      parts.map((p, i) => [p.PartNumber, p.UploadId, p.ContentLength, bodies[i]!.length])
    ).toEqual([
      [1, 'upload-1', 5 * MIB, 5 * MIB],
      [2, 'upload-1', 5 * MIB, 5 * MIB],
      [3, 'upload-1', 1 * MIB, 1 * MIB]
    ])
    expect(Buffer.concat(bodies).equals(large.data)).toBe(true)
    // Each part carries its CRC-32 for S3 to check, computed from the same bytes.
    expect(parts.map((p) => p.ChecksumCRC32)).toEqual(bodies.map(crc32Base64))
    const complete = mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input
    expect(complete.UploadId).toBe('upload-1')
    expect(complete.MultipartUpload?.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([
      [1, '"part-1"'],
      [2, '"part-2"'],
      [3, '"part-3"']
    ])
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0)
    expect(log.text('info')).toContain(
      'Uploading big.zip (11.0 MiB) to s3://my-bucket/my-app/7/big.zip in 3 parts of 5.0 MiB'
    )
  })

  it('fills in the version id from a HEAD when CompleteMultipartUpload leaves it out', async () => {
    mock
      .on(HeadObjectCommand)
      .rejectsOnce(notFound())
      .resolves({ ETag: '"abc-3"', VersionId: 'v-from-head', Metadata: { sha256: large.sha256 } })
    mockMultipart()
    mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"abc-3"' })
    expect(await uploadBundle(largeOpts())).toEqual({
      etag: 'abc-3',
      versionId: 'v-from-head',
      uploaded: true
    })
  })

  it('aborts the multipart upload when a part fails, and names the failing call', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    // Part 1 fails while part 2 is in flight.
    let part2CancelledInFlight: boolean | undefined
    let part2Sent = (): void => undefined
    const part2InFlight = new Promise<void>((r) => (part2Sent = r))
    mock.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
      if (input.PartNumber === 1) {
        await part2InFlight
        throw s3Error('InternalError', 500, 'We encountered an internal error. Please try again.')
      }
      if (input.PartNumber === 2) part2Sent()
      // The part stays in flight until it is cancelled (bounded at 2 s): a fixed short wait made
      // the result depend on how busy the machine was.
      await Promise.resolve()
      const signal = partSignal(input.PartNumber ?? 0)
      const cancelled = await new Promise<boolean>((resolve) => {
        if (!signal) return resolve(false)
        if (signal.aborted) return resolve(true)
        const timer = setTimeout(() => resolve(false), 2000)
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            resolve(true)
          },
          { once: true }
        )
      })
      if (input.PartNumber === 2) part2CancelledInFlight = cancelled
      return { ETag: `"part-${input.PartNumber}"` }
    })
    const err = await failure(uploadBundle(largeOpts({ queueSize: 2 })))
    expect(err).toBeInstanceOf(AwsCallError)
    expect(err.describe()).toBe(
      'S3 UploadPart failed: InternalError: We encountered an internal error. Please try again. ' +
        'AWS returned a server error even after retries: re-run the job; if it persists, check the AWS Health Dashboard.'
    )
    expect(mock.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'my-bucket', Key: 'my-app/7/big.zip', UploadId: 'upload-1' }
    ])
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0)
    // The failure stops the upload at once: the part in flight is cancelled and no other is sent.
    expect(part2CancelledInFlight).toBe(true)
    // Part 1 was tried as often as the client allows (3, the SDK's default here: a streamed
    // part is retried by the upload, not the SDK), part 2 once. (Parts are read concurrently,
    // so they may be sent in either order.)
    expect(
      mock
        .commandCalls(UploadPartCommand)
        .map((c) => c.args[0].input.PartNumber)
        .sort()
    ).toEqual([1, 1, 1, 2])
  })

  it('aborts the multipart upload when CompleteMultipartUpload fails', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    mock
      .on(CompleteMultipartUploadCommand)
      .rejects(s3Error('InvalidPart', 400, 'One or more of the specified parts could not be found'))
    const err = await failure(uploadBundle(largeOpts()))
    expect(err.message).toBe(
      'S3 CompleteMultipartUpload failed: InvalidPart: One or more of the specified parts could not be found.'
    )
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1)
  })

  it('warns, without hiding the real error, when the abort itself fails', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    mock.on(UploadPartCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    mock.on(AbortMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    const err = await failure(uploadBundle(largeOpts()))
    expect(err.message).toBe('S3 UploadPart failed: AccessDenied: Access Denied.')
    expect(log.text('warning')).toContain(
      'Could not abort multipart upload upload-1 of s3://my-bucket/my-app/7/big.zip (AccessDenied)'
    )
    expect(log.text('warning')).toContain('s3:AbortMultipartUpload')
  })

  it('stops sending parts and aborts the multipart upload when the signal fires', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    const cancel = new AbortController()
    let cancelledInFlight: boolean | undefined
    mock.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
      cancel.abort()
      await new Promise((r) => setTimeout(r, 20))
      cancelledInFlight = partSignal(1)?.aborted
      return { ETag: `"part-${input.PartNumber}"` }
    })
    const err = await failure(uploadBundle(largeOpts({ queueSize: 1, signal: cancel.signal })))
    expect(err.describe()).toBe(
      'Upload to s3://my-bucket/my-app/7/big.zip was cancelled. ' +
        'The multipart upload was aborted; no partial object was left in the bucket.'
    )
    expect(cancelledInFlight).toBe(true)
    expect(mock.commandCalls(UploadPartCommand)).toHaveLength(1)
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1)
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0)
  })

  it('makes no call at all when the signal has already fired', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const err = await failure(uploadBundle(largeOpts({ signal: cancel.signal })))
    expect(err.describe()).toBe(
      'Upload to s3://my-bucket/my-app/7/big.zip was cancelled. Nothing was uploaded.'
    )
    expect(mock.calls()).toHaveLength(0)
  })

  it('fails clearly, and aborts, when the file is shorter than its recorded size', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    const err = await failure(uploadBundle(largeOpts({ size: large.data.length + 5 * MIB })))
    expect(err.describe()).toBe(
      `Could not read the bundle ${large.path} while uploading (size changed). ` +
        'It was changed or removed during the upload; re-run the job.'
    )
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1)
  })

  it('fails clearly, and aborts, when the file grew after it was hashed', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    const err = await failure(uploadBundle(largeOpts({ size: large.data.length - 1 })))
    expect(err.describe()).toBe(
      `Could not read the bundle ${large.path} while uploading (size changed). ` +
        'It was changed or removed during the upload; re-run the job.'
    )
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1)
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0)
  })

  it('retries a failed streamed part from the file afresh, with the whole part', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    const attempts: Buffer[] = []
    mock.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
      if (input.PartNumber !== 2) return { ETag: `"part-${input.PartNumber}"` }
      // The first attempt dies half-way through reading its body, as a reset connection would.
      if (attempts.length === 0) {
        const body = input.Body as Readable
        const first = (await body[Symbol.asyncIterator]().next()).value as Buffer
        attempts.push(first)
        body.destroy()
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      }
      attempts.push(await bytesOf(input.Body))
      return { ETag: '"part-2"' }
    })
    await uploadBundle(largeOpts())
    expect(attempts).toHaveLength(2)
    expect(attempts[0]!.length).toBeLessThan(5 * MIB)
    expect(attempts[1]!.equals(large.data.subarray(5 * MIB, 10 * MIB))).toBe(true)
    expect(log.text('debug')).toMatch(
      /UploadPart 2 failed \(ECONNRESET\); attempt 2 of 3 in \d+ ms\./
    )
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1)
  })

  it('sends every byte once when there are more parts than parts in flight', async () => {
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    // Read while each request is in flight, as the SDK would send it.
    const sent = new Map<number, Buffer>()
    mock.on(UploadPartCommand).callsFake(async (input: UploadPartCommandInput) => {
      await new Promise((r) => setTimeout(r, input.PartNumber === 1 ? 30 : 5))
      sent.set(input.PartNumber!, await bytesOf(input.Body))
      return { ETag: `"part-${input.PartNumber}"` }
    })
    await uploadBundle(largeOpts({ partSize: 1 * MIB, queueSize: 3 }))
    const parts = [...sent.keys()].sort((a, b) => a - b)
    expect(parts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    expect(Buffer.concat(parts.map((n) => sent.get(n)!)).equals(large.data)).toBe(true)
    const complete = mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input
    expect(complete.MultipartUpload?.Parts?.map((p) => p.PartNumber)).toEqual(parts)
  })

  it('prints progress at most every 5 seconds of the injected clock, then a summary', async () => {
    const file = makeFile('five.tgz', 21 * MIB)
    let t = 0
    mock.on(HeadObjectCommand).rejects(notFound())
    mockMultipart()
    mock.on(UploadPartCommand).callsFake((input: UploadPartCommandInput) => {
      t += 3_000
      return { ETag: `"part-${input.PartNumber}"` }
    })
    mock.on(CompleteMultipartUploadCommand).resolves({ ETag: '"abc-5"', VersionId: 'v' })
    await uploadBundle(
      largeOpts({
        filePath: file.path,
        size: file.data.length,
        sha256: file.sha256,
        queueSize: 1,
        now: () => t
      })
    )
    expect(log.text('info').split('\n')).toEqual([
      'Uploading five.tgz (21.0 MiB) to s3://my-bucket/my-app/7/big.zip in 5 parts of 5.0 MiB',
      'Uploading: 47% (10.0 MiB of 21.0 MiB) at 1.7 MiB/s',
      'Uploading: 95% (20.0 MiB of 21.0 MiB) at 1.7 MiB/s',
      'Uploaded 21.0 MiB to s3://my-bucket/my-app/7/big.zip in 15.0s (1.4 MiB/s)'
    ])
  })
})

describe('what the user is told when S3 refuses', () => {
  async function putFails(
    err: Error,
    extra: Partial<UploadBundleOptions> = {}
  ): Promise<ActionError> {
    mock.on(HeadObjectCommand).rejects(notFound())
    mock.on(PutObjectCommand).rejects(err)
    return failure(uploadBundle(smallOpts(extra)))
  }

  it.each([
    [
      'a missing bucket',
      s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'),
      {},
      "S3 PutObject failed: NoSuchBucket: The specified bucket does not exist. Bucket 'my-bucket' does not exist in region us-east-1: check `bucket` and `region`."
    ],
    [
      'a missing s3:PutObject permission',
      s3Error('AccessDenied', 403, 'Access Denied'),
      {},
      'S3 PutObject failed: AccessDenied: Access Denied. The credentials are not allowed to do this: grant s3:PutObject on arn:aws:s3:::my-bucket/my-app/7/0123456789abcdef.tgz to the role or user this job runs as.'
    ],
    [
      'a missing KMS permission with aws:kms',
      s3Error('AccessDenied', 403, 'Access Denied'),
      { sse: 'aws:kms' as const, sseKmsKeyId: 'alias/deploy' },
      'S3 PutObject failed: AccessDenied: Access Denied. The credentials are not allowed to do this: grant s3:PutObject, kms:GenerateDataKey, kms:Decrypt on arn:aws:s3:::my-bucket/my-app/7/0123456789abcdef.tgz to the role or user this job runs as.'
    ],
    [
      'a bucket of another account',
      s3Error('AccessDenied', 403, 'Access Denied'),
      { expectedBucketOwner: '111122223333' },
      "S3 PutObject failed: AccessDenied: Access Denied. Access to bucket 'my-bucket' was denied: either it belongs to another account than 111122223333 (check `expected-bucket-owner`), or the role lacks s3:PutObject on arn:aws:s3:::my-bucket/my-app/7/0123456789abcdef.tgz."
    ],
    [
      'an unknown access key',
      s3Error(
        'InvalidAccessKeyId',
        403,
        'The AWS Access Key Id you provided does not exist in our records.'
      ),
      {},
      'S3 PutObject failed: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. AWS rejected the credentials: check the keys or role given to aws-actions/configure-aws-credentials in this job.'
    ],
    [
      'a wrong secret key',
      s3Error(
        'SignatureDoesNotMatch',
        403,
        'The request signature we calculated does not match the signature you provided.'
      ),
      {},
      'S3 PutObject failed: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. AWS rejected the credentials: check the keys or role given to aws-actions/configure-aws-credentials in this job.'
    ],
    [
      'an expired session',
      s3Error('ExpiredToken', 400, 'The provided token has expired.'),
      {},
      'S3 PutObject failed: ExpiredToken: The provided token has expired. The session credentials expired: raise role-duration-seconds in aws-actions/configure-aws-credentials, or re-run the job.'
    ],
    [
      'no credentials at all',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError'
      }),
      {},
      'S3 PutObject failed: CredentialsProviderError: Could not load credentials from any providers. No AWS credentials were found: add aws-actions/configure-aws-credentials (OIDC role or access keys) before this step.'
    ],
    [
      'a KMS key that does not exist',
      s3Error('KMS.NotFoundException', 400, 'Invalid keyId alias/nope'),
      { sse: 'aws:kms' as const, sseKmsKeyId: 'alias/nope' },
      'S3 PutObject failed: KMS.NotFoundException: Invalid keyId alias/nope. The KMS key in `sse-kms-key-id` was not found in region us-east-1: check the key id or alias and its region.'
    ],
    [
      'throttling that outlasted the retries',
      s3Error('SlowDown', 503, 'Please reduce your request rate.'),
      {},
      'S3 PutObject failed: SlowDown: Please reduce your request rate. AWS kept throttling after several retries: re-run later, or run fewer jobs against this account at once.'
    ],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7599'), {
        code: 'ECONNREFUSED',
        address: '127.0.0.1',
        port: 7599,
        $metadata: {}
      }),
      {},
      "S3 PutObject failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:7599. Could not reach 127.0.0.1:7599: check the runner's network, the region, and AWS_ENDPOINT_URL* if set."
    ]
  ])('%s', async (_what, err, extra, expected) => {
    const e = await putFails(err, extra)
    expect(e).toBeInstanceOf(AwsCallError)
    expect(e.describe()).toBe(expected)
  })

  it('names the bucket region on a redirect from HeadObject, before uploading anything', async () => {
    const redirect = s3Error('PermanentRedirect', 301, 'UnknownError', {
      $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'eu-west-1' } }
    })
    mock.on(HeadObjectCommand).rejects(redirect)
    const err = await failure(uploadBundle(smallOpts()))
    expect(err.describe()).toBe(
      "S3 HeadObject failed: PermanentRedirect. Bucket 'my-bucket' is not in region us-east-1 (it is in eu-west-1): " +
        "set `region` to the bucket's region; CodeDeploy needs the bucket in the same region as the deployment group."
    )
    expect(mock.commandCalls(PutObjectCommand)).toHaveLength(0)
  })

  it('names the custom endpoint when S3 stops answering', async () => {
    const bed = new S3Client({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:7480',
      forcePathStyle: true,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }
    })
    const bedMock = mockClient(bed)
    bedMock.on(HeadObjectCommand).rejects(notFound())
    bedMock
      .on(PutObjectCommand)
      .rejects(
        Object.assign(
          new Error(
            '@smithy/node-http-handler - the request socket timed out after 30000 ms of inactivity'
          ),
          { name: 'TimeoutError', $metadata: { attempts: 4 } }
        )
      )
    const err = await failure(uploadBundle(smallOpts({ s3: bed })))
    expect(err.describe()).toBe(
      'S3 PutObject failed: TimeoutError: @smithy/node-http-handler - the request socket timed out after 30000 ms of inactivity. ' +
        "http://127.0.0.1:7480 did not answer in time: check the runner's network and the region; re-run if AWS was slow."
    )
    bedMock.restore()
  })

  it('names the endpoint when HeadObject cannot connect', async () => {
    mock.on(HeadObjectCommand).rejects(
      Object.assign(new Error('getaddrinfo ENOTFOUND s3.nowhere.example'), {
        code: 'ENOTFOUND',
        hostname: 's3.nowhere.example',
        $metadata: {}
      })
    )
    const err = await failure(uploadBundle(smallOpts()))
    expect(err.describe()).toBe(
      'S3 HeadObject failed: ENOTFOUND: getaddrinfo ENOTFOUND s3.nowhere.example. ' +
        "Could not reach s3.nowhere.example: check the runner's network, the region, and AWS_ENDPOINT_URL* if set."
    )
  })

  it('uploads after a 403 on HeadObject (missing s3:ListBucket), and says so if the upload is refused too', async () => {
    mock.on(HeadObjectCommand).rejects(s3Error('Unknown', 403, 'UnknownError'))
    mock
      .on(PutObjectCommand)
      .resolvesOnce({ ETag: '"ok"' })
      .rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    expect(await uploadBundle(smallOpts())).toEqual({
      etag: 'ok',
      versionId: undefined,
      uploaded: true
    })
    expect(log.text('debug')).toContain(
      'HeadObject on s3://my-bucket/my-app/7/0123456789abcdef.tgz was refused (403)'
    )
    expect(log.text('debug')).toContain('s3:GetObject and s3:ListBucket')

    const err = await failure(uploadBundle(smallOpts()))
    expect(err.describe()).toContain('S3 PutObject failed: AccessDenied: Access Denied.')
    expect(err.describe()).toContain('grant s3:PutObject')
    expect(err.describe()).toContain(
      'HeadObject on the key was refused too: s3:GetObject / s3:ListBucket'
    )
  })

  it('never shows credentials that an error message echoes back', async () => {
    const token = 'IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQDx5j7kZ0example+Token/Value=='
    const echoed = s3Error(
      'SignatureDoesNotMatch',
      403,
      `Signature mismatch for ${ACCESS_KEY}; secret ${SECRET_KEY}; token ${token}; sha256 ${small.sha256}`
    )
    const err = await putFails(echoed)
    const seen = userText(err)
    for (const secret of [ACCESS_KEY, SECRET_KEY, token]) expect(seen).not.toContain(secret)
    // Hex digests are not mistaken for secrets.
    expect(seen).toContain(small.sha256)
  })
})

describe('choosePartSize', () => {
  it.each([
    [1, 8 * MIB],
    [2 * 1024 * MIB, 8 * MIB],
    [100 * 1024 * MIB, 11 * MIB],
    [5 * 1024 * 1024 * MIB, 525 * MIB]
  ])('%d bytes → %d-byte parts, never more than 10,000 of them', (size, part) => {
    expect(choosePartSize(size)).toBe(part)
    expect(Math.ceil(size / choosePartSize(size))).toBeLessThanOrEqual(10_000)
  })
})
