// The rules about what appspec.yml says (its keys, values and shapes), mirroring what the agent
// rejects when it loads the file, plus warnings for what it accepts but users regret.

import { RootedBundle, rootRelative } from './bundle-index.js'
import {
  closestEvent,
  closestName,
  DEFAULT_SCRIPT_TIMEOUT_SECONDS,
  isLifecycleEvent,
  isReservedEvent,
  LIFECYCLE_EVENTS,
  MAX_EVENT_SECONDS,
  RESERVED_EVENT_ALTERNATIVES,
  SCRIPTABLE_EVENTS
} from './lifecycle.js'
import type { ParsedAppspec, PathSegment, Position } from './parse.js'
import type { FileMapping, Finding } from './types.js'

/** A script named by a hook, before it is looked up in the bundle. */
export interface ScriptRef {
  event: string
  /** `location` as the agent reads it (trimmed). */
  location: string
  timeout: number
  runas?: string
  /** Where `location` is written in appspec.yml. */
  position?: Position
}

export interface CheckedDocument {
  findings: Finding[]
  version: unknown
  os: string
  windows: boolean
  files: FileMapping[]
  /** Known, non-reserved events with their scripts, in agent order. */
  hooks: { event: string; scripts: ScriptRef[] }[]
}

const TOP_LEVEL_KEYS = ['version', 'os', 'files', 'permissions', 'hooks']
const SCRIPT_KEYS = ['location', 'timeout', 'runas', 'sudo']
const PERMISSION_TYPES = ['file', 'directory']

/** Folders a whole bundle should never be copied straight into. */
const SYSTEM_FOLDERS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/sbin',
  '/var'
])

const EXAMPLE_HOOK = '`AfterInstall:` then `  - location: scripts/deploy.sh`'

export function checkDocument(
  parsed: ParsedAppspec,
  file: string,
  bundle: RootedBundle
): CheckedDocument {
  const findings: Finding[] = []
  const report = (
    severity: Finding['severity'],
    path: readonly PathSegment[],
    message: string,
    fix: string
  ): void => {
    findings.push({ severity, file, ...parsed.keyPosition(path), message, fix })
  }
  const doc = parsed.value
  const empty: CheckedDocument = {
    findings,
    version: undefined,
    os: '',
    windows: false,
    files: [],
    hooks: []
  }

  if (!isRecord(doc)) {
    findings.push({
      severity: 'error',
      file,
      message:
        doc === null || doc === undefined
          ? `${file} is empty.`
          : `${file} must be a map of keys (version, os, files, hooks), not ${describe(doc)}.`,
      fix: 'Start it with `version: 0.0` and `os: linux` on their own lines, then add `files` and `hooks`.'
    })
    return empty
  }

  for (const key of Object.keys(doc)) {
    if (TOP_LEVEL_KEYS.includes(key)) continue
    const meant = closestName(key, TOP_LEVEL_KEYS)
    report(
      'warning',
      [key],
      `Unknown top-level key '${key}': the agent ignores it${meant === 'hooks' ? ', so none of the hooks under it run' : meant === 'files' ? ', so none of the files under it are copied' : ''}.`,
      meant
        ? `Did you mean '${meant}'? Rename the key.`
        : `Remove it; the keys are ${TOP_LEVEL_KEYS.join(', ')}.`
    )
  }

  checkVersion(parsed, doc.version, report)
  const os = checkOs(parsed, doc.os, report)
  const windows = os.toLowerCase() === 'windows'
  const files = checkFiles(doc.files, windows, bundle, report)
  checkPermissions(doc.permissions, windows, report)
  const hooks = checkHooks(parsed, doc.hooks, windows, report)
  return { findings, version: doc.version, os, windows, files, hooks }
}

type Report = (
  severity: Finding['severity'],
  path: readonly PathSegment[],
  message: string,
  fix: string
) => void

