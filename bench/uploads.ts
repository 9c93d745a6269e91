// Runs inside the bed (testbed/run): the upload rows, upload@RTT. At each RTT the same bundle goes
// up through the same delay relay (testbed/network/delay-relay.ts) in front of radosgw, by
// `aws s3 cp` and by the action, alternating which goes first; a fresh relay for every run, so
// each tool starts with cold connections. Writes every run to a JSON file.
// Usage: node bench/uploads.ts OUT.json BUNDLE RUNS RTT_MS...
import {
  CodeDeployClient,
  GetDeploymentCommand,
  StopDeploymentCommand
} from '@aws-sdk/client-codedeploy'
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
  type ObjectIdentifier
} from '@aws-sdk/client-s3'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  DEFAULT_INITIAL_WINDOW,
  DEFAULT_MAX_WINDOW,
  startDelayRelay,
  type DelayRelay
} from '../testbed/network/delay-relay.ts'
import { bedEnv, lineTime, runAction } from './runner.ts'
import { AWS } from './steps.ts'

export const UPLOAD_APPLICATION = 'bench-app'
const GROUP = 'bench'

export interface UploadRun {
  rttMs: number
  way: 'action' | 'aws'
  index: number
  ok: boolean
  failure?: string
  /**
   * ms, the compared figure: from the first request of the transfer (CreateMultipartUpload) to the
   * answer of its last (CompleteMultipartUpload). Action: its `Uploading <file> (` line to its
   * `Uploaded` line. aws: first byte into the relay to last byte out of it, less one RTT (the
   * handshake of its first connection, which the action made earlier for its HeadObject).
   */
  upload: number
  /** ms from spawn to exit, the tool's start-up and everything else included. */
  wall: number
  /** ms from spawn to the tool's first byte into the relay (start-up, and for the action its archive check, hashing and the SDK's load). */
  firstByte: number
  /** ms from the first byte into the relay to the last byte out of it (the action's HeadObjects included). */
  onWire: number
  /** TCP connections the tool opened to S3. */
  connections: number
  bytesUp: number
  maxRssKiB?: number
}

export interface UploadResults {
  setup: UploadSetup
  runs: UploadRun[]
}

export interface UploadSetup {
  bundle: string
  bundleBytes: number
  rtts: number[]
  runs: number
  initialWindow: number
  maxWindow: number
}

const log = (m: string): void => console.error(`bench: ${m}`)

/** Polls the relay's counters while a tool runs: when its first byte came in and its last went out. */
function watchWire(relay: DelayRelay): () => { firstAt?: number; lastAt?: number } {
  let firstAt: number | undefined
  let lastAt: number | undefined
  let down = 0
  const poll = (): void => {
    const s = relay.stats()
    const now = performance.now()
    if (firstAt === undefined && s.bytesUp > 0) firstAt = now
    if (s.bytesDown !== down) {
      down = s.bytesDown
      lastAt = now
    }
  }
  // 5 ms resolution on transfers of seconds; stopped when the tool exits.
  const timer = setInterval(poll, 5)
  return () => {
    clearInterval(timer)
    poll()
    return { firstAt, lastAt }
  }
}

interface Bed {
  bucket: string
  s3: S3Client
  codedeploy: CodeDeployClient
  admin: string
  cephConf: string
}

interface Tool {
  bed: Bed
  bundle: string
  relay: DelayRelay
  rttMs: number
  index: number
}

