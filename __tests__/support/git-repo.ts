// Real git repositories with a fixed history, for what the action asks of git and of GitHub's
// compare API (the bed computes it with git from a repository a test registers): the same names,
// dates and contents every run, so the same shas. No user or system git config takes part.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { suiteTempDir } from '../temp-dir.js'

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

/** git's output in `repo`; throws with git's message when it fails. */
export function git(repo: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-C', repo, ...args], {
    env: { ...ENV, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

export interface Author {
  name: string
  email: string
}

/** GitHub's no-reply address: the bed's API links its commits to the account `octocat`. */
export const OCTOCAT: Author = {
  name: 'Mona Lisa Octocat',
  email: '583231+octocat@users.noreply.github.com'
}
/** An address no GitHub account has: the API's `author` is null. */
export const CI_BOT: Author = { name: 'CI Bot', email: 'ci@example.com' }

/** 2026-01-01T00:00:00Z, the first commit's time; each later one is an hour on. */
export const FIRST_COMMIT_TIME = 1767225600

export interface NewCommit {
  /** The first line, then a blank line and the body, as `git commit -m subject -m body` writes it. */
  subject: string
  body: string
  /** Seconds since the epoch, as author and committer date. */
  time: number
  author?: Author
  /** Written to version.txt, so each commit changes a file. */
  content?: string
}

/** Commits what `c` says on the branch checked out in `repo`; its sha. */
export function commit(repo: string, c: NewCommit): string {
  const who = c.author ?? OCTOCAT
  writeFileSync(path.join(repo, 'version.txt'), `${c.content ?? c.subject}\n`)
  git(repo, ['add', 'version.txt'])
  const date = `@${c.time} +0000`
  git(
    repo,
    [
      '-c',
      `user.name=${who.name}`,
      '-c',
      `user.email=${who.email}`,
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '--allow-empty',
      '-m',
      c.subject,
      '-m',
      c.body
    ],
    { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }
  )
  return git(repo, ['rev-parse', 'HEAD'])
}

export interface GitHistory {
  /** A work tree on `main` (at C). */
  path: string
  /**
   * main: A → B → C. side: B → D → E (by CI_BOT; against C it is 2 ahead and 1 behind).
   * unrelated: X, a root of its own (no common ancestor with the others).
   */
  commits: { A: string; B: string; C: string; D: string; E: string; X: string }
  /** `git clone --depth 1` of main: C alone, its parents unknown to it. */
  shallow: string
}

/** A new repository with the history GitHistory describes, and its shallow clone. */
export function gitHistory(): GitHistory {
  const dir = suiteTempDir('git-history-')
  const repo = path.join(dir, 'repo')
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo], { env: ENV })
  let hour = 0
  const next = (letter: string, author?: Author): string =>
    commit(repo, {
      subject: `${letter}: release ${letter.toLowerCase()}`,
      body: `What ${letter} changed.\n\nA second paragraph.`,
      time: FIRST_COMMIT_TIME + 3600 * hour++,
      author,
      content: letter
    })
  const A = next('A')
  const B = next('B')
  const C = next('C')
  git(repo, ['checkout', '--quiet', '-b', 'side', B])
  const D = next('D', CI_BOT)
  const E = next('E', CI_BOT)
  git(repo, ['checkout', '--quiet', '--orphan', 'unrelated'])
  const X = next('X')
  git(repo, ['checkout', '--quiet', '--force', 'main'])
  const shallow = path.join(dir, 'shallow')
  execFileSync(
    'git',
    ['clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${repo}`, shallow],
    { env: ENV }
  )
  return { path: repo, commits: { A, B, C, D, E, X }, shallow }
}

/** A new repository whose main is `count` commits in a line (one git process: fast-import); their shas, oldest first. */
export function linearHistory(count: number): { path: string; shas: string[] } {
  const repo = path.join(suiteTempDir('git-linear-'), 'repo')
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', repo], { env: ENV })
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`
  let stream = ''
  for (let i = 0; i < count; i++) {
    const when = `${FIRST_COMMIT_TIME + 60 * i} +0000`
    stream +=
      `commit refs/heads/main\nmark :${i + 1}\n` +
      `author ${OCTOCAT.name} <${OCTOCAT.email}> ${when}\ncommitter ${OCTOCAT.name} <${OCTOCAT.email}> ${when}\n` +
      data(`Commit ${i + 1}\n\nOne of ${count}.\n`) +
      (i > 0 ? `from :${i}\n` : '') +
      `M 644 inline version.txt\n${data(`${i + 1}\n`)}\n`
  }
  execFileSync('git', ['-C', repo, 'fast-import', '--quiet'], { env: ENV, input: stream })
  return { path: repo, shas: git(repo, ['rev-list', '--reverse', 'main']).split('\n') }
}
