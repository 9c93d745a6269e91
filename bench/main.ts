// npm run bench [-- --quick]: the action against the hand-written steps on the test bed, the
// upload rows (upload@RTT: the action against `aws s3 cp` through the delay relay), cold start
// against `node -e 0`, then bench/REPORT.md and bench/results.json.
//   --quick        the small app and the 300 MB set only, upload rows at 0 and 100 ms, fewer runs
//   --upload-only  the upload rows only (bench/out/REPORT-upload*.md)
//   --report       rewrite the report from the last raw results in bench/out/ without measuring
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { measureColdStart, type ColdStart } from './coldstart.ts'
import type { DeployRun } from './deploys.ts'
import { renderReport, toMetrics, type Machine, type RawResults } from './report.ts'
import { REPO, runnerNode } from './runner.ts'
import type { UploadResults } from './uploads.ts'
import { SETS, ensureUploadBundle, ensureWorkspace, type SetName } from './workspace.ts'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const uploadOnly = args.has('--upload-only')
const BENCH = path.join(REPO, 'bench')
const OUT = path.join(BENCH, 'out')
/** Which files a run writes: `-upload` for --upload-only, `-quick` for --quick. */
const suffix = `${uploadOnly ? '-upload' : ''}${quick ? '-quick' : ''}`
const RAW = path.join(OUT, `raw${suffix}.json`)
const log = (m: string): void => console.error(`bench: ${m}`)

/** Runs per set: enough for a median; the 2 GB set is slow on a disk-backed object store. */
const PLAN: { set: SetName; runs: number; objectStore: 'memstore' | 'bluestore' }[] = uploadOnly
  ? []
  : quick
    ? [
        { set: 'small', runs: 3, objectStore: 'memstore' },
        { set: '300mb', runs: 2, objectStore: 'memstore' }
      ]
    : [
        { set: 'small', runs: 5, objectStore: 'memstore' },
        { set: '300mb', runs: 4, objectStore: 'memstore' },
        // radosgw's memstore keeps objects in RAM: the 2 GB set gets a disk-backed (bluestore) bed.
        { set: '2gb', runs: 2, objectStore: 'bluestore' }
      ]
const COLD_REPS = quick ? 15 : 40
/** The upload rows: RTTs through the delay relay, and runs of each tool at each. */
const UPLOAD_PLAN = quick ? { rtts: [0, 100], runs: 2 } : { rtts: [0, 30, 100, 200], runs: 3 }

function sh(cmd: string, argv: string[]): string {
  return spawnSync(cmd, argv, { encoding: 'utf8' }).stdout?.trim() ?? ''
}

function machine(): Machine {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const meminfo = readFileSync('/proc/meminfo', 'utf8')
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? 0)
  return {
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    cores: Number(sh('nproc', [])),
    ramGiB: Math.round((memKiB / 1024 / 1024) * 10) / 10,
    kernel: sh('uname', ['-sr']),
    node: sh(runnerNode(), ['--version']),
    awscli: sh('/usr/bin/aws', ['--version']),
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    commit:
      sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']) +
      (sh('git', ['-C', REPO, 'status', '--porcelain', 'dist']) ? ' (dist/ modified)' : ''),
    date: new Date().toISOString()
  }
}

