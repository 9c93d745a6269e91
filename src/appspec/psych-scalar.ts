// Scalars as the agent's YAML reader gives them: Psych 4 on Ruby 3.1 (Debian's, which the agent
// runs on). A port of Psych::Visitors::ToRuby#deserialize and Psych::ScalarScanner#tokenize
// (psych 4.0.3), with the Integer(), Float(), String#to_i and String#to_f they call. The `yaml`
// package's YAML 1.1 schema differs on forms users write: `.` (a NaN there, "." here), `y`/`n`
// (booleans there, strings here), `1e3` (1000 there, "1e3" here), `1:20` (80 there, 4800 here).
//
// Ruby's `^` and `$` match at every line, its `\s` and `\d` are ASCII: the regular expressions
// below keep that (flag m, explicit classes), so multi-line plain scalars read as in Ruby too.

import { RubySymbol, stringToI } from './ruby.js'

/** A Ruby value a scalar loads as; `value` is its JS form (Integers beyond 2^53 as bigint). */
export type RubyScalar =
  | { class: 'NilClass'; value: null }
  | { class: 'TrueClass'; value: true }
  | { class: 'FalseClass'; value: false }
  | { class: 'Integer'; value: number | bigint }
  | { class: 'Float'; value: number }
  | { class: 'String'; value: string }
  | { class: 'Symbol'; value: RubySymbol }

/** What `YAML.load` does with one scalar: a value, or the exception it raises. */
export type PsychScalar =
  | RubyScalar
  | {
      class: 'error'
      /** The exception's class, as Ruby names it. */
      error: 'Psych::DisallowedClass' | 'ArgumentError' | 'TypeError'
      /** Its message: the agent's words when YAML.load fails on the appspec. */
      message: string
    }

/** How a scalar was written: `plain`, or quoted/block (always a string), and its explicit tag. */
export interface ScalarForm {
  text: string
  plain: boolean
  /** The explicit tag as the YAML parser resolved it (`tag:yaml.org,2002:int` for `!!int`). */
  tag?: string
}

const YAML_TAG = 'tag:yaml.org,2002:'

const str = (value: string): RubyScalar => ({ class: 'String', value })
const int = (value: bigint): RubyScalar => ({
  class: 'Integer',
  value:
    value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value
})
const float = (value: number): RubyScalar => ({ class: 'Float', value })
const disallowed = (name: string): PsychScalar => ({
  class: 'error',
  error: 'Psych::DisallowedClass',
  message: `Tried to load unspecified class: ${name}`
})
const argumentError = (kind: 'Integer' | 'Float', text: string): PsychScalar => ({
  class: 'error',
  error: 'ArgumentError',
  message: `invalid value for ${kind}(): ${rubyStringInspect(text)}`
})

/** ToRuby#deserialize: quoted and block scalars are strings; explicit tags as Psych reads them. */
export function psychScalar(form: ScalarForm): PsychScalar {
  // libyaml marks a scalar "quoted" when it is not plain and has no tag of its own.
  if (!form.plain && form.tag === undefined) return str(form.text)
  if (form.tag === undefined) return tokenize(form.text)
  switch (form.tag) {
    case `${YAML_TAG}binary`:
    case '!binary':
      return str(Buffer.from(form.text, 'base64').toString('latin1'))
    case `${YAML_TAG}str`:
    case '!str':
      return str(form.text)
    case `${YAML_TAG}float`:
    case '!float':
      return toFloat(tokenize(form.text))
    default:
      return tokenize(form.text)
  }
}

/** `Float(x)` of what tokenize gave, for `!!float`. */
function toFloat(scalar: PsychScalar): PsychScalar {
  switch (scalar.class) {
    case 'Integer':
      return float(Number(scalar.value))
    case 'Float':
    case 'error':
      return scalar
    case 'Symbol':
      return { class: 'error', error: 'TypeError', message: "can't convert Symbol into Float" }
    case 'String':
      return rubyFloat(scalar.value)
    default:
      return {
        class: 'error',
        error: 'TypeError',
        message: `can't convert ${scalar.class === 'NilClass' ? 'nil' : String(scalar.value)} into Float`
      }
  }
}

// ScalarScanner's patterns, in its order. `[[:alpha:]]` is Unicode's Alphabetic property.
const STRINGISH = /^[^0-9.:-]?[\p{Alphabetic}_ \t\n\v\f\r!@#$%^&*(){}<>|/\\~;=]+/mu
const NOT_A_WORD_START = /^[^ytonf~]/im
const NULL = /^null$/im
const TRUE = /^(yes|true|on)$/im
const FALSE = /^(no|false|off)$/im
const TIME =
  /^-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\n\v\f\r]+)[0-9]{1,2}:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t\n\v\f\r]*(?:Z|[-+][0-9]{1,2}:?(?:[0-9][0-9])?))?$/m
