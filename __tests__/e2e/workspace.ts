// Workspaces for end-to-end tests: a small app under deploy/ (the tutorial's project is
// support/tutorial.ts), and where to put scratch files by the gigabyte.
import { statfsSync } from 'node:fs'
import os from 'node:os'
import { writeTree } from '../support/fixtures.js'
import { suiteTempDir } from '../temp-dir.js'

export interface AppOptions {
  validate?: string
  start?: string
  /** An AfterInstall hook with this script (none by default). */
  afterInstall?: string
  /** Every hook's timeout in seconds (default 60). */
  hookTimeout?: number
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
  const hook = (event: string, script: string): string =>
    `  ${event}:\n    - location: scripts/${script}\n      timeout: ${opts.hookTimeout ?? 60}\n`
  writeTree(ws, {
    'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/${app}
hooks:
${opts.afterInstall ? hook('AfterInstall', 'after-install.sh') : ''}${hook('ApplicationStart', 'start.sh')}${hook('ValidateService', 'validate.sh')}`,
    ...(opts.afterInstall ? { 'deploy/scripts/after-install.sh': opts.afterInstall } : {}),
    'deploy/scripts/start.sh': opts.start ?? '#!/bin/bash\necho starting\n',
    'deploy/scripts/validate.sh': opts.validate ?? '#!/bin/bash\necho healthy\n',
    'deploy/app.txt': `${app} ${Math.random()}\n`,
    ...opts.extra
  })
  return ws
}
