// The bed's GitHub REST API, through @actions/github as the action calls it: compare two commits of
// a real git repository, each answer checked against git's own, and GitHub's refusals (an unknown
// sha, unrelated histories, a shallow clone, an unregistered or private repository, a wrong token),
// and the request log that tells a test whether and how the API was called.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { getOctokit } from '@actions/github'
import { existsSync } from 'node:fs'
import {
  adminAnswer,
  bed,
  type Bed,
  githubRepository,
  lastSeq,
  removeGithubRepository,
  requests,
  unique
} from '../support/bed.js'
import {
  CI_BOT,
  FIRST_COMMIT_TIME,
  git,
  gitHistory,
  linearHistory,
  OCTOCAT,
  type GitHistory
} from '../support/git-repo.js'

let b: Bed
let h: GitHistory
const owner = 'octo-org'
const name = unique('compare')
const repository = `${owner}/${name}`
const privateName = unique('compare-private')
const TOKEN = 'ghs_bedTestToken123'

type Octokit = ReturnType<typeof getOctokit>
let octokit: Octokit

const compare = (basehead: string, repo = name, client: Octokit = octokit) =>
  client.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead }).then((r) => r.data)

type Comparison = Awaited<ReturnType<typeof compare>>

/** What git says of base...head: the served answer must agree, whatever the history. */
function expectGitAgrees(data: Comparison, base: string, head: string): void {
  const [behind, ahead] = git(h.path, ['rev-list', '--count', '--left-right', `${base}...${head}`])
    .split(/\s+/)
    .map(Number)
  const listed = git(h.path, ['log', '--reverse', '--format=%H', `${base}..${head}`])
  expect({
    ahead_by: data.ahead_by,
    behind_by: data.behind_by,
    commits: data.commits.map((c) => c.sha),
    merge_base: data.merge_base_commit.sha
  }).toEqual({
    ahead_by: ahead,
    behind_by: behind,
    commits: listed.split('\n').filter(Boolean),
    merge_base: git(h.path, ['merge-base', base, head])
  })
}

const refusal = (status: number, message: string) => ({
  status,
  response: { data: expect.objectContaining({ message, documentation_url: expect.any(String) }) }
})

beforeAll(async () => {
  b = bed()
  h = gitHistory()
  git(h.path, ['branch', 'release/1.0', h.commits.A])
  await githubRepository(b, { repository, path: h.path })
  await githubRepository(b, { repository: `${owner}/${privateName}`, path: h.path, token: TOKEN })
  // A public repository's answers do not depend on the token.
  octokit = getOctokit('any-token', { baseUrl: b.githubApiUrl })
})

describe('the bed points every client at its own GitHub API', () => {
  it('exports GITHUB_API_URL (and its twin) for the bed, and bed().env carries it to dist/', () => {
    expect(b.githubApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/github-api$/)
    expect(process.env.GITHUB_API_URL).toBe(b.githubApiUrl)
    expect(b.env.GITHUB_API_URL).toBe(b.githubApiUrl)
  })
})

