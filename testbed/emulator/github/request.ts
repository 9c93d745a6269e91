// What a GitHub REST call asks, read strictly: its route, the repository it names, the two sides of
// a comparison and its credentials. Everything here comes from a URL or a header and reaches git
// as arguments, so only names GitHub itself allows pass, and none can start with "-". Pure (no
// imports) so the unit tests load it as it is.

// GitHub's own limits: a login of letters, digits and single inner hyphens (39 at most); a
// repository name of letters, digits, ".", "_" and "-" (100 at most), never "." or "..".
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
const NAME = /^[A-Za-z0-9._-]{1,100}$/
// A branch, a tag or a (short) sha as git's check-ref-format allows them, narrowed: no "..", no
// "@{", no "~^:?*[\" or blank, no "//", no leading "-" or ".", no trailing "/", "." or ".lock".
const REF = /^(?!.*\.\.)(?!.*\/\/)(?!.*@\{)(?!.*\.lock$)[A-Za-z0-9_][A-Za-z0-9._/@+-]{0,254}$/

export function validOwner(owner: string): boolean {
  return OWNER.test(owner)
}

export function validName(name: string): boolean {
  return NAME.test(name) && name !== '.' && name !== '..'
}

export function validRef(ref: string): boolean {
  return REF.test(ref) && !ref.endsWith('/') && !ref.endsWith('.') && !ref.includes('/.')
}

/** "owner/name" split and checked, or undefined. */
export function parseRepository(full: string): { owner: string; name: string } | undefined {
  const [owner, name, ...rest] = full.split('/')
  if (rest.length || owner === undefined || name === undefined) return undefined
  return validOwner(owner) && validName(name) ? { owner, name } : undefined
}

export type Route =
  | { kind: 'compare'; owner: string; name: string; base: string; head: string; basehead: string }
  | { kind: 'repository'; owner: string; name: string }
  // A path the bed does not serve, or one whose names GitHub would not accept: 404 either way.
  | { kind: 'unknown' }

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * The route of a GET below the API prefix: `/repos/{owner}/{repo}` or
 * `/repos/{owner}/{repo}/compare/{base}...{head}` (a ref's "/" may come raw or as %2F, as Octokit
 * sends it). Cross-repository sides (`user:branch`) are not served.
 */
export function parseRoute(path: string): Route {
  const m = /^\/repos\/([^/]+)\/([^/]+)(?:\/compare\/(.+))?\/?$/.exec(path)
  const owner = m && decoded(m[1]!)
  const name = m && decoded(m[2]!)
  if (!owner || !name || !validOwner(owner) || !validName(name)) return { kind: 'unknown' }
  if (m[3] === undefined) return { kind: 'repository', owner, name }
  const basehead = decoded(m[3])
  const parts = basehead?.split('...')
  if (!basehead || parts?.length !== 2) return { kind: 'unknown' }
  const [base, head] = parts as [string, string]
  if (!validRef(base) || !validRef(head)) return { kind: 'unknown' }
  return { kind: 'compare', owner, name, base, head, basehead }
}

export type Scheme = 'token' | 'bearer' | 'none' | 'other'

/** The Authorization header's scheme (what the request log keeps) and its token. */
export function credentials(header: string | undefined): { scheme: Scheme; token?: string } {
  if (header === undefined || header.trim() === '') return { scheme: 'none' }
  const m = /^(token|bearer)\s+(\S+)\s*$/i.exec(header.trim())
  if (!m) return { scheme: 'other' }
  return { scheme: m[1]!.toLowerCase() as Scheme, token: m[2]! }
}
