// The bed's process runner (testbed/emulator/hosts/runner.py) through its JSON-lines protocol, as the
// emulator drives it: output lines, exit codes and signals, timeouts (the agent's: a job that
// exited but left its output open), a job's process tree, files.
// It needs only python3, not the bed.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO } from '../e2e/harness.js'

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
const SOURCE = path.join(REPO, 'testbed', 'emulator', 'hosts', 'runner.py')

interface Message {
  id: string
  s?: 1 | 2
  l?: string
  exit?: number | null
  sig?: number | null
  timedOut?: boolean
  open?: number[]
}

class Runner {
  readonly child: ChildProcessWithoutNullStreams
  readonly messages: Message[] = []
  private buffer = ''
  private waiters: (() => void)[] = []

  constructor() {
    this.child = spawn(PYTHON, ['-I', '-S', SOURCE])
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString('latin1')
      let nl: number
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.messages.push(JSON.parse(this.buffer.slice(0, nl)) as Message)
        this.buffer = this.buffer.slice(nl + 1)
      }
      for (const w of this.waiters.splice(0)) w()
    })
  }

  send(req: object): void {
    this.child.stdin.write(`${JSON.stringify(req)}\n`)
  }

  /** The job's messages once its end has come (bounded: 10 s). */
  async end(id: string): Promise<{ lines: Message[]; end: Message }> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const end = this.messages.find((m) => m.id === id && m.s === undefined)
      if (end) return { lines: this.messages.filter((m) => m.id === id && m.s), end }
      if (Date.now() > deadline)
        throw new Error(`job ${id} did not end: ${JSON.stringify(this.messages)}`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 100)
      })
    }
  }
}

const ENV = { PATH: '/usr/bin:/bin' }
let runner: Runner | undefined
let dir = ''
// Processes a test's job left running on purpose: killed after the test, whatever its outcome.
const leftBehind: number[] = []

afterEach(async () => {
  runner?.child.kill('SIGKILL')
  runner = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = ''
  for (const pid of leftBehind.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone already
    }
    await until(() => !pidAlive(pid), 5000)
  }
})

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}

/** Polls `done` every 20 ms for at most `ms`; whether it held. */
async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  return done()
}

/** The pid a job printed as "bg <pid>" (its background process), once printed (bounded: 5 s). */
async function backgroundPid(r: Runner, id: string): Promise<number> {
  const line = () => r.messages.find((m) => m.id === id && m.l?.startsWith('bg '))
  await until(() => line() !== undefined, 5000)
  const pid = Number(line()?.l?.slice(3))
  expect(pid).toBeGreaterThan(0)
  leftBehind.push(pid)
  return pid
}

