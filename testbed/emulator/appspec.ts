// appspec.yml as the CodeDeploy agent reads it (Ruby/Psych semantics), failing with the agent's
// own messages. Pure: text in, parsed spec or AppSpecError out.
import { parseDocument, isScalar, isMap } from 'yaml'

export class AppSpecError extends Error {}

export interface HookScript {
  location: string
  timeout: number
  runas?: string
}

export interface FileMapping {
  source: string
  destination: string
}

export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN'

export interface AppSpec {
  os: string
  files: FileMapping[]
  hooks: Map<string, HookScript[]>
  fileExistsBehavior?: FileExistsBehavior
}

// What CodeDeploy sends the agent as the possible events of an EC2 in-place deployment.
export const ALL_LIFECYCLE_EVENTS = [
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic',
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
]

const EMPTY =
  "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties."
const NO_LOCATION =
  'The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.'
const BAD_TIMEOUT =
  'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.'
const NO_SOURCE =
  'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.'
const NO_PERMISSION_OBJECT =
  'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.'

// Ruby's to_s of a YAML scalar: floats keep their ".0", nil is empty.
function rubyString(node: unknown): string {
  if (!isScalar(node)) return node === undefined || node === null ? '' : String(node)
  const v = node.value
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') {
    const src = (node.source ?? String(v)).toLowerCase()
    const isFloat = /[.e]/.test(src) && !src.startsWith('0x')
    return isFloat && Number.isInteger(v) ? v.toFixed(1) : String(v)
  }
  return String(v)
}

// Ruby's Array#inspect for a list of strings.
export function rubyInspect(list: string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(', ')}]`
}

// Ruby's String#to_i: leading digits, else 0.
function rubyToI(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v)
  const m = /^\s*([+-]?\d+)/.exec(String(v))
  return m ? parseInt(m[1]!, 10) : 0
}

export function parseAppSpec(text: string): AppSpec {
  let doc
  try {
    doc = parseDocument(text, { version: '1.1' })
  } catch (e) {
    throw new AppSpecError(
      `The deployment failed because of a YAML parsing error: ${(e as Error).message}`
    )
  }
  if (doc.errors.length > 0) {
    throw new AppSpecError(
      `The deployment failed because of a YAML parsing error: ${doc.errors[0]!.message}`
    )
  }
  const root = doc.contents
  if (
    root === null ||
    root === undefined ||
    (isScalar(root) && (root.value === null || root.value === false))
  ) {
    throw new AppSpecError(EMPTY)
  }
  const get = (key: string): unknown => (isMap(root) ? root.get(key, true) : undefined)
  const version = get('version')
  if (!(isScalar(version) && typeof version.value === 'number' && version.value === 0)) {
    throw new AppSpecError(
      `The deployment failed because an invalid version value (${rubyString(version)}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`
    )
  }
  const os = rubyString(get('os'))
  if (os !== 'linux') {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies an unsupported operating system (${os}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`
    )
  }
  const plain = isMap(root) ? (doc.toJS() as Record<string, unknown>) : {}

  const hooks = new Map<string, HookScript[]>()
  const rawHooks = plain.hooks ?? {}
  if (typeof rawHooks !== 'object' || Array.isArray(rawHooks)) {
    throw new AppSpecError(`undefined method \`each_pair' for ${JSON.stringify(rawHooks)}`)
  }
  for (const [event, scripts] of Object.entries(rawHooks as Record<string, unknown>)) {
    if (!Array.isArray(scripts)) throw new AppSpecError("undefined method `each' for nil:NilClass")
    hooks.set(
      event,
      scripts.map((s: Record<string, unknown> | null): HookScript => {
        const location = s?.location
        if (location === undefined || location === null || String(location).trim() === '') {
          throw new AppSpecError(NO_LOCATION)
        }
        const timeout = s?.timeout === undefined || s.timeout === null ? 3600 : rubyToI(s.timeout)
        if (timeout <= 0) throw new AppSpecError(BAD_TIMEOUT)
        const runas = s?.runas
        return {
          location: String(location).trim(),
          timeout,
          ...(runas === undefined || runas === null ? {} : { runas: String(runas).trim() })
        }
      })
    )
  }

  const files = ((plain.files ?? []) as Record<string, unknown>[]).map((f): FileMapping => {
    if (f?.source === undefined || f.source === null) throw new AppSpecError(NO_SOURCE)
    if (f.destination === undefined || f.destination === null) {
      throw new AppSpecError(
        `The deployment failed because the application specification file specifies only a source file (${String(f.source)}). Add the name of the destination file to the files section of the AppSpec file, and then try again.`
      )
    }
    return { source: String(f.source), destination: String(f.destination) }
  })

  for (const p of (plain.permissions ?? []) as Record<string, unknown>[]) {
    if (p?.object === undefined || p.object === null) throw new AppSpecError(NO_PERMISSION_OBJECT)
  }

  const feb = plain.file_exists_behavior
  let fileExistsBehavior: FileExistsBehavior | undefined
  if (feb !== undefined && feb !== null) {
    const v = String(feb).toUpperCase()
    if (v !== 'DISALLOW' && v !== 'OVERWRITE' && v !== 'RETAIN') {
      throw new AppSpecError(
        `The deployment failed because an invalid file_exists_behavior value (${String(feb)}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`
      )
    }
    fileExistsBehavior = v
  }
  return { os, files, hooks, fileExistsBehavior }
}

// The agent's check (at Install) that every hook in the appspec is an event CodeDeploy knows.
export function unknownLifecycleEvents(spec: AppSpec): string[] {
  return [...spec.hooks.keys()].filter((e) => !ALL_LIFECYCLE_EVENTS.includes(e))
}
