// YAML scalars as the agent's Ruby (3.1, Psych 4.0.3) loads them: Psych::Visitors::ToRuby's
// deserialize and Psych::ScalarScanner#tokenize, followed line by line, with Ruby's Integer(),
// Float(), String#to_i and String#to_f. The bed's own reading, kept apart from the action's
// (src/appspec/psych-scalar.ts): both are held to the table Psych itself recorded
// (__tests__/agent/psych/scalars.json).

/** A Ruby Symbol, which Psych 4's YAML.load allows (`:name`). */
export class Sym {
  readonly name: string
  constructor(name: string) {
    this.name = name
  }
  toString(): string {
    return this.name
  }
}

/** An exception YAML.load raises while loading a scalar; `message` is Ruby's. */
export class PsychLoadError extends Error {
  readonly rubyClass: string
  constructor(rubyClass: string, message: string) {
    super(message)
    this.rubyClass = rubyClass
  }
}

/** Ruby's `\s` (ASCII only). */
const WS = '[ \\t\\n\\v\\f\\r]'

/** A Ruby regular expression: `^` and `$` anchor lines, as they always do in Ruby. */
const rx = (source: string, flags = ''): RegExp => new RegExp(source, `m${flags}`)

const TIME = rx(
  `^-?\\d{4}-\\d{1,2}-\\d{1,2}(?:[Tt]|${WS}+)\\d{1,2}:\\d\\d:\\d\\d(?:\\.\\d*)?(?:${WS}*(?:Z|[-+]\\d{1,2}:?(?:\\d\\d)?))?$`
)
const FLOAT = rx('^(?:[-+]?([0-9][0-9_,]*)?\\.[0-9]*([eE][-+][0-9]+)?)$')
const INTEGER = rx(
  '^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$'
)

/**
 * The value of one scalar: `plain` false for quoted and block scalars, `tag` the explicit tag
 * (`tag:yaml.org,2002:int`) if any. Throws PsychLoadError where YAML.load raises.
 */
export function loadScalar(value: string, plain: boolean, tag?: string): unknown {
  // libyaml calls a scalar "quoted" when it is neither plain nor tagged.
  if (!plain && !tag) return value
  if (!tag) return tokenize(value)
  if (tag === '!binary' || tag === 'tag:yaml.org,2002:binary')
    return Buffer.from(value, 'base64').toString('latin1')
  if (/^!(?:str|ruby\/string)$/.test(tag) || tag === 'tag:yaml.org,2002:str') return value
  if (tag === 'tag:yaml.org,2002:float' || tag === '!float') {
    const v = tokenize(value)
    if (typeof v === 'number' || typeof v === 'bigint') return Number(v)
    if (typeof v === 'string') return rubyFloat(v)
    throw new PsychLoadError(
      'TypeError',
      `can't convert ${v === null ? 'nil' : String(v)} into Float`
    )
  }
  return tokenize(value)
}

export function tokenize(string: string): unknown {
  if (string.length === 0) return null

  if (
    rx(`^[^\\d.:-]?[\\p{Alphabetic}_${WS.slice(1, -1)}!@#$%\\^&*(){}<>|/\\\\~;=]+`, 'u').test(
      string
    ) ||
    string.includes('\n')
  ) {
    if (Array.from(string).length > 5) return string
    if (rx('^[^ytonf~]', 'i').test(string)) return string
    if (string === '~' || rx('^null$', 'i').test(string)) return null
    if (rx('^(yes|true|on)$', 'i').test(string)) return true
    if (rx('^(no|false|off)$', 'i').test(string)) return false
    return string
  }
  if (TIME.test(string)) throw disallowed('Time')
  if (rx('^\\d{4}-(?:1[012]|0\\d|\\d)-(?:[12]\\d|3[01]|0\\d|\\d)$').test(string))
    throw disallowed('Date')
  if (rx('^\\+?\\.inf$', 'i').test(string)) return Infinity
  if (rx('^-\\.inf$', 'i').test(string)) return -Infinity
  if (rx('^\\.nan$', 'i').test(string)) return NaN
  if (rx('^:.').test(string)) {
    const quoted = rx(`^:(["'])(.*)\\1`).exec(string)
    return new Sym(quoted ? quoted[2]!.replace(/^:/, '') : string.replace(/^:/, ''))
  }
  if (rx('^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$').test(string)) {
    let i = 0n
    string.split(':').forEach((n, e) => {
      i += toI(n) * 60n ** BigInt(Math.abs(e - 2))
    })
    return small(i)
  }
  if (rx('^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\\.[0-9_]*$').test(string)) {
    let i = 0
    string.split(':').forEach((n, e) => {
      i += toF(n) * 60 ** Math.abs(e - 2)
    })
    return i
  }
  if (FLOAT.test(string)) {
    if (/^[-+]?\.$/.test(string)) return string
    return rubyFloat(string.replace(/[,_]|\.([Ee]|$)/g, '$1'))
  }
  if (INTEGER.test(string)) return rubyInteger(string.replace(/[,_]/g, ''))
  return string
}

const disallowed = (name: string): PsychLoadError =>
  new PsychLoadError('Psych::DisallowedClass', `Tried to load unspecified class: ${name}`)

/** Integers as JS numbers where exact, bigint beyond. */
function small(i: bigint): number | bigint {
  return i <= BigInt(Number.MAX_SAFE_INTEGER) && i >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(i)
    : i
}

/** Kernel#Integer on what INTEGER admits: 0b binary, 0x hex, a leading 0 octal, else decimal. */
function rubyInteger(s: string): number | bigint {
  const sign = s.startsWith('-') ? -1n : 1n
  const body = s.replace(/^[-+]/, '')
  let radix = 10
  let digits = body
  if (body.startsWith('0b')) [radix, digits] = [2, body.slice(2)]
  else if (body.startsWith('0x')) [radix, digits] = [16, body.slice(2)]
  else if (body.length > 1 && body.startsWith('0')) [radix, digits] = [8, body.slice(1)]
  if (digits === '')
    throw new PsychLoadError('ArgumentError', `invalid value for Integer(): "${s}"`)
  let n = 0n
  for (const d of digits) n = n * BigInt(radix) + BigInt(Number.parseInt(d, radix))
  return small(sign * n)
}

/** Kernel#Float on a decimal text. */
function rubyFloat(s: string): number {
  const d = '\\d+(?:_\\d+)*'
  if (!new RegExp(`^[-+]?(?:${d}(?:\\.${d})?|\\.${d})(?:[eE][-+]?${d})?$`).test(s))
    throw new PsychLoadError('ArgumentError', `invalid value for Float(): "${s}"`)
  return Number(s.replaceAll('_', ''))
}

function toI(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([-+]?)(\d+(?:_\d+)*)/.exec(s)
  if (!m) return 0n
  const n = BigInt(m[2]!.replaceAll('_', ''))
  return m[1] === '-' ? -n : n
}

function toF(s: string): number {
  const m = /^[ \t\n\v\f\r]*[-+]?\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][-+]?\d+(?:_\d+)*)?/.exec(s)
  return m ? Number(m[0].replaceAll('_', '')) : 0
}
