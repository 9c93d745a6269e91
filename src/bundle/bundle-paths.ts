// What a path inside a bundle may look like, for the writer and for pre-built archives alike.

/** Why `p` cannot be a bundle path (relative, no '..' or '.' or empty segments), or undefined. */
export function bundlePathProblem(p: string): string | undefined {
  if (p === '') return 'is empty'
  if (p.includes('\0')) return 'contains a NUL byte'
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is an absolute path'
  const segments = p.split('/')
  if (segments.includes('..')) return "has a '..' segment"
  if (segments.some((s) => s === '' || s === '.')) return "has an empty or '.' segment"
  return undefined
}

/**
 * Where a symlink at `linkPath` points, as a bundle path ('' is the root), or undefined when it
 * leaves the bundle: absolute targets, and relative ones that climb above the root.
 */
export function resolveLink(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/') || target === '') return undefined
  const parts = linkPath.split('/').slice(0, -1)
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(segment)
  }
  return parts.join('/')
}
