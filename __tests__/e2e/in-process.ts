// The action's main step run inside the test process: src/main.ts's run() with the environment
// the runner gives dist/ (harness.ts runEnvironment), its ::commands:: read from stdout, and both
// AWS clients replaced by aws-sdk-client-mock, so that no call leaves the process and every call
// the run tried is counted. For matrices of refused runs (a dist/ run costs a Node start and the
// bundle's load, ~0.5 CPU-s here); a sample of the same cases still runs dist/ against the bed.
// Runs one at a time: the run reads process.env, the working directory and process.stdout.
import * as core from '@actions/core'
import { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { run } from '../../src/main.js'
import { runEnvironment, runResult, type ActionRun, type RunOptions } from './harness.js'

export interface InProcessRun extends ActionRun {
  /** The AWS calls the run tried (none reached a network). */
  awsCalls: string[]
}

let running = false

export async function runInProcess(
  opts: Pick<RunOptions, 'inputs' | 'workspace' | 'env'>
): Promise<InProcessRun> {
  if (running) throw new Error('runInProcess: one run at a time (it swaps process.env)')
  running = true
  const { env, files } = runEnvironment(opts)
  const s3 = mockClient(S3Client)
  const codedeploy = mockClient(CodeDeployClient)
  const saved = { env: process.env, cwd: process.cwd(), write: process.stdout.write }
  let stdout = ''
  const awsCalls: string[] = []
  const started = Date.now()
  // @actions/core keeps the summary file of its first write: this run's is another.
  ;(core.summary as unknown as { _filePath?: string })._filePath = undefined
  try {
    process.env = { ...env }
    process.chdir(opts.workspace)
    process.stdout.write = ((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
      return true
    }) as typeof process.stdout.write
    await run(new AbortController().signal)
  } finally {
    for (const c of [...s3.calls(), ...codedeploy.calls()])
      awsCalls.push((c.args[0] as { constructor: { name: string } }).constructor.name)
    process.stdout.write = saved.write
    process.chdir(saved.cwd)
    process.env = saved.env
    running = false
    s3.restore()
    codedeploy.restore()
  }
  // core.setFailed sets the exit code the runner would see; this process must not keep it.
  const code = Number(process.exitCode ?? 0)
  process.exitCode = undefined
  return {
    ...runResult(files, {
      code,
      signal: null,
      stdout,
      stderr: '',
      durationMs: Date.now() - started
    }),
    awsCalls
  }
}
