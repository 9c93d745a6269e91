// Against real git repositories made in temp folders: the answers the order check gets from a
// workspace checked out with fetch-depth: 0, a default (shallow) checkout, or no repository.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { gitHistory, gitIn, type RunGit } from '../../src/revisions/git-history.js'
import { comparison, unknown } from './answers.js'
import { suiteTempDir } from '../temp-dir.js'

const run = promisify(execFile)
const HAS_GIT = spawnSync('git', ['--version']).status === 0
const MISSING = 'f'.repeat(40)

/** No user or system configuration: the same repositories on every machine. */
const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1'
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { env: ENV })
  return stdout.trim()
}

interface Commit {
  branch: string
  /** The commit of this list it follows (a new branch starts there); none: the branch's tip, or a root. */
  from?: number
  message: string
  author: string
}

/**
 * Makes the commits in one `git fast-import` (one process, not two per commit), each a second
 * after the one before, with fixed names and dates; their full ids, in the list's order.
 */
async function makeCommits(dir: string, commits: Commit[]): Promise<string[]> {
  const stream = commits
    .map((c, i) => {
      const when = `${1_700_000_000 + i} +0000`
      const data = Buffer.from(c.message, 'utf8')
      return [
        `commit refs/heads/${c.branch}`,
        `mark :${i + 1}`,
        `author ${c.author} <a@example.com> ${when}`,
        `committer Test Bot <bot@example.com> ${when}`,
        `data ${data.length}`,
        c.message,
        ...(c.from !== undefined ? [`from :${c.from + 1}`] : []),
        ''
      ].join('\n')
    })
    .join('\n')
  const marks = path.join(dir, '.git', 'marks')
  await new Promise<void>((resolve, reject) => {
    const child = execFile(
      'git',
      ['-C', dir, 'fast-import', '--quiet', `--export-marks=${marks}`],
      { env: ENV },
      (err) => (err ? reject(err) : resolve())
    )
    child.stdin?.end(stream)
  })
  const ids = new Map(
    readFileSync(marks, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string])
  )
  return commits.map((_, i) => ids.get(`:${i + 1}`)!)
}

/** Records each git command line, and runs it. */
function recording(dir: string): { calls: string[][]; git: RunGit } {
  const calls: string[][] = []
  const real = gitIn(dir, ENV)
  return { calls, git: (args) => (calls.push(args), real(args)) }
}

const suite = HAS_GIT ? describe : describe.skip
if (!HAS_GIT) console.warn('git-history: skipped, git is not on PATH')

