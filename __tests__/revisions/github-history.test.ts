import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  describeGithubError,
  githubHistory,
  octokitCompare,
  type CompareCall,
  type GithubHistoryOptions
} from '../../src/revisions/github-history.js'
import { comparison, unknown } from './answers.js'

const TOKEN = 'ghs_NotARealTokenButLongEnough0123456789'
const BASE = 'b'.repeat(40)
const HEAD = 'a'.repeat(40)
const OPTS: GithubHistoryOptions = {
  token: TOKEN,
  repository: 'octo-org/app',
  apiUrl: 'https://api.github.com'
}

type Args = Parameters<CompareCall>[0]
type Data = Awaited<ReturnType<CompareCall>>['data']
type ApiCommit = NonNullable<Data['commits']>[number]

/** A fake compare call: records what it was asked and answers with `answer`. */
function fake(answer: (args: Args) => Data | Promise<Data>): { calls: Args[]; call: CompareCall } {
  const calls: Args[] = []
  return {
    calls,
    call: async (args) => {
      calls.push(args)
      return { data: await answer(args) }
    }
  }
}

function failing(err: unknown): { calls: Args[]; call: CompareCall } {
  return fake(() => {
    throw err
  })
}

function apiCommit(n: number): ApiCommit {
  return {
    sha: n.toString(16).padStart(40, '0'),
    commit: { message: `commit ${n}\n\nbody of ${n}`, author: { name: `Author ${n}` } },
    author: { login: `login${n}` }
  }
}

/** GitHub's answer for `total` commits ahead: the oldest 250 first, or the page asked for. */
function github(total: number, extra: Partial<Data> = {}): (args: Args) => Data {
  const all = Array.from({ length: total }, (_, i) => apiCommit(i + 1))
  return (args) => {
    const perPage = args.per_page ?? 250
    const page = args.page ?? 1
    return {
      status: 'ahead',
      ahead_by: total,
      behind_by: 0,
      total_commits: total,
      commits: all.slice((page - 1) * perPage, page * perPage),
      ...extra
    }
  }
}

