import { describe, expect, it } from '@jest/globals'
import { validateHeaderValue } from 'node:http'
import type { RunContext } from '../../src/settings/settings.js'
import {
  PROVENANCE_KEYS,
  provenanceMetadata,
  provenanceOf,
  readProvenance
} from '../../src/revisions/provenance.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

function run(over: Partial<RunContext> = {}): RunContext {
  return {
    runNumber: '42',
    runAttempt: '2',
    runId: '9876543210',
    sha: SHA,
    refName: 'main',
    repository: 'octo-org/app',
    serverUrl: 'https://github.com',
    eventName: 'push',
    actor: 'octocat',
    workflowRef: 'octo-org/app/.github/workflows/deploy.yml@refs/heads/main',
    apiUrl: 'https://api.github.com',
    ...over
  }
}

/** What an HTTP header value may hold as sent: printable ASCII, no CR or LF. */
const HEADER_SAFE = /^[\x20-\x7e]*$/

describe('provenanceMetadata', () => {
  it('writes every key of a run, under its metadata name', () => {
    expect(provenanceMetadata(provenanceOf(run()))).toEqual({
      'git-commit': SHA,
      'github-repository': 'octo-org/app',
      'github-workflow-ref': 'octo-org/app/.github/workflows/deploy.yml@refs/heads/main',
      'github-run-id': '9876543210',
      'github-run-number': '42',
      'github-run-attempt': '2',
      'github-actor': 'octocat'
    })
  })

  it('names are lower-case, as S3 stores them', () => {
    for (const name of Object.values(PROVENANCE_KEYS)) expect(name).toBe(name.toLowerCase())
  })

  it('leaves out what the run does not know', () => {
    const md = provenanceMetadata(provenanceOf(run({ sha: '', actor: '', workflowRef: '' })))
    expect(Object.keys(md).sort()).toEqual([
      'github-repository',
      'github-run-attempt',
      'github-run-id',
      'github-run-number'
    ])
  })

  it('records a commit only as a full id (lower-cased); a short or odd GITHUB_SHA is left out', () => {
    expect(provenanceMetadata(provenanceOf(run({ sha: SHA.toUpperCase() })))['git-commit']).toBe(
      SHA
    )
    for (const sha of [SHA.slice(0, 7), 'main', `${SHA}\n`])
      expect(provenanceMetadata(provenanceOf(run({ sha })))).not.toHaveProperty('git-commit')
  })

  it('writes nothing for a run outside GitHub Actions', () => {
    const empty = run({
      sha: '',
      repository: '',
      workflowRef: '',
      runId: '',
      runNumber: '',
      runAttempt: '',
      actor: ''
    })
    expect(provenanceMetadata(provenanceOf(empty))).toEqual({})
  })

  it('encodes a non-ASCII branch name (RFC 2047) so the header is safe, and reads it back', () => {
    const workflowRef =
      'octo-org/app/.github/workflows/deploy.yml@refs/heads/fix/ünïcødé-ブランチ-🚀'
    const md = provenanceMetadata(provenanceOf(run({ workflowRef, actor: 'zoë' })))
    for (const [name, value] of Object.entries(md)) {
      expect(value).toMatch(HEADER_SAFE)
      expect(() => validateHeaderValue(`x-amz-meta-${name}`, value)).not.toThrow()
    }
    expect(md['github-workflow-ref']).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/)
    expect(md['github-actor']).toBe('=?UTF-8?B?em/Dqw==?=')
    // ASCII values are sent as they are.
    expect(md['github-repository']).toBe('octo-org/app')
    const back = readProvenance(md)
    expect(back?.workflowRef).toBe(workflowRef)
    expect(back?.actor).toBe('zoë')
  })

  it('flattens CR and LF into one space (no header injection)', () => {
    const md = provenanceMetadata(
      provenanceOf(run({ actor: 'evil\r\nx-amz-acl: public-read', workflowRef: 'a\n\nb\rc' }))
    )
    expect(md['github-actor']).toBe('evil x-amz-acl: public-read')
    expect(md['github-workflow-ref']).toBe('a b c')
    for (const value of Object.values(md)) expect(value).toMatch(HEADER_SAFE)
  })

  it('encodes other control characters rather than sending them', () => {
    const md = provenanceMetadata(provenanceOf(run({ actor: 'a\tb\x00c' })))
    expect(md['github-actor']).toMatch(HEADER_SAFE)
    expect(readProvenance(md)?.actor).toBe('a\tb\x00c')
  })

  it('round-trips a whole run through readProvenance', () => {
    const p = provenanceOf(run())
    expect(readProvenance(provenanceMetadata(p))).toEqual(p)
  })
})

describe('readProvenance', () => {
  it('reads nothing without metadata or without a git-commit', () => {
    expect(readProvenance(undefined)).toBeUndefined()
    expect(readProvenance({})).toBeUndefined()
    expect(readProvenance({ 'github-repository': 'octo-org/app' })).toBeUndefined()
  })

  it('accepts upper-case metadata names', () => {
    expect(
      readProvenance({
        'Git-Commit': SHA,
        'GITHUB-REPOSITORY': 'octo-org/app',
        'GitHub-Run-Number': '7'
      })
    ).toEqual({ commit: SHA, repository: 'octo-org/app', runNumber: '7' })
  })

  it('lower-cases the commit and trims it', () => {
    expect(readProvenance({ 'git-commit': ` ${SHA.toUpperCase()} ` })?.commit).toBe(SHA)
  })

  it.each([
    ['a short commit', SHA.slice(0, 7)],
    ['39 characters', SHA.slice(0, 39)],
    ['41 characters', `${SHA}0`],
    ['a non-hex commit', `${SHA.slice(0, 39)}g`],
    ['a branch name', 'main'],
    ['an option', '--output=/tmp/x'],
    ['a range', `${SHA.slice(0, 19)}..${SHA.slice(0, 19)}`],
    ['empty', '']
  ])('rejects %s', (_what, commit) => {
    expect(readProvenance({ 'git-commit': commit, 'github-repository': 'o/r' })).toBeUndefined()
  })

  it('leaves out empty values and keeps ASCII values as they are', () => {
    expect(
      readProvenance({ 'git-commit': SHA, 'github-actor': '', 'github-workflow-ref': '=?x?=' })
    ).toEqual({ commit: SHA, workflowRef: '=?x?=' })
  })

  it('decodes an encoded word whatever the case of its charset and encoding', () => {
    expect(
      readProvenance({ 'git-commit': SHA, 'github-actor': '=?utf-8?b?em/Dqw==?=' })?.actor
    ).toBe('zoë')
  })
})