suite('gitHistory (real repositories)', () => {
  let repo: string
  /** main: m[0] (root) .. m[24]; side: from m[21], s[0], s[1]; other: an orphan o[0], o[1]. */
  const m: string[] = []
  const s: string[] = []
  const o: string[] = []

  beforeAll(async () => {
    repo = suiteTempDir('git-history-')
    await git(repo, ['init', '-q', '-b', 'main'])
    const main: Commit[] = Array.from({ length: 25 }, (_, i) => ({
      branch: 'main',
      message: i === 24 ? 'm25: the newest\n\nA body that is not the subject.\n' : `m${i + 1}\n`,
      author: i % 2 ? 'Grace Hopper' : 'Ada Lovelace'
    }))
    const ids = await makeCommits(repo, [
      ...main,
      { branch: 'side', from: 21, message: 's1\n', author: 'Side Author' },
      { branch: 'side', message: 's2\n', author: 'Side Author' },
      { branch: 'other', message: 'o1\n', author: 'Test Bot' },
      { branch: 'other', message: 'o2\n', author: 'Test Bot' }
    ])
    m.push(...ids.slice(0, 25))
    s.push(...ids.slice(25, 27))
    o.push(...ids.slice(27))
    await git(repo, ['reset', '-q', '--hard', 'main'])
  })

  const history = (dir = repo): ReturnType<typeof gitHistory> => gitHistory(gitIn(dir, ENV))

  it('is named for the log', () => {
    expect(history().name).toBe("the workspace's git history")
  })

  it('ahead by one: the commit with its subject (first line only) and author', async () => {
    const c = comparison(await history().compare(m[23]!, m[24]!))
    expect(c).toEqual({
      relation: 'ahead',
      aheadBy: 1,
      behindBy: 0,
      commits: [{ sha: m[24], subject: 'm25: the newest', author: 'Ada Lovelace' }],
      source: 'git'
    })
  })

  it('ahead by 24: counts them all and lists the newest 20, newest first', async () => {
    const c = comparison(await history().compare(m[0]!, m[24]!))
    expect(c.relation).toBe('ahead')
    expect(c.aheadBy).toBe(24)
    expect(c.behindBy).toBe(0)
    expect(c.commits).toHaveLength(20)
    expect(c.commits.map((x) => x.sha)).toEqual(m.slice(5).reverse())
    expect(c.commits[1]).toEqual({ sha: m[23], subject: 'm24', author: 'Grace Hopper' })
    expect(c.commits[19]).toEqual({ sha: m[5], subject: 'm6', author: 'Grace Hopper' })
  })

  it('behind: counts the newer commits and lists none', async () => {
    expect(comparison(await history().compare(m[24]!, m[19]!))).toEqual({
      relation: 'behind',
      aheadBy: 0,
      behindBy: 5,
      commits: [],
      source: 'git'
    })
  })

  it('diverged: both counts, and only our side listed', async () => {
    const c = comparison(await history().compare(m[24]!, s[1]!))
    expect(c.relation).toBe('diverged')
    expect(c.aheadBy).toBe(2)
    expect(c.behindBy).toBe(3)
    expect(c.commits).toEqual([
      { sha: s[1], subject: 's2', author: 'Side Author' },
      { sha: s[0], subject: 's1', author: 'Side Author' }
    ])
  })

  it('identical: the same commit on both sides', async () => {
    expect(comparison(await history().compare(m[3]!, m[3]!))).toMatchObject({
      relation: 'identical',
      aheadBy: 0,
      behindBy: 0,
      commits: []
    })
  })

  it('unrelated histories: diverged by the whole of each', async () => {
    const c = comparison(await history().compare(m[24]!, o[1]!))
    expect(c.relation).toBe('diverged')
    expect(c.aheadBy).toBe(2)
    expect(c.behindBy).toBe(25)
    expect(c.commits.map((x) => x.subject)).toEqual(['o2', 'o1'])
  })

  it('a commit the repository does not hold: unknown, naming it and fetch-depth', async () => {
    for (const [base, head] of [
      [MISSING, m[24]!],
      [m[24]!, MISSING]
    ]) {
      const why = unknown(await history().compare(base!, head!))
      expect(why).toContain(`does not hold commit ${MISSING}`)
      expect(why).toContain('fetch-depth: 0')
    }
  })

  it('a shallow clone holding one commit: unknown', async () => {
    const shallow = path.join(suiteTempDir('git-shallow-'), 'clone')
    await git(repo, ['clone', '-q', '--depth', '1', `file://${repo}`, shallow])
    const why = unknown(await history(shallow).compare(m[23]!, m[24]!))
    expect(why).toContain(`does not hold commit ${m[23]}`)
  })

  it('a shallow clone holding both commits: unknown all the same (what lies between may be missing)', async () => {
    const shallow = path.join(suiteTempDir('git-shallow-'), 'clone')
    await git(repo, ['clone', '-q', '--depth', '3', `file://${repo}`, shallow])
    const why = unknown(await history(shallow).compare(m[22]!, m[24]!))
    expect(why).toContain('shallow clone')
  })

  it('a full clone answers like the repository itself', async () => {
    const full = path.join(suiteTempDir('git-full-'), 'clone')
    await git(repo, ['clone', '-q', `file://${repo}`, full])
    const c = comparison(await history(full).compare(m[19]!, m[24]!))
    expect(c.aheadBy).toBe(5)
    expect(c.relation).toBe('ahead')
  })

  it('a folder that is not a repository: unknown, with git’s own reason', async () => {
    const dir = suiteTempDir('not-a-repo-')
    // Whatever holds the temp folder, git must not find a repository above it.
    const env = { ...ENV, GIT_CEILING_DIRECTORIES: path.dirname(dir) }
    const why = unknown(await gitHistory(gitIn(dir, env)).compare(m[0]!, m[1]!))
    expect(why).toMatch(/^not a git repository \(.+\)$/)
  })

  it('a folder that does not exist: unknown', async () => {
    const why = unknown(await history('/nonexistent/workspace').compare(m[0]!, m[1]!))
    expect(why).toMatch(/^not a git repository/)
  })

  it.each([
    ['an option', '--output=OUT'],
    ['a short commit id', 'abcdef1'],
    ['a branch name', 'main'],
    ['an upper-case commit id', 'A'.repeat(40)],
    ['a range', 'HEAD~1..HEAD'],
    ['a commit id with a newline', `${'a'.repeat(40)}\n`]
  ])('%s never reaches git', async (_what, arg) => {
    const out = path.join(suiteTempDir('git-arg-'), 'x')
    const value = arg.replace('OUT', out)
    const { calls, git: rec } = recording(repo)
    for (const [base, head] of [
      [value, m[24]!],
      [m[24]!, value]
    ])
      expect(unknown(await gitHistory(rec).compare(base!, head!))).toBe('not a full commit id')
    expect(calls).toEqual([])
    expect(existsSync(out)).toBe(false)
  })

  it('asks git only read-only questions', async () => {
    const { calls, git: rec } = recording(repo)
    comparison(await gitHistory(rec).compare(m[20]!, m[24]!))
    expect(calls.map((c) => c[0])).toEqual(['rev-parse', 'cat-file', 'cat-file', 'rev-list', 'log'])
  })
})

