// "shared" instances, for large fleets: one pid + network namespace for all of them, each with
// its files under a directory of its own on the host.
import { readFile, rm } from 'node:fs/promises'
import { availableParallelism, setPriority } from 'node:os'
import path from 'node:path'
import { NamespaceInit } from './namespace-init.ts'
import type { InstanceHost } from './instances.ts'
import { outputLeftOpen, type JobEnd, type RunOptions, type RunResult } from './process-runner.ts'

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
  // The runner still sees them close (runner.py), so its timeout is the agent's, as on a
  // namespace instance.
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
    return {
      exitCode: end.sig === null ? end.exit : 128 + end.sig,
      timedOut: false,
      ...outputLeftOpen(end)
    }
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
