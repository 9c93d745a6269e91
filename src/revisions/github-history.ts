// GitHub's compare API (GET /repos/{owner}/{repo}/compare/{base}...{head}) through
// @actions/github, at GITHUB_API_URL (GitHub Enterprise Server too). The common path on GitHub:
// a default checkout holds one commit, so the workspace cannot say how two commits stand.
import { FULL_SHA } from './provenance.js'
import { isProxyError, taggedEndpoint, tlsAdvice } from '../network/network-errors.js'
import { COMMITS_SHOWN, type CommitLine, type CompareAnswer, type History } from './history.js'

/** A compare that takes longer has failed for our purpose: deploy and warn rather than hang. */
const GITHUB_TIMEOUT_MS = 15_000

export interface GithubHistoryOptions {
  token: string
  /** owner/name */
  repository: string
  /** GITHUB_API_URL, without a trailing slash. */
  apiUrl: string
  /** The fetch Octokit sends with: the AWS clients' proxy, no_proxy and CAs (network/). */
  fetch?: typeof fetch
}

/** The parts of the compare answer read here (as GitHub documents them). */
interface CompareData {
  status?: string
  ahead_by?: number
  behind_by?: number
  total_commits?: number
  commits?: Array<{
    sha?: string
    commit?: { message?: string; author?: { name?: string } | null }
    author?: { login?: string } | null
  }>
}

export type CompareCall = (args: {
  owner: string
  repo: string
  basehead: string
  per_page?: number
  page?: number
}) => Promise<{ data: CompareData }>

/** The real call, through @actions/github's Octokit (loaded only when a compare is needed). */
export function octokitCompare(o: GithubHistoryOptions): CompareCall {
  let call: CompareCall | undefined
  return async (args) => {
    if (!call) {
      const { getOctokit } = await import('@actions/github')
      const octokit = getOctokit(o.token, {
        baseUrl: o.apiUrl,
        ...(o.fetch ? { request: { fetch: o.fetch } } : {})
      })
      call = (a) =>
        octokit.rest.repos.compareCommitsWithBasehead({
          ...a,
          request: { signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS) }
        }) as Promise<{ data: CompareData }>
    }
    return call(args)
  }
}

export function githubHistory(o: GithubHistoryOptions, compare = octokitCompare(o)): History {
  const [owner = '', repo = '', ...more] = o.repository.split('/')
  const notOwnerName = o.repository
    ? `GITHUB_REPOSITORY '${o.repository}' is not owner/name`
    : 'GITHUB_REPOSITORY is not set'
  return {
    name: "GitHub's compare API",
    async compare(base, head): Promise<CompareAnswer> {
      if (!o.token) return { unknown: 'no github-token was given' }
      if (!owner || !repo || more.length) return { unknown: notOwnerName }
      if (!FULL_SHA.test(base) || !FULL_SHA.test(head)) return { unknown: 'not a full commit id' }
      const basehead = `${base}...${head}`
      try {
        const { data } = await compare({ owner, repo, basehead })
        const aheadBy = data.ahead_by ?? 0
        const behindBy = data.behind_by ?? 0
        const relation = data.status
        if (
          relation !== 'identical' &&
          relation !== 'ahead' &&
          relation !== 'behind' &&
          relation !== 'diverged'
        )
          return { unknown: `GitHub answered an unknown status '${String(relation)}'` }
        let listed = data.commits ?? []
        // The answer lists the oldest 250 commits; the newest are on its last page, and on the
        // page before when the last holds fewer than COMMITS_SHOWN.
        const total = data.total_commits ?? listed.length
        if (total > listed.length) {
          const page = async (n: number) =>
            (await compare({ owner, repo, basehead, per_page: COMMITS_SHOWN, page: n })).data
              .commits ?? []
          const last = Math.ceil(total / COMMITS_SHOWN)
          try {
            listed = await page(last)
            if (listed.length < COMMITS_SHOWN && last > 1)
              listed = [...(await page(last - 1)), ...listed]
          } catch {
            // The order is known from the first answer; only the list of the newest is lost.
            listed = []
          }
        }
        return {
          comparison: {
            relation,
            aheadBy,
            behindBy,
            commits: listed.slice(-COMMITS_SHOWN).reverse().map(commitLine),
            source: 'GitHub'
          }
        }
      } catch (err) {
        return { unknown: describeGithubError(err, o.repository) }
      }
    }
  }
}

function commitLine(c: NonNullable<CompareData['commits']>[number]): CommitLine {
  return {
    sha: c.sha ?? '',
    subject: (c.commit?.message ?? '').split('\n')[0] ?? '',
    author: c.commit?.author?.name ?? c.author?.login ?? ''
  }
}

/** A proxy's refusal or an untrusted certificate somewhere in the causes, said with its fix. */
function wayError(err: unknown): string | undefined {
  const plain = (text: string): string => text.replace(/\.$/, '')
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (isProxyError(e)) return `${plain(e.message)}; ${plain(e.advice)}`
    const code = (e as { code?: unknown }).code
    const tls =
      typeof code === 'string' ? tlsAdvice(code, taggedEndpoint(e) ?? 'GitHub') : undefined
    if (tls) return plain(tls)
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** What failed and what to check; never the token. */
export function describeGithubError(err: unknown, repository: string): string {
  const e = err as {
    status?: number
    message?: string
    name?: string
    response?: unknown
    cause?: { name?: string }
  }
  const said = (e.message ?? String(err)).split('\n')[0]
  // Octokit reports a request that got no answer (a timeout, a refused connection) as status 500
  // without a response, the fetch error as its cause: that 500 is not GitHub's.
  const status = e.response !== undefined || e.cause === undefined ? e.status : undefined
  if ([e.name, e.cause?.name].some((n) => n === 'TimeoutError' || n === 'AbortError'))
    return `GitHub did not answer within ${GITHUB_TIMEOUT_MS / 1000} s`
  // The way there failed (a proxy, a certificate): Octokit's error wraps fetch's, which wraps it.
  const way = wayError(err)
  if (way) return way
  switch (status) {
    case 401:
      return `GitHub refused the token (401 ${said}): check github-token`
    case 403:
      return `GitHub answered 403 (${said}): the token needs contents: read on ${repository}, or the API rate limit was reached`
    case 404:
      return `GitHub answered 404 (${said}): the token cannot read ${repository}, or one of the commits is not on GitHub`
    default:
      return `the request failed (${status ? `${status} ` : ''}${said})`
  }
}
