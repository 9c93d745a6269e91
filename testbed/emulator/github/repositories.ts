// The GitHub service's one backend: the repositories tests registered, each a real git repository
// on this machine under a GitHub name, with the token it demands (a private repository) and the
// web server its links name. The admin endpoint's /github/repositories adds, lists and removes
// them; POST /reset forgets them all (a new backend).
import { isAbsolute } from 'node:path'
import { repositoryProblem } from './git.ts'
import { parseRepository } from './request.ts'

export interface RegisteredRepository {
  /** "owner/name" as registered (GitHub matches names without regard to case). */
  repository: string
  path: string
  /** When set, the repository is private: only this token reads it. */
  token?: string
  /** Where its web pages are: html_url's server. */
  serverUrl: string
}

const DEFAULT_SERVER = 'https://github.com'

export class GitHubRepositories {
  private readonly byName = new Map<string, RegisteredRepository>()

  get(owner: string, name: string): RegisteredRepository | undefined {
    return this.byName.get(`${owner}/${name}`.toLowerCase())
  }

  set(r: RegisteredRepository): void {
    this.byName.set(r.repository.toLowerCase(), r)
  }

  delete(repository: string): boolean {
    return this.byName.delete(repository.toLowerCase())
  }

  list(): RegisteredRepository[] {
    return [...this.byName.values()]
  }
}

type Reply = { status: number; body: unknown }
const refuse = (error: string): Reply => ({ status: 400, body: { error } })

/** What the admin endpoint says of a repository: never its token. */
const shown = (r: RegisteredRepository) => ({
  repository: r.repository,
  path: r.path,
  private: r.token !== undefined,
  serverUrl: r.serverUrl
})

async function register(repos: GitHubRepositories, body: string): Promise<Reply> {
  let input: Record<string, unknown>
  try {
    input = JSON.parse(body) as Record<string, unknown>
  } catch {
    input = {}
  }
  const { repository, path, token, serverUrl } = input ?? {}
  if (typeof repository !== 'string' || !parseRepository(repository))
    return refuse(
      'repository: "owner/name" with GitHub\'s characters (letters, digits, "-"; the name also "." and "_")'
    )
  if (typeof path !== 'string' || !isAbsolute(path))
    return refuse("path: the absolute path of a git repository on the bed's machine")
  if (token !== undefined && (typeof token !== 'string' || !/^\S+$/.test(token)))
    return refuse('token: a non-empty string without blanks, or absent (a public repository)')
  if (
    serverUrl !== undefined &&
    (typeof serverUrl !== 'string' || !/^https?:\/\/[^/\s]+$/.test(serverUrl))
  )
    return refuse('serverUrl: http(s)://host[:port], without a path (default https://github.com)')
  const problem = await repositoryProblem(path)
  if (problem) return refuse(`path: git cannot read a repository at ${path}: ${problem}`)
  const r: RegisteredRepository = {
    repository,
    path,
    ...(token !== undefined ? { token } : {}),
    serverUrl: serverUrl ?? DEFAULT_SERVER
  }
  repos.set(r)
  return { status: 200, body: shown(r) }
}

/** The admin routes of /github/repositories (PUT or POST registers, replacing a same-named one). */
export function repositoriesAdmin(
  repos: GitHubRepositories,
  method: string,
  query: URLSearchParams,
  body: string
): Promise<Reply> | Reply {
  if (method === 'PUT' || method === 'POST') return register(repos, body)
  if (method === 'DELETE') {
    const name = query.get('repository')
    if (!name) return refuse('DELETE /github/repositories needs ?repository=owner/name')
    if (!repos.delete(name))
      return { status: 404, body: { error: `no repository ${name} is registered` } }
    return { status: 200, body: { repository: name } }
  }
  return { status: 200, body: { repositories: repos.list().map(shown) } }
}
