// npm run bench [-- --quick]: the action against the hand-written steps on the test bed, cold
// start against `node -e 0`, then bench/REPORT.md and bench/results.json.
//   --quick   the small app and the 300 MB set only, fewer runs (a few minutes)
//   --report  rewrite the report from the last raw results in bench/out/ without measuring
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { measureColdStart, type ColdStart } from './coldstart.ts'
import type { DeployRun } from './deploys.ts'
import { renderReport, toMetrics, type Machine, type RawResults } from './report.ts'
import { REPO, runnerNode } from './runner.ts'
import { SETS, ensureWorkspace, type SetName } from './workspace.ts'

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const BENCH = path.join(REPO, 'bench')
const OUT = path.join(BENCH, 'out')
const RAW = path.join(OUT, quick ? 'raw-quick.json' : 'raw.json')
const log = (m: string): void => console.error(`bench: ${m}`)

/** Runs per set: enough for a median; the 2 GB set is slow on a disk-backed object store. */
const PLAN: { set: SetName; runs: number; objectStore: 'memstore' | 'bluestore' }[] = quick
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

function deployInBed(objectStore: string, sets: string[], outFile: string): DeployRun[] {
  const env = {
    ...process.env,
    TESTBED_CONFIG: path.join(BENCH, 'fleet.yml'),
    TESTBED_ISOLATION: 'shared',
    TESTBED_OBJECTSTORE: objectStore,
    // radosgw frees a deleted object's data only after its garbage-collection wait (hours), so
    // emptying the bucket between runs does not free memstore: 10 small and 8 x 300 MB uploads
    // overflow the bed's default 2 GiB and S3 stops answering (seen: 300mb run 4 of 4).
    ...(objectStore === 'memstore' ? { TESTBED_OSD_BYTES: String(6 * 1024 ** 3) } : {}),
    TESTBED_STATE_DIR: path.join(OUT, `bed-${objectStore}-${process.pid}`)
  }
  log(`starting the test bed (${objectStore}) for ${sets.join(', ')}`)
  const r = spawnSync(
    path.join(REPO, 'testbed', 'run'),
    [runnerNode(), path.join(BENCH, 'deploys.ts'), outFile, ...sets],
    { env, stdio: ['ignore', 'inherit', 'inherit'] }
  )
  if (!existsSync(outFile)) throw new Error(`the deploy runs wrote nothing (exit ${r.status})`)
  const runs = JSON.parse(readFileSync(outFile, 'utf8')) as DeployRun[]
  if (r.status !== 0) log(`the deploy runs exited ${r.status}; reporting what finished`)
  return runs
}

async function measure(): Promise<RawResults> {
  mkdirSync(OUT, { recursive: true })
  const started = Date.now()
  const info = machine()
  for (const p of PLAN) ensureWorkspace(OUT, SETS[p.set], log)
  const deploys: DeployRun[] = []
  for (const store of ['memstore', 'bluestore'] as const) {
    const sets = PLAN.filter((p) => p.objectStore === store).map((p) => `${p.set}:${p.runs}`)
    if (sets.length)
      deploys.push(...deployInBed(store, sets, path.join(OUT, `deploys-${store}.json`)))
  }
  log(`cold start: ${COLD_REPS} interleaved runs of node -e 0, a first log line, a bad input`)
  const cold: ColdStart = await measureColdStart(ensureWorkspace(OUT, SETS.small, log), COLD_REPS)
  const raw: RawResults = {
    quick,
    machine: info,
    plan: PLAN,
    sets: Object.fromEntries(PLAN.map((p) => [p.set, SETS[p.set].description])),
    deploys,
    cold,
    minutes: Math.round((Date.now() - started) / 6000) / 10
  }
  writeFileSync(RAW, JSON.stringify(raw, null, 2))
  return raw
}

const raw: RawResults = args.has('--report')
  ? (JSON.parse(readFileSync(RAW, 'utf8')) as RawResults)
  : await measure()
const metrics = toMetrics(raw)
const reportPath = path.join(BENCH, quick ? 'out/REPORT-quick.md' : 'REPORT.md')
const jsonPath = path.join(BENCH, quick ? 'out/results-quick.json' : 'results.json')
writeFileSync(jsonPath, `${JSON.stringify(metrics, null, 2)}\n`)
writeFileSync(reportPath, renderReport(raw, metrics))
console.log(readFileSync(reportPath, 'utf8'))
console.log(`Report: ${path.relative(process.cwd(), reportPath)}`)
console.log(`Results (JSON): ${path.relative(process.cwd(), jsonPath)}`)
console.log(`Raw runs: ${path.relative(process.cwd(), RAW)}`)
