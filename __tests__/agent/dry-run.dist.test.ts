// Every conformance case through the action's bundle stage on disk (the folder or archive the
// case makes, selected, validated, written or read back, in process), and through the built
// action as the runner starts it (dist/index.js under Node 24, dry-run): refused exactly where
// the agent fails on the bundle, quoting its words, with the advice cases.ts asks for.
//
// real-agent.dist.test.ts deploys the archive the bundle stage writes for every folder case the agent
// accepts, where the agent is installed. dist/ runs one case of each kind (form, folder or
// archive, verdict, advice): a dist run costs a Node start and the bundled action's load (~0.4
// CPU-s here), and what differs between cases of a kind is the bundle stage, which the in-process
// pass runs for every case. dist/ is that stage's code built (.ci/run checks it is exactly what
// the sources build).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { ActionError, ValidationError } from '../../src/common/errors.js'
import { MemoryLogger } from '../../src/common/log.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { prepareBundle } from '../../src/stages/bundle.js'
import { runAction, type ActionRun } from '../e2e/harness.js'
import { CASES, type AgentCase } from './cases.js'
import { agentWorkDir, archive, materialize, runAll } from './real-agent.js'
import { expectedVerdict, judge } from './verdict.js'

interface Result {
  run: ActionRun
  /** The case's install folder, inside its own scratch folder. */
  dest: string
}

/** The line that fails the step after the findings. */
const CLOSING_LINE = 'The CodeDeploy agent would fail on this bundle'

/** A case's workspace: the bundle folder, or the archive made from it, as the inputs name them. */
function workspaceOf(
  c: AgentCase,
  work: string
): { ws: string; dest: string; inputs: Record<string, string> } {
  const ws = mkdtempSync(path.join(work, `${c.id.replace(/\W+/g, '-')}-`))
  const dest = path.join(ws, 'dest')
  const form = c.form ?? 'tgz'
  const inputs: Record<string, string> = {}
  if (c.prebuilt) {
    const src = path.join(ws, 'src')
    mkdirSync(src)
    materialize(c.tree, src, dest)
    archive(c.tree, src, form, path.join(ws, `bundle.${form}`))
    inputs.archive = `bundle.${form}`
  } else {
    materialize(c.tree, path.join(ws, 'bundle'), dest)
    inputs.source = 'bundle'
    inputs['bundle-type'] = form
  }
  return { ws, dest, inputs }
}

interface Staged {
  problems: string[]
  refused: boolean
}

/** The case through the bundle stage in process: its error and warning annotations. */
async function staged(c: AgentCase, work: string): Promise<Staged> {
  const { ws, dest, inputs } = workspaceOf(c, work)
  const form = c.form ?? 'tgz'
  const log = new MemoryLogger()
  const tempDir = path.join(ws, 'temp')
  mkdirSync(tempDir)
  const bundle = inputs.archive
    ? { kind: 'archive' as const, path: path.join(ws, inputs.archive), type: form }
    : {
        kind: 'build' as const,
        sourceDir: path.join(ws, 'bundle'),
        rules: parseFileRules(''),
        type: form
      }
  const of = (level: 'error' | 'warning') =>
    log.lines.filter((l) => l.level === level).map((l) => l.message)
  const errors: string[] = []
  // Findings are logged; any other refusal is the error the step fails with (main.ts prints it).
  const facts = await prepareBundle({ workspace: ws, tempDir, bundle }, log).catch(
    (err: unknown) => {
      if (!(err instanceof ValidationError))
        errors.push(err instanceof ActionError ? err.describe() : String(err))
      return undefined
    }
  )
  errors.unshift(...of('error'))
  return { problems: judge(c, { errors, warnings: of('warning') }, dest), refused: !facts }
}

/** One case of each kind, in the order of cases.ts: what dist/ runs. */
function onePerKind(cases: readonly AgentCase[]): AgentCase[] {
  const seen = new Set<string>()
  return cases.filter((c) => {
    const kind = [c.form ?? 'tgz', !!c.prebuilt, expectedVerdict(c), !!c.warns].join(' ')
    if (seen.has(kind)) return false
    seen.add(kind)
    return true
  })
}

async function dryRun(c: AgentCase, work: string): Promise<Result> {
  const { ws, dest, inputs: bundleInputs } = workspaceOf(c, work)
  const inputs: Record<string, string> = {
    application: 'conformance',
    'deployment-group': 'fleet',
    'dry-run': 'true',
    ...bundleInputs
  }
  // A run per case, none timed: they give way to the runs that other suites time (harness.ts).
  const run = await runAction({
    workspace: ws,
    inputs,
    env: { AWS_REGION: 'us-east-1' },
    niceness: 5
  })
  return { run, dest }
}

/** The message of each `::error` / `::warning` line the run printed. */
function annotations(run: ActionRun, kind: 'error' | 'warning'): string[] {
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => l.slice(l.indexOf('::', 2) + 2))
}

const THROUGH_DIST = onePerKind(CASES)

describe('the bundle stage, on disk, conforms to the CodeDeploy agent', () => {
  let results = new Map<string, Staged | Error>()
  let work = ''
  beforeAll(async () => {
    work = agentWorkDir()
    results = await runAll(CASES, 3, (c) => staged(c, work))
  }, 600_000)
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const result = results.get(id)
    if (result instanceof Error) throw result
    const { problems, refused } = result as Staged
    expect({ id, refused, problems }).toEqual({
      id,
      refused: expectedVerdict(c) === 'refuse',
      problems: []
    })
  })
})

describe('the built action (dry-run) conforms to the CodeDeploy agent', () => {
  let results = new Map<string, Result | Error>()
  let work = ''
  beforeAll(async () => {
    work = agentWorkDir()
    results = await runAll(THROUGH_DIST, 3, (c) => dryRun(c, work))
  }, 600_000)
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test.each(THROUGH_DIST.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const result = results.get(id)
    if (result instanceof Error) throw result
    const { run, dest } = result as Result
    const errors = annotations(run, 'error').filter((e) => !e.startsWith(CLOSING_LINE))
    const problems = judge(c, { errors, warnings: annotations(run, 'warning') }, dest)
    expect({ id, code: run.code, problems }).toEqual({
      id,
      code: expectedVerdict(c) === 'refuse' ? 1 : 0,
      problems: []
    })
  })
})
