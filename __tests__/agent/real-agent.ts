// Runs a conformance case through the real CodeDeploy agent's local mode (codedeploy-local) and
// reads what it did: the lifecycle events it ran and the error that ended the deployment, as the
// test bed's probe (testbed/emulator/hosts/agents/agent-probe.rb) reports them from inside the agent's process.
import {
  execFileSync,
  spawn,
  spawnSync,
  type ChildProcessWithoutNullStreams
} from 'node:child_process'
import {
  chmodSync,
  existsSync,
  globSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { FixtureFile, FixtureTree } from '../appspec/bundle-fixture.js'
import { niced } from '../e2e/harness.js'
import type { AgentCase, AgentOutcome, ArchiveForm } from './cases.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const PROBE = path.join(REPO, 'testbed', 'emulator', 'hosts', 'agents', 'agent-probe.rb')
const SERVER = path.join(import.meta.dirname, 'agent-server.rb')
const TASKSET = '/usr/bin/taskset'
const MARK = 'testbed-agent-event '

/**
 * The ScriptError codes of hook_executor.rb, as CodeDeploy names them (LifecycleErrorCode); the
 * others (5 unknown, 6 outputs left open, 7 failed after a restart) are UnknownError, which the
 * records leave out (cases.ts).
 */
const SCRIPT_ERROR_CODES: Record<number, string> = {
  1: 'ScriptMissing',
  2: 'ScriptNotExecutable',
  3: 'ScriptTimedOut',
  4: 'ScriptFailed'
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

/**
 * Deploys `bundleFile` with the real agent; `root` is its deployment root, `group` its group.
 * The runs go through one preloaded agent process (agent-server.rb) when the runner is the
 * installer's; otherwise each run starts the runner.
 */
export async function runAgent(opts: {
  runner: string
  bundleFile: string
  form: ArchiveForm
  root: string
  group: string
  dest: string
  cwd: string
  timeoutMs?: number
}): Promise<AgentRun> {
  const args = [
    ...['-l', opts.bundleFile, '-t', opts.form],
    ...['-g', opts.group, '-a', 'conformance', '-d', opts.group]
  ]
  const timeoutMs = opts.timeoutMs ?? 60_000
  const server = agentServer(opts.runner)
  // Everything the run printed: the probe's lines among the agent's own.
  const output = server
    ? await server.run({ args, cwd: opts.cwd, root: opts.root, timeoutMs })
    : await spawnRunner(opts.runner, args, opts.cwd, opts.root, timeoutMs)
  const lines = output
    .split('\n')
    .filter((l) => l.startsWith(MARK))
    .map((l) => JSON.parse(l.slice(MARK.length)) as ProbeLine)
  if (lines.length === 0) throw new Error(`the agent reported no lifecycle event:\n${output}`)
  const f = lines.find((l) => l.phase === 'error')
  const outcome: AgentOutcome = f
    ? {
        ok: false,
        event: f.event,
        message: normalize(firstLine(f.message ?? ''), opts.root, opts.dest),
        ...(f.errorCode && SCRIPT_ERROR_CODES[f.errorCode]
          ? { errorCode: SCRIPT_ERROR_CODES[f.errorCode] }
          : {})
      }
    : { ok: true }
  const events = lines.filter((l) => l.phase === 'start').map((l) => l.event)
  return { outcome, events, output }
}

// Over a hundred agent runs, none timed: they give way to the runs other suites time (harness.ts).
const NICENESS = 5

/** One run of the runner script as a process of its own, the probe loaded with RUBYOPT. */
function spawnRunner(
  runner: string,
  args: string[],
  cwd: string,
  root: string,
  timeoutMs: number
): Promise<string> {
  return new Promise((resolve, reject) => {
    const [command, ...niceArgs] = niced(NICENESS, [runner])
    const child = spawn(command as string, [...niceArgs, ...args], {
      cwd,
      env: { ...process.env, RUBYOPT: `-r${PROBE}`, CODEDEPLOY_LOCAL_ROOT: root },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(output)
    })
  })
}

/**
 * One Ruby process that has loaded the agent and forks a run of its unchanged bin script per
 * request (agent-server.rb): the load is ~1.2 CPU-s of each codedeploy-local run here.
 */
class AgentServer {
  private readonly child: ChildProcessWithoutNullStreams
  private readonly waiting = new Map<number, { out: string; settle: (r: string | Error) => void }>()
  private readonly scratch = mkdtempSync(path.join(os.tmpdir(), 'agent-server-'))
  private nextId = 1
  private failure: Error | undefined

  constructor(home: string) {
    // What the runner script puts on Ruby's load path; the hooks inherit it there too.
    const lib = [
      'lib',
      'vendor/gems/process_manager-0.0.13/lib',
      'vendor/gems/simple_pid-0.2.1/lib',
      'vendor/gems/codedeploy-commands-1.0.0/lib',
      'docopt'
    ].map((p) => path.join(home, p))
    const env = { ...process.env }
    delete env.RUBYOPT
    if (env.RUBYLIB) lib.push(env.RUBYLIB)
    // All on one CPU, the agent and every process it forks: a fork's copy-on-write faults then
    // need no TLB shootdown on another CPU (an interrupt between vCPUs), which halved the kernel
    // time of each run on this 2-vCPU VM (~0.4 -> ~0.2 CPU-s).
    const cpu = os.availableParallelism() - 1
    const ruby = ['ruby', '-W0', SERVER, home, PROBE]
    const argv = cpu > 0 && existsSync(TASKSET) ? [TASKSET, '-c', String(cpu), ...ruby] : ruby
    this.child = spawn(argv[0] as string, argv.slice(1), {
      env: { ...env, RUBYLIB: lib.join(':') },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stderr = ''
    this.child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    this.child.on('error', (err) => this.fail(err))
    this.child.on('close', (code) =>
      this.fail(new Error(`agent-server.rb ended (${code}): ${stderr}`))
    )
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as { id: number }
      const run = this.waiting.get(answer.id)
      if (!run) return
      this.waiting.delete(answer.id)
      const output = readFileSync(run.out, 'utf8')
      rmSync(run.out, { force: true })
      run.settle(output)
    })
  }

  run(req: { args: string[]; cwd: string; root: string; timeoutMs: number }): Promise<string> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const out = path.join(this.scratch, `${id}.out`)
    return new Promise<string>((resolve, reject) => {
      this.waiting.set(id, { out, settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) })
      this.child.stdin.write(`${JSON.stringify({ id, out, nice: NICENESS, ...req })}\n`)
    })
  }

  private fail(err: Error): void {
    this.failure ??= err
    for (const run of this.waiting.values()) run.settle(err)
    this.waiting.clear()
  }

  /** Ends the server once the runs in flight have answered. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const closed = new Promise((resolve) => this.child.once('close', resolve))
      this.child.stdin.end()
      await closed
    }
    rmSync(this.scratch, { recursive: true, force: true })
  }
}

const servers = new Map<string, AgentServer | undefined>()

/** The preloaded agent for `runner`, when it is the installer's runner script (its `A=` line). */
function agentServer(runner: string): AgentServer | undefined {
  if (!servers.has(runner)) {
    const home = /^A='([^']+)'$/m.exec(readFileSync(runner, 'utf8'))?.[1]
    const usable = home && existsSync(path.join(home, 'bin', 'codedeploy-local'))
    servers.set(runner, usable ? new AgentServer(home) : undefined)
  }
  return servers.get(runner)
}

