// Every conformance case through the built action as the runner starts it (dist/index.js under
// Node 24, dry-run): refused exactly where the agent fails on the bundle, quoting its words, with
// the advice cases.ts asks for. Where the real agent is installed, the archive the action built
// for an accepted case is deployed with it too: the action's own writer must give the same result.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { runAction, type ActionRun } from '../e2e/harness.js'
import { CASES, type AgentCase } from './cases.js'
import {
  agentRunner,
  agentWorkDir,
  archive,
  materialize,
  runAgent,
  runAll,
  type AgentRun
} from './real-agent.js'
import { expectedVerdict, judge } from './verdict.js'

interface Result {
  run: ActionRun
  /** The case's install folder, inside its own scratch folder. */
  dest: string
  agentOnBuilt?: AgentRun
}

/** The line that fails the step after the findings. */
const CLOSING_LINE = 'The CodeDeploy agent would fail on this bundle'

async function dryRun(c: AgentCase, work: string, agent: string | undefined): Promise<Result> {
  const ws = mkdtempSync(path.join(work, `${c.id.replace(/\W+/g, '-')}-`))
  const dest = path.join(ws, 'dest')
  const form = c.form ?? 'tgz'
  const inputs: Record<string, string> = {
    application: 'conformance',
    'deployment-group': 'fleet',
    'dry-run': 'true'
  }
  if (c.prebuilt) {
    const src = path.join(ws, 'src')
    mkdirSync(src)
    materialize(c.tree, src, dest)
    archive(c.tree, src, form, path.join(ws, `bundle.${form === 'tgz' ? 'tgz' : form}`))
    inputs.archive = `bundle.${form === 'tgz' ? 'tgz' : form}`
  } else {
    materialize(c.tree, path.join(ws, 'bundle'), dest)
    inputs.source = 'bundle'
    inputs['bundle-type'] = form
  }
  // A run per case, none timed: they give way to the runs that other suites time (harness.ts).
  const run = await runAction({
    workspace: ws,
    inputs,
    env: { AWS_REGION: 'us-east-1' },
    niceness: 5
  })
  const built = run.outputs['bundle-path']
  if (!agent || c.prebuilt || !c.agent.ok || !built) return { run, dest }
  const agentOnBuilt = await runAgent({
    runner: agent,
    bundleFile: built,
    form,
    root: path.join(ws, 'agent'),
    group: 'group',
    dest,
    cwd: ws
  })
  return { run, dest, agentOnBuilt }
}

/** The message of each `::error` / `::warning` line the run printed. */
function annotations(run: ActionRun, kind: 'error' | 'warning'): string[] {
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => l.slice(l.indexOf('::', 2) + 2))
}

describe('the built action (dry-run) conforms to the CodeDeploy agent', () => {
  let results = new Map<string, Result | Error>()
  let work = ''
  beforeAll(async () => {
    work = agentWorkDir()
    const agent = agentRunner()
    if (!agent)
      process.stderr.write(
        'real CodeDeploy agent not available: the archives the action builds are not also deployed with it\n'
      )
    results = await runAll(CASES, 3, (c) => dryRun(c, work, agent))
  }, 600_000)
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const result = results.get(id)
    if (result instanceof Error) throw result
    const { run, dest, agentOnBuilt } = result as Result
    const errors = annotations(run, 'error').filter((e) => !e.startsWith(CLOSING_LINE))
    const problems = judge(c, { errors, warnings: annotations(run, 'warning') }, dest)
    expect({ id, code: run.code, problems }).toEqual({
      id,
      code: expectedVerdict(c) === 'refuse' ? 1 : 0,
      problems: []
    })
    if (agentOnBuilt) expect(agentOnBuilt.outcome).toEqual({ ok: true })
  })
})