function checkVersion(parsed: ParsedAppspec, version: unknown, report: Report): void {
  // The agent compares with the Ruby float 0.0: the numbers 0.0 and 0 pass, any string fails.
  if (version === 0 && !parsed.isQuoted(['version'])) return
  const shown = version === undefined || version === null ? '' : parsed.sourceText(['version'])
  const message = `The deployment failed because an invalid version value (${shown ?? String(version)}) was entered in the application specification file.`
  if (version === undefined) {
    report('error', [], message, 'Add the line `version: 0.0` at the top of appspec.yml.')
  } else if (parsed.isQuoted(['version']) && version === '0.0') {
    report(
      'error',
      ['version'],
      message,
      'Write `version: 0.0` without quotes: the agent compares it with the number 0.0, and a quoted "0.0" is a string.'
    )
  } else {
    report(
      'error',
      ['version'],
      message,
      'Write `version: 0.0`, the only AppSpec version for EC2/on-premises deployments.'
    )
  }
}

function checkOs(parsed: ParsedAppspec, os: unknown, report: Report): string {
  if (os === 'linux' || os === 'windows') return os
  const text = typeof os === 'string' ? os : os === undefined || os === null ? '' : String(os)
  const message = `The deployment failed because the application specification file specifies an unsupported operating system (${text}). Specify either "linux" or "windows".`
  if (os === undefined || os === null) {
    report(
      'error',
      os === undefined ? [] : ['os'],
      message,
      'Add the line `os: linux` (or `os: windows`) to appspec.yml.'
    )
  } else if (['linux', 'windows'].includes(text.toLowerCase())) {
    report('error', ['os'], message, `Write \`os: ${text.toLowerCase()}\` in lower case.`)
  } else {
    report(
      'error',
      ['os'],
      message,
      'Write `os: linux` for any Linux distribution (Amazon Linux, Ubuntu, RHEL...) or `os: windows`.'
    )
  }
  return text
}

function checkFiles(
  files: unknown,
  windows: boolean,
  bundle: RootedBundle,
  report: Report
): FileMapping[] {
  const example = windows
    ? '`files:` then `  - source: /` and `    destination: C:\\app`'
    : '`files:` then `  - source: /` and `    destination: /home/ec2-user/app`'
  if (files === undefined || files === null || (Array.isArray(files) && files.length === 0)) {
    report(
      'warning',
      files === undefined ? [] : ['files'],
      'appspec.yml copies no files: without a `files` section the agent installs nothing on the instance, and hooks only see the unpacked archive.',
      `If the app should be installed, add ${example}.`
    )
    return []
  }
  if (!Array.isArray(files)) {
    report(
      'error',
      ['files'],
      `\`files\` must be a list of source/destination pairs, not ${describe(files)}.`,
      isRecord(files) && 'source' in files
        ? "Put '- ' before `source:` to make it a list item."
        : `Write it as ${example}.`
    )
    return []
  }
  const mappings: FileMapping[] = []
  files.forEach((entry, index) => {
    const at = ['files', index]
    if (!isRecord(entry)) {
      report(
        'error',
        at,
        `files entry ${index + 1} must be a source/destination pair, not ${describe(entry)}.`,
        'Write it as `- source: <path in the bundle>` with `  destination: <folder on the instance>` below.'
      )
      return
    }
    const { source, destination } = entry
    if (source === undefined || source === null) {
      report(
        'error',
        at,
        'The deployment failed because the application specification file specifies a destination file, but no source file.',
        'Add `source:` to this entry: a path in the bundle, or `/` for the whole bundle.'
      )
      return
    }
    const sourceText = String(source)
    if (destination === undefined || destination === null) {
      report(
        'error',
        at,
        `The deployment failed because the application specification file specifies only a source file (${sourceText}).`,
        'Add `destination:` to this entry: the absolute path on the instance to copy it to.'
      )
      return
    }
    const destinationText = String(destination)
    mappings.push({ source: sourceText, destination: destinationText })
    // Windows appspecs often write sources with backslashes; the bundle's paths use '/'.
    const bundleSource = windows ? sourceText.replace(/\\/g, '/') : sourceText
    checkFileSource(bundleSource, [...at, 'source'], bundle, report)
    checkDestination(bundleSource, destinationText, [...at, 'destination'], windows, bundle, report)
  })
  return mappings
}

