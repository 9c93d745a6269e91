// Chooses what goes into a built bundle: the `source` folder's contents plus the `files` rules,
// minus the exclusions. Every path is treated as hostile: walks never follow symlinks, every
// walk root is resolved with realpath and must lie in the workspace, and a symlink is kept as a
// link only when what it points to is inside the workspace.

import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs'
import path from 'node:path'
import picomatch from 'picomatch'
import { ActionError, InputError, cancelledWhileBundling } from '../common/errors.js'
import type { FileRule } from './types.js'
import type { BundleEntry } from '../common/bundle-view.js'
import { compareText } from '../common/compare-text.js'
import { isInside } from '../common/paths.js'

/** A bundle entry and where its content comes from. */
export interface SourcedEntry extends BundleEntry {
  /** Absolute path on disk; absent for folders that only a target implies. */
  source?: string
}

export interface SelectedBundle {
  /** Files, symlinks and folders (implied ones included), sorted by bundle path. */
  entries: SourcedEntry[]
  /** Bundle paths of every folder, sorted. */
  directories: string[]
}

export interface SelectOptions {
  /** Absolute workspace path: nothing outside it gets in. */
  workspace: string
  /** Absolute path of the `source` folder; its contents form the bundle root. */
  sourceDir: string
  rules: FileRule[]
  /** The archive about to be written: never picked up, even when `source` holds its folder. */
  outputPath?: string
  /** The run's cancel signal: the walk stops within a few thousand entries of it. */
  signal?: AbortSignal
}

/** Entries walked between two turns of the event loop, where a cancel signal can land. */
const YIELD_EVERY = 2_000

/** Folders never bundled: `.git` holds the checkout's token (actions/checkout persists it). */
const NEVER = new Set(['.git'])

const DIR_MODE = 0o755
/** Group/other write and setuid/setgid/sticky dropped: the agent extracts as root with -p. */
const MODE_MASK = 0o755

interface Found {
  abs: string
  /** Workspace-relative POSIX path, for patterns and messages. */
  wsRel: string
  /** Path relative to the walk's base, for `TARGET/` and `source`. */
  baseRel: string
  type: BundleEntry['type']
  mode: number
  size: number
  linkTarget?: string
}

interface Placed extends SourcedEntry {
  origin: string
  wsRel: string
}

export async function selectBundleFiles(opts: SelectOptions): Promise<SelectedBundle> {
  const walker = Walker.create(opts)
  const placed = new Map<string, Placed>()
  const place = (found: Found, bundlePath: string, origin: string): void =>
    addPlaced(placed, found, bundlePath, origin)

  const sourceRel = walker.relative(opts.sourceDir)
  const sourceOrigin = `source '${sourceRel || '.'}'`
  walker.checkSource(opts.sourceDir, sourceRel)
  for (const found of await walker.walk(opts.sourceDir, sourceRel, Infinity, () => true)) {
    place(found, found.baseRel, sourceOrigin)
  }

  for (const rule of opts.rules) {
    if (rule.kind !== 'include') continue
    const origin = `files line ${rule.line}`
    const { found, excluded } = await walker.match(rule.pattern)
    if (found.length === 0) {
      const why = excluded
        ? ` (${excluded} match${excluded === 1 ? '' : 'es'} excluded by '!' lines)`
        : ''
      throw new InputError(
        'files',
        `line ${rule.line}: '${rule.pattern}' matched no file in ${opts.workspace}${why}.`,
        'Check the path, or that the build step that makes it ran before this one.'
      )
    }
    const target = rule.target
    if (target === undefined) {
      for (const f of found) place(f, f.wsRel, origin)
    } else if (target.endsWith('/')) {
      const folder = target === './' ? '' : target
      // A named folder itself ('' relative to itself) is the target folder, implied.
      for (const f of found) if (f.baseRel !== '') place(f, folder + f.baseRel, origin)
    } else {
      place(renamed(rule, found, target), target, origin)
    }
  }

  return finish(placed, opts)
}

function renamed(rule: FileRule & { kind: 'include' }, found: Found[], target: string): Found {
  const all = new Set(found.map((f) => f.wsRel))
  const hasAncestor = (p: string): boolean => {
    for (let d = path.posix.dirname(p); d !== '.'; d = path.posix.dirname(d))
      if (all.has(d)) return true
    return false
  }
  const tops = found.filter((f) => !hasAncestor(f.wsRel))
  const folder = tops.find((f) => f.type === 'directory')
  if (folder)
    throw new InputError(
      'files',
      `line ${rule.line}: '${rule.pattern} => ${target}' renames one file, but '${folder.wsRel}' is a folder.`,
      `To put a folder's contents in the bundle, end the target with '/': '${rule.pattern} => ${target}/'.`
    )
  if (tops.length > 1) {
    const names = tops.map((f) => f.wsRel)
    const shown = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '')
    throw new InputError(
      'files',
      `line ${rule.line}: '${rule.pattern} => ${target}' renames one file, but the pattern matched ${names.length}: ${shown}.`,
      `Narrow the pattern, or add an exclusion line such as '${suggestExclusion(names)}'.`
    )
  }
  return tops[0] as Found
}

