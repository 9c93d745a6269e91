// The agent's CommandBuilder: an install's steps in order (copies, folders, permissions) and the
// conflicts it raises, planned before anything on the instance changes.
import path from 'node:path'
import type { AceEntry, Permission } from '../appspec/appspec.ts'
import { permissionText } from '../appspec/ruby-values.ts'
import { fail } from './failure.ts'

export const DEFAULT_ACL_ON_FILE =
  'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only. Update the AppSpec file, and then try again.'

export type InstallStep =
  | { op: 'mkdir'; path: string }
  | { op: 'copy'; path: string; source: string }
  | { op: 'chmod'; path: string; mode: string }
  | { op: 'chown'; path: string; owner?: string; group?: string }
  | { op: 'setfacl'; path: string; acl: AceEntry[] }
  | { op: 'semanage'; path: string; context: NonNullable<Permission['context']> }

/** Ruby's File.join of two parts: one '/' between them unless the second brings its own. */
export function rubyJoin(dir: string, name: string): string {
  const base = dir.replace(/\/+$/, '')
  return name.startsWith('/') ? base + name : `${base}/${name}`
}

/**
 * File.expand_path as the agent (root, working folder /) calls it: `~` is root's home, `~user`
 * that user's (taken as /home/<user>: the bed's instances have no other homes).
 */
function expandPath(p: string): string {
  const tilde = /^~([^/]*)(.*)$/.exec(p)
  if (!tilde) return path.posix.resolve('/', p)
  const home = tilde[1] === '' || tilde[1] === 'root' ? '/root' : `/home/${tilde[1]}`
  return path.posix.resolve(home, `.${tilde[2] ?? ''}`)
}

// The agent's CommandBuilder: the install's steps in order, and the conflicts it raises.
export class InstallPlan {
  readonly steps: InstallStep[] = []
  private readonly copies = new Map<string, string>()
  private readonly folders = new Set<string>()
  private readonly permissionTargets = new Set<string>()
  private readonly onInstance: (p: string) => Promise<boolean>

  constructor(onInstance: (p: string) => Promise<boolean>) {
    this.onInstance = onInstance
  }

  async fillInAncestors(destination: string): Promise<void> {
    const missing: string[] = []
    let parent = path.posix.dirname(destination)
    while (parent !== '.' && parent !== '/' && !(await this.onInstance(parent))) {
      missing.unshift(parent)
      parent = path.posix.dirname(parent)
    }
    for (const d of missing) this.mkdir(d)
  }

  copy(source: string, destination: string): void {
    const to = expandPath(destination)
    if (this.copies.has(to))
      fail(
        `The deployment failed because the application specification file specifies two source files named ${source} and ${this.copies.get(to)} for the same destination (${to}). Remove one of the source file paths from the AppSpec file, and then try again.`
      )
    if (this.folders.has(to))
      fail(
        `The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${to}). Update your AppSpec file or directory structure, and then try again.`
      )
    this.steps.push({ op: 'copy', path: to, source })
    this.copies.set(to, source)
  }

  mkdir(destination: string): void {
    const to = expandPath(destination)
    if (this.copies.has(to))
      fail(
        `The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${to}) from (${this.copies.get(to)}). Update the files section of the AppSpec file, and then try again.`
      )
    if (!this.folders.has(to)) this.steps.push({ op: 'mkdir', path: to })
    this.folders.add(to)
  }

  copying(p: string): boolean {
    return this.copies.has(expandPath(p))
  }

  makingDirectory(p: string): boolean {
    return this.folders.has(expandPath(p))
  }

  // find_matches: installed files (then folders) under the object, by pattern and except.
  matches(p: Permission): string[] {
    const found: string[] = []
    const base = path.posix.resolve('/', p.object).replace(/\/?$/, '/')
    const hit = (name: string): boolean => {
      if (!name.startsWith(base)) return false
      const rel = name.slice(base.length)
      return (
        (p.pattern === '**' || simpleGlob(rel, p.pattern)) &&
        !p.except.some((e) => simpleGlob(rel, e))
      )
    }
    if (p.type.includes('file')) {
      for (const f of this.copies.keys()) {
        if (!hit(f)) continue
        if (p.acls?.some((a) => a.default)) fail(DEFAULT_ACL_ON_FILE)
        found.push(f)
      }
    }
    if (p.type.includes('directory')) found.push(...[...this.folders].filter(hit))
    return found
  }

  setPermissions(object: string, p: Permission): void {
    const at = path.posix.resolve('/', object)
    if (this.permissionTargets.has(at))
      fail(
        `The deployment failed because the permissions setting for (${at}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`
      )
    this.permissionTargets.add(at)
    if (p.mode !== undefined) this.steps.push({ op: 'chmod', path: at, mode: p.mode })
    if (p.acls !== undefined) this.steps.push({ op: 'setfacl', path: at, acl: p.acls })
    if (p.context !== undefined) this.steps.push({ op: 'semanage', path: at, context: p.context })
    if (p.owner !== undefined || p.group !== undefined)
      this.steps.push({
        op: 'chown',
        path: at,
        ...(p.owner !== undefined ? { owner: p.owner } : {}),
        ...(p.group !== undefined ? { group: p.group } : {})
      })
  }
}

// matches_simple_glob: `*` is the only wildcard, and never crosses a '/'.
function simpleGlob(name: string, pattern: string): boolean {
  if (name.includes('/')) return false
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`, 's').test(name)
}

// ChangeAclCommand#get_full_acl: the entries given, then the base ones from the file's mode.
export function fullAcl(acl: AceEntry[], mode: string): string {
  const [u, g, o] = [...mode].map(Number) as [number, number, number]
  const text = (a: { default: boolean; type: string; name: string; perms: string }): string =>
    `${a.default ? 'default:' : ''}${a.type}:${a.name}:${a.perms}`
  const all = [
    ...acl,
    { default: false, type: 'user', name: '', perms: permissionText(u) },
    { default: false, type: 'group', name: '', perms: permissionText(g) },
    { default: false, type: 'other', name: '', perms: permissionText(o) }
  ]
  const named = acl.some((a) => !a.default && a.name !== '')
  if (named && !acl.some((a) => !a.default && a.type === 'mask'))
    all.push({ default: false, type: 'mask', name: '', perms: permissionText(g) })
  if (acl.some((a) => a.default)) {
    const has = (type: string): boolean =>
      acl.some((a) => a.default && a.type === type && a.name === '')
    if (!has('user')) all.push({ default: true, type: 'user', name: '', perms: permissionText(u) })
    if (!has('group'))
      all.push({ default: true, type: 'group', name: '', perms: permissionText(g) })
    if (!has('other'))
      all.push({ default: true, type: 'other', name: '', perms: permissionText(o) })
  }
  return all.map(text).join(',')
}
