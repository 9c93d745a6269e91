// Big bundles, built by dist/ in dry-run (no test bed): 100,000 small files, a zip holding a
// file past 4 GiB (zip64) and a tar holding one past 8 GiB (past ustar's size field).
import { describe, expect, it } from '@jest/globals'
import { execFileSync, execSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../e2e/harness.js'
import { appWorkspace, scratchParent } from './app.js'

const GIB = 1024 ** 3
const MIB = 1024 ** 2

function freeBytes(dir: string): number {
  const s = statfsSync(dir)
  return s.bavail * s.bsize
}

/** A folder for an archive of `bytes` (the action's RUNNER_TEMP), in memory when it fits. */
function archiveDir(bytes: number): string {
  const room = bytes + 4 * GIB
  const parent = scratchParent(room)
  expect(freeBytes(parent)).toBeGreaterThan(room)
  return mkdtempSync(path.join(parent, 'big-bundle-'))
}

function dryRun(ws: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction({
    workspace: ws,
    inputs: {
      application: 'rel-scale',
      'deployment-group': 'fleet',
      source: 'deploy',
      'dry-run': 'true',
      ...inputs
    },
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

  /** Dry-runs a bundle holding one sparse file of `bytes` and returns the archive listing. */
  async function hugeFile(type: 'zip' | 'tar', bytes: number): Promise<string> {
    // Sparse: no space taken, in memory or on disk, but reading its holes back from a disk's file
    // system costs seconds of CPU per GB; from memory, nothing.
    const ws = appWorkspace('rel-scale', { parent: scratchParent(GIB) })
    execFileSync('truncate', ['-s', String(bytes), path.join(ws, 'deploy', 'big.bin')])
    // A tar is as big as its file; a zip of zeros is a few MB.
    const temp = type === 'tar' ? archiveDir(bytes) : mkdtempSync(path.join(os.tmpdir(), 'big-'))
    const r = await dryRun(ws, { 'bundle-type': type }, { RUNNER_TEMP: temp })
    const archive = r.outputs['bundle-path'] as string
    try {
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      console.log(
        `${bytes} byte file as ${type}: ${r.durationMs} ms, archive ${r.outputs['bundle-size']} bytes`
      )
      if (type === 'zip') execFileSync('unzip', ['-tq', archive])
      return type === 'zip'
        ? execFileSync('unzip', ['-lv', archive], { encoding: 'utf8' })
        : execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' })
    } finally {
      execSync(`rm -rf ${JSON.stringify(temp)} ${JSON.stringify(ws)}`)
    }
  }

  // Just past each limit (4 GiB - 1 for a zip's 32-bit sizes, 8 GiB - 1 for ustar's 11 octal
  // digits): every byte more is only more time deflating (zip) or writing (tar).
  it('a zip holding a file past 4 GiB (zip64) and a tar holding one past 8 GiB (past ustar)', async () => {
    // The files are sparse (no disk used for their contents), but the tar is as big as its file.
    const zipBytes = 4 * GIB + 64 * MIB
    const tarBytes = 8 * GIB + 64 * MIB
    const [zip, tar] = await Promise.all([hugeFile('zip', zipBytes), hugeFile('tar', tarBytes)])
    expect(zip).toMatch(new RegExp(`\\b${zipBytes}\\b.*big\\.bin`))
    expect(tar).toMatch(new RegExp(`\\b${tarBytes}\\b.*big\\.bin`))
  }, 300_000)
})
