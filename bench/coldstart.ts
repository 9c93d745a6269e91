// Cold start: from spawning the runner's Node to the action's first log line (a valid dry run on
// the small workspace) and to its ::error:: line on a bad input, against `node -e 0` with the same
// binary. Runs are interleaved so machine load hits all three alike.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DIST, runnerEnv, runnerNode } from './runner.ts'

export interface ColdStart {
  nodeMs: number[]
  firstLineMs: number[]
  errorLineMs: number[]
}

/** ms from spawn until `until(stdoutSoFar)` holds, or until exit when no predicate is given. */
function timeTo(
  node: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  until?: (out: string) => boolean
): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    let at: number | undefined
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (at === undefined && until?.(out)) {
        at = performance.now() - t0
        // What follows the first line (bundling) is not start-up: no need to wait for it.
        child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', () => {
      const ms = until ? at : performance.now() - t0
      if (ms === undefined)
        reject(new Error(`no matching output from ${args.join(' ')}: ${out.slice(0, 300)}`))
      else resolve(ms)
    })
  })
}

export async function measureColdStart(workspace: string, reps: number): Promise<ColdStart> {
  const node = runnerNode()
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'))
  const temp = path.join(dir, 'temp')
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    GITHUB_STATE: path.join(dir, 'state')
  }
  const base = { ...runnerEnv(workspace, temp, 1), ...files }
  const good = {
    ...base,
    INPUT_APPLICATION: 'bench-app',
    'INPUT_DEPLOYMENT-GROUP': 'bench',
    'INPUT_DRY-RUN': 'true',
    INPUT_SOURCE: 'codedeploy',
    INPUT_FILES: 'build/libs/*.jar => application.jar'
  }
  // A typo users make: a wait-timeout that is not a number of minutes.
  const bad = { ...good, 'INPUT_WAIT-TIMEOUT': '10m' }
  const result: ColdStart = { nodeMs: [], firstLineMs: [], errorLineMs: [] }
  try {
    for (let i = 0; i < reps; i++) {
      for (const f of Object.values(files)) writeFileSync(f, '')
      rmSync(temp, { recursive: true, force: true })
      result.nodeMs.push(await timeTo(node, ['-e', '0'], workspace, base))
      result.firstLineMs.push(await timeTo(node, [DIST], workspace, good, (o) => o.includes('\n')))
      result.errorLineMs.push(
        await timeTo(node, [DIST], workspace, bad, (o) => /^::error[^\n]*\n/m.test(o))
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return result
}
