// A pre-built archive (the `archive` input) as the validator sees it: listed once, refused
// when extracting it could write outside the deployment folder, and seen the way the agent
// will see it once unpacked (its single-top-folder rule applied).

import { isUtf8 } from 'node:buffer'
import { createReadStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import tarStream from 'tar-stream'
import yauzl from 'yauzl'
import { ActionError } from '../common/errors.js'
import type { BundleType } from './types.js'
import type { BundleEntry, BundleView } from '../common/bundle-view.js'
import { bundlePathProblem, resolveLink } from './bundle-paths.js'
import { compareText } from '../common/compare-text.js'

/** read() refuses files bigger than this: it exists for appspecs and scripts. */
export const MAX_READ = 16 * 1024 * 1024
/** While listing a tar, files up to this size are kept, up to CACHE_TOTAL in all. */
const CACHE_FILE = 64 * 1024
const CACHE_TOTAL = 8 * 1024 * 1024
const MAX_LINK = 4096

export interface ArchiveView extends BundleView {
  /**
   * The archive's single top folder that the agent strips on unpacking ('dist' for a
   * `tar -czf x.tgz dist` of a folder holding appspec.yml); entry paths are given without it.
   */
  strippedFolder?: string
  close(): Promise<void>
}

interface Listed extends BundleEntry {
  /** Path inside the archive (before stripping). */
  archivePath: string
  zipEntry?: yauzl.Entry
}

export async function readArchive(file: string, type: BundleType): Promise<ArchiveView> {
  return type === 'zip' ? readZip(file) : readTar(file, type === 'tgz')
}

function corrupt(file: string, type: string, err: unknown): ActionError {
  if (err instanceof ActionError) return err
  // Errors from zlib may come from another realm (jest): read the message, not the class.
  const message = (err as { message?: unknown } | undefined)?.message
  const detail = typeof message === 'string' ? message : String(err)
  return new ActionError(
    `The archive '${file}' cannot be read as a ${type} file (${detail}).`,
    `Check that it is complete and really a ${type} (its name decides the type), or let the action build the bundle from source and files.`
  )
}

function refused(file: string, entry: string, why: string): ActionError {
  return new ActionError(
    `The archive '${file}' is refused: its entry '${entry}' ${why}.`,
    'Rebuild the archive from a folder holding only regular files, folders and links that stay inside it, or let the action build the bundle from source and files.'
  )
}

/** Archive names are relative: './' prefixes and a trailing '/' are dropped; '' is the root. */
function normalize(name: string): string {
  let p = name
  while (p.startsWith('./')) p = p.slice(2)
  while (p.endsWith('/')) p = p.slice(0, -1)
  return p === '.' ? '' : p
}

function checkPath(file: string, p: string): void {
  const problem = bundlePathProblem(p)
  if (problem) throw refused(file, p, problem)
}

// ---- tar and tgz -----------------------------------------------------------------------------

async function readTar(file: string, gzip: boolean): Promise<ArchiveView> {
  const kind = gzip ? 'tgz' : 'tar'
  const listed = new Map<string, Listed>()
  const cache = new Map<string, Buffer>()
  let cached = 0
  await scanTar(file, gzip, async (header, body) => {
    const p = normalize(header.name)
    if (p === '') {
      body.resume()
      return
    }
    checkPath(file, p)
    const entry = tarEntry(file, p, header)
    listed.set(p, entry)
    cache.delete(p)
    if (entry.type === 'file' && entry.size <= CACHE_FILE && cached + entry.size <= CACHE_TOTAL) {
      const content = await collect(body, CACHE_FILE)
      cache.set(p, content)
      cached += content.length
    } else body.resume()
  }).catch((err: unknown) => {
    throw corrupt(file, kind, err)
  })
  return view(file, [...listed.values()], {
    async read(entry) {
      const hit = cache.get(entry.archivePath)
      if (hit) return hit
      // Not kept while listing: find the last entry of that name (the one tar extracts).
      let content: Buffer | undefined
      await scanTar(file, gzip, async (header, body) => {
        if (normalize(header.name) === entry.archivePath) content = await collect(body, MAX_READ)
        else body.resume()
      }).catch((err: unknown) => {
        throw corrupt(file, kind, err)
      })
      return content ?? Buffer.alloc(0)
    },
    async close() {}
  })
}

function tarEntry(file: string, p: string, h: tarStream.Header): Listed {
  const mode = (h.mode ?? 0) & 0o777
  switch (h.type) {
    case 'file':
    case 'contiguous-file':
    case undefined:
    case null:
      return { path: p, archivePath: p, type: 'file', mode, size: h.size ?? 0 }
    case 'directory':
      return { path: p, archivePath: p, type: 'directory', mode, size: 0 }
    case 'symlink':
      return {
        path: p,
        archivePath: p,
        type: 'symlink',
        mode,
        size: 0,
        linkTarget: h.linkname ?? ''
      }
    case 'link':
      throw refused(
        file,
        p,
        `is a hard link (to '${h.linkname ?? ''}'), which the agent's tar may resolve outside the bundle`
      )
    case 'character-device':
    case 'block-device':
    case 'fifo':
      throw refused(file, p, `is a ${h.type}, which a deployment must not create`)
    default:
      throw refused(file, p, `has the unsupported tar type '${String(h.type)}'`)
  }
}

type Body = AsyncIterable<Buffer> & { resume(): unknown }
type OnTarEntry = (header: tarStream.Header, body: Body) => Promise<void>

async function scanTar(file: string, gzip: boolean, onEntry: OnTarEntry): Promise<void> {
  const extract = tarStream.extract()
  const source = createReadStream(file)
  const feeding = gzip ? pipeline(source, zlib.createGunzip(), extract) : pipeline(source, extract)
  feeding.catch(() => undefined)
  for await (const entry of extract) await onEntry(entry.header, entry as unknown as Body)
  await feeding
}

async function collect(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > limit) throw new Error(`an entry is larger than ${limit} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

// ---- zip -------------------------------------------------------------------------------------

async function readZip(file: string): Promise<ArchiveView> {
  let zip: yauzl.ZipFile
  try {
    zip = await yauzl.openPromise(file, { autoClose: false, decodeStrings: false })
  } catch (err) {
    throw corrupt(file, 'zip', err)
  }
  try {
    const listed = new Map<string, Listed>()
    for await (const raw of zip.eachEntry()) {
      const extra = yauzl.parseExtraFields(raw.extraFieldRaw)
      // Info-ZIP's zip stores UTF-8 names without the UTF-8 flag, and unzip on a Linux instance
      // writes a name's bytes as they are: read such names as UTF-8, not CP437.
      const plain = (raw.generalPurposeBitFlag & 0x800) === 0 && !extra.some((f) => f.id === 0x7075)
      const name =
        plain && isUtf8(raw.fileNameRaw)
          ? raw.fileNameRaw.toString('utf8')
          : yauzl.getFileNameLowLevel(raw.generalPurposeBitFlag, raw.fileNameRaw, extra, false)
      const p = normalize(name.replace(/\\/g, '/'))
      if (p === '') continue
      checkPath(file, p)
      if (raw.isEncrypted()) throw refused(file, p, 'is encrypted, and the agent cannot unzip it')
      const entry = zipEntry(file, p, name.endsWith('/'), raw)
      if (entry.type === 'symlink') {
        entry.linkTarget = (await readZipEntry(zip, raw, MAX_LINK)).toString('utf8')
      }
      listed.set(p, entry)
    }
    return view(file, [...listed.values()], {
      read: (entry) => readZipEntry(zip, entry.zipEntry as yauzl.Entry, MAX_READ),
      async close() {
        zip.close()
      }
    })
  } catch (err) {
    zip.close()
    throw corrupt(file, 'zip', err)
  }
}

function zipEntry(file: string, p: string, slash: boolean, raw: yauzl.Entry): Listed {
  const host = raw.versionMadeBy >> 8
  // Unix (3) and macOS (19) keep st_mode in the high half, as unzip reads it.
  const unixMode = host === 3 || host === 19 ? raw.externalFileAttributes >>> 16 : 0
  const kind = unixMode & 0o170000
  const base = { path: p, archivePath: p, zipEntry: raw }
  if (kind === 0o040000 || (kind === 0 && slash))
    return { ...base, type: 'directory', mode: unixMode & 0o777 || 0o755, size: 0 }
  if (kind === 0o120000) return { ...base, type: 'symlink', mode: 0o777, size: 0 }
  if (kind === 0o100000 || kind === 0)
    return { ...base, type: 'file', mode: unixMode & 0o777 || 0o644, size: raw.uncompressedSize }
  throw refused(
    file,
    p,
    'is a special file (device, FIFO or socket), which a deployment must not create'
  )
}

async function readZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number) {
  const stream = await zip.openReadStreamPromise(entry)
  return collect(stream as AsyncIterable<Buffer>, limit)
}

// ---- the view --------------------------------------------------------------------------------

interface Access {
  read(entry: Listed): Promise<Buffer>
  close(): Promise<void>
}

function view(file: string, all: Listed[], access: Access): ArchiveView {
  const stripped = topFolderToStrip(all)
  const entries: Listed[] = []
  for (const e of all) {
    if (stripped === undefined) entries.push(e)
    else if (e.path.startsWith(`${stripped}/`))
      entries.push({ ...e, path: e.path.slice(stripped.length + 1) })
  }
  // Links are judged where the agent will leave them: after stripping.
  for (const e of entries) {
    if (e.type === 'symlink' && resolveLink(e.path, e.linkTarget ?? '') === undefined)
      throw refused(file, e.archivePath, `is a symlink to '${e.linkTarget}', outside the archive`)
  }
  entries.sort((a, b) => compareText(a.path, b.path))
  const byPath = new Map(entries.map((e) => [e.path, e]))
  return {
    entries: entries.map(({ archivePath: _a, zipEntry: _z, ...e }) => e),
    ...(stripped !== undefined ? { strippedFolder: stripped } : {}),
    async read(p: string): Promise<Buffer> {
      const entry = byPath.get(p)
      if (!entry || entry.type !== 'file')
        throw new ActionError(`'${p}' is not a file in the archive '${file}'.`)
      if (entry.size > MAX_READ)
        throw new ActionError(
          `'${p}' in '${file}' is ${entry.size} bytes; only files up to ${MAX_READ} bytes are read for validation.`,
          'Keep appspec.yml and hook scripts small.'
        )
      try {
        return await access.read(entry)
      } catch (err) {
        throw corrupt(file, 'archive', err)
      }
    },
    close: () => access.close()
  }
}

/**
 * The agent's rule: when the unpacked root holds exactly one entry, a folder with something
 * named like /appspec/i directly inside, that folder's contents become the root.
 */
export function topFolderToStrip(
  entries: readonly { path: string; type: string }[]
): string | undefined {
  const roots = new Set(entries.map((e) => e.path.split('/')[0]))
  if (roots.size !== 1) return undefined
  const root = [...roots][0] as string
  const rootEntry = entries.find((e) => e.path === root)
  if (rootEntry && rootEntry.type !== 'directory') return undefined
  const children = new Set(
    entries.filter((e) => e.path.startsWith(`${root}/`)).map((e) => e.path.split('/')[1])
  )
  return [...children].some((c) => c !== undefined && /appspec/i.test(c)) ? root : undefined
}
