// Simulated EC2 hosts. A "namespace" instance is a pid + mount + network + UTS namespace whose
// root is an overlay of the host's / with a private in-memory upper layer: its absolute paths,
// processes, ports and hostname are its own. "shared" instances (for large fleets) share one
// pid + network namespace and get their files under a per-instance directory of the host.
// Everything dies with the namespace's init, which exits when the emulator's pipe to it closes.
import { spawn, type ChildProcess } from 'node:child_process'
import { lstat, readlink, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { availableParallelism, setPriority } from 'node:os'
import path from 'node:path'
import type { Isolation } from '../world/fleet-config.ts'
import type { BedNetwork, InstanceLink } from './network.ts'

const TASKSET = '/usr/bin/taskset'

export interface RunOptions {
  cwd: string
  env: Record<string, string>
  timeoutMs: number
  onLine: (line: string) => void
  // Aborting kills the process and every descendant (namespace instances only: the real agent,
  // whose hooks run in process groups of their own, is not allowed on shared instances).
  signal?: AbortSignal
}

export interface RunResult {
  exitCode: number | null
  timedOut: boolean
}

// Runs inside the new namespaces; prints the init's pid as the host sees it, then becomes init:
// for a namespace instance a loop that only waits (its processes enter it with nsenter), for the
// shared namespace the process runner (runner.py), which starts every hook of its thousand
// instances without an nsenter each.
const NAMESPACE_INIT = `
set -e
read -r hostpid _ </proc/self/stat
layer=$1 hostname=$2 overlay=$3
hostname "$hostname"
ip link set lo up
if [ "$overlay" = 1 ]; then
  mount -t tmpfs -o mode=0755 testbed-instance "$layer"
  mkdir -p "$layer/upper" "$layer/work" "$layer/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$layer/root"
  mount --rbind /dev "$layer/root/dev"
  mount -t proc proc "$layer/root/proc"
  mount -t sysfs sysfs "$layer/root/sys" 2>/dev/null || true
  echo "ready $hostpid"
  # The host answers with the instance's address once its veth end is in this namespace (see
  # network.ts), or "none".
  read -r net cidr
  if [ "$net" = net ]; then
    echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6 2>/dev/null || true
    ip -batch - <<NET || { echo net-failed; exit 1; }
addr add $cidr dev eth0
link set eth0 up
NET
  fi
  echo net-ok
  exec chroot "$layer/root" /bin/sh -c 'while read -r _; do :; done'
fi
mount -t proc proc /proc
echo "ready $hostpid"
exec "$4" -I -S -c "$5"
`

const RUNNER = readFileSync(new URL('./runner.py', import.meta.url), 'utf8')
// Debian's python3 (the bed installs it); a python3 found on PATH may be a slow shim (pyenv).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

/** A job for the runner (runner.py): output streamed as lines, or written to two files. */
interface Job {
  argv: string[]
  cwd: string
  env: Record<string, string>
  timeout?: number
  out?: string
  err?: string
}

interface JobEnd {
  exit: number | null
  sig: number | null
  timedOut: boolean
}

interface JobHandlers {
  onLine: (stream: 1 | 2, line: string) => void
  onEnd: (end: JobEnd) => void
}

/**
 * A runner.py process: starts jobs, streams their output, reports their ends. A spawn of the
 * emulator's own forks its ~130 MB process (~10 ms of CPU on this VM); the runner's vfork costs
 * it ~0.3 ms (Popen of /bin/true, 200 times).
 */
class ProcessRunner {
  private readonly jobs = new Map<string, JobHandlers>()
  private seq = 0
  private buffer = ''
  private readonly stdin: NodeJS.WritableStream

  /** `pending`: what the process printed before the protocol began. */
  constructor(child: ChildProcess, pending = '') {
    this.stdin = child.stdin!
    this.buffer = pending
    this.take()
    child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1')
      this.take()
    })
  }

  // The runner's messages are JSON lines, ASCII only (a line of output is its bytes as latin-1).
  private take(): void {
    let nl: number
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const m = JSON.parse(this.buffer.slice(0, nl)) as {
        id: string
        s?: 1 | 2
        l?: string
      } & JobEnd
      this.buffer = this.buffer.slice(nl + 1)
      const job = this.jobs.get(m.id)
      if (!job) continue
      if (m.s) job.onLine(m.s, Buffer.from(m.l ?? '', 'latin1').toString('utf8'))
      else {
        this.jobs.delete(m.id)
        job.onEnd(m)
      }
    }
  }

  /** Starts a job; returns its id, for signal() and killTree(). */
  run(job: Job, handlers: JobHandlers): string {
    const id = String(++this.seq)
    this.jobs.set(id, handlers)
    this.stdin.write(`${JSON.stringify({ id, ...job })}\n`)
    return id
  }

  /** Signals the job's process group (it runs in a session of its own). */
  signal(id: string, sig: number): void {
    this.stdin.write(`${JSON.stringify({ signal: id, sig })}\n`)
  }

  /** SIGKILL to the job's process and all its descendants (they may be in other groups). */
  killTree(id: string): void {
    this.stdin.write(`${JSON.stringify({ killtree: id })}\n`)
  }
}