describe('githubHistory', () => {
  it('is named for the log', () => {
    expect(githubHistory(OPTS, fake(github(0)).call).name).toBe("GitHub's compare API")
  })

  it('asks for base...head of the repository', async () => {
    const f = fake(github(2))
    await githubHistory(OPTS, f.call).compare(BASE, HEAD)
    expect(f.calls).toEqual([{ owner: 'octo-org', repo: 'app', basehead: `${BASE}...${HEAD}` }])
  })

  it('maps status, ahead_by, behind_by and the commits: newest first, subject only', async () => {
    const f = fake(() => ({
      status: 'diverged',
      ahead_by: 2,
      behind_by: 7,
      total_commits: 2,
      commits: [apiCommit(1), apiCommit(2)]
    }))
    expect(comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD))).toEqual({
      relation: 'diverged',
      aheadBy: 2,
      behindBy: 7,
      commits: [
        { sha: apiCommit(2).sha, subject: 'commit 2', author: 'Author 2' },
        { sha: apiCommit(1).sha, subject: 'commit 1', author: 'Author 1' }
      ],
      source: 'GitHub'
    })
  })

  it.each(['identical', 'ahead', 'behind', 'diverged'] as const)(
    'maps status %s',
    async (status) => {
      const f = fake(() => ({ status, ahead_by: 0, behind_by: 0, total_commits: 0, commits: [] }))
      expect(comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD)).relation).toBe(
        status
      )
    }
  )

  it('an unknown status: unknown, naming it', async () => {
    const f = fake(() => ({ status: 'sideways', ahead_by: 1 }))
    expect(unknown(await githubHistory(OPTS, f.call).compare(BASE, HEAD))).toBe(
      "GitHub answered an unknown status 'sideways'"
    )
    const none = fake(() => ({}))
    expect(unknown(await githubHistory(OPTS, none.call).compare(BASE, HEAD))).toContain(
      "'undefined'"
    )
  })

  it('the author: the commit’s author name, else the GitHub login, else empty', async () => {
    const f = fake(() => ({
      status: 'ahead',
      ahead_by: 4,
      total_commits: 4,
      commits: [
        {
          sha: '1',
          commit: { message: 'one', author: { name: 'Named' } },
          author: { login: 'l1' }
        },
        { sha: '2', commit: { message: 'two', author: null }, author: { login: 'l2' } },
        { sha: '3', commit: { message: 'three' }, author: null },
        {}
      ]
    }))
    const c = comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD))
    expect(c.commits).toEqual([
      { sha: '', subject: '', author: '' },
      { sha: '3', subject: 'three', author: '' },
      { sha: '2', subject: 'two', author: 'l2' },
      { sha: '1', subject: 'one', author: 'Named' }
    ])
  })

  it('lists at most 20, the newest, when the answer holds them all', async () => {
    const f = fake(github(30))
    const c = comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD))
    expect(c.aheadBy).toBe(30)
    expect(c.commits.map((x) => x.subject)).toEqual(
      Array.from({ length: 20 }, (_, i) => `commit ${30 - i}`)
    )
    expect(f.calls).toHaveLength(1)
  })

  it.each([251, 260, 300, 301, 319, 320, 1000, 1001])(
    '%i commits (more than one answer lists): the newest 20 from the last pages',
    async (total) => {
      const f = fake(github(total))
      const c = comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD))
      expect(c.aheadBy).toBe(total)
      expect(c.commits.map((x) => x.subject)).toEqual(
        Array.from({ length: 20 }, (_, i) => `commit ${total - i}`)
      )
      const last = Math.ceil(total / 20)
      expect(f.calls[0]).toEqual({ owner: 'octo-org', repo: 'app', basehead: `${BASE}...${HEAD}` })
      expect(f.calls[1]).toEqual({
        owner: 'octo-org',
        repo: 'app',
        basehead: `${BASE}...${HEAD}`,
        per_page: 20,
        page: last
      })
      // Never more than the first answer and the last two pages.
      expect(f.calls.length).toBeLessThanOrEqual(3)
      for (const c of f.calls.slice(1)) expect(c.per_page).toBe(20)
    }
  )

  it('no token: unknown, without any call', async () => {
    const f = fake(github(1))
    expect(unknown(await githubHistory({ ...OPTS, token: '' }, f.call).compare(BASE, HEAD))).toBe(
      'no github-token was given'
    )
    expect(f.calls).toEqual([])
  })

  it.each([
    ['', 'GITHUB_REPOSITORY is not set'],
    ['octo-org', "GITHUB_REPOSITORY 'octo-org' is not owner/name"],
    ['octo-org/', "GITHUB_REPOSITORY 'octo-org/' is not owner/name"],
    ['/app', "GITHUB_REPOSITORY '/app' is not owner/name"],
    ['octo-org/app/extra', "GITHUB_REPOSITORY 'octo-org/app/extra' is not owner/name"]
  ])('a malformed repository %j: unknown, without any call', async (repository, expected) => {
    const f = fake(github(1))
    expect(unknown(await githubHistory({ ...OPTS, repository }, f.call).compare(BASE, HEAD))).toBe(
      expected
    )
    expect(f.calls).toEqual([])
  })

  it.each([
    ['a short commit id', 'abcdef1', HEAD],
    ['an option', BASE, '--output=/tmp/x'],
    ['a branch name', 'main', HEAD]
  ])('%s: unknown, without any call', async (_what, base, head) => {
    const f = fake(github(1))
    expect(unknown(await githubHistory(OPTS, f.call).compare(base, head))).toBe(
      'not a full commit id'
    )
    expect(f.calls).toEqual([])
  })

  it('a failed call: unknown, explained', async () => {
    const f = failing(Object.assign(new Error('Not Found'), { status: 404 }))
    expect(unknown(await githubHistory(OPTS, f.call).compare(BASE, HEAD))).toContain(
      'GitHub answered 404'
    )
  })

  it('a failed request for the last page: the order still known, the list of commits empty', async () => {
    let n = 0
    const f = fake((args) => {
      if (++n > 1) throw Object.assign(new Error('Server Error'), { status: 502 })
      return github(400)(args)
    })
    expect(comparison(await githubHistory(OPTS, f.call).compare(BASE, HEAD))).toEqual({
      relation: 'ahead',
      aheadBy: 400,
      behindBy: 0,
      commits: [],
      source: 'GitHub'
    })
  })
})

/** The errors Octokit throws (RequestError: status, message, the request with its headers redacted). */
function requestError(status: number, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    request: {
      method: 'GET',
      url: 'https://api.github.com/repos/octo-org/app/compare/x...y',
      headers: { authorization: 'token [REDACTED]' }
    },
    ...(cause === undefined ? {} : { cause }),
    ...(cause === undefined ? { response: { status, headers: {}, data: { message } } } : {})
  })
}

function timeoutError(): Error {
  return Object.assign(new Error('The operation was aborted due to timeout'), {
    name: 'TimeoutError'
  })
}

