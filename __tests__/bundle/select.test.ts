import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { selectBundleFiles, type SelectedBundle } from '../../src/bundle/select.js'
import { selectionView } from '../../src/bundle/selection-view.js'
import { ActionError, InputError } from '../../src/common/errors.js'
import { noise, writeTree, type Tree } from '../support/fixtures.js'
import { TUTORIAL_INPUTS, TUTORIAL_JAR, tutorialTree } from '../support/tutorial.js'
import { makeDir } from './workspace-fixture.js'

let ws: string
let outside: string
const cleanups: (() => void)[] = []

beforeEach(() => {
  const a = makeDir('ws-')
  const b = makeDir('outside-')
  ws = a.dir
  outside = b.dir
  cleanups.push(a.cleanup, b.cleanup)
  writeFileSync(path.join(outside, 'credentials'), '[default]\naws_secret_access_key=SECRET\n')
})
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function select(source: string, files = '', extra: { outputPath?: string } = {}) {
  return selectBundleFiles({
    workspace: ws,
    sourceDir: path.join(ws, source),
    rules: parseFileRules(files),
    ...extra
  })
}

async function failure(p: Promise<unknown>): Promise<ActionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ActionError)
  return err as ActionError
}

function shape(b: SelectedBundle) {
  return b.entries.map((e) => [e.path, e.type, e.mode.toString(8), e.size, e.linkTarget ?? ''])
}

describe('selectBundleFiles: the tutorial project', () => {
  const files = TUTORIAL_INPUTS.files

  it('takes the codedeploy folder as the root and the boot jar renamed, nothing else', async () => {
    writeTree(ws, tutorialTree())
    const b = await select('codedeploy', files)
    expect(shape(b)).toEqual([
      ['application.jar', 'file', '644', 150_000, ''],
      ['appspec.yml', 'file', '644', expect.any(Number), ''],
      ['deploy.sh', 'file', '755', expect.any(Number), ''],
      ['init.sh', 'file', '644', expect.any(Number), ''],
      ['nginx.conf', 'file', '644', 1100, ''],
      ['validate.sh', 'file', '755', expect.any(Number), '']
    ])
    expect(b.entries[0]?.source).toBe(path.join(ws, TUTORIAL_JAR))
    expect(b.entries[1]?.source).toBe(path.join(ws, 'codedeploy/appspec.yml'))
    expect(b.directories).toEqual([])
  })

  it('without the exclusion, lists both jars and suggests the -plain exclusion', async () => {
    writeTree(ws, tutorialTree())
    const err = await failure(select('codedeploy', 'build/libs/*.jar => application.jar'))
    expect(err).toBeInstanceOf(InputError)
    expect(err.describe()).toBe(
      "Input 'files': line 1: 'build/libs/*.jar => application.jar' renames one file, but the pattern matched 2: " +
        'build/libs/demo-0.0.1-SNAPSHOT-plain.jar, build/libs/demo-0.0.1-SNAPSHOT.jar. ' +
        "Narrow the pattern, or add an exclusion line such as '!build/libs/*-plain.jar'."
    )
  })

  it('says which line matched nothing, and where it looked', async () => {
    writeTree(ws, tutorialTree())
    const err = await failure(select('codedeploy', '# artifacts\nbuild/libs/*.war => app.war'))
    expect(err.describe()).toBe(
      `Input 'files': line 2: 'build/libs/*.war' matched no file in ${ws}. ` +
        'Check the path, or that the build step that makes it ran before this one.'
    )
  })

  it('says when the only matches were excluded', async () => {
    writeTree(ws, tutorialTree())
    const err = await failure(select('codedeploy', 'build/libs/*-plain.jar\n!**/*.jar'))
    expect(err.message).toContain('matched no file in')
    expect(err.message).toContain("(1 match excluded by '!' lines)")
  })

  it('never bundles .git, even with the whole workspace as source', async () => {
    writeTree(ws, tutorialTree())
    const b = await select('.', '')
    const paths = b.entries.map((e) => e.path)
    expect(paths).toContain('codedeploy/appspec.yml')
    expect(paths).toContain('src/main/java/App.java')
    expect(paths.some((p) => p.split('/').includes('.git'))).toBe(false)
    await expect(select('codedeploy', '.git/config')).rejects.toThrow(/matched no file/)
  })

  it("applies '!' lines to the source folder too", async () => {
    writeTree(ws, tutorialTree())
    const b = await select('codedeploy', '!codedeploy/*.conf\n!codedeploy/validate.sh')
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml', 'deploy.sh', 'init.sh'])
  })
})

