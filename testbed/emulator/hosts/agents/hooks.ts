// The agent's HookExecutor: an event's scripts from the appspec of an unpacked revision, run on
// the instance with the agent's environment, runas/sudo, timeouts and log tail, failing with its
// error codes and words.
import { access, chmod, open, stat } from 'node:fs/promises'
import { constants } from 'node:fs'
import path from 'node:path'
import { parseAppSpec, AppSpecError, type AppSpec, type HookScript } from '../appspec/appspec.ts'
import { AgentFailure } from './failure.ts'
import { ScriptLog } from './script-log.ts'
import { AgentWorkspace, BASE_ENV, exists } from './workspace.ts'

// Every instance of a fleet reads the same appspec text: parse it once (specs are read-only).
const parsedAppSpecs = new Map<string, AppSpec>()

export async function readAppSpec(ws: AgentWorkspace, deploymentRoot: string): Promise<AppSpec> {
  const archive = `${deploymentRoot}/deployment-archive`
  const text = await ws.readHost(`${archive}/appspec.yml`)
  if (text === undefined) {
    const a = ws.host.viewPath(archive)
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

function hookEnv(ws: AgentWorkspace, event: string): Record<string, string> {
  const r = ws.spec.revision
  return {
    ...BASE_ENV,
    LIFECYCLE_EVENT: event,
    DEPLOYMENT_ID: ws.spec.deploymentId,
    APPLICATION_NAME: ws.spec.applicationName,
    DEPLOYMENT_GROUP_NAME: ws.spec.groupName,
    DEPLOYMENT_GROUP_ID: ws.spec.groupId,
    BUNDLE_BUCKET: r.bucket,
    BUNDLE_KEY: r.key,
    ...(r.version ? { BUNDLE_VERSION: r.version } : {}),
    ...(r.eTag ? { BUNDLE_ETAG: r.eTag } : {})
  }
}

// The agent's HookExecutor for one event, run from `deploymentRoot`'s unpacked archive.
export async function runHooks(
  ws: AgentWorkspace,
  event: string,
  deploymentRoot: string
): Promise<string> {
  const spec = await readAppSpec(ws, deploymentRoot)
  const scripts = spec.hooks.get(event) ?? []
  if (scripts.length === 0) return ''
  const log = new ScriptLog()
  const archiveView = ws.host.viewPath(`${deploymentRoot}/deployment-archive`)
  log.append(`LifecycleEvent - ${event}\n`)
  for (const script of scripts) {
    // File.join(archive, location); the agent reports it through File.expand_path.
    const relative = script.location.replace(/^\/+/, '')
    const viewScript = `${archiveView}/${relative}`
    const hostScript = await ws.host.hostPath(
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
    const argv = await scriptCommand(ws, viewScript, script)
    if (!Array.isArray(argv)) {
      throw new AgentFailure(
        'ScriptFailed',
        `Script at specified location: ${who} failed with error ${argv.error}`,
        script.location,
        log.text()
      )
    }
    const result = await ws.host.run(argv, {
      cwd: archiveView,
      env: hookEnv(ws, event),
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
    // hook_executor.rb joins the script's STDOUT and STDERR readers within the same deadline and
    // raises OUTPUTS_LEFT_OPEN_CODE (6) before it looks at the exit code; CodeDeploy has no
    // lifecycle error code of its own for it: UnknownError.
    if (result.outputLeftOpen) {
      throw new AgentFailure(
        'UnknownError',
        `Script at specified location: ${script.location} failed to close ${result.outputLeftOpen}`,
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
async function scriptCommand(
  ws: AgentWorkspace,
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
  const found = program.includes('/') ? program : await onPath(ws, program)
  const enoent = { error: `Errno::ENOENT with message No such file or directory - ${program}` }
  if (!found) return enoent
  const host = await ws.host.programPath(found)
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
    !(await exists(await ws.host.programPath(interpreter)))
  )
    return enoent
  return [found, ...argv.slice(1)]
}

async function onPath(ws: AgentWorkspace, program: string): Promise<string | undefined> {
  for (const dir of BASE_ENV.PATH.split(':')) {
    if (await exists(await ws.host.programPath(`${dir}/${program}`))) return `${dir}/${program}`
  }
  return undefined
}
