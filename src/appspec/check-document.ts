// What appspec.yml says, read the way the agent's ApplicationSpecification reads it (agent 1.8.1,
// application_specification/*.rb): an error wherever the agent raises, in its words; a warning
// for what it accepts but does differently from what the text suggests. Where the agent calls a
// Ruby method the value lacks, its NoMethodError is the failure users see, so that is quoted too.

import { AGENT } from './agent-words.js'
import { RootedBundle, resolveSource } from './bundle-index.js'
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
import { checkAcl, checkContext, checkMode, type AclEntry } from './check-permissions.js'
import {
  isHash,
  noMethod,
  rubyClass,
  rubyEach,
  rubyHasKey,
  rubyIndex,
  rubyInspect,
  rubyPath,
  rubyToI,
  rubyToS,
  type YamlValue
} from './ruby.js'
import type { FileMapping, Finding } from './types.js'

/** What an unknown top-level key costs when it was meant to be one of these. */
const IGNORED_CONSEQUENCE: Record<string, string> = {
  hooks: ', so none of the hooks under it run',
  files: ', so none of the files under it are copied'
}

/** A script named by a hook, before it is looked up in the bundle. */
export interface ScriptRef {
  event: string
  /** `location` as the agent reads it (`to_s.strip`). */
  location: string
  timeout: number
  runas?: string
  /** Where `location` is written in appspec.yml. */
  position?: Position
}

/** A permissions entry as the agent's LinuxPermissionInfo holds it. */
export interface PermissionSpec {
  object: string
  pattern: string
  except: string[]
  type: string[]
  acl: AclEntry[]
  at: PathSegment[]
}

export interface CheckedDocument {
  findings: Finding[]
  version: unknown
  os: string
  windows: boolean
  files: FileMapping[]
  /** The agent fails reading `files`: what it would install is unknown. */
  filesFailed: boolean
  permissions: PermissionSpec[]
  /** Known, non-reserved events with their scripts, in agent order. */
  hooks: { event: string; scripts: ScriptRef[] }[]
}

const TOP_LEVEL_KEYS = ['version', 'os', 'files', 'permissions', 'hooks', 'file_exists_behavior']
const SCRIPT_KEYS = ['location', 'timeout', 'runas', 'sudo']
const PERMISSION_KEYS = [
  'object',
  'pattern',
  'except',
  'type',
  'owner',
  'group',
  'mode',
  'acls',
  'context'
]
const PERMISSION_TYPES = ['file', 'directory']
const FILE_EXISTS_BEHAVIORS = ['DISALLOW', 'OVERWRITE', 'RETAIN']

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
const RUBY_FAILS = "The agent fails reading appspec.yml with Ruby's error"

/** Reports a finding at a place in appspec.yml. */
export type Report = (
  severity: Finding['severity'],
  path: readonly PathSegment[],
  message: string,
  fix: string
) => void

