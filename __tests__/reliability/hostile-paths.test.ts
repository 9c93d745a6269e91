// Paths that try to leave the workspace: `..` and absolute paths in every input that takes a path,
// symlinks to files and folders outside it (a credentials file above all), archives whose entries
// climb out or are absolute, and special files. Each is refused before any AWS call, and the
// secret never reaches a bundle or the log.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import type { ActionRun } from '../e2e/harness.js'
import { runAction } from '../e2e/harness.js'
import { appInputs, writeTree } from '../support/fixtures.js'
import {
  appWorkspace,
  expectCleanFailure,
  expectNoTrace,
  runRefused,
  type RefusedCase,
  type RefusedRuns
} from './rel.js'
import { suiteTempDir } from '../temp-dir.js'

const APP = 'rel-hostile'
const RUN_NUMBER = '7002'
const SECRET = 'aws_secret_access_key = HOSTILE0SECRET0MUST0NOT0LEAK'

// Outside every workspace: a credentials file, a folder holding one (and an appspec, so a
// followed link would make a bundle that validates), and a valid archive.
const outside = suiteTempDir('rel-outside-')
const CREDENTIALS = path.join(outside, 'credentials')
const OUTSIDE_DIR = path.join(outside, 'app')
const OUTSIDE_ARCHIVE = path.join(outside, 'bundle.tgz')
writeFileSync(CREDENTIALS, `[default]\n${SECRET}\n`)
writeTree(OUTSIDE_DIR, {
  'appspec.yml': 'version: 0.0\nos: linux\n',
  credentials: `${SECRET}\n`
})
execFileSync('tar', ['-czf', OUTSIDE_ARCHIVE, '-C', OUTSIDE_DIR, '.'])

/** Writes a crafted archive at ws/name with Python, whose tarfile/zipfile write any entry name. */
function crafted(ws: string, name: string, entries: [string, string][]): void {
  const script = `
import io, sys, tarfile, zipfile, json
out, entries = sys.argv[1], json.loads(sys.argv[2])
if out.endswith('.zip'):
    with zipfile.ZipFile(out, 'w') as z:
        for n, body in entries: z.writestr(n, body)
else:
    with tarfile.open(out, 'w:gz' if out.endswith('gz') else 'w') as t:
        for n, body in entries:
            if body.startswith('->'):
                i = tarfile.TarInfo(n); i.type = tarfile.SYMTYPE; i.linkname = body[2:]
                t.addfile(i)
            elif body.startswith('=>'):
                i = tarfile.TarInfo(n); i.type = tarfile.LNKTYPE; i.linkname = body[2:]
                t.addfile(i)
            else:
                b = body.encode(); i = tarfile.TarInfo(n); i.size = len(b); i.mode = 0o755
                t.addfile(i, io.BytesIO(b))
`
  execFileSync('python3', ['-c', script, path.join(ws, name), JSON.stringify(entries)])
}

const GOOD: [string, string][] = [
  [
    'appspec.yml',
    'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start.sh\n'
  ],
  ['start.sh', '#!/bin/bash\necho hi\n']
]

const link = (target: string, at: string) => (ws: string) => {
  mkdirSync(path.dirname(path.join(ws, at)), { recursive: true })
  symlinkSync(target, path.join(ws, at))
}