describe('the bed process runner (runner.py)', () => {
  it('streams each line with its stream, the last one without its newline, and bytes as they are', async () => {
    runner = new Runner()
    const script =
      'printf "one\\n"; printf "two\\n" >&2; printf "caf\\303\\251 \\377\\n"; printf tail'
    runner.send({ id: 'a', argv: ['/bin/sh', '-c', script], cwd: '/', env: ENV })
    const { lines, end } = await runner.end('a')
    const text = lines.map((m) => [m.s, Buffer.from(m.l ?? '', 'latin1')] as const)
    expect(text.filter(([s]) => s === 1).map(([, b]) => b.toString('latin1'))).toEqual([
      'one\n',
      'caf\xc3\xa9 \xff\n',
      'tail'
    ])
    expect(text.filter(([s]) => s === 2).map(([, b]) => b.toString())).toEqual(['two\n'])
    expect(end).toMatchObject({ exit: 0, sig: null, timedOut: false, open: [] })
  })

  it('runs in the folder with exactly the environment given, and reports the exit code', async () => {
    runner = new Runner()
    dir = mkdtempSync(path.join(tmpdir(), 'runner-'))
    runner.send({
      id: 'b',
      argv: ['/bin/sh', '-c', 'pwd; env | sort; exit 3'],
      cwd: dir,
      env: { ...ENV, ONLY: 'this' }
    })
    const { lines, end } = await runner.end('b')
    const out = lines.map((m) => m.l).join('')
    expect(out.split('\n')[0]).toBe(dir)
    // sh adds PWD (and may add SHLVL, _): nothing of the runner's own environment.
    const names = out
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split('=')[0])
    expect(names).toEqual(expect.arrayContaining(['ONLY', 'PATH']))
    expect(names.filter((n) => !['ONLY', 'PATH', 'PWD', 'SHLVL', '_'].includes(n ?? ''))).toEqual(
      []
    )
    expect(end).toMatchObject({ exit: 3, sig: null })
  })

  it('a program that is not there: a line on stderr and 127, as nsenter and env say it', async () => {
    runner = new Runner()
    runner.send({ id: 'c', argv: ['/nonexistent/prog'], cwd: '/', env: ENV })
    const { lines, end } = await runner.end('c')
    expect(lines).toEqual([
      expect.objectContaining({
        s: 2,
        l: 'runner: failed to execute /nonexistent/prog: No such file or directory\n'
      })
    ])
    expect(end).toMatchObject({ exit: 127, sig: null })
  })

  it('a timeout sends TERM to the job and its group, and says so', async () => {
    runner = new Runner()
    runner.send({
      id: 'd',
      argv: ['/bin/sh', '-c', 'sleep 30 & wait'],
      cwd: '/',
      env: ENV,
      timeout: 0.3
    })
    const { end } = await runner.end('d')
    expect(end).toMatchObject({ exit: null, sig: 15, timedOut: true, open: [] })
  })

  it('after a timeout it reads no more: a process that survives the TERM does not hold the end', async () => {
    runner = new Runner()
    // The background sleep ignores TERM and keeps the job's output open; the shell dies of it.
    const script = `(trap '' TERM; exec sleep 30) & echo "bg $!"; wait`
    runner.send({ id: 'd2', argv: ['/bin/sh', '-c', script], cwd: '/', env: ENV, timeout: 1 })
    const survivor = await backgroundPid(runner, 'd2')
    const { end } = await runner.end('d2')
    expect(end).toMatchObject({ exit: null, sig: 15, timedOut: true, open: [] })
    expect(pidAlive(survivor)).toBe(true)
  })

  // The agent's hook_executor.rb: the script exited, but at its deadline a process it started
  // still holds its stdout and/or stderr: no signal, it stops reading, "failed to close STDOUT".
  it.each([
    ['both outputs', 'sleep 30 &', [1, 2]],
    ['stdout', 'sleep 30 2>/dev/null &', [1]],
    ['stderr', 'sleep 30 >/dev/null &', [2]],
    ['both, from the subshell of a backgrounded list', 'cd /tmp && sleep 30 </dev/null &', [1, 2]]
  ])(
    'a job that exited before its timeout but left %s open ends at the timeout, naming them; nothing is signalled',
    async (_what, background, open) => {
      runner = new Runner()
      // A line, then a partial one: of an output left open the agent's reader loses the latter.
      const script = `echo before; ${background} echo "bg $!"; printf partial`
      const started = Date.now()
      runner.send({ id: 'o', argv: ['/bin/sh', '-c', script], cwd: '/', env: ENV, timeout: 1 })
      const held = await backgroundPid(runner, 'o')
      const { lines, end } = await runner.end('o')
      expect(end).toEqual({ id: 'o', exit: 0, sig: null, timedOut: false, open })
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      // At its end (stdout closed) a partial line is read too.
      const partial = open.includes(1) ? [] : ['partial']
      expect(lines.map((m) => m.l)).toEqual(['before\n', `bg ${held}\n`, ...partial])
      // Not signalled: the background process runs on, as the agent leaves it.
      expect(pidAlive(held)).toBe(true)
    }
  )

  it('a job whose output closes before its timeout ends then, with nothing open', async () => {
    runner = new Runner()
    const script = 'nohup sleep 30 >/dev/null 2>&1 </dev/null & echo "bg $!"'
    const started = Date.now()
    runner.send({ id: 'r', argv: ['/bin/sh', '-c', script], cwd: '/', env: ENV, timeout: 20 })
    await backgroundPid(runner, 'r')
    const { end } = await runner.end('r')
    expect(end).toEqual({ id: 'r', exit: 0, sig: null, timedOut: false, open: [] })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('a signal reaches a process the job left in its group holding its output', async () => {
    runner = new Runner()
    // The job exits at once; its background sleep keeps stdout open, so the job has not ended.
    runner.send({ id: 'e', argv: ['/bin/sh', '-c', 'echo $$; sleep 30 &'], cwd: '/', env: ENV })
    // Signal only once the shell itself is gone (on a busy machine it can take longer than any
    // fixed pause): otherwise the TERM ends the shell, not the sleep it left behind.
    const deadline = Date.now() + 5000
    let shell = 0
    while ((!shell || pidAlive(shell)) && Date.now() < deadline) {
      const line = runner.messages.find((m) => m.id === 'e' && m.l !== undefined)
      shell = line ? Number(line.l!.trim()) : 0
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(shell).toBeGreaterThan(0)
    expect(pidAlive(shell)).toBe(false)
    expect(runner.messages.find((m) => m.id === 'e' && m.s === undefined)).toBeUndefined()
    runner.send({ signal: 'e', sig: 15 })
    const { end } = await runner.end('e')
    expect(end).toMatchObject({ exit: 0, sig: null, timedOut: false })
  })

  it('killtree ends the job and its descendants in other sessions', async () => {
    runner = new Runner()
    const script = 'setsid sleep 31 & echo "child $!"; exec sleep 32'
    runner.send({ id: 'f', argv: ['/bin/sh', '-c', script], cwd: '/', env: ENV })
    const deadline = Date.now() + 5000
    let child = 0
    while (!child && Date.now() < deadline) {
      const line = runner.messages.find((m) => m.id === 'f' && m.l?.startsWith('child '))
      child = line ? Number(line.l!.slice(6)) : 0
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(child).toBeGreaterThan(0)
    expect(pidAlive(child)).toBe(true)
    runner.send({ killtree: 'f' })
    const { end } = await runner.end('f')
    expect(end).toMatchObject({ exit: null, sig: 9 })
    // A killed process closes its files (the job's output ends) before it turns zombie, so on a
    // busy machine it can still look alive for a moment after the end message: wait, bounded.
    const gone = Date.now() + 5000
    while (pidAlive(child) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20))
    expect(pidAlive(child)).toBe(false)
  })

  it('writes output to files when asked, and ends the runner when its stdin closes', async () => {
    runner = new Runner()
    dir = mkdtempSync(path.join(tmpdir(), 'runner-'))
    const out = path.join(dir, 'j.out')
    const err = path.join(dir, 'j.err')
    runner.send({
      id: 'g',
      argv: ['/bin/sh', '-c', 'echo out; echo err >&2; exit 4'],
      cwd: '/',
      env: ENV,
      out,
      err,
      timeout: 10
    })
    const { lines, end } = await runner.end('g')
    expect(lines).toEqual([])
    expect(end).toMatchObject({ exit: 4, timedOut: false })
    expect(readFileSync(out, 'utf8')).toBe('out\n')
    expect(readFileSync(err, 'utf8')).toBe('err\n')
    const exited = new Promise<number | null>((resolve) => runner!.child.on('exit', resolve))
    runner.child.stdin.end()
    expect(await exited).toBe(0)
  })

  it('output to files ends when the last process holding it closes it, as a pipe does', async () => {
    runner = new Runner()
    dir = mkdtempSync(path.join(tmpdir(), 'runner-'))
    const out = path.join(dir, 'j.out')
    const err = path.join(dir, 'j.err')
    // The shell exits at once; the subshell writes its line later, then closes the file.
    const script = '(sleep 0.5; echo late) & echo early'
    runner.send({
      id: 'h',
      argv: ['/bin/sh', '-c', script],
      cwd: '/',
      env: ENV,
      out,
      err,
      timeout: 20
    })
    const { end } = await runner.end('h')
    expect(end).toMatchObject({ exit: 0, timedOut: false, open: [] })
    expect(readFileSync(out, 'utf8')).toBe('early\nlate\n')
  })

  it('output to files still held when the timeout runs out after the exit: named, nothing signalled', async () => {
    runner = new Runner()
    dir = mkdtempSync(path.join(tmpdir(), 'runner-'))
    const out = path.join(dir, 'j.out')
    const err = path.join(dir, 'j.err')
    const script = 'echo before; sleep 30 2>/dev/null & echo "bg $!"'
    runner.send({
      id: 'i',
      argv: ['/bin/sh', '-c', script],
      cwd: '/',
      env: ENV,
      out,
      err,
      timeout: 1
    })
    const { end } = await runner.end('i')
    const printed = readFileSync(out, 'utf8')
    const held = Number(/^bg (\d+)$/m.exec(printed)?.[1])
    expect(held).toBeGreaterThan(0)
    leftBehind.push(held)
    expect(end).toEqual({ id: 'i', exit: 0, sig: null, timedOut: false, open: [1] })
    expect(printed).toBe(`before\nbg ${held}\n`)
    expect(pidAlive(held)).toBe(true)
  })
})
