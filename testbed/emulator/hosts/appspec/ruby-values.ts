// Ruby's semantics of the values Psych loads, as the agent's code meets them (`v[key]`, `each`,
// `to_i`, `inspect`, and the NoMethodError a value without the method raises), and the error the
// appspec's reading ends with.
import { Sym } from './psych.ts'

export class AppSpecError extends Error {}

export const fail = (message: string): never => {
  throw new AppSpecError(message)
}

export type V = unknown
export const isHash = (v: V): v is Record<string, V> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Sym)
export const nil = (v: V): boolean => v === null || v === undefined
export const falsy = (v: V): boolean => nil(v) || v === false

export function rubyClass(v: V): string {
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

export const toS = (v: V): string =>
  nil(v) ? '' : typeof v === 'string' || v instanceof Sym ? String(v) : rubyInspect(v)
export const noMethod = (method: string, v: V): never =>
  fail(`undefined method \`${method}' for ${rubyInspect(v)}:${rubyClass(v)}`)

/** `v[key]`. */
export function index(v: V, key: string): V {
  if (typeof v === 'string' || v instanceof Sym) return String(v).includes(key) ? key : null
  if (Array.isArray(v) || typeof v === 'number' || typeof v === 'bigint')
    return fail('no implicit conversion of String into Integer')
  if (isHash(v)) return v[key]
  return noMethod('[]', v)
}

/** The items `v.each` yields: a list's items, a Hash's [key, value] pairs. */
export function each(v: V): V[] {
  if (Array.isArray(v)) return v
  if (isHash(v)) return Object.entries(v)
  return noMethod('each', v)
}

export function hasKey(v: V, key: string): boolean {
  return isHash(v) ? key in v : noMethod('has_key?', v)
}

export function toI(v: V): number {
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'bigint') return Number(v)
  if (typeof v === 'string') {
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)/.exec(v)
    return m ? (m[1] === '-' ? -1 : 1) * Number((m[2] ?? '0').replaceAll('_', '')) : 0
  }
  return noMethod('to_i', v)
}

/** Permission bits 0-7 as `rwx` text (`5` is `r-x`). */
export function permissionText(n: number): string {
  const bit = (mask: number, letter: string): string => (n & mask ? letter : '-')
  return bit(4, 'r') + bit(2, 'w') + bit(1, 'x')
}