const cases: RefusedCase[] = [
  // `..` and absolute paths in source, files (patterns and targets) and archive
  {
    name: 'source ..',
    inputs: { source: '..' },
    message: /source.*'\.\.' is outside the workspace/
  },
  { name: 'source ../x', inputs: { source: '../x' }, message: /source.*outside the workspace/ },
  {
    name: 'source climbing through a folder',
    inputs: { source: 'deploy/../../x' },
    message: /source.*outside the workspace/
  },
  {
    name: 'source absolute',
    inputs: { source: OUTSIDE_DIR },
    message: /source.*outside the workspace/
  },
  { name: 'source /', inputs: { source: '/' }, message: /source.*outside the workspace/ },
  {
    name: 'files ../ pattern',
    inputs: { files: '../credentials' },
    message: /files.*leaves the workspace/
  },
  {
    name: 'files absolute pattern',
    inputs: { files: CREDENTIALS },
    message: /files.*absolute path/
  },
  {
    name: 'files ../ inside a glob',
    inputs: { files: 'deploy/../../**/credentials' },
    message: /files.*leaves the workspace/
  },
  {
    name: 'files exclusion with ..',
    inputs: { files: '!../x' },
    message: /files.*leaves the workspace/
  },
  {
    name: 'files target with ..',
    inputs: { files: 'deploy/app.txt => ../app.txt' },
    message: /files.*target '\.\.\/app\.txt' contains a '\.\.' segment/
  },
  {
    name: 'files absolute target',
    inputs: { files: 'deploy/app.txt => /etc/app.txt' },
    message: /files.*target '\/etc\/app\.txt' is an absolute path/
  },
  {
    name: 'archive ..',
    inputs: { source: '', archive: '../bundle.tgz' },
    message: /archive.*outside the workspace/
  },
  {
    name: 'archive absolute',
    inputs: { source: '', archive: OUTSIDE_ARCHIVE },
    message: /archive.*outside the workspace/
  },
  // symlinks to the outside
  {
    name: 'source is a link to a folder outside',
    inputs: { source: 'linked' },
    workspace: link(OUTSIDE_DIR, 'linked'),
    message: /linked/
  },
  {
    name: 'link in source to a credentials file outside',
    workspace: link(CREDENTIALS, 'deploy/credentials'),
    message: /deploy\/credentials/
  },
  {
    name: 'link in source to a folder outside',
    workspace: link(OUTSIDE_DIR, 'deploy/conf'),
    message: /deploy\/conf/
  },
  {
    name: 'relative link in source climbing out',
    workspace: (ws) => {
      writeFileSync(path.join(path.dirname(ws), `${path.basename(ws)}-creds`), SECRET)
      link(`../../${path.basename(ws)}-creds`, 'deploy/creds')(ws)
    },
    message: /deploy\/creds/
  },
  {
    name: 'files naming a link to a credentials file',
    inputs: { files: 'aws/credentials => credentials' },
    workspace: link(CREDENTIALS, 'aws/credentials'),
    message: /aws\/credentials/
  },
  {
    name: 'files glob through a linked folder',
    inputs: { files: 'ext/**' },
    workspace: link(OUTSIDE_DIR, 'ext'),
    message: /ext/
  },
  {
    name: 'archive is a link to an archive outside',
    inputs: { source: '', archive: 'bundle.tgz' },
    workspace: link(OUTSIDE_ARCHIVE, 'bundle.tgz'),
    message: /bundle\.tgz/
  },
  // crafted archives
  {
    name: 'tgz with a ../ entry',
    inputs: { source: '', archive: 'evil.tgz' },
    workspace: (ws) => crafted(ws, 'evil.tgz', [...GOOD, ['../evil.sh', 'x']]),
    message: /\.\./
  },
  {
    name: 'tgz with an absolute entry',
    inputs: { source: '', archive: 'abs.tgz' },
    workspace: (ws) => crafted(ws, 'abs.tgz', [...GOOD, ['/etc/cron.d/evil', 'x']]),
    message: /\/etc\/cron\.d\/evil|absolute/
  },
  {
    name: 'tar with an entry climbing through a folder',
    inputs: { source: '', archive: 'climb.tar' },
    workspace: (ws) => crafted(ws, 'climb.tar', [...GOOD, ['scripts/../../evil', 'x']]),
    message: /\.\./
  },
  {
    name: 'tgz with a symlink entry pointing outside',
    inputs: { source: '', archive: 'symlink.tgz' },
    workspace: (ws) => crafted(ws, 'symlink.tgz', [...GOOD, ['creds', '->/root/.aws/credentials']]),
    message: /creds/
  },
  {
    name: 'tgz with a hard link entry to ../',
    inputs: { source: '', archive: 'hardlink.tgz' },
    workspace: (ws) => crafted(ws, 'hardlink.tgz', [...GOOD, ['h', '=>../../etc/passwd']]),
    message: /\bh\b|link/
  },
  {
    name: 'zip with a ../ entry',
    inputs: { source: '', archive: 'evil.zip' },
    workspace: (ws) => crafted(ws, 'evil.zip', [...GOOD, ['../evil.sh', 'x']]),
    message: /\.\./
  },
  {
    name: 'zip with an absolute entry',
    inputs: { source: '', archive: 'abs.zip' },
    workspace: (ws) => crafted(ws, 'abs.zip', [...GOOD, ['/etc/evil', 'x']]),
    message: /\/etc\/evil|absolute/
  },
  {
    name: 'zip with a backslash entry climbing out',
    inputs: { source: '', archive: 'win.zip' },
    workspace: (ws) => crafted(ws, 'win.zip', [...GOOD, ['..\\evil.sh', 'x']]),
    message: /evil\.sh/
  },
  // special files
  {
    name: 'FIFO in source',
    workspace: (ws) => execFileSync('mkfifo', [path.join(ws, 'deploy/pipe')]),
    message: /deploy\/pipe/
  },
  {
    name: 'FIFO named by files',
    inputs: { files: 'pipe => pipe' },
    workspace: (ws) => execFileSync('mkfifo', [path.join(ws, 'pipe')]),
    message: /pipe/
  }
]

