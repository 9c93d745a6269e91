// The bed's GitHub API, its pure parts: what a request may name (everything reaches git as an
// argument), the Authorization header, and GitHub's status of a comparison. The answers as a whole
// are checked through Octokit against the running bed (testbed/github-compare.test.ts).
import { describe, expect, it } from '@jest/globals'
import {
  credentials,
  parseRepository,
  parseRoute,
  validRef
} from '../../testbed/emulator/github/request.js'
import { accountOf, comparisonStatus } from '../../testbed/emulator/github/shapes.js'

describe('parseRoute', () => {
  it.each([
    ['/repos/octo/app/compare/main...feature', { base: 'main', head: 'feature' }],
    // Octokit encodes a ref's "/" as %2F; a raw "/" is GitHub's other spelling.
    ['/repos/octo/app/compare/main...feature%2Fx', { base: 'main', head: 'feature/x' }],
    ['/repos/octo/app/compare/release/1.2...main', { base: 'release/1.2', head: 'main' }],
    ['/repos/octo/my.app_2/compare/v1.0.0...a1b2c3d', { base: 'v1.0.0', head: 'a1b2c3d' }]
  ])('%s compares %o', (path, sides) => {
    expect(parseRoute(path)).toMatchObject({ kind: 'compare', ...sides })
  })

  it('keeps the basehead as the request gave it (html_url repeats it)', () => {
    expect(parseRoute('/repos/octo/app/compare/main...feature%2Fx')).toMatchObject({
      basehead: 'main...feature/x'
    })
  })

  it('reads a repository route', () => {
    expect(parseRoute('/repos/octo/app')).toEqual({
      kind: 'repository',
      owner: 'octo',
      name: 'app'
    })
  })

  it.each([
    // Would be options or revision syntax to git.
    '/repos/octo/app/compare/--output=x...main',
    '/repos/octo/app/compare/main...-n1',
    '/repos/octo/app/compare/main~2...main',
    '/repos/octo/app/compare/main^...main',
    '/repos/octo/app/compare/main@{1}...main',
    '/repos/octo/app/compare/main..feature',
    '/repos/octo/app/compare/a...b...c',
    '/repos/octo/app/compare/...main',
    '/repos/octo/app/compare/main%20x...main',
    '/repos/octo/app/compare/x.lock...main',
    '/repos/octo/app/compare/.hidden...main',
    // Cross-repository sides are not served.
    '/repos/octo/app/compare/octo:main...other:main',
    '/repos/-octo/app/compare/main...main',
    '/repos/octo/../compare/main...main',
    '/repos/octo/app/compare/%E0%A4%A...main',
    '/repos/octo',
    '/user'
  ])('%s is no route the bed serves', (path) => {
    expect(parseRoute(path)).toEqual({ kind: 'unknown' })
  })
})

describe('names', () => {
  it.each(['main', 'feature/x-1', 'v1.2.3', 'a1b2c3d', 'refs/heads/main', 'HEAD'])(
    '%s is a ref',
    (ref) => expect(validRef(ref)).toBe(true)
  )

  it.each(['-x', 'a..b', 'a//b', 'a/', 'a.', 'a/.b', 'a b', 'a:b', 'a~1', 'a^', 'a*', ''])(
    '%s is not',
    (ref) => expect(validRef(ref)).toBe(false)
  )

  it('reads owner/name with GitHub characters only', () => {
    expect(parseRepository('octo-org/my.app')).toEqual({ owner: 'octo-org', name: 'my.app' })
    for (const bad of ['octo', 'octo/app/x', '-octo/app', 'octo-/app', 'octo/..', 'oc to/app'])
      expect(parseRepository(bad)).toBeUndefined()
  })
})

describe('credentials', () => {
  it.each([
    [undefined, { scheme: 'none' }],
    ['', { scheme: 'none' }],
    ['token abc', { scheme: 'token', token: 'abc' }],
    // Octokit writes "bearer" for a JWT; GitHub's docs write "Bearer".
    ['bearer a.b.c', { scheme: 'bearer', token: 'a.b.c' }],
    ['Bearer abc', { scheme: 'bearer', token: 'abc' }],
    ['Basic dXNlcjpwYXNz', { scheme: 'other' }],
    ['token', { scheme: 'other' }]
  ])('%s', (header, expected) => {
    expect(credentials(header)).toEqual(expected)
  })
})

describe('comparisonStatus', () => {
  it.each([
    [0, 0, 'identical'],
    [2, 0, 'ahead'],
    [0, 1, 'behind'],
    [2, 1, 'diverged']
  ] as const)('ahead %i, behind %i: %s', (ahead, behind, status) => {
    expect(comparisonStatus(ahead, behind)).toBe(status)
  })
})

describe('accountOf', () => {
  it.each([
    ['octocat@users.noreply.github.com', { login: 'octocat' }],
    ['583231+octocat@users.noreply.github.com', { login: 'octocat' }],
    ['octocat@github.com', null],
    ['ci@example.com', null]
  ])('%s', (email, account) => {
    expect(accountOf(email)).toEqual(account)
  })
})
