// The demo's second half, run by scripts/demo.sh inside the test bed (testbed/run sets AWS_* and
// TESTBED_*). It imitates the Actions runner: runs dist/index.js with Node 24, inputs as INPUT_*,
// context as GITHUB_*, and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, then the
// post step with the saved state, as action.yml's `post:` makes the runner do.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { bed, instances } from '../__tests__/support/bed.ts'
import { readReroute, readSteady, requestLoop } from '../__tests__/testbed/reroute.ts'
import { webApp } from '../__tests__/testbed/web-app.ts'

const REPO = path.resolve(import.meta.dirname, '..')
const DIST = path.join(REPO, 'dist', 'index.js')
const SAMPLE = path.join(REPO, 'examples', 'sample-app')
const OUT = process.env.DEMO_DIR
const APPLICATION = 'sample-app'
const GROUP = 'sample-app-fleet'
const color = process.stdout.isTTY
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const heading = (text) => console.log(`\n${paint('1;36', `== ${text}`)}`)

if (!OUT) throw new Error('scripts/demo.mjs is started by scripts/demo.sh (npm run demo)')
// The bed's endpoints and admin API, as the tests reach them (throws when the bed is not running).
const b = bed()

/** The repository as a workflow sees it after `checkout` and the build step. */
function makeWorkspace() {
  const workspace = path.join(OUT, 'workspace')
  cpSync(path.join(SAMPLE, 'codedeploy'), path.join(workspace, 'codedeploy'), { recursive: true })
  cpSync(path.join(SAMPLE, 'build', 'libs'), path.join(workspace, 'build', 'libs'), {
    recursive: true
  })
  return workspace
}

/** The checkout's commit, as the runner's GITHUB_SHA; a fixed one outside a git clone. */
function headCommit() {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim()
  } catch {
    return '0123456789abcdef0123456789abcdef01234567'
  }
}

/** The runner's file-command format: `name<<DELIMITER` ... `DELIMITER`, or `name=value`. */
function readCommandFile(file) {
  const out = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const value = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i])
      out[heredoc[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

/** Shows a line of the action's output the way the runner's log view does (commands rendered). */
function render(line) {
  const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
  if (!command) return console.log(`  ${line}`)
  const [, name, props, message] = command
  const unescape = (text) => text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
  const title = /title=([^,]*)/.exec(props ?? '')?.[1]
  switch (name) {
    case 'group':
      return console.log(`  ${paint('1', `▼ ${unescape(message)}`)}`)
    case 'endgroup':
    case 'debug':
    case 'add-mask':
    case 'save-state':
    case 'set-output':
      return undefined
    case 'error':
    case 'warning':
    case 'notice': {
      const label = { error: '31', warning: '33', notice: '34' }[name]
      const head = `${name[0].toUpperCase()}${name.slice(1)}${title ? ` (${unescape(title)})` : ''}:`
      return console.log(`  ${paint(label, head)} ${unescape(message)}`)
    }
    default:
      return console.log(`  ${line}`)
  }
}

function runNode(env, cwd) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DIST], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let pending = ''
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop()
      for (const line of lines) render(line)
    })
    child.stderr.on('data', (chunk) => process.stderr.write(chunk))
    child.on('close', (code) => {
      if (pending) render(pending)
      resolve(code)
    })
  })
}

/** One job step running the action, main then post, as the runner does. */
async function runStep(runNumber, workspace, inputs) {
  const dir = path.join(OUT, `run-${runNumber}`)
  mkdirSync(path.join(dir, 'temp'), { recursive: true })
  const files = {
    GITHUB_OUTPUT: path.join(dir, 'outputs'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_STATE: path.join(dir, 'state')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/root',
    ...Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k.startsWith('AWS_') || k === 'TZ')
    ),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'octo-org/sample-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_NUMBER: String(runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_ID: String(9000000000 + runNumber),
    GITHUB_SHA: headCommit(),
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTION: 'deploy',
    RUNNER_TEMP: path.join(dir, 'temp'),
    ...files
  }
  // The runner upper-cases input names, turns spaces into _, keeps hyphens.
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value

  const started = Date.now()
  const code = await runNode(env, workspace)
  const state = readCommandFile(files.GITHUB_STATE)
  console.log(paint('2', '  Post step (runs after every job, as action.yml asks):'))
  const postEnv = { ...env }
  for (const [name, value] of Object.entries(state)) postEnv[`STATE_${name}`] = value
  await runNode(postEnv, workspace)
  return {
    code,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
    outputs: readCommandFile(files.GITHUB_OUTPUT),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    dir,
    files
  }
}

/** The demo group's instances, as the bed's admin API lists them (id, group, pid, agent, ...). */
async function groupInstances() {
  return (await instances(b)).filter((i) => i.group === GROUP)
}

