// Revisions from S3 (the bed's radosgw), fetched as the agent does: by version when given,
// eTag compared with the object's. Kept once per object on the host; an unversioned object
// is re-checked (HEAD) for every instance, so overwriting it mid-deployment is noticed.
import { S3Client, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import path from 'node:path'
import { createHash } from 'node:crypto'
import type { S3Location } from '../codedeploy/model.ts'
import { ACCOUNT } from '../core/ids.ts'

export class BundleError extends Error {}

const S3_MESSAGES: Record<string, string> = {
  NoSuchKey: 'The specified key does not exist.',
  NoSuchVersion: 'The specified version does not exist.',
  NoSuchBucket: 'The specified bucket does not exist',
  AccessDenied: 'Access Denied',
  NotFound: 'The specified key does not exist.'
}

function s3Message(e: unknown): string {
  const err = e as { name?: string; message?: string; Code?: string }
  const code = err.Code ?? err.name ?? ''
  return S3_MESSAGES[code] ?? err.message ?? String(e)
}

// The instance profile's role in the bed's account (the name AWS's user guide gives it).
export const INSTANCE_ROLE = 'CodeDeployDemo-EC2-Instance-Profile'

/**
 * S3's answer to the agent's GetObject when the instance's role may not read the revision: to a
 * requester of the bucket's own account S3 says who was refused what and why (its user guide,
 * "Troubleshoot access denied (403 Forbidden) errors"; a GetObject of a version needs
 * s3:GetObjectVersion); to another account's, only "Access Denied".
 */
export function accessDenied(loc: S3Location, instanceId: string, crossAccount: boolean): string {
  if (crossAccount) return S3_MESSAGES.AccessDenied!
  const action = loc.version ? 's3:GetObjectVersion' : 's3:GetObject'
  return `User: arn:aws:sts::${ACCOUNT}:assumed-role/${INSTANCE_ROLE}/${instanceId} is not authorized to perform: ${action} on resource: "arn:aws:s3:::${loc.bucket}/${loc.key}" because no identity-based policy allows the ${action} action`
}

export class BundleStore {
  private readonly s3: S3Client
  private readonly dir: string
  private readonly cache = new Map<string, Promise<string>>()
  // A version never changes, so its ETag is asked for once.
  private readonly versionEtags = new Map<string, Promise<string>>()
  private readonly extractions = new Map<string, Promise<string>>()

  constructor(s3: S3Client, dir: string) {
    this.s3 = s3
    this.dir = dir
  }

  static fromEnv(dir: string): BundleStore {
    const endpoint = process.env.AWS_ENDPOINT_URL_S3
    return new BundleStore(
      new S3Client({
        region: process.env.AWS_REGION ?? 'us-east-1',
        endpoint,
        forcePathStyle: true
      }),
      dir
    )
  }

  // Returns the local file holding the revision, or throws BundleError with the agent's words.
  async fetch(loc: S3Location): Promise<string> {
    let etag: string
    const head = () =>
      this.s3
        .send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key, VersionId: loc.version }))
        .then((h) => h.ETag ?? '')
    try {
      if (loc.version) {
        const k = `${loc.bucket}\n${loc.key}\n${loc.version}`
        let p = this.versionEtags.get(k)
        if (!p) {
          p = head()
          this.versionEtags.set(k, p)
          p.catch(() => this.versionEtags.delete(k))
        }
        etag = await p
      } else {
        etag = await head()
      }
    } catch (e) {
      throw new BundleError(s3Message(e))
    }
    if (loc.eTag && loc.eTag.replace(/"/g, '') !== etag.replace(/"/g, '')) {
      throw new BundleError(
        `Expected deployment artifact bundle etag ${loc.eTag} but was actually ${etag}`
      )
    }
    const cacheKey = `${loc.bucket}\n${loc.key}\n${loc.version ?? ''}\n${etag}`
    let file = this.cache.get(cacheKey)
    if (!file) {
      file = this.download(loc, etag, cacheKey)
      this.cache.set(cacheKey, file)
      file.catch(() => this.cache.delete(cacheKey))
    }
    return file
  }

  // The revision unpacked once on the host by `unpack` (for fleets whose instances copy it from
  // there rather than each running tar).
  extracted(file: string, unpack: (dir: string) => Promise<void>): Promise<string> {
    let p = this.extractions.get(file)
    if (!p) {
      p = (async () => {
        const dir = `${file}.unpacked`
        await mkdir(dir, { recursive: true })
        await unpack(dir)
        return dir
      })()
      this.extractions.set(file, p)
      p.catch(() => this.extractions.delete(file))
    }
    return p
  }

  private async download(loc: S3Location, etag: string, cacheKey: string): Promise<string> {
    await mkdir(this.dir, { recursive: true })
    const file = path.join(
      this.dir,
      createHash('sha256').update(cacheKey).digest('hex').slice(0, 32)
    )
    try {
      const obj = await this.s3.send(
        new GetObjectCommand({
          Bucket: loc.bucket,
          Key: loc.key,
          VersionId: loc.version,
          IfMatch: etag
        })
      )
      await pipeline(obj.Body as Readable, createWriteStream(file))
    } catch (e) {
      throw new BundleError(s3Message(e))
    }
    return file
  }
}