/** `aws s3 cp` as a user writes it: no flags beyond the endpoint (Debian's aws 2.9 ignores AWS_ENDPOINT_URL_S3). */
async function timeAws(t: Tool): Promise<UploadRun> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-aws-'))
  const rss = path.join(dir, 'rss')
  const key = `${UPLOAD_APPLICATION}/aws-upload-${t.rttMs}-${t.index}.tgz`
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    ...bedEnv()
  }
  const wire = watchWire(t.relay)
  const startedAt = performance.now()
  const child = spawn(
    '/usr/bin/time',
    [
      ...['-f', '%M', '-o', rss, AWS, 's3', 'cp', t.bundle, `s3://${t.bed.bucket}/${key}`],
      ...['--endpoint-url', t.relay.url()]
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  const wall = performance.now() - startedAt
  const { firstAt, lastAt } = wire()
  const kib = Number(readFileSync(rss, 'utf8').trim().split('\n').pop())
  rmSync(dir, { recursive: true, force: true })
  const s = t.relay.stats()
  const ok = code === 0 && firstAt !== undefined && lastAt !== undefined
  const onWire = firstAt !== undefined && lastAt !== undefined ? lastAt - firstAt : 0
  return {
    rttMs: t.rttMs,
    way: 'aws',
    index: t.index,
    ok,
    ...(ok ? {} : { failure: `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` }),
    upload: Math.max(0, onWire - t.rttMs),
    wall,
    firstByte: firstAt !== undefined ? firstAt - startedAt : 0,
    onWire,
    connections: s.connections,
    bytesUp: s.bytesUp,
    ...(Number.isFinite(kib) ? { maxRssKiB: kib } : {})
  }
}

/** The action, `archive` input, `wait: false`: its deployment is stopped afterwards, untimed. */
async function timeAction(t: Tool, runNumber: number): Promise<UploadRun> {
  const wire = watchWire(t.relay)
  const startedAt = performance.now()
  const a = await runAction({
    workspace: path.dirname(t.bundle),
    runNumber,
    inputs: {
      application: UPLOAD_APPLICATION,
      'deployment-group': GROUP,
      bucket: t.bed.bucket,
      archive: path.basename(t.bundle),
      wait: 'false',
      // The same commit every run: deploy it again rather than skip it as already deployed.
      'if-newer-deployed': 'deploy'
    },
    env: { ...bedEnv(), AWS_ENDPOINT_URL_S3: t.relay.url() },
    measureRss: true
  })
  const { firstAt, lastAt } = wire()
  const s = t.relay.stats()
  const from = lineTime(a, /^Uploading \S+ \(/)
  const to = lineTime(a, /^Uploaded /)
  const id = a.outputs['deployment-id']
  if (id) await stopDeployment(t.bed, id).catch((err: Error) => log(`stop ${id}: ${err.message}`))
  const ok = a.code === 0 && from !== undefined && to !== undefined && firstAt !== undefined
  const errors = a.lines
    .filter((l) => l.text.startsWith('::error') || l.text.startsWith('[stderr]'))
    .map((l) => l.text)
  return {
    rttMs: t.rttMs,
    way: 'action',
    index: t.index,
    ok,
    ...(ok ? {} : { failure: `exit ${a.code}: ${errors.join(' | ').slice(0, 500)}` }),
    upload: from !== undefined && to !== undefined ? to - from : 0,
    wall: a.endedAt - a.startedAt,
    firstByte: firstAt !== undefined ? firstAt - startedAt : 0,
    onWire: firstAt !== undefined && lastAt !== undefined ? lastAt - firstAt : 0,
    connections: s.connections,
    bytesUp: s.bytesUp,
    ...(a.maxRssKiB !== undefined ? { maxRssKiB: a.maxRssKiB } : {})
  }
}

/** Not timed: stops the action's deployment and waits (bounded) for it to end. */
async function stopDeployment(bed: Bed, id: string): Promise<void> {
  await bed.codedeploy.send(new StopDeploymentCommand({ deploymentId: id }))
  for (let i = 0; i < 120; i++) {
    const out = await bed.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))
    if (out.deploymentInfo?.completeTime) return
    await sleep(250)
  }
  log(`deployment ${id} did not stop within 30 s`)
}

/**
 * Not timed: empties the bucket, then has radosgw collect the deleted objects' data at once (it
 * waits hours by default), so a memstore bed holds one bundle at a time.
 */
async function emptyBucket(bed: Bed): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const list = await bed.s3.send(new ListObjectVersionsCommand({ Bucket: bed.bucket }))
    const ids: ObjectIdentifier[] = [
      ...(list.Versions ?? []).map((v) => ({ Key: v.Key as string, VersionId: v.VersionId })),
      ...(list.DeleteMarkers ?? []).map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }))
    ]
    if (ids.length === 0) break
    await bed.s3.send(new DeleteObjectsCommand({ Bucket: bed.bucket, Delete: { Objects: ids } }))
  }
  const gc = spawnSync('radosgw-admin', ['gc', 'process', '--include-all'], {
    env: { ...process.env, CEPH_CONF: bed.cephConf },
    encoding: 'utf8',
    timeout: 120_000
  })
  if (gc.status !== 0) log(`radosgw-admin gc process: exit ${gc.status} ${gc.stderr?.trim() ?? ''}`)
}