let hostRunner: ProcessRunner | undefined

/** The runner on the host, started with the first job; it ends when the emulator does. */
function onHost(): ProcessRunner {
  if (!hostRunner) {
    const child = spawn(PYTHON, ['-I', '-S', '-c', RUNNER], { stdio: ['pipe', 'pipe', 'inherit'] })
    child.on('exit', (code, sig) => {
      process.stderr.write(`the bed's process runner ended (${code ?? sig}): stopping\n`)
      process.exit(1)
    })
    hostRunner = new ProcessRunner(child)
  }
  return hostRunner
}

/** argv on the host, its stdout and stderr together (the agent's tar, unzip and mv). */
export function runOnHost(
  argv: string[],
  cwd: string
): Promise<{ code: number | null; output: string }> {
  let output = ''
  return new Promise((resolve) =>
    onHost().run(
      { argv, cwd, env: process.env as Record<string, string> },
      {
        onLine: (_stream, line) => (output += line),
        onEnd: (end) => resolve({ code: end.sig === null ? end.exit : null, output })
      }
    )
  )
}

class NamespaceInit {
  readonly child: ChildProcess
  pid = 0
  // The shared namespace's init is a runner; a namespace instance's only waits.
  runner?: ProcessRunner
  // How the init ended when it ended by itself (not by stop()): the bed broke, not the instance.
  ended?: string
  private stopping = false

  private constructor(child: ChildProcess) {
    this.child = child
  }

  // `cpu`: the one CPU the namespace's processes run on (inherited by all they start).
  static async start(
    layerDir: string,
    hostname: string,
    overlay: boolean,
    cpu?: number,
    network?: { net: BedNetwork; link: InstanceLink }
  ): Promise<NamespaceInit> {
    await mkdir(layerDir, { recursive: true })
    const pinned = cpu !== undefined && existsSync(TASKSET) ? [TASKSET, '-c', String(cpu)] : []
    const [command, ...args] = [
      ...pinned,
      'unshare',
      '--mount',
      '--net',
      '--pid',
      '--uts',
      '--fork',
      '--kill-child',
      '--propagation',
      'private',
      '/bin/sh',
      '-c',
      NAMESPACE_INIT,
      'init',
      layerDir,
      hostname,
      overlay ? '1' : '0',
      PYTHON,
      RUNNER
    ]
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const init = new NamespaceInit(child)
    let out = ''
    init.pid = await new Promise<number>((resolve, reject) => {
      let err = ''
      const timer = setTimeout(
        () => reject(new Error(`namespace for ${hostname} not ready after 10 s: ${err}`)),
        10000
      )
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString('latin1')
        const m = /ready (\d+)\n/.exec(out)
        if (m) {
          clearTimeout(timer)
          out = out.slice(m.index + m[0].length)
          resolve(Number(m[1]))
        }
      })
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', (e) => reject(e))
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(
          new Error(
            `could not create the namespaces for ${hostname} (unshare exited ${code}): ${err.trim()}. The bed needs root (CAP_SYS_ADMIN); set TESTBED_ISOLATION=shared to run without private file systems`
          )
        )
      })
    })
    if (overlay) {
      // The instance's end of its veth pair, then its address (the init script sets it).
      let answer = 'none\n'
      if (network) {
        const file = `${layerDir}.ip`
        await writeFile(file, network.net.hostCommands(network.link, init.pid))
        const r = await runOnHost(['ip', '-batch', file], '/')
        await rm(file, { force: true })
        if (r.code !== 0) {
          child.kill('SIGKILL')
          throw new Error(`could not link ${hostname} to the bed's network: ${r.output.trim()}`)
        }
        answer = `net ${network.link.cidr}\n`
      }
      child.stdin!.write(answer)
      await new Promise<void>((resolve, reject) => {
        const look = (): void => {
          if (/net-ok\n/.test(out)) resolve()
          else if (/net-failed\n/.test(out))
            reject(new Error(`could not set ${hostname}'s address on its eth0`))
        }
        look()
        child.stdout!.on('data', look)
        child.once('exit', () =>
          reject(new Error(`${hostname}'s init ended while joining the network`))
        )
      })
    }
    child.removeAllListeners('exit')
    child.stdout!.removeAllListeners('data')
    if (!overlay) init.runner = new ProcessRunner(child, out)
    else child.stdout!.resume()
    // Its last words, for the one line that says it ended (e.g. `chroot: not found` when the
    // sbin folders are not on PATH): without it, work on the instance would wait on a dead pid.
    let tail = ''
    child.stderr!.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-400)))
    child.once('exit', (code, sig) => {
      if (init.stopping) return
      const how = sig ?? `code ${code}`
      const words = tail.trim() ? `: ${tail.trim()}` : ''
      init.ended = `its namespace's init exited (${how})${words}`
      console.error(`testbed emulator: instance ${hostname}: ${init.ended}`)
    })
    return init
  }

  /** Throws, naming the instance and how its init ended, once the namespace is gone. */
  assertRunning(id: string): void {
    if (this.ended)
      throw new Error(
        `test bed: instance ${id} is gone, ${this.ended}. The bed broke, not the deployment: see the emulator log in $TESTBED_STATE_DIR`
      )
  }

  stop(): void {
    this.stopping = true
    this.child.stdin?.end()
    this.child.kill('SIGKILL')
  }
}

