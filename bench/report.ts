// Turns raw runs into metrics (medians, ratios, targets from issue 6) and the markdown report.
import type { ColdStart } from './coldstart.ts'
import type { DeployRun } from './deploys.ts'
import type { UploadResults, UploadRun } from './uploads.ts'
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
  /** `--upload-only`: no deploy sets, no cold start. */
  uploadOnly?: boolean
  machine: Machine
  plan: { set: SetName; runs: number; objectStore: string }[]
  sets: Record<string, string>
  deploys: DeployRun[]
  /** The upload rows (absent in runs from before them). */
  uploads?: UploadResults
  cold?: ColdStart
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
  out.push(...uploadMetrics(raw.uploads))
  const c = raw.cold
  if (!c) return out
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

const AWS_CP = 'aws s3 cp, same bundle and relay'

/** Issue 29, item 5: upload@RTT, the action at most 1.0× aws s3 cp's time at every RTT. */
function uploadMetrics(uploads: UploadResults | undefined): Metric[] {
  if (!uploads) return []
  const out: Metric[] = []
  for (const rtt of uploads.setup.rtts) {
    const runs = uploads.runs.filter((r) => r.rttMs === rtt && r.ok)
    const a = runs.filter((r) => r.way === 'action')
    const w = runs.filter((r) => r.way === 'aws')
    if (a.length === 0 || w.length === 0) continue
    const name = `upload@${rtt}ms`
    out.push(
      metric(
        name,
        a.map((r) => r.upload / 1000),
        w.map((r) => r.upload / 1000),
        AWS_CP,
        's',
        2,
        ratioAtMost(1)
      )
    )
    out.push(
      metric(
        `${name}: peak RSS`,
        a.map((r) => (r.maxRssKiB ?? 0) / 1024),
        w.map((r) => (r.maxRssKiB ?? 0) / 1024),
        'aws s3 cp',
        'MiB',
        0
      )
    )
  }
  return out
}

/** By how much a metric misses its target. */
function shortfall(x: Metric): string {
  const limit = Number(/([\d.]+)/.exec(x.target ?? '')?.[1])
  if (x.target?.startsWith('ratio') && x.ratio !== null)
    return `ratio ${x.ratio} against ${x.target.replace('ratio ', '')} (${Math.round((x.ratio / limit - 1) * 100)}% over)`
  return `${x.action} ${x.unit} against ${x.target?.replace('action ', '')} (${Math.round((x.action / limit - 1) * 100)}% over)`
}

const whyKey = (name: string): string =>
  name.startsWith('upload@') ? 'upload@RTT' : name.replace(/^[^:]+: /, '')

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
  'upload@RTT':
    "The action's S3 client opens a new connection for every part: @smithy/node-http-handler sends a " +
    'request that carries `Expect: 100-continue` (the S3 client adds it to bodies over 2 MB) through a ' +
    'throwaway agent with keep-alive off unless the client was given an http.Agent of its own. Each 6 MiB ' +
    'part then pays a handshake, the 100-continue round trip and slow start from 14 KiB (about 14 RTTs: ' +
    '1.4 s at 100 ms), and only 3 are in flight; aws s3 cp keeps its 10 connections open. Ways down: an ' +
    'http.Agent with keepAlive passed to the S3 client (it also skips the 100-continue wait), and more parts in flight.',
  total:
    'The total includes the deployment itself (same seconds both ways) and the CLI waiter lag, which is 0-15 s ' +
    'depending on where the deployment ends between two of its polls.'
}

function command(raw: RawResults): string {
  const flags = [raw.quick ? '--quick' : '', raw.uploadOnly ? '--upload-only' : ''].filter(Boolean)
  return flags.length ? ` -- ${flags.join(' ')}` : ''
}

const fmt = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : String(x))

