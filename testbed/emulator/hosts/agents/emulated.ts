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
  chown,
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
import path from 'node:path'
import {
  parseAppSpec,
  unknownLifecycleEvents,
  rubyInspect,
  AppSpecError,
  type AppSpec,
  type AceEntry,
  type FileExistsBehavior,
  type HookScript,
  type Permission
} from '../appspec/appspec.ts'
import { ScriptLog } from './script-log.ts'
import { BundleError, type BundleStore } from '../bundles.ts'
import { runOnHost, type InstanceHost } from '../instances.ts'
import type {
  Diagnostics,
  EventStatus,
  LifecycleErrorCode,
  S3Location
} from '../../codedeploy/model.ts'

export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
]

// With a load balancer: CodeDeploy blocks an instance's traffic before it stops the application
// and allows it after ValidateService (in place), or allows it on the replacement (green)
// instances and blocks it on the original (blue) ones (blue/green). BlockTraffic and AllowTraffic
// are the service's own work (deregistering, registering, waiting on health checks); the hooks
// around them are the agent's.
export const BLOCK_TRAFFIC_EVENTS = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic']
export const ALLOW_TRAFFIC_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']
export const SERVICE_EVENTS = ['BlockTraffic', 'AllowTraffic']
// Events whose scripts come from the revision last installed on the instance, and whose failure
// ignoreApplicationStopFailures ignores (CodeDeploy's DeploymentInfo documentation).
const PREVIOUS_REVISION_EVENTS = ['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic']

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
  // Resolves when the instance's agent would pick up this event's host command: 'go' once it runs
  // (at once when it is running), 'timed-out' when CodeDeploy gave up waiting (the service has
  // then recorded the event's failure), 'stopped' on StopDeployment.
  awaitAgent(event: string): Promise<'go' | 'timed-out' | 'stopped'>
  started(event: string): void
  finished(event: string, status: EventStatus, diagnostics: Diagnostics): void
  stopRequested(): boolean
  // BlockTraffic and AllowTraffic, which the service runs itself: resolves with the event's log,
  // or throws an Error whose message is the event's diagnostics.
  traffic?(event: string): Promise<string>
}

const succeeded = (logTail: string): Diagnostics => ({
  errorCode: 'Success',
  scriptName: '',
  message: 'Succeeded',
  logTail
})

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