describe('selectBundleFiles: placing files', () => {
  it('keeps workspace paths, maps folders for TARGET/, and implies parent folders', async () => {
    writeTree(ws, {
      'deploy/appspec.yml': 'x',
      'static/a.png': 'a',
      'static/sub/b.png': 'b',
      'static/sub/c.txt': 'c',
      'config/app.env': 'e',
      'config/nested/more.env': 'm',
      'README.md': 'r'
    })
    const b = await select(
      'deploy',
      'static/**/*.png => public/img/\nconfig\nREADME.md => docs/\nREADME.md => docs/copy.md'
    )
    expect(b.entries.map((e) => `${e.type[0]} ${e.path}`)).toEqual([
      'f appspec.yml',
      'd config',
      'f config/app.env',
      'd config/nested',
      'f config/nested/more.env',
      'd docs',
      'f docs/README.md',
      'f docs/copy.md',
      'd public',
      'd public/img',
      'f public/img/a.png',
      'd public/img/sub',
      'f public/img/sub/b.png'
    ])
    expect(b.directories).toEqual([
      'config',
      'config/nested',
      'docs',
      'public',
      'public/img',
      'public/img/sub'
    ])
    expect(b.entries.find((e) => e.path === 'public')?.mode).toBe(0o755)
  })

  it("puts a folder's contents at the root with './'", async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'dist/index.html': 'i', 'dist/js/app.js': 'j' })
    const b = await select('deploy', 'dist/** => ./')
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml', 'index.html', 'js', 'js/app.js'])
  })

  it('refuses to rename a folder to a file name, suggesting the folder form', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'dist/index.html': 'i' })
    const err = await failure(select('deploy', 'dist => web'))
    expect(err.message).toContain("'dist => web' renames one file, but 'dist' is a folder")
    expect(err.fix).toContain("'dist => web/'")
  })

  it('accepts the same file reaching the same place twice', async () => {
    writeTree(ws, { 'appspec.yml': 'x', 'run.sh': 'y' })
    const b = await select('.', 'run.sh\n*.sh')
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml', 'run.sh'])
  })

  it('refuses two different files at one bundle path, naming both rules and files', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'a/app.jar': 'a', 'b/app.jar': 'b' })
    const err = await failure(select('deploy', 'a/app.jar => lib/\nb/*.jar => lib/'))
    expect(err.describe()).toBe(
      "Input 'files': files line 1 and files line 2 both put something at 'lib/app.jar' in the bundle: " +
        "'a/app.jar' and 'b/app.jar'. Exclude one of them with a '!' line, or give one a different target."
    )
  })

  it('refuses a rule that overwrites a file of the source folder', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'other/appspec.yml': 'y' })
    const err = await failure(select('deploy', 'other/appspec.yml => appspec.yml'))
    expect(err.message).toContain(
      "source 'deploy' and files line 1 both put something at 'appspec.yml' in the bundle: 'deploy/appspec.yml' and 'other/appspec.yml'"
    )
  })

  it('refuses a file where another rule needs a folder', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'a.txt': 'a', 'b.txt': 'b' })
    const err = await failure(select('deploy', 'a.txt => lib\nb.txt => lib/'))
    expect(err.message).toContain(
      "files line 1 puts a file at 'lib', but files line 2 needs a folder there for 'lib/b.txt'"
    )
  })

  it('normalises modes: group/other write and special bits dropped, private modes kept', async () => {
    writeTree(ws, {
      'appspec.yml': { mode: 0o664, content: 'x' },
      'run.sh': { mode: 0o775, content: 'y' },
      'secret.key': { mode: 0o600, content: 'k' },
      tool: { mode: 0o4755, content: 't' }
    })
    mkdirSync(path.join(ws, 'shared'))
    chmodSync(path.join(ws, 'shared'), 0o777)
    const b = await select('.')
    expect(shape(b).map(([p, t, m]) => `${p} ${t} ${m}`)).toEqual([
      'appspec.yml file 644',
      'run.sh file 755',
      'secret.key file 600',
      'shared directory 755',
      'tool file 755'
    ])
  })

  it('never picks up the archive being written, even inside the source folder', async () => {
    writeTree(ws, { 'appspec.yml': 'x', 'out/bundle.tgz': 'stale archive', 'out/keep.txt': 'k' })
    const b = await select('.', '', { outputPath: path.join(ws, 'out/bundle.tgz') })
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml', 'out', 'out/keep.txt'])
  })

  it('refuses an empty bundle', async () => {
    mkdirSync(path.join(ws, 'deploy/empty'), { recursive: true })
    const err = await failure(select('deploy'))
    expect(err).toBeInstanceOf(InputError)
    expect(err.message).toBe("Input 'source': the bundle would be empty: 'deploy' holds no file.")
  })
})