/** Runs `script ARGS...` with Node 24 inside a bed of its own; the script writes `outFile`. */
function inBed<T>(
  objectStore: string,
  name: string,
  script: string,
  args: string[],
  outFile: string
): T {
  const env = {
    ...process.env,
    TESTBED_CONFIG: path.join(BENCH, 'fleet.yml'),
    TESTBED_ISOLATION: 'shared',
    TESTBED_OBJECTSTORE: objectStore,
    // radosgw frees a deleted object's data only after its garbage-collection wait (hours), so
    // emptying the bucket between runs does not free memstore: 10 small and 8 x 300 MB uploads
    // overflow the bed's default 2 GiB and S3 stops answering (seen: 300mb run 4 of 4).
    ...(objectStore === 'memstore' ? { TESTBED_OSD_BYTES: String(6 * 1024 ** 3) } : {}),
    TESTBED_STATE_DIR: path.join(
      OUT,
      `bed-${objectStore}-${path.basename(script, '.ts')}-${process.pid}`
    )
  }
  log(`starting the test bed (${objectStore}) for ${name}`)
  rmSync(outFile, { force: true })
  const r = spawnSync(
    path.join(REPO, 'testbed', 'run'),
    [runnerNode(), path.join(BENCH, script), outFile, ...args],
    { env, stdio: ['ignore', 'inherit', 'inherit'] }
  )
  if (!existsSync(outFile)) throw new Error(`${script} wrote nothing (exit ${r.status})`)
  if (r.status !== 0) log(`${script} exited ${r.status}; reporting what finished`)
  return JSON.parse(readFileSync(outFile, 'utf8')) as T
}

function deployInBed(objectStore: string, sets: string[], outFile: string): DeployRun[] {
  return inBed<DeployRun[]>(objectStore, sets.join(', '), 'deploys.ts', sets, outFile)
}

/** The upload rows in a memstore bed of their own (bench/uploads.ts empties it after each run). */
function uploadsInBed(bundle: string): UploadResults {
  const { rtts, runs } = UPLOAD_PLAN
  return inBed<UploadResults>(
    'memstore',
    `the upload rows at ${rtts.join(', ')} ms`,
    'uploads.ts',
    [bundle, String(runs), ...rtts.map(String)],
    path.join(OUT, `uploads${quick ? '-quick' : ''}.json`)
  )
}

async function measure(): Promise<RawResults> {
  mkdirSync(OUT, { recursive: true })
  const started = Date.now()
  const info = machine()
  for (const p of PLAN) ensureWorkspace(OUT, SETS[p.set], log)
  const bundle = ensureUploadBundle(OUT, log)
  const deploys: DeployRun[] = []
  for (const store of ['memstore', 'bluestore'] as const) {
    const sets = PLAN.filter((p) => p.objectStore === store).map((p) => `${p.set}:${p.runs}`)
    if (sets.length)
      deploys.push(...deployInBed(store, sets, path.join(OUT, `deploys-${store}.json`)))
  }
  const uploads = uploadsInBed(bundle)
  let cold: ColdStart | undefined
  if (!uploadOnly) {
    log(`cold start: ${COLD_REPS} interleaved runs of node -e 0, a first log line, a bad input`)
    cold = await measureColdStart(ensureWorkspace(OUT, SETS.small, log), COLD_REPS)
  }
  const raw: RawResults = {
    quick,
    uploadOnly,
    machine: info,
    plan: PLAN,
    sets: Object.fromEntries(PLAN.map((p) => [p.set, SETS[p.set].description])),
    deploys,
    uploads,
    ...(cold ? { cold } : {}),
    minutes: Math.round((Date.now() - started) / 6000) / 10
  }
  writeFileSync(RAW, JSON.stringify(raw, null, 2))
  return raw
}

const raw: RawResults = args.has('--report')
  ? (JSON.parse(readFileSync(RAW, 'utf8')) as RawResults)
  : await measure()
const metrics = toMetrics(raw)
const reportPath = suffix ? path.join(OUT, `REPORT${suffix}.md`) : path.join(BENCH, 'REPORT.md')
const jsonPath = suffix ? path.join(OUT, `results${suffix}.json`) : path.join(BENCH, 'results.json')
writeFileSync(jsonPath, `${JSON.stringify(metrics, null, 2)}\n`)
writeFileSync(reportPath, renderReport(raw, metrics))
console.log(readFileSync(reportPath, 'utf8'))
console.log(`Report: ${path.relative(process.cwd(), reportPath)}`)
console.log(`Results (JSON): ${path.relative(process.cwd(), jsonPath)}`)
console.log(`Raw runs: ${path.relative(process.cwd(), RAW)}`)
