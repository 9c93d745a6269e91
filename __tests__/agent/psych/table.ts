// The Psych ground-truth table (scalars.json): what Ruby 3.1's Psych 4 loads each plain scalar
// form of forms.ts as, recorded by record.rb. psych-record.dist.test.ts re-records it wherever Ruby is
// at hand; psych-scalars.test.ts holds the action's and the emulator's readers to it.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

export type PsychRecord =
  | { text: string; class: 'NilClass' | 'TrueClass' | 'FalseClass' }
  | { text: string; class: 'String' | 'Symbol' | 'Integer' | 'Float'; value: string }
  | { text: string; error: string; message: string }

export interface PsychTable {
  recordedWith: string
  records: PsychRecord[]
}

export const TABLE_FILE = path.join(import.meta.dirname, 'scalars.json')
const RECORDER = path.join(import.meta.dirname, 'record.rb')

export function readTable(): PsychTable {
  return JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as PsychTable
}

/** Whether `ruby -ryaml` is here, with the Psych major the agent's Ruby 3.1 has. */
export function psychAtHand(): string | undefined {
  const out = spawnSync('ruby', ['-ryaml', '-e', 'print RUBY_VERSION, " ", Psych::VERSION'], {
    encoding: 'utf8'
  })
  if (out.status !== 0) return undefined
  const [ruby, psych] = out.stdout.split(' ')
  return ruby?.startsWith('3.1.') && psych?.startsWith('4.') ? out.stdout : undefined
}

/** Psych's verdict on every form, from Ruby itself. */
export function recordWithPsych(forms: readonly string[]): PsychTable {
  const out = spawnSync('ruby', [RECORDER], { input: JSON.stringify(forms), encoding: 'utf8' })
  if (out.status !== 0) throw new Error(`record.rb failed: ${out.stderr}`)
  return JSON.parse(out.stdout) as PsychTable
}

/** The recorded value in JS terms: null, booleans, bigint for Integers, numbers for Floats. */
export function expectedValue(r: PsychRecord): unknown {
  if ('error' in r) return undefined
  switch (r.class) {
    case 'NilClass':
      return null
    case 'TrueClass':
      return true
    case 'FalseClass':
      return false
    case 'Integer':
      return BigInt(r.value)
    case 'Float':
      return Number(r.value)
    default:
      return r.value
  }
}