function checkFileSource(
  source: string,
  at: readonly PathSegment[],
  bundle: RootedBundle,
  report: Report
): void {
  const rel = rootRelative(source.trim())
  if (rel === '') return
  if (rel === undefined) {
    report(
      'error',
      at,
      `files source '${source}' climbs out of the bundle with '..'.`,
      'Sources are paths relative to the bundle root: remove the `..`.'
    )
    return
  }
  if (bundle.has(rel)) return
  const elsewhere = bundle.withBasename(rel.split('/').pop() ?? rel)
  report(
    'error',
    at,
    `files source '${source}' is not in the bundle, so the agent has nothing to copy and the install fails.`,
    elsewhere.length > 0
      ? `The bundle has ${elsewhere.map((p) => `'${p}'`).join(', ')}: write \`source: ${elsewhere[0]}\`.`
      : 'Sources are relative to the bundle root (`/` means the whole bundle): fix the path, or add the file to the bundle.'
  )
}

function checkDestination(
  source: string,
  destination: string,
  at: readonly PathSegment[],
  windows: boolean,
  bundle: RootedBundle,
  report: Report
): void {
  if (windows) {
    if (!/^[A-Za-z]:[\\/]/.test(destination)) {
      report(
        'error',
        at,
        `files destination '${destination}' is not an absolute Windows path.`,
        'Give a path starting with a drive, e.g. `destination: C:\\inetpub\\app`.'
      )
    }
    return
  }
  if (!destination.startsWith('/')) {
    report(
      'error',
      at,
      `files destination '${destination}' is not an absolute path: on Linux it must start with '/'.`,
      `Write the full path on the instance, e.g. \`destination: /${destination.replace(/^\.?\/*/, '') || 'home/ec2-user/app'}\`.`
    )
    return
  }
  const folder = destination.length > 1 ? destination.replace(/\/+$/, '') : destination
  const rel = rootRelative(source.trim())
  const copiesFolder = rel === '' || (rel !== undefined && bundle.entry(rel)?.type !== 'file')
  if (folder === '/' || (copiesFolder && SYSTEM_FOLDERS.has(folder))) {
    report(
      'warning',
      at,
      `files destination '${destination}' is a system folder: the agent copies ${rel === '' ? 'the whole bundle (appspec.yml and scripts included)' : `the contents of '${source}'`} straight into it, and under file-exists-behavior DISALLOW the next deployment fails on every file this one left there.`,
      "Copy into a folder of the app's own, e.g. `destination: /opt/my-app`; for one config file, name the file itself as `source`."
    )
  }
}

function checkPermissions(permissions: unknown, windows: boolean, report: Report): void {
  if (permissions === undefined || permissions === null) return
  if (windows) {
    report(
      'error',
      ['permissions'],
      'The deployment failed because the application specification file specifies file permissions, but the deployment is targeting one or more Windows Server instances. Permissions are supported only on Linux instances.',
      'Remove the `permissions` section; set ACLs from a hook script (icacls) instead.'
    )
    return
  }
  if (!Array.isArray(permissions)) {
    report(
      'error',
      ['permissions'],
      `\`permissions\` must be a list, not ${describe(permissions)}.`,
      'Write it as `permissions:` then `  - object: /home/ec2-user/app` with `owner`, `group` or `mode` below.'
    )
    return
  }
  permissions.forEach((entry, index) => {
    const at = ['permissions', index]
    if (!isRecord(entry) || entry.object === undefined || entry.object === null) {
      report(
        'error',
        at,
        'The deployment failed because a permission listed in the application specification file has no object value.',
        'Add `object:` to this entry: the path on the instance the permission applies to.'
      )
      return
    }
    const types: unknown[] = Array.isArray(entry.type)
      ? entry.type
      : entry.type === undefined
        ? []
        : [entry.type]
    for (const type of types) {
      if (typeof type === 'string' && PERMISSION_TYPES.includes(type)) continue
      report(
        'error',
        [...at, 'type'],
        `The deployment failed because the application specification file specifies a permission for an object type not supported for permissions (${String(type)}).`,
        'Use `type:` with a list of `file` and/or `directory`.'
      )
    }
  })
}

