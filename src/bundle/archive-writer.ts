// Writes the bundle as tgz, tar or zip, streaming: file content passes through one reused 1 MiB
// read buffer, and sha256 and size are taken from the bytes on their way to disk (no second read).
// Reusing the buffer matters: V8 frees a dropped Buffer's memory only after ~64 MB of them pile
// up, so a fresh buffer per read kept tens of MB of garbage alive during a big bundle.
//
// Reproducible: entries sorted, owner root (0/0), every timestamp 1980-01-01T00:00:00Z (the
// earliest instant a zip's DOS time can hold, so tar and zip carry the same date; tar also avoids
// the 1970 epoch that extractors flag as implausible), the gzip header written here (OS Unix).
// Modes come from the selection (disk modes without group/other write); hook scripts are made
// executable by adding x wherever r is set (0644 -> 0755, 0600 -> 0700).
//
// Already-compressed content (jars, images, archives) is not deflated again: zip stores it, and
// the gzip stream stores its bytes verbatim (GzipStream), deflating again at the next entry.
// The tar and zip records are written here (tar-format.ts, zip-format.ts) because the level
// switch must fall exactly between entries, and zip64 must be chosen per entry from its size.

import { createHash } from 'node:crypto'
import { closeSync, constants as fsc, fstatSync, openSync, readSync } from 'node:fs'
import { open, rm, type FileHandle } from 'node:fs/promises'
import zlib from 'node:zlib'
import { ActionError, cancelledWhileBundling } from '../common/errors.js'
import type { BundleType } from './types.js'
import { bundlePathProblem } from './bundle-paths.js'
import { isAlreadyCompressed } from './compressibility.js'
import type { SourcedEntry } from './select.js'
import { compareText } from '../common/compare-text.js'
import { TAR_END, tarHeader, tarPadding } from './tar-format.js'
import {
  DEFLATE,
  STORE,
  centralHeader,
  dataDescriptor,
  endOfCentralDirectory,
  localHeader,
  type ZipRecord
} from './zip-format.js'

/** The one timestamp of every entry. */
export const FIXED_MTIME = new Date('1980-01-01T00:00:00Z')
const MTIME_SECONDS = FIXED_MTIME.getTime() / 1000
/** gzip's and `tar -czf`'s default level. */
export const DEFLATE_LEVEL = 6
const READ_CHUNK = 1 << 20
/** Files up to this size are read whole (zip: CRC known before the header, no descriptor). */
const SMALL_FILE = 64 * 1024
/** In a gzip stream, switching level costs a flush: worth it only for bigger compressed files. */
const STORE_IN_GZIP_FROM = 64 * 1024
/** Zip entries this big get zip64 sizes (deflate can grow incompressible data slightly). */
const ZIP64_FROM = 0xf0000000
/** Small writes are coalesced into chunks of this size before they enter the stream. */
const COALESCE = 256 * 1024

export interface WriteArchiveOptions {
  entries: readonly SourcedEntry[]
  type: BundleType
  outPath: string
  /** Bundle paths to mark executable (the appspec's hook scripts). */
  executable: ReadonlySet<string>
  /** The run's cancel signal: writing stops at the next entry, and the partial file is removed. */
  signal?: AbortSignal
}

export interface WrittenArchive {
  path: string
  /** Hex sha256 of the archive file. */
  sha256: string
  /** Bytes. */
  size: number
  /** Files and symlinks (folders not counted). */
  fileCount: number
}

