// GitHub's JSON for what git said: a commit as the REST API shows it, the comparison of two
// commits, the error body. Pure (no imports) so the unit tests load it as it is.

export interface Person {
  name: string
  email: string
  /** Seconds since the epoch. */
  time: number
}

export interface CommitFacts {
  sha: string
  tree: string
  parents: string[]
  author: Person
  committer: Person
  message: string
}

/** Where a repository's API resources and web pages are. */
export interface Links {
  /** `<api>/repos/<owner>/<name>` */
  api: string
  /** `<server>/<owner>/<name>` */
  html: string
}

export type ComparisonStatus = 'identical' | 'ahead' | 'behind' | 'diverged'

/** ahead: commits only head has; behind: commits only base has. */
export function comparisonStatus(ahead: number, behind: number): ComparisonStatus {
  if (ahead === 0 && behind === 0) return 'identical'
  if (behind === 0) return 'ahead'
  return ahead === 0 ? 'behind' : 'diverged'
}

/**
 * The GitHub account GitHub would link a commit's author to. The bed knows no accounts, so only
 * GitHub's no-reply address (`login@users.noreply.github.com`, `id+login@...`) names one; any other
 * address gives null, as an address no account has verified does on GitHub.
 */
export function accountOf(email: string): { login: string } | null {
  const m = /^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))@users\.noreply\.github\.com$/i.exec(
    email
  )
  return m ? { login: m[1]! } : null
}

/** GitHub's timestamps: UTC, whole seconds, "Z". */
function date(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const person = (p: Person) => ({ name: p.name, email: p.email, date: date(p.time) })

export function commitJson(c: CommitFacts, l: Links): Record<string, unknown> {
  return {
    sha: c.sha,
    commit: {
      author: person(c.author),
      committer: person(c.committer),
      message: c.message,
      tree: { sha: c.tree, url: `${l.api}/git/trees/${c.tree}` },
      url: `${l.api}/git/commits/${c.sha}`,
      comment_count: 0
    },
    url: `${l.api}/commits/${c.sha}`,
    html_url: `${l.html}/commit/${c.sha}`,
    comments_url: `${l.api}/commits/${c.sha}/comments`,
    author: accountOf(c.author.email),
    committer: accountOf(c.committer.email),
    parents: c.parents.map((sha) => ({
      sha,
      url: `${l.api}/commits/${sha}`,
      html_url: `${l.html}/commit/${sha}`
    }))
  }
}

export interface Comparison {
  /** As the request gave it: `<base>...<head>`. */
  basehead: string
  base: CommitFacts
  mergeBase: CommitFacts
  ahead: number
  behind: number
  /** The newest of head's own commits (at most 250), oldest first. */
  commits: CommitFacts[]
}

export function comparisonJson(c: Comparison, l: Links): Record<string, unknown> {
  return {
    url: `${l.api}/compare/${c.basehead}`,
    html_url: `${l.html}/compare/${c.basehead}`,
    diff_url: `${l.html}/compare/${c.basehead}.diff`,
    patch_url: `${l.html}/compare/${c.basehead}.patch`,
    base_commit: commitJson(c.base, l),
    merge_base_commit: commitJson(c.mergeBase, l),
    status: comparisonStatus(c.ahead, c.behind),
    ahead_by: c.ahead,
    behind_by: c.behind,
    // GitHub counts the whole comparison here, even when `commits` holds only its newest 250.
    total_commits: c.ahead,
    commits: c.commits.map((x) => commitJson(x, l)),
    // The bed computes no diff.
    files: []
  }
}

export const COMPARE_DOCS = 'https://docs.github.com/rest/commits/commits#compare-two-commits'
export const REPOSITORY_DOCS = 'https://docs.github.com/rest/repos/repos#get-a-repository'
export const REST_DOCS = 'https://docs.github.com/rest'

/** GitHub's error body (its current answers also carry the status, as a string). */
export function errorJson(status: number, message: string, documentationUrl: string) {
  return { message, documentation_url: documentationUrl, status: String(status) }
}
