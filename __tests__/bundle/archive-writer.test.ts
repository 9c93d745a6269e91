import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  readFileSync,
  readlinkSync,
  statSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { writeArchive, type WrittenArchive } from '../../src/bundle/archive-writer.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { selectBundleFiles, type SourcedEntry } from '../../src/bundle/select.js'
import { ActionError } from '../../src/common/errors.js'
import type { BundleType } from '../../src/settings/settings.js'
import { noise, writeTree, type Tree } from '../support/fixtures.js'
import { TUTORIAL_INPUTS, TUTORIAL_JAR, tutorialTree } from '../support/tutorial.js'
import { makeDir, sh } from './workspace-fixture.js'

const TYPES: BundleType[] = ['tgz', 'tar', 'zip']
const HOOKS = new Set(['deploy.sh', 'init.sh', 'validate.sh'])

let ws: string
let out: string
const cleanups: (() => void)[] = []
beforeEach(() => {
  const a = makeDir('ws-')
  const b = makeDir('out-')
  ws = a.dir
  out = b.dir
  cleanups.push(a.cleanup, b.cleanup)
})
afterEach(() => cleanups.splice(0).forEach((c) => c()))

const tutorialRules = TUTORIAL_INPUTS.files

async function build(
  type: BundleType,
  tree: Tree,
  source = 'codedeploy',
  files = tutorialRules,
  name = `bundle.${type}`
) {
  writeTree(ws, tree)
  const selected = await selectBundleFiles({
    workspace: ws,
    sourceDir: path.join(ws, source),
    rules: parseFileRules(files)
  })
  const written = await writeArchive({
    entries: selected.entries,
    type,
    outPath: path.join(out, name),
    executable: HOOKS
  })
  return { selected, written }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

function run(cmd: string, args: string[], cwd?: string): string {
  return sh('env', ['TZ=UTC', cmd, ...args], cwd)
}

/** Unpacks as the CodeDeploy agent does. */
function agentExtract(type: BundleType, archive: string): string {
  const dest = makeDir('agent-')
  cleanups.push(dest.cleanup)
  if (type === 'tgz') run('tar', ['-zxpsf', archive, '-C', dest.dir])
  else if (type === 'tar') run('tar', ['-xpsf', archive, '-C', dest.dir])
  else run('unzip', ['-qo', archive, '-d', dest.dir])
  return dest.dir
}

describe.each(TYPES)('writeArchive %s', (type) => {
  it('reports the sha256 and size of the file it wrote, and counts files', async () => {
    const { written } = await build(type, tutorialTree())
    expect(written.path).toBe(path.join(out, `bundle.${type}`))
    expect(written.sha256).toBe(sha256(written.path))
    expect(written.size).toBe(statSync(written.path).size)
    expect(written.fileCount).toBe(6)
  })

  it('gives the same sha256 for the same inputs after timestamps changed', async () => {
    const first = await build(type, tutorialTree(), 'codedeploy', tutorialRules, `one.${type}`)
    for (const f of ['codedeploy/appspec.yml', 'codedeploy/deploy.sh', TUTORIAL_JAR])
      utimesSync(
        path.join(ws, f),
        new Date('2031-05-06T07:08:09Z'),
        new Date('2031-05-06T07:08:09Z')
      )
    utimesSync(path.join(ws, 'codedeploy'), new Date(), new Date('2001-01-01T00:00:00Z'))
    const again = await build(type, {}, 'codedeploy', tutorialRules, `two.${type}`)
    expect(again.written.sha256).toBe(first.written.sha256)
    expect(readFileSync(again.written.path).equals(readFileSync(first.written.path))).toBe(true)
  })

  it('keeps every byte in order when small writes fill and cross the reused write buffers', async () => {
    // 80 files of 1 B to ~40 KiB (headers and contents coalesced into the two 256 KiB buffers
    // used in turn), with files over 256 KiB between them (written through, not coalesced).
    const tree: Tree = {}
    for (let i = 0; i < 80; i++) {
      const size = i % 30 === 29 ? 300_000 + i : (i * 7919) % 40_000 || 1
      tree[`codedeploy/f/${String(i).padStart(3, '0')}.${i % 3 ? 'txt' : 'png'}`] =
        i % 2 ? noise(size, i + 1) : `${i} `.repeat(size).slice(0, size)
    }
    const { written } = await build(type, { ...tutorialTree(), ...tree })
    const dest = agentExtract(type, written.path)
    for (const [rel, content] of Object.entries(tree)) {
      const got = readFileSync(path.join(dest, rel.replace(/^codedeploy\//, '')))
      expect({ rel, same: got.equals(Buffer.from(content as string | Buffer)) }).toEqual({
        rel,
        same: true
      })
    }
  })

  it('unpacks as the agent unpacks it: same bytes, modes kept, hooks executable, links kept', async () => {
    const tree: Tree = {
      ...tutorialTree(),
      'codedeploy/conf/site.conf': 'server {}\n',
      'codedeploy/current.conf': { link: 'conf/site.conf' },
      'codedeploy/private.key': { mode: 0o600, content: 'k' },
      'codedeploy/big.txt': 'a compressible line of text\n'.repeat(20_000),
      'codedeploy/empty.txt': '',
      [`codedeploy/${'long-folder-name/'.repeat(8)}file-ü.txt`]: 'deep',
      [`codedeploy/${'x'.repeat(120)}.txt`]: 'long name',
      [`codedeploy/${'y'.repeat(150)}/${'z'.repeat(150)}.txt`]: 'needs pax'
    }
    const { selected, written } = await build(type, tree)
    const dest = agentExtract(type, written.path)
    for (const e of selected.entries) {
      const p = path.join(dest, e.path)
      const st = lstatSync(p)
      if (e.type === 'symlink') {
        expect(st.isSymbolicLink()).toBe(true)
        expect(readlinkSync(p)).toBe(e.linkTarget)
        continue
      }
      if (e.type === 'directory') {
        expect(st.isDirectory()).toBe(true)
        continue
      }
      expect(readFileSync(p).equals(readFileSync(e.source as string))).toBe(true)
      const expected = HOOKS.has(e.path) ? 0o755 : e.mode
      expect([e.path, (st.mode & 0o777).toString(8)]).toEqual([e.path, expected.toString(8)])
    }
    expect(lstatSync(path.join(dest, 'init.sh')).mode & 0o777).toBe(0o755)
    expect(lstatSync(path.join(dest, 'private.key')).mode & 0o777).toBe(0o600)
  })
})

describe('writeArchive: what the system tools list', () => {
  it('tgz and tar: sorted, root-owned, 1980-01-01, folders and links as entries', async () => {
    const tree: Tree = {
      'deploy/appspec.yml': 'x',
      'deploy/deploy.sh': { mode: 0o700, content: '#!/bin/sh\n' },
      'deploy/lib/a.jar': noise(10),
      'deploy/lib/current.jar': { link: 'a.jar' }
    }
    writeTree(ws, tree)
    for (const type of ['tgz', 'tar'] as const) {
      const { written } = await build(type, {}, 'deploy', '', `l.${type}`)
      const lines = run('tar', [type === 'tgz' ? '-tvzf' : '-tvf', written.path])
        .trim()
        .split('\n')
      expect(
        lines.map((l) =>
          l
            .split(/\s+/)
            .filter((_, i) => i !== 2)
            .join(' ')
        )
      ).toEqual([
        '-rw-r--r-- root/root 1980-01-01 00:00 appspec.yml',
        '-rwx------ root/root 1980-01-01 00:00 deploy.sh',
        'drwxr-xr-x root/root 1980-01-01 00:00 lib/',
        '-rw-r--r-- root/root 1980-01-01 00:00 lib/a.jar',
        'lrwxrwxrwx root/root 1980-01-01 00:00 lib/current.jar -> a.jar'
      ])
      if (type === 'tgz') run('gzip', ['-t', written.path])
    }
  })

  it('zip: Unix modes, 1980-01-01, jars stored, text deflated, CRCs valid', async () => {
    const { written } = await build(
      'zip',
      {
        'deploy/appspec.yml': 'version: 0.0\n'.repeat(40),
        'deploy/deploy.sh': { mode: 0o700, content: '#!/bin/sh\n' },
        'deploy/lib/a.jar': noise(100_000),
        'deploy/lib/big.log': 'line\n'.repeat(40_000),
        'deploy/lib/current.jar': { link: 'a.jar' }
      },
      'deploy',
      ''
    )
    const lines = run('unzip', ['-Z', written.path]).trim().split('\n').slice(2, -1)
    // mode, version, os, size, kind, method, date, time, name
    expect(
      lines.map((l) =>
        l
          .split(/\s+/)
          .filter((_, i) => ![1, 3, 4].includes(i))
          .join(' ')
      )
    ).toEqual([
      '-rw-r--r-- unx defN 80-Jan-01 00:00 appspec.yml',
      '-rwx------ unx stor 80-Jan-01 00:00 deploy.sh',
      'drwxr-xr-x unx stor 80-Jan-01 00:00 lib/',
      '-rw-r--r-- unx stor 80-Jan-01 00:00 lib/a.jar',
      '-rw-r--r-- unx defN 80-Jan-01 00:00 lib/big.log',
      'lrwxrwxrwx unx stor 80-Jan-01 00:00 lib/current.jar'
    ])
    expect(run('unzip', ['-tq', written.path])).toContain('No errors detected')
    sh('python3', ['-m', 'zipfile', '-t', written.path])
  })

  it('tgz: stores content named as already compressed verbatim, and deflates the rest', async () => {
    // The same compressible bytes twice: as a .jar it must be stored (no time spent deflating
    // it), as .txt it must shrink. Sizes tell which happened.
    const content = Buffer.from('compressible text\n'.repeat(100_000))
    const archive = async (name: string): Promise<WrittenArchive> => {
      const tree = { [`${name}/appspec.yml`]: 'x', [`${name}/app.${name}`]: content }
      return (await build('tgz', tree, name, '', `${name}.tgz`)).written
    }
    const stored = await archive('jar')
    const deflated = await archive('txt')
    expect(stored.size).toBeGreaterThan(content.length)
    // Stored blocks cost 5 bytes per 64 KiB.
    expect(stored.size).toBeLessThan(content.length * 1.001 + 2048)
    expect(deflated.size).toBeLessThan(content.length / 50)
    const dest = agentExtract('tgz', stored.path)
    expect(readFileSync(path.join(dest, 'app.jar')).equals(content)).toBe(true)
    run('gzip', ['-t', stored.path])
  })

  it('tgz: switches between stored and deflated stretches as often as entries ask', async () => {
    const tree: Tree = { 'mix/appspec.yml': 'x' }
    for (let i = 0; i < 6; i++) {
      tree[`mix/${i}-a.png`] = noise(70_000, i + 1)
      tree[`mix/${i}-b.txt`] = `line ${i}\n`.repeat(10_000)
    }
    const { selected, written } = await build('tgz', tree, 'mix', '')
    run('gzip', ['-t', written.path])
    const dest = agentExtract('tgz', written.path)
    for (const e of selected.entries.filter((x) => x.type === 'file'))
      expect(readFileSync(path.join(dest, e.path)).equals(readFileSync(e.source as string))).toBe(
        true
      )
  })

  it('zip: an archive of more than 65,535 entries gets zip64 end records', async () => {
    const entries: SourcedEntry[] = []
    for (let i = 0; i < 66_000; i++)
      entries.push({
        path: `d${String(i).padStart(5, '0')}`,
        type: 'directory',
        mode: 0o755,
        size: 0
      })
    const written = await writeArchive({
      entries,
      type: 'zip',
      outPath: path.join(out, 'many.zip'),
      executable: new Set()
    })
    expect(written.fileCount).toBe(0)
    // zipinfo's totals line reads the whole central directory, as `unzip -l` does, without
    // printing 66,000 lines.
    expect(sh('zipinfo', ['-t', written.path])).toMatch(/^66000 files,/)
    const bytes = readFileSync(written.path)
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true)
  })
})

describe('writeArchive: failures leave no archive behind', () => {
  async function writeWith(
    entries: SourcedEntry[],
    type: BundleType = 'tgz'
  ): Promise<[ActionError, string]> {
    const outPath = path.join(out, `fail.${type}`)
    const err = await writeArchive({ entries, type, outPath, executable: new Set() }).then(
      (w: WrittenArchive) => w,
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(ActionError)
    return [err as ActionError, outPath]
  }

  it.each(TYPES)('%s: a file that changed since it was selected', async (type) => {
    writeTree(ws, { 'a.txt': 'short' })
    const source = path.join(ws, 'a.txt')
    const entries: SourcedEntry[] = [{ path: 'a.txt', type: 'file', mode: 0o644, size: 5, source }]
    writeFileSync(source, 'now longer than it was')
    const [err, outPath] = await writeWith(entries, type)
    expect(err.message).toBe(
      `'${source}' changed while the bundle was written (size 5 became 22), so the archive would not match what was checked.`
    )
    expect(existsSync(outPath)).toBe(false)
  })

  it('a file replaced by a symlink since it was selected', async () => {
    writeTree(ws, { 'real.txt': 'abc', 'a.txt': { link: '/etc/hostname' } })
    const source = path.join(ws, 'a.txt')
    const [err] = await writeWith([{ path: 'a.txt', type: 'file', mode: 0o644, size: 3, source }])
    expect(err.message).toContain(`'${source}' changed while the bundle was written (ELOOP)`)
  })

  it('an output folder that does not exist', async () => {
    writeTree(ws, { 'a.txt': 'abc' })
    const outPath = path.join(out, 'missing', 'bundle.tgz')
    const err = await writeArchive({
      entries: [
        { path: 'a.txt', type: 'file', mode: 0o644, size: 3, source: path.join(ws, 'a.txt') }
      ],
      type: 'tgz',
      outPath,
      executable: new Set()
    }).catch((e: unknown) => e as ActionError)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toBe(`Cannot write the bundle to '${outPath}': ENOENT.`)
  })

  it.each(['../escape.txt', '/abs.txt', 'a/./b', 'a//b'])(
    'refuses the bundle path %s',
    async (p) => {
      const [err, outPath] = await writeWith([{ path: p, type: 'directory', mode: 0o755, size: 0 }])
      expect(err.message).toMatch(/^Bundle path '.*' (has|is)/)
      expect(existsSync(outPath)).toBe(false)
    }
  )
})

describe('writeArchive: a cancel stops it', () => {
  const SIZE = 48 * 1024 * 1024
  it.each(TYPES)(
    '%s: within the file being read, and the partial archive is removed',
    async (type) => {
      // Incompressible data: many reads, each a turn of the event loop.
      // One entry: only the check between reads can stop it.
      writeTree(ws, { 'big.bin': noise(SIZE) })
      const entries: SourcedEntry[] = [
        { path: 'big.bin', type: 'file', mode: 0o644, size: SIZE, source: path.join(ws, 'big.bin') }
      ]
      const outPath = path.join(out, `cancelled.${type}`)
      const controller = new AbortController()
      // The signal lands once the archive has its first bytes: while big.bin is being read.
      const watch = setInterval(() => {
        if ((statSync(outPath, { throwIfNoEntry: false })?.size ?? 0) > 0) {
          clearInterval(watch)
          controller.abort('SIGINT')
        }
      }, 1)
      const writing = writeArchive({
        entries,
        type,
        outPath,
        executable: new Set(),
        signal: controller.signal
      })
      try {
        await expect(writing).rejects.toThrow('Cancelled while bundling: nothing was uploaded.')
      } finally {
        clearInterval(watch)
      }
      expect(controller.signal.aborted).toBe(true)
      expect(existsSync(outPath)).toBe(false)
    }
  )

  it('tgz: a signal already given stops it before the first entry', async () => {
    writeTree(ws, { 'a.txt': 'a' })
    const outPath = path.join(out, 'never.tgz')
    const entries: SourcedEntry[] = [
      { path: 'a.txt', type: 'file', mode: 0o644, size: 1, source: path.join(ws, 'a.txt') }
    ]
    const writing = writeArchive({
      entries,
      type: 'tgz',
      outPath,
      executable: new Set(),
      signal: AbortSignal.abort('SIGTERM')
    })
    await expect(writing).rejects.toThrow('Cancelled while bundling')
    expect(existsSync(outPath)).toBe(false)
  })
})