async function main(): Promise<void> {
  const [outFile, bundleArg, runsText, ...rttArgs] = process.argv.slice(2)
  const bundle = bundleArg ? path.resolve(bundleArg) : undefined
  const runs = Number(runsText)
  const rtts = rttArgs.map(Number)
  if (!outFile || !bundle || !(runs > 0) || rtts.length === 0 || rtts.some((r) => !(r >= 0))) {
    console.error('usage: node bench/uploads.ts OUT.json BUNDLE RUNS RTT_MS...')
    process.exit(2)
  }
  const s3Url = new URL(process.env.AWS_ENDPOINT_URL_S3 ?? 'http://127.0.0.1:7480')
  const target = { host: s3Url.hostname, port: Number(s3Url.port || 80) }
  // A request the bed never answers must not stall the benchmark (the SDK waits forever by default).
  const requestHandler = { connectionTimeout: 5_000, requestTimeout: 60_000 }
  const bed: Bed = {
    bucket: process.env.TESTBED_BUCKET ?? 'testbed-bucket',
    s3: new S3Client({ forcePathStyle: true, requestHandler }),
    codedeploy: new CodeDeployClient({ requestHandler }),
    admin: process.env.TESTBED_ADMIN_URL ?? 'http://127.0.0.1:7490/__testbed',
    cephConf: path.join(process.env.TESTBED_STATE_DIR ?? '', 'ceph', 'ceph.conf')
  }
  const out: UploadResults = {
    setup: {
      bundle,
      bundleBytes: statSync(bundle).size,
      rtts,
      runs,
      initialWindow: DEFAULT_INITIAL_WINDOW,
      maxWindow: DEFAULT_MAX_WINDOW
    },
    runs: []
  }
  // The action's deployments hang in their first event until stopped: the rows time the upload,
  // and an instance unpacking the bundle would load the machine during the next run.
  const faults = `${bed.admin}/faults?application=${UPLOAD_APPLICATION}`
  const put = await fetch(faults, {
    method: 'PUT',
    body: JSON.stringify({ hangDeployments: true })
  })
  if (!put.ok) throw new Error(`PUT /faults answered ${put.status}`)
  // Not timed: radosgw's first large write in a fresh bed is 2-3x slower than the next ones.
  log('warm-up: one untimed aws s3 cp of the bundle straight to radosgw')
  const warm = spawnSync(
    AWS,
    ['s3', 'cp', bundle, `s3://${bed.bucket}/warm-up.tgz`, '--endpoint-url', s3Url.origin],
    { env: { ...process.env, ...bedEnv() }, stdio: 'ignore', timeout: 10 * 60_000 }
  )
  if (warm.status !== 0) log(`the warm-up upload exited ${warm.status}`)
  await emptyBucket(bed)
  let runNumber = 2000
  for (const rttMs of rtts) {
    for (let index = 0; index < runs; index++) {
      // Alternate the order so neither tool always runs on a warmer cache or a quieter machine.
      const order = index % 2 === 0 ? (['aws', 'action'] as const) : (['action', 'aws'] as const)
      for (const way of order) {
        // A relay per run: every run starts with cold connections and a fresh window.
        const relay = await startDelayRelay({ target, rttMs })
        const tool: Tool = { bed, bundle, relay, rttMs, index }
        const r = await (way === 'aws' ? timeAws(tool) : timeAction(tool, runNumber++)).finally(
          () => relay.close()
        )
        out.runs.push(r)
        await emptyBucket(bed).catch((err: Error) =>
          log(`could not empty the bucket: ${err.message}`)
        )
        log(
          `upload@${rttMs}ms ${way} #${index + 1}/${runs}: ${r.ok ? 'ok' : `FAILED (${r.failure})`} ` +
            `upload ${(r.upload / 1000).toFixed(2)} s, wall ${(r.wall / 1000).toFixed(2)} s, ` +
            `first byte +${(r.firstByte / 1000).toFixed(2)} s, ${r.connections} connections` +
            `${r.maxRssKiB ? `, peak RSS ${(r.maxRssKiB / 1024).toFixed(0)} MiB` : ''}`
        )
        writeFileSync(outFile, JSON.stringify(out, null, 2))
      }
    }
  }
  await fetch(faults, { method: 'DELETE' })
}

await main()
