// appspec.yml as the CodeDeploy agent 1.8.1 reads it: a line-by-line port of its
// ApplicationSpecification (application_specification/*.rb) over what Psych 4 loads, raising the
// agent's first error in its own words (Ruby's own NoMethodError/TypeError where the agent calls
// a method the value lacks). Pure: text in, parsed spec or AppSpecError out. The bed's agent and
// the real one are compared case by case in __tests__/testbed/agent-conformance.test.ts.
import { ALLOW_TRAFFIC_EVENTS, BLOCK_TRAFFIC_EVENTS, IN_PLACE_EVENTS } from '../agents/agent.ts'
import { parsePermission } from './permissions.ts'
import {
  each,
  fail,
  falsy,
  hasKey,
  index,
  isHash,
  nil,
  noMethod,
  rubyClass,
  toI,
  toS,
  type V
} from './ruby-values.ts'
import { load } from './yaml-load.ts'

// Its error, which callers catch.
export { AppSpecError } from './ruby-values.ts'

export interface HookScript {
  location: string
  timeout: number
  runas?: string
  sudo: boolean
}

export interface FileMapping {
  source: string
  destination: string
  /** The Ruby class of a source or destination that is not text: File.join raises on it. */
  notText?: string
}

export interface AceEntry {
  default: boolean
  type: string
  name: string
  perms: string
}

export interface Permission {
  object: string
  pattern: string
  except: string[]
  type: string[]
  owner?: string
  group?: string
  mode?: string
  acls?: AceEntry[]
  context?: { user?: string; type: string; range?: string }
}

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN'

export interface AppSpec {
  os: string
  files: FileMapping[]
  permissions: Permission[]
  hooks: Map<string, HookScript[]>
  fileExistsBehavior?: FileExistsBehavior
}

// What CodeDeploy sends the agent as the possible events of an EC2 deployment.
const ALL_LIFECYCLE_EVENTS = [...BLOCK_TRAFFIC_EVENTS, ...IN_PLACE_EVENTS, ...ALLOW_TRAFFIC_EVENTS]

const EMPTY =
  "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties."
const NO_LOCATION =
  'The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.'
const BAD_TIMEOUT =
  'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.'
const NO_SOURCE =
  'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.'
export function parseAppSpec(text: string): AppSpec {
  const { value: yaml, versionText } = load(text)
  // Psych loads an empty document as false, a comment-only one as nil: both are "empty".
  if (falsy(yaml)) fail(EMPTY)
  const version = index(yaml, 'version')
  if (version !== 0) {
    const shown = typeof version === 'number' ? (versionText ?? toS(version)) : toS(version)
    fail(
      `The deployment failed because an invalid version value (${shown}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`
    )
  }
  const os = index(yaml, 'os')
  // This bed's instances run Linux: the agent there supports `linux` only.
  if (os !== 'linux')
    fail(
      `The deployment failed because the application specification file specifies an unsupported operating system (${toS(os)}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`
    )
  const hooks = parseHooks(falsy(index(yaml, 'hooks')) ? {} : index(yaml, 'hooks'))
  const files = each(falsy(index(yaml, 'files')) ? [] : index(yaml, 'files')).map(parseFile)
  const permissions = each(falsy(index(yaml, 'permissions')) ? [] : index(yaml, 'permissions')).map(
    parsePermission
  )
  const feb = index(yaml, 'file_exists_behavior')
  if (!nil(feb) && !(typeof feb === 'string' && ['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(feb)))
    fail(
      `The deployment failed because an invalid file_exists_behavior value (${toS(feb)}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`
    )
  return {
    os: 'linux',
    files,
    permissions,
    hooks,
    ...(nil(feb) ? {} : { fileExistsBehavior: feb as FileExistsBehavior })
  }
}

function parseHooks(raw: V): Map<string, HookScript[]> {
  if (!isHash(raw)) return noMethod('each_pair', raw)
  const hooks = new Map<string, HookScript[]>()
  for (const [event, scripts] of Object.entries(raw)) {
    if (falsy(scripts)) continue // "Ignore empty hooks."
    hooks.set(
      event,
      each(scripts).map((script): HookScript => {
        if (!(hasKey(script, 'location') && !nil((script as Record<string, V>).location)))
          fail(NO_LOCATION)
        const s = script as Record<string, V>
        const location = toS(s.location).trim()
        if (location === '') fail(NO_LOCATION)
        const runas = hasKey(s, 'runas') && !nil(s.runas) ? toS(s.runas).trim() : undefined
        const timeout = toI(falsy(s.timeout) ? 3600 : s.timeout)
        if (timeout <= 0) fail(BAD_TIMEOUT)
        return {
          location,
          timeout,
          sudo: !falsy(s.sudo),
          ...(runas !== undefined ? { runas } : {})
        }
      })
    )
  }
  return hooks
}

function parseFile(mapping: V): FileMapping {
  const source = index(mapping, 'source')
  const destination = index(mapping, 'destination')
  if (nil(source)) fail(NO_SOURCE)
  if (nil(destination))
    fail(
      `The deployment failed because the application specification file specifies only a source file (${toS(source)}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`
    )
  // FileInfo keeps the values as YAML gave them; the installer's File.join takes text (and lists
  // of text, joined) and raises a TypeError on anything else.
  const asPath = (v: V): string | { notText: string } => {
    if (typeof v === 'string') return v
    if (Array.isArray(v)) {
      const parts = v.flat(Infinity).map(asPath)
      const bad = parts.find((p) => typeof p !== 'string')
      return bad ?? parts.join('/')
    }
    // Ruby names true, false and nil by value in this TypeError, other classes by name.
    return { notText: v === true || v === false ? String(v) : rubyClass(v) }
  }
  const [from, to] = [asPath(source), asPath(destination)]
  const notText = typeof from !== 'string' ? from : typeof to !== 'string' ? to : undefined
  return {
    source: typeof from === 'string' ? from : toS(source),
    destination: typeof to === 'string' ? to : toS(destination),
    ...(notText ? { notText: notText.notText } : {})
  }
}

// The agent's check (at Install) that every hook in the appspec is an event CodeDeploy knows.
export function unknownLifecycleEvents(spec: AppSpec): string[] {
  return [...spec.hooks.keys()].filter((e) => !ALL_LIFECYCLE_EVENTS.includes(e))
}
