// One deployment on one instance, the way the CodeDeploy agent runs it: lifecycle events in
// order, revision downloaded and unpacked with the system tar/unzip, then the appspec's files
// installed (install.ts) and its hooks run (hooks.ts). Failures carry the agent's error codes
// and words.
import { setTimeout as sleep } from 'node:timers/promises'
import { cp, mkdir, rm, readdir, lstat, stat } from 'node:fs/promises'
import path from 'node:path'
import { BundleError, type BundleStore } from '../bundles.ts'
import type { InstanceHost } from '../instances.ts'
import { runOnHost } from '../process-runner.ts'
import type { Diagnostics } from '../../codedeploy/model.ts'
import {
  IN_PLACE_EVENTS,
  PREVIOUS_REVISION_EVENTS,
  SERVICE_EVENTS,
  type AgentReporter,
  type AgentSpec
} from './agent.ts'
import { AgentFailure } from './failure.ts'
import { runHooks } from './hooks.ts'
import { install } from './install.ts'
import { AgentWorkspace, exists } from './workspace.ts'

const ARCHIVES_TO_RETAIN = 5

const succeeded = (logTail: string): Diagnostics => ({
  errorCode: 'Success',
  scriptName: '',
  message: 'Succeeded',
  logTail
})

// tar, unzip and mv on the host, through the bed's process runner (no fork of the emulator).
const exec = runOnHost

export class Agent extends AgentWorkspace {
  private readonly bundles: BundleStore

  constructor(host: InstanceHost, bundles: BundleStore, spec: AgentSpec) {
    super(host, spec)
    this.bundles = bundles
  }

  // Runs every event; returns the instance's final status.
  async run(
    report: AgentReporter,
    events: string[] = IN_PLACE_EVENTS
  ): Promise<'Succeeded' | 'Failed' | 'Stopped'> {
    for (const event of events) {
      if (report.stopRequested()) return 'Stopped'
      // BlockTraffic and AllowTraffic are the service's own: no agent picks them up.
      const service = SERVICE_EVENTS.includes(event)
      if (!service) {
        // Each event is a host command the agent polls for: a stopped agent (even one stopped
        // while the previous event ran, which it finished) leaves this one Pending.
        const agent = await report.awaitAgent(event)
        if (agent === 'stopped') return 'Stopped'
        if (agent === 'timed-out') return 'Failed'
      }
      report.started(event)
      if (!service && this.spec.hang) {
        while (!report.stopRequested()) await sleep(200)
        return 'Stopped'
      }
      try {
        const log = service ? await report.traffic!(event) : await this.runEvent(event)
        report.finished(event, 'Succeeded', succeeded(log))
      } catch (e) {
        const f =
          e instanceof AgentFailure
            ? e
            : new AgentFailure('UnknownError', (e as Error).message ?? String(e))
        const diagnostics = {
          errorCode: f.code,
          scriptName: f.scriptName,
          message: f.message,
          logTail: f.log
        }
        if (PREVIOUS_REVISION_EVENTS.includes(event) && this.spec.ignoreApplicationStopFailures) {
          report.finished(event, 'Succeeded', diagnostics)
          continue
        }
        report.finished(event, 'Failed', diagnostics)
        return 'Failed'
      }
    }
    return 'Succeeded'
  }

  private async runEvent(event: string): Promise<string> {
    switch (event) {
      case 'ApplicationStop':
      case 'BeforeBlockTraffic':
      case 'AfterBlockTraffic':
        return this.previousRevisionHooks(event)
      case 'DownloadBundle':
        await this.downloadBundle()
        return ''
      case 'Install':
        await install(this)
        return ''
      case 'BeforeAllowTraffic':
      case 'AfterAllowTraffic':
        // A deployment that installed nothing here (a blue/green rollback allowing the original
        // instances again) runs the scripts of the revision installed here.
        if (!(await exists(await this.host.hostPath(`${this.deploymentRoot}/deployment-archive`))))
          return this.previousRevisionHooks(event)
        return runHooks(this, event, this.deploymentRoot)
      default:
        return runHooks(this, event, this.deploymentRoot)
    }
  }