const DATE = /^[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])$/m
const INF = /^\+?\.inf$/im
const MINUS_INF = /^-\.inf$/im
const NAN = /^\.nan$/im
const SYMBOL = /^:./m
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/m
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/m
const FLOAT = /^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)$/m
const LONE_DOT = /^[-+]?\.$/
const INTEGER =
  /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/m

/** ScalarScanner#tokenize: what a plain scalar without a tag loads as. */
export function tokenize(text: string): PsychScalar {
  if (text === '') return { class: 'NilClass', value: null }
  if (STRINGISH.test(text) || text.includes('\n')) {
    if ([...text].length > 5 || NOT_A_WORD_START.test(text)) return str(text)
    if (text === '~' || NULL.test(text)) return { class: 'NilClass', value: null }
    if (TRUE.test(text)) return { class: 'TrueClass', value: true }
    if (FALSE.test(text)) return { class: 'FalseClass', value: false }
    return str(text)
  }
  // A time or a date: the classes YAML.load refuses unless told to allow them.
  if (TIME.test(text)) return disallowed('Time')
  if (DATE.test(text)) return disallowed('Date')
  if (INF.test(text)) return float(Infinity)
  if (MINUS_INF.test(text)) return float(-Infinity)
  if (NAN.test(text)) return float(NaN)
  if (SYMBOL.test(text)) {
    const quoted = /^:(["'])(.*)\1/m.exec(text)
    const name = quoted ? (quoted[2] ?? '').replace(/^:/, '') : text.replace(/^:/, '')
    return { class: 'Symbol', value: new RubySymbol(name) }
  }
  if (SEXAGESIMAL_INT.test(text)) {
    // Psych weighs the parts from the left by 60^|e-2|: `1:20` is 1*3600 + 20*60 (sic).
    let sum = 0n
    text.split(':').forEach((part, e) => {
      sum += stringToI(part) * 60n ** BigInt(Math.abs(e - 2))
    })
    return int(sum)
  }
  if (SEXAGESIMAL_FLOAT.test(text)) {
    let sum = 0
    text.split(':').forEach((part, e) => {
      sum += stringToF(part) * 60 ** Math.abs(e - 2)
    })
    return float(sum)
  }
  if (FLOAT.test(text)) {
    if (LONE_DOT.test(text)) return str(text)
    return rubyFloat(text.replace(/[,_]|\.([Ee]|$)/g, '$1'))
  }
  if (INTEGER.test(text)) return rubyInteger(text.replace(/[,_]/g, ''))
  return str(text)
}

/** `Integer(s)` of what INTEGER admits: a sign, then 0b binary, 0x hex, a leading 0 octal. */
function rubyInteger(text: string): PsychScalar {
  const match = /^([-+]?)(0b|0x|0(?=[0-9]))?([0-9a-fA-F]*)$/.exec(text)
  const prefix = match?.[2]
  const radix = prefix === '0b' ? 2 : prefix === '0x' ? 16 : prefix === '0' ? 8 : 10
  const digits = match?.[3] ?? ''
  if (!match || digits === '') return argumentError('Integer', text)
  const magnitude = [...digits].reduce((n, d) => n * BigInt(radix) + BigInt(parseInt(d, 16)), 0n)
  return int(match[1] === '-' ? -magnitude : magnitude)
}

/** `Float(s)` of a string: decimal digits, an optional fraction and exponent. */
function rubyFloat(text: string): PsychScalar {
  const digits = '[0-9]+(?:_[0-9]+)*'
  const decimal = new RegExp(
    `^[-+]?(?:${digits}(?:\\.${digits})?|\\.${digits})(?:[eE][-+]?${digits})?$`
  )
  return decimal.test(text) ? float(Number(text.replaceAll('_', ''))) : argumentError('Float', text)
}

/** `String#to_f`: the longest leading decimal number (single underscores between digits), else 0. */
function stringToF(text: string): number {
  const digits = '[0-9]+(?:_[0-9]+)*'
  const match = new RegExp(
    `^[ \\t\\n\\v\\f\\r]*[-+]?${digits}(?:\\.${digits})?(?:[eE][-+]?${digits})?`
  ).exec(text)
  return match ? Number(match[0].replaceAll('_', '')) : 0
}

/** Ruby's String#inspect for the ASCII-printable texts these errors quote. */
function rubyStringInspect(text: string): string {
  return JSON.stringify(text)
}