describe('selectBundleFiles: a cancel stops the walk', () => {
  it('gives the event loop turns while walking, and stops at the first after the signal', async () => {
    // 5,000 files: the walk gives the event loop a turn every 2,000 entries. A walk without
    // turns would finish before the abort below could run, and resolve.
    const tree: Tree = { 'codedeploy/appspec.yml': 'version: 0.0\nos: linux\n' }
    for (let i = 0; i < 5_000; i++) tree[`codedeploy/data/${i % 10}/f${i}.txt`] = ''
    writeTree(ws, tree)
    const controller = new AbortController()
    const selecting = selectBundleFiles({
      workspace: ws,
      sourceDir: path.join(ws, 'codedeploy'),
      rules: [],
      signal: controller.signal
    })
    setImmediate(() => controller.abort('SIGINT'))
    await expect(selecting).rejects.toThrow('Cancelled while bundling: nothing was uploaded.')
  })

  it('walks to the end without a signal', async () => {
    const tree: Tree = {}
    for (let i = 0; i < 5_000; i++) tree[`codedeploy/data/${i % 10}/f${i}.txt`] = ''
    writeTree(ws, tree)
    const selected = await select('codedeploy')
    expect(selected.entries.filter((e) => e.type === 'file')).toHaveLength(5_000)
  })
})

describe('selectBundleFiles: the source folder', () => {
  it.each<[string, Tree, string, RegExp]>([
    [
      'missing',
      {},
      'codedeploy',
      /^Input 'source': folder 'codedeploy' does not exist in the workspace/
    ],
    [
      'a file',
      { codedeploy: 'x' },
      'codedeploy',
      /^Input 'source': 'codedeploy' is a file, not a folder/
    ],
    ['outside the workspace', {}, '..', /^Input 'source': '\.\.' is outside the workspace/]
  ])('refuses one that is %s', async (_name, tree, source, message) => {
    writeTree(ws, tree)
    const err = await failure(select(source))
    expect(err).toBeInstanceOf(InputError)
    expect(err.message).toMatch(message)
  })

  it('refuses a source that is a link to a folder outside', async () => {
    writeTree(ws, { deploy: { link: outside } })
    const err = await failure(select('deploy'))
    expect(err.message).toBe("Input 'source': 'deploy' is outside the workspace.")
  })
})

