// A history's answer, unwrapped for a test: the comparison it must have made, or why it could not.
import type { CompareAnswer, Comparison } from '../../src/revisions/history.js'

export function comparison(a: CompareAnswer): Comparison {
  if ('unknown' in a) throw new Error(`expected an answer, got unknown: ${a.unknown}`)
  return a.comparison
}

export function unknown(a: CompareAnswer): string {
  if (!('unknown' in a)) throw new Error(`expected unknown, got ${a.comparison.relation}`)
  return a.unknown
}