/** One GET of /ip inside the instance's own network namespace: the answer, or why there was none. */
function askInstance(instance) {
  try {
    const answer = execFileSync(
      'nsenter',
      [
        '-t',
        String(instance.pid),
        '-n',
        'curl',
        '-sS',
        '--noproxy',
        '*',
        '--max-time',
        '10',
        'http://127.0.0.1:8080/ip'
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
    ).trim()
    return { answer, ok: true }
  } catch (err) {
    return { answer: `no answer (${String(err.stderr ?? err.message).trim()})`, ok: false }
  }
}

/**
 * Asks each simulated instance for /ip: proof the hooks left the service running. A busy machine
 * may be slow to answer, so no answer is asked again (3 tries, 1 s apart); a wrong version is not.
 */
async function askInstances() {
  const answers = []
  for (const instance of await groupInstances()) {
    let reply = askInstance(instance)
    for (let tries = 1; !reply.ok && tries < 3; tries++) {
      await new Promise((r) => setTimeout(r, 1000))
      reply = askInstance(instance)
    }
    console.log(`  ${instance.id}  GET :8080/ip -> ${reply.answer}`)
    answers.push(reply.answer)
  }
  return answers
}

function expectVersion(answers, version, when) {
  if (answers.length !== 2 || !answers.every((a) => a.includes(`version=${version}`)))
    failures.push(`${when}, not every instance answered with version ${version}`)
}

function showOutputs(run, names) {
  for (const name of names) console.log(`  ${name} = ${run.outputs[name] ?? ''}`)
}

function showSummary(run) {
  console.log(paint('2', `  --- job summary (${run.files.GITHUB_STEP_SUMMARY})`))
  for (const line of run.summary.trimEnd().split('\n')) console.log(`  │ ${line}`)
}

const inputs = {
  application: APPLICATION,
  'deployment-group': GROUP,
  bucket: b.bucket,
  source: 'codedeploy',
  files: 'build/libs/*.jar => application.jar\n!build/libs/*-plain.jar',
  'wait-timeout': '5'
}
// action.yml's defaults, which the runner would pass for inputs the workflow leaves out.
const actionYml = readFileSync(path.join(REPO, 'action.yml'), 'utf8')
for (const [name, spec] of Object.entries(parse(actionYml).inputs)) {
  if (!(name in inputs)) inputs[name] = spec.default ?? ''
}

const workspace = makeWorkspace()
const failures = []

// demo.fleet.yml says `agent: auto`: real when the bed found the agent's runner.
const realAgent = (await groupInstances()).every((i) => i.agent === 'real')
heading(`Deploying sample-app 1.0.0 to ${GROUP} (2 instances, one at a time)`)
console.log(
  realAgent
    ? `  The instances run the real CodeDeploy agent's code (1.8.1, local mode): ${process.env.TESTBED_AGENT_RUNNER}`
    : "  The instances run the bed's emulated CodeDeploy agent (the real one was not found: set CODEDEPLOY_LOCAL_RUNNER to its codedeploy-local to use it)"
)
console.log(
  paint('2', '  - uses: octo-org/codedeploy-s3-deploy-action@v1   (this checkout)\n    with:')
)
for (const name of ['application', 'deployment-group', 'bucket', 'source', 'files'])
  console.log(paint('2', `      ${name}: ${inputs[name].replace(/\n/g, '\n        ')}`))
const good = await runStep(1, workspace, inputs)
console.log(`\n  step exit code ${good.code}, ${good.seconds} s`)
showOutputs(good, [
  'deployment-id',
  'deployment-status',
  'bundle-uri',
  'bundle-etag',
  'bundle-version'
])
showSummary(good)
heading('The service runs on both instances (each in its own network namespace, same port)')
expectVersion(await askInstances(), '1.0.0', 'after the first deployment')
if (good.code !== 0 || good.outputs['deployment-status'] !== 'Succeeded')
  failures.push('the good revision did not deploy')

heading('Deploying a broken revision: SAMPLE_APP_HEALTH=fail makes ValidateService fail')
const env = path.join(workspace, 'codedeploy', 'app.env')
writeFileSync(
  env,
  readFileSync(env, 'utf8')
    .replace(/^SAMPLE_APP_HEALTH=.*$/m, 'SAMPLE_APP_HEALTH=fail')
    .replace(/^SAMPLE_APP_VERSION=.*$/m, 'SAMPLE_APP_VERSION=1.0.1-broken')
)
const broken = await runStep(2, workspace, inputs)
console.log(`\n  step exit code ${broken.code} (the job fails, as it should), ${broken.seconds} s`)
showOutputs(broken, [
  'deployment-id',
  'deployment-status',
  'rollback-deployment-id',
  'failed-instances'
])
showSummary(broken)
heading('After the automatic rollback, the instances serve 1.0.0 again')
expectVersion(await askInstances(), '1.0.0', 'after the rollback')
if (broken.code === 0) failures.push('the broken revision did not fail the step')
if (!broken.outputs['rollback-deployment-id']) failures.push('no rollback deployment was reported')

// ---- Act 2: blue/green behind the load balancer, the tutorial's own deployment group.
const WEB_APP = 'web-app'
const WEB_GROUP = 'web-bluegreen'
const listener = JSON.parse(process.env.TESTBED_TARGET_GROUPS ?? '{}')['web-tg']
if (!listener)
  throw new Error('TESTBED_TARGET_GROUPS names no web-tg: scripts/demo.fleet.yml defines it')

/** A workspace whose `web` folder is the web revision: `version` on /, `health` the status of /health. */
function webWorkspace(version, health) {
  const dir = path.join(OUT, `web-${version}`)
  for (const [name, text] of Object.entries(webApp(version, health))) {
    const file = path.join(dir, 'web', name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, text, {
      mode: /\.(sh|py)$/.test(name) && !name.startsWith('app/') ? 0o755 : 0o644
    })
  }
  return dir
}

// The request loop: bounded by more than any step that still ends takes (wait-timeout is 5
// minutes), so a verdict never rests on a loop that stopped before the deployment did; no pause
// between requests, so the switch is sampled as densely as one client can.
const LOOP = { maxMs: 10 * 60_000, pauseMs: 0 }

/** Shows what the loop saw and records each problem as a failure of the demo. */
function judge(what, verdict) {
  console.log(`  requests through the load balancer: ${verdict.line}`)
  for (const problem of verdict.problems) failures.push(`${what}: ${problem}`)
}

function webInputs(extra = {}) {
  return {
    ...inputs,
    application: WEB_APP,
    'deployment-group': WEB_GROUP,
    source: 'web',
    files: '',
    ...extra
  }
}

/** The Auto Scaling groups that have instances in the bed. */
async function groupsOfWebApp() {
  return new Set((await instances(b)).map((i) => i.autoScalingGroup).filter(Boolean))
}

heading(
  `Blue/green: ${WEB_APP} behind target group web-tg (${listener}), copying Auto Scaling group web-asg`
)
const v1 = await runStep(3, webWorkspace('v1', 200), webInputs())
if (v1.outputs['deployment-status'] !== 'Succeeded') failures.push('web-app v1 did not deploy')

heading('Deploying v2 blue/green while requests go through the load balancer')
let loop = requestLoop(listener, LOOP)
const v2 = await runStep(4, webWorkspace('v2', 200), webInputs())
// No failed request, first answer v1, last v2; both answer for a moment during the switch.
judge('blue/green v1 → v2', readReroute(await loop.stop(), 'v1', 'v2'))
showOutputs(v2, ['deployment-id', 'deployment-status'])
if (v2.outputs['deployment-status'] !== 'Succeeded') failures.push('web-app v2 did not deploy')

heading(
  'Deploying v3, whose /health answers 500: AllowTraffic fails, failed-replacement-fleet: delete'
)
loop = requestLoop(listener, LOOP)
const v3 = await runStep(
  5,
  webWorkspace('v3', 500),
  webInputs({ 'failed-replacement-fleet': 'delete' })
)
judge('the failed v3 deployment', readSteady(await loop.stop(), 'v2'))
showOutputs(v3, [
  'deployment-id',
  'deployment-status',
  'deleted-replacement-fleet',
  'failed-instances'
])
const deleted = v3.outputs['deleted-replacement-fleet']
if (v3.code === 0) failures.push('the unhealthy revision did not fail the step')
const groupsNow = await groupsOfWebApp()
if (!deleted || groupsNow.has(deleted))
  failures.push('the failed replacement Auto Scaling group was not deleted')
else console.log(`  Auto Scaling groups now: ${[...groupsNow].join(', ')} (${deleted} is gone)`)

heading('Files')
for (const run of [good, broken, v1, v2, v3]) {
  console.log(`  run ${path.basename(run.dir)}: summary ${run.files.GITHUB_STEP_SUMMARY}`)
  console.log(
    `  ${' '.repeat(path.basename(run.dir).length + 5)}outputs ${run.files.GITHUB_OUTPUT}`
  )
}
if (failures.length) {
  console.log(paint('31', `\nThe demo did not go as expected: ${failures.join('; ')}.`))
  process.exit(1)
}
console.log(
  paint(
    '32',
    `\nDemo done: a deployment that succeeded, one that failed, explained and rolled back (${realAgent ? 'by the real CodeDeploy agent' : 'by the emulated agent'}); blue/green with no failed request, and a failed replacement fleet deleted.`
  )
)