  // ApplicationStop, BeforeBlockTraffic and AfterBlockTraffic run the scripts of the last
  // revision installed here, if any.
  private async previousRevisionHooks(event: string): Promise<string> {
    const last = (await this.readHost(this.lastInstallFile))?.trim()
    if (!last || !(await exists(await this.host.hostPath(`${last}/deployment-archive`)))) return ''
    return runHooks(this, event, last)
  }

  private async downloadBundle(): Promise<void> {
    await this.cleanupOldArchives()
    // The agent's GetObject raised Aws::S3::Errors::AccessDenied: any exception but a ScriptError
    // becomes UnknownError with its message and no log (command_poller.rb).
    if (this.spec.bundleDenied) throw new AgentFailure('UnknownError', this.spec.bundleDenied)
    let file: string
    try {
      file = await this.bundles.fetch(this.spec.revision)
    } catch (e) {
      throw new AgentFailure('UnknownError', e instanceof BundleError ? e.message : String(e))
    }
    const archive = await this.host.hostPath(`${this.deploymentRoot}/deployment-archive`)
    await rm(archive, { recursive: true, force: true })
    await mkdir(archive, { recursive: true })
    if (this.host.isolation === 'shared') {
      // Large fleets: one system unpack per revision, then a copy per instance (same result,
      // without a tar process for each of a thousand instances).
      const unpacked = await this.bundles.extracted(file, (dir) => this.unpack(file, dir))
      await cp(unpacked, archive, {
        recursive: true,
        preserveTimestamps: true,
        verbatimSymlinks: true
      })
    } else {
      await this.unpack(file, archive)
    }
    await this.stripLeadingDirectory(archive)
  }

  // As the agent: tgz with `tar -zxpsf`, tar with `tar -xpsf`, zip with `unzip -qo`.
  private async unpack(file: string, dir: string): Promise<void> {
    const type = this.spec.revision.bundleType ?? 'tar'
    if (type === 'zip') {
      const r = await exec(['unzip', '-qo', file, '-d', dir], dir)
      if (r.code !== 0)
        throw new AgentFailure('UnknownError', `Extracting zip archive failed: ${r.output.trim()}`)
    } else {
      const r = await exec(['tar', type === 'tgz' ? '-zxpsf' : '-xpsf', file], dir)
      if (r.code !== 0)
        throw new AgentFailure('UnknownError', `Error extracting tar archive: ${r.output.trim()}`)
    }
  }

  // A bundle made with `tar -czf b.tgz ./dist` has one folder at its root holding the appspec:
  // the agent moves that folder's contents up.
  private async stripLeadingDirectory(archive: string): Promise<void> {
    const entries = await readdir(archive)
    if (entries.length !== 1) return
    const only = path.join(archive, entries[0]!)
    const st = await lstat(only)
    if (!st.isDirectory()) return
    if (!(await readdir(only)).some((n) => /appspec/i.test(n))) return
    const temp = `${archive}-temp`
    await rm(temp, { recursive: true, force: true })
    await exec(['mv', archive, temp], '/')
    await exec(['mv', path.join(temp, entries[0]!), archive], '/')
    await rm(temp, { recursive: true, force: true })
  }

  private async cleanupOldArchives(): Promise<void> {
    const groupDir = await this.host.hostPath(this.groupRoot)
    let names: string[]
    try {
      names = await readdir(groupDir)
    } catch {
      return
    }
    const extra = names.length - ARCHIVES_TO_RETAIN
    if (extra <= 0) return
    const last = (await this.readHost(this.lastInstallFile))?.trim()
    const candidates = []
    for (const n of names) {
      if (last && `${this.groupRoot}/${n}` === last) continue
      candidates.push({ n, mtime: (await stat(path.join(groupDir, n))).mtimeMs })
    }
    candidates.sort((a, b) => a.mtime - b.mtime)
    for (const c of candidates.slice(0, extra))
      await rm(path.join(groupDir, c.n), { recursive: true, force: true })
  }
}
