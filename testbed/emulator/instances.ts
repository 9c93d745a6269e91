// Simulated EC2 hosts. A "namespace" instance is a pid + mount + network + UTS namespace whose
// root is an overlay of the host's / with a private in-memory upper layer: its absolute paths,
// processes, ports and hostname are its own. "shared" instances (for large fleets) share one
// pid + network namespace and get their files under a per-instance directory of the host.
// Everything dies with the namespace's init, which exits when the emulator's pipe to it closes.
import { spawn, type ChildProcess } from 'node:child_process'
import { lstat, readlink, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, setPriority } from 'node:os'
import path from 'node:path'
import type { Isolation } from './config.ts'

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
  spawnError?: string
}

// Runs inside the new namespaces; prints the init's pid as the host sees it, then becomes init.
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
  exec chroot "$layer/root" /bin/sh -c 'while read -r _; do :; done'
fi
mount -t proc proc /proc
echo "ready $hostpid"
exec bash -c "$4" runner "$layer"
`

// The shared namespace's init: runs the jobs the emulator names on stdin, each under timeout(1)
// (which signals the job's whole process group), output to files, and reports "done ID STATUS".
// Spawning from this small shell spares the emulator a fork per hook. A job file holds NUL-ended
// fields: the working folder, the number of environment entries, those entries, then argv; bash
// reads it (mapfile, a builtin) and env(1) clears the environment and changes folder, so a hook
// costs no shell of its own: a 1,000-instance fleet runs 1,000 of them at once.
const RUNNER = `
while read -r id seconds; do
  { mapfile -d '' -t job <"$1/$id.job"
    n=\${job[1]}
    timeout -s TERM "$seconds" env -i -C "\${job[0]}" "\${job[@]:2:n}" "\${job[@]:2+n}" \\
      >"$1/$id.out" 2>"$1/$id.err" </dev/null
    echo "done $id $?"; } &
