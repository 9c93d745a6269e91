// The hand-written steps as users write them in a workflow, each a `run:` step (one bash process):
// stage the bundle folder with mkdir/mv, `tar -zcvf`, `aws s3 cp`, `aws deploy create-deployment`,
// `aws deploy wait deployment-successful`. The Debian awscli (v2.9, too old for the
// AWS_ENDPOINT_URL_* variables) reaches the bed with --endpoint-url, as a user pointing it at an
// S3-compatible store would. Nothing about the CLI is tuned: its waiter polls every 15 s.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const AWS = '/usr/bin/aws'

export interface StepsRun {
  ok: boolean
  startedAt: number
  endedAt: number
  /** ms per step. */
  bundleMs: number
  uploadMs: number
  createMs: number
  waitMs: number
  archiveBytes: number
  deploymentId: string
  /** Largest peak RSS of any process of any step (GNU time), KiB. */
  maxRssKiB: number
  failure?: string
}

interface StepResult {
  code: number | null
  ms: number
  stdout: string
  stderr: string
  maxRssKiB: number
}

/** One `run:` step; GNU time around it (one extra exec, well under a millisecond) gives its peak RSS. */
async function step(script: string, cwd: string, env: Record<string, string>): Promise<StepResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-step-'))
  const rss = path.join(dir, 'rss')
  const t0 = performance.now()
  const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rss, 'bash', '-e', '-c', script], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const ms = performance.now() - t0
  const kib = Number(readFileSync(rss, 'utf8').trim().split('\n').pop())
  rmSync(dir, { recursive: true, force: true })
  return { code, ms, stdout, stderr, maxRssKiB: Number.isFinite(kib) ? kib : 0 }
}

export interface StepsOptions {
  workspace: string
  application: string
  group: string
  bucket: string
  key: string
  env: Record<string, string>
}

export async function runSteps(o: StepsOptions): Promise<StepsRun> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...o.env
  }
  const s3 = `--endpoint-url "$AWS_ENDPOINT_URL_S3"`
  const cd = `--endpoint-url "$AWS_ENDPOINT_URL_CODEDEPLOY"`
  const archive = path.join(o.workspace, 'bundle.tgz')
  const run: StepsRun = {
    ok: false,
    startedAt: Date.now(),
    endedAt: 0,
    bundleMs: 0,
    uploadMs: 0,
    createMs: 0,
    waitMs: 0,
    archiveBytes: 0,
    deploymentId: '',
    maxRssKiB: 0
  }
  const fail = (what: string, r: StepResult): StepsRun => {
    run.endedAt = Date.now()
    run.failure = `${what} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`
    return run
  }
  try {
    const bundle = await step(
      'mkdir dist\nmv build/libs/*.jar dist/application.jar\nmv codedeploy/* dist/\ntar -zcvf bundle.tgz -C dist .',
      o.workspace,
      env
    )
    run.bundleMs = bundle.ms
    run.maxRssKiB = bundle.maxRssKiB
    if (bundle.code !== 0) return fail('bundle', bundle)
    run.archiveBytes = statSync(archive).size

    const upload = await step(
      `${AWS} s3 cp bundle.tgz "s3://${o.bucket}/${o.key}" ${s3}`,
      o.workspace,
      env
    )
    run.uploadMs = upload.ms
    run.maxRssKiB = Math.max(run.maxRssKiB, upload.maxRssKiB)
    if (upload.code !== 0) return fail('aws s3 cp', upload)

    const create = await step(
      `${AWS} deploy create-deployment --application-name ${o.application} --deployment-group-name ${o.group} ` +
        `--s3-location bucket=${o.bucket},key=${o.key},bundleType=tgz --query deploymentId --output text ${cd}`,
      o.workspace,
      env
    )
    run.createMs = create.ms
    run.maxRssKiB = Math.max(run.maxRssKiB, create.maxRssKiB)
    if (create.code !== 0) return fail('aws deploy create-deployment', create)
    run.deploymentId = create.stdout.trim()

    const wait = await step(
      `${AWS} deploy wait deployment-successful --deployment-id ${run.deploymentId} ${cd}`,
      o.workspace,
      env
    )
    run.waitMs = wait.ms
    run.maxRssKiB = Math.max(run.maxRssKiB, wait.maxRssKiB)
    run.endedAt = Date.now()
    if (wait.code !== 0) return fail('aws deploy wait', wait)
    run.ok = true
    return run
  } finally {
    await restore(o.workspace)
    rmSync(archive, { force: true })
  }
}

/** Puts the workspace back as the build left it (not timed). */
async function restore(ws: string): Promise<void> {
  await step(
    '[ -d dist ] || exit 0\n' +
      '[ ! -e dist/application.jar ] || mv dist/application.jar build/libs/app.jar\n' +
      'shopt -s dotglob nullglob\nfor f in dist/*; do mv "$f" codedeploy/; done\nrmdir dist',
    ws,
    { PATH: process.env.PATH ?? '/usr/bin:/bin' }
  )
}
