// The agent's Install step, planned over the bundle the way its Installer plans it (installer.rb,
// install_instruction.rb): which files it copies where, which folders it makes, which objects the
// permissions reach. Conflicts the agent raises while planning, and sources it cannot copy, are
// errors in its words. What depends on the instance (a file already there) stays at run time.

import path from 'node:path'
import { AGENT, ARCHIVE_DIR } from './agent-words.js'
import type { RootedBundle } from './bundle-index.js'
import { resolveSource } from './bundle-index.js'
import type { PermissionSpec, Report } from './check-document.js'
import type { PathSegment } from './parse.js'
import { fileJoin, rubyInspect } from './ruby.js'
import type { FileMapping } from './types.js'

/** `File.expand_path` of an instance path; relative ones against the agent's working folder, /. */
function expand(p: string): string {
  return path.posix.resolve('/', p)
}

/** `File.join(archive, source)`, as the agent names the source in its messages. */
function inArchive(source: string): string {
  return fileJoin(ARCHIVE_DIR, source)
}

class Plan {
  readonly copies = new Map<string, string>()
  readonly folders = new Set<string>()
  readonly problems: { message: string; index: number }[] = []
  /** The `files` entry being planned, for pointing at it. */
  index = 0

  copy(source: string, destination: string): void {
    const to = expand(destination)
    const earlier = this.copies.get(to)
    if (earlier !== undefined) this.fail(AGENT.twoSources(source, earlier, to))
    else if (this.folders.has(to)) this.fail(AGENT.fileOverFolder(source, to))
    else this.copies.set(to, source)
  }

  mkdir(destination: string): void {
    const to = expand(destination)
    if (this.copies.has(to)) this.fail(AGENT.folderOverFile(to, this.copies.get(to) ?? ''))
    else this.folders.add(to)
  }

  fail(message: string): void {
    this.problems.push({ message, index: this.index })
  }
}

export function checkInstall(
  files: readonly FileMapping[],
  opts: { windows: boolean; permissions: readonly PermissionSpec[] },
  bundle: RootedBundle,
  report: Report
): void {
  const plan = new Plan()
  files.forEach((mapping, index) => {
    plan.index = index
    // Ruby on Windows takes '\\' as a separator too.
    const written = opts.windows ? mapping.source.replace(/\\/g, '/') : mapping.source
    const source = inArchive(mapping.source)
    const target = resolveSource(written, bundle)
    const at = ['files', index, 'source']
    // A source that is not a folder goes into the destination under its own name.
    const asFile = path.posix.join(mapping.destination, path.posix.basename(source))
    switch (target.kind) {
      case 'directory':
        plan.mkdir(mapping.destination)
        copyFolder(plan, bundle, target.rel, source, mapping.destination)
        return
      case 'file':
        plan.copy(source, asFile)
        return
      case 'deployment-folder':
        report(
          'warning',
          at,
          `files source '${mapping.source}' is the agent's own folder of this deployment, one level above the bundle: the agent copies the downloaded bundle.tar and the unpacked archive (as deployment-archive/) into ${mapping.destination}, not the bundle's files.`,
          'To copy the whole bundle, write `source: /`.'
        )
        return
      case 'instance':
        report(
          'warning',
          at,
          `files source '${mapping.source}' climbs out of the bundle (${source}): what the agent finds there depends on the instance, not on this bundle.`,
          'Sources are paths inside the bundle (`/` means the whole bundle): remove the `..`.'
        )
        return
      case 'error':
        // Planned like any file (File.directory? is false); it fails when the copy runs.
        plan.copy(source, asFile)
        report(
          'error',
          at,
          target.errno === 'ENOTDIR'
            ? `${AGENT.notADirectory(source)}: files source '${mapping.source}' goes through a file as if it were a folder, so the agent fails copying it.`
            : `${AGENT.missingSource(source)}: files source '${mapping.source}' is not in the bundle, so the agent fails copying it.`,
          missingFix(written, bundle)
        )
    }
  })
  for (const problem of plan.problems) {
    report(
      'error',
      ['files', problem.index],
      problem.message,
      'Give each file one source: change a destination, or remove one of the entries.'
    )
  }
  checkPermissionTargets(plan, opts.permissions, report)
}