export function checkDocument(
  parsed: ParsedAppspec,
  file: string,
  bundle: RootedBundle
): CheckedDocument {
  const findings: Finding[] = []
  const report: Report = (severity, path, message, fix) => {
    findings.push({ severity, file, ...parsed.keyPosition(path), message, fix })
  }
  const doc = parsed.value
  const result: CheckedDocument = {
    findings,
    version: undefined,
    os: '',
    windows: false,
    files: [],
    filesFailed: false,
    permissions: [],
    hooks: []
  }
  const start =
    'Start it with `version: 0.0` and `os: linux` on their own lines, then add `files` and `hooks`.'

  // `unless yaml_hash`: an empty file (false) or one with only comments (nil).
  if (doc === null || doc === undefined || doc === false) {
    report('error', [], AGENT.empty, start)
    return result
  }
  // The agent indexes whatever YAML gave with ['version']: a list or number raises TypeError.
  const get = (key: string): YamlValue => {
    const got = rubyIndex(doc, key)
    return 'value' in got ? got.value : undefined
  }
  const indexed = rubyIndex(doc, 'version')
  if ('error' in indexed) {
    report(
      'error',
      [],
      `${RUBY_FAILS}: ${indexed.error}.`,
      `appspec.yml must be a map of keys, not ${describe(doc)}. ${start}`
    )
    return result
  }

  if (isHash(doc)) {
    for (const key of Object.keys(doc)) {
      if (TOP_LEVEL_KEYS.includes(key)) continue
      const meant = closestName(key, TOP_LEVEL_KEYS)
      report(
        'warning',
        [key],
        `Unknown top-level key '${key}': the agent ignores it${IGNORED_CONSEQUENCE[meant ?? ''] ?? ''}.`,
        meant
          ? `Did you mean '${meant}'? Rename the key.`
          : `Remove it; the keys are ${TOP_LEVEL_KEYS.join(', ')}.`
      )
    }
  }

  result.version = get('version')
  checkVersion(parsed, result.version, report)
  const os = checkOs(get('os'), report)
  result.os = os
  result.windows = os === 'windows'
  result.hooks = checkHooks(parsed, get('hooks'), result.windows, report)
  result.files = checkFiles(parsed, get('files'), result.windows, bundle, report, result)
  result.permissions = checkPermissions(parsed, get('permissions'), result.windows, report)
  checkFileExistsBehavior(get('file_exists_behavior'), report)
  return result
}