export function renderReport(raw: RawResults, metrics: Metric[]): string {
  const m = raw.machine
  const lines: string[] = []
  lines.push('# Benchmark: the action against the hand-written steps')
  lines.push('')
  lines.push(
    `Generated by \`npm run bench${command(raw)}\` on ${m.date} in ${raw.minutes} min. ` +
      `Medians of alternating runs (${raw.plan.length ? 'steps' : 'aws s3 cp'} first, then action first, and so on) on the local test bed ` +
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
  lines.push(...uploadSection(raw.uploads))
  lines.push('## Targets missed')
  lines.push('')
  const missed = metrics.filter((x) => x.met === false)
  if (missed.length === 0) lines.push('None.')
  // One explanation per cause: the upload rows at several RTTs share theirs.
  const explained = new Set<string>()
  for (const x of missed) {
    const key = whyKey(x.name)
    const why = explained.has(key) ? 'The same cause as above.' : (WHY[key] ?? '')
    explained.add(key)
    lines.push(`- ${x.name}: ${shortfall(x)}. ${why}`.trim())
  }
  lines.push('')
  if (raw.plan.length === 0) return `${lines.join('\n')}\n`
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

const sec = (ms: number): string => (ms / 1000).toFixed(2)

/** The upload rows' own table: what each tool did at each RTT (medians of the successful runs). */
function uploadSection(uploads: UploadResults | undefined): string[] {
  if (!uploads) return []
  const { setup } = uploads
  const lines: string[] = []
  lines.push('## Upload at a distance (upload@RTT)')
  lines.push('')
  lines.push(
    `The same object, \`${setup.bundle.replace(/.*\/bench\//, 'bench/')}\` (${(setup.bundleBytes / 1e6).toFixed(1)} MB: ` +
      'the 300 MB set as `tar -zcf` bundles it), uploaded by `aws s3 cp` and by the action (`archive` input, ' +
      '`wait: false`; its deployment is held by the bed and stopped, untimed) through the same delay relay ' +
      '(testbed/network/delay-relay.ts) in front of radosgw, a fresh relay per run, in alternating order, ' +
      `${setup.runs} runs of each at each RTT. The relay: each direction delayed by RTT/2, a new connection ` +
      `pays one RTT of handshake, slow start from ${setup.initialWindow.toLocaleString('en-US')} bytes up to a ` +
      `${(setup.maxWindow / 1024 / 1024).toFixed(0)} MiB window per connection and direction, no loss, no ` +
      'shared bandwidth cap (testbed/README.md, "Distance: the delay relay").'
  )
  lines.push('')
  lines.push(
    '| RTT | action upload | aws s3 cp upload | ratio | action wall | aws wall | connections (action, aws) | first byte (action, aws) | peak RSS (action, aws) |'
  )
  lines.push('|---:|---:|---:|---:|---:|---:|---|---|---|')
  for (const rtt of setup.rtts) {
    const ok = uploads.runs.filter((r) => r.rttMs === rtt && r.ok)
    const a = ok.filter((r) => r.way === 'action')
    const w = ok.filter((r) => r.way === 'aws')
    if (a.length === 0 || w.length === 0) {
      lines.push(`| ${rtt} ms | – | – | – | | | | | |`)
      continue
    }
    const m = (xs: UploadRun[], f: (r: UploadRun) => number): number => median(xs.map(f))
    const up = [m(a, (r) => r.upload), m(w, (r) => r.upload)] as const
    lines.push(
      `| ${rtt} ms | ${sec(up[0])} s | ${sec(up[1])} s | ${(up[0] / up[1]).toFixed(2)}× | ` +
        `${sec(m(a, (r) => r.wall))} s | ${sec(m(w, (r) => r.wall))} s | ` +
        `${m(a, (r) => r.connections)}, ${m(w, (r) => r.connections)} | ` +
        `+${sec(m(a, (r) => r.firstByte))} s, +${sec(m(w, (r) => r.firstByte))} s | ` +
        `${(m(a, (r) => r.maxRssKiB ?? 0) / 1024).toFixed(0)}, ${(m(w, (r) => r.maxRssKiB ?? 0) / 1024).toFixed(0)} MiB |`
    )
  }
  lines.push('')
  lines.push(
    '- **action upload**: from the arrival of its `Uploading <file> (…)` line (printed after its HeadObject, ' +
      'right before CreateMultipartUpload) to its `Uploaded … in …` line (after CompleteMultipartUpload). ' +
      "Node's start-up, the archive's check and hash, loading the SDK and the HeadObject are outside it; the " +
      'second HeadObject (for the version) and CreateDeployment come after it.'
  )
  lines.push(
    '- **aws s3 cp upload**: from its first byte into the relay (CreateMultipartUpload) to the last byte the ' +
      "relay gave back (CompleteMultipartUpload's answer), polled every 5 ms, less one RTT: the handshake of its " +
      "first connection, which the action's timing leaves out because its HeadObject opened that connection " +
      "earlier. So the CLI's start-up (Python, botocore: the first-byte column) and exit are left out, as " +
      "the action's are."
  )
  lines.push(
    '- **wall**: the process from spawn to exit, everything included. **connections**: TCP connections the ' +
      'tool opened to the relay. **peak RSS**: GNU time `%M` of the process.'
  )
  const failed = uploads.runs.filter((r) => !r.ok)
  if (failed.length) {
    lines.push('')
    lines.push(`Failed upload runs (left out of the medians): ${failed.length}`)
    for (const f of failed)
      lines.push(`- upload@${f.rttMs}ms ${f.way} #${f.index + 1}: ${f.failure ?? 'failed'}`)
  }
  lines.push('')
  return lines
}