/** Spring Boot leaves app.jar next to app-plain.jar: name that case; else exclude all but the first. */
function suggestExclusion(names: string[]): string {
  const plain = names.find((n) => /-plain\.jar$/.test(n))
  if (plain) return `!${path.posix.dirname(plain)}/*-plain.jar`
  return `!${names[1]}`
}

function addPlaced(placed: Map<string, Placed>, found: Found, bundlePath: string, origin: string) {
  const existing = placed.get(bundlePath)
  if (existing) {
    if (existing.type === 'directory' && found.type === 'directory') return
    if (existing.source === found.abs) return
    throw new InputError(
      'files',
      `${existing.origin} and ${origin} both put something at '${bundlePath}' in the bundle: '${existing.wsRel}' and '${found.wsRel}'.`,
      `Exclude one of them with a '!' line, or give one a different target.`
    )
  }
  placed.set(bundlePath, {
    path: bundlePath,
    type: found.type,
    mode: found.mode,
    size: found.size,
    ...(found.linkTarget !== undefined ? { linkTarget: found.linkTarget } : {}),
    source: found.abs,
    origin,
    wsRel: found.wsRel
  })
}

function finish(placed: Map<string, Placed>, opts: SelectOptions): SelectedBundle {
  placed.delete('')
  if (![...placed.values()].some((p) => p.type !== 'directory')) {
    throw new InputError(
      'source',
      `the bundle would be empty: '${path.relative(opts.workspace, opts.sourceDir) || '.'}' holds no file${opts.rules.some((r) => r.kind === 'include') ? ' and the files rules added none' : ''}.`,
      'Point source at the folder holding appspec.yml, or add files lines.'
    )
  }
  const dirs = new Set<string>()
  for (const p of placed.values()) {
    if (p.type === 'directory') dirs.add(p.path)
    for (let d = path.posix.dirname(p.path); d !== '.'; d = path.posix.dirname(d)) dirs.add(d)
  }
  const entries: SourcedEntry[] = []
  for (const dir of dirs) {
    const p = placed.get(dir)
    if (p && p.type !== 'directory') {
      const child = [...placed.values()].find((o) => o.path.startsWith(dir + '/')) as Placed
      throw new InputError(
        'files',
        `${p.origin} puts ${p.type === 'symlink' ? 'a symlink' : 'a file'} at '${dir}', but ${child.origin} needs a folder there for '${child.path}'.`,
        `Exclude one of them with a '!' line, or give one a different target.`
      )
    }
    if (!p) entries.push({ path: dir, type: 'directory', mode: DIR_MODE, size: 0 })
  }
  for (const p of placed.values()) {
    const { origin: _origin, wsRel: _wsRel, ...entry } = p
    entries.push(entry)
  }
  entries.sort((a, b) => compareText(a.path, b.path))
  return { entries, directories: [...dirs].sort(compareText) }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const lossy = new TextDecoder('utf-8')

/**
 * Walks workspace paths without following links, confined to the workspace. The file system
 * calls are synchronous on purpose: on a 100,000-file tree, lstatSync is several times faster
 * than promise-based calls queueing on libuv's four threads, and the walk has nothing else to
 * overlap with. It still gives the event loop a turn every YIELD_EVERY entries, or the runner's
 * cancel (a signal handler) would wait for the whole walk: seconds on a big tree, of the 7.5 s
 * the runner allows before SIGTERM.
 */
class Walker {
  private walked = 0

  private constructor(
    private readonly workspace: string,
    private readonly wsReal: string,
    private readonly excludes: ((p: string) => boolean)[],
    private readonly outputPath: string | undefined,
    private readonly signal: AbortSignal | undefined
  ) {}

  static create(opts: SelectOptions): Walker {
    const wsReal = tryReal(opts.workspace)
    if (wsReal === undefined)
      throw new ActionError(
        `The workspace '${opts.workspace}' does not exist.`,
        'Run actions/checkout before this step.'
      )
    const excludes = opts.rules
      .filter((r) => r.kind === 'exclude')
      .map((r) => picomatch(r.pattern, { dot: true }))
    let outputPath: string | undefined
    if (opts.outputPath) {
      const dirReal = tryReal(path.dirname(opts.outputPath))
      if (dirReal) outputPath = path.join(dirReal, path.basename(opts.outputPath))
    }
    return new Walker(path.resolve(opts.workspace), wsReal, excludes, outputPath, opts.signal)
  }

  relative(abs: string): string {
    return toPosix(path.relative(this.workspace, path.resolve(abs)))
  }

  checkSource(sourceDir: string, rel: string): void {
    const shown = rel || '.'
    const outside = (): never => {
      throw new InputError(
        'source',
        `'${shown}' is outside the workspace.`,
        'Give a folder relative to the workspace, e.g. codedeploy.'
      )
    }
    if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) outside()
    const real = tryReal(sourceDir)
    if (real === undefined)
      throw new InputError(
        'source',
        `folder '${shown}' does not exist in the workspace ${this.workspace}.`,
        'Check the path, or that the step that creates it ran before this one.'
      )
    if (!isInside(this.wsReal, real)) outside()
    if (!statSync(real).isDirectory())
      throw new InputError(
        'source',
        `'${shown}' is a file, not a folder.`,
        `Set source to the folder that holds appspec.yml, and add single files with the files input.`
      )
  }

  /** Everything one include pattern selects, and how many matches exclusions removed. */
  async match(pattern: string): Promise<{ found: Found[]; excluded: number }> {
    const scan = picomatch.scan(pattern)
    const counter = { excluded: 0 }
    if (!scan.isGlob) {
      const rel = pattern === '.' ? '' : pattern.replace(/\/+$/, '')
      const abs = path.join(this.workspace, rel)
      const parentReal = this.confinedReal(path.dirname(abs))
      if (!parentReal) return { found: [], excluded: 0 }
      if (this.isExcluded(rel) || path.join(parentReal, path.basename(abs)) === this.outputPath)
        return { found: [], excluded: 1 }
      const st = lstatSync(abs, { throwIfNoEntry: false })
      if (!st) return { found: [], excluded: 0 }
      if (st.isDirectory()) {
        const self = this.describe(abs, rel, '', st, parentReal)
        const inner = await this.walk(abs, rel, Infinity, () => true, counter)
        return { found: self ? [self, ...inner] : inner, ...counter }
      }
      const one = this.describe(abs, rel, path.basename(abs), st, parentReal)
      return { found: one ? [one] : [], excluded: 0 }
    }
    const isMatch = picomatch(pattern, { dot: true })
    const deep = scan.isGlobstar || scan.glob.includes('**') || scan.isBrace || scan.isExtglob
    const depth = deep ? Infinity : scan.glob.split('/').length
    const base = scan.base.replace(/\/+$/, '')
    const found = await this.walk(path.join(this.workspace, base), base, depth, isMatch, counter)
    return { found, excluded: counter.excluded }
  }

  /**
   * Entries under `root` (not root itself) down to `maxDepth`. An entry is kept when `wanted`
   * accepts its workspace path or one of its ancestors', so a matched folder comes whole.
   */
  async walk(
    root: string,
    rootRel: string,
    maxDepth: number,
    wanted: (wsRel: string) => boolean,
    counter = { excluded: 0 }
  ): Promise<Found[]> {
    const rootReal = this.confinedReal(root)
    if (!rootReal) return []
    const rootSt = statSync(rootReal, { throwIfNoEntry: false })
    if (!rootSt?.isDirectory()) return []
    const out: Found[] = []
    // `taint`: why this folder's path cannot be named (bad UTF-8, line break), if it cannot.
    const visit = async (
      dir: string,
      dirReal: string,
      baseRel: string,
      depth: number,
      taken: boolean,
      taint: string | undefined
    ): Promise<void> => {
      const names = attempt(dir, () => readdirSync(dir, { encoding: 'buffer' }))
      names.sort(Buffer.compare)
      for (const raw of names) {
        if (++this.walked % YIELD_EVERY === 0) await this.turn()
        const name = lossy.decode(raw)
        if (NEVER.has(name)) continue
        const childBase = baseRel ? `${baseRel}/${name}` : name
        const wsRel = rootRel ? `${rootRel}/${childBase}` : childBase
        const abs = path.join(dir, name)
        const isWanted = taken || wanted(wsRel)
        if (this.isExcluded(wsRel) || path.join(dirReal, name) === this.outputPath) {
          if (isWanted) counter.excluded++
          continue
        }
        const childTaint = taint ?? nameProblem(raw)
        if (isWanted && childTaint) throw badName(wsRel, childTaint)
        const st = attempt(abs, () => lstatSync(abs))
        if (isWanted) {
          const found = this.describe(abs, wsRel, childBase, st, dirReal)
          if (found) out.push(found)
        }
        if (st.isDirectory() && (isWanted || depth < maxDepth)) {
          const real = path.join(dirReal, name)
          await visit(abs, real, childBase, depth + 1, isWanted, childTaint)
        }
      }
    }
    await visit(root, rootReal, '', 1, false, undefined)
    return out.sort((a, b) => compareText(a.wsRel, b.wsRel))
  }

  /** A turn of the event loop; throws once the run was cancelled. */
  private async turn(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    if (this.signal?.aborted) throw cancelledWhileBundling()
  }

  private isExcluded(wsRel: string): boolean {
    if (wsRel.split('/').some((s) => NEVER.has(s))) return true
    if (this.excludes.length === 0) return false
    for (let p = wsRel; p !== '.' && p !== ''; p = path.posix.dirname(p)) {
      if (this.excludes.some((m) => m(p))) return true
    }
    return false
  }

  /** realpath of an existing folder, if it lies in the workspace; refuses one that escapes. */
  private confinedReal(dir: string): string | undefined {
    const real = tryReal(dir)
    if (real === undefined) return undefined
    if (!isInside(this.wsReal, real))
      throw new ActionError(
        `'${this.relative(dir)}' resolves to '${real}', outside the workspace: nothing is bundled from there.`,
        'Copy what you need into the workspace in an earlier step, or fix the path in files.'
      )
    return real
  }

  private describe(
    abs: string,
    wsRel: string,
    baseRel: string,
    st: Stats,
    parentReal: string
  ): Found | undefined {
    const common = { abs, wsRel, baseRel }
    if (st.isFile()) return { ...common, type: 'file', mode: st.mode & MODE_MASK, size: st.size }
    if (st.isDirectory())
      return { ...common, type: 'directory', mode: st.mode & MODE_MASK, size: 0 }
    if (st.isSymbolicLink()) {
      const linkTarget = attempt(abs, () => readlinkSync(abs))
      this.checkLink(wsRel, linkTarget, parentReal)
      return { ...common, type: 'symlink', mode: 0o777, size: 0, linkTarget }
    }
    throw new ActionError(
      `'${wsRel}' is a ${specialKind(st)}, which a bundle cannot hold.`,
      `Exclude it with a '!${wsRel}' line in files.`
    )
  }

  /** A link is kept only when what it points to, followed all the way, is in the workspace. */
  private checkLink(wsRel: string, linkTarget: string, parentReal: string): void {
    if (linkTarget.includes('\n') || linkTarget.includes('\r'))
      throw new ActionError(
        `The symlink '${wsRel}' has a line break in its target.`,
        `Fix the link, or exclude it with a '!${wsRel}' line in files.`
      )
    const lexical = path.resolve(parentReal, linkTarget)
    let resolved: string
    try {
      resolved = realpathSync(lexical)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refusedLink(wsRel, linkTarget)
      resolved = lexical
    }
    if (!isInside(this.wsReal, resolved)) throw refusedLink(wsRel, linkTarget)
  }
}

