// The tar headers, read back by GNU tar (what `tar -tv` lists is what the agent's tar unpacks). A file of 8 GiB or more does not fit
// ustar's 11 octal digits and gets a pax size: checked here on a sparse archive (the header, then
// a hole as long as the file), so no 8 GiB of data is written or read. The data path for a file
// past 4 GiB is run end to end in big-bundles.dist.test.ts.
import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs'
import path from 'node:path'
import {
  BLOCK,
  TAR_END,
  tarHeader,
  tarPadding,
  type TarEntry
} from '../../src/bundle/tar-format.js'
import { makeDir } from './workspace-fixture.js'

const GIB = 1024 ** 3
const { dir, cleanup } = makeDir('tar-format-')
afterAll(cleanup)

/** A one-file archive of `size` bytes of zeros, sparse: only the header is written. */
function sparseTar(name: string, entry: TarEntry): string {
  const file = path.join(dir, name)
  const header = tarHeader(entry)
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, header)
    const end = header.length + entry.size + tarPadding(entry.size).length
    writeSync(fd, TAR_END, 0, TAR_END.length, end)
    ftruncateSync(fd, end + TAR_END.length)
  } finally {
    closeSync(fd)
  }
  return file
}

const entry = (size: number, p = 'big.bin'): TarEntry => ({
  path: p,
  type: 'file',
  mode: 0o644,
  size,
  mtime: 315532800
})

/** GNU tar's listing: the size and name of each entry. */
function gnuList(file: string): string[] {
  return execFileSync('tar', ['-tvf', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) =>
      l
        .split(/\s+/)
        .filter((_, i) => i === 2 || i === 5)
        .join(' ')
    )
}

describe('tarHeader: sizes', () => {
  it.each([
    ['just under ustar limit (8 GiB - 1)', 8 * GIB - 1, BLOCK],
    ['8 GiB exactly (one past the limit)', 8 * GIB, 3 * BLOCK],
    ['past 8 GiB', 8 * GIB + 64 * 1024 ** 2, 3 * BLOCK]
  ])('%s: read back by GNU tar', (_, size, headerBytes) => {
    expect(tarHeader(entry(size))).toHaveLength(headerBytes)
    const file = sparseTar(`s${size}.tar`, entry(size))
    expect(gnuList(file)).toEqual([`${size} big.bin`])
  })

  it('a pax size keeps the ustar fields of the entry (mode, root owner, mtime)', () => {
    const file = sparseTar('fields.tar', { ...entry(9 * GIB, 'app/big.bin'), mode: 0o755 })
    const line = execFileSync('env', ['TZ=UTC', 'tar', '-tvf', file], { encoding: 'utf8' })
    expect(line).toMatch(/^-rwxr-xr-x root\/root\s+9663676416 1980-01-01 00:00 app\/big\.bin\n$/)
  })
})
