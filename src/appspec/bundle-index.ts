// The bundle as the agent sees it once unpacked: paths relative to the folder holding appspec.yml.

import path from 'node:path'
import type { BundleEntry, BundleView } from '../common/bundle-view.js'

export class RootedBundle {
  private readonly byPath = new Map<string, BundleEntry>()
  private readonly relPaths: string[] = []

  /** `root` is '' for the bundle root, or the folder the agent strips ('dist'). */
  constructor(
    private readonly view: BundleView,
    readonly root: string
  ) {
    const prefix = root ? `${root}/` : ''
    for (const entry of view.entries) {
      if (!entry.path.startsWith(prefix) || entry.path === root) continue
      const rel = entry.path.slice(prefix.length)
      this.byPath.set(rel, entry)
      this.relPaths.push(rel)
    }
  }

  /** Bundle path of a root-relative path. */
  full(rel: string): string {
    return this.root ? `${this.root}/${rel}` : rel
  }

  entry(rel: string): BundleEntry | undefined {
    return this.byPath.get(rel)
  }

  /** Whether `rel` is an entry or a folder holding entries. */
  has(rel: string): boolean {
    return this.byPath.has(rel) || this.relPaths.some((p) => p.startsWith(`${rel}/`))
  }

  /** Root-relative paths of files with this name, for "did you mean" fixes. */
  withBasename(name: string): string[] {
    return this.relPaths.filter(
      (p) => path.posix.basename(p) === name && this.byPath.get(p)?.type !== 'directory'
    )
  }

  /** What the agent finds at `rel` once unpacked, following links as `File.directory?` does. */
  kind(rel: string, hops = 0): 'file' | 'directory' | 'missing' {
    if (rel === '') return 'directory'
    const entry = this.byPath.get(rel)
    if (!entry) return this.has(rel) ? 'directory' : 'missing'
    if (entry.type !== 'symlink') return entry.type
    const target = this.linkTarget(rel)
    // A link the agent cannot follow is still copied, as a link.
    return target !== undefined && hops < 40 && this.kind(target, hops + 1) === 'directory'
      ? 'directory'
      : 'file'
  }

  /** Names directly inside the folder `rel` ('' for the root), sorted. */
  children(rel: string): string[] {
    const prefix = rel ? `${rel}/` : ''
    const names = new Set<string>()
    for (const p of this.relPaths) {
      if (p.startsWith(prefix) && p !== rel) names.add(p.slice(prefix.length).split('/')[0] ?? '')
    }
    names.delete('')
    return [...names].sort()
  }

  read(rel: string): Promise<Buffer> {
    return this.view.read(this.full(rel))
  }

  /** The folder the agent walks for `rel`: a symlink's target inside this root, else `rel`. */
  followLink(rel: string): string {
    return this.byPath.get(rel)?.type === 'symlink' ? (this.linkTarget(rel) ?? rel) : rel
  }

  /**
   * Where a symlink at `rel` points, root-relative, or undefined when that is outside this root
   * (on the instance it would dangle: only the unpacked archive is there).
   */
  linkTarget(rel: string): string | undefined {
    const target = this.byPath.get(rel)?.linkTarget
    if (target === undefined || target.startsWith('/')) return undefined
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(rel), target))
    return resolved === '..' || resolved.startsWith('../') ? undefined : resolved
  }
}

/**
 * A path from appspec.yml made root-relative the way the agent joins it to the archive folder:
 * leading '/' and './' are dropped. Undefined when it climbs out of the bundle with '..'.
 */
export function rootRelative(location: string): string | undefined {
  const normalized = path.posix.normalize(location.replace(/^\/+/, ''))
  if (normalized === '..' || normalized.startsWith('../')) return undefined
  return normalized === '.' ? '' : normalized.replace(/\/+$/, '')
}

/**
 * Where `File.join(archive, source)` leads once the bundle is unpacked, resolved the way the
 * kernel resolves it (installer.rb tests it with File.directory?, then copies it): component by
 * component, `..` only out of a folder that exists, a file only at the end. Above the bundle is
 * the agent's folder of this deployment (`deployment-archive/` beside `bundle.tar`).
 */
export type SourceTarget =
  | { kind: 'directory' | 'file'; rel: string }
  /** `..`: the agent's own folder of this deployment (the downloaded bundle and its unpacking). */
  | { kind: 'deployment-folder' }
  /** Higher, or beside the archive: what is there depends on the instance. */
  | { kind: 'instance' }
  /** The copy fails: ENOENT (a name missing) or ENOTDIR (a file used as a folder). */
  | { kind: 'error'; errno: 'ENOENT' | 'ENOTDIR' }

export function resolveSource(source: string, bundle: RootedBundle): SourceTarget {
  const parts = source.split('/').filter((p) => p !== '')
  // A trailing '/' asks for a folder, as `/.` does.
  if (/[^/]\/+$/.test(source)) parts.push('.')
  let rel: string | 'deployment-folder' = ''
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1
    if (rel === 'deployment-folder') {
      // It holds bundle.tar, deployment-archive/ and, once a hook has run, logs/.
      if (part === 'deployment-archive') rel = ''
      else if (part === 'bundle.tar' && !last) return { kind: 'error', errno: 'ENOTDIR' }
      else if (part === '..' || part === 'logs' || part === 'bundle.tar')
        return { kind: 'instance' }
      else if (part !== '.') return { kind: 'error', errno: 'ENOENT' }
      continue
    }
    if (part === '.') continue
    if (part === '..') {
      rel = rel === '' ? 'deployment-folder' : path.posix.dirname(rel).replace(/^\.$/, '')
      continue
    }
    const next: string = rel ? `${rel}/${part}` : part
    const kind = bundle.kind(next)
    if (kind === 'missing') return { kind: 'error', errno: 'ENOENT' }
    if (kind === 'file') {
      if (last) return { kind: 'file', rel: next }
      const target = bundle.entry(next)?.type === 'symlink' ? bundle.linkTarget(next) : next
      const dangling = target === undefined || bundle.kind(target) === 'missing'
      return { kind: 'error', errno: dangling ? 'ENOENT' : 'ENOTDIR' }
    }
    rel = bundle.followLink(next)
  }
  return rel === 'deployment-folder' ? { kind: 'deployment-folder' } : { kind: 'directory', rel }
}