function refusedLink(wsRel: string, linkTarget: string): ActionError {
  return new ActionError(
    `The symlink '${wsRel}' points to '${linkTarget}', outside the workspace; it is not bundled.`,
    `Copy the file it points to into the workspace, or exclude the link with a '!${wsRel}' line in files.`
  )
}

function nameProblem(raw: Buffer): string | undefined {
  let name: string
  try {
    name = utf8.decode(raw)
  } catch {
    return 'is not valid UTF-8, so no archive can name it portably'
  }
  if (/[\n\r]/.test(name))
    return 'contains a line break, which the CodeDeploy agent and the log cannot handle'
  return undefined
}

function badName(wsRel: string, problem: string): ActionError {
  return new ActionError(
    `The path ${JSON.stringify(wsRel)} ${problem}.`,
    `Rename it, or exclude it with a '!' line in files.`
  )
}

function attempt<T>(abs: string, call: () => T): T {
  try {
    return call()
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new ActionError(
      `Cannot read '${abs}' while selecting bundle files: ${e.code ?? e.message}.`,
      'Check that the build step finished and that the runner user can read the workspace.'
    )
  }
}

function tryReal(p: string): string | undefined {
  try {
    return realpathSync(p)
  } catch {
    return undefined
  }
}

function specialKind(st: Stats): string {
  if (st.isSocket()) return 'socket'
  if (st.isFIFO()) return 'named pipe (FIFO)'
  if (st.isCharacterDevice()) return 'character device'
  if (st.isBlockDevice()) return 'block device'
  return 'special file'
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/')
}
