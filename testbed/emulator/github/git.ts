// The git questions the GitHub API's answers are computed from, asked of a real repository on this
// machine: each a git process (execFile, no shell) with a time limit, its revisions after
// --end-of-options and only full shas once resolved, and no user or system config (a test's
// ~/.gitconfig must not change an answer).
import { execFile } from 'node:child_process'
import type { CommitFacts } from './shapes.ts'

const TIMEOUT_MS = 10_000
const MAX_BUFFER = 32 * 1024 * 1024

export class GitError extends Error {}

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: '/nonexistent',
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0'
}

/** git's exit code and output; rejects only when git could not run or ran out of time. */
function git(repo: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-C', repo, ...args],
      { env: ENV, timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: MAX_BUFFER },
      (error, stdout, stderr) => {
        if (!error) return resolve({ code: 0, stdout })
        if (typeof error.code === 'number' && !error.killed)
          return resolve({ code: error.code, stdout })
        reject(new GitError(`git ${args[0]} in ${repo}: ${error.message.trim()} ${stderr.trim()}`))
      }
    )
  })
}

async function ok(repo: string, args: string[]): Promise<string> {
  const r = await git(repo, args)
  if (r.code !== 0) throw new GitError(`git ${args.join(' ')} in ${repo} exited with ${r.code}`)
  return r.stdout
}

/** Why `repo` is no git repository git will read here, or undefined. */
export async function repositoryProblem(repo: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', repo, 'rev-parse', '--git-dir'],
      { env: ENV, timeout: TIMEOUT_MS },
      (e, _o, stderr) => resolve(e ? stderr.trim() || e.message : undefined)
    )
  })
}

/** The full sha of the commit `ref` names, or undefined when the repository has none. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  const r = await git(repo, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`
  ])
  return r.code === 0 ? r.stdout.trim() : undefined
}

/** The best common ancestor, or undefined for unrelated histories (or a shallow cut between). */
export async function mergeBase(repo: string, a: string, b: string): Promise<string | undefined> {
  const r = await git(repo, ['merge-base', '--end-of-options', a, b])
  if (r.code === 1) return undefined
  if (r.code !== 0) throw new GitError(`git merge-base in ${repo} exited with ${r.code}`)
  return r.stdout.trim()
}

/** Commits only `base` has, and commits only `head` has. */
export async function counts(
  repo: string,
  base: string,
  head: string
): Promise<{ behind: number; ahead: number }> {
  const out = await ok(repo, [
    'rev-list',
    '--count',
    '--left-right',
    '--end-of-options',
    `${base}...${head}`,
    '--'
  ])
  const [behind, ahead] = out.trim().split(/\s+/).map(Number)
  return { behind: behind!, ahead: ahead! }
}

const FIELDS = ['%H', '%T', '%P', '%an', '%ae', '%at', '%cn', '%ce', '%ct', '%B']

function parseLog(out: string): CommitFacts[] {
  // -z: a NUL after each commit; the fields are NUL-separated too (a message never holds one).
  const f = out.split('\0')
  const commits: CommitFacts[] = []
  for (let i = 0; i + FIELDS.length <= f.length; i += FIELDS.length) {
    const [sha, tree, parents, an, ae, at, cn, ce, ct, message] = f.slice(
      i,
      i + FIELDS.length
    ) as string[]
    commits.push({
      sha: sha!,
      tree: tree!,
      parents: parents ? parents.split(' ') : [],
      author: { name: an!, email: ae!, time: Number(at) },
      committer: { name: cn!, email: ce!, time: Number(ct) },
      message: message!.replace(/\n+$/, '')
    })
  }
  return commits
}

const LOG = ['log', '-z', `--format=${FIELDS.join('%x00')}`]

/** The newest `max` commits `head` has and `base` has not, oldest first, parents before children. */
export async function commitsBetween(
  repo: string,
  base: string,
  head: string,
  max: number
): Promise<CommitFacts[]> {
  const out = await ok(repo, [
    ...LOG,
    '--date-order',
    `--max-count=${max}`,
    '--end-of-options',
    head,
    `^${base}`,
    '--'
  ])
  return parseLog(out).reverse()
}

/** These commits (full shas), by sha. */
export async function commitsNamed(
  repo: string,
  shas: string[]
): Promise<Map<string, CommitFacts>> {
  const out = await ok(repo, [...LOG, '--no-walk=unsorted', '--end-of-options', ...shas, '--'])
  return new Map(parseLog(out).map((c) => [c.sha, c]))
}

/** The branch HEAD names, or undefined (detached). */
export async function defaultBranch(repo: string): Promise<string | undefined> {
  const r = await git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'])
  return r.code === 0 ? r.stdout.trim() : undefined
}
