import { EventEmitter } from 'node:events'
import { describe, expect, it } from '@jest/globals'
import { watchSignals } from '../src/cancel.js'

function fakeProcess(): NodeJS.Process {
  return new EventEmitter() as unknown as NodeJS.Process
}

describe('watchSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s aborts the run, with the signal as reason',
    (name) => {
      const proc = fakeProcess()
      const c = watchSignals(proc)
      expect(c.signal.aborted).toBe(false)
      proc.emit(name, name)
      expect(c.signal.aborted).toBe(true)
      expect(c.signal.reason).toBe(name)
    }
  )

  it('keeps the first signal as the reason (the runner sends SIGINT, then SIGTERM)', () => {
    const proc = fakeProcess()
    const c = watchSignals(proc)
    proc.emit('SIGINT', 'SIGINT')
    proc.emit('SIGTERM', 'SIGTERM')
    expect(c.signal.reason).toBe('SIGINT')
  })

  it('dispose removes both handlers', () => {
    const proc = fakeProcess()
    const c = watchSignals(proc)
    expect(proc.listenerCount('SIGINT')).toBe(1)
    expect(proc.listenerCount('SIGTERM')).toBe(1)
    c.dispose()
    expect(proc.listenerCount('SIGINT')).toBe(0)
    expect(proc.listenerCount('SIGTERM')).toBe(0)
  })
})
