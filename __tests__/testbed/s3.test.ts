// radosgw keeps objects byte for byte: what goes up through the CLI or the SDK (single and
// multipart) comes back with the same sha256; the versioned bucket gives version ids.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { randomBytes } from 'node:crypto'
import { createReadStream, writeFileSync } from 'node:fs'
import path from 'node:path'
import { aws } from '../support/commands.js'
import { bed, type Bed, s3, unique } from '../support/bed.js'
import { sha256File } from '../support/fixtures.js'
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { suiteTempDir } from '../temp-dir.js'

let b: Bed
let client: S3Client
const dir = suiteTempDir('bed-s3-')
const prefix = unique('bed-s3')

beforeAll(() => {
  b = bed()
  client = s3(b)
})
afterAll(() => client.destroy())

function randomFile(name: string, bytes: number): string {
  const file = path.join(dir, name)
  writeFileSync(file, randomBytes(bytes))
  return file
}

async function sha256Object(bucket: string, key: string, versionId?: string): Promise<string> {
  const out = await client.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId })
  )
  const hash = createHash('sha256')
  for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

describe('S3 on radosgw', () => {
  it('returns what the CLI uploaded, single part and multipart, byte for byte', async () => {
    for (const [name, size] of [
      ['small.bin', 100_000],
      ['large.bin', 20 * 1024 * 1024]
    ] as const) {
      const file = randomFile(name, size)
      const key = `${prefix}/${name}`
      const up = await aws(b, 's3', ['cp', file, `s3://${b.bucket}/${key}`])
      expect(up.code).toBe(0)
      const back = path.join(dir, `${name}.back`)
      const down = await aws(b, 's3', ['cp', `s3://${b.bucket}/${key}`, back])
      expect(down.code).toBe(0)
      expect(sha256File(back)).toBe(sha256File(file))
      expect(await sha256Object(b.bucket, key)).toBe(sha256File(file))
    }
  }, 60_000)

  // radosgw (Ceph 16) answers CompleteMultipartUpload with an empty ETag, unlike S3: the object's
  // ETag has to be read back with HeadObject (which gives S3's "<md5>-<parts>").
  it('returns what lib-storage streamed up in parts, with a multipart ETag and a version id', async () => {
    const file = randomFile('streamed.bin', 12 * 1024 * 1024)
    const key = `${prefix}/streamed.bin`
    const up = new Upload({
      client,
      params: { Bucket: b.bucket, Key: key, Body: createReadStream(file) },
      partSize: 5 * 1024 * 1024
    })
    const done = await up.done()
    expect(done.VersionId).toBeTruthy()
    const head = await client.send(new HeadObjectCommand({ Bucket: b.bucket, Key: key }))
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/)
    expect(head.VersionId).toBe(done.VersionId)
    expect(head.ContentLength).toBe(12 * 1024 * 1024)
    expect(await sha256Object(b.bucket, key, done.VersionId)).toBe(sha256File(file))
  }, 60_000)

  it('keeps old versions in the versioned bucket and none in the other', async () => {
    const key = `${prefix}/versions.txt`
    const first = randomFile('v1.txt', 1000)
    const second = randomFile('v2.txt', 1000)
    const put = async (bucket: string, file: string) => {
      const r = await aws(b, 's3api', [
        'put-object',
        '--bucket',
        bucket,
        '--key',
        key,
        '--body',
        file,
        '--output',
        'json'
      ])
      expect(r.code).toBe(0)
      return JSON.parse(r.stdout) as { ETag: string; VersionId?: string }
    }
    const v1 = await put(b.bucket, first)
    const v2 = await put(b.bucket, second)
    expect(v1.VersionId).toBeTruthy()
    expect(v2.VersionId).not.toBe(v1.VersionId)
    expect(await sha256Object(b.bucket, key, v1.VersionId)).toBe(sha256File(first))
    expect(await sha256Object(b.bucket, key)).toBe(sha256File(second))
    const plain = await put(b.unversionedBucket, first)
    expect(plain.VersionId).toBeUndefined()
    // Three AWS CLI runs: each starts a Python interpreter, seconds on a loaded 2-core machine.
  }, 60_000)
})
