import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/common/errors.js'
import { DEFAULT_KEY, Input } from '../../src/settings/constants.js'
import { MAX_KEY_BYTES } from '../../src/settings/key-template.js'
import type { KeySettings } from '../../src/settings/settings.js'
import { keyValues, s3Key } from '../../src/stages/key.js'

const SHA256 = 'fedcba9876543210'.repeat(4)
const BUNDLE = { sha256: SHA256, type: 'tgz' as const }

function settings(keyTemplate: string, over: Partial<KeySettings['run']> = {}): KeySettings {
  return {
    application: 'sample-app',
    keyTemplate,
    run: {
      runNumber: '42',
      runAttempt: '2',
      runId: '9876543210',
      sha: '0123456789abcdef0123456789abcdef01234567',
      refName: 'feature/new login',
      repository: 'octo-org/sample-app',
      serverUrl: 'https://github.com',
      eventName: 'push',
      actor: 'octocat',
      workflowRef: 'octo-org/sample-app/.github/workflows/deploy.yml@refs/heads/main',
      apiUrl: 'https://api.github.com',
      ...over
    }
  }
}

// Only sha256 and type are read from the bundle.
const bundle = BUNDLE as unknown as Parameters<typeof s3Key>[2]

function keyError(template: string): InputError {
  try {
    s3Key(settings(template), 'my-bucket', bundle)
  } catch (err) {
    if (err instanceof InputError) return err
    throw err
  }
  throw new Error(`expected an InputError for a template of ${Buffer.byteLength(template)} bytes`)
}

describe('keyValues', () => {
  it('draws each placeholder from the run and the bundle', () => {
    expect(keyValues(settings(DEFAULT_KEY), BUNDLE)).toEqual({
      application: 'sample-app',
      run_number: '42',
      run_attempt: '2',
      run_id: '9876543210',
      sha: '0123456789abcdef0123456789abcdef01234567',
      short_sha: '0123456',
      ref_name: 'feature/new login',
      bundle_hash: 'fedcba9876543210',
      ext: 'tgz'
    })
  })

  it('takes the hash prefix (16 hex digits) and the type as the extension', () => {
    const v = keyValues(settings(DEFAULT_KEY), { sha256: '0a'.repeat(32), type: 'zip' })
    expect(v.bundle_hash).toBe('0a0a0a0a0a0a0a0a')
    expect(v.ext).toBe('zip')
  })

  it('gives an empty short_sha for an empty sha (inputs.ts refuses a template that needs it)', () => {
    expect(keyValues(settings(DEFAULT_KEY, { sha: '' }), BUNDLE).short_sha).toBe('')
  })
})

describe('s3Key', () => {
  it('renders the default template and the URI', () => {
    expect(s3Key(settings(DEFAULT_KEY), 'my-bucket', bundle)).toEqual({
      key: 'sample-app/42/fedcba9876543210.tgz',
      uri: 's3://my-bucket/sample-app/42/fedcba9876543210.tgz'
    })
  })

  it('has no URI without a bucket (a dry run)', () => {
    expect(s3Key(settings(DEFAULT_KEY), '', bundle)).toEqual({
      key: 'sample-app/42/fedcba9876543210.tgz',
      uri: ''
    })
  })

  it('makes the branch name key-safe', () => {
    expect(s3Key(settings('{ref_name}/{short_sha}.{ext}'), 'b-1', bundle).key).toBe(
      'feature/new-login/0123456.tgz'
    )
  })

  it.each<[string, string]>([
    ['1,024 ASCII bytes', 'a'.repeat(MAX_KEY_BYTES)],
    ['512 two-byte characters', 'é'.repeat(512)],
    ['341 three-byte characters and one byte', '日'.repeat(341) + 'a'],
    ['256 four-byte characters', '🚀'.repeat(256)],
    ['a template that renders to exactly 1,024', `${'a'.repeat(MAX_KEY_BYTES - 4)}.{ext}`]
  ])('accepts a key of exactly 1,024 bytes: %s', (_what, template) => {
    const { key } = s3Key(settings(template), 'my-bucket', bundle)
    expect(Buffer.byteLength(key)).toBe(MAX_KEY_BYTES)
  })

  it.each<[string, string, number]>([
    ['1,025 ASCII bytes', 'a'.repeat(MAX_KEY_BYTES + 1), 1025],
    ['513 two-byte characters (only 513 characters)', 'é'.repeat(513), 1026],
    ['512 two-byte characters and one byte', 'é'.repeat(512) + 'a', 1025],
    ['342 three-byte characters', '日'.repeat(342), 1026],
    ['257 four-byte characters', '🚀'.repeat(257), 1028],
    ['a short template whose values make it long', `${'a'.repeat(1000)}/{sha}`, 1041]
  ])('refuses %s, counting bytes not characters', (_what, template, bytes) => {
    const err = keyError(template)
    expect(err.input).toBe(Input.Key)
    expect(err.message).toBe(`Input 'key': renders to a key of ${bytes} bytes; S3 allows 1024.`)
    expect(err.fix).toBe('Use a shorter template.')
  })

  it('counts the rendered value of a long branch name', () => {
    const long = settings('{ref_name}', { refName: 'x'.repeat(1025) })
    expect(() => s3Key(long, 'my-bucket', bundle)).toThrow(
      "Input 'key': renders to a key of 1025 bytes; S3 allows 1024."
    )
  })
})