function checkVersion(parsed: ParsedAppspec, version: YamlValue, report: Report): void {
  // `[0.0].include?(version)`: the numbers 0.0 and 0 pass; a string never does.
  if (version === 0) return
  const shown =
    version === undefined || version === null
      ? ''
      : (parsed.sourceText(['version']) ?? rubyToS(version))
  const message = AGENT.version(shown)
  if (version === undefined || version === null) {
    report(
      'error',
      version === undefined ? [] : ['version'],
      message,
      'Add the line `version: 0.0` at the top of appspec.yml.'
    )
  } else if (version === '0.0' || version === '0') {
    report(
      'error',
      ['version'],
      message,
      'Write `version: 0.0` without quotes: the agent compares it with the number 0.0, and a quoted "0.0" is text.'
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

/** The os as the agent compares it; `linux` or `windows` (the Windows agent's) are accepted. */
function checkOs(os: YamlValue, report: Report): string {
  if (os === 'linux' || os === 'windows') return os
  const text = rubyToS(os)
  const message = AGENT.os(text)
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

function checkFileExistsBehavior(value: YamlValue, report: Report): void {
  if (value === undefined || value === null) return
  if (typeof value === 'string' && FILE_EXISTS_BEHAVIORS.includes(value)) return
  const upper = typeof value === 'string' ? value.toUpperCase() : ''
  report(
    'error',
    ['file_exists_behavior'],
    AGENT.fileExistsBehavior(rubyToS(value)),
    FILE_EXISTS_BEHAVIORS.includes(upper)
      ? `Write \`file_exists_behavior: ${upper}\` in capitals: the agent compares the text exactly.`
      : "Write one of DISALLOW (fail on a file another deployment left), OVERWRITE or RETAIN, or remove the line (the deployment's setting applies)."
  )
}

/** What YAML made of a value, in words, by its Ruby class. */
const READ_AS: Record<string, string> = {
  Integer: 'a number',
  Float: 'a number',
  TrueClass: 'a boolean',
  FalseClass: 'a boolean',
  Symbol: 'a Ruby symbol',
  Array: 'a list holding something other than text'
}

function checkFiles(
  parsed: ParsedAppspec,
  files: YamlValue,
  windows: boolean,
  bundle: RootedBundle,
  report: Report,
  result: { filesFailed: boolean }
): FileMapping[] {
  const example = windows
    ? '`files:` then `  - source: /` and `    destination: C:\\app`'
    : '`files:` then `  - source: /` and `    destination: /home/ec2-user/app`'
  // `(yaml_hash['files'] || []).each`
  if (
    files === undefined ||
    files === null ||
    files === false ||
    (Array.isArray(files) && files.length === 0)
  ) {
    report(
      'warning',
      files === undefined ? [] : ['files'],
      'appspec.yml copies no files: without a `files` section the agent installs nothing on the instance, and hooks only see the unpacked archive.',
      `If the app should be installed, add ${example}.`
    )
    return []
  }
  const each = rubyEach(files)
  if ('error' in each) {
    result.filesFailed = true
    report(
      'error',
      ['files'],
      `${RUBY_FAILS}: ${each.error}.`,
      `\`files\` is a list of source/destination pairs: write it as ${example}.`
    )
    return []
  }
  const mappings: FileMapping[] = []
  each.items.forEach((entry, index) => {
    const at = Array.isArray(files) ? ['files', index] : ['files']
    const source = rubyIndex(entry, 'source')
    const destination = rubyIndex(entry, 'destination')
    if ('error' in source || 'error' in destination) {
      const error =
        'error' in source ? source.error : 'error' in destination ? destination.error : ''
      // The agent stops at the first entry; for a map, every pair fails the same way.
      if (isHash(files) && index > 0) return
      result.filesFailed = true
      report(
        'error',
        at,
        `${RUBY_FAILS}: ${error}.`,
        isHash(files)
          ? "`files` must be a list: put '- ' before `source:` to make each pair a list item."
          : 'Write each entry as `- source: <path in the bundle>` with `  destination: <folder on the instance>` below.'
      )
      return
    }
    if (source.value === null || source.value === undefined) {
      result.filesFailed = true
      report(
        'error',
        at,
        AGENT.noSource,
        isHash(entry)
          ? 'Add `source:` to this entry: a path in the bundle, or `/` for the whole bundle.'
          : `Write it as \`- source: ${rubyToS(entry) || '/'}\` with \`  destination: <folder on the instance>\` below.`
      )
      return
    }
    const sourceText = rubyToS(source.value)
    if (destination.value === null || destination.value === undefined) {
      result.filesFailed = true
      report(
        'error',
        at,
        AGENT.noDestination(sourceText),
        'Add `destination:` to this entry: the absolute path on the instance to copy it to.'
      )
      return
    }
    // installer.rb joins both as paths (File.join): anything but text or a list raises.
    const paths = { source: rubyPath(source.value), destination: rubyPath(destination.value) }
    for (const key of ['source', 'destination'] as const) {
      const joined = paths[key]
      if (!('notText' in joined)) continue
      const value = key === 'source' ? source.value : destination.value
      const written = parsed.sourceText([...at, key]) ?? rubyToS(value)
      report(
        'error',
        [...at, key],
        `The agent fails copying files with Ruby's error: ${AGENT.notAString(joined.notText)}: YAML reads the unquoted ${key} ${written} as ${READ_AS[rubyClass(value)] ?? 'a mapping'}, not a path.`,
        `Quote it: \`${key}: "${written}"\`.`
      )
    }
    if ('notText' in paths.source || 'notText' in paths.destination) {
      result.filesFailed = true
      return
    }
    const sourcePath = paths.source.path
    const destinationPath = paths.destination.path
    mappings.push({ source: sourcePath, destination: destinationPath })
    // Windows appspecs often write sources with backslashes; the bundle's paths use '/'.
    const bundleSource = windows ? sourcePath.replace(/\\/g, '/') : sourcePath
    checkDestination(bundleSource, destinationPath, [...at, 'destination'], windows, bundle, report)
  })
  return mappings
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
        'warning',
        at,
        `files destination '${destination}' is not an absolute Windows path: the agent resolves it against its own working folder, not a folder you chose.`,
        'Give a path starting with a drive, e.g. `destination: C:\\inetpub\\app`.'
      )
    }
    return
  }
  if (destination.startsWith('~')) {
    // fill_in_missing_ancestors makes `~` itself, which File.expand_path turns into a home folder.
    const user = /^~([^/]*)/.exec(destination)?.[1] ?? ''
    const home = user === '' || user === 'root' ? '/root' : `/home/${user}`
    const whose = user ? `${user}'s` : 'its own'
    const orFails = user
      ? `, or fails with "user ${user} doesn't exist"`
      : ', as the agent runs as root'
    const exampleUser = user && user !== 'root' ? user : 'ec2-user'
    report(
      'error',
      at,
      `${AGENT.folderExists(home)}: files destination '${destination}' starts with '~', which the agent does not read as a shell does: it plans to create the folder '~${user}', expands that to ${whose} home folder (${home}${orFails}), and fails creating a folder that exists.`,
      `Write the full path, e.g. \`destination: /home/${exampleUser}${destination.replace(/^~[^/]*/, '') || '/app'}\`.`
    )
    return
  }
  if (!destination.startsWith('/')) {
    report(
      'warning',
      at,
      `files destination '${destination}' is not an absolute path: the agent copies relative to its own working folder (/ for the agent service), which is rarely what was meant.`,
      `Write the full path on the instance, e.g. \`destination: /${destination.replace(/^\.?\/*/, '') || 'home/ec2-user/app'}\`.`
    )
    return
  }
  const folder = destination.length > 1 ? destination.replace(/\/+$/, '') : destination
  const target = resolveSource(source, bundle)
  const rel = target.kind === 'directory' ? target.rel : undefined
  const copiesFolder = rel !== undefined
  if (folder === '/' || (copiesFolder && SYSTEM_FOLDERS.has(folder))) {
    const copied =
      rel === ''
        ? 'the whole bundle (appspec.yml and scripts included)'
        : `the contents of '${source}'`
    report(
      'warning',
      at,
      `files destination '${destination}' is a system folder: the agent copies ${copied} straight into it, and under file-exists-behavior DISALLOW the next deployment fails on every file this one left there.`,
      "Copy into a folder of the app's own, e.g. `destination: /opt/my-app`; for one config file, name the file itself as `source`."
    )
  }
}

function checkPermissions(
  parsed: ParsedAppspec,
  permissions: YamlValue,
  windows: boolean,
  report: Report
): PermissionSpec[] {
  if (permissions === undefined || permissions === null || permissions === false) return []
  const each = rubyEach(permissions)
  if ('error' in each) {
    report(
      'error',
      ['permissions'],
      `${RUBY_FAILS}: ${each.error}.`,
      'Write it as `permissions:` then `  - object: /home/ec2-user/app` with `owner`, `group` or `mode` below.'
    )
    return []
  }
  const specs: PermissionSpec[] = []
  each.items.forEach((entry, index) => {
    const at = Array.isArray(permissions) ? ['permissions', index] : ['permissions']
    const has = rubyHasKey(entry, 'object')
    if ('error' in has) {
      report(
        'error',
        at,
        `${RUBY_FAILS}: ${has.error}.`,
        isHash(permissions)
          ? "`permissions` must be a list: put '- ' before `object:` to make the entry a list item."
          : 'Write the entry as `- object: /path/on/instance` with `owner`, `group` or `mode` below.'
      )
      return
    }
    const entryHash = entry as Record<string, YamlValue>
    if (!has.has || entryHash.object === null || entryHash.object === undefined) {
      report(
        'error',
        at,
        AGENT.noObject,
        'Add `object:` to this entry: the path on the instance the permission applies to.'
      )
      return
    }
    if (windows) {
      report(
        'error',
        ['permissions'],
        AGENT.windowsPermissions,
        'Remove the `permissions` section; set ACLs from a hook script (icacls) instead.'
      )
      return
    }
    for (const key of Object.keys(entryHash)) {
      if (PERMISSION_KEYS.includes(key)) continue
      const meant = closestName(key, PERMISSION_KEYS)
      report(
        'warning',
        [...at, key],
        `Unknown key '${key}' in a permission: the agent ignores it.`,
        meant
          ? `Did you mean '${meant}'?`
          : `Remove it; a permission takes ${PERMISSION_KEYS.join(', ')}.`
      )
    }
    const spec = permissionSpec(parsed, entryHash, [...at], report)
    if (spec) specs.push(spec)
  })
  return specs
}

/** LinuxPermissionInfo.new's arguments, each parsed as the agent does, in its order. */
function permissionSpec(
  parsed: ParsedAppspec,
  entry: Record<string, YamlValue>,
  at: PathSegment[],
  report: Report
): PermissionSpec | undefined {
  let ok = true
  const fail = (key: string, message: string, fix: string): void => {
    ok = false
    report('error', [...at, key], message, fix)
  }
  const pattern =
    entry.pattern === null || entry.pattern === undefined || entry.pattern === '**'
      ? '**'
      : rubyToS(entry.pattern)
  const except: string[] = []
  if (entry.except !== null && entry.except !== undefined && entry.except !== false) {
    const items = rubyEach(entry.except)
    if ('error' in items)
      fail(
        'except',
        `${RUBY_FAILS}: ${items.error}.`,
        'Write `except` as a list: `except: [name.tmp]`.'
      )
    else except.push(...items.items.map(rubyToS))
  }
  let type = PERMISSION_TYPES
  if (entry.type !== null && entry.type !== undefined && entry.type !== false) {
    const items = rubyEach(entry.type)
    if ('error' in items) {
      fail(
        'type',
        `${RUBY_FAILS}: ${items.error}.`,
        `Write \`type\` as a list: \`type: [${rubyToS(entry.type)}]\`.`
      )
    } else {
      const bad = items.items.find((t) => typeof t !== 'string' || !PERMISSION_TYPES.includes(t))
      if (bad !== undefined)
        fail(
          'type',
          AGENT.permissionType(rubyToS(bad)),
          'List only `file` and/or `directory` under `type`.'
        )
      else type = items.items as string[]
    }
  }
  if (entry.mode !== null && entry.mode !== undefined) {
    const mode = checkMode(
      entry.mode,
      parsed.sourceText([...at, 'mode']),
      parsed.isQuoted([...at, 'mode'])
    )
    for (const f of mode) {
      if (f.severity === 'error') ok = false
      report(f.severity, [...at, 'mode'], f.message, f.fix)
    }
  }
  let acl: AclEntry[] = []
  if (entry.acls !== null && entry.acls !== undefined) {
    const checked = checkAcl(entry.acls)
    for (const f of checked.findings) {
      if (f.severity === 'error') ok = false
      report(f.severity, [...at, 'acls'], f.message, f.fix)
    }
    acl = checked.entries
  }
  if (entry.context !== null && entry.context !== undefined) {
    for (const f of checkContext(entry.context)) {
      if (f.severity === 'error') ok = false
      report(f.severity, [...at, 'context'], f.message, f.fix)
    }
  }
  const object = rubyToS(entry.object).trim()
  if (object === '')
    fail(
      'object',
      AGENT.noObject,
      'Give `object:` the path on the instance the permission applies to.'
    )
  return ok ? { object, pattern, except, type, acl, at } : undefined
}

function checkHooks(
  parsed: ParsedAppspec,
  hooks: YamlValue,
  windows: boolean,
  report: Report
): { event: string; scripts: ScriptRef[] }[] {
  // `(yaml_hash['hooks'] || {}).each_pair`: nil and false are no hooks; anything else must be a map.
  if (
    hooks === undefined ||
    hooks === null ||
    hooks === false ||
    (isHash(hooks) && Object.keys(hooks).length === 0)
  ) {
    report(
      'warning',
      hooks === undefined ? [] : ['hooks'],
      'appspec.yml has no hooks: the agent copies the files and runs nothing, so the app is neither stopped nor (re)started.',
      `Add a \`hooks\` section, e.g. \`hooks:\` then ${EXAMPLE_HOOK}.`
    )
    return []
  }
  if (!isHash(hooks)) {
    const listOfEvents = Array.isArray(hooks) && hooks.every(isHash)
    report(
      'error',
      ['hooks'],
      `${RUBY_FAILS}: ${noMethod('each_pair', hooks)}.`,
      listOfEvents
        ? "`hooks` must map events to scripts: remove the '- ' before each event name (events are keys under `hooks`; their scripts are the list items)."
        : `Write it as \`hooks:\` then ${EXAMPLE_HOOK}.`
    )
    return []
  }

  const byEvent = new Map<string, ScriptRef[]>()
  const unknown: string[] = []
  for (const [event, scripts] of Object.entries(hooks)) {
    const at = ['hooks', event]
    // `if scripts`: an event listed with nothing under it is skipped, known or not.
    if (scripts === null || scripts === undefined || scripts === false) {
      if (!isLifecycleEvent(event)) {
        const meant = closestEvent(event)
        report(
          'warning',
          at,
          `'${event}' is not a lifecycle event; the agent ignores it because it lists no scripts.`,
          meant
            ? `Did you mean "${meant}"? Rename the event (names are case-sensitive).`
            : `Remove it; the events are ${SCRIPTABLE_EVENTS.join(', ')}.`
        )
      }
      continue
    }
    const refs = checkEventScripts(parsed, event, scripts, windows, report)
    if (!isLifecycleEvent(event)) {
      unknown.push(event)
      continue
    }
    if (refs === undefined) continue
    if (isReservedEvent(event)) {
      if (refs.length > 0) {
        const instead = RESERVED_EVENT_ALTERNATIVES[event] ?? []
        report(
          'warning',
          at,
          `${event} is reserved for the work CodeDeploy does itself: the agent accepts the scripts listed under it but they never run.`,
          `Move them to ${instead.join(' or ')}.`
        )
      }
      continue
    }
    byEvent.set(event, refs)
  }
  if (unknown.length > 0) {
    const first = unknown[0] ?? ''
    const meant = unknown.map((e) => [e, closestEvent(e)] as const).filter(([, m]) => m)
    report(
      'error',
      ['hooks', first],
      AGENT.unknownEvents('appspec.yml', rubyInspect(unknown)),
      meant.length > 0
        ? `Did you mean ${meant.map(([e, m]) => `"${m}" for "${e}"`).join(', ')}? Event names are case-sensitive.`
        : `Use only these events: ${SCRIPTABLE_EVENTS.join(', ')}.`
    )
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

/** ScriptInfo for each entry of one event, as parse_hooks builds them; undefined if the agent fails. */
function checkEventScripts(
  parsed: ParsedAppspec,
  event: string,
  scripts: YamlValue,
  windows: boolean,
  report: Report
): ScriptRef[] | undefined {
  const each = rubyEach(scripts)
  if ('error' in each) {
    report(
      'error',
      ['hooks', event],
      `${RUBY_FAILS}: ${each.error}.`,
      `List the scripts of ${event} as items: ${EXAMPLE_HOOK}.`
    )
    return undefined
  }
  const refs: ScriptRef[] = []
  const timed: { at: PathSegment[]; seconds: number; location: string }[] = []
  let failed = false
  each.items.forEach((script, index) => {
    const at = Array.isArray(scripts) ? ['hooks', event, index] : ['hooks', event]
    const has = rubyHasKey(script, 'location')
    if ('error' in has) {
      failed = true
      report(
        'error',
        at,
        `${RUBY_FAILS}: ${has.error}.`,
        typeof script === 'string'
          ? `Write it as \`- location: ${script}\`.`
          : isHash(scripts)
            ? "Put '- ' before `location:` to make the script a list item."
            : 'Write it as `- location: scripts/x.sh`, optionally with `timeout` and `runas` below.'
      )
      return
    }
    const entry = script as Record<string, YamlValue>
    if (!has.has || entry.location === null || entry.location === undefined) {
      failed = true
      report(
        'error',
        at,
        AGENT.noLocation,
        'Add `location:` to this entry: the script path relative to the bundle root.'
      )
      return
    }
    for (const key of Object.keys(entry)) {
      if (SCRIPT_KEYS.includes(key)) continue
      const meant = closestName(key, SCRIPT_KEYS)
      report(
        'warning',
        [...at, key],
        `Unknown key '${key}' in a script of ${event}: the agent ignores it.`,
        meant
          ? `Did you mean '${meant}'? Keys are case-sensitive.`
          : `Remove it; a script takes ${SCRIPT_KEYS.join(', ')}.`
      )
    }
    const runas =
      entry.runas === undefined || entry.runas === null ? undefined : rubyToS(entry.runas).trim()
    const location = rubyToS(entry.location).trim()
    const timeout = checkTimeout(parsed, entry.timeout, [...at, 'timeout'], report)
    if (location === '') {
      failed = true
      report(
        'error',
        at,
        AGENT.noLocation,
        'Give `location:` the script path relative to the bundle root.'
      )
      return
    }
    if (timeout === undefined) {
      failed = true
      return
    }
    if (entry.timeout !== undefined && entry.timeout !== null && entry.timeout !== false)
      timed.push({ at: [...at, 'timeout'], seconds: timeout, location })
    if (runas !== undefined && windows) {
      report(
        'warning',
        [...at, 'runas'],
        '`runas` has no effect on Windows: the Windows agent runs every script as its own account.',
        'Remove `runas`.'
      )
    }
    refs.push({
      event,
      location,
      timeout,
      runas,
      position: parsed.keyPosition([...at, 'location'])
    })
  })

  const tooLong = timed.find((t) => t.seconds > MAX_EVENT_SECONDS)
  const total = timed.reduce((sum, t) => sum + t.seconds, 0)
  if (tooLong) {
    report(
      'warning',
      tooLong.at,
      `timeout ${tooLong.seconds} for ${tooLong.location} is above ${MAX_EVENT_SECONDS} seconds: the agent accepts it, but CodeDeploy fails a lifecycle event that runs longer than an hour, so ${event} fails at ${MAX_EVENT_SECONDS} s whatever this says.`,
      `Set \`timeout\` to ${MAX_EVENT_SECONDS} or less.`
    )
  } else if (total > MAX_EVENT_SECONDS) {
    report(
      'warning',
      ['hooks', event],
      `The timeouts of ${event} add up to ${total} seconds (${timed.map((t) => `${t.location} ${t.seconds}`).join(' + ')}): CodeDeploy fails the event after ${MAX_EVENT_SECONDS} seconds in total, before the last script's timeout is reached.`,
      `Lower them so they add up to ${MAX_EVENT_SECONDS} or less.`
    )
  }
  return failed ? undefined : refs
}

/** The timeout the agent will use, in seconds (`(timeout || 3600).to_i`), or undefined if it fails. */
function checkTimeout(
  parsed: ParsedAppspec,
  timeout: YamlValue,
  at: PathSegment[],
  report: Report
): number | undefined {
  if (timeout === undefined || timeout === null || timeout === false)
    return DEFAULT_SCRIPT_TIMEOUT_SECONDS
  const written = parsed.sourceText(at) ?? rubyToS(timeout)
  const toI = rubyToI(timeout)
  if ('error' in toI) {
    report(
      'error',
      at,
      `${RUBY_FAILS}: ${toI.error}.`,
      `\`timeout: ${written}\` must be a whole number of seconds, e.g. \`timeout: 300\`.`
    )
    return undefined
  }
  if (toI.value <= 0) {
    report(
      'error',
      at,
      AGENT.badTimeout,
      `\`timeout: ${written}\` must be a whole number of seconds from 1 to ${MAX_EVENT_SECONDS}, e.g. \`timeout: 300\`.`
    )
    return undefined
  }
  if (
    !(typeof timeout === 'number' && Number.isInteger(timeout)) &&
    String(toI.value) !== String(timeout).trim()
  ) {
    report(
      'warning',
      at,
      `\`timeout: ${written}\` is read by the agent as ${toI.value} second${toI.value === 1 ? '' : 's'} (Ruby's to_i).`,
      `Write \`timeout: ${toI.value}\`, a whole number of seconds, so it says what happens.`
    )
  }
  return toI.value
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (isHash(value)) return 'a map'
  if (typeof value === 'string') return `the text '${value}'`
  return `the value ${String(value)}`
}
