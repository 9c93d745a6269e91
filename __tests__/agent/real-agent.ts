// Runs a conformance case through the real CodeDeploy agent's local mode (codedeploy-local) and
// reads what it did: the lifecycle events it ran and the error that ended the deployment, as the
// test bed's probe (testbed/emulator/agent-probe.rb) reports them from inside the agent's process.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FixtureFile, FixtureTree } from '../appspec/bundle-fixture.js'
import { niced } from '../e2e/harness.js'
import type { AgentCase, AgentOutcome, ArchiveForm } from './cases.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const PROBE = path.join(REPO, 'testbed', 'emulator', 'agent-probe.rb')
const MARK = 'testbed-agent-event '

/** The ScriptError codes of hook_executor.rb, as CodeDeploy names them. */
const SCRIPT_ERROR_CODES: Record<number, string> = {
  1: 'ScriptMissing',
  2: 'ScriptNotExecutable',
  3: 'ScriptTimedOut',
  4: 'ScriptFailed',
  5: 'UnknownError',
  6: 'OutputsLeftOpen',
  7: 'FailedAfterRestart'
}

let runner: string | undefined | null = null

/** The local-mode runner, or undefined when the real agent is not at hand. */
export function agentRunner(): string | undefined {
  if (runner === null) {
    const out = spawnSync(path.join(REPO, 'scripts', 'agent-runner.sh'), { encoding: 'utf8' })
    runner = out.stdout.trim() || undefined
  }
  return runner
}

export const NO_AGENT_LINE =
  'real CodeDeploy agent not available (set CODEDEPLOY_LOCAL_RUNNER, or have ../shared/tools/codedeploy-agent beside the repository): skipping'

/** Writes `tree` under `dir`, with `{dest}` in every text replaced by `dest`. */
export function materialize(tree: FixtureTree, dir: string, dest: string): void {
  for (const [rel, spec] of Object.entries(tree)) {
    const file: FixtureFile =
      typeof spec === 'string' || Buffer.isBuffer(spec) ? { content: spec } : spec
    const target = path.join(dir, rel)
    mkdirSync(path.dirname(target), { recursive: true })
    if (file.dir) {
      mkdirSync(target, { recursive: true })
      if (file.mode !== undefined) chmodSync(target, file.mode)
    } else if (file.link !== undefined) {
      symlinkSync(file.link, target)
    } else {
      const content = file.content ?? ''
      writeFileSync(
        target,
        typeof content === 'string' ? content.replaceAll('{dest}', dest) : content
      )
      chmodSync(target, file.mode ?? 0o644)
    }
  }
}

/** The archive `tar`/`zip` make of `dir`'s top-level names (as written in the tree: `./dist` stays). */
export function archive(tree: FixtureTree, dir: string, form: ArchiveForm, out: string): void {
  const tops = [
    ...new Set(
      Object.keys(tree).map((p) => (p.startsWith('./') ? `./${p.split('/')[1]}` : p.split('/')[0]))
    )
  ]
    .filter((t): t is string => Boolean(t))
    .sort()
  if (form === 'zip') execFileSync('zip', ['-qry', out, ...tops], { cwd: dir })
  else execFileSync('tar', [form === 'tgz' ? '-czf' : '-cf', out, ...tops], { cwd: dir })
}

export interface AgentRun {
  outcome: AgentOutcome
  /** Every lifecycle event the agent started, in order. */
  events: string[]
  output: string
}

/** One line of the probe: an event starting, ending, or failing with the agent's exception. */
interface ProbeLine {
  event: string
  phase: 'start' | 'end' | 'error'
  message?: string
  errorCode?: number
}

