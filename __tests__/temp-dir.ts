// Temp folders that go away when the suite that made them ends, whatever happened in its tests
// (a failed expectation, a timeout). Registered when this module is first imported by a suite.
// Tests read what a run left in them until then.
import { afterAll } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made: string[] = []
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A new folder `<parent>/<prefix>XXXXXX`, removed when the suite ends. */
export function suiteTempDir(prefix: string, parent: string = os.tmpdir()): string {
  const dir = mkdtempSync(path.join(parent, prefix))
  made.push(dir)
  return dir
}
