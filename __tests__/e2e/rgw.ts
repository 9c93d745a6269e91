// A radosgw of a test's own, for the S3 outage scenario: a second gateway in front of the bed's
// Ceph cluster (the same pools, users and objects as the bed's own radosgw at
// AWS_ENDPOINT_URL_S3), on a port of its own. Killing and restarting it is an outage of that
// endpoint only: the suites sharing the bed keep their S3. Started with the bed's ceph.conf, as
// testbed/lib/rgw.sh starts the bed's; testbed/stop stops it too if the test could not.
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'

function cephDir(): string {
  const dir = process.env.TESTBED_STATE_DIR
  if (!dir) throw new Error('TESTBED_STATE_DIR is unset: run under testbed/run.')
  return path.join(dir, 'ceph')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export class Radosgw {
  readonly endpoint: string
  private readonly name: string
  private readonly port: number

  private constructor(name: string, port: number) {
    this.name = name
    this.port = port
    this.endpoint = `http://127.0.0.1:${port}`
  }

  /** Starts `client.rgw.<id>` and waits until it answers. */
  static async start(id: string, timeoutMs = 60_000): Promise<Radosgw> {
    const gw = new Radosgw(`client.rgw.${id}`, await freePort())
    await gw.restart(timeoutMs)
    return gw
  }

  private get pidFile(): string {
    return path.join(cephDir(), 'run', `${this.name}.pid`)
  }

  /**
   * The daemon's pid while it runs: the pid in its pid file, if that process is a radosgw of this
   * name. A killed daemon leaves its pid file behind, and pids come round again within minutes on
   * a machine starting thousands of processes: never signal a pid the file merely names.
   */
  private runningPid(): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim())
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      return path.basename(argv[0] ?? '') === 'radosgw' && argv.includes(this.name)
        ? pid
        : undefined
    } catch {
      return undefined
    }
  }

  /** Kills it at once (SIGKILL: an outage, not a shutdown). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.runningPid()
    if (pid === undefined) return
    try {
      process.kill(pid, signal)
    } catch {
      // gone meanwhile
    }
  }

  /** Starts it (again) and waits until it answers on its endpoint. */
  async restart(timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs
    while (Date.now() < end) {
      // Started again only when none runs: a slow start is waited for, not doubled. (The killed
      // daemon's port can take a moment to free, so a start may fail and need another.)
      if (this.runningPid() === undefined)
        execFileSync(
          'radosgw',
          [
            '-n',
            this.name,
            `--rgw_frontends=beast endpoint=127.0.0.1:${this.port}`,
            '--rgw_dns_name=127.0.0.1'
          ],
          { env: { ...process.env, CEPH_CONF: path.join(cephDir(), 'ceph.conf') }, stdio: 'ignore' }
        )
      for (let i = 0; i < 50 && Date.now() < end; i++) {
        if (spawnSync('curl', ['-fs', '-o', '/dev/null', this.endpoint]).status === 0) return
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    throw new Error(`${this.name} did not answer on ${this.endpoint} within ${timeoutMs} ms`)
  }

  /** Stops it for good. */
  stop(): void {
    this.kill('SIGTERM')
  }
}
