// Turns raw runs into metrics (medians, ratios, targets from issue 6) and the markdown report.
import type { ColdStart } from './coldstart.ts'
import type { DeployRun } from './deploys.ts'
import type { SetName } from './workspace.ts'

export interface Machine {
  cpu: string
  cores: number
  ramGiB: number
  kernel: string
  node: string
  awscli: string
  loadAverage: string
  /** The commit measured (dist/ is what runs). */
  commit: string
  date: string
}

export interface RawResults {
  quick: boolean
  machine: Machine
  plan: { set: SetName; runs: number; objectStore: string }[]
  sets: Record<string, string>
  deploys: DeployRun[]
  cold: ColdStart
  minutes: number
}

export interface Metric {
  name: string
  /** The action's median. */
  action: number
  /** The peer's median: the hand-written steps, `tar`, `aws s3 cp` or `node -e 0`. */
  peer: number | null
  peerName: string
  /** action / peer. */
  ratio: number | null
  unit: string
  /** Successful runs behind each median (action, peer). */
  runs: [number, number]
  target?: string
  met?: boolean
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits))

type Target = { text: string; check: (m: Metric) => boolean }

const ratioAtMost = (limit: number): Target => ({
  text: `ratio ≤ ${limit}`,
  check: (m) => m.ratio !== null && m.ratio <= limit
})

/** Issue 6, item 5. */
function targetFor(set: SetName, phase: string): Target | undefined {
  if (set === 'small' && phase === 'total') return ratioAtMost(0.5)
  if (set === '300mb' && phase === 'bundle') return ratioAtMost(0.25)
  if (set === '300mb' && phase === 'archive size') return ratioAtMost(1.01)
  if (phase === 'upload') return ratioAtMost(1)
  if (phase === 'completion noticed')
    return { text: 'action ≤ 3 s after the terminal state', check: (m) => m.action <= 3 }
  if (set === '2gb' && phase === 'peak RSS')
    return { text: 'action < 150 MiB', check: (m) => m.action < 150 }
  return undefined
}

function metric(
  name: string,
  action: number[],
  peer: number[] | null,
  peerName: string,
  unit: string,
  digits: number,
  target?: Target
): Metric {
  const a = median(action)
  const p = peer ? median(peer) : null
  const m: Metric = {
    name,
    action: round(a, digits),
    peer: p === null ? null : round(p, digits),
    peerName,
    ratio: p ? round(a / p, 2) : null,
    unit,
    runs: [action.length, peer?.length ?? 0]
  }
  if (target) {
    m.target = target.text
    m.met = target.check(m)
  }
  return m
}

export function toMetrics(raw: RawResults): Metric[] {
  const out: Metric[] = []
  for (const { set } of raw.plan) {
    const runs = raw.deploys.filter((r) => r.set === set && r.ok)
    const a = runs.filter((r) => r.way === 'action')
    const s = runs.filter((r) => r.way === 'steps')
    if (a.length === 0 || s.length === 0) continue
    const sec = (xs: DeployRun[], f: (r: DeployRun) => number): number[] =>
      xs.map((r) => f(r) / 1000)
    const phases: [string, (r: DeployRun) => number, string][] = [
      ['bundle', (r) => r.bundle, 'mkdir/mv + tar -zcvf'],
      ['upload', (r) => r.upload, 'aws s3 cp'],
      ['create', (r) => r.create, 'aws deploy create-deployment'],
      ['completion noticed', (r) => r.noticed, 'aws deploy wait deployment-successful'],
      ['total', (r) => r.total, 'the hand-written steps']
    ]
    for (const [phase, f, peerName] of phases) {
      out.push(
        metric(`${set}: ${phase}`, sec(a, f), sec(s, f), peerName, 's', 2, targetFor(set, phase))
      )
    }
    out.push(
      metric(
        `${set}: deployment on the bed (createTime to completeTime)`,
        sec(a, (r) => r.deployment),
        sec(s, (r) => r.deployment),
        'the same deployment from the steps',
        's',
        2
      )
    )
    out.push(
      metric(
        `${set}: archive size`,
        a.map((r) => r.archiveBytes / 1e6),
        s.map((r) => r.archiveBytes / 1e6),
        'tar -zcvf',
        'MB',
        2,
        targetFor(set, 'archive size')
      )
    )
    out.push(
      metric(
        `${set}: peak RSS`,
        a.map((r) => (r.maxRssKiB ?? 0) / 1024),
        s.map((r) => (r.maxRssKiB ?? 0) / 1024),
        'largest process of the steps',
        'MiB',
        0,
        targetFor(set, 'peak RSS')
      )
    )
  }
  const c = raw.cold
  out.push(
    metric('cold start: first log line', c.firstLineMs, c.nodeMs, 'node -e 0 (to exit)', 'ms', 0, {
      text: 'ratio < 3',
      check: (m) => m.ratio !== null && m.ratio < 3
    })
  )
  out.push(
    metric(
      'cold start: ::error:: line on a bad input',
      c.errorLineMs,
      c.nodeMs,
      'node -e 0 (to exit)',
      'ms',
      0
    )
  )
  return out
}

