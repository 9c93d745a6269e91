// One deployment on one instance by the REAL CodeDeploy agent: agent 1.8.1's local mode
// (codedeploy-local) run inside the instance's namespaces, for groups declared `agent: real`.
// The bed fetches the revision from S3 as the emulated agent does (same eTag check and words),
// places it in the instance, runs the agent on it and reports each lifecycle event live from
// what the agent's own code does, through agent-probe.rb (see there for why a probe).
import { setTimeout as sleep } from 'node:timers/promises'
import { copyFile, lstat, mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { IN_PLACE_EVENTS, type AgentReporter, type AgentSpec } from './agent.ts'
import type { BundleStore } from '../bundles.ts'
import type { InstanceHost } from '../instances.ts'
import { BASE_ENV } from './workspace.ts'
import type { Diagnostics, LifecycleErrorCode } from '../../codedeploy/model.ts'

type Outcome = 'Succeeded' | 'Failed' | 'Stopped'

// CODEDEPLOY_LOCAL_ROOT inside the instance: deployments land in
// /opt/codedeploy-agent/deployment-root/<group id>/<deployment id>, as the emulated agent's do.
const LOCAL_ROOT = '/opt/codedeploy-agent'
// The bed's own files in the instance: the probe and the bundle of the running deployment.
const WORK_DIR = `${LOCAL_ROOT}/testbed`
const PROBE = path.join(import.meta.dirname, 'agent-probe.rb')
const PROBE_MARK = 'testbed-agent-event '
// The agent service's environment, which its hooks inherit (RUBYOPT excepted: the probe drops it).
const AGENT_ENV = {
  ...BASE_ENV,
  CODEDEPLOY_LOCAL_ROOT: LOCAL_ROOT,
  RUBYOPT: `-r${WORK_DIR}/agent-probe.rb`
}
// Every hook is bounded by its own appspec timeout (at most 3600 s); this only bounds an agent
// that hangs outside its hooks.
const BACKSTOP_MS = 8 * 3600 * 1000
// The agent's ScriptError codes (hook_executor.rb), as CodeDeploy names them in a lifecycle
// event's diagnostics; any other code is UnknownError too.
const SCRIPT_ERROR_CODES: Record<number, LifecycleErrorCode> = {
  1: 'ScriptMissing',
  2: 'ScriptNotExecutable',
  3: 'ScriptTimedOut',
  4: 'ScriptFailed',
  5: 'UnknownError',
  // OUTPUTS_LEFT_OPEN_CODE: the script exited but a process it left held its STDOUT or STDERR
  // open at the deadline ("failed to close STDOUT"). LifecycleErrorCode has no value for it.
  6: 'UnknownError'
}
// The first line of an exception Ruby prints on exit ("file:12:in `method': MESSAGE (Class)"),
// or codedeploy-local's own "ERROR: MESSAGE" for the errors its command line catches.
const RUBY_EXCEPTION = /:in [`'][^']*': (.*) \([A-Z][\w:]*\)$/
const CLI_ERROR = /^ERROR: (.*)$/

interface ProbeLine {
  event: string
  phase: 'start' | 'end' | 'error'
  log?: string
  message?: string
  errorCode?: number
  scriptName?: string
}

function unknownError(message: string): Diagnostics {
  return { errorCode: 'UnknownError', scriptName: '', message, logTail: '' }
}

// Turns one run's output into reports: probe lines become started/finished events as they come,
// anything else is kept for the message of a failure the probe did not see.
class AgentOutput {
  current?: string
  failed = false
  applicationStopIgnored = false
  private readonly started = new Set<string>()
  private readonly other: string[] = []
  private readonly report: AgentReporter
  private readonly ignoreApplicationStopFailures: boolean

  constructor(report: AgentReporter, ignoreApplicationStopFailures: boolean) {
    this.report = report
    this.ignoreApplicationStopFailures = ignoreApplicationStopFailures
  }

  line(prefixed: string): void {
    // InstanceHost.run prefixes [stdout] / [stderr], as the agent's script log does.
    const text = prefixed.slice('[stdout]'.length).replace(/\r?\n$/, '')
    if (!text.startsWith(PROBE_MARK)) {
      this.keep(text)
      return
    }
    let p: ProbeLine
    try {
      p = JSON.parse(text.slice(PROBE_MARK.length)) as ProbeLine
    } catch {
      // Not the probe's (it prints whole JSON lines): kept as output rather than crash.
      this.keep(text)
      return
    }
    // Traffic events are not asked for (-e); anything else the bed does not model is ignored.
    if (!IN_PLACE_EVENTS.includes(p.event)) return
    if (p.phase === 'start') {
      this.current = p.event
      this.started.add(p.event)
      this.report.started(p.event)
      return
    }
    this.current = undefined
    if (p.phase === 'end') {
      this.report.finished(p.event, 'Succeeded', {
        errorCode: 'Success',
        scriptName: '',
        message: 'Succeeded',
        logTail: p.log ?? ''
      })
      return
    }
    const diagnostics: Diagnostics = {
      errorCode: (p.errorCode !== undefined && SCRIPT_ERROR_CODES[p.errorCode]) || 'UnknownError',
      scriptName: p.scriptName ?? '',
      message: (p.message ?? '').split('\n')[0]!,
      logTail: p.log ?? ''
    }
    if (p.event === 'ApplicationStop' && this.ignoreApplicationStopFailures) {
      this.applicationStopIgnored = true
      this.report.finished(p.event, 'Succeeded', diagnostics)
    } else {
      this.failed = true
      this.report.finished(p.event, 'Failed', diagnostics)
    }
  }

  // The runner's own output (a Ruby backtrace at most): the last 200 lines are plenty.
  private keep(text: string): void {
    this.other.push(text)
    if (this.other.length > 200) this.other.shift()
  }

  // The agent ended without the probe reporting a failure: the running event, else the next one
  // not started, fails with the agent's printed error.
  failUnseen(events: string[], fallback: string): void {
    const message =
      this.other.map((l) => RUBY_EXCEPTION.exec(l) ?? CLI_ERROR.exec(l)).find((m) => m)?.[1] ??
      `${fallback}; its last output: ${this.other.filter((l) => l.trim()).at(-1) ?? '(none)'}`
    const event = this.current ?? events.find((e) => !this.started.has(e)) ?? events.at(-1)!
    if (!this.current) this.report.started(event)
    this.report.finished(event, 'Failed', unknownError(message))
    this.failed = true
  }
}

export class RealAgent {
  private readonly host: InstanceHost
  private readonly bundles: BundleStore
  private readonly spec: AgentSpec
  private readonly runner: string

  constructor(host: InstanceHost, bundles: BundleStore, spec: AgentSpec, runner: string) {
    this.host = host
    this.bundles = bundles
    this.spec = spec
    this.runner = runner
  }

  // Runs the deployment; returns the instance's final status.
  async run(report: AgentReporter): Promise<Outcome> {
    if (report.stopRequested()) return 'Stopped'
    // One codedeploy-local run does every event, so the agent's state is looked at once, before
    // the first: stopping it during the run takes effect for the next deployment only.
    const agent = await report.awaitAgent(IN_PLACE_EVENTS[0]!)
    if (agent === 'stopped') return 'Stopped'
    if (agent === 'timed-out') return 'Failed'
    if (this.spec.hang) {
      // The hangDeployments fault holds the first event until StopDeployment, as for the emulated agent.
      report.started(IN_PLACE_EVENTS[0]!)
      while (!report.stopRequested()) await sleep(200)
      return 'Stopped'
    }
    let bundle: string
    try {
      bundle = await this.placeFiles()
    } catch (e) {
      // Before the agent starts, so its ApplicationStop has not run (it ends Skipped).
      report.started('DownloadBundle')
      report.finished('DownloadBundle', 'Failed', unknownError((e as Error).message))
      return 'Failed'
    }
    try {
      return await this.runAgent(bundle, IN_PLACE_EVENTS, report)
    } finally {
      await rm(await this.host.hostPath(bundle), { force: true })
    }
  }

  // The revision fetched as the emulated agent's DownloadBundle does (BundleStore: version,
  // eTag, S3's words), copied into the instance with the probe. Returns its path there.
  private async placeFiles(): Promise<string> {
    const type = this.spec.revision.bundleType ?? 'tar'
    if (type !== 'tar' && type !== 'tgz' && type !== 'zip')
      throw new Error(`bundleType ${type}: the real agent deploys tar, tgz or zip revisions`)
    try {
      await lstat(await this.host.hostPath(this.runner))
    } catch {
      throw new Error(
        `the real agent's runner ${this.runner} is not visible inside instance ${this.host.id}: instances see only the host's root file system, so install the agent there (install.sh's default, ~/.cache, is)`
      )
    }
    if (this.spec.bundleDenied) throw new Error(this.spec.bundleDenied)
    const file = await this.bundles.fetch(this.spec.revision)
    const dir = await this.host.hostPath(WORK_DIR)
    await mkdir(dir, { recursive: true })
    await copyFile(PROBE, path.join(dir, 'agent-probe.rb'))
    const bundle = `${WORK_DIR}/${this.spec.deploymentId}.${type}`
    await copyFile(file, await this.host.hostPath(bundle))
    return bundle
  }

  private async runAgent(
    bundle: string,
    events: string[],
    report: AgentReporter
  ): Promise<Outcome> {
    const s = this.spec
    const argv = [
      this.runner,
      '-l',
      bundle,
      '-t',
      path.extname(bundle).slice(1),
      '-g',
      s.groupId,
      '-a',
      s.applicationName,
      '-d',
      s.groupName,
      // The in-place events only: local mode's default list also runs the traffic events' hooks.
      '-e',
      events.join(','),
      ...(s.fileExistsBehavior ? ['-b', s.fileExistsBehavior] : [])
    ]
    const out = new AgentOutput(report, s.ignoreApplicationStopFailures)
    const stop = new AbortController()
    const watch = setInterval(() => report.stopRequested() && stop.abort(), 200)
    const result = await this.host
      .run(argv, {
        cwd: '/',
        env: AGENT_ENV,
        timeoutMs: BACKSTOP_MS,
        onLine: (line) => out.line(line),
        signal: stop.signal
      })
      .finally(() => clearInterval(watch))
    if (stop.signal.aborted) {
      if (out.current) {
        report.finished(
          out.current,
          'Failed',
          unknownError('The deployment was stopped: the test bed ended the agent during this event')
        )
      }
      return 'Stopped'
    }
    // codedeploy-local has no ignoreApplicationStopFailures: the bed goes on as CodeDeploy would,
    // with a second run of the agent from DownloadBundle (a new local deployment id).
    if (out.applicationStopIgnored && !out.failed) {
      return this.runAgent(
        bundle,
        events.filter((e) => e !== 'ApplicationStop'),
        report
      )
    }
    if (out.failed) return 'Failed'
    if (result.exitCode === 0 && !result.timedOut) return 'Succeeded'
    out.failUnseen(
      events,
      result.timedOut
        ? `the real agent did not finish within ${BACKSTOP_MS / 3600_000} hours`
        : `codedeploy-local exited with ${result.exitCode}`
    )
    return 'Failed'
  }
}