/** What to write instead of a source the agent cannot copy. */
function missingFix(written: string, bundle: RootedBundle): string {
  if (written.trim() !== written)
    return `Remove the spaces around '${written}': the agent takes the path exactly as written.`
  const file = written.replace(/\/+$/, '')
  if (file !== written && file !== '' && bundle.kind(file.replace(/^\/+/, '')) === 'file')
    return `'${file}' is a file: write \`source: ${file}\`, without the trailing '/'.`
  const elsewhere = bundle.withBasename(path.posix.basename(file))
  return elsewhere.length > 0
    ? `The bundle has ${elsewhere.map((p) => `'${p}'`).join(', ')}: write \`source: ${elsewhere[0]}\`.`
    : 'Sources are relative to the bundle root (`/` means the whole bundle): fix the path, or add the file to the bundle.'
}

/**
 * generate_directory_copy: folders (a link to one too) are walked, everything else copied.
 * `abs` is the folder as the agent names it (File.join of the archive and the source).
 */
function copyFolder(
  plan: Plan,
  bundle: RootedBundle,
  rel: string,
  abs: string,
  destination: string
): void {
  for (const name of bundle.children(rel)) {
    const child = rel ? `${rel}/${name}` : name
    const to = path.posix.join(destination, name)
    const childAbs = fileJoin(abs, name)
    if (bundle.kind(child) === 'directory') {
      plan.mkdir(to)
      copyFolder(plan, bundle, bundle.followLink(child), childAbs, to)
    } else {
      plan.copy(childAbs, to)
    }
  }
}

function checkPermissionTargets(
  plan: Plan,
  permissions: readonly PermissionSpec[],
  report: Report
): void {
  const set = new Set<string>()
  const twice = new Set<string>()
  const apply = (object: string, at: PathSegment[]): void => {
    const target = expand(object)
    if (set.has(target) && !twice.has(target)) {
      twice.add(target)
      report(
        'error',
        at,
        AGENT.permissionTwice(target),
        'Give each file or folder one permissions entry, or narrow the entries with `pattern`, `except` or `type`.'
      )
    }
    set.add(target)
  }
  for (const p of permissions) {
    const object = expand(p.object)
    const defaultAcl = p.acl.some((a) => a.default)
    if (plan.copies.has(object)) {
      if (!p.type.includes('file')) continue
      if (p.pattern !== '**')
        report(
          'error',
          [...p.at, 'pattern'],
          AGENT.filePattern(p.object, p.pattern),
          `${p.object} is a file this deployment installs: remove \`pattern\`, or make \`object\` its folder.`
        )
      else if (p.except.length > 0)
        report(
          'error',
          [...p.at, 'except'],
          AGENT.fileExcept(rubyInspect(p.except), p.object),
          `${p.object} is a file this deployment installs: remove \`except\`, or make \`object\` its folder.`
        )
      else if (defaultAcl)
        report(
          'error',
          [...p.at, 'acls'],
          AGENT.aclDefaultOnFile,
          'Remove the `d:` entries, or make `object` a folder.'
        )
      else apply(p.object, p.at)
      continue
    }
    const matches: string[] = []
    if (p.type.includes('file'))
      matches.push(...[...plan.copies.keys()].filter((f) => matches_(p, object, f)))
    const fileMatch = matches.length > 0
    if (p.type.includes('directory'))
      matches.push(...[...plan.folders].filter((d) => matches_(p, object, d)))
    if (fileMatch && defaultAcl) {
      report(
        'error',
        [...p.at, 'acls'],
        AGENT.aclDefaultOnFile,
        `\`d:\` entries apply to folders: add \`type: [directory]\`, or put them in an entry of their own.`
      )
      continue
    }
    if (matches.length === 0) {
      report(
        'warning',
        p.at,
        `The permission for ${p.object} reaches nothing: the agent applies it to the ${p.type.join(' and ')} entries this deployment installs under ${p.object}${p.pattern === '**' ? '' : ` matching '${p.pattern}'`} (never to ${p.object} itself), and there are none.`,
        plan.folders.has(object)
          ? `To set ${p.object} itself, make it a file's destination folder one level down, or set it from a hook script (chown/chmod).`
          : 'Point `object` at a destination of the `files` section (or a folder inside one).'
      )
    }
    for (const m of matches) apply(m, p.at)
  }
}

/** LinuxPermissionInfo#matches_pattern? and not matches_except?, for a planned path. */
function matches_(p: PermissionSpec, object: string, name: string): boolean {
  const base = object.endsWith('/') ? object : `${object}/`
  if (!name.startsWith(base)) return false
  const rel = name.slice(base.length)
  const matched = p.pattern === '**' || simpleGlob(rel, p.pattern)
  return matched && !p.except.some((e) => simpleGlob(rel, e))
}

/** matches_simple_glob: `*` is the only wildcard, and never crosses a '/'. */
function simpleGlob(name: string, pattern: string): boolean {
  if (name.includes('/')) return false
  const regex = pattern
    .split('*')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`, 's').test(name)
}
