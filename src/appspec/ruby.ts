// How the CodeDeploy agent's Ruby sees the values YAML gives it: their class, `to_s`, `inspect`
// and `to_i`, so findings can say what the agent will do and quote its words exactly.

/**
 * A value as the agent's YAML reader (Psych) gives it (parse.ts): null, booleans, numbers (bigint
 * beyond 2^53), strings, RubySymbol, arrays and objects. Whole floats (`1.0`) arrive as JS
 * integers; where the agent prints one, callers quote the source text instead.
 */
export type YamlValue = unknown

/** A Ruby Symbol (`:name`): YAML.load of Psych 4 allows them; they are not strings to the agent. */
export class RubySymbol {
  constructor(readonly name: string) {}

  /** Symbol#inspect: `:name` when the name is a plain identifier, else quoted. */
  inspect(): string {
    return /^[A-Za-z_][A-Za-z_0-9]*[?!]?$/.test(this.name)
      ? `:${this.name}`
      : `:${JSON.stringify(this.name)}`
  }
}

/** Ruby's class name of a loaded YAML value. */
export function rubyClass(value: YamlValue): string {
  if (value === null || value === undefined) return 'NilClass'
  if (value === true) return 'TrueClass'
  if (value === false) return 'FalseClass'
  if (typeof value === 'string') return 'String'
  if (value instanceof RubySymbol) return 'Symbol'
  if (typeof value === 'number' || typeof value === 'bigint')
    return typeof value === 'number' && isFloat(value) ? 'Float' : 'Integer'
  if (Array.isArray(value)) return 'Array'
  return 'Hash'
}

function isFloat(value: number): boolean {
  return !Number.isInteger(value)
}

/** `value.inspect`. */
export function rubyInspect(value: YamlValue): string {
  if (value === null || value === undefined) return 'nil'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return isFloat(value) ? floatText(value) : String(value)
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value instanceof RubySymbol) return value.inspect()
  if (Array.isArray(value)) return `[${value.map(rubyInspect).join(', ')}]`
  const entries = Object.entries(value as Record<string, unknown>)
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}=>${rubyInspect(v)}`).join(', ')}}`
}

/** `"#{value}"`: strings as they are, nil empty, everything else as inspect. */
export function rubyToS(value: YamlValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (value instanceof RubySymbol) return value.name
  return rubyInspect(value)
}

/** Ruby's Float#to_s: whole numbers keep one decimal ("0.0", "1.0"). */
function floatText(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value)
}

/**
 * `String#to_i`: optional (ASCII) blanks and sign, then digits (single underscores between
 * them), else 0. A bigint: Ruby's Integers have no bound.
 */
export function stringToI(text: string): bigint {
  const match = /^[ \t\n\v\f\r]*([-+]?)([0-9]+(?:_[0-9]+)*)/.exec(text)
  if (!match) return 0n
  const digits = BigInt((match[2] ?? '0').replaceAll('_', ''))
  return match[1] === '-' ? -digits : digits
}

/**
 * `value.to_i` as the agent calls it on a script's timeout: a number, or the NoMethodError Ruby
 * raises for values without `to_i`.
 */
export function rubyToI(value: YamlValue): { value: number } | { error: string } {
  if (typeof value === 'number') return { value: Math.trunc(value) }
  if (typeof value === 'bigint') return { value: Number(value) }
  if (typeof value === 'string') return { value: Number(stringToI(value)) }
  return { error: noMethod('to_i', value) }
}

/** Ruby's NoMethodError message (first line) for calling `method` on `value`. */
export function noMethod(method: string, value: YamlValue): string {
  return `undefined method \`${method}' for ${rubyInspect(value)}:${rubyClass(value)}`
}

/** `value['key']` as Ruby evaluates it on what YAML gave, or the error it raises. */
export function rubyIndex(value: YamlValue, key: string): { value: YamlValue } | { error: string } {
  // String#[] and Symbol#[] with a string: the substring when it occurs, else nil.
  const text = value instanceof RubySymbol ? value.name : value
  if (typeof text === 'string') return { value: text.includes(key) ? key : null }
  if (Array.isArray(value) || typeof value === 'number' || typeof value === 'bigint')
    return { error: 'no implicit conversion of String into Integer' }
  if (isHash(value)) return { value: value[key] }
  return { error: noMethod('[]', value) }
}

/** A Ruby Hash as YAML loads it (a mapping). */
export function isHash(value: YamlValue): value is Record<string, YamlValue> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof RubySymbol)
  )
}

/**
 * What `value.each { |item| ... }` hands its block: a list's items, a Hash's [key, value] pairs;
 * the NoMethodError for anything else.
 */
export function rubyEach(value: YamlValue): { items: YamlValue[] } | { error: string } {
  if (Array.isArray(value)) return { items: value }
  if (isHash(value)) return { items: Object.entries(value).map(([k, v]) => [k, v]) }
  return { error: noMethod('each', value) }
}

/** `value.has_key?(key)` on a script or permission entry: true/false or the NoMethodError. */
export function rubyHasKey(value: YamlValue, key: string): { has: boolean } | { error: string } {
  return isHash(value) ? { has: key in value } : { error: noMethod('has_key?', value) }
}

/**
 * What `File.join` makes of a value YAML gave where the agent expects a path: text as it is, a
 * list's items (nested ones too) joined by '/', or the name Ruby's TypeError gives anything else
 * (`no implicit conversion of <name> into String`: true, false and nil by value).
 */
export function rubyPath(value: YamlValue): { path: string } | { notText: string } {
  if (typeof value === 'string') return { path: value }
  if (Array.isArray(value)) {
    const parts: string[] = []
    for (const item of value) {
      const part = rubyPath(item)
      if ('notText' in part) return part
      parts.push(part.path)
    }
    return {
      path: parts.reduce((joined, part, i) => (i === 0 ? part : fileJoin(joined, part)), '')
    }
  }
  if (value === true || value === false || value === null || value === undefined)
    return { notText: String(value ?? 'nil') }
  return { notText: rubyClass(value) }
}

/** Ruby's `File.join(dir, name)`: one '/' between them unless `name` brings its own. */
export function fileJoin(dir: string, name: string): string {
  const base = dir.replace(/\/+$/, '')
  return name.startsWith('/') ? `${base}${name}` : `${base}/${name}`
}
