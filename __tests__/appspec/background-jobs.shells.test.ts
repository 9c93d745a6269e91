// The ground truth of background-jobs-cases.ts: each script runs under bash, dash and bash as
// /bin/sh (Amazon Linux's), with stdout and stderr real pipes as the agent's popen3 gives
// (named pipes here: Node's own stdio pipes are sockets, which /dev/stdout cannot reopen). A
// case is open when a pipe stays open after the script ended. Every fix a warning proposes is
// run too, and must leave nothing open. All runs go at once, within a few seconds.

import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import path from 'node:path'
import { openBackgroundJobs, type Shell, type Stream } from '../../src/appspec/background-jobs.js'
import { suiteTempDir } from '../temp-dir.js'
import { JOB_CASES, type JobCase, type Verdict } from './background-jobs-cases.js'

const BASH = '/bin/bash'
const DASH = '/bin/dash'
/**
 * How long a state (which scripts ended, which pipes are held) must stay the same to count as
 * the outcome: a script still running, or a pipe still held, after the others settled. Long
 * enough for a job's dup2 on a busy machine; a loaded one only makes the wait longer.
 */
const SETTLE_MS = 600
/**
 * How long the stand-in program lives: beyond any run on a loaded machine (a job that outlived
 * it would read as closed); every run is killed at the end, this bounds what a crash leaves.
 */
const PROGRAM_S = 120
/** The whole batch's bound: past it the stand-ins may be gone, and the verdicts with them. */
const BATCH_MS = 90_000

const haveShells = [BASH, DASH].every((p) => existsSync(p)) && hasMkfifo()
const maybe = haveShells ? describe : describe.skip

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

interface Bed {
  root: string
  bin: string
  bashAsSh: string
}