/** By how much a metric misses its target. */
function shortfall(x: Metric): string {
  const limit = Number(/([\d.]+)/.exec(x.target ?? '')?.[1])
  if (x.target?.startsWith('ratio') && x.ratio !== null)
    return `ratio ${x.ratio} against ${x.target.replace('ratio ', '')} (${Math.round((x.ratio / limit - 1) * 100)}% over)`
  return `${x.action} ${x.unit} against ${x.target?.replace('action ', '')} (${Math.round((x.action / limit - 1) * 100)}% over)`
}

const whyKey = (name: string): string => name.replace(/^[^:]+: /, '')

/** What bounds a metric, from profiles (how to reproduce them is in bench/README.md). */
const WHY: Record<string, string> = {
  'peak RSS':
    'Profiled with process.memoryUsage() sampled every second on the 2 GB set (bench/README.md, Profiling; ' +
    '2026-11-30): bundling coalesces small writes into two reused 256 KiB buffers, so a dry run peaks at ' +
    '102-103 MiB. The upload adds the S3 client (~8 MB of heap), three 6 MiB part buffers (18 MB) and, on ' +
    "some runs, V8's young generation growing from 16 to 32 MB (RSS follows as its pages are touched); the " +
    'memory freed during bundling stays with the allocator (RSS never shrinks). Single runs: 144-149 MiB. ' +
    'Way down: UploadPart bodies as file-range streams, with no part buffers.',
  upload:
    "The action's upload phase starts at its Bundle line, so it also holds loading the S3 client (~1 MB of " +
    'SDK code) and the HeadObject that looks for an identical object (0.5-1.5 s on this machine); the transfer ' +
    'itself runs 3 parts of 6 MiB at a time where aws s3 cp runs 10 of 8 MiB. Per-run figures swing by 2x under load ' +
    '(bench/out/raw.json). Ways down: start loading the SDK while bundling, and more parts in flight once ' +
    'parts are streamed from the file rather than buffered.',
  total:
    'The total includes the deployment itself (same seconds both ways) and the CLI waiter lag, which is 0-15 s ' +
    'depending on where the deployment ends between two of its polls.'
}

const fmt = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : String(x))

