// appspec.yml as the CodeDeploy agent 1.8.1 reads it: a line-by-line port of its
// ApplicationSpecification (application_specification/*.rb) over what Psych 4 loads, raising the
// agent's first error in its own words (Ruby's own NoMethodError/TypeError where the agent calls
// a method the value lacks). Pure: text in, parsed spec or AppSpecError out. The bed's agent and
// the real one are compared case by case in __tests__/agent/emulator.test.ts.
import { parseDocument, visit, isMap, isScalar, type Document } from 'yaml'
import { loadScalar, PsychLoadError, Sym } from './psych.ts'

export class AppSpecError extends Error {}

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

const fail = (message: string): never => {
  throw new AppSpecError(message)
}

// ---- Ruby semantics of the loaded values --------------------------------------------------------

type V = unknown
const isHash = (v: V): v is Record<string, V> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Sym)
const nil = (v: V): boolean => v === null || v === undefined
const falsy = (v: V): boolean => nil(v) || v === false

function rubyClass(v: V): string {
  if (nil(v)) return 'NilClass'
  if (v === true) return 'TrueClass'
  if (v === false) return 'FalseClass'
  if (typeof v === 'string') return 'String'
  if (v instanceof Sym) return 'Symbol'
  if (typeof v === 'bigint') return 'Integer'
  if (typeof v === 'number') return Number.isInteger(v) ? 'Integer' : 'Float'
  if (Array.isArray(v)) return 'Array'
  return 'Hash'
}

export function rubyInspect(v: V): string {
  if (nil(v)) return 'nil'
  if (typeof v === 'string') return JSON.stringify(v)
  if (v instanceof Sym)
    return /^[A-Za-z_]\w*[?!]?$/.test(v.name) ? `:${v.name}` : `:${JSON.stringify(v.name)}`
  if (Array.isArray(v)) return `[${v.map(rubyInspect).join(', ')}]`
  if (isHash(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}=>${rubyInspect(x)}`)
      .join(', ')}}`
  return String(v)
}

const toS = (v: V): string =>
  nil(v) ? '' : typeof v === 'string' || v instanceof Sym ? String(v) : rubyInspect(v)
const noMethod = (method: string, v: V): never =>
  fail(`undefined method \`${method}' for ${rubyInspect(v)}:${rubyClass(v)}`)

/** `v[key]`. */
function index(v: V, key: string): V {
  if (typeof v === 'string' || v instanceof Sym) return String(v).includes(key) ? key : null
  if (Array.isArray(v) || typeof v === 'number' || typeof v === 'bigint')
    return fail('no implicit conversion of String into Integer')
  if (isHash(v)) return v[key]
  return noMethod('[]', v)
}

/** The items `v.each` yields: a list's items, a Hash's [key, value] pairs. */
function each(v: V): V[] {
  if (Array.isArray(v)) return v
  if (isHash(v)) return Object.entries(v)
  return noMethod('each', v)
}

function hasKey(v: V, key: string): boolean {
  return isHash(v) ? key in v : noMethod('has_key?', v)
}

function toI(v: V): number {
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'string') {
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)/.exec(v)
    return m ? (m[1] === '-' ? -1 : 1) * Number((m[2] ?? '0').replaceAll('_', '')) : 0
  }
  return noMethod('to_i', v)
}

// ---- YAML.load (Psych 4) --------------------------------------------------------------------

/**
 * After a UTF-8 BOM, libyaml ends the first top-level mapping at the next line starting in
 * column 0 (found with the real agent): keep what it keeps.
 */
