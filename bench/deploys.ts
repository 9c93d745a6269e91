// Runs inside the bed (testbed/run): deploys each set's workspace with the hand-written steps and
// with the action, alternating which goes first, and writes every run's phases to a JSON file.
// Usage: node bench/deploys.ts OUT.json SET:RUNS...
import { CodeDeployClient, GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
  type ObjectIdentifier
} from '@aws-sdk/client-s3'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { bedEnv, lineTime, runAction } from './runner.ts'
import { runSteps } from './steps.ts'
import { SETS, ensureWorkspace, type SetName } from './workspace.ts'

export const APPLICATION = 'bench-app'
export const GROUP = 'bench'

export interface DeployRun {
  set: SetName
  way: 'action' | 'steps'
  index: number
  ok: boolean
  failure?: string
  /** ms */
  bundle: number
  upload: number
  create: number
  /** ms from CodeDeploy's completeTime to the step (or CLI) returning. */
  noticed: number
  /** ms from CreateDeployment's createTime to completeTime: the deployment itself, the same work both ways. */
  deployment: number
  total: number
  archiveBytes: number
  maxRssKiB?: number
}

const [outFile, ...setArgs] = process.argv.slice(2)
if (!outFile || setArgs.length === 0) {
  console.error('usage: node bench/deploys.ts OUT.json SET:RUNS...')
  process.exit(2)
}
const bucket = process.env.TESTBED_BUCKET ?? 'testbed-bucket'
// A request the bed never answers must not stall the benchmark (the SDK waits forever by default).
const requestHandler = { connectionTimeout: 5_000, requestTimeout: 60_000 }
const s3 = new S3Client({ forcePathStyle: true, requestHandler })
const codedeploy = new CodeDeployClient({ requestHandler })
const outDir = path.dirname(path.resolve(outFile))
const log = (m: string): void => console.error(`bench: ${m}`)

/** CodeDeploy's createTime and completeTime of a deployment, epoch ms. */
async function deploymentTimes(id: string): Promise<{ created: number; completed: number }> {
  const out = await codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
  const info = out.deploymentInfo
  if (!info?.completeTime || !info.createTime)
    throw new Error(`deployment ${id} has no completeTime (status ${info?.status})`)
  return { created: info.createTime.getTime(), completed: info.completeTime.getTime() }
}

/** Empties the bucket between runs, so a 2 GB set never fills the object store (not timed). */
async function emptyBucket(): Promise<void> {
  for (;;) {
    const list = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))
    const ids: ObjectIdentifier[] = [
      ...(list.Versions ?? []).map((v) => ({ Key: v.Key as string, VersionId: v.VersionId })),
      ...(list.DeleteMarkers ?? []).map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }))
    ]
    if (ids.length === 0) return
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids } }))
  }
}

async function stepsRun(set: SetName, ws: string, index: number): Promise<DeployRun> {
  const r = await runSteps({
    workspace: ws,
    application: APPLICATION,
    group: GROUP,
    bucket,
    key: `${APPLICATION}/steps-${set}-${index}.tgz`,
    env: bedEnv()
  })
  const times = r.ok ? await deploymentTimes(r.deploymentId) : undefined
  return {
    set,
    way: 'steps',
    index,
    ok: r.ok,
    ...(r.failure ? { failure: r.failure } : {}),
    bundle: r.bundleMs,
    upload: r.uploadMs,
    create: r.createMs,
    noticed: times ? r.endedAt - times.completed : 0,
    deployment: times ? times.completed - times.created : 0,
    total: r.endedAt - r.startedAt,
    archiveBytes: r.archiveBytes,
    maxRssKiB: r.maxRssKiB
  }
}

async function actionRun(set: SetName, ws: string, index: number): Promise<DeployRun> {
  const r = await runAction({
    workspace: ws,
    runNumber: 1000 + index,
    inputs: {
      application: APPLICATION,
      'deployment-group': GROUP,
      bucket,
      source: 'codedeploy',
      files: 'build/libs/*.jar => application.jar'
    },
    env: bedEnv(),
    measureRss: true
  })
  const bundled = lineTime(r, /^::group::Bundle: /)
  const uploaded = lineTime(r, /^(Uploaded|Reusing) /)
  const created = lineTime(r, /^Created deployment /)
  const id = r.outputs['deployment-id']
  const ok = r.code === 0 && r.outputs['deployment-status'] === 'Succeeded' && !!id
  const problem =
    !ok || bundled === undefined || uploaded === undefined || created === undefined
      ? `exit ${r.code}: ${r.lines
          .filter((l) => l.text.startsWith('::error') || l.text.startsWith('[stderr]'))
          .map((l) => l.text)
          .join(' | ')
          .slice(0, 500)}`
      : undefined
  const times = ok ? await deploymentTimes(id as string) : undefined
  return {
    set,
    way: 'action',
    index,
    ok: ok && !problem,
    ...(problem ? { failure: problem } : {}),
    bundle: bundled ?? 0,
    upload: (uploaded ?? 0) - (bundled ?? 0),
    create: (created ?? 0) - (uploaded ?? 0),
    noticed: times ? r.endedAt - times.completed : 0,
    deployment: times ? times.completed - times.created : 0,
    total: r.endedAt - r.startedAt,
    archiveBytes: Number(r.outputs['bundle-size'] ?? 0),
    ...(r.maxRssKiB !== undefined ? { maxRssKiB: r.maxRssKiB } : {})
  }
}

const results: DeployRun[] = []
for (const arg of setArgs) {
  const [set, runsText] = arg.split(':') as [SetName, string]
  const runs = Number(runsText)
  const spec = SETS[set]
  if (!spec || !(runs > 0)) throw new Error(`bad argument ${arg}: want SET:RUNS`)
  const ws = ensureWorkspace(outDir, spec, log)
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither way always runs on a warmer cache or a quieter machine.
    const order = i % 2 === 0 ? (['steps', 'action'] as const) : (['action', 'steps'] as const)
    for (const way of order) {
      const r = way === 'steps' ? await stepsRun(set, ws, i) : await actionRun(set, ws, i)
      await emptyBucket().catch((err: Error) => log(`could not empty the bucket: ${err.message}`))
      results.push(r)
      log(
        `${set} ${way} #${i + 1}/${runs}: ${r.ok ? 'ok' : `FAILED (${r.failure})`} total ${(r.total / 1000).toFixed(1)} s, ` +
          `bundle ${(r.bundle / 1000).toFixed(2)} s, upload ${(r.upload / 1000).toFixed(2)} s, create ${(r.create / 1000).toFixed(2)} s, ` +
          `noticed +${(r.noticed / 1000).toFixed(2)} s${r.maxRssKiB ? `, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB` : ''}`
      )
      writeFileSync(outFile, JSON.stringify(results, null, 2))
    }
  }
}