export function renderReport(raw: RawResults, metrics: Metric[]): string {
  const m = raw.machine
  const lines: string[] = []
  lines.push('# Benchmark: the action against the hand-written steps')
  lines.push('')
  lines.push(
    `Generated by \`npm run bench${raw.quick ? ' -- --quick' : ''}\` on ${m.date} in ${raw.minutes} min. ` +
      'Medians of alternating runs (steps first, then action first, and so on) on the local test bed ' +
      '(Ceph radosgw for S3, the CodeDeploy emulator with one instance). Raw runs: `bench/out/raw*.json`.'
  )
  lines.push('')
  lines.push('## Machine')
  lines.push('')
  lines.push(
    `- CPU: ${m.cpu}, ${m.cores} cores; RAM ${m.ramGiB} GiB; load average at start ${m.loadAverage}`
  )
  lines.push(`- Kernel: ${m.kernel}`)
  lines.push(`- Node (the action's): ${m.node}`)
  lines.push(`- awscli (the steps'): ${m.awscli}`)
  lines.push(`- Commit measured: ${m.commit}`)
  lines.push('')
  lines.push('## Results')
  lines.push('')
  lines.push('| metric | action | peer | ratio | unit | runs | target | met |')
  lines.push('|---|---:|---:|---:|---|---|---|---|')
  for (const x of metrics) {
    lines.push(
      `| ${x.name} | ${fmt(x.action)} | ${fmt(x.peer)} (${x.peerName}) | ${fmt(x.ratio)} | ${x.unit} | ${x.runs[0]}/${x.runs[1]} | ${x.target ?? ''} | ${x.met === undefined ? '' : x.met ? 'yes' : '**no**'} |`
    )
  }
  lines.push('')
  const failed = raw.deploys.filter((r) => !r.ok)
  if (failed.length) {
    lines.push(`Failed runs (left out of the medians): ${failed.length}`)
    for (const f of failed)
      lines.push(`- ${f.set} ${f.way} #${f.index + 1}: ${f.failure ?? 'failed'}`)
    lines.push('')
  }
  lines.push('## Targets missed')
  lines.push('')
  const missed = metrics.filter((x) => x.met === false)
  if (missed.length === 0) lines.push('None.')
  for (const x of missed)
    lines.push(`- ${x.name}: ${shortfall(x)}. ${WHY[whyKey(x.name)] ?? ''}`.trim())
  lines.push('')
  lines.push('## What was deployed')
  lines.push('')
  for (const p of raw.plan) {
    lines.push(
      `- **${p.set}** (${p.runs} runs each way, ${p.objectStore} object store): ${raw.sets[p.set]}`
    )
  }
  lines.push('')
  lines.push(
    'Every workspace has `codedeploy/` (appspec.yml, three hook scripts, config, and for the larger sets ' +
      '`lib/*.jar`, `static/*.png`, `classes/**`) and `build/libs/app.jar`. Jars are real zip files made ' +
      'with `zip` (deflated class files plus stored already-compressed resources); images are noise ' +
      'behind a PNG signature; text and class files deflate about 4x. The ApplicationStart hook sleeps ' +
      '5 s, like a small service starting.'
  )
  lines.push('')
  lines.push('## How each way is timed')
  lines.push('')
  lines.push(
    '- **Steps**: each command is its own `bash -e -c` process, as a workflow `run:` step is: ' +
      '`mkdir dist; mv build/libs/*.jar dist/application.jar; mv codedeploy/* dist/; tar -zcvf bundle.tgz -C dist .` (bundle), ' +
      '`aws s3 cp` (upload), `aws deploy create-deployment --query deploymentId --output text` (create), ' +
      '`aws deploy wait deployment-successful` (its waiter polls every 15 s; untouched). The Debian awscli ' +
      'reaches the bed with `--endpoint-url`.'
  )
  lines.push(
    '- **Action**: `dist/index.js` under Node 24 started the way the runner starts a node24 action ' +
      '(INPUT_* and GITHUB_* variables, GITHUB_OUTPUT/STATE/STEP_SUMMARY files), inputs `source: codedeploy`, ' +
      '`files: build/libs/*.jar => application.jar`. Phases come from the arrival time of its log lines: ' +
      'bundle = start to the `Bundle:` group (includes Node start-up and appspec validation), upload = to `Uploaded`, ' +
      'create = to `Created deployment`.'
  )
  lines.push(
    "- **Completion noticed**: the moment the step (or `aws deploy wait`) returned minus the emulator's " +
      "`completeTime` from GetDeployment (same clock). **Total**: the first step's start to the last one's end."
  )
  lines.push(
    "- **Peak RSS**: GNU time `%M` around the action's Node process, and around each step (the largest process wins)."
  )
  lines.push(
    '- **Cold start**: spawn to the first stdout line (a valid dry run) and to the `::error::` line ' +
      '(`wait-timeout: 10m`), against spawn to exit of `node -e 0`, same binary, interleaved.'
  )
  lines.push('')
  lines.push(
    'The total ratio depends on how long the deployment itself takes (the "deployment on the bed" row, the same ' +
      "work both ways): real CodeDeploy deployments take longer than the bed's, which moves both totals up by the " +
      'same seconds; the saved seconds per phase do not change.'
  )
  lines.push('')
  return `${lines.join('\n')}\n`
}