function bomCut(text: string): string {
  if (!text.startsWith('\ufeff')) return text
  const source = text.slice(1)
  const first = source.split('\n', 1)[0] ?? ''
  if (/^\s*(#.*)?\r?$/.test(first)) return source
  const next = /\n(?=[^\s#])/.exec(source.slice(first.length))
  return next ? source.slice(0, first.length + next.index + 1) : source
}

// libyaml's words for the `yaml` package's errors, as Psych reports them.
const PSYCH: Record<string, string> = {
  TAB_AS_INDENT: 'found character that cannot start any token while scanning for the next token',
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  BLOCK_IN_FLOW: 'did not find expected node content while parsing a flow node'
}

/**
 * Where Psych says a syntax error is: libyaml's context mark (the unclosed bracket or quote)
 * where there is one, else the problem (the stray ':'), else where the `yaml` package saw it.
 */
function psychMark(
  code: string,
  message: string,
  source: string,
  at: { line: number; col: number } | undefined
): [number, number] {
  const open = unclosed(source)
  if (code === 'BAD_INDENT' && /^Flow (sequence|map)/.test(message) && open.bracket)
    return open.bracket
  if (code === 'MISSING_CHAR' && /quote/i.test(message) && open.quote) return open.quote
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && at) {
    const text = source.split('\n')[at.line - 1] ?? ''
    const colon = /:(?=\s|$)/.exec(text.slice(at.col - 1))
    if (colon) return [at.line, at.col + colon.index]
  }
  return at ? [at.line, at.col] : [1, 1]
}

/** The innermost flow bracket and the quote still open at the end of the text, 1-based. */
function unclosed(source: string): { bracket?: [number, number]; quote?: [number, number] } {
  const brackets: [number, number][] = []
  let quote: { char: string; at: [number, number] } | undefined
  let line = 1
  let col = 0
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    col++
    if (c === '\n') {
      line++
      col = 0
      continue
    }
    if (quote) {
      if (quote.char === '"' && c === '\\') {
        i++
        col++
      } else if (c === quote.char) {
        if (c === "'" && source[i + 1] === "'") {
          i++
          col++
        } else quote = undefined
      }
      continue
    }
    if (c === '#' && (col === 1 || /\s/.test(source[i - 1]!))) {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++
    } else if (c === '"' || c === "'") quote = { char: c, at: [line, col] }
    else if (c === '[' || c === '{') brackets.push([line, col])
    else if ((c === ']' || c === '}') && brackets.length > 0) brackets.pop()
  }
  return {
    ...(brackets.length > 0 ? { bracket: brackets[brackets.length - 1] } : {}),
    ...(quote ? { quote: quote.at } : {})
  }
}

function load(text: string): { value: V; versionText?: string } {
  const source = bomCut(text)
  // Every scalar a string first (failsafe), then the value Psych gives it (psych.ts).
  const doc: Document = parseDocument(source, { version: '1.1', schema: 'failsafe' })
  const error = doc.errors.find(
    (e) =>
      e.code !== 'DUPLICATE_KEY' &&
      e.code !== 'MULTIPLE_DOCS' &&
      !(e.code === 'TAG_RESOLVE_FAILED' && e.message.startsWith('Unresolved tag'))
  )
  if (error) {
    const m = error.message
    const [line, column] = psychMark(error.code, m, source, error.linePos?.[0])
    const problem =
      PSYCH[error.code] ??
      (m.startsWith('Flow sequence')
        ? "did not find expected ',' or ']' while parsing a flow sequence"
        : m.startsWith('Flow map')
          ? "did not find expected ',' or '}' while parsing a flow mapping"
          : /quote/i.test(m)
            ? 'found unexpected end of stream while scanning a quoted scalar'
            : m.split(' at line')[0])
    fail(`(<unknown>): ${problem} at line ${line} column ${column}`)
  }
  visit(doc, {
    Alias(_k, node) {
      fail(`Unknown alias: ${node.source}`)
    },
    Scalar(_k, node) {
      try {
        node.value = loadScalar(
          String(node.source ?? node.value ?? ''),
          node.type === 'PLAIN',
          node.tag
        )
      } catch (e) {
        if (e instanceof PsychLoadError) fail(e.message)
        throw e
      }
    }
  })
  // Ruby prints a version as written: 1.0 stays "1.0" (a Float), which JS numbers lose.
  const node = isMap(doc.contents) ? doc.contents.get('version', true) : undefined
  const plain = isScalar(node) && node.type === 'PLAIN' && node.range
  return {
    value: doc.toJS() as V,
    ...(plain ? { versionText: source.slice(node.range![0], node.range![1]) } : {})
  }
}

// ---- ApplicationSpecification.new ----------------------------------------------------------

const EMPTY =
  "The deployment failed because the application specification file was empty. Make sure your AppSpec file defines at minimum the 'version' and 'os' properties."
const NO_LOCATION =
  'The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.'
const BAD_TIMEOUT =
  'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.'
const NO_SOURCE =
  'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.'
const NO_OBJECT =
  'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.'

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

function parsePermission(p: V): Permission {
  if (!hasKey(p, 'object') || nil((p as Record<string, V>).object)) fail(NO_OBJECT)
  const e = p as Record<string, V>
  const pattern = e.pattern === '**' || nil(e.pattern) ? '**' : toS(e.pattern)
  const except = each(falsy(e.except) ? [] : e.except).map(toS)
  const type = each(falsy(e.type) ? ['file', 'directory'] : e.type).map((t) => {
    if (t !== 'file' && t !== 'directory')
      fail(
        `The deployment failed because the application specification filespecifies a permission for an object type not supported for permissions (${toS(t)}). Update the permissions section of the AppSpec file, and then try again.`
      )
    return t as string
  })
  const mode = nil(e.mode) ? undefined : parseMode(e.mode)
  const acls = nil(e.acls) ? undefined : each(e.acls).map(parseAce)
  const context = nil(e.context) ? undefined : parseContext(e.context)
  const object = toS(e.object).trim()
  if (object === '') fail(NO_OBJECT)
  return {
    object,
    pattern,
    except,
    type,
    ...(nil(e.owner) ? {} : { owner: toS(e.owner) }),
    ...(nil(e.group) ? {} : { group: toS(e.group) }),
    ...(mode !== undefined ? { mode } : {}),
    ...(acls !== undefined ? { acls } : {}),
    ...(context !== undefined ? { context } : {})
  }
}

function parseMode(raw: V): string {
  let mode = toS(raw)
  while (mode.length < 3) mode = `0${mode}`
  if (mode.length > 4)
    fail(
      `The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.`
    )
  const bad = [...mode].find((c) => c < '0' || c > '7')
  if (bad !== undefined)
    fail(
      `The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${bad}). Update the permissions section of the AppSpec file, and then try again.`
    )
  return mode
}

// AceInfo.new
function parseAce(ace: V): AceEntry {
  if (typeof ace !== 'string') return noMethod('split', ace)
  const invalid = `The deployment failed because of a problem with the acls permission settings in the application specification file. Invalid acl entry (${ace}).`
  const parts = ace.split(':').reverse()
  if (parts.length < 2 || parts.length > 4) fail(invalid)
  let isDefault = false
  let type: string | undefined
  let name = ''
  if (parts.length === 4) {
    if (!['d', 'default'].includes(parts[3]!)) fail(invalid)
    isDefault = true
  }
  if (parts.length >= 3) {
    const k = parts[2]!
    if (['d', 'default'].includes(k)) {
      if (isDefault) fail(invalid)
      isDefault = true
    } else if (['m', 'mask'].includes(k)) type = 'mask'
    else if (['o', 'other'].includes(k)) type = 'other'
    else if (['g', 'group'].includes(k)) type = 'group'
    else if (['u', 'user'].includes(k)) type = 'user'
    else fail(invalid)
  }
  const who = parts[1]!
  if (['m', 'mask'].includes(who)) {
    if (type === undefined) type = 'mask'
    else name = 'mask'
  } else if (['o', 'other'].includes(who)) {
    if (type === undefined) type = 'other'
    else name = 'other'
  } else {
    type ??= 'user'
    name = who
  }
  if ((type === 'mask' || type === 'other') && name !== '') fail(invalid)
  if (!isDefault && type !== 'mask' && name === '')
    fail(
      `The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (${ace}). Update the permissions section of the AppSpec file, and then try again.`
    )
  const raw = parts[0]!
  let perms: string
  if (raw.length === 1 && raw >= '0' && raw <= '7') {
    const n = Number(raw)
    perms = `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`
  } else {
    const bad = [...raw].find((c) => !'rwx-'.includes(c))
    if (bad !== undefined)
      fail(
        `The deployment failed because the access control list (ACL) named ${ace} in the application specification file contains an invalid character (${bad}). Correct the ACL in the hooks section of the AppSpec file, and then try again.`
      )
    perms = `${raw.includes('r') ? 'r' : '-'}${raw.includes('w') ? 'w' : '-'}${raw.includes('x') ? 'x' : '-'}`
  }
  return { default: isDefault, type: type ?? 'user', name, perms }
}

// ContextInfo.new and RangeInfo.new
function parseContext(context: V): { user?: string; type: string; range?: string } {
  const type = index(context, 'type')
  if (nil(type))
    fail(
      `The deployment failed because the application specification file specifies an invalid context type (${rubyInspect(context)}). Update the permissions section of the AppSpec file, and then try again.`
    )
  const user = index(context, 'name')
  const range = index(context, 'range')
  return {
    type: toS(type),
    ...(nil(user) ? {} : { user: toS(user) }),
    ...(nil(range) ? {} : { range: parseRange(range) })
  }
}

function parseRange(range: V): string {
  if (typeof range !== 'string') return noMethod('include?', range)
  const parts = ensureParts(range, ':')
  const sensitivity = ensureParts(parts[0]!, '-')
  const low = sensitivityNumber(sensitivity[0]!)
  const high = sensitivity.length === 2 ? sensitivityNumber(sensitivity[1]!) : low
  if (high < low)
    fail(
      `The deployment failed because of a problem with the SELinux range specified (${range}) for the context parameter in the permissions section of the application specification file. Make corrections in the permissions section of the AppSpec file, and then try again.`
    )
  let categories: number[] | undefined
  if (parts.length === 2) {
    categories = []
    for (const part of parts[1]!.split(',')) {
      if (part.includes('.')) {
        const [a, b] = ensureParts(part, '.')
        const from = categoryNumber(a!)
        const to = categoryNumber(b!)
        if (to < from) fail(`invalid category range ${a}.${b}`)
        for (let c = from; c <= to; c++) categories.push(c)
      } else categories.push(categoryNumber(part))
    }
    if (new Set(categories).size !== categories.length) fail('duplicate categories')
    categories.sort((x, y) => x - y)
  }
  return rangeText(low, high, categories)
}

function ensureParts(input: string, separator: string): string[] {
  const at = input.indexOf(separator)
  const parts = at < 0 ? [input] : [input.slice(0, at), input.slice(at + 1)]
  if (parts.some((p) => p === '')) fail(`invalid range part ${input}`)
  return parts
}

function sensitivityNumber(s: string): number {
  const digits = s.slice(1).replace('s', '')
  if (s.length < 2 || !s.startsWith('s') || !/^\d*$/.test(digits)) fail(`invalid sensitivity ${s}`)
  return Number(digits || '0')
}

function categoryNumber(c: string): number {
  const digits = c.slice(1).replace('c', '')
  if (c.length < 2 || !c.startsWith('c') || !/^\d*$/.test(digits) || Number(digits || '0') > 1023)
    fail(`invalid category ${c}`)
  return Number(digits || '0')
}

// RangeInfo#get_range: s<low>[-s<high>][:c<a>[.c<b>],...]
function rangeText(low: number, high: number, categories?: number[]): string {
  let text = `s${low}${low !== high ? `-s${high}` : ''}`
  if (categories) {
    const runs: string[] = []
    for (let i = 0; i < categories.length;) {
      let j = i
      while (j + 1 < categories.length && categories[j + 1] === categories[j]! + 1) j++
      runs.push(i === j ? `c${categories[i]}` : `c${categories[i]}.c${categories[j]}`)
      i = j + 1
    }
    text += `:${runs.join(',')}`
  }
  return text
}

// The agent's check (at Install) that every hook in the appspec is an event CodeDeploy knows.
export function unknownLifecycleEvents(spec: AppSpec): string[] {
  return [...spec.hooks.keys()].filter((e) => !ALL_LIFECYCLE_EVENTS.includes(e))
}