// tar, unzip and mv on the host, through the bed's process runner (no fork of the emulator).
const exec = runOnHost

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
        while (!report.stopRequested()) await new Promise((r) => setTimeout(r, 200))
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
        await this.install()
        return ''
      case 'BeforeAllowTraffic':
      case 'AfterAllowTraffic':
        // A deployment that installed nothing here (a blue/green rollback allowing the original
        // instances again) runs the scripts of the revision installed here.
        if (!(await exists(await this.host.hostPath(`${this.deploymentRoot}/deployment-archive`))))
          return this.previousRevisionHooks(event)
        return this.runHooks(event, this.deploymentRoot)
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

  // ApplicationStop, BeforeBlockTraffic and AfterBlockTraffic run the scripts of the last
  // revision installed here, if any.
  private async previousRevisionHooks(event: string): Promise<string> {
    const last = (await this.readHost(this.lastInstallFile))?.trim()
    if (!last || !(await exists(await this.host.hostPath(`${last}/deployment-archive`)))) return ''
    return this.runHooks(event, last)
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
      // File.join(archive, location); the agent reports it through File.expand_path.
      const relative = script.location.replace(/^\/+/, '')
      const viewScript = `${archiveView}/${relative}`
      const hostScript = await this.host.hostPath(
        path.posix.resolve(`${deploymentRoot}/deployment-archive`, relative)
      )
      const who = script.runas ? `${script.location} run as user ${script.runas}` : script.location
      // File.exist? follows links: a dangling one is missing.
      if (!(await stat(hostScript).catch(() => undefined))) {
        throw new AgentFailure(
          'ScriptMissing',
          `Script does not exist at specified location: ${path.posix.resolve(viewScript)}`,
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
      const argv = await this.scriptCommand(viewScript, script)
      if (!Array.isArray(argv)) {
        throw new AgentFailure(
          'ScriptFailed',
          `Script at specified location: ${who} failed with error ${argv.error}`,
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
      if (result.exitCode !== 0) {
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

  // The agent's prepare_script_command (su for runas, sudo), then what Ruby's popen3 does with
  // that one string: with shell characters it runs `/bin/sh -c`; otherwise it splits it at blanks
  // and execs the first word, falling back to /bin/sh for a file without "#!" (ENOEXEC). A
  // failed exec is the Errno the agent reports ("Errno::ENOENT with message ... - <path>").
  private async scriptCommand(
    viewScript: string,
    script: HookScript
  ): Promise<string[] | { error: string }> {
    let command = viewScript
    if (script.runas && script.sudo) command = `sudo su ${script.runas} -c ${viewScript}`
    else if (script.runas) command = `su ${script.runas} -c ${viewScript}`
    else if (script.sudo) command = `sudo ${viewScript}`
    if (/[*?{}[\]<>()~&|\\$;'`"\n#]/.test(command)) return ['/bin/sh', '-c', command]
    const argv = command.trim().split(/\s+/)
    const program = argv[0]!
    const found = program.includes('/') ? program : await this.onPath(program)
    const enoent = { error: `Errno::ENOENT with message No such file or directory - ${program}` }
    if (!found) return enoent
    const host = await this.host.programPath(found)
    const st = await stat(host).catch(() => undefined)
    if (!st) return enoent
    if (st.isDirectory())
      return { error: `Errno::EACCES with message Permission denied - ${program}` }
    const fh = await open(host, 'r')
    const buf = Buffer.alloc(256)
    const { bytesRead } = await fh.read(buf, 0, 256, 0)
    await fh.close()
    const head = buf.subarray(0, bytesRead).toString('latin1')
    if (head.startsWith('\x7fELF')) return [found, ...argv.slice(1)]
    if (!head.startsWith('#!')) return ['/bin/sh', found, ...argv.slice(1)]
    const line = head.slice(2).split('\n')[0]!
    const interpreter = line.trim().split(/[ \t]+/)[0] ?? ''
    // The kernel looks for the interpreter as written: a CR at the line's end is part of its name.
    if (
      line.includes('\r') ||
      !interpreter ||
      !(await exists(await this.host.programPath(interpreter)))
    )
      return enoent
    return [found, ...argv.slice(1)]
  }

  private async onPath(program: string): Promise<string | undefined> {
    for (const dir of BASE_ENV.PATH.split(':')) {
      if (await exists(await this.host.programPath(`${dir}/${program}`))) return `${dir}/${program}`
    }
    return undefined
  }

  // The agent's Installer (installer.rb, install_instruction.rb): remove what the group's last
  // install made, plan the copies, folders and permissions the way its CommandBuilder does
  // (raising its conflicts), then run the plan, recording each step for the next cleanup.
  private async install(): Promise<void> {
    const spec = await this.appSpec(this.deploymentRoot)
    const unknown = unknownLifecycleEvents(spec)
    if (unknown.length > 0) {
      throw new AgentFailure(
        'UnknownError',
        `appspec.yml file contains unknown lifecycle events: ${rubyInspect(unknown)}`
      )
    }
    const behavior = spec.fileExistsBehavior ?? this.spec.fileExistsBehavior ?? 'DISALLOW'
    await this.removePreviousInstall()
    const plan = new InstallPlan(async (p) => exists(await this.host.hostPath(p)))
    const archive = `${this.deploymentRoot}/deployment-archive`
    const isDirectory = async (p: string): Promise<boolean> =>
      (await stat(await this.host.hostPath(p)).catch(() => undefined))?.isDirectory() ?? false
    const copyFolder = async (source: string, destination: string): Promise<void> => {
      if (!(await isDirectory(destination))) plan.mkdir(destination)
      for (const entry of (await readdir(await this.host.hostPath(source))).sort()) {
        const s = rubyJoin(source, entry)
        if (await isDirectory(s)) await copyFolder(s, path.posix.join(destination, entry))
        else await this.plannedCopy(plan, s, path.posix.join(destination, entry), behavior)
      }
    }
    for (const f of spec.files) {
      if (f.notText) fail(`no implicit conversion of ${f.notText} into String`)
      const source = rubyJoin(archive, f.source)
      if (await isDirectory(source)) {
        await plan.fillInAncestors(f.destination)
        await copyFolder(source, f.destination)
      } else {
        const destination = path.posix.join(f.destination, path.posix.basename(source))
        await plan.fillInAncestors(destination)
        await this.plannedCopy(plan, source, destination, behavior)
      }
    }
    for (const p of spec.permissions) {
      if (plan.copying(p.object)) {
        if (!p.type.includes('file')) continue
        if (p.pattern !== '**')
          fail(
            `The deployment failed because the application specification file includes an object (${p.object}) with an invalid pattern (${p.pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`
          )
        if (p.except.length > 0)
          fail(
            `The deployment failed because the except parameter for a pattern in the permissions section (${rubyInspect(p.except)}) for the object named ${p.object} contains an invalid format. Update the AppSpec file, and then try again.`
          )
        if (p.acls?.some((a) => a.default)) fail(DEFAULT_ACL_ON_FILE)
        plan.setPermissions(p.object, p)
      } else if (plan.makingDirectory(p.object) || (await isDirectory(p.object))) {
        for (const match of plan.matches(p)) plan.setPermissions(match, p)
      }
    }
    const record: string[] = []
    try {
      for (const step of plan.steps) await this.runStep(step, record)
    } finally {
      await mkdir(await this.host.hostPath(this.instructionsDir), { recursive: true })
      await writeFile(
        await this.host.hostPath(this.cleanupFile),
        record.map((r) => `${r}\n`).join('')
      )
    }
    await writeFile(await this.host.hostPath(this.lastInstallFile), this.deploymentRoot)
  }

  // generate_normal_copy: what is already on the instance decides, by file-exists behaviour.
  private async plannedCopy(
    plan: InstallPlan,
    source: string,
    destination: string,
    behavior: FileExistsBehavior
  ): Promise<void> {
    if (await exists(await this.host.hostPath(destination))) {
      if (behavior === 'DISALLOW')
        fail(
          `The deployment failed because a specified file already exists at this location: ${destination}`
        )
      if (behavior === 'RETAIN') return
    }
    plan.copy(source, destination)
  }

  private async runStep(step: InstallStep, record: string[]): Promise<void> {
    const at = await this.host.hostPath(step.path)
    switch (step.op) {
      case 'mkdir':
        await mkdir(at).catch((e: NodeJS.ErrnoException) =>
          e.code === 'EEXIST' ? fail(`File exists @ dir_s_mkdir - ${step.path}`) : Promise.reject(e)
        )
        record.push(step.path)
        return
      case 'copy': {
        record.push(step.path)
        const source = await this.host.hostPath(step.source)
        const st = await lstat(source).catch((e: NodeJS.ErrnoException) =>
          fail(
            `${e.code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory'} @ rb_sysopen - ${step.source}`
          )
        )
        await rm(at, { force: true })
        if (st!.isSymbolicLink()) {
          await symlink(await readlink(source), at)
        } else {
          await copyFile(source, at)
          await chmod(at, st!.mode & 0o7777)
          await utimes(at, st!.atime, st!.mtime)
        }
        return
      }
      case 'chmod':
        await chmod(at, parseInt(step.mode, 8))
        return
      case 'chown': {
        const uid = step.owner === undefined ? -1 : await this.idOf('passwd', step.owner)
        const gid = step.group === undefined ? -1 : await this.idOf('group', step.group)
        await chown(at, uid, gid)
        return
      }
      case 'setfacl': {
        const mode = ((await stat(at)).mode & 0o777).toString(8).padStart(3, '0')
        const acl = fullAcl(step.acl, mode)
        const command = `setfacl --set ${acl} ${step.path}`
        const status = await this.system(['setfacl', '--set', acl, step.path])
        if (status !== 0)
          fail(
            `The deployment failed because of a problem with the acls permission settings in the application specification file for this object: ${step.path}. Failed command: ${command}. Exit code: pid 0 exit ${status}`
          )
        return
      }
      case 'semanage': {
        const c = step.context
        const args = `${c.user !== undefined ? `-s ${c.user} ` : ''}-t ${c.type}${c.range !== undefined ? ` -r ${c.range}` : ''}`
        for (const argv of [
          ['semanage', 'fcontext', '-a', ...args.split(' '), step.path],
          ['restorecon', '-v', step.path]
        ]) {
          const status = await this.system(argv)
          if (status !== 0)
            fail(
              `The deployment failed because the application specification file contains an error in the settings for the context parameter. Update the permissions section of the AppSpec file, and then try again. Failed command: ${argv.join(' ')}. Exit code: pid 0 exit ${status}`
            )
        }
        record.push(`semanage\0${step.path}`)
        return
      }
    }
  }

  // Etc.getpwnam / getgrnam, from the instance's own /etc files.
  private async idOf(db: 'passwd' | 'group', name: string): Promise<number> {
    const text = (await this.readHost(`/etc/${db}`)) ?? ''
    const line = text.split('\n').find((l) => l.split(':')[0] === name)
    if (line === undefined) fail(`can't find ${db === 'passwd' ? 'user' : 'group'} for ${name}`)
    return Number(line!.split(':')[2])
  }

  // Kernel#system on the instance: the exit status, 127 when the command is not there.
  private async system(argv: string[]): Promise<number> {
    const r = await this.host.run(argv, {
      cwd: '/',
      env: BASE_ENV,
      timeoutMs: 60_000,
      onLine: () => {}
    })
    return r.exitCode === null ? 127 : r.exitCode
  }

  private async removePreviousInstall(): Promise<void> {
    const text = await this.readHost(this.cleanupFile)
    if (text === undefined) return
    for (const entry of text.split('\n').filter(Boolean).reverse()) {
      if (entry.startsWith('semanage\0')) {
        await this.system(['semanage', 'fcontext', '-d', entry.slice('semanage\0'.length)])
        continue
      }
      const p = await this.host.hostPath(entry)
      const st = await lstat(p).catch(() => undefined)
      if (!st) continue
      if (st.isDirectory()) await rmdir(p).catch(() => undefined)
      else await unlink(p).catch(() => undefined)
    }
    await unlink(await this.host.hostPath(this.cleanupFile))
  }
}

const DEFAULT_ACL_ON_FILE =
  'The deployment failed because the -d parameter has been specified to apply an acl setting to a file. This parameter is supported for directories only. Update the AppSpec file, and then try again.'

function fail(message: string): never {
  throw new AgentFailure('UnknownError', message)
}

type InstallStep =
  | { op: 'mkdir'; path: string }
  | { op: 'copy'; path: string; source: string }
  | { op: 'chmod'; path: string; mode: string }
  | { op: 'chown'; path: string; owner?: string; group?: string }
  | { op: 'setfacl'; path: string; acl: AceEntry[] }
  | { op: 'semanage'; path: string; context: NonNullable<Permission['context']> }

/** Ruby's File.join of two parts: one '/' between them unless the second brings its own. */
function rubyJoin(dir: string, name: string): string {
  const base = dir.replace(/\/+$/, '')
  return name.startsWith('/') ? base + name : `${base}/${name}`
}

/**
 * File.expand_path as the agent (root, working folder /) calls it: `~` is root's home, `~user`
 * that user's (taken as /home/<user>: the bed's instances have no other homes).
 */
function expandPath(p: string): string {
  const tilde = /^~([^/]*)(.*)$/.exec(p)
  if (!tilde) return path.posix.resolve('/', p)
  const home = tilde[1] === '' || tilde[1] === 'root' ? '/root' : `/home/${tilde[1]}`
  return path.posix.resolve(home, `.${tilde[2] ?? ''}`)
}

// The agent's CommandBuilder: the install's steps in order, and the conflicts it raises.
class InstallPlan {
  readonly steps: InstallStep[] = []
  private readonly copies = new Map<string, string>()
  private readonly folders = new Set<string>()
  private readonly permissionTargets = new Set<string>()
  private readonly onInstance: (p: string) => Promise<boolean>

  constructor(onInstance: (p: string) => Promise<boolean>) {
    this.onInstance = onInstance
  }

  async fillInAncestors(destination: string): Promise<void> {
    const missing: string[] = []
    let parent = path.posix.dirname(destination)
    while (parent !== '.' && parent !== '/' && !(await this.onInstance(parent))) {
      missing.unshift(parent)
      parent = path.posix.dirname(parent)
    }
    for (const d of missing) this.mkdir(d)
  }

  copy(source: string, destination: string): void {
    const to = expandPath(destination)
    if (this.copies.has(to))
      fail(
        `The deployment failed because the application specification file specifies two source files named ${source} and ${this.copies.get(to)} for the same destination (${to}). Remove one of the source file paths from the AppSpec file, and then try again.`
      )
    if (this.folders.has(to))
      fail(
        `The deployment failed because the application specification file calls for installing the file ${source}, but a file with that name already exists at the location (${to}). Update your AppSpec file or directory structure, and then try again.`
      )
    this.steps.push({ op: 'copy', path: to, source })
    this.copies.set(to, source)
  }

  mkdir(destination: string): void {
    const to = expandPath(destination)
    if (this.copies.has(to))
      fail(
        `The deployment failed because the application specification file includes an mkdir command more than once for the same destination path (${to}) from (${this.copies.get(to)}). Update the files section of the AppSpec file, and then try again.`
      )
    if (!this.folders.has(to)) this.steps.push({ op: 'mkdir', path: to })
    this.folders.add(to)
  }

  copying(p: string): boolean {
    return this.copies.has(expandPath(p))
  }

  makingDirectory(p: string): boolean {
    return this.folders.has(expandPath(p))
  }

  // find_matches: installed files (then folders) under the object, by pattern and except.
  matches(p: Permission): string[] {
    const found: string[] = []
    const base = path.posix.resolve('/', p.object).replace(/\/?$/, '/')
    const hit = (name: string): boolean => {
      if (!name.startsWith(base)) return false
      const rel = name.slice(base.length)
      return (
        (p.pattern === '**' || simpleGlob(rel, p.pattern)) &&
        !p.except.some((e) => simpleGlob(rel, e))
      )
    }
    if (p.type.includes('file')) {
      for (const f of this.copies.keys()) {
        if (!hit(f)) continue
        if (p.acls?.some((a) => a.default)) fail(DEFAULT_ACL_ON_FILE)
        found.push(f)
      }
    }
    if (p.type.includes('directory')) found.push(...[...this.folders].filter(hit))
    return found
  }

  setPermissions(object: string, p: Permission): void {
    const at = path.posix.resolve('/', object)
    if (this.permissionTargets.has(at))
      fail(
        `The deployment failed because the permissions setting for (${at}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`
      )
    this.permissionTargets.add(at)
    if (p.mode !== undefined) this.steps.push({ op: 'chmod', path: at, mode: p.mode })
    if (p.acls !== undefined) this.steps.push({ op: 'setfacl', path: at, acl: p.acls })
    if (p.context !== undefined) this.steps.push({ op: 'semanage', path: at, context: p.context })
    if (p.owner !== undefined || p.group !== undefined)
      this.steps.push({
        op: 'chown',
        path: at,
        ...(p.owner !== undefined ? { owner: p.owner } : {}),
        ...(p.group !== undefined ? { group: p.group } : {})
      })
  }
}

// matches_simple_glob: `*` is the only wildcard, and never crosses a '/'.
function simpleGlob(name: string, pattern: string): boolean {
  if (name.includes('/')) return false
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`, 's').test(name)
}

// ChangeAclCommand#get_full_acl: the entries given, then the base ones from the file's mode.
function fullAcl(acl: AceEntry[], mode: string): string {
  const [u, g, o] = [...mode].map(Number) as [number, number, number]
  const rwx = (n: number): string => `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`
  const text = (a: { default: boolean; type: string; name: string; perms: string }): string =>
    `${a.default ? 'default:' : ''}${a.type}:${a.name}:${a.perms}`
  const all = [
    ...acl,
    { default: false, type: 'user', name: '', perms: rwx(u) },
    { default: false, type: 'group', name: '', perms: rwx(g) },
    { default: false, type: 'other', name: '', perms: rwx(o) }
  ]
  const named = acl.some((a) => !a.default && a.name !== '')
  if (named && !acl.some((a) => !a.default && a.type === 'mask'))
    all.push({ default: false, type: 'mask', name: '', perms: rwx(g) })
  if (acl.some((a) => a.default)) {
    const has = (type: string): boolean =>
      acl.some((a) => a.default && a.type === type && a.name === '')
    if (!has('user')) all.push({ default: true, type: 'user', name: '', perms: rwx(u) })
    if (!has('group')) all.push({ default: true, type: 'group', name: '', perms: rwx(g) })
    if (!has('other')) all.push({ default: true, type: 'other', name: '', perms: rwx(o) })
  }
  return all.map(text).join(',')
}