describe('compare two commits, as git computes it', () => {
  it('ahead: the commits head has, oldest first, each with its message, author and parents', async () => {
    const { A, B, C } = h.commits
    const data = await compare(`${A}...${C}`)
    expect(data).toMatchObject({
      status: 'ahead',
      ahead_by: 2,
      behind_by: 0,
      total_commits: 2,
      html_url: `https://github.com/${repository}/compare/${A}...${C}`,
      url: `${b.githubApiUrl}/repos/${repository}/compare/${A}...${C}`,
      base_commit: { sha: A },
      merge_base_commit: { sha: A },
      files: []
    })
    expectGitAgrees(data, A, C)
    expect(data.commits[0]).toMatchObject({
      sha: B,
      html_url: `https://github.com/${repository}/commit/${B}`,
      commit: {
        message: 'B: release b\n\nWhat B changed.\n\nA second paragraph.',
        author: {
          ...OCTOCAT,
          date: new Date((FIRST_COMMIT_TIME + 3600) * 1000).toISOString().replace('.000', '')
        },
        committer: { ...OCTOCAT }
      },
      author: { login: 'octocat' },
      parents: [{ sha: A }]
    })
  })

  it('behind: no commits, behind_by counts what base has', async () => {
    const { A, C } = h.commits
    const data = await compare(`${C}...${A}`)
    expect(data).toMatchObject({ status: 'behind', ahead_by: 0, behind_by: 2 })
    expectGitAgrees(data, C, A)
    expect(data.total_commits).toBe(0)
    expect(data.commits).toEqual([])
    expect(data.merge_base_commit.sha).toBe(A)
  })

  it('identical: a branch and its sha; html_url repeats the names as asked', async () => {
    const data = await compare(`main...${h.commits.C}`)
    expect(data).toMatchObject({
      status: 'identical',
      ahead_by: 0,
      behind_by: 0,
      total_commits: 0,
      commits: [],
      html_url: `https://github.com/${repository}/compare/main...${h.commits.C}`
    })
    expectGitAgrees(data, 'main', h.commits.C)
  })

  it('diverged: both counts, the merge base, and a null author for an address no account has', async () => {
    const { B, D, E } = h.commits
    const data = await compare('main...side')
    expect(data).toMatchObject({
      status: 'diverged',
      ahead_by: 2,
      behind_by: 1
    })
    expect(data.merge_base_commit.sha).toBe(B)
    expect(data.commits.map((c) => c.sha)).toEqual([D, E])
    expectGitAgrees(data, 'main', 'side')
    expect(data.commits.map((c) => c.commit.author?.email)).toEqual([CI_BOT.email, CI_BOT.email])
    expect(data.commits[0]!.author).toBeNull()
  })

  it('a branch name with a slash (Octokit sends it as %2F)', async () => {
    const data = await compare('release/1.0...main')
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 2, base_commit: { sha: h.commits.A } })
  })

  it('at most 250 commits, the newest of the comparison, oldest first; total_commits counts all', async () => {
    const long = linearHistory(260)
    const repo = unique('compare-long')
    await githubRepository(b, { repository: `${owner}/${repo}`, path: long.path })
    const data = await compare(`${long.shas[0]}...main`, repo)
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 259, total_commits: 259 })
    expect(data.commits.map((c) => c.sha)).toEqual(long.shas.slice(10))
  })
})

describe("GitHub's refusals", () => {
  it('a sha the repository does not have: 404 "No commit found for SHA: x"', async () => {
    const unknown = '0123456789abcdef0123456789abcdef01234567'
    await expect(compare(`${unknown}...main`)).rejects.toMatchObject(
      refusal(404, `No commit found for SHA: ${unknown}`)
    )
  })

  it('histories with no common ancestor: 404', async () => {
    await expect(compare('main...unrelated')).rejects.toMatchObject(
      refusal(404, 'No common ancestor between main and unrelated.')
    )
  })

  it('a shallow clone knows only its tip: an older sha is unknown to it', async () => {
    const repo = unique('compare-shallow')
    await githubRepository(b, { repository: `${owner}/${repo}`, path: h.shallow })
    const { A, C } = h.commits
    await expect(compare(`${A}...${C}`, repo)).rejects.toMatchObject(
      refusal(404, `No commit found for SHA: ${A}`)
    )
    await expect(compare(`${C}...main`, repo)).resolves.toMatchObject({ status: 'identical' })
  })

  it('an unregistered repository, or one removed: 404 "Not Found"', async () => {
    await expect(compare('main...main', unique('nowhere'))).rejects.toMatchObject(
      refusal(404, 'Not Found')
    )
    const repo = unique('compare-removed')
    await githubRepository(b, { repository: `${owner}/${repo}`, path: h.path })
    await removeGithubRepository(b, `${owner}/${repo}`)
    await expect(compare('main...main', repo)).rejects.toMatchObject(refusal(404, 'Not Found'))
  })

  it('names git would read as options or revision syntax are no route: 404, and git never runs', async () => {
    const res = await fetch(
      `${b.githubApiUrl}/repos/${repository}/compare/--output=%2Ftmp%2Fgh-bed-x...main`
    )
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ message: 'Not Found' })
    expect(existsSync('/tmp/gh-bed-x')).toBe(false)
    await expect(compare('main~1...main')).rejects.toMatchObject({ status: 404 })
  })
})

