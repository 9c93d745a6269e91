// The workspace's own git history: it answers when it holds both commits and is not shallow
// (actions/checkout's default fetch-depth of 1 holds only the run's commit, so this is the rarer
// path; GitHub's compare API is asked next).
import { execFile } from 'node:child_process'
import { FULL_SHA } from './provenance.js'
import { COMMITS_SHOWN, relationOf, type CompareAnswer, type History } from './history.js'

/** A local git command that takes longer than this is stuck (a lazy fetch, a lock): give up. */
const GIT_TIMEOUT_MS = 10_000

interface GitResult {
  code: number
  stdout: string
  stderr: string
}

export type RunGit = (args: string[]) => Promise<GitResult>

/** git in `dir`, no shell, no prompt, no network fetch of missing objects, bounded in time. */
export function gitIn(dir: string, env: NodeJS.ProcessEnv = process.env): RunGit {
  return (args) =>
    new Promise((resolve) => {
      execFile(
        'git',
        ['-C', dir, ...args],
        {
          timeout: GIT_TIMEOUT_MS,
          maxBuffer: 4 * 1024 * 1024,
          env: {
            ...env,
            GIT_TERMINAL_PROMPT: '0',
            GIT_NO_LAZY_FETCH: '1',
            GIT_OPTIONAL_LOCKS: '0',
            LC_ALL: 'C'
          }
        },
        (err, stdout, stderr) => {
          const code =
            err === null ? 0 : typeof err.code === 'number' ? err.code : err.killed ? -2 : -1
          resolve({ code, stdout: String(stdout), stderr: String(stderr || err?.message || '') })
        }
      )
    })
}

const FIELD = '\x1f'

export function gitHistory(git: RunGit): History {
  return {
    name: "the workspace's git history",
    async compare(base, head): Promise<CompareAnswer> {
      // Only full commit ids reach git's command line (one comes from an object's metadata).
      if (!FULL_SHA.test(base) || !FULL_SHA.test(head)) return { unknown: 'not a full commit id' }
      const shallow = await git(['rev-parse', '--is-shallow-repository'])
      if (shallow.code !== 0) return { unknown: unreadable(shallow.stderr) }
      for (const sha of [base, head]) {
        const has = await git(['cat-file', '-e', `${sha}^{commit}`])
        if (has.code !== 0)
          return {
            unknown: `it does not hold commit ${sha} (actions/checkout fetches only the run's commit unless fetch-depth: 0)`
          }
      }
      // A shallow clone may hold both commits but not what lies between: no answer from it.
      if (shallow.stdout.trim() === 'true')
        return { unknown: 'it is a shallow clone, which may lack the commits between the two' }
      const counts = await git(['rev-list', '--left-right', '--count', `${base}...${head}`])
      const m = /^(\d+)\s+(\d+)\s*$/.exec(counts.stdout)
      if (counts.code !== 0 || !m)
        return { unknown: `git rev-list failed (${firstLine(counts.stderr)})` }
      const behindBy = Number(m[1])
      const aheadBy = Number(m[2])
      const log = await git([
        'log',
        `--format=%H${FIELD}%an${FIELD}%s`,
        '-n',
        String(COMMITS_SHOWN),
        `${base}..${head}`
      ])
      if (log.code !== 0) return { unknown: `git log failed (${firstLine(log.stderr)})` }
      const commits = log.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [sha = '', author = '', subject = ''] = line.split(FIELD)
          return { sha, author, subject }
        })
      return {
        comparison: {
          relation: relationOf(aheadBy, behindBy),
          aheadBy,
          behindBy,
          commits,
          source: 'git'
        }
      }
    }
  }
}

/** Why git could not read the workspace, with the fix where there is one. */
function unreadable(stderr: string): string {
  if (/ENOENT/.test(stderr)) return 'git is not installed on the runner'
  if (/dubious ownership/.test(stderr))
    return 'git refuses it as another user\'s folder (run git config --global --add safe.directory "$GITHUB_WORKSPACE" in an earlier step)'
  return `not a git repository (${firstLine(stderr)})`
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() || 'no message'
}