done
`

class NamespaceInit {
  readonly child: ChildProcess
  pid = 0

  private constructor(child: ChildProcess) {
    this.child = child
  }

  private readonly waiting = new Map<string, (status: number) => void>()

  // `cpu`: the one CPU the namespace's processes run on (inherited by all they start).
  static async start(
    layerDir: string,
    hostname: string,
    overlay: boolean,
    cpu?: number
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
      RUNNER
    ]
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const init = new NamespaceInit(child)
    init.pid = await new Promise<number>((resolve, reject) => {
      let out = ''
      let err = ''
      const timer = setTimeout(
        () => reject(new Error(`namespace for ${hostname} not ready after 10 s: ${err}`)),
        10000
      )
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /ready (\d+)/.exec(out)
        if (m) {
          clearTimeout(timer)
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
    child.removeAllListeners('exit')
    child.stdout!.removeAllListeners('data')
    let pending = ''
    child.stdout!.on('data', (d: Buffer) => {
      pending += d.toString()
      let nl: number
      while ((nl = pending.indexOf('\n')) >= 0) {
        const m = /^done (\S+) (\d+)$/.exec(pending.slice(0, nl))
        pending = pending.slice(nl + 1)
        if (m) init.waiting.get(m[1]!)?.(Number(m[2]))
      }
    })
    child.stderr!.resume()
    return init
  }

  // Runs a job file through the runner; resolves with its exit status.
  runJob(id: string, seconds: number): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.set(id, (status) => {
        this.waiting.delete(id)
        resolve(status)
      })
      this.child.stdin!.write(`${id} ${seconds}\n`)
    })
  }

  stop(): void {
    this.child.stdin?.end()
    this.child.kill('SIGKILL')
  }
}

// SIGKILL to `pid` and all its descendants, found by walking /proc once (the host sees every
// namespace's processes). Services a hook started earlier have been reparented to the instance's
// init by now, so they are not descendants and keep running.
function killTree(pid: number): void {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    const list = children.get(ppid) ?? []
    list.push(Number(name))
    children.set(ppid, list)
  }
  const tree = [pid]
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []))
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

function runProcess(argv: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    let child: ChildProcess
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        cwd: '/',
        env: opts.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true
      })
    } catch (e) {
      resolve({ exitCode: null, timedOut: false, spawnError: (e as Error).message })
      return
    }
    let open = 2
    let exitCode: number | null | undefined
    let timedOut = false
    let done = false
    const finish = (): void => {
      if (done || open > 0 || exitCode === undefined) return
      done = true
      clearTimeout(timer)
      resolve({ exitCode, timedOut })
    }
    const timer = setTimeout(() => {
      timedOut = true
      try {
        process.kill(-child.pid!, 'SIGTERM')
      } catch {
        // the group is already gone
      }
      done = true
      resolve({ exitCode: exitCode ?? null, timedOut: true })
    }, opts.timeoutMs)
    for (const [stream, prefix] of [
      [child.stdout!, '[stdout]'],
      [child.stderr!, '[stderr]']
    ] as const) {
      let pending = ''
      stream.on('data', (d: Buffer) => {
        pending += d.toString('utf8')
        let nl: number
        while ((nl = pending.indexOf('\n')) >= 0) {
          opts.onLine(prefix + pending.slice(0, nl + 1))
          pending = pending.slice(nl + 1)
        }
      })
      stream.on('close', () => {
        if (pending) opts.onLine(prefix + pending)
        pending = ''
        open--
        finish()
      })
    }
    // Only while the child runs: once it has exited, its pid may belong to another process.
    opts.signal?.addEventListener(
      'abort',
      () => exitCode === undefined && child.pid && killTree(child.pid),
      { once: true }
    )
    child.on('error', (e) => {
      if (done) return
      done = true
      clearTimeout(timer)
      resolve({ exitCode: null, timedOut: false, spawnError: e.message })
    })
    child.on('exit', (code) => {
      exitCode = code
      finish()
    })
  })
}

export interface InstanceHost {
  readonly id: string
  readonly isolation: Isolation
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
async function resolveUnder(root: string, p: string): Promise<string> {
  const parts = p.split('/').filter((s) => s && s !== '.')
  let current = ''
  for (let hops = 0, i = 0; i < parts.length; i++) {
    const part = parts[i]!
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
      return root + [candidate, ...parts.slice(i + 1)].join('/')
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
  }
  return root + (current || '/')
}

export class NamespaceInstance implements InstanceHost {
  readonly id: string
  readonly isolation = 'namespace' as const
  private readonly init: NamespaceInit

  private constructor(id: string, init: NamespaceInit) {
    this.id = id
    this.init = init
  }

  static async start(id: string, stateDir: string): Promise<NamespaceInstance> {
    const init = await NamespaceInit.start(path.join(stateDir, 'instances', id), id, true)
    return new NamespaceInstance(id, init)
  }

  private get root(): string {
    return `/proc/${this.init.pid}/root`
  }

  hostPath(p: string): Promise<string> {
    return resolveUnder(this.root, p)
  }

  viewPath(p: string): string {
    return p
  }

  programPath(p: string): Promise<string> {
    return this.hostPath(p)
  }

  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    const wd = await this.hostPath(opts.cwd)
    return runProcess(
      [
        'nsenter',
        '-t',
        String(this.init.pid),
        '-m',
        '-n',
        '-p',
        '-u',
        '-r',
        `--wd=${wd}`,
        '--',
        ...argv
      ],
      opts
    )
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

  // Runs argv in the shared namespace. Output comes back from files, so a hook's stdout lines
  // come before its stderr lines (the namespace instances keep their true interleaving).
  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    await this.pid()
    const init = this.init!
    const id = String(++this.seq)
    const dir = path.join(this.stateDir, 'shared-ns')
    const env = Object.entries(opts.env).map(([k, v]) => `${k}=${v}`)
    const fields = [opts.cwd, String(env.length), ...env, ...argv]
    await writeFile(path.join(dir, `${id}.job`), fields.map((f) => `${f}\0`).join(''))
    const seconds = Math.max(1, Math.ceil(opts.timeoutMs / 1000))
    const t0 = Date.now()
    const status = await init.runJob(id, seconds)
    const timedOut = status === 124 && Date.now() - t0 >= seconds * 1000 - 100
    for (const [ext, prefix] of [
      ['out', '[stdout]'],
      ['err', '[stderr]']
    ] as const) {
      const text = await readFile(path.join(dir, `${id}.${ext}`), 'utf8').catch(() => '')
      for (const line of text.split(/(?<=\n)/)) if (line) opts.onLine(prefix + line)
    }
    await Promise.all(
      ['job', 'out', 'err'].map((e) => rm(path.join(dir, `${id}.${e}`), { force: true }))
    )
    return { exitCode: timedOut ? null : status, timedOut }
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
