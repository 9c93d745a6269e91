// Stopping and starting the bed's radosgw from a test (the S3 outage scenario). The daemon is
// found by its pid file and restarted with the bed's own ceph.conf, as testbed/lib/rgw.sh does.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

function cephDir(): string {
  const dir = process.env.TESTBED_STATE_DIR
  if (!dir) throw new Error('TESTBED_STATE_DIR is unset: run under testbed/run.')
  return path.join(dir, 'ceph')
}

/** Kills radosgw at once (SIGKILL: an outage, not a shutdown). */
export function killRadosgw(): void {
  const pid = Number(readFileSync(path.join(cephDir(), 'run', 'client.rgw.a.pid'), 'utf8').trim())
  process.kill(pid, 'SIGKILL')
}

/** Starts radosgw again and waits until it answers on its endpoint. */
export async function startRadosgw(endpoint: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  // The killed daemon's port can take a moment to free: start again until it answers.
  while (Date.now() < end) {
    execFileSync('radosgw', ['-n', 'client.rgw.a'], {
      env: { ...process.env, CEPH_CONF: path.join(cephDir(), 'ceph.conf') },
      stdio: 'ignore'
    })
    for (let i = 0; i < 50 && Date.now() < end; i++) {
      if (spawnSync('curl', ['-fs', '-o', '/dev/null', endpoint]).status === 0) return
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  throw new Error(`radosgw did not answer on ${endpoint} within ${timeoutMs} ms`)
}
