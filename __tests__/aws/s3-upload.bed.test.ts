// Against the test bed's real S3 (radosgw). Runs only inside `testbed/run`, which exports
// AWS_ENDPOINT_URL_S3, credentials and TESTBED_BUCKET (versioned) / TESTBED_BUCKET_UNVERSIONED.

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type S3Client
} from '@aws-sdk/client-s3'
import { createAwsClients } from '../../src/aws/clients.js'
import { MIN_PART_SIZE, uploadBundle, type UploadBundleOptions } from '../../src/aws/s3-upload.js'
import { ActionError } from '../../src/common/errors.js'
import { MemoryLogger, type Logger } from '../../src/common/log.js'

const bucket = process.env.TESTBED_BUCKET
const unversioned = process.env.TESTBED_BUCKET_UNVERSIONED
const bed = bucket ? describe : describe.skip
const MIB = 1024 * 1024

bed('uploadBundle against the test bed S3', () => {
  let s3: S3Client
  let dir: string
  const prefix = `aws-bed-test/${Date.now()}-${randomBytes(4).toString('hex')}`
  const written: { bucket: string; key: string }[] = []

  function file(name: string, size: number): { path: string; data: Buffer; sha256: string } {
    // Half random, half zeros: like a bundle of jars and text, not all incompressible.
    const data = Buffer.concat([randomBytes(size / 2), Buffer.alloc(size - size / 2)])
    const path = join(dir, name)
    writeFileSync(path, data)
    return { path, data, sha256: createHash('sha256').update(data).digest('hex') }
  }

  function opts(
    f: { path: string; data: Buffer; sha256: string },
    key: string,
    extra: Partial<UploadBundleOptions> = {}
  ): UploadBundleOptions {
    const target = { bucket: extra.bucket ?? bucket!, key: `${prefix}/${key}` }
    written.push(target)
    return {
      s3,
      ...target,
      filePath: f.path,
      size: f.data.length,
      sha256: f.sha256,
      log: new MemoryLogger(),
      ...extra
    }
  }

  async function download(b: string, key: string): Promise<Buffer> {
    const out = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }))
    return Buffer.from(await out.Body!.transformToByteArray())
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 's3-bed-test-'))
    ;({ s3 } = await createAwsClients({ region: '', env: process.env }))
  })

  afterAll(async () => {
    for (const { bucket: b, key } of written) {
      const versions = await s3
        .send(new ListObjectVersionsCommand({ Bucket: b, Prefix: key }))
        .catch(() => undefined)
      for (const v of versions?.Versions ?? []) {
        await s3.send(new DeleteObjectCommand({ Bucket: b, Key: v.Key, VersionId: v.VersionId }))
      }
      await s3.send(new DeleteObjectCommand({ Bucket: b, Key: key })).catch(() => undefined)
    }
    s3?.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('uploads 40 MiB in parts, byte for byte, and a re-run reuses the object', async () => {
    const f = file('big.tgz', 40 * MIB)
    const o = opts(f, 'big.tgz')
    const first = await uploadBundle(o)
    expect(first.uploaded).toBe(true)
    // A multipart ETag ends with the part count: 40 MiB in 8 MiB parts.
    expect(first.etag).toMatch(
      new RegExp(`^[0-9a-f]{32}-${Math.ceil((40 * MIB) / MIN_PART_SIZE)}$`)
    )
    expect(MIN_PART_SIZE).toBe(8 * MIB)

    const back = await download(o.bucket, o.key)
    expect(createHash('sha256').update(back).digest('hex')).toBe(f.sha256)
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }))
    expect(head.Metadata?.sha256).toBe(f.sha256)
    expect(head.ContentType).toBe('application/gzip')

    const log = new MemoryLogger()
    const again = await uploadBundle({ ...o, log })
    expect(again).toEqual({ etag: first.etag, versionId: first.versionId, uploaded: false })
    expect(log.text('info')).toContain('Reusing')
  })

  it('gives the version id on a versioned bucket, matching what S3 holds', async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket! }))
    const f = file('small.zip', 256 * 1024)
    const o = opts(f, 'small.zip')
    const result = await uploadBundle(o)
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }))
    expect(result.etag).toBe(head.ETag!.replace(/"/g, ''))
    if (versioning.Status === 'Enabled') {
      expect(result.versionId).toBeTruthy()
      expect(result.versionId).toBe(head.VersionId)
    }
  })

  it('gives a multipart upload its version id too', async () => {
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket! }))
    const f = file('mp.tgz', 17 * MIB)
    const o = opts(f, 'mp.tgz')
    const result = await uploadBundle(o)
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }))
    expect(result.etag).toBe(head.ETag!.replace(/"/g, ''))
    if (versioning.Status === 'Enabled') expect(result.versionId).toBe(head.VersionId)
  })

  it('overwrites different content under the same key, with a warning', async () => {
    const a = file('a.tgz', 1 * MIB)
    const b = file('b.tgz', 1 * MIB)
    const first = await uploadBundle(opts(a, 'same-key.tgz'))
    const log = new MemoryLogger()
    const second = await uploadBundle(opts(b, 'same-key.tgz', { log }))
    expect(second.uploaded).toBe(true)
    expect(second.etag).not.toBe(first.etag)
    expect(log.text('warning')).toContain('already exists with different content')
    expect(
      createHash('sha256')
        .update(await download(bucket!, `${prefix}/same-key.tgz`))
        .digest('hex')
    ).toBe(b.sha256)
  })

  ;(unversioned ? it : it.skip)('reports no version on an unversioned bucket', async () => {
    const f = file('u.tgz', 9 * MIB)
    const result = await uploadBundle(opts(f, 'u.tgz', { bucket: unversioned! }))
    expect(result.uploaded).toBe(true)
    expect(result.versionId).toBeUndefined()
    expect(result.etag).toMatch(/^[0-9a-f]{32}-2$/)
  })

  it('leaves neither an object nor a multipart upload behind when cancelled mid-upload', async () => {
    const f = file('cancel.tgz', 64 * MIB)
    const cancel = new AbortController()
    // Cancel as soon as the first part has gone up.
    const log: Logger = Object.assign(new MemoryLogger(), {
      info(this: MemoryLogger, message: string) {
        MemoryLogger.prototype.info.call(this, message)
        if (message.startsWith('Uploading ')) setTimeout(() => cancel.abort(), 150)
      }
    })
    const o = opts(f, 'cancel.tgz', { log, signal: cancel.signal })
    const err = await uploadBundle(o).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toBe(`Upload to s3://${o.bucket}/${o.key} was cancelled.`)

    const uploads = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: o.bucket, Prefix: o.key })
    )
    expect(uploads.Uploads ?? []).toEqual([])
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.key }))
    ).rejects.toMatchObject({
      name: 'NotFound'
    })
  })

  it('names a missing bucket and the region', async () => {
    const f = file('nb.tgz', 1024)
    const err = await uploadBundle({
      ...opts(f, 'nb.tgz'),
      bucket: `no-such-bucket-${randomBytes(4).toString('hex')}`
    }).catch((e: unknown) => e)
    expect((err as ActionError).describe()).toMatch(
      /^S3 PutObject failed: NoSuchBucket.*Bucket 'no-such-bucket-[0-9a-f]+' does not exist in region [a-z0-9-]+: check `bucket` and `region`\.$/
    )
  })
})
