import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { FilePart } from '../../src/aws/file-part.js'

const data = randomBytes(1024 * 1024 + 123)
let dir: string
let file: FileHandle
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'file-part-'))
  writeFileSync(join(dir, 'bundle.tgz'), data)
  file = await open(join(dir, 'bundle.tgz'), 'r')
})
afterAll(async () => {
  await file.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A request stand-in: flushes each chunk later, copies what it got, counts chunks not yet flushed. */
function slowRequest(): { dest: Writable; got: Buffer[]; most: () => number; done: Promise<void> } {
  const got: Buffer[] = []
  let pending = 0
  let most = 0
  const dest = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, cb) {
      got.push(Buffer.from(chunk))
      pending++
      most = Math.max(most, pending)
      setTimeout(() => {
        pending--
        cb()
      }, 1)
    }
  })
  const done = new Promise<void>((resolve, reject) => {
    dest.on('finish', resolve)
    dest.on('error', reject)
  })
  return { dest, got, most: () => most, done }
}

describe('FilePart', () => {
  it('piped, sends exactly its part of the file through at most four buffers in flight', async () => {
    const start = 4096
    const length = 700_000
    const r = slowRequest()
    new FilePart(file, start, length, () => new Error('short')).pipe(r.dest)
    await r.done
    expect(Buffer.concat(r.got).equals(data.subarray(start, start + length))).toBe(true)
    expect(r.most()).toBeLessThanOrEqual(4)
  })

  it('read as a stream, gives the same bytes', async () => {
    const chunks: Buffer[] = []
    for await (const c of new FilePart(file, 10, 200_000, () => new Error('short')))
      chunks.push(c as Buffer)
    expect(Buffer.concat(chunks).equals(data.subarray(10, 200_010))).toBe(true)
  })

  it('a file shorter than the part fails the request with the given error, both ways', async () => {
    const r = slowRequest()
    new FilePart(file, data.length - 100, 1000, () => new Error('the bundle changed size')).pipe(
      r.dest
    )
    await expect(r.done).rejects.toThrow('the bundle changed size')
    const read = async (): Promise<void> => {
      for await (const _ of new FilePart(
        file,
        data.length - 100,
        1000,
        () => new Error('the bundle changed size')
      ));
    }
    await expect(read()).rejects.toThrow('the bundle changed size')
  })

  it('stops sending when the request is destroyed', async () => {
    const r = slowRequest()
    r.done.catch(() => undefined)
    new FilePart(file, 0, data.length, () => new Error('short')).pipe(r.dest)
    await new Promise((res) => setTimeout(res, 5))
    r.dest.destroy()
    const seen = r.got.length
    await new Promise((res) => setTimeout(res, 30))
    expect(r.got.length).toBe(seen)
    expect(seen * 64 * 1024).toBeLessThan(data.length)
  })
})