export async function writeArchive(opts: WriteArchiveOptions): Promise<WrittenArchive> {
  const entries = [...opts.entries].sort((a, b) => compareText(a.path, b.path))
  for (const e of entries) {
    const problem = bundlePathProblem(e.path)
    if (problem)
      throw new ActionError(`Bundle path '${e.path}' ${problem}.`, 'Fix the files rules.')
  }
  const modeOf = (e: SourcedEntry): number =>
    e.type === 'file' && opts.executable.has(e.path) ? executableMode(e.mode) : e.mode & 0o777
  let out: ArchiveSink | undefined
  try {
    out = await ArchiveSink.open(opts.outPath, opts.type === 'tgz')
    const next = (): void => {
      if (opts.signal?.aborted) throw cancelledWhileBundling()
    }
    const reader = new ChunkReader(next)
    if (opts.type === 'zip') await writeZip(entries, modeOf, out, reader, next)
    else await writeTar(entries, modeOf, out, reader, next)
    const { sha256, size } = await out.end()
    const fileCount = entries.filter((e) => e.type !== 'directory').length
    return { path: opts.outPath, sha256, size, fileCount }
  } catch (err) {
    await out?.abort()
    await rm(opts.outPath, { force: true })
    if (err instanceof ActionError) throw err
    const e = err as NodeJS.ErrnoException
    throw new ActionError(
      `Cannot write the bundle to '${opts.outPath}': ${e.code ?? e.message}.`,
      'Check that the folder exists, is writable and has room (RUNNER_TEMP on the runner).'
    )
  }
}

/** A hook script's mode in the archive: x added wherever r is set; the owner always gets it. */
export function executableMode(mode: number): number {
  return (mode & 0o777) | 0o100 | ((mode & 0o044) >> 2)
}

type ModeOf = (e: SourcedEntry) => number

async function writeTar(
  entries: SourcedEntry[],
  modeOf: ModeOf,
  out: ArchiveSink,
  reader: ChunkReader,
  next: () => void
): Promise<void> {
  for (const e of entries) {
    next()
    await out.write(
      tarHeader({
        path: e.path,
        type: e.type,
        mode: modeOf(e),
        size: e.size,
        linkTarget: e.linkTarget,
        mtime: MTIME_SECONDS
      })
    )
    if (e.type !== 'file' || e.size === 0) continue
    const store = e.size >= STORE_IN_GZIP_FROM && isAlreadyCompressed(e.path)
    await out.level(store ? 0 : DEFLATE_LEVEL)
    if (isSmallFile(e)) await out.write(readSmall(e))
    else for await (const chunk of reader.chunks(e)) await out.write(chunk)
    await out.write(tarPadding(e.size))
  }
  await out.write(TAR_END)
}

async function writeZip(
  entries: SourcedEntry[],
  modeOf: ModeOf,
  out: ArchiveSink,
  reader: ChunkReader,
  next: () => void
): Promise<void> {
  const records: ZipRecord[] = []
  const deflater = new SmallDeflater()
  try {
    for (const e of entries) {
      next()
      const typeBits = e.type === 'file' ? 0o100000 : e.type === 'directory' ? 0o040000 : 0o120000
      const record: ZipRecord = {
        name: Buffer.from(e.type === 'directory' ? `${e.path}/` : e.path),
        method: STORE,
        crc: 0,
        compressedSize: 0,
        size: 0,
        offset: out.written,
        unixMode: typeBits | modeOf(e),
        descriptor: false,
        zip64: false
      }
      if (e.type === 'file' && e.size > SMALL_FILE) await writeZipStreamed(e, record, out, reader)
      else {
        const data =
          e.type === 'symlink'
            ? Buffer.from(e.linkTarget ?? '')
            : isSmallFile(e)
              ? readSmall(e)
              : Buffer.alloc(0)
        await writeZipWhole(e, data, record, out, deflater)
      }
      records.push(record)
    }
  } finally {
    deflater.close()
  }
  const cdOffset = out.written
  for (const r of records) await out.write(centralHeader(r))
  await out.write(endOfCentralDirectory(records.length, cdOffset, out.written - cdOffset))
}

/** Folders, links and small files: content in memory, CRC and sizes in the local header. */
async function writeZipWhole(
  e: SourcedEntry,
  data: Buffer,
  r: ZipRecord,
  out: ArchiveSink,
  deflater: SmallDeflater
): Promise<void> {
  let body = data
  if (e.type === 'file' && data.length > 0 && !isAlreadyCompressed(e.path)) {
    const deflated = await deflater.deflate(data)
    if (deflated.length < data.length) {
      body = deflated
      r.method = DEFLATE
    }
  }
  r.crc = zlib.crc32(data)
  r.size = data.length
  r.compressedSize = body.length
  await out.write(localHeader(r))
  if (body.length > 0) await out.write(body)
}