function checkHooks(
  parsed: ParsedAppspec,
  hooks: unknown,
  windows: boolean,
  report: Report
): { event: string; scripts: ScriptRef[] }[] {
  if (
    hooks === undefined ||
    hooks === null ||
    (isRecord(hooks) && Object.keys(hooks).length === 0)
  ) {
    report(
      'warning',
      hooks === undefined ? [] : ['hooks'],
      'appspec.yml has no hooks: the agent copies the files and runs nothing, so the app is neither stopped nor (re)started.',
      `Add a \`hooks\` section, e.g. \`hooks:\` then ${EXAMPLE_HOOK}.`
    )
    return []
  }
  if (!isRecord(hooks)) {
    const listOfEvents = Array.isArray(hooks) && hooks.every(isRecord)
    report(
      'error',
      ['hooks'],
      `\`hooks\` must map lifecycle events to lists of scripts, not ${describe(hooks)}.`,
      listOfEvents
        ? "Remove the '- ' before each event name: events are keys under `hooks`, and their scripts are the list items."
        : `Write it as \`hooks:\` then ${EXAMPLE_HOOK}.`
    )
    return []
  }

  const byEvent = new Map<string, ScriptRef[]>()
  for (const [event, scripts] of Object.entries(hooks)) {
    const at = ['hooks', event]
    if (!isLifecycleEvent(event)) {
      const meant = closestEvent(event)
      report(
        'error',
        at,
        `appspec.yml file contains unknown lifecycle events: ${JSON.stringify([event])}`,
        meant
          ? `Did you mean "${meant}"? Rename the event (names are case-sensitive).`
          : `Use one of: ${SCRIPTABLE_EVENTS.join(', ')}.`
      )
      continue
    }
    if (scripts === null || scripts === undefined) {
      report(
        'error',
        at,
        `Lifecycle event ${event} lists no scripts: the agent fails reading appspec.yml (it cannot iterate over nothing).`,
        'List at least one script under it (`- location: scripts/x.sh`) or remove the line.'
      )
      continue
    }
    if (isReservedEvent(event)) {
      if (!Array.isArray(scripts) || scripts.length > 0) {
        const instead = RESERVED_EVENT_ALTERNATIVES[event] ?? []
        report(
          'error',
          at,
          `${event} is a reserved lifecycle event that the CodeDeploy agent performs itself; it cannot run scripts.`,
          `Move these scripts to ${instead.join(' or ')}.`
        )
      }
      continue
    }
    if (!Array.isArray(scripts)) {
      report(
        'error',
        at,
        `The scripts of ${event} must be a list, not ${describe(scripts)}.`,
        isRecord(scripts) && 'location' in scripts
          ? "Put '- ' before `location:` to make it a list item."
          : `Write them as list items: ${EXAMPLE_HOOK}.`
      )
      continue
    }
    byEvent.set(event, checkEventScripts(parsed, event, scripts, windows, report))
  }

  if (byEvent.has('ApplicationStart') && !byEvent.has('ValidateService')) {
    report(
      'warning',
      ['hooks', 'ApplicationStart'],
      'ApplicationStart starts the app but no ValidateService hook checks that it came up: the deployment succeeds even if the app crashes right after starting.',
      'Add a ValidateService hook with a script that fails unless the app answers, e.g. `curl --fail --retry 10 --retry-connrefused http://localhost:8080/health`.'
    )
  }
  return LIFECYCLE_EVENTS.filter((e) => byEvent.has(e)).map((event) => ({
    event,
    scripts: byEvent.get(event) ?? []
  }))
}

