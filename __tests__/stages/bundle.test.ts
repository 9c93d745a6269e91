// The bundle stage against real workspaces on disk: select, validate, then (only then) write.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync
} from 'node:fs'
import path from 'node:path'
import { readArchive } from '../../src/bundle/archive-reader.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { ActionError, ValidationError } from '../../src/common/errors.js'
import { MemoryLogger } from '../../src/common/log.js'
import type { BundleSettings, BundleType } from '../../src/settings/settings.js'
import { prepareBundle } from '../../src/stages/bundle.js'
import { makeDir, sh } from '../bundle/workspace-fixture.js'
import { writeTree, type Tree } from '../support/fixtures.js'

const APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/app
hooks:
  BeforeInstall:
    - location: scripts/install.sh
  ValidateService:
    - location: scripts/validate.sh
      timeout: 60
`
const SCRIPT = '#!/bin/bash\necho ok\n'

/** The app: appspec.yml and two hooks (install.sh not executable on disk), plus other files. */
const APP: Tree = {
  'codedeploy/appspec.yml': APPSPEC,
  'codedeploy/scripts/install.sh': SCRIPT,
  'codedeploy/scripts/validate.sh': { mode: 0o755, content: SCRIPT },
  'codedeploy/web/index.html': '<h1>hi</h1>\n',
  'README.md': '# not bundled\n'
}

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function dirs() {
  const ws = makeDir('stage-ws-')
  const temp = makeDir('stage-temp-')
  cleanups.push(ws.cleanup, temp.cleanup)
  return { ws: ws.dir, temp: temp.dir }
}

function buildSettings(
  ws: string,
  temp: string,
  over: { source?: string; files?: string; type?: BundleType } = {}
): BundleSettings {
  return {
    workspace: ws,
    tempDir: temp,
    bundle: {
      kind: 'build',
      sourceDir: path.join(ws, over.source ?? 'codedeploy'),
      rules: parseFileRules(over.files ?? ''),
      type: over.type ?? 'tgz'
    }
  }
}

function archiveSettings(ws: string, temp: string, archive: string, type: BundleType = 'tgz') {
  return {
    workspace: ws,
    tempDir: temp,
    bundle: { kind: 'archive' as const, path: path.join(ws, archive), type }
  }
}

const bundleDirs = (temp: string) =>
  readdirSync(temp).filter((n) => n.startsWith('codedeploy-bundle-'))

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function rejection(p: Promise<unknown>): Promise<ActionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ActionError)
  return err as ActionError
}

describe('prepareBundle: building from the workspace', () => {
  it.each<BundleType>(['tgz', 'zip', 'tar'])(
    'writes a %s archive whose hash and size are those of the file on disk',
    async (type) => {
      const { ws, temp } = dirs()
      writeTree(ws, APP)
      const log = new MemoryLogger()
      const b = await prepareBundle(buildSettings(ws, temp, { type }), log)

      expect(b.origin).toBe('built')
      expect(b.type).toBe(type)
      expect(path.dirname(path.dirname(b.path))).toBe(temp)
      expect(path.basename(path.dirname(b.path))).toMatch(/^codedeploy-bundle-[0-9a-f]{8}$/)
      expect(path.basename(b.path)).toBe(`bundle.${type}`)
      expect(b.size).toBe(statSync(b.path).size)
      expect(b.sha256).toBe(sha256Of(b.path))
      expect(b.entries.map((e) => [e.path, e.type])).toEqual([
        ['appspec.yml', 'file'],
        ['scripts', 'directory'],
        ['scripts/install.sh', 'file'],
        ['scripts/validate.sh', 'file'],
        ['web', 'directory'],
        ['web/index.html', 'file']
      ])
      // What the archive holds is what the entries say.
      const view = await readArchive(b.path, type)
      try {
        expect(view.entries.map((e) => [e.path, e.type, e.mode.toString(8)])).toEqual(
          b.entries.map((e) => [e.path, e.type, e.mode.toString(8)])
        )
      } finally {
        await view.close()
      }
    }
  )

  it('makes hook scripts executable in the entries and the archive, and nothing else', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, APP)
    const b = await prepareBundle(buildSettings(ws, temp), new MemoryLogger())
    const mode = (p: string) => b.entries.find((e) => e.path === p)?.mode.toString(8)
    expect(mode('scripts/install.sh')).toBe('755') // 0644 on disk
    expect(mode('scripts/validate.sh')).toBe('755')
    expect(mode('appspec.yml')).toBe('644')
    expect(mode('web/index.html')).toBe('644')
    expect(b.appspec.hookScripts).toEqual(['scripts/install.sh', 'scripts/validate.sh'])
    expect(b.appspec.findings).toEqual([])
    // The workspace file keeps its mode: only the archive entry changes.
    expect(
      (statSync(path.join(ws, 'codedeploy/scripts/install.sh')).mode & 0o777).toString(8)
    ).toBe('644')
  })

  it('logs the listing in one group headed by the archive, its size and hash', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, APP)
    const log = new MemoryLogger()
    const b = await prepareBundle(buildSettings(ws, temp), log)

    const groups = log.lines.filter((l) => l.level === 'group')
    expect(groups.map((g) => g.message)).toEqual([
      `Bundle: ${b.path} (${b.size} bytes, sha256 ${b.sha256})`
    ])
    const start = log.lines.findIndex((l) => l.level === 'group')
    const end = log.lines.findIndex((l) => l.level === 'endgroup')
    const inside = log.lines.slice(start + 1, end).map((l) => l.message)
    expect(inside).toEqual([
      expect.stringMatching(/^-rw-r--r-- +\d+ {2}appspec\.yml$/),
      expect.stringMatching(/^drwxr-xr-x +0 {2}scripts\/$/),
      expect.stringMatching(/^-rwxr-xr-x +\d+ {2}scripts\/install\.sh$/),
      expect.stringMatching(/^-rwxr-xr-x +\d+ {2}scripts\/validate\.sh$/),
      expect.stringMatching(/^drwxr-xr-x +0 {2}web\/$/),
      expect.stringMatching(/^-rw-r--r-- +\d+ {2}web\/index\.html$/),
      expect.stringMatching(/^4 files, 2 folders; /)
    ])
    expect(log.lines.filter((l) => l.level === 'warning' || l.level === 'error')).toEqual([])
  })

  it('maps bundle paths back to the workspace files the user edits', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, { ...APP, 'build/app.jar': 'jar' })
    const b = await prepareBundle(
      buildSettings(ws, temp, { files: 'build/app.jar => lib/app.jar' }),
      new MemoryLogger()
    )
    expect(b.displayPath('scripts/validate.sh')).toBe('codedeploy/scripts/validate.sh')
    expect(b.displayPath('lib/app.jar')).toBe('build/app.jar')
    // A folder only implied by the selection has no file on disk: shown under the source folder.
    expect(b.displayPath('lib')).toBe('codedeploy/lib')
  })

  it('with the workspace as the source, shows bundle paths as they are', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, {
      'appspec.yml': APPSPEC,
      'scripts/install.sh': SCRIPT,
      'scripts/validate.sh': SCRIPT
    })
    const b = await prepareBundle(buildSettings(ws, temp, { source: '.' }), new MemoryLogger())
    expect(b.displayPath('scripts/validate.sh')).toBe('scripts/validate.sh')
    expect(b.displayPath('not-there')).toBe('not-there')
    // The archive, written outside the workspace, is not in the bundle.
    expect(b.entries.map((e) => e.path)).toEqual([
      'appspec.yml',
      'scripts',
      'scripts/install.sh',
      'scripts/validate.sh'
    ])
  })

  it('never bundles its own output when the temp folder is inside the source', async () => {
    const { ws } = dirs()
    writeTree(ws, {
      'appspec.yml': APPSPEC,
      'scripts/install.sh': SCRIPT,
      'scripts/validate.sh': SCRIPT
    })
    const temp = path.join(ws, '_temp')
    mkdirSync(temp)
    const b = await prepareBundle(buildSettings(ws, temp, { source: '.' }), new MemoryLogger())
    expect(b.entries.map((e) => e.path).filter((p) => p.includes('codedeploy-bundle'))).toEqual([])
    expect(existsSync(b.path)).toBe(true)
  })

  it('turns appspec warnings into log warnings annotated with the workspace file and line', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, { ...APP, 'codedeploy/scripts/validate.sh': 'echo no shebang\n' })
    const log = new MemoryLogger()
    const b = await prepareBundle(buildSettings(ws, temp), log)

    const warnings = log.lines.filter((l) => l.level === 'warning')
    expect(warnings).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^codedeploy\/scripts\/validate\.sh:1: scripts\/validate\.sh does not start with '#!'/
        ),
        props: { title: 'appspec warning', file: 'codedeploy/scripts/validate.sh', startLine: 1 }
      }
    ])
    // A warning does not stop the bundle.
    expect(existsSync(b.path)).toBe(true)
    expect(b.appspec.findings.map((f) => f.severity)).toEqual(['warning'])
  })

  it('fails with a ValidationError on an appspec error and writes no archive', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, {
      'codedeploy/appspec.yml': APPSPEC.replace('scripts/validate.sh', 'scripts/missing.sh'),
      'codedeploy/scripts/install.sh': SCRIPT
    })
    const log = new MemoryLogger()
    const err = await rejection(prepareBundle(buildSettings(ws, temp), log))

    expect(err).toBeInstanceOf(ValidationError)
    expect(err.message).toBe(
      'The CodeDeploy agent would fail on this bundle: 1 problem the agent fails on, 0 warnings of advice in codedeploy/appspec.yml (listed above). Nothing was uploaded.'
    )
    expect(err.fix).toBe('Fix them and run again.')
    const problems = (err as ValidationError).problems
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^codedeploy\/appspec\.yml:\d+(:\d+)?: .*scripts\/missing\.sh/)
    // Each error is logged with an annotation on the appspec line.
    const errors = log.lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.props).toMatchObject({
      title: 'appspec error',
      file: 'codedeploy/appspec.yml',
      startLine: expect.any(Number)
    })
    // Nothing written: no output folder, no listing.
    expect(bundleDirs(temp)).toEqual([])
    expect(log.lines.filter((l) => l.level === 'group')).toEqual([])
  })

  it('fails without an appspec, naming the bundle, and writes nothing', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, { 'codedeploy/scripts/validate.sh': SCRIPT })
    const err = await rejection(prepareBundle(buildSettings(ws, temp), new MemoryLogger()))
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.message).toMatch(/ in the bundle \(listed above\)\. Nothing was uploaded\.$/)
    expect(bundleDirs(temp)).toEqual([])
  })

  it('refuses a symlink in the source that points outside the workspace', async () => {
    const { ws, temp } = dirs()
    const outside = makeDir('stage-outside-')
    cleanups.push(outside.cleanup)
    writeTree(outside.dir, { credentials: '[default]\naws_secret_access_key=SECRET\n' })
    writeTree(ws, { ...APP, 'codedeploy/creds': { link: path.join(outside.dir, 'credentials') } })
    const err = await rejection(prepareBundle(buildSettings(ws, temp), new MemoryLogger()))
    expect(err.message).toBe(
      `The symlink 'codedeploy/creds' points to '${path.join(outside.dir, 'credentials')}', outside the workspace; it is not bundled.`
    )
    expect(bundleDirs(temp)).toEqual([])
  })

  it('stops before writing when the run was cancelled', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, APP)
    const controller = new AbortController()
    controller.abort('SIGINT')
    const log = new MemoryLogger()
    const err = await rejection(prepareBundle(buildSettings(ws, temp), log, controller.signal))
    expect(err.describe()).toBe('Cancelled while bundling: nothing was uploaded.')
    expect(bundleDirs(temp)).toEqual([])
    expect(log.lines.filter((l) => l.level === 'group')).toEqual([])
  })

  it('builds when the signal is there but not aborted', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, APP)
    const b = await prepareBundle(
      buildSettings(ws, temp),
      new MemoryLogger(),
      new AbortController().signal
    )
    expect(existsSync(b.path)).toBe(true)
  })

  it('gives each run its own output folder', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, APP)
    const a = await prepareBundle(buildSettings(ws, temp), new MemoryLogger())
    const b = await prepareBundle(buildSettings(ws, temp), new MemoryLogger())
    expect(a.path).not.toBe(b.path)
    expect(bundleDirs(temp)).toHaveLength(2)
    // Reproducible: the same files give the same bytes.
    expect(a.sha256).toBe(b.sha256)
  })
})

describe('prepareBundle: a pre-built archive', () => {
  /** A workspace with dist/ (appspec and hooks) archived by tar, as users do. */
  function prebuilt(args: (out: string) => string[], name = 'build/app.tgz') {
    const { ws, temp } = dirs()
    writeTree(ws, {
      'dist/appspec.yml': APPSPEC,
      'dist/scripts/install.sh': { mode: 0o755, content: SCRIPT },
      'dist/scripts/validate.sh': { mode: 0o755, content: SCRIPT }
    })
    mkdirSync(path.join(ws, path.dirname(name)), { recursive: true })
    const out = path.join(ws, name)
    sh('tar', args(out), ws)
    return { ws, temp, out }
  }

  it('uses the archive as it is: hash and size of the file, no archive written', async () => {
    const { ws, temp, out } = prebuilt((o) => ['-czf', o, '-C', 'dist', '.'])
    const log = new MemoryLogger()
    const b = await prepareBundle(archiveSettings(ws, temp, 'build/app.tgz'), log)

    expect(b).toMatchObject({ path: realpathSync(out), origin: 'archive', type: 'tgz' })
    expect(b.sha256).toBe(sha256Of(out))
    expect(b.size).toBe(statSync(out).size)
    expect(b.entries.map((e) => e.path)).toEqual([
      'appspec.yml',
      'scripts',
      'scripts/install.sh',
      'scripts/validate.sh'
    ])
    expect(b.appspec.hookScripts).toEqual(['scripts/install.sh', 'scripts/validate.sh'])
    expect(b.displayPath('scripts/validate.sh')).toBe('app.tgz:scripts/validate.sh')
    expect(bundleDirs(temp)).toEqual([])
    expect(log.text('group')).toBe(
      `Bundle: ${realpathSync(out)} (${b.size} bytes, sha256 ${b.sha256})`
    )
    expect(log.text()).not.toContain('Stripping')
  })

  it('says when the agent will strip a single leading folder, and shows paths inside it', async () => {
    const { ws, temp } = prebuilt((o) => ['-czf', o, 'dist'])
    const log = new MemoryLogger()
    const b = await prepareBundle(archiveSettings(ws, temp, 'build/app.tgz'), log)

    expect(log.lines.filter((l) => l.level === 'info')[0]!.message).toBe(
      'The archive holds a single folder \'dist/\' with the appspec: the agent strips it ("Stripping leading directory from archive bundle contents."), so its contents are the bundle root.'
    )
    expect(b.entries.map((e) => e.path)).toContain('scripts/validate.sh')
    expect(b.displayPath('scripts/validate.sh')).toBe('app.tgz:dist/scripts/validate.sh')
  })

  it('annotates findings with the archive member', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, {
      'dist/appspec.yml': APPSPEC,
      'dist/scripts/install.sh': { mode: 0o755, content: SCRIPT },
      'dist/scripts/validate.sh': SCRIPT // not executable in the archive: the agent chmods it
    })
    sh('tar', ['-cf', path.join(ws, 'app.tar'), '-C', 'dist', '.'], ws)
    const log = new MemoryLogger()
    await prepareBundle(archiveSettings(ws, temp, 'app.tar', 'tar'), log)
    const warnings = log.lines.filter((l) => l.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toMatch(
      /^app\.tar:scripts\/validate\.sh:1: scripts\/validate\.sh is not executable/
    )
    expect(warnings[0]!.props).toEqual({
      title: 'appspec warning',
      file: 'app.tar:scripts/validate.sh',
      startLine: 1
    })
  })

  it('fails with a ValidationError naming the appspec inside the archive', async () => {
    const { ws, temp } = dirs()
    writeTree(ws, {
      'dist/appspec.yml': APPSPEC,
      'dist/scripts/install.sh': { mode: 0o755, content: SCRIPT }
    })
    sh('tar', ['-czf', path.join(ws, 'app.tgz'), '-C', 'dist', '.'], ws)
    const err = await rejection(
      prepareBundle(archiveSettings(ws, temp, 'app.tgz'), new MemoryLogger())
    )
    expect(err).toBeInstanceOf(ValidationError)
    expect(err.message).toMatch(
      / in app\.tgz:appspec\.yml \(listed above\)\. Nothing was uploaded\.$/
    )
  })

  it.each<[string, (ws: string) => void]>([
    ['a missing file', () => undefined],
    ['a folder', (ws) => mkdirSync(path.join(ws, 'build/app.tgz'), { recursive: true })],
    [
      'a dangling symlink',
      (ws) => {
        mkdirSync(path.join(ws, 'build'))
        symlinkSync(path.join(ws, 'nowhere.tgz'), path.join(ws, 'build/app.tgz'))
      }
    ]
  ])('fails on %s, saying which step should have built it', async (_what, arrange) => {
    const { ws, temp } = dirs()
    arrange(ws)
    const err = await rejection(
      prepareBundle(archiveSettings(ws, temp, 'build/app.tgz'), new MemoryLogger())
    )
    expect(err.describe()).toBe(
      `Input 'archive': '${path.join(ws, 'build/app.tgz')}' does not exist or is not a file. Check the path, and that the step that builds the archive ran before this one.`
    )
  })

  it('refuses a symlink in the workspace that leads to an archive outside it', async () => {
    const { ws, temp } = dirs()
    const outside = makeDir('stage-outside-')
    cleanups.push(outside.cleanup)
    writeTree(outside.dir, { 'dist/appspec.yml': APPSPEC })
    const target = path.join(outside.dir, 'other.tgz')
    sh('tar', ['-czf', target, '-C', 'dist', '.'], outside.dir)
    mkdirSync(path.join(ws, 'build'))
    symlinkSync(target, path.join(ws, 'build/app.tgz'))

    const log = new MemoryLogger()
    const err = await rejection(prepareBundle(archiveSettings(ws, temp, 'build/app.tgz'), log))
    expect(err.describe()).toBe(
      `Input 'archive': 'build/app.tgz' resolves through a symlink to ${realpathSync(target)}, outside the workspace. Build or copy the archive into the workspace in an earlier step.`
    )
    // Refused before it was read: nothing listed.
    expect(log.lines).toEqual([])
  })

  it('follows a symlink that stays inside the workspace, and reports the real file', async () => {
    const { ws, temp, out } = prebuilt((o) => ['-czf', o, '-C', 'dist', '.'], 'real/app.tgz')
    symlinkSync('real/app.tgz', path.join(ws, 'latest.tgz'))
    const b = await prepareBundle(archiveSettings(ws, temp, 'latest.tgz'), new MemoryLogger())
    expect(b.path).toBe(realpathSync(out))
    expect(b.sha256).toBe(sha256Of(out))
    // Findings and listings name the input, as the user wrote it.
    expect(b.displayPath('appspec.yml')).toBe('latest.tgz:appspec.yml')
  })
})
