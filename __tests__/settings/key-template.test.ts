import { describe, expect, it } from '@jest/globals'
import { DEFAULT_KEY } from '../../src/settings/constants.js'
import {
  checkKeyTemplate,
  KEY_PLACEHOLDERS,
  MAX_KEY_BYTES,
  placeholdersUsed,
  renderKey,
  type KeyValues
} from '../../src/settings/key-template.js'

const VALUES: KeyValues = {
  application: 'sample-app',
  run_number: '42',
  run_attempt: '2',
  run_id: '9876543210',
  sha: '0123456789abcdef0123456789abcdef01234567',
  short_sha: '0123456',
  ref_name: 'main',
  bundle_hash: 'fedcba9876543210',
  ext: 'tgz'
}

describe('checkKeyTemplate: usable templates', () => {
  it.each([
    DEFAULT_KEY,
    'releases/{application}/{sha}.{ext}',
    KEY_PLACEHOLDERS.map((p) => `{${p}}`).join('/'),
    'static-key.tgz',
    'a/b/c/d.zip',
    'déploiement/{application}/アプリ-{run_number}.{ext}',
    '{application}-{application}.{ext}',
    'a/..b/c..d/...e',
    'a/.hidden/{ext}',
    "a/b!c_d.e*f'g(h)"
  ])('%j', (template) => {
    expect(checkKeyTemplate(template)).toBeUndefined()
  })
})

describe('checkKeyTemplate: each problem', () => {
  it.each<[string, string]>([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['\t', 'is empty'],
    ['a\nb', 'contains a line break or NUL'],
    ['a\r\nb', 'contains a line break or NUL'],
    ['a\rb', 'contains a line break or NUL'],
    ['a\0b', 'contains a line break or NUL'],
    ['/{application}/x.tgz', "starts with '/', which makes an empty first folder in S3"],
    ['{foo}/x', 'has unknown placeholder {foo}'],
    ['{foo}/{bar}', 'has unknown placeholders {foo}, {bar}'],
    ['{}', 'has unknown placeholder {}'],
    ['{Application}', 'has unknown placeholder {Application}'],
    ['{ application }', 'has unknown placeholder { application }'],
    ['{bundle-hash}', 'has unknown placeholder {bundle-hash}'],
    ['{application}/{hash}', 'has unknown placeholder {hash}'],
    ['{application', "has an unmatched '{' or '}'"],
    ['application}', "has an unmatched '{' or '}'"],
    ['{{application}}', "has an unmatched '{' or '}'"],
    ['{application}}', "has an unmatched '{' or '}'"],
    ['../x.tgz', "has a '.' or '..' segment"],
    ['a/../b', "has a '.' or '..' segment"],
    ['./x', "has a '.' or '..' segment"],
    ['a/./b', "has a '.' or '..' segment"],
    ['a/..', "has a '.' or '..' segment"],
    ['{application}/../{ext}', "has a '.' or '..' segment"]
  ])('%j → %s', (template, problem) => {
    expect(checkKeyTemplate(template)).toBe(problem)
  })

  it('reports the first problem in a fixed order: line break before placeholders', () => {
    expect(checkKeyTemplate('{foo}\n')).toBe('contains a line break or NUL')
    expect(checkKeyTemplate('/{foo}')).toBe(
      "starts with '/', which makes an empty first folder in S3"
    )
    expect(checkKeyTemplate('{foo}/../x')).toBe('has unknown placeholder {foo}')
  })

  it('accepts every documented placeholder and only those', () => {
    expect(KEY_PLACEHOLDERS).toEqual([
      'application',
      'run_number',
      'run_attempt',
      'run_id',
      'sha',
      'short_sha',
      'ref_name',
      'bundle_hash',
      'ext'
    ])
    for (const p of KEY_PLACEHOLDERS) expect(checkKeyTemplate(`x/{${p}}`)).toBeUndefined()
  })

  it('does not look at length: that is checked on the rendered key', () => {
    expect(checkKeyTemplate('a'.repeat(MAX_KEY_BYTES + 10))).toBeUndefined()
  })
})

describe('placeholdersUsed', () => {
  it.each<[string, string[]]>([
    [DEFAULT_KEY, ['application', 'run_number', 'bundle_hash', 'ext']],
    ['static.tgz', []],
    ['{sha}-{sha}', ['sha', 'sha']],
    ['{short_sha}/{ref_name}', ['short_sha', 'ref_name']],
    ['{Application}/{run-id}', []]
  ])('%j → %j', (template, used) => {
    expect(placeholdersUsed(template)).toEqual(used)
  })
})

describe('renderKey', () => {
  it('renders the default template', () => {
    expect(renderKey(DEFAULT_KEY, VALUES)).toBe('sample-app/42/fedcba9876543210.tgz')
  })

  it('replaces every placeholder, each occurrence', () => {
    const template = KEY_PLACEHOLDERS.map((p) => `{${p}}`).join('/') + '/{sha}'
    expect(renderKey(template, VALUES)).toBe(
      [
        'sample-app',
        '42',
        '2',
        '9876543210',
        VALUES.sha,
        '0123456',
        'main',
        'fedcba9876543210',
        'tgz',
        VALUES.sha
      ].join('/')
    )
  })

  it('leaves text outside placeholders as it is', () => {
    expect(renderKey('déploiement/{ext}/static.{ext}', VALUES)).toBe('déploiement/tgz/static.tgz')
  })

  it.each<[string, string]>([
    ['feature/login', 'feature/login'],
    ['dependabot/npm_and_yarn/x-1.2.3', 'dependabot/npm_and_yarn/x-1.2.3'],
    ['release v1', 'release-v1'],
    ['fix#12', 'fix-12'],
    ['a+b&c=d?e', 'a-b-c-d-e'],
    ['ünïcode', '-n-code'],
    ["ok!_.*'()", "ok!_.*'()"],
    ['50%', '50-'],
    ['a\\b', 'a-b'],
    ['{application}', '-application-']
  ])('makes ref_name %j key-safe: %j', (ref, safe) => {
    expect(renderKey('k/{ref_name}', { ...VALUES, ref_name: ref })).toBe(`k/${safe}`)
  })

  it('does not rewrite the other values (they are checked where they come from)', () => {
    expect(renderKey('{application}', { ...VALUES, application: 'my app+1' })).toBe('my app+1')
  })

  it('inserts values literally: no $& or $1 replacement patterns', () => {
    expect(renderKey('{application}/{ext}', { ...VALUES, application: '$&$1$$', ext: "$'" })).toBe(
      "$&$1$$/$'"
    )
  })

  it('does not expand a placeholder found inside a value', () => {
    expect(renderKey('{application}', { ...VALUES, application: '{sha}' })).toBe('{sha}')
  })

  it('leaves names that are not lower-case placeholders alone', () => {
    expect(renderKey('{Application}/{run-id}', VALUES)).toBe('{Application}/{run-id}')
  })
})