/** Big files: streamed through, CRC and sizes in a data descriptor after the data. */
async function writeZipStreamed(
  e: SourcedEntry,
  r: ZipRecord,
  out: ArchiveSink,
  reader: ChunkReader
): Promise<void> {
  r.descriptor = true
  r.zip64 = e.size >= ZIP64_FROM
  r.method = isAlreadyCompressed(e.path) ? STORE : DEFLATE
  r.size = e.size
  await out.write(localHeader(r))
  if (r.method === STORE) {
    for await (const chunk of reader.chunks(e)) {
      r.crc = zlib.crc32(chunk, r.crc)
      await out.write(chunk)
    }
    r.compressedSize = e.size
  } else {
    const deflate = zlib.createDeflateRaw({ level: DEFLATE_LEVEL })
    const feeding = (async () => {
      for await (const chunk of reader.chunks(e)) {
        r.crc = zlib.crc32(chunk, r.crc)
        // Its callback runs once deflate has consumed the chunk: only then may the buffer be reused.
        await new Promise<void>((resolve, reject) =>
          deflate.write(chunk, (err) => (err ? reject(err) : resolve()))
        )
      }
      deflate.end()
    })().catch((err: Error) => {
      deflate.destroy(err)
      throw err
    })
    try {
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        r.compressedSize += chunk.length
        await out.write(chunk)
      }
    } catch (err) {
      deflate.destroy(err as Error)
      await feeding.catch(() => undefined)
      throw err
    }
    await feeding
  }
  await out.write(dataDescriptor(r))
}

function isSmallFile(e: SourcedEntry): boolean {
  return e.type === 'file' && e.size > 0 && e.size <= SMALL_FILE
}

/**
 * A small file's content, read synchronously: for a 100,000-file bundle, sync open/fstat/read
 * is several times faster than promise-based calls, and zlib keeps compressing on its own
 * threads meanwhile. Same guards as ChunkReader.chunks: no links followed, size checked.
 */
function readSmall(e: SourcedEntry): Buffer {
  const source = e.source as string
  let fd: number
  try {
    fd = openSync(source, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK)
  } catch (err) {
    const x = err as NodeJS.ErrnoException
    throw changed(source, x.code ?? x.message)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw changed(source, 'no longer a regular file')
    if (st.size !== e.size) throw changed(source, `size ${e.size} became ${st.size}`)
    const buf = Buffer.allocUnsafe(e.size)
    let at = 0
    while (at < e.size) {
      const n = readSync(fd, buf, at, e.size - at, at)
      if (n === 0) throw changed(source, 'it got shorter')
      at += n
    }
    return buf
  } finally {
    closeSync(fd)
  }
}

function changed(source: string, detail: string): ActionError {
  return new ActionError(
    `'${source}' changed while the bundle was written (${detail}), so the archive would not match what was checked.`,
    'Make sure no other process writes to the workspace while this step runs, then run it again.'
  )
}

/**
 * One raw-deflate engine reused for every small zip entry (finished and reset per entry):
 * an engine per file costs ~300 KiB of native memory that is freed too late, and time.
 */
class SmallDeflater {
  private readonly engine = zlib.createDeflateRaw({ level: DEFLATE_LEVEL })
  private output: Buffer[] = []
  private failure: Error | undefined

  constructor() {
    this.engine.on('data', (chunk: Buffer) => this.output.push(chunk))
    this.engine.on('error', (err: Error) => (this.failure = err))
  }

  deflate(data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.engine.write(data)
      this.engine.flush(zlib.constants.Z_FINISH, () => {
        const out = Buffer.concat(this.output)
        this.output = []
        if (this.failure) return reject(this.failure)
        this.engine.reset()
        resolve(out)
      })
    })
  }

  close(): void {
    this.engine.close()
  }
}

