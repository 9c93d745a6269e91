// GitHub's REST API as the bed serves it below GITHUB_API_URL: compare two commits, and a
// repository's own record, computed by git from the registered repositories (repositories.ts).
// Refusals are GitHub's: 404 for what is not there or not to be seen (a private repository asked
// without a token), 401 for a wrong token. Every call goes to the request log as `GitHub.<route>`
// with its Authorization scheme, never the token.
import { createHash } from 'node:crypto'
import type { RequestLog } from '../core/request-log.ts'
import type { Registry } from '../registry.ts'
import {
  commitsBetween,
  commitsNamed,
  counts,
  defaultBranch,
  GitError,
  mergeBase,
  resolveCommit
} from './git.ts'
import type { RegisteredRepository } from './repositories.ts'
import { credentials, parseRoute, type Route } from './request.ts'
import {
  COMPARE_DOCS,
  comparisonJson,
  errorJson,
  REPOSITORY_DOCS,
  REST_DOCS,
  type Links
} from './shapes.ts'

export interface GitHubRequest {
  method: string
  /** Below the API prefix, still percent-encoded. */
  path: string
  headers: Record<string, string>
  /** The API's own base URL, as the client reached it (its links start with it). */
  apiUrl: string
}

export interface GitHubReply {
  status: number
  body: unknown
}

export interface GitHubDeps {
  registry: Registry
  requests: RequestLog
  log: (line: string) => void
}

// "the returned list is limited to 250 commits, and the last commit in the list is the most recent
// of the entire comparison" (GitHub REST API, Compare two commits).
const MAX_COMMITS = 250

const fail = (status: number, message: string, docs: string): GitHubReply => ({
  status,
  body: errorJson(status, message, docs)
})

const OPERATIONS: Record<Route['kind'], string> = {
  compare: 'GitHub.compare',
  repository: 'GitHub.repository',
  unknown: 'GitHub.unknown'
}

async function compare(
  repo: RegisteredRepository,
  route: Extract<Route, { kind: 'compare' }>,
  links: Links
): Promise<GitHubReply> {
  const [base, head] = await Promise.all([
    resolveCommit(repo.path, route.base),
    resolveCommit(repo.path, route.head)
  ])
  for (const [sha, ref] of [
    [base, route.base],
    [head, route.head]
  ] as const)
    if (!sha) return fail(404, `No commit found for SHA: ${ref}`, COMPARE_DOCS)
  const mb = await mergeBase(repo.path, base!, head!)
  if (!mb)
    return fail(404, `No common ancestor between ${route.base} and ${route.head}.`, COMPARE_DOCS)
  const [{ ahead, behind }, commits, named] = await Promise.all([
    counts(repo.path, base!, head!),
    commitsBetween(repo.path, base!, head!, MAX_COMMITS),
    commitsNamed(repo.path, [base!, mb])
  ])
  const facts = { basehead: route.basehead, ahead, behind, commits }
  const body = comparisonJson(
    { ...facts, base: named.get(base!)!, mergeBase: named.get(mb)! },
    links
  )
  return { status: 200, body }
}

async function repository(repo: RegisteredRepository, links: Links): Promise<GitHubReply> {
  const [owner, name] = repo.repository.split('/') as [string, string]
  return {
    status: 200,
    body: {
      // A stable number per name: GitHub's ids are numbers.
      id: createHash('sha256').update(repo.repository.toLowerCase()).digest().readUIntBE(0, 4),
      name,
      full_name: repo.repository,
      owner: { login: owner },
      private: repo.token !== undefined,
      html_url: links.html,
      url: links.api,
      default_branch: (await defaultBranch(repo.path)) ?? null
    }
  }
}

async function answer(req: GitHubRequest, route: Route, deps: GitHubDeps): Promise<GitHubReply> {
  if (route.kind === 'unknown') return fail(404, 'Not Found', REST_DOCS)
  const docs = route.kind === 'compare' ? COMPARE_DOCS : REPOSITORY_DOCS
  const repo = deps.registry.backends.github.get(route.owner, route.name)
  if (!repo) return fail(404, 'Not Found', docs)
  if (repo.token !== undefined) {
    const { scheme, token } = credentials(req.headers.authorization)
    // GitHub answers a private repository's anonymous reader as if it did not exist.
    if (scheme === 'none') return fail(404, 'Not Found', docs)
    if (token !== repo.token) return fail(401, 'Bad credentials', REST_DOCS)
  }
  const links = {
    api: `${req.apiUrl}/repos/${repo.repository}`,
    html: `${repo.serverUrl}/${repo.repository}`
  }
  try {
    return route.kind === 'compare'
      ? await compare(repo, route, links)
      : await repository(repo, links)
  } catch (e) {
    if (!(e instanceof GitError)) throw e
    deps.log(`GitHub ${req.path}: ${e.message}`)
    return fail(500, `The test bed's git failed: ${e.message}`, REST_DOCS)
  }
}

export function githubApi(deps: GitHubDeps): (req: GitHubRequest) => Promise<GitHubReply> {
  return async (req) => {
    const route: Route = req.method === 'GET' ? parseRoute(req.path) : { kind: 'unknown' }
    const reply = await answer(req, route, deps)
    const scheme = credentials(req.headers.authorization).scheme
    deps.requests.add({
      operation: OPERATIONS[route.kind],
      ...(route.kind !== 'unknown' ? { repository: `${route.owner}/${route.name}` } : {}),
      status: reply.status,
      ...(reply.status >= 400 ? { error: (reply.body as { message: string }).message } : {}),
      input:
        route.kind === 'compare'
          ? { basehead: route.basehead, authorization: scheme }
          : route.kind === 'repository'
            ? { authorization: scheme }
            : { method: req.method, path: req.path, authorization: scheme }
    })
    return reply
  }
}
