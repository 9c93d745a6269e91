// The bed's process runner (runner.py): one Python process that starts jobs, streams their output
// and reports their ends, on the host (the agent's tar, unzip and mv) or as a namespace's init,
// so the emulator never forks itself per command.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

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
  // Still running when its timeout ran out (its group was sent TERM).
  timedOut: boolean
  // Exited in time, but when the timeout ran out a process it left (a background child) still
  // held this output open: the first of the two, in the order the agent waits for them.
  outputLeftOpen?: 'STDOUT' | 'STDERR'
}

export const RUNNER = readFileSync(new URL('./runner.py', import.meta.url), 'utf8')
// Debian's python3 (the bed installs it); a python3 found on PATH may be a slow shim (pyenv).
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

/** The first output a job left open (runner.py's `open`), as the agent names it. */
export function outputLeftOpen(end: JobEnd): Pick<RunResult, 'outputLeftOpen'> {
  const first = end.open[0]
  return first ? { outputLeftOpen: first === 1 ? 'STDOUT' : 'STDERR' } : {}
}

/** A job for the runner (runner.py): output streamed as lines, or written to two files. */
interface Job {
  argv: string[]
  cwd: string
  env: Record<string, string>
  timeout?: number
  out?: string
  err?: string
}

export interface JobEnd {
  exit: number | null
  sig: number | null
  timedOut: boolean
  // The outputs (1 stdout, 2 stderr) still open when the timeout ran out after the exit.
  open: (1 | 2)[]
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
export class ProcessRunner {
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
export function onHost(): ProcessRunner {
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

// After the timeout the runner only ends a job whose process has exited: one that ignores the
// TERM is given up on this much later.
const TERM_GRACE_MS = 5000

// Runs argv through a runner with its output streamed as lines, bounded by the timeout as the
// agent bounds a hook (runner.py): a job still running then has its group sent TERM; one that
// exited but left its output open to a background process ends with the output named, and that
// process keeps running. Aborting kills the job and every descendant. Services a hook started
// earlier have been reparented to their namespace's init by then, so they are not descendants
// and keep running.
export function runStreamed(
  runner: ProcessRunner,
  argv: string[],
  opts: RunOptions
): Promise<RunResult> {
  return new Promise((resolve) => {
    let ended = false
    let done = false
    const id = runner.run(
      { argv, cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs / 1000 },
      {
        onLine: (stream, line) => opts.onLine((stream === 1 ? '[stdout]' : '[stderr]') + line),
        onEnd: (end) => {
          ended = true
          if (done) return
          done = true
          clearTimeout(backstop)
          resolve({
            exitCode: end.sig === null ? end.exit : null,
            timedOut: end.timedOut,
            ...outputLeftOpen(end)
          })
        }
      }
    )
    const backstop = setTimeout(() => {
      done = true
      resolve({ exitCode: null, timedOut: true })
    }, opts.timeoutMs + TERM_GRACE_MS)
    opts.signal?.addEventListener('abort', () => ended || runner.killTree(id), { once: true })
  })
}
