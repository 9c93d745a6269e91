import { createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import tarStream from 'tar-stream'
import { readArchive, topFolderToStrip, type ArchiveView } from '../../src/bundle/archive-reader.js'
import { writeArchive } from '../../src/bundle/archive-writer.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { selectBundleFiles } from '../../src/bundle/select.js'
import { ActionError } from '../../src/common/errors.js'
import type { BundleType } from '../../src/settings/settings.js'
import { noise, writeTree } from '../support/fixtures.js'
import { TUTORIAL_APPSPEC, TUTORIAL_INPUTS, tutorialTree } from '../support/tutorial.js'
import { makeDir, sh } from './workspace-fixture.js'

let dir: string
const cleanups: (() => void)[] = []
const opened: ArchiveView[] = []
beforeEach(() => {
  const d = makeDir('reader-')
  dir = d.dir
  cleanups.push(d.cleanup)
})
afterEach(async () => {
  for (const v of opened.splice(0)) await v.close()
  cleanups.splice(0).forEach((c) => c())
})

async function open(file: string, type: BundleType): Promise<ArchiveView> {
  const view = await readArchive(file, type)
  opened.push(view)
  return view
}

async function refusal(file: string, type: BundleType): Promise<ActionError> {
  const err = await readArchive(file, type).then(
    (v) => v,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ActionError)
  return err as ActionError
}

type Crafted = {
  header: tarStream.Header | (Partial<tarStream.Header> & { name: string })
  content?: string
}

/** A tar (or tgz) with exactly these entries, written by tar-stream. */
async function craftTar(
  name: string,
  entries: Crafted[],
  gzip = name.endsWith('.tgz')
): Promise<string> {
  const pack = tarStream.pack()
  const file = path.join(dir, name)
  const done = gzip
    ? pipeline(pack, zlib.createGzip(), createWriteStream(file))
    : pipeline(pack, createWriteStream(file))
  for (const e of entries) pack.entry({ mode: 0o644, ...e.header }, e.content ?? '')
  pack.finalize()
  await done
  return file
}

/** Zips written by Python's zipfile, all in one run: name -> [name, unix mode with type bits, content]. */
const ZIPS: Record<string, [string, number, string][]> = {
  'dotdot.zip': [['../evil.sh', 0o100644, 'x']],
  'absolute.zip': [['/tmp/evil.sh', 0o100644, 'x']],
  'backslash.zip': [['..\\evil.sh', 0o100644, 'x']],
  'link-out.zip': [['link', 0o120777, '../../etc/passwd']],
  'fifo.zip': [['pipe', 0o010644, '']],
  'z.tgz': [['a', 0o100644, 'x']],
  'full.zip': [['appspec.yml', 0o100644, 'x'.repeat(1000)]]
}
let zipDir: string
beforeAll(() => {
  const d = makeDir('zips-')
  zipDir = d.dir
  afterAllCleanups.push(d.cleanup)
  const script = `
import sys, json, os, zipfile
for file, entries in json.loads(sys.argv[2]).items():
    with zipfile.ZipFile(os.path.join(sys.argv[1], file), 'w') as z:
        for name, mode, content in entries:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = mode << 16
            z.writestr(info, content)
`
  sh('python3', ['-c', script, zipDir, JSON.stringify(ZIPS)])
})
const afterAllCleanups: (() => void)[] = []
afterAll(() => afterAllCleanups.forEach((c) => c()))

function craftedZip(name: keyof typeof ZIPS): string {
  return path.join(zipDir, name)
}

describe('readArchive: archives the action wrote', () => {
  it.each<BundleType>(['tgz', 'tar', 'zip'])(
    '%s: lists what selection chose, hooks executable, and reads files',
    async (type) => {
      const ws = makeDir('ws-')
      cleanups.push(ws.cleanup)
      writeTree(ws.dir, {
        ...tutorialTree(),
        'codedeploy/big-script.sh': '#!/bin/sh\n' + '# padding\n'.repeat(10_000)
      })
      const selected = await selectBundleFiles({
        workspace: ws.dir,
        sourceDir: path.join(ws.dir, 'codedeploy'),
        rules: parseFileRules(TUTORIAL_INPUTS.files)
      })
      const archive = path.join(dir, `b.${type}`)
      await writeArchive({
        entries: selected.entries,
        type,
        outPath: archive,
        executable: new Set(['init.sh'])
      })
      const view = await open(archive, type)
      expect(view.strippedFolder).toBeUndefined()
      expect(view.entries).toEqual(
        selected.entries.map(({ source: _s, ...e }) =>
          e.path === 'init.sh' ? { ...e, mode: 0o755 } : e
        )
      )
      expect((await view.read('appspec.yml')).toString()).toBe(TUTORIAL_APPSPEC)
      // Bigger than what the tar reader keeps while listing: read again from the archive.
      expect(
        (await view.read('big-script.sh')).equals(
          readFileSync(path.join(ws.dir, 'codedeploy/big-script.sh'))
        )
      ).toBe(true)
      await expect(view.read('nope.sh')).rejects.toThrow(
        `'nope.sh' is not a file in the archive '${archive}'.`
      )
    }
  )
})

describe('readArchive: archives users build by hand', () => {
  function project(): string {
    const ws = makeDir('hand-')
    cleanups.push(ws.cleanup)
    writeTree(ws.dir, {
      'dist/appspec.yml': TUTORIAL_APPSPEC,
      'dist/scripts/start.sh': { mode: 0o755, content: '#!/bin/sh\n' },
      'dist/current': { link: 'scripts/start.sh' }
    })
    return ws.dir
  }

  it.each<[string, BundleType, (ws: string, out: string) => string[]]>([
    ['tar -czf x.tgz ./dist', 'tgz', (_ws, out) => ['tar', '-czf', out, './dist']],
    ['tar -cf x.tar dist', 'tar', (_ws, out) => ['tar', '-cf', out, 'dist']],
    ['zip -ry x.zip dist', 'zip', (_ws, out) => ['zip', '-qry', out, 'dist']]
  ])('%s: strips the single top folder as the agent does', async (_name, type, cmd) => {
    const ws = project()
    const out = path.join(dir, `x.${type}`)
    const [bin, ...args] = cmd(ws, out)
    sh(bin as string, args, ws)
    const view = await open(out, type)
    expect(view.strippedFolder).toBe('dist')
    expect(
      view.entries.map((e) => [e.path, e.type, e.mode.toString(8), e.linkTarget ?? ''])
    ).toEqual([
      ['appspec.yml', 'file', '644', ''],
      ['current', 'symlink', '777', 'scripts/start.sh'],
      ['scripts', 'directory', '755', ''],
      ['scripts/start.sh', 'file', '755', '']
    ])
    expect((await view.read('appspec.yml')).toString()).toBe(TUTORIAL_APPSPEC)
  })

  it("tar -czf x.tgz -C dist . : './' prefixes dropped, nothing stripped", async () => {
    const ws = project()
    const out = path.join(dir, 'x.tgz')
    sh('tar', ['-czf', out, '-C', 'dist', '.'], ws)
    const view = await open(out, 'tgz')
    expect(view.strippedFolder).toBeUndefined()
    expect(view.entries.map((e) => e.path)).toEqual([
      'appspec.yml',
      'current',
      'scripts',
      'scripts/start.sh'
    ])
  })

  it.each<[string, { path: string; type: string }[], string | undefined]>([
    ['one folder holding the appspec', [{ path: 'app/appspec.yml', type: 'file' }], 'app'],
    ['implied folder, APPSPEC in capitals', [{ path: 'app/APPSPEC.yml', type: 'file' }], 'app'],
    ['one folder without an appspec', [{ path: 'app/x/appspec.yml', type: 'file' }], undefined],
    [
      'two top-level entries',
      [
        { path: 'app/appspec.yml', type: 'file' },
        { path: 'README', type: 'file' }
      ],
      undefined
    ],
    ['the appspec already at the root', [{ path: 'appspec.yml', type: 'file' }], undefined],
    ['a top-level symlink', [{ path: 'app', type: 'symlink' }], undefined]
  ])('top folder rule: %s', (_name, entries, expected) => {
    expect(topFolderToStrip(entries)).toBe(expected)
  })

  it('keeps the last of two tar entries with one name, as tar extracts it', async () => {
    const file = await craftTar('dup.tar', [
      { header: { name: 'appspec.yml' }, content: 'old' },
      { header: { name: 'appspec.yml' }, content: 'new' }
    ])
    const view = await open(file, 'tar')
    expect(view.entries).toHaveLength(1)
    expect((await view.read('appspec.yml')).toString()).toBe('new')
  })
})

describe('readArchive: refusals', () => {
  it.each<[string, Crafted[], string]>([
    [
      'a .. entry',
      [{ header: { name: 'a/../../evil.sh' }, content: 'x' }],
      "its entry 'a/../../evil.sh' has a '..' segment"
    ],
    [
      'an absolute entry',
      [{ header: { name: '/etc/cron.d/evil' }, content: 'x' }],
      "its entry '/etc/cron.d/evil' is an absolute path"
    ],
    [
      'a hard link',
      [
        { header: { name: 'a.txt' }, content: 'x' },
        { header: { name: 'b.txt', type: 'link', linkname: '/etc/shadow' } }
      ],
      "its entry 'b.txt' is a hard link (to '/etc/shadow')"
    ],
    [
      'a character device',
      [{ header: { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 } }],
      "'null' is a character-device"
    ],
    ['a FIFO', [{ header: { name: 'pipe', type: 'fifo' } }], "'pipe' is a fifo"],
    [
      'a symlink climbing out',
      [{ header: { name: 'conf/x', type: 'symlink', linkname: '../../etc/passwd' } }],
      "'conf/x' is a symlink to '../../etc/passwd', outside the archive"
    ],
    [
      'an absolute symlink',
      [{ header: { name: 'creds', type: 'symlink', linkname: '/root/.aws/credentials' } }],
      "'creds' is a symlink to '/root/.aws/credentials', outside the archive"
    ],
    [
      'a symlink that leaves once the top folder is stripped',
      [
        { header: { name: 'dist/appspec.yml' }, content: 'x' },
        { header: { name: 'dist/up', type: 'symlink', linkname: '../secret' } }
      ],
      "'dist/up' is a symlink to '../secret', outside the archive"
    ]
  ])('tgz with %s', async (_name, entries, message) => {
    const file = await craftTar('bad.tgz', entries)
    const err = await refusal(file, 'tgz')
    expect(err.message).toContain(`The archive '${file}' is refused: `)
    expect(err.message).toContain(message)
    expect(err.fix).toContain('Rebuild the archive')
  })

  it.each<[string, string, string]>([
    ['a .. entry', 'dotdot.zip', "its entry '../evil.sh' has a '..' segment"],
    ['an absolute entry', 'absolute.zip', "its entry '/tmp/evil.sh' is an absolute path"],
    ['a backslash .. entry', 'backslash.zip', "its entry '../evil.sh' has a '..' segment"],
    [
      'a symlink climbing out',
      'link-out.zip',
      "'link' is a symlink to '../../etc/passwd', outside the archive"
    ],
    ['a FIFO', 'fifo.zip', "'pipe' is a special file"]
  ])('zip with %s', async (_name, zip, message) => {
    const err = await refusal(craftedZip(zip), 'zip')
    expect(err.message).toContain(message)
  })

  it.each<[string, BundleType, () => Promise<string> | string, RegExp]>([
    [
      'random bytes as tgz',
      'tgz',
      () => write('r.tgz', noise(5000)),
      /cannot be read as a tgz file \(incorrect header check\)/
    ],
    ['a zip named .tgz', 'tgz', () => craftedZip('z.tgz'), /cannot be read as a tgz file/],
    [
      'random bytes as tar',
      'tar',
      () => write('r.tar', noise(5000)),
      /cannot be read as a tar file \(Invalid tar header/
    ],
    [
      'random bytes as zip',
      'zip',
      () => write('r.zip', noise(5000)),
      /cannot be read as a zip file \(End of central directory record signature not found/
    ],
    [
      'a truncated tgz',
      'tgz',
      () => truncated('t.tgz'),
      /cannot be read as a tgz file \(unexpected end of file\)/
    ],
    [
      'a truncated tar',
      'tar',
      () => truncated('t.tar'),
      /cannot be read as a tar file \(Unexpected end of data\)/
    ],
    ['a truncated zip', 'zip', () => truncatedZip(), /cannot be read as a zip file/]
  ])('%s gives a clear message naming the file', async (_name, type, make, message) => {
    const file = await make()
    const err = await refusal(file, type)
    expect(err.message).toMatch(message)
    expect(err.message).toContain(`'${file}'`)
    expect(err.fix).toContain(`really a ${type}`)
  })

  it('refuses to read a file over 16 MiB', async () => {
    const file = await craftTar('huge.tar', [
      { header: { name: 'appspec.yml' }, content: 'x' },
      { header: { name: 'huge.sh' }, content: ' '.repeat(16 * 1024 * 1024 + 1) }
    ])
    const view = await open(file, 'tar')
    await expect(view.read('huge.sh')).rejects.toThrow(
      /'huge.sh' in '.*' is 16777217 bytes; only files up to 16777216 bytes are read/
    )
  })
})

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  return file
}

async function truncated(name: string): Promise<string> {
  const full = await craftTar(`full-${name}`, [
    { header: { name: 'appspec.yml' }, content: 'x' },
    { header: { name: 'app.jar' }, content: noise(200_000).toString('latin1') }
  ])
  const bytes = readFileSync(full)
  return write(name, bytes.subarray(0, Math.floor(bytes.length / 2)))
}

function truncatedZip(): string {
  const bytes = readFileSync(craftedZip('full.zip'))
  return write('t.zip', bytes.subarray(0, bytes.length - 30))
}
