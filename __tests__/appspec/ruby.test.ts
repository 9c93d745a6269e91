// ruby.ts: String#to_i as the agent's Ruby reads a script's timeout. The expected values are what
// Ruby 3.1 prints for `["\u00a0300", " \t\n\v\f\r300", ...].map(&:to_i)`.
import { describe, expect, it } from '@jest/globals'
import { RubySymbol, rubyToI, stringToI } from '../../src/appspec/ruby.js'

describe('String#to_i (stringToI)', () => {
  it.each([
    [' \t\n\v\f\r300', 300n],
    ['3_00', 300n],
    ['3__00', 3n],
    ['+7x', 7n],
    ['-5', -5n],
    ['_3', 0n],
    ['', 0n],
    ['123456789012345678901234567890', 123456789012345678901234567890n]
  ])('%j.to_i is %s', (text, value) => {
    expect(stringToI(text)).toBe(value)
  })

  it('skips only ASCII blanks, as Ruby does: a no-break space or line separator first gives 0', () => {
    expect(stringToI('\u00a0300')).toBe(0n)
    expect(stringToI('\u2028 1')).toBe(0n)
    expect(rubyToI('\u00a0300')).toEqual({ value: 0 })
  })
})

describe('value.to_i (rubyToI)', () => {
  it('truncates floats and reads strings; a Symbol has no to_i', () => {
    expect(rubyToI(12.9)).toEqual({ value: 12 })
    expect(rubyToI(' 60 ')).toEqual({ value: 60 })
    expect(rubyToI(new RubySymbol('x'))).toEqual({ error: "undefined method `to_i' for :x:Symbol" })
  })
})