// Runs argv through a runner with its output streamed as lines. A timeout sends
// SIGTERM to the job's group and returns at once; aborting kills the job and every descendant.
// Services a hook started earlier have been reparented to their namespace's init by then, so
// they are not descendants and keep running.
function runStreamed(runner: ProcessRunner, argv: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    let ended = false
    let done = false
    const id = runner.run(
      { argv, cwd: opts.cwd, env: opts.env },
      {
        onLine: (stream, line) => opts.onLine((stream === 1 ? '[stdout]' : '[stderr]') + line),
        onEnd: (end) => {
          ended = true
          if (done) return
          done = true
          clearTimeout(timer)
          resolve({ exitCode: end.sig === null ? end.exit : null, timedOut: false })
        }
      }
    )
    const timer = setTimeout(() => {
      runner.signal(id, 15)
      done = true
      resolve({ exitCode: null, timedOut: true })
    }, opts.timeoutMs)
    opts.signal?.addEventListener('abort', () => ended || runner.killTree(id), { once: true })
  })
}

export interface InstanceHost {
  readonly id: string
  readonly isolation: Isolation
  // Its address on the bed's network (namespace instances), which load balancers reach.
  readonly address?: string
  // The host path that reaches `p` as this instance sees it (symlinks resolved in its view).
  hostPath(p: string): Promise<string>
  // The path this instance's processes use for the agent's own directories.
  viewPath(p: string): string
  // Where the file an absolute program path names (a "#!" interpreter) is, seen from the host.
  programPath(p: string): Promise<string>
  run(argv: string[], opts: RunOptions): Promise<RunResult>
  // For tools that enter the instance (testbed/exec): pid and nsenter flags.
  enterInfo(): { pid: number; flags: string[]; root: string }
  stop(): void
}

// Resolves `p` component by component under `root`, restarting at `root` on absolute symlinks,
// so the path stays inside the instance's view even though the host walks it.
// A component after a file, `..` included, is left for the host to refuse (ENOTDIR), and a
// trailing '/' is kept, as the kernel walks a path.
async function resolveUnder(root: string, p: string): Promise<string> {
  const parts = p.split('/').filter((s) => s)
  const slash = p.endsWith('/') ? '/' : ''
  let current = ''
  let directory = true
  for (let hops = 0, i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (!directory) return root + [current, ...parts.slice(i)].join('/') + slash
    if (part === '.') continue
    if (part === '..') {
      current = path.posix.dirname(current || '/')
      if (current === '/') current = ''
      continue
    }
    const candidate = `${current}/${part}`
    let st
    try {
      st = await lstat(root + candidate)
    } catch {
      return root + [candidate, ...parts.slice(i + 1)].join('/') + slash
    }
    if (st.isSymbolicLink() && hops++ < 40) {
      const target = await readlink(root + candidate)
      const rest = parts.slice(i + 1)
      const next = target.startsWith('/') ? target : `${current}/${target}`
      parts.splice(0, parts.length, ...next.split('/').filter((s) => s && s !== '.'), ...rest)
      current = ''
      i = -1
      continue
    }
    current = candidate
    directory = st.isDirectory()
  }
  return root + (current ? current + slash : '/')
}

export class NamespaceInstance implements InstanceHost {
  readonly id: string
  readonly isolation = 'namespace' as const
  // Its address on the bed's network (network.ts), when it has one.
  readonly address?: string
  private readonly init: NamespaceInit

  private constructor(id: string, init: NamespaceInit, address?: string) {
    this.id = id
    this.init = init
    this.address = address
  }

  static async start(id: string, stateDir: string, net?: BedNetwork): Promise<NamespaceInstance> {
    const link = net?.allocate()
    const init = await NamespaceInit.start(
      path.join(stateDir, 'instances', id),
      id,
      true,
      undefined,
      net && link ? { net, link } : undefined
    )
    return new NamespaceInstance(id, init, link?.address)
  }