function makeBed(): Bed {
  const root = suiteTempDir('bg-jobs-')
  const bin = path.join(root, 'bin')
  for (const dir of [bin, path.join(root, 'app'), path.join(root, 'logs')]) mkdirSync(dir)
  // Long-lived programs that write nothing and record their pid, to be killed after the run
  // even when setsid took them out of the script's process group.
  for (const name of ['java', 'python3', 'node']) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\necho $$ >> "$PIDS"\nexec sleep ${PROGRAM_S}\n`)
    chmodSync(path.join(bin, name), 0o755)
  }
  writeFileSync(path.join(bin, 'systemctl'), '#!/bin/sh\nexit 0\n')
  chmodSync(path.join(bin, 'systemctl'), 0o755)
  // bash started by the name sh runs in POSIX mode, as /bin/sh on Amazon Linux and RHEL.
  const bashAsSh = path.join(root, 'sh')
  symlinkSync(BASH, bashAsSh)
  return { root, bin, bashAsSh }
}

interface Run {
  shell: string
  script: string
}

/** What a run left: `open` with the streams still held, `closed`, or the script still `runs`. */
interface Result {
  verdict: Verdict
  open: Stream[]
}

const STREAMS = ['stdout', 'stderr'] as const

/**
 * Runs scripts at once, each under its shell with stdout and stderr on named pipes: once that
 * settles, which scripts ended; once that settles, which pipes a writer still holds (a
 * non-blocking read says EOF only when none does). One shell script starts them all (a spawn
 * from jest costs tens of milliseconds), in one process group of their own, killed after with
 * the stand-in programs, which record their pids because setsid takes some out of the group.
 */
async function runAll(bed: Bed, runs: readonly Run[]): Promise<Result[]> {
  const at = (i: number, name: string) => path.join(bed.root, `${i}.${name}`)
  const pids = path.join(bed.root, 'pids')
  writeFileSync(pids, '')
  runs.forEach((run, i) => writeFileSync(at(i, 'sh'), `${run.script}\n`))
  execFileSync(
    'mkfifo',
    runs.flatMap((_, i) => STREAMS.map((s) => at(i, s)))
  )
  const reads = runs.map((_, i) =>
    STREAMS.map((s) => openSync(at(i, s), constants.O_RDONLY | constants.O_NONBLOCK))
  )
  const starter = runs
    .map(
      (run, i) =>
        `'${run.shell}' ${i}.sh > ${i}.stdout 2> ${i}.stderr < /dev/null & echo $! > ${i}.pid`
    )
    .join('\n')
  const group = spawn('/bin/sh', ['-c', starter], {
    cwd: bed.root,
    stdio: 'ignore',
    detached: true,
    env: { PATH: `${bed.bin}:${process.env.PATH ?? ''}`, HOME: bed.root, PIDS: pids }
  })
  await new Promise((resolve) => group.on('exit', resolve))
  const shells = runs.map((_, i) => Number(readFileSync(at(i, 'pid'), 'utf8')))
  try {
    const ended = await settled(() => shells.map((pid) => !alive(pid)))
    const open = await settled(() =>
      reads.map((read) => STREAMS.filter((_, k) => hasWriter(read[k] ?? -1)))
    )
    return runs.map((_, i) => {
      const left = open[i] ?? []
      if (!ended[i]) return { verdict: 'runs', open: [] }
      return { verdict: left.length > 0 ? 'open' : 'closed', open: left }
    })
  } finally {
    kill(-(group.pid ?? 0))
    for (const pid of readFileSync(pids, 'utf8').split('\n').filter(Boolean)) kill(Number(pid))
    for (const fd of reads.flat()) closeSync(fd)
  }
}

/** Whether a pipe still has a writer: reading it without blocking gives EOF only when not. */
function hasWriter(fd: number): boolean {
  const buffer = Buffer.alloc(65536)
  for (;;) {
    try {
      if (readSync(fd, buffer) === 0) return false
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return true
      throw e
    }
  }
}

/** Whether a process runs (a zombie no one reaped has ended). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** Polls `state` until it has not changed for SETTLE_MS. */
async function settled<T>(state: () => T): Promise<T> {
  let last = JSON.stringify(state())
  let since = Date.now()
  for (;;) {
    await sleep(50)
    const now = state()
    const text = JSON.stringify(now)
    if (text !== last) {
      last = text
      since = Date.now()
    } else if (Date.now() - since >= SETTLE_MS) return now
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function kill(pid: number): void {
  try {
    if (pid !== 0) process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** The case's script with a warning's fix in place of the job, when the job is one line. */
function fixedScripts(c: JobCase, shell: Shell): string[] {
  return openBackgroundJobs(c.script, [shell]).flatMap((job) =>
    [job.fixIsLastLine ? undefined : job.fix, job.listFix]
      .filter((fix): fix is string => fix !== undefined && c.script.includes(job.text))
      .map((fix) => c.script.replace(job.text, fix))
  )
}

maybe('background jobs under the real shells', () => {
  const measured = new Map<JobCase, { bash?: Result; dash?: Result; bashAsSh?: Result }>()
  const fixes: (Run & { result?: Result })[] = []

  beforeAll(async () => {
    const bed = makeBed()
    const caseRuns = JOB_CASES.flatMap((c) => [
      { c, as: 'bash' as const, run: { shell: BASH, script: c.script } },
      ...(c.only ? [] : [{ c, as: 'dash' as const, run: { shell: DASH, script: c.script } }]),
      // Where bash and dash differ, which one /bin/sh is decides.
      ...(c.bash !== c.dash
        ? [{ c, as: 'bashAsSh' as const, run: { shell: bed.bashAsSh, script: c.script } }]
        : [])
    ])
    fixes.push(
      ...JOB_CASES.flatMap((c) =>
        (['bash', 'dash'] as const)
          .filter((shell) => shell === 'bash' || c.only === undefined)
          .flatMap((shell) =>
            fixedScripts(c, shell).map((script) => ({
              shell: shell === 'bash' ? BASH : DASH,
              script
            }))
          )
      )
    )
    const results = await runAll(bed, [...caseRuns.map((r) => r.run), ...fixes])
    caseRuns.forEach(({ c, as }, i) => {
      measured.set(c, { ...measured.get(c), [as]: results[i] })
    })
    fixes.forEach((f, i) => (f.result = results[caseRuns.length + i]))
  }, BATCH_MS)

  it.each(JOB_CASES.map((c) => [c.why, c] as const))('%s', (_why, c) => {
    const m = measured.get(c)
    const expected = (v: Verdict): Result => ({
      verdict: v,
      open: v === 'open' ? (c.streams ?? ['stdout', 'stderr']) : []
    })
    expect({ bash: m?.bash, dash: m?.dash }).toEqual({
      bash: expected(c.bash),
      dash: c.only ? undefined : expected(c.dash)
    })
  })

  it('bash as /bin/sh (Amazon Linux, RHEL) leaves open what bash does where dash differs', () => {
    const differ = JOB_CASES.filter((c) => c.bash !== c.dash)
    expect(differ.length).toBeGreaterThan(5)
    expect(differ.map((c) => [c.script, measured.get(c)?.bashAsSh])).toEqual(
      differ.map((c) => [c.script, measured.get(c)?.bash])
    )
  })

  it('every fix a warning proposes leaves nothing open', () => {
    expect(fixes.length).toBeGreaterThan(20)
    expect(fixes.filter((f) => f.result?.verdict !== 'closed')).toEqual([])
  })
})
