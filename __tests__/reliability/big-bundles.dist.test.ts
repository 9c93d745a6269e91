// Big bundles, built by dist/ in dry-run (no test bed): 100,000 small files, and a zip holding a
// file past 4 GiB (zip64: every byte streamed through the deflater, the CRC and the sizes past
// 32 bits). A tar entry past 8 GiB (past ustar's size field) differs only in its header, which
// __tests__/bundle/tar-format.test.ts checks with GNU tar without writing 8 GiB.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { crc32, createInflateRaw } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../e2e/harness.js'
import { appWorkspace, scratchParent } from '../e2e/workspace.js'
import { appInputs } from '../support/fixtures.js'

const GIB = 1024 ** 3
const MIB = 1024 ** 2

/** Inflates the deflated data after the local header at `offset`: its size and CRC-32 (hex). */
async function inflateEntry(
  archive: string,
  offset: number
): Promise<{ size: number; crc: string }> {
  const header = Buffer.alloc(30)
  const fd = openSync(archive, 'r')
  try {
    readSync(fd, header, 0, 30, offset)
  } finally {
    closeSync(fd)
  }
  expect(header.readUInt32LE(0)).toBe(0x04034b50) // a local file header's signature
  const start = offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
  let size = 0
  let crc = 0
  // The raw deflate stream ends by itself; what follows it (descriptor, directory) is not read.
  const inflate = createInflateRaw({ chunkSize: 1024 * 1024 })
  inflate.on('data', (d: Buffer) => {
    size += d.length
    crc = crc32(d, crc)
  })
  await pipeline(createReadStream(archive, { start }), inflate)
  return { size, crc: crc.toString(16).padStart(8, '0') }
}

function dryRun(ws: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction({
    workspace: ws,
    inputs: { ...appInputs('rel-scale'), 'dry-run': 'true', ...inputs },
    env: { GITHUB_RUN_NUMBER: '7005', ...env },
    timeoutMs: 300_000
  })
}

describe('big bundles (dry run)', () => {
  it('bundles 100,000 small files', async () => {
    // ~400 MB in blocks of 4 KB.
    const ws = appWorkspace('rel-scale', { parent: scratchParent(GIB) })
    for (let d = 0; d < 100; d++) {
      const dir = path.join(ws, 'deploy', 'data', String(d))
      mkdirSync(dir, { recursive: true })
      for (let f = 0; f < 1000; f++) writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}\n`)
    }
    const r = await dryRun(ws)
    rmSync(ws, { recursive: true, force: true })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const listing = execFileSync('tar', ['-tzf', r.outputs['bundle-path'] as string], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })
    const files = listing.split('\n').filter((l) => l && !l.endsWith('/'))
    // 100,000 data files, app.txt, appspec.yml and two scripts.
    expect(files).toHaveLength(100_004)
    // The listing (in a collapsed group) has a line per entry: ~33 bytes each.
    expect(r.stdout.length).toBeLessThan(8 * 1024 * 1024)
    console.log(`100,000 files: bundled in ${r.durationMs} ms, ${r.outputs['bundle-size']} bytes`)
    expect(r.durationMs).toBeLessThan(120_000)
  }, 300_000)

  it('a zip holding a file past 4 GiB (zip64)', async () => {
    // Sparse: no space taken, in memory or on disk, but reading its holes back from a disk's file
    // system costs seconds of CPU per GB; from memory, nothing. A zip of zeros is a few MB.
    // Just past the limit (4 GiB - 1 for a zip's 32-bit sizes): every byte more is only more
    // time deflating.
    const bytes = 4 * GIB + 64 * MIB
    const ws = appWorkspace('rel-scale', { parent: scratchParent(GIB) })
    execFileSync('truncate', ['-s', String(bytes), path.join(ws, 'deploy', 'big.bin')])
    const temp = mkdtempSync(path.join(os.tmpdir(), 'big-'))
    try {
      const r = await dryRun(ws, { 'bundle-type': 'zip' }, { RUNNER_TEMP: temp })
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      const archive = r.outputs['bundle-path'] as string
      console.log(
        `${bytes} byte file as zip: ${r.durationMs} ms, archive ${r.outputs['bundle-size']} bytes`
      )
      // Info-ZIP reads the central directory (zip64 sizes and offsets); the data is inflated
      // here, in zlib, to its full size and CRC: `unzip -t` did both in ~20 CPU-s, its own
      // inflate being slower than zlib's on 4 GiB of zeros.
      const info = execFileSync('zipinfo', ['-v', archive, 'big.bin'], { encoding: 'utf8' })
      const field = (name: string): string =>
        new RegExp(`${name}:\\s+(\\S+)`).exec(info)?.[1] ?? `no ${name} in zipinfo -v`
      expect(field('uncompressed size')).toBe(String(bytes))
      expect(field('compression method')).toBe('deflated')
      const data = await inflateEntry(
        archive,
        Number(field('offset of local header from start of archive'))
      )
      expect(data).toEqual({ size: bytes, crc: field('32-bit CRC value \\(hex\\)') })
    } finally {
      rmSync(temp, { recursive: true, force: true })
      rmSync(ws, { recursive: true, force: true })
    }
  }, 300_000)
})