/** Stops the preloaded agents this process started (a suite's afterAll). */
export async function closeAgentServers(): Promise<void> {
  const all = [...servers.values()]
  servers.clear()
  await Promise.all(all.map((s) => s?.close()))
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

/** Writes the archive of the folder `src` in `form` (inside `dir`), returning its path. */
export type ArchiveWriter = (src: string, form: ArchiveForm, dir: string) => Promise<string>

/**
 * Runs one case (and the deployment before it, if any) in its own folder under `work`. The case's
 * bundle is archived by `tar`/`zip`, or by `write` when given.
 */
export async function runCase(
  c: AgentCase,
  work: string,
  agent: string,
  write?: ArchiveWriter
): Promise<AgentRun> {
  const dir = mkdtempSync(path.join(work, `${c.id.replace(/\W+/g, '-')}-`))
  const dest = path.join(dir, 'dest')
  const root = path.join(dir, 'agent')
  const form = c.form ?? 'tgz'
  const deploy = async (
    tree: typeof c.tree,
    name: string,
    group: string,
    writer?: ArchiveWriter
  ): Promise<AgentRun> => {
    const src = path.join(dir, name)
    mkdirSync(src)
    materialize(tree, src, dest)
    let file = path.join(dir, `${name}.${form}`)
    if (writer) file = await writer(src, form, dir)
    else archive(tree, src, form, file)
    return runAgent({ runner: agent, bundleFile: file, form, root, group, dest, cwd: dir })
  }
  if (c.otherGroupFirst) await deploy(c.otherGroupFirst, 'first', 'other-group')
  if (c.sameGroupFirst) await deploy(c.sameGroupFirst, 'first', 'group')
  return deploy(c.tree, 'bundle', 'group', write)
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

/** The ids of the deployments the agent's local mode ran under `work` (d-XXXXXXXXX-local). */
export function localDeploymentIds(work: string): Set<string> {
  const dirs = globSync('*/agent/deployment-root/*/d-*-local', { cwd: work })
  return new Set(dirs.map((d) => path.basename(d)))
}

function running(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/**
 * Kills what hooks left running (a case's background `sleep`): every process on this machine, in
 * the test bed's instances too, whose environment has DEPLOYMENT_ID (a hook and all it starts
 * inherit it) set to one of `deploymentIds`. Waits until they are gone (bounded: 5 s); returns
 * how many there were.
 */
export async function killLeftBehind(deploymentIds: ReadonlySet<string>): Promise<number> {
  const killed: number[] = []
  for (const name of readdirSync('/proc')) {
    const pid = Number(name)
    if (!Number.isInteger(pid) || pid === process.pid) continue
    let environ: string
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1')
    } catch {
      continue // gone, or not ours to read
    }
    const id = environ
      .split('\0')
      .find((e) => e.startsWith('DEPLOYMENT_ID='))
      ?.slice('DEPLOYMENT_ID='.length)
    if (id === undefined || !deploymentIds.has(id)) continue
    try {
      process.kill(pid, 'SIGKILL')
      killed.push(pid)
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + 5000
  while (killed.some(running) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20))
  const left = killed.filter(running)
  if (left.length > 0) throw new Error(`processes still running after SIGKILL: ${left.join(' ')}`)
  return killed.length
}