/** Reads files in chunks through one buffer, reused for every chunk of every file. */
class ChunkReader {
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK)

  /** `next` throws to stop (a cancel): asked before every read, so a big file stops midway. */
  constructor(private readonly next: () => void = () => undefined) {}

  /**
   * A file's content, opened without following links and checked against its size. Each chunk
   * is overwritten by the next read: consume it (the ArchiveSink.write promise) before asking for more.
   */
  async *chunks(e: SourcedEntry): AsyncGenerator<Buffer> {
    const source = e.source as string
    // O_NONBLOCK: a file swapped for a FIFO fails instead of hanging; no effect on regular files.
    const fh = await open(source, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK).catch(
      (err: NodeJS.ErrnoException) => {
        throw changed(source, err.code ?? err.message)
      }
    )
    try {
      const st = await fh.stat()
      if (!st.isFile()) throw changed(source, 'no longer a regular file')
      if (st.size !== e.size) throw changed(source, `size ${e.size} became ${st.size}`)
      let left = e.size
      while (left > 0) {
        this.next()
        const want = Math.min(left, READ_CHUNK)
        const { bytesRead } = await fh.read(this.buffer, 0, want, null)
        if (bytesRead === 0) throw changed(source, 'it got shorter')
        left -= bytesRead
        yield this.buffer.subarray(0, bytesRead)
      }
    } finally {
      await fh.close()
    }
  }
}

/**
 * The archive's byte stream: optionally gzip, then hashing and counting, then the file.
 * `written` counts bytes before compression (zip offsets); sha256 and size count what lands.
 * A buffer given to write() may be reused as soon as its promise resolves: small ones are
 * copied, big ones are consumed (by gzip) or written to the file before it resolves.
 */
class ArchiveSink {
  written = 0
  private readonly hash = createHash('sha256')
  private size = 0
  private readonly gzip: GzipStream | undefined
  /**
   * Small writes (headers, small files, the reader's chunks of a small file) are copied into one
   * of two buffers, used in turn: a copy per write and a concat per flush made twice the input
   * in garbage, which V8 frees only when external memory passes its GC trigger. A full buffer is
   * passed on while the other fills; it is free again once the write after it has started
   * (toFile waits for the previous write), which is before the other fills up.
   */
  private readonly coalesce = [Buffer.allocUnsafe(COALESCE), Buffer.allocUnsafe(COALESCE)]
  private current = 0
  private pendingBytes = 0
  /** The write of a buffer nobody else holds (gzip output), overlapping the next read. */
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    private readonly fh: FileHandle,
    gzip: boolean
  ) {
    this.gzip = gzip ? new GzipStream((b, borrowed) => this.toFile(b, borrowed)) : undefined
  }

  static async open(outPath: string, gzip: boolean): Promise<ArchiveSink> {
    return new ArchiveSink(await open(outPath, 'w', 0o644), gzip)
  }

  async write(buf: Buffer): Promise<void> {
    this.written += buf.length
    if (buf.length >= COALESCE) {
      await this.flush()
      await this.push(buf)
      return
    }
    if (this.pendingBytes + buf.length > COALESCE) await this.flush()
    buf.copy(this.coalesce[this.current]!, this.pendingBytes)
    this.pendingBytes += buf.length
    if (this.pendingBytes === COALESCE) await this.flush()
  }

  /** Sets the gzip level (0: stored) for what follows; a no-op for tar and zip. */
  async level(level: number): Promise<void> {
    if (!this.gzip || this.gzip.storing === (level === 0)) return
    await this.flush()
    await this.gzip.level(level)
  }

  async end(): Promise<{ sha256: string; size: number }> {
    await this.flush()
    if (this.gzip) await this.gzip.finish()
    await this.writing
    await this.fh.close()
    return { sha256: this.hash.digest('hex'), size: this.size }
  }

  async abort(): Promise<void> {
    this.gzip?.close()
    await this.writing.catch(() => undefined)
    await this.fh.close().catch(() => undefined)
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return
    const chunk = this.coalesce[this.current]!.subarray(0, this.pendingBytes)
    this.current ^= 1
    this.pendingBytes = 0
    await this.push(chunk, false)
  }

  private async push(chunk: Buffer, borrowed = true): Promise<void> {
    if (this.gzip) await this.gzip.write(chunk)
    else await this.toFile(chunk, borrowed)
  }

  /**
   * Appends to the file, one write at a time. A borrowed buffer (the caller reuses it) is
   * written before this resolves; an owned one is left writing while the caller goes on.
   */
  private async toFile(chunk: Buffer, borrowed: boolean): Promise<void> {
    await this.writing
    this.hash.update(chunk)
    const at = this.size
    this.size += chunk.length
    this.writing = writeFully(this.fh, chunk, at)
    // Awaited by the next write or by end(); this only keeps it from counting as unhandled.
    this.writing.catch(() => undefined)
    if (borrowed) await this.writing
  }
}

