// One deployment on one instance, the way the CodeDeploy agent runs it: lifecycle events in
// order, revision downloaded and unpacked with the system tar/unzip, appspec parsed with the
// agent's rules, files installed with its cleanup and file-exists rules, hooks run with its
// environment, timeouts and log tail. Failures carry the agent's error codes and words.
import {
  cp,
  readFile,
  writeFile,
  mkdir,
  rm,
  readdir,
  lstat,
  stat,
  chmod,
  copyFile,
  utimes,
  symlink,
  readlink,
  unlink,
  rmdir,
  access,
  open
} from 'node:fs/promises'
import { constants } from 'node:fs'
import { spawn } from 'node:child_process'
import path from 'node:path'
import {
  parseAppSpec,
  unknownLifecycleEvents,
  rubyInspect,
  AppSpecError,
  type AppSpec,
  type FileExistsBehavior
} from './appspec.ts'
import { ScriptLog } from './script-log.ts'
import { BundleError, type BundleStore } from './bundles.ts'
import type { InstanceHost } from './instances.ts'
import type { Diagnostics, EventStatus, LifecycleErrorCode, S3Location } from './model.ts'

export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
]

const AGENT_ROOT = '/opt/codedeploy-agent/deployment-root'
const ARCHIVES_TO_RETAIN = 5
const BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8'
}

export interface AgentSpec {
  deploymentId: string
  applicationName: string
  groupName: string
  groupId: string
  revision: S3Location
  fileExistsBehavior?: FileExistsBehavior
  ignoreApplicationStopFailures: boolean
  hang: boolean
}

export interface AgentReporter {
  started(event: string): void
  finished(event: string, status: EventStatus, diagnostics: Diagnostics): void
  stopRequested(): boolean
}

// Every instance of a fleet reads the same appspec text: parse it once (specs are read-only).
const parsedAppSpecs = new Map<string, AppSpec>()

class AgentFailure extends Error {
  readonly code: LifecycleErrorCode
  readonly scriptName: string
  readonly log: string

  constructor(code: LifecycleErrorCode, message: string, scriptName = '', log = '') {
    super(message)
    this.code = code
    this.scriptName = scriptName
    this.log = log
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p)
    return true
  } catch {
    return false
  }
}

function exec(argv: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', (e) => resolve({ code: null, output: e.message }))
    child.on('close', (code) => resolve({ code, output }))
  })
}

export class Agent {
  private readonly host: InstanceHost
  private readonly bundles: BundleStore
  private readonly spec: AgentSpec

  constructor(host: InstanceHost, bundles: BundleStore, spec: AgentSpec) {
    this.host = host
    this.bundles = bundles
    this.spec = spec
  }

  private get groupRoot(): string {
    return `${AGENT_ROOT}/${this.spec.groupId}`
  }
  private get deploymentRoot(): string {
    return `${this.groupRoot}/${this.spec.deploymentId}`
  }
  private get instructionsDir(): string {
    return `${AGENT_ROOT}/deployment-instructions`
  }
  private get lastInstallFile(): string {
    return `${this.instructionsDir}/${this.spec.groupId}_last_successful_install`
  }
  private get cleanupFile(): string {
    return `${this.instructionsDir}/${this.spec.groupId}-cleanup`
  }