function checkEventScripts(
  parsed: ParsedAppspec,
  event: string,
  scripts: unknown[],
  windows: boolean,
  report: Report
): ScriptRef[] {
  const refs: ScriptRef[] = []
  const timed: { at: PathSegment[]; seconds: number; location: string }[] = []
  scripts.forEach((script, index) => {
    const at = ['hooks', event, index]
    if (!isRecord(script)) {
      report(
        'error',
        at,
        `Script ${index + 1} of ${event} must be a map with a location, not ${describe(script)}.`,
        typeof script === 'string'
          ? `Write it as \`- location: ${script}\`.`
          : 'Write it as `- location: scripts/x.sh`, optionally with `timeout` and `runas` below.'
      )
      return
    }
    for (const key of Object.keys(script)) {
      if (SCRIPT_KEYS.includes(key)) continue
      const meant = closestName(key, SCRIPT_KEYS)
      report(
        'warning',
        [...at, key],
        `Unknown key '${key}' in a script of ${event}: the agent ignores it.`,
        meant ? `Did you mean '${meant}'?` : `Remove it; a script takes ${SCRIPT_KEYS.join(', ')}.`
      )
    }
    const location =
      script.location === undefined || script.location === null
        ? ''
        : String(script.location).trim()
    if (location === '') {
      report(
        'error',
        at,
        'The deployment failed because the application specification file specifies a script with no location value.',
        'Add `location:` to this entry: the script path relative to the bundle root.'
      )
      return
    }
    const timeout = checkTimeout(parsed, script.timeout, [...at, 'timeout'], report)
    if (timeout !== undefined) timed.push({ at: [...at, 'timeout'], seconds: timeout, location })
    const runas =
      script.runas === undefined || script.runas === null ? undefined : String(script.runas).trim()
    if (runas !== undefined && windows) {
      report(
        'error',
        [...at, 'runas'],
        '`runas` is not supported on Windows instances.',
        "Remove `runas`: on Windows the scripts run as the agent's account."
      )
    }
    refs.push({
      event,
      location,
      timeout: timeout ?? DEFAULT_SCRIPT_TIMEOUT_SECONDS,
      runas,
      position: parsed.keyPosition([...at, 'location'])
    })
  })

  const tooLong = timed.find((t) => t.seconds > MAX_EVENT_SECONDS)
  const total = timed.reduce((sum, t) => sum + t.seconds, 0)
  if (tooLong) {
    report(
      'error',
      tooLong.at,
      `timeout ${tooLong.seconds} for ${tooLong.location} is above ${MAX_EVENT_SECONDS} seconds, the longest CodeDeploy lets one lifecycle event run: ${event} fails at ${MAX_EVENT_SECONDS} s whatever this says.`,
      `Set \`timeout\` to ${MAX_EVENT_SECONDS} or less (and the timeouts of ${event} to ${MAX_EVENT_SECONDS} in total).`
    )
  } else if (total > MAX_EVENT_SECONDS) {
    report(
      'error',
      ['hooks', event],
      `The timeouts of ${event} add up to ${total} seconds (${timed.map((t) => `${t.location} ${t.seconds}`).join(' + ')}); CodeDeploy lets one lifecycle event run ${MAX_EVENT_SECONDS} seconds in total.`,
      `Lower them so they add up to ${MAX_EVENT_SECONDS} or less.`
    )
  }
  return refs
}

/** The timeout in seconds when one is given and valid. */
function checkTimeout(
  parsed: ParsedAppspec,
  timeout: unknown,
  at: PathSegment[],
  report: Report
): number | undefined {
  if (timeout === undefined || timeout === null) return undefined
  // The agent takes `.to_i` of the value: digits in a string are fine, 0 and words are not.
  const seconds =
    typeof timeout === 'number'
      ? timeout
      : typeof timeout === 'string' && /^\s*\d+\s*$/.test(timeout)
        ? Number(timeout)
        : NaN
  if (Number.isInteger(seconds) && seconds > 0) return seconds
  report(
    'error',
    at,
    'The deployment failed because an invalid timeout value was provided for a script in the application specification file.',
    `\`timeout: ${parsed.sourceText(at) ?? String(timeout)}\` must be a whole number of seconds from 1 to ${MAX_EVENT_SECONDS}, e.g. \`timeout: 300\`.`
  )
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (isRecord(value)) return 'a map'
  if (typeof value === 'string') return `the text '${value}'`
  return `the value ${String(value)}`
}