  private get root(): string {
    return `/proc/${this.init.pid}/root`
  }

  async hostPath(p: string): Promise<string> {
    this.init.assertRunning(this.id)
    return resolveUnder(this.root, p)
  }

  viewPath(p: string): string {
    return p
  }

  programPath(p: string): Promise<string> {
    return this.hostPath(p)
  }

  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    const wd = await this.hostPath(opts.cwd) // throws once the namespace is gone
    const enter = ['nsenter', '-t', String(this.init.pid), '-m', '-n', '-p', '-u', '-r']
    return runStreamed(onHost(), [...enter, `--wd=${wd}`, '--', ...argv], { ...opts, cwd: '/' })
  }

  enterInfo(): { pid: number; flags: string[]; root: string } {
    return { pid: this.init.pid, flags: ['-m', '-n', '-p', '-u', '-r', '-w'], root: '/' }
  }

  stop(): void {
    this.init.stop()
  }
}

const SHARED_NICENESS = 5

// One namespace (pid + network + UTS + a private /proc) shared by all "shared" instances.
export class SharedNamespace {
  private init?: NamespaceInit
  private starting?: Promise<NamespaceInit>
  readonly stateDir: string

  constructor(stateDir: string) {
    this.stateDir = stateDir
  }

  async pid(): Promise<number> {
    if (!this.starting) {
      // Its hooks on one CPU: a fleet of hundreds runs thousands of short processes, and a
      // process that has run on two CPUs pays an interrupt between vCPUs for each of its
      // copy-on-write faults and unmaps (a third of the CPU of a 1,000-instance fleet here).
      this.starting = NamespaceInit.start(
        path.join(this.stateDir, 'shared-ns'),
        'testbed-shared',
        false,
        availableParallelism() > 1 ? 0 : undefined
      )
      this.init = await this.starting
      // Shared instances are for fleets of hundreds: their hooks (a few processes each, forked
      // by this namespace's runner) run at nice 5, so such a fleet yields the cores to the
      // namespace instances and to whatever shares the machine (other suites' timed runs).
      try {
        setPriority(this.init.pid, SHARED_NICENESS)
      } catch {
        // not allowed: the default priority
      }
    }
    return (await this.starting).pid
  }

  stop(): void {
    this.init?.stop()
  }

  private seq = 0

  // Runs argv in the shared namespace. Output goes to files, read when the job ends, so a hook's
  // stdout lines come before its stderr lines (the namespace instances keep their true
  // interleaving): a fleet of a thousand would otherwise keep two thousand pipes open at once.
  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    await this.pid()
    const runner = this.init!.runner!
    const base = path.join(this.stateDir, 'shared-ns', String(++this.seq))
    const files = { out: `${base}.out`, err: `${base}.err` }
    const end = await new Promise<JobEnd>((resolve) =>
      runner.run(
        {
          argv,
          cwd: opts.cwd,
          env: opts.env,
          timeout: Math.max(1, Math.ceil(opts.timeoutMs / 1000)),
          ...files
        },
        { onLine: () => {}, onEnd: resolve }
      )
    )
    for (const [file, prefix] of [
      [files.out, '[stdout]'],
      [files.err, '[stderr]']
    ] as const) {
      const text = await readFile(file, 'utf8').catch(() => '')
      for (const line of text.split(/(?<=\n)/)) if (line) opts.onLine(prefix + line)
    }
    await Promise.all(Object.values(files).map((f) => rm(f, { force: true })))
    if (end.timedOut) return { exitCode: null, timedOut: true }
    // As bash reported it from timeout(1): 128 + the signal for a job a signal ended.
    return { exitCode: end.sig === null ? end.exit : 128 + end.sig, timedOut: false }
  }
}

export class SharedInstance implements InstanceHost {
  readonly id: string
  readonly isolation = 'shared' as const
  private readonly rootDir: string
  private readonly ns: SharedNamespace
  private pid = 0

  constructor(id: string, ns: SharedNamespace) {
    this.id = id
    this.ns = ns
    this.rootDir = path.join(ns.stateDir, 'instances', id, 'root')
  }

  // The instance's directory holds only what deployments put there: a plain join suffices.
  async hostPath(p: string): Promise<string> {
    return this.rootDir + path.posix.normalize(`/${p}`)
  }

  viewPath(p: string): string {
    return this.rootDir + p
  }

  async programPath(p: string): Promise<string> {
    return p
  }

  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    this.pid ||= await this.ns.pid()
    return this.ns.run(argv, opts)
  }

  enterInfo(): { pid: number; flags: string[]; root: string } {
    return { pid: this.pid, flags: ['-m', '-n', '-p', '-u'], root: this.rootDir }
  }

  stop(): void {
    // the shared namespace is stopped once, by the fleet
  }
}
