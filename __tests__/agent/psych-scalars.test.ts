// Both YAML readers against Psych's own record (psych/scalars.json): the action's appspec parser
// (src/appspec) and the test bed's emulated agent (testbed/emulator), which stay independent.
// Each form is read as the agent reads it, as the value of a key in appspec.yml.
import { describe, expect, test } from '@jest/globals'
import { parseAppspec } from '../../src/appspec/parse.js'
import { psychScalar } from '../../src/appspec/psych-scalar.js'
import { RubySymbol } from '../../src/appspec/ruby.js'
import { loadScalar, PsychLoadError, Sym } from '../../testbed/emulator/hosts/appspec/psych.js'
import { scalarForms } from './psych/forms.js'
import { expectedValue, readTable, type PsychRecord } from './psych/table.js'

const table = readTable()

/** The emulator's appspec reader. Its `.ts` imports are the bed's (Node's own type stripping), which
 * this project's type check does not take: loaded by a path the compiler does not follow. */
interface EmulatorAppspec {
  parseAppSpec(text: string): { files: { source: string }[] }
  AppSpecError: new (...args: never[]) => Error
}
const EMULATOR_APPSPEC = '../../testbed/emulator/hosts/appspec/appspec.ts'
const { parseAppSpec, AppSpecError } = (await import(EMULATOR_APPSPEC)) as EmulatorAppspec

/** A loaded JS value in the record's terms: its Ruby class and value, for comparing. */
function described(value: unknown): { class: string; value?: string } {
  if (value === null) return { class: 'NilClass' }
  if (value === true) return { class: 'TrueClass' }
  if (value === false) return { class: 'FalseClass' }
  if (typeof value === 'bigint') return { class: 'Integer', value: String(value) }
  if (typeof value === 'string') return { class: 'String', value }
  if (value instanceof RubySymbol || value instanceof Sym)
    return { class: 'Symbol', value: value.name }
  return { class: typeof value, value: String(value) }
}

/** The record in the same terms; whole Floats and Integers both arrive as JS numbers. */
function recorded(r: PsychRecord, loaded: unknown): { class: string; value?: string } {
  if ('error' in r) return { class: r.error, value: r.message }
  if ((r.class === 'Float' || r.class === 'Integer') && typeof loaded === 'number') {
    const want = expectedValue(r)
    const same =
      typeof want === 'bigint' ? BigInt(loaded) === want : Object.is(loaded, want as number)
    return same ? { class: 'number', value: String(loaded) } : { class: r.class, value: r.value }
  }
  return 'value' in r ? { class: r.class, value: r.value } : { class: r.class }
}

const cases = table.records.map((r) => [JSON.stringify(r.text), r] as const)

describe('the Psych table', () => {
  test('records at least 300 forms, every one forms.ts generates, each once', () => {
    const texts = table.records.map((r) => r.text)
    expect(texts.length).toBeGreaterThanOrEqual(300)
    expect(texts).toEqual(scalarForms())
    expect(table.recordedWith).toMatch(/^ruby 3\.1\.\d+, psych 4\./)
  })

  test('covers every class and every failure the agent can meet', () => {
    const kinds = new Set(table.records.map((r) => ('error' in r ? r.message : r.class)))
    for (const k of ['NilClass', 'TrueClass', 'FalseClass', 'Integer', 'Float', 'String', 'Symbol'])
      expect(kinds).toContain(k)
    expect(kinds).toContain('Tried to load unspecified class: Date')
    expect(kinds).toContain('Tried to load unspecified class: Time')
    expect([...kinds].some((k) => k.startsWith('invalid value for Integer()'))).toBe(true)
    expect([...kinds].some((k) => k.startsWith('invalid value for Float()'))).toBe(true)
  })
})

describe("the action's reader loads each form as Psych does", () => {
  test.each(cases)('%s', (_t, r) => {
    const scalar = psychScalar({ text: r.text, plain: true })
    if ('error' in r) {
      expect(scalar).toEqual({ class: 'error', error: r.error, message: r.message })
    } else {
      expect(scalar.class).toBe(r.class)
      const value = scalar.class === 'error' ? undefined : scalar.value
      expect(described(value)).toEqual(recorded(r, value))
    }
    // The same through the whole appspec parser.
    const parsed = parseAppspec(`v: ${r.text}\n`)
    if ('error' in r) {
      expect(parsed.unreadable).toBe(true)
      expect(parsed.issues.map((i) => i.message).join('\n')).toContain(r.message)
    } else {
      expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([])
      const v = (parsed.value as Record<string, unknown>).v
      expect(described(v)).toEqual(recorded(r, v))
    }
  })
})

describe("the bed's emulated agent loads each form as Psych does", () => {
  test.each(cases)('%s', (_t, r) => {
    let value: unknown
    try {
      value = loadScalar(r.text, true)
    } catch (e) {
      if (!(e instanceof PsychLoadError)) throw e
      expect({ class: e.rubyClass, value: e.message }).toEqual(recorded(r, undefined))
      return
    }
    expect(described(value)).toEqual(recorded(r, value))
  })

  test.each(cases)('%s, as a files source in appspec.yml', (_t, r) => {
    const text = `version: 0.0\nos: linux\nfiles:\n  - source: ${r.text}\n    destination: /srv/app\n`
    let source: string | undefined
    let error: string | undefined
    try {
      source = parseAppSpec(text).files[0]?.source
    } catch (e) {
      if (!(e instanceof AppSpecError)) throw e
      error = e.message
    }
    if ('error' in r) expect(error).toBe(r.message)
    else if (r.class === 'NilClass') expect(error).toMatch(/no source file/)
    else if (r.class === 'String' || r.class === 'Symbol') expect(source).toBe(r.value)
    else expect(error ?? source).toBeDefined()
  })
})
