// The reliability suites' small deployable app: no test bed needed to build it (the dry-run suite
// big-bundles.test.ts uses it without one; rel.ts re-exports it for the suites that deploy it).
import { statfsSync } from 'node:fs'
import os from 'node:os'
import { writeFiles } from '../e2e/workspace.js'
import { suiteTempDir } from '../temp-dir.js'

export interface AppOptions {
  validate?: string
  start?: string
  extra?: Record<string, string | Buffer>
  /** The folder to make the workspace in (default: the temp folder). */
  parent?: string
}

/**
 * A folder in memory (/dev/shm) when there is one with `bytes` free and as much memory available,
 * else the temp folder. For scratch files by the gigabyte or the ten thousand: on disk they cost
 * seconds of CPU to write and read back (a sparse file's holes too), and gigabytes written make
 * the kernel throttle every process writing files meanwhile (the other suites).
 */
export function scratchParent(bytes: number): string {
  try {
    const shm = statfsSync('/dev/shm')
    if (shm.bavail * shm.bsize > bytes && os.freemem() > bytes) return '/dev/shm'
  } catch {
    // no /dev/shm
  }
  return os.tmpdir()
}

/** A small app under deploy/ whose hooks pass (or run the scripts given). */
export function appWorkspace(app: string, opts: AppOptions = {}): string {
  // Removed when the suite ends: one left in /dev/shm holds its size in memory until the machine
  // restarts (suites that timed out had left 8.8 GB there, and 42 GB in /tmp).
  const ws = suiteTempDir(`${app}-`, opts.parent)
  writeFiles(ws, {
    'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/${app}
hooks:
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 60
  ValidateService:
    - location: scripts/validate.sh
      timeout: 60
`,
    'deploy/scripts/start.sh': opts.start ?? '#!/bin/bash\necho starting\n',
    'deploy/scripts/validate.sh': opts.validate ?? '#!/bin/bash\necho healthy\n',
    'deploy/app.txt': `${app} ${Math.random()}\n`,
    ...opts.extra
  })
  return ws
}