  // Runs every event; returns the instance's final status.
  async run(report: AgentReporter): Promise<'Succeeded' | 'Failed' | 'Stopped'> {
    for (const event of IN_PLACE_EVENTS) {
      if (report.stopRequested()) return 'Stopped'
      report.started(event)
      if (this.spec.hang) {
        while (!report.stopRequested()) await new Promise((r) => setTimeout(r, 200))
        return 'Stopped'
      }
      try {
        const log = await this.runEvent(event)
        report.finished(event, 'Succeeded', {
          errorCode: 'Success',
          scriptName: '',
          message: 'Succeeded',
          logTail: log
        })
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
        if (event === 'ApplicationStop' && this.spec.ignoreApplicationStopFailures) {
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
        return this.applicationStop()
      case 'DownloadBundle':
        await this.downloadBundle()
        return ''
      case 'Install':
        await this.install()
        return ''
      default:
        return this.runHooks(event, this.deploymentRoot)
    }
  }

  private async readHost(viewPath: string): Promise<string | undefined> {
    try {
      return await readFile(await this.host.hostPath(viewPath), 'utf8')
    } catch {
      return undefined
    }
  }

  // ApplicationStop runs the scripts of the last revision installed here, if any.
  private async applicationStop(): Promise<string> {
    const last = (await this.readHost(this.lastInstallFile))?.trim()
    if (!last || !(await exists(await this.host.hostPath(`${last}/deployment-archive`)))) return ''
    return this.runHooks('ApplicationStop', last)
  }

  private async downloadBundle(): Promise<void> {
    await this.cleanupOldArchives()
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

  private async appSpec(deploymentRoot: string): Promise<AppSpec> {
    const archive = `${deploymentRoot}/deployment-archive`
    const text = await this.readHost(`${archive}/appspec.yml`)
    if (text === undefined) {
      const a = this.host.viewPath(archive)
      throw new AgentFailure(
        'UnknownError',
        `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "${a}", and the AppSpec file was expected but not found at path "${a}/appspec.yml". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html`
      )
    }
    const known = parsedAppSpecs.get(text)
    if (known) return known
    try {
      const spec = parseAppSpec(text)
      if (parsedAppSpecs.size > 100) parsedAppSpecs.clear()
      parsedAppSpecs.set(text, spec)
      return spec
    } catch (e) {
      if (e instanceof AppSpecError) throw new AgentFailure('UnknownError', e.message)
      throw e
    }
  }

  private hookEnv(event: string): Record<string, string> {
    const r = this.spec.revision
    return {
      ...BASE_ENV,
      LIFECYCLE_EVENT: event,
      DEPLOYMENT_ID: this.spec.deploymentId,
      APPLICATION_NAME: this.spec.applicationName,
      DEPLOYMENT_GROUP_NAME: this.spec.groupName,
      DEPLOYMENT_GROUP_ID: this.spec.groupId,
      BUNDLE_BUCKET: r.bucket,
      BUNDLE_KEY: r.key,
      ...(r.version ? { BUNDLE_VERSION: r.version } : {}),
      ...(r.eTag ? { BUNDLE_ETAG: r.eTag } : {})
    }
  }

  // The agent's HookExecutor for one event, run from `deploymentRoot`'s unpacked archive.
  private async runHooks(event: string, deploymentRoot: string): Promise<string> {
    const spec = await this.appSpec(deploymentRoot)
    const scripts = spec.hooks.get(event) ?? []
    if (scripts.length === 0) return ''
    const log = new ScriptLog()
    const archiveView = this.host.viewPath(`${deploymentRoot}/deployment-archive`)
    log.append(`LifecycleEvent - ${event}\n`)
    for (const script of scripts) {
      const viewScript = path.posix.join(archiveView, script.location)
      const hostScript = await this.host.hostPath(
        path.posix.join(`${deploymentRoot}/deployment-archive`, script.location)
      )
      if (!(await exists(hostScript))) {
        throw new AgentFailure(
          'ScriptMissing',
          `Script does not exist at specified location: ${viewScript}`,
          script.location,
          log.text()
        )
      }
      try {
        await access(hostScript, constants.X_OK)
      } catch {
        try {
          const mode = (await stat(hostScript)).mode
          await chmod(hostScript, mode | 0o111)
        } catch {
          throw new AgentFailure(
            'ScriptNotExecutable',
            `Unable to set script at specified location: ${script.location} as executable`,
            script.location,
            log.text()
          )
        }
      }
      log.append(`Script - ${script.location}\n`)
      const argv = await this.scriptCommand(hostScript, viewScript, script.runas)
      if (typeof argv === 'string') {
        throw new AgentFailure(
          'ScriptFailed',
          `Script at specified location: ${script.location} failed with error Errno::ENOENT with message No such file or directory - ${argv}`,
          script.location,
          log.text()
        )
      }
      const result = await this.host.run(argv, {
        cwd: archiveView,
        env: this.hookEnv(event),
        timeoutMs: script.timeout * 1000,
        onLine: (line) => log.append(line)
      })
      if (result.timedOut) {
        throw new AgentFailure(
          'ScriptTimedOut',
          `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`,
          script.location,
          log.text()
        )
      }
      if (result.spawnError) {
        throw new AgentFailure(
          'ScriptFailed',
          `Script at specified location: ${script.location} failed with error ${result.spawnError}`,
          script.location,
          log.text()
        )
      }
      if (result.exitCode !== 0) {
        const who = script.runas
          ? `${script.location} run as user ${script.runas}`
          : script.location
        throw new AgentFailure(
          'ScriptFailed',
          `Script at specified location: ${who} failed with exit code ${result.exitCode ?? ''}`,
          script.location,
          log.text()
        )
      }
    }
    return log.text()
  }

  // The command the agent's exec ends up running. Without "#!" the kernel refuses the file and
  // Ruby falls back to /bin/sh; a "#!" naming a missing interpreter (a CRLF line, say) fails with
  // ENOENT, returned here as the script's path.
  private async scriptCommand(
    hostScript: string,
    viewScript: string,
    runas?: string
  ): Promise<string[] | string> {
    const fh = await open(hostScript, 'r')
    const buf = Buffer.alloc(256)
    const { bytesRead } = await fh.read(buf, 0, 256, 0)
    await fh.close()
    const head = buf.subarray(0, bytesRead).toString('latin1')
    let argv = [viewScript]
    if (!head.startsWith('#!')) {
      argv = ['/bin/sh', viewScript]
    } else {
      const line = head.slice(2).split('\n')[0]!
      const interpreter = line.trim().split(/[ \t]+/)[0] ?? ''
      if (
        line.includes('\r') ||
        !interpreter ||
        !(await exists(await this.host.programPath(interpreter)))
      ) {
        return viewScript
      }
    }
    return runas
      ? [
          'su',
          runas,
          '-s',
          '/bin/sh',
          '-c',
          argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
        ]
      : argv
  }

  // The agent's Installer: remove what the group's last install copied, then copy the files
  // section, honouring fileExistsBehavior, recording what it creates for the next cleanup.
  private async install(): Promise<void> {
    const spec = await this.appSpec(this.deploymentRoot)
    const unknown = unknownLifecycleEvents(spec)
    if (unknown.length > 0) {
      throw new AgentFailure(
        'UnknownError',
        `appspec.yml file contains unknown lifecycle events: ${rubyInspect(unknown)}`
      )
    }
    const behavior = this.spec.fileExistsBehavior ?? spec.fileExistsBehavior ?? 'DISALLOW'
    await this.removePreviousInstall()
    const archive = `${this.deploymentRoot}/deployment-archive`
    const plan: { op: 'mkdir' | 'copy'; source?: string; destination: string }[] = []
    const planned = new Set<string>()
    const willExist = async (p: string): Promise<boolean> =>
      planned.has(p) || exists(await this.host.hostPath(p))
    const mkdirs = async (destination: string): Promise<void> => {
      const missing: string[] = []
      let parent = path.posix.dirname(destination)
      while (parent !== '/' && parent !== '.' && !(await willExist(parent))) {
        missing.unshift(parent)
        parent = path.posix.dirname(parent)
      }
      for (const d of missing) {
        plan.push({ op: 'mkdir', destination: d })
        planned.add(d)
      }
    }
    const copy = async (source: string, destination: string): Promise<void> => {
      if (await exists(await this.host.hostPath(destination))) {
        if (behavior === 'DISALLOW') {
          throw new AgentFailure(
            'UnknownError',
            `The deployment failed because a specified file already exists at this location: ${destination}`
          )
        }
        if (behavior === 'RETAIN') return
      }
      plan.push({ op: 'copy', source, destination })
      planned.add(destination)
    }
    const copyDirectory = async (source: string, destination: string): Promise<void> => {
      if (!(await willExist(destination))) {
        plan.push({ op: 'mkdir', destination })
        planned.add(destination)
      }
      for (const entry of (await readdir(await this.host.hostPath(source))).sort()) {
        const s = `${source}/${entry}`
        const st = await lstat(await this.host.hostPath(s))
        if (st.isDirectory()) await copyDirectory(s, path.posix.join(destination, entry))
        else await copy(s, path.posix.join(destination, entry))
      }
    }
    for (const f of spec.files) {
      const source = path.posix.join(archive, f.source)
      const hostSource = await this.host.hostPath(source)
      const st = await lstat(hostSource).catch(() => undefined)
      if (st?.isDirectory()) {
        await mkdirs(f.destination)
        await copyDirectory(source.replace(/\/$/, ''), f.destination)
      } else {
        const destination = path.posix.join(f.destination, path.posix.basename(source))
        await mkdirs(destination)
        await copy(source, destination)
      }
    }
    const record: string[] = []
    try {
      for (const step of plan) {
        const dest = await this.host.hostPath(step.destination)
        if (step.op === 'mkdir') {
          await mkdir(dest)
        } else {
          const src = await this.host.hostPath(step.source!)
          const st = await lstat(src)
          await rm(dest, { force: true })
          if (st.isSymbolicLink()) {
            await symlink(await readlink(src), dest)
          } else {
            await copyFile(src, dest)
            await chmod(dest, st.mode & 0o7777)
            await utimes(dest, st.atime, st.mtime)
          }
        }
        record.push(step.destination)
      }
    } finally {
      const instructions = await this.host.hostPath(this.instructionsDir)
      await mkdir(instructions, { recursive: true })
      await writeFile(
        await this.host.hostPath(this.cleanupFile),
        record.map((r) => `${r}\n`).join('')
      )
    }
    await writeFile(await this.host.hostPath(this.lastInstallFile), this.deploymentRoot)
  }

  private async removePreviousInstall(): Promise<void> {
    const text = await this.readHost(this.cleanupFile)
    if (text === undefined) return
    for (const entry of text.split('\n').filter(Boolean).reverse()) {
      const p = await this.host.hostPath(entry)
      const st = await lstat(p).catch(() => undefined)
      if (!st) continue
      if (st.isDirectory()) await rmdir(p).catch(() => undefined)
      else await unlink(p).catch(() => undefined)
    }
    await unlink(await this.host.hostPath(this.cleanupFile))
  }
}