describe('hostile paths', () => {
  let done: RefusedRuns
  let socketRun: ActionRun

  beforeAll(async () => {
    const t0 = Date.now()
    done = await runRefused(APP, RUN_NUMBER, cases)
    // A Unix socket needs a listening process; it is run on its own.
    const ws = appWorkspace(APP)
    const server = createServer()
    await new Promise<void>((r) => server.listen(path.join(ws, 'deploy', 'agent.sock'), r))
    try {
      socketRun = await runAction({
        workspace: ws,
        inputs: { ...appInputs(APP), 'dry-run': 'true' },
        env: { GITHUB_RUN_NUMBER: RUN_NUMBER },
        timeoutMs: 30_000
      })
    } finally {
      server.close()
    }
    console.log(`hostile paths: ${cases.length + 1} runs in ${Date.now() - t0} ms`)
  }, 300_000)

  it.each(cases.map((c, i) => [c.name, i] as const))('%s: refused', (_name, i) => {
    const r = done.runs[i] as ActionRun
    expect(expectCleanFailure(r)).toMatch((cases[i] as RefusedCase).message)
    // Refused well before the harness's 120 s kill: a FIFO must not block the read.
    expect(r.durationMs).toBeLessThan(60_000)
  })

  it('refuses a Unix socket in source', () => {
    expect(expectCleanFailure(socketRun)).toMatch(/agent\.sock/)
  })

  it('never lets the secret into a bundle or the log', () => {
    for (const r of [...done.runs, socketRun]) {
      expect(r.stdout + r.stderr + r.summary).not.toContain('HOSTILE0SECRET')
      for (const f of readdirSync(r.tempDir, { recursive: true, withFileTypes: true })) {
        if (!f.isFile()) continue
        const file = path.join(f.parentPath, f.name)
        if (statSync(file).size > 0)
          expect(readFileSync(file).includes('HOSTILE0SECRET')).toBe(false)
      }
    }
  })

  it('made no AWS call and stored nothing', () => expectNoTrace(APP, RUN_NUMBER, done))
})

describe('odd but legal names', () => {
  it('keeps names with spaces and unicode, and links inside the workspace', async () => {
    const ws = appWorkspace(APP, {
      extra: {
        'deploy/with space.txt': 'a',
        'deploy/ünï-🚀.txt': 'b',
        'deploy/empty.txt': ''
      }
    })
    symlinkSync('app.txt', path.join(ws, 'deploy/alias.txt'))
    const r = await runAction({
      workspace: ws,
      inputs: { ...appInputs(APP), 'dry-run': 'true' },
      env: { GITHUB_RUN_NUMBER: RUN_NUMBER }
    })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    const listing = execFileSync('tar', ['-tzf', r.outputs['bundle-path'] as string], {
      encoding: 'utf8'
    })
    expect(listing.split('\n')).toEqual(
      expect.arrayContaining(['with space.txt', 'ünï-🚀.txt', 'empty.txt', 'alias.txt'])
    )
  })
})
