// One part of the bundle file as a request body. The SDK pipes a stream body into the request;
// here pipe() writes the part through a few small buffers, each reused once the request has
// flushed it (its write callback), so ten parts in flight hold about a megabyte and leave no
// garbage behind (fs.createReadStream allocates a buffer per read: 2 GB of them for a 2 GB
// bundle, which V8 frees only when it gets round to it, 30-40 MiB of RSS more at the peak).
// Read as an ordinary stream (tests, any other consumer), it reads into fresh buffers.
import type { FileHandle } from 'node:fs/promises'
import { Readable, type Writable } from 'node:stream'

const CHUNK = 64 * 1024
/** Buffers per part: the request holds at most this many chunks not yet flushed. */
const SLOTS = 4

export class FilePart extends Readable {
  private offset = 0

  constructor(
    private readonly file: FileHandle,
    private readonly start: number,
    private readonly length: number,
    /** The error when the file ends before the part does (it changed since it was hashed). */
    private readonly shortRead: () => Error
  ) {
    super({ highWaterMark: CHUNK })
  }

  override _read(): void {
    const want = Math.min(CHUNK, this.length - this.offset)
    if (want <= 0) {
      this.push(null)
      return
    }
    this.file.read(Buffer.allocUnsafe(want), 0, want, this.start + this.offset).then(
      ({ bytesRead, buffer }) => {
        if (bytesRead === 0) return this.destroy(this.shortRead())
        this.offset += bytesRead
        this.push(buffer.subarray(0, bytesRead))
      },
      (err: Error) => this.destroy(err)
    )
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T): T {
    void this.pump(destination as unknown as Writable)
    return destination
  }

  private async pump(dest: Writable): Promise<void> {
    const size = Math.max(1, Math.min(CHUNK, this.length))
    const free = Array.from({ length: SLOTS }, () => Buffer.allocUnsafe(size))
    let wake: (() => void) | undefined
    let failed = false
    const release =
      (slot: Buffer<ArrayBuffer>) =>
      (err?: Error | null): void => {
        if (err) failed = true
        free.push(slot)
        wake?.()
      }
    try {
      for (let at = 0; at < this.length;) {
        while (free.length === 0 && !failed && !dest.destroyed)
          await new Promise<void>((resolve) => (wake = resolve))
        wake = undefined
        // The request failed or was aborted: the SDK reports that; nothing more to send.
        if (failed || dest.destroyed) return
        const slot = free.pop()!
        const want = Math.min(slot.length, this.length - at)
        const { bytesRead } = await this.file.read(slot, 0, want, this.start + at)
        if (bytesRead === 0) throw this.shortRead()
        at += bytesRead
        dest.write(slot.subarray(0, bytesRead), release(slot))
      }
      dest.end()
    } catch (err) {
      dest.destroy(err as Error)
    } finally {
      this.destroy()
    }
  }
}