describe('describeGithubError', () => {
  const repo = 'octo-org/app'
  it.each<[string, unknown, string]>([
    [
      '401',
      requestError(401, 'Bad credentials - https://docs.github.com/rest'),
      'GitHub refused the token (401 Bad credentials - https://docs.github.com/rest): check github-token'
    ],
    [
      '403',
      requestError(403, 'Resource not accessible by integration'),
      'GitHub answered 403 (Resource not accessible by integration): the token needs contents: read on octo-org/app, or the API rate limit was reached'
    ],
    [
      '404',
      requestError(404, 'Not Found'),
      'GitHub answered 404 (Not Found): the token cannot read octo-org/app, or one of the commits is not on GitHub'
    ],
    ['a timeout (AbortSignal.timeout)', timeoutError(), 'GitHub did not answer within 15 s'],
    [
      'a timeout, as Octokit reports it (status 500, the TimeoutError as its cause)',
      requestError(500, 'The operation was aborted due to timeout', timeoutError()),
      'GitHub did not answer within 15 s'
    ],
    [
      'an abort',
      Object.assign(new Error('This operation was aborted'), { name: 'AbortError', status: 500 }),
      'GitHub did not answer within 15 s'
    ],
    [
      'a server error',
      requestError(502, 'Bad Gateway\nmore lines'),
      'the request failed (502 Bad Gateway)'
    ],
    [
      'a refused connection, as Octokit reports it (no answer, so no status)',
      requestError(
        500,
        'connect ECONNREFUSED 127.0.0.1:443',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' })
      ),
      'the request failed (connect ECONNREFUSED 127.0.0.1:443)'
    ],
    ['an error without status', new Error('boom'), 'the request failed (boom)'],
    ['a string', 'weird', 'the request failed (weird)']
  ])('%s', (_what, err, expected) => {
    expect(describeGithubError(err, repo)).toBe(expected)
  })

  it('never says the token, whatever the error carries', () => {
    const errors = [
      requestError(401, 'Bad credentials'),
      requestError(403, 'Forbidden'),
      requestError(404, 'Not Found'),
      requestError(500, 'x', timeoutError()),
      Object.assign(new Error('boom'), {
        request: { headers: { authorization: `token ${TOKEN}` } }
      })
    ]
    for (const err of errors) expect(describeGithubError(err, repo)).not.toContain(TOKEN)
  })
})

describe('octokitCompare (through @actions/github, against a local server)', () => {
  let server: Server
  let apiUrl: string
  const requests: { url: string; authorization: string }[] = []
  let respond: (req: IncomingMessage) => { status: number; body: unknown } = () => ({
    status: 200,
    body: {}
  })

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url ?? '', authorization: req.headers.authorization ?? '' })
      const { status, body } = respond(req)
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('calls GET /repos/{owner}/{repo}/compare/{base}...{head} with the token, and the last page', async () => {
    requests.length = 0
    respond = (req) => {
      const page = new URL(req.url ?? '', apiUrl).searchParams.get('page')
      return {
        status: 200,
        body: github(300)(
          page
            ? { owner: '', repo: '', basehead: '', per_page: 20, page: Number(page) }
            : { owner: '', repo: '', basehead: '' }
        )
      }
    }
    const o = { ...OPTS, apiUrl }
    const c = comparison(await githubHistory(o, octokitCompare(o)).compare(BASE, HEAD))
    expect(c.aheadBy).toBe(300)
    expect(c.commits[0]?.subject).toBe('commit 300')
    expect(requests.map((r) => r.url)).toEqual([
      `/repos/octo-org/app/compare/${BASE}...${HEAD}`,
      `/repos/octo-org/app/compare/${BASE}...${HEAD}?per_page=20&page=15`
    ])
    for (const r of requests) expect(r.authorization).toBe(`token ${TOKEN}`)
  })

  it('a refusal: unknown, explained, without the token', async () => {
    respond = () => ({ status: 401, body: { message: 'Bad credentials' } })
    const o = { ...OPTS, apiUrl }
    const why = unknown(await githubHistory(o, octokitCompare(o)).compare(BASE, HEAD))
    expect(why).toMatch(/^GitHub refused the token \(401 Bad credentials/)
    expect(why).not.toContain(TOKEN)
  })

  it('a server that never answers: Octokit’s timeout error reads as a timeout', async () => {
    const silent = createServer(() => undefined)
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { getOctokit } = await import('@actions/github')
      const octokit = getOctokit(TOKEN, {
        baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
      })
      const err = await octokit.rest.repos
        .compareCommitsWithBasehead({
          owner: 'octo-org',
          repo: 'app',
          basehead: `${BASE}...${HEAD}`,
          request: { signal: AbortSignal.timeout(100) }
        })
        .catch((e: unknown) => e)
      expect(describeGithubError(err, 'octo-org/app')).toBe('GitHub did not answer within 15 s')
    } finally {
      silent.closeAllConnections()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('a connection refused: unknown, saying so', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const o = { ...OPTS, apiUrl: `http://127.0.0.1:${port}` }
    const why = unknown(await githubHistory(o, octokitCompare(o)).compare(BASE, HEAD))
    // Octokit says the cause's message ("connect ECONNREFUSED ...") when it can read it as an
    // Error; under Jest's module sandbox the cause comes from another realm: "fetch failed".
    expect(why).toMatch(/^the request failed \((connect ECONNREFUSED .*|fetch failed)\)$/)
    expect(why).not.toContain('500')
    expect(why).not.toContain(TOKEN)
  })
})
