// The S3 key stage: the template rendered with the run and the bundle's hash.
import { InputError } from '../common/errors.js'
import type { BundleFacts, KeyFacts } from '../facts.js'
import { Input } from '../settings/constants.js'
import { MAX_KEY_BYTES, renderKey, type KeyValues } from '../settings/key-template.js'
import type { KeySettings } from '../settings/settings.js'

export function s3Key(settings: KeySettings, bucket: string, bundle: BundleFacts): KeyFacts {
  const key = renderKey(settings.keyTemplate, keyValues(settings, bundle))
  const bytes = Buffer.byteLength(key)
  if (bytes > MAX_KEY_BYTES)
    throw new InputError(
      Input.Key,
      `renders to a key of ${bytes} bytes; S3 allows ${MAX_KEY_BYTES}.`,
      'Use a shorter template.'
    )
  return { key, uri: bucket ? `s3://${bucket}/${key}` : '' }
}

export function keyValues(
  settings: KeySettings,
  bundle: Pick<BundleFacts, 'sha256' | 'type'>
): KeyValues {
  const run = settings.run
  return {
    application: settings.application,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    run_id: run.runId,
    sha: run.sha,
    short_sha: run.sha.slice(0, 7),
    ref_name: run.refName,
    bundle_hash: bundle.sha256.slice(0, 16),
    ext: bundle.type
  }
}