describe('selectBundleFiles: hostile paths', () => {
  it('keeps a symlink inside the tree as a link', async () => {
    writeTree(ws, {
      'deploy/appspec.yml': 'x',
      'deploy/conf/nginx.conf': 'n',
      'deploy/current.conf': { link: 'conf/nginx.conf' },
      'deploy/conf-dir': { link: 'conf' }
    })
    const b = await select('deploy')
    expect(shape(b)).toEqual([
      ['appspec.yml', 'file', '644', 1, ''],
      ['conf', 'directory', '755', 0, ''],
      ['conf-dir', 'symlink', '777', 0, 'conf'],
      ['conf/nginx.conf', 'file', '644', 1, ''],
      ['current.conf', 'symlink', '777', 0, 'conf/nginx.conf']
    ])
  })

  it.each<[string, (o: string) => Tree, string]>([
    [
      'a file outside (a credentials file)',
      (o) => ({ 'deploy/creds': { link: path.join(o, 'credentials') } }),
      'deploy/creds'
    ],
    ['a folder outside', (o) => ({ 'deploy/home': { link: o } }), 'deploy/home'],
    [
      'a relative path climbing out',
      () => ({ 'deploy/up': { link: '../../../../../../etc/passwd' } }),
      'deploy/up'
    ],
    [
      'a dangling absolute path',
      () => ({ 'deploy/gone': { link: '/nonexistent/secret' } }),
      'deploy/gone'
    ],
    [
      'a chain that ends outside',
      (o) => ({ 'deploy/a': { link: 'b' }, 'deploy/b': { link: path.join(o, 'credentials') } }),
      'deploy/a'
    ]
  ])('refuses a symlink to %s, naming the link', async (_name, tree, link) => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', ...tree(outside) })
    const err = await failure(select('deploy'))
    expect(err.message).toContain(`The symlink '${link}' points to`)
    expect(err.message).toContain('outside the workspace')
    expect(err.fix).toContain(`'!${link}'`)
  })

  it('refuses a files rule whose folder is a link to outside', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', keys: { link: outside } })
    const err = await failure(select('deploy', 'keys/* => secrets/'))
    expect(err.message).toMatch(/^'keys' resolves to '.*', outside the workspace/)
    const literal = await failure(select('deploy', 'keys/credentials'))
    expect(literal.message).toMatch(/^'keys' resolves to/)
  })

  it('lets an exclusion remove an offending link', async () => {
    writeTree(ws, {
      'deploy/appspec.yml': 'x',
      'deploy/creds': { link: path.join(outside, 'credentials') }
    })
    const b = await select('deploy', '!deploy/creds')
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml'])
  })

  it('refuses a FIFO and a socket', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x' })
    execFileSync('mkfifo', [path.join(ws, 'deploy/pipe')])
    let err = await failure(select('deploy'))
    expect(err.message).toBe("'deploy/pipe' is a named pipe (FIFO), which a bundle cannot hold.")
    execFileSync('rm', [path.join(ws, 'deploy/pipe')])
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(path.join(ws, 'deploy/sock'), resolve))
    try {
      err = await failure(select('deploy'))
      expect(err.message).toBe("'deploy/sock' is a socket, which a bundle cannot hold.")
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('refuses a file name with a line break', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'deploy/bad\nname.sh': 'y' })
    const err = await failure(select('deploy'))
    expect(err.message).toBe(
      'The path "deploy/bad\\nname.sh" contains a line break, which the CodeDeploy agent and the log cannot handle.'
    )
  })

  it('refuses a file name that is not UTF-8, unless excluded', async () => {
    writeTree(ws, { 'deploy/appspec.yml': 'x', 'deploy/latin1/readme': 'r' })
    const bad = Buffer.concat([
      Buffer.from(path.join(ws, 'deploy/latin1/caf')),
      Buffer.from([0xe9])
    ])
    writeFileSync(bad, 'x')
    const err = await failure(select('deploy'))
    expect(err.message).toBe(
      'The path "deploy/latin1/caf\uFFFD" is not valid UTF-8, so no archive can name it portably.'
    )
    const b = await select('deploy', '!deploy/latin1')
    expect(b.entries.map((e) => e.path)).toEqual(['appspec.yml'])
  })

  it('ignores odd names it is not asked to bundle', async () => {
    writeTree(ws, {
      'deploy/appspec.yml': 'x',
      'node_modules/x\ny/index.js': 'z',
      'app.jar': noise(10)
    })
    const b = await select('deploy', '*.jar')
    expect(b.entries.map((e) => e.path)).toEqual(['app.jar', 'appspec.yml'])
  })
})

describe('selectionView', () => {
  it('shows the selection without disk paths and reads file contents', async () => {
    writeTree(ws, {
      'deploy/appspec.yml': 'version: 0.0\n',
      'deploy/link': { link: 'appspec.yml' }
    })
    const view = selectionView(await select('deploy'))
    expect(view.entries).toEqual([
      { path: 'appspec.yml', type: 'file', mode: 0o644, size: 13 },
      { path: 'link', type: 'symlink', mode: 0o777, size: 0, linkTarget: 'appspec.yml' }
    ])
    expect((await view.read('appspec.yml')).toString()).toBe('version: 0.0\n')
    await expect(view.read('link')).rejects.toThrow("'link' is not a file in the bundle.")
    await expect(view.read('missing.sh')).rejects.toThrow(
      "'missing.sh' is not a file in the bundle."
    )
  })
})
