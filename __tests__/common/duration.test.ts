import { describe, expect, it } from '@jest/globals'
import { formatDuration } from '../../src/common/duration.js'

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [499, '0s'],
    [45_000, '45s'],
    [59_499, '59s'],
    [59_500, '1m 0s'],
    [192_000, '3m 12s'],
    [3_599_000, '59m 59s'],
    [3_900_000, '1h 5m']
  ])('%p ms reads %p', (ms, text) => expect(formatDuration(ms)).toBe(text))

  it.each([
    [0, '0.0s'],
    [4_240, '4.2s'],
    [15_000, '15.0s'],
    [59_949, '59.9s'],
    [59_950, '1m 0s'],
    [65_000, '1m 5s']
  ])('precise: %p ms reads %p', (ms, text) =>
    expect(formatDuration(ms, { precise: true })).toBe(text)
  )
})
