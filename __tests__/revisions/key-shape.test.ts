import { describe, expect, it } from '@jest/globals'
import { keyMatcher, listingPrefix, namesTheApplication } from '../../src/revisions/key-shape.js'

const DEFAULT = '{application}/{run_number}/{bundle_hash}.{ext}'
const SHA = '0123456789abcdef0123456789abcdef01234567'
const HASH = '0123456789abcdef'

describe('listingPrefix', () => {
  it.each([
    [DEFAULT, 'my-app', 'my-app/'],
    ['deploy/{ref_name}/{sha}.zip', 'my-app', 'deploy/'],
    ['releases/{application}-{bundle_hash}.{ext}', 'web', 'releases/web-'],
    ['{run_number}/{application}.tgz', 'web', ''],
    ['builds/{application}/{application}-{run_id}.{ext}', 'web', 'builds/web/web-'],
    ['fixed/bundle.zip', 'web', 'fixed/bundle.zip']
  ])('%s for %s lists %j', (template, app, prefix) => {
    expect(listingPrefix(template, app)).toBe(prefix)
  })
})

describe('keyMatcher', () => {
  it('takes the keys the default template renders for this application, nothing else', () => {
    const matches = keyMatcher(DEFAULT, 'my-app')
    for (const key of [`my-app/1/${HASH}.tgz`, `my-app/1234/${HASH}.zip`, `my-app/7/${HASH}.tar`])
      expect([key, matches(key)]).toEqual([key, true])
    for (const key of [
      `my-app-2/1/${HASH}.tgz`, // another application sharing the prefix's start
      `other/1/${HASH}.tgz`,
      `my-app/1/${HASH}.tgz.bak`,
      `my-app/1/${HASH.toUpperCase()}.tgz`,
      `my-app/1/${HASH.slice(1)}.tgz`,
      `my-app/one/${HASH}.tgz`,
      `my-app/1/${HASH}.gz`,
      'my-app/notes.txt',
      `my-app/1/2/${HASH}.tgz`
    ])
      expect([key, matches(key)]).toEqual([key, false])
  })

  it('reads ref_name as a key-safe branch (slashes kept) and sha as 40 or 64 hex digits', () => {
    const matches = keyMatcher('deploy/{ref_name}/{sha}.zip', 'my-app')
    expect(matches(`deploy/main/${SHA}.zip`)).toBe(true)
    expect(matches(`deploy/feature/login-form/${SHA}.zip`)).toBe(true)
    expect(matches(`deploy/release-1.2/${SHA}${'a'.repeat(24)}.zip`)).toBe(true)
    expect(matches(`deploy/main/${SHA.slice(1)}.zip`)).toBe(false)
    expect(matches(`deploy/main/${SHA}.tgz`)).toBe(false)
    expect(matches(`deploy/a b/${SHA}.zip`)).toBe(false)
  })

  it('takes the application name literally, whatever characters it has', () => {
    const matches = keyMatcher(DEFAULT, 'my.app+1')
    expect(matches(`my.app+1/3/${HASH}.tgz`)).toBe(true)
    expect(matches(`myXapp+1/3/${HASH}.tgz`)).toBe(false)
    expect(matches(`my.appp1/3/${HASH}.tgz`)).toBe(false)
  })

  it('knows every placeholder', () => {
    const matches = keyMatcher(
      '{application}/{run_number}-{run_attempt}-{run_id}/{short_sha}/{sha}/{ref_name}/{bundle_hash}.{ext}',
      'a'
    )
    expect(matches(`a/12-2-9876543210/${SHA.slice(0, 7)}/${SHA}/main/${HASH}.tgz`)).toBe(true)
  })
})

describe('namesTheApplication', () => {
  it('tells a template whose keys say the application from one whose keys do not', () => {
    expect(namesTheApplication(DEFAULT)).toBe(true)
    expect(namesTheApplication('deploy/{ref_name}/{sha}.zip')).toBe(false)
  })
})
