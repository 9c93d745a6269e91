// The upload stage: the archive into S3 under the key (or an identical object reused).
import type { S3Client } from '@aws-sdk/client-s3'
import type { Logger, Sleep } from '../common/log.js'
import type { BundleFacts, KeyFacts, UploadFacts } from '../facts.js'
import type { UploadSettings } from '../settings/settings.js'
import { provenanceMetadata, provenanceOf } from '../revisions/provenance.js'

export interface UploadDeps {
  log: Logger
  signal: AbortSignal
  sleep: Sleep
  now: () => number
}

export async function upload(
  s3: S3Client,
  settings: UploadSettings,
  bundle: BundleFacts,
  key: KeyFacts,
  deps: UploadDeps
): Promise<UploadFacts> {
  const { uploadBundle } = await import('../aws/s3-upload.js')
  const result = await uploadBundle({
    s3,
    bucket: settings.bucket,
    key: key.key,
    filePath: bundle.path,
    size: bundle.size,
    sha256: bundle.sha256,
    // Where it came from: the commit and the run (README: which commit is live).
    metadata: provenanceMetadata(provenanceOf(settings.run)),
    ...(settings.sse ? { sse: settings.sse } : {}),
    ...(settings.sseKmsKeyId ? { sseKmsKeyId: settings.sseKmsKeyId } : {}),
    ...(settings.expectedBucketOwner ? { expectedBucketOwner: settings.expectedBucketOwner } : {}),
    ...deps
  })
  return {
    bucket: settings.bucket,
    key: key.key,
    uri: `s3://${settings.bucket}/${key.key}`,
    ...result
  }
}