/** Deploys `bundleFile` with the real agent; `root` is its deployment root, `group` its group. */
export function runAgent(opts: {
  runner: string
  bundleFile: string
  form: ArchiveForm
  root: string
  group: string
  dest: string
  cwd: string
  timeoutMs?: number
}): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    // Over a hundred agent runs (a second of Ruby each), none timed: they give way (harness.ts).
    const [command, ...niceArgs] = niced(5, [opts.runner])
    const child = spawn(
      command as string,
      [
        ...niceArgs,
        '-l',
        opts.bundleFile,
        '-t',
        opts.form,
        '-g',
        opts.group,
        '-a',
        'conformance',
        '-d',
        opts.group
      ],
      {
        cwd: opts.cwd,
        env: { ...process.env, RUBYOPT: `-r${PROBE}`, CODEDEPLOY_LOCAL_ROOT: opts.root },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      const lines = output
        .split('\n')
        .filter((l) => l.startsWith(MARK))
        .map((l) => JSON.parse(l.slice(MARK.length)) as ProbeLine)
      if (lines.length === 0) {
        reject(new Error(`the agent reported no lifecycle event:\n${output}`))
        return
      }
      const f = lines.find((l) => l.phase === 'error')
      const outcome: AgentOutcome = f
        ? {
            ok: false,
            event: f.event,
            message: normalize(firstLine(f.message ?? ''), opts.root, opts.dest),
            ...(f.errorCode ? { errorCode: SCRIPT_ERROR_CODES[f.errorCode] ?? 'UnknownError' } : {})
          }
        : { ok: true }
      const events = lines.filter((l) => l.phase === 'start').map((l) => l.event)
      resolve({ outcome, events, output })
    })
  })
}

/**
 * An agent message with what differs from run to run replaced: the unpacked revision folder,
 * the deployment's folder, the install folder, process ids.
 */
export function normalize(message: string, root: string, dest: string): string {
  const deployment = `${escape(root.replace(/\/+$/, ''))}/deployment-root/[^/\\s]+/d-[A-Z0-9]+-local`
  return message
    .replace(new RegExp(`${deployment}/deployment-archive`, 'g'), '<archive>')
    .replace(new RegExp(deployment, 'g'), '<deployment>')
    .replaceAll(dest, '<dest>')
    .replace(/pid \d+/g, 'pid <pid>')
}

/** Ruby 3.1+ appends the failing source line to a NoMethodError's message (error_highlight): not the agent's words. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? ''
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
}

/** Runs one case (and the deployment before it, if any) in its own folder under `work`. */
export async function runCase(c: AgentCase, work: string, agent: string): Promise<AgentRun> {
  const dir = mkdtempSync(path.join(work, `${c.id.replace(/\W+/g, '-')}-`))
  const dest = path.join(dir, 'dest')
  const root = path.join(dir, 'agent')
  const form = c.form ?? 'tgz'
  const deploy = async (tree: typeof c.tree, name: string, group: string): Promise<AgentRun> => {
    const src = path.join(dir, name)
    mkdirSync(src)
    materialize(tree, src, dest)
    const file = path.join(dir, `${name}.${form}`)
    archive(tree, src, form, file)
    return runAgent({ runner: agent, bundleFile: file, form, root, group, dest, cwd: dir })
  }
  if (c.otherGroupFirst) await deploy(c.otherGroupFirst, 'first', 'other-group')
  if (c.sameGroupFirst) await deploy(c.sameGroupFirst, 'first', 'group')
  return deploy(c.tree, 'bundle', 'group')
}

/** A scratch folder for agent runs, readable by every user (runas cases switch users). */
export function agentWorkDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-conformance-'))
  chmodSync(dir, 0o755)
  return dir
}

/**
 * Runs `run` on every case, `width` at a time, and keeps each result or error by case id: the
 * suites run every case once up front, then assert case by case.
 */
export async function runAll<T>(
  cases: readonly AgentCase[],
  width: number,
  run: (c: AgentCase, index: number) => Promise<T>
): Promise<Map<string, T | Error>> {
  const results = new Map<string, T | Error>()
  const queue = cases.map((c, i) => [c, i] as const)
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [c, i] = next
      results.set(c.id, await run(c, i).catch((e: unknown) => e as Error))
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
  return results
}