async function writeFully(fh: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, done, chunk.length - done, position + done)
    done += bytesWritten
  }
}

/** gzip header: no name, mtime 0, OS Unix (3), so every machine writes the same bytes. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
const MAX_STORED_BLOCK = 0xffff

/**
 * gzip written around one raw deflate stream, with stretches stored verbatim. zlib's own level
 * switch (Gzip.params) silently keeps the old level in Node (deflateParams' internal flush
 * returns Z_BUF_ERROR, which Node ignores), so the switch is done here: a sync flush ends the
 * deflate blocks on a byte boundary, stored blocks follow, and the engine is reset (fresh
 * dictionary: it never saw the stored bytes) before deflating again. pigz joins blocks the same way.
 */
class GzipStream {
  private readonly engine = zlib.createDeflateRaw({ level: DEFLATE_LEVEL })
  private produced: Buffer[] = []
  private crc = 0
  private length = 0
  private stored = false
  private started = false

  get storing(): boolean {
    return this.stored
  }

  /** Reused for the stored blocks of each chunk, so stored jars and images make no garbage. */
  private blocks = Buffer.alloc(0)

  /** `borrowed`: the chunk is reused once emit resolves, so emit must finish with it first. */
  constructor(private readonly emit: (chunk: Buffer, borrowed: boolean) => Promise<void>) {
    this.engine.on('data', (chunk: Buffer) => this.produced.push(chunk))
  }

  async write(chunk: Buffer): Promise<void> {
    await this.start()
    this.crc = zlib.crc32(chunk, this.crc)
    this.length += chunk.length
    if (this.stored) await this.emit(this.storedBlocks(chunk), true)
    else await this.run((done) => this.engine.write(chunk, done))
  }

  async level(level: number): Promise<void> {
    const stored = level === 0
    if (stored === this.stored) return
    await this.start()
    if (stored) await this.run((done) => this.engine.flush(zlib.constants.Z_SYNC_FLUSH, done))
    else this.engine.reset()
    this.stored = stored
  }

  async finish(): Promise<void> {
    await this.start()
    if (this.stored) this.engine.reset()
    await this.run((done) => this.engine.flush(zlib.constants.Z_FINISH, done))
    const trailer = Buffer.alloc(8)
    trailer.writeUInt32LE(this.crc >>> 0, 0)
    trailer.writeUInt32LE(this.length % 2 ** 32, 4)
    await this.emit(trailer, false)
    this.close()
  }

  close(): void {
    this.engine.close()
  }

  private async start(): Promise<void> {
    if (this.started) return
    this.started = true
    await this.emit(GZIP_HEADER, false)
  }

  /** Runs one engine call, then passes on what it produced (its 'data' events precede `done`). */
  private async run(call: (done: (err?: Error | null) => void) => void): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err)
      this.engine.once('error', onError)
      call((err) => {
        this.engine.off('error', onError)
        if (err) reject(err)
        else resolve()
      })
    })
    const out = this.produced
    this.produced = []
    for (const chunk of out) await this.emit(chunk, false)
  }

  /** Deflate stored blocks (BTYPE 00, not final) holding `data` verbatim; needs a byte boundary. */
  private storedBlocks(data: Buffer): Buffer {
    const size = data.length + 5 * Math.ceil(data.length / MAX_STORED_BLOCK)
    if (this.blocks.length < size) this.blocks = Buffer.allocUnsafe(size)
    let to = 0
    for (let at = 0; at < data.length; at += MAX_STORED_BLOCK) {
      const piece = data.subarray(at, at + MAX_STORED_BLOCK)
      this.blocks[to] = 0
      this.blocks.writeUInt16LE(piece.length, to + 1)
      this.blocks.writeUInt16LE(~piece.length & 0xffff, to + 3)
      to += 5 + piece.copy(this.blocks, to + 5)
    }
    return this.blocks.subarray(0, to)
  }
}