describe('a private repository (registered with a token)', () => {
  const url = () => `${b.githubApiUrl}/repos/${owner}/${privateName}/compare/main...side`

  it('without Authorization: 404 "Not Found", as GitHub hides it', async () => {
    const res = await fetch(url())
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ message: 'Not Found' })
  })

  it('a wrong token: 401 "Bad credentials"', async () => {
    const wrong = getOctokit('ghs_wrong', { baseUrl: b.githubApiUrl })
    await expect(compare('main...side', privateName, wrong)).rejects.toMatchObject(
      refusal(401, 'Bad credentials')
    )
  })

  it('its token, as "token X" (Octokit) or "Bearer X"', async () => {
    const right = getOctokit(TOKEN, { baseUrl: b.githubApiUrl })
    await expect(compare('main...side', privateName, right)).resolves.toMatchObject({
      status: 'diverged'
    })
    const res = await fetch(url(), { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(200)
  })

  it('the request log: each call, its status and Authorization scheme, never the token', async () => {
    const since = await lastSeq(b)
    await fetch(url())
    await compare('main...side', privateName, getOctokit(TOKEN, { baseUrl: b.githubApiUrl }))
    await fetch(url(), { headers: { authorization: 'Bearer nope' } })
    const log = await requests(b, { repository: `${owner}/${privateName}`, since })
    expect(log).toEqual([
      expect.objectContaining({
        operation: 'GitHub.compare',
        status: 404,
        error: 'Not Found',
        input: { basehead: 'main...side', authorization: 'none' }
      }),
      expect.objectContaining({
        operation: 'GitHub.compare',
        status: 200,
        input: { basehead: 'main...side', authorization: 'token' }
      }),
      expect.objectContaining({
        operation: 'GitHub.compare',
        status: 401,
        error: 'Bad credentials',
        input: { basehead: 'main...side', authorization: 'bearer' }
      })
    ])
    expect(JSON.stringify(log)).not.toContain(TOKEN)
  })
})

describe('the admin endpoint', () => {
  it('refuses what it cannot serve, with the reason', async () => {
    const put = (body: unknown) =>
      adminAnswer(b, 'PUT', '/github/repositories', JSON.stringify(body))
    expect(await put({ repository: 'no-slash', path: h.path })).toMatchObject({ status: 400 })
    expect(await put({ repository: `${owner}/x`, path: 'relative' })).toMatchObject({ status: 400 })
    const notGit = await put({ repository: `${owner}/x`, path: '/nonexistent' })
    expect(notGit.status).toBe(400)
    expect(notGit.text).toContain('git cannot read a repository at /nonexistent')
  })

  it('lists repositories without their tokens', async () => {
    const { text } = await adminAnswer(b, 'GET', '/github/repositories')
    expect(JSON.parse(text).repositories).toContainEqual({
      repository: `${owner}/${privateName}`,
      path: h.path,
      private: true,
      serverUrl: 'https://github.com'
    })
    expect(text).not.toContain(TOKEN)
  })
})

describe('get a repository', () => {
  it('GET /repos/{owner}/{repo}: its name, visibility and default branch', async () => {
    const { data } = await octokit.rest.repos.get({ owner, repo: name })
    expect(data).toMatchObject({
      name,
      full_name: repository,
      private: false,
      default_branch: 'main',
      html_url: `https://github.com/${repository}`
    })
  })
})