describe('gitHistory (failing git)', () => {
  const A = 'a'.repeat(40)
  const B = 'b'.repeat(40)

  it('no git on PATH: unknown, not a throw', async () => {
    const why = unknown(
      await gitHistory(gitIn(suiteTempDir('no-git-'), { PATH: '/nonexistent' })).compare(A, B)
    )
    expect(why).toBe('git is not installed on the runner')
  })
  const ok = (stdout = '') => ({ code: 0, stdout, stderr: '' })

  it("git refusing another user's folder: unknown, with the safe.directory fix", async () => {
    const g: RunGit = async () => ({
      code: 128,
      stdout: '',
      stderr: "fatal: detected dubious ownership in repository at '/w'\n"
    })
    expect(unknown(await gitHistory(g).compare(A, B))).toContain('safe.directory')
  })

  it('a failed rev-list: unknown, with its first line', async () => {
    const g: RunGit = async (args) =>
      args[0] === 'rev-list'
        ? { code: 128, stdout: '', stderr: 'fatal: bad object\nmore detail\n' }
        : ok(args[0] === 'rev-parse' ? 'false\n' : '')
    expect(await gitHistory(g).compare(A, B)).toEqual({
      unknown: 'git rev-list failed (fatal: bad object)'
    })
  })

  it('a rev-list answer it cannot read: unknown', async () => {
    const g: RunGit = async (args) =>
      ok(args[0] === 'rev-parse' ? 'false\n' : args[0] === 'rev-list' ? 'garbage\n' : '')
    expect(unknown(await gitHistory(g).compare(A, B))).toBe('git rev-list failed (no message)')
  })

  it('a failed log: unknown', async () => {
    const g: RunGit = async (args) =>
      args[0] === 'log'
        ? { code: 1, stdout: '', stderr: 'fatal: stuck' }
        : ok(args[0] === 'rev-parse' ? 'false\n' : args[0] === 'rev-list' ? '0\t2\n' : '')
    expect(await gitHistory(g).compare(A, B)).toEqual({ unknown: 'git log failed (fatal: stuck)' })
  })
})
