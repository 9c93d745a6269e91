// A namespace's init: started in new pid + mount + network + UTS namespaces over an overlay of
// the host's /, it waits (a namespace instance) or is the process runner (the shared namespace);
// everything in the namespace dies with it, when the emulator's pipe to it closes.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import type { BedNetwork, InstanceLink } from './network.ts'
import { ProcessRunner, PYTHON, RUNNER, runOnHost } from './process-runner.ts'

const TASKSET = '/usr/bin/taskset'

// Runs inside the new namespaces; prints the init's pid as the host sees it, then becomes init:
// for a namespace instance a loop that only waits (its processes enter it with nsenter), for the
// shared namespace the process runner (runner.py), which starts every hook of its thousand
// instances without an nsenter each.
const NAMESPACE_INIT = `
set -e
read -r hostpid _ </proc/self/stat
layer=$1 hostname=$2 overlay=$3
hostname "$hostname"
ip link set lo up
if [ "$overlay" = 1 ]; then
  mount -t tmpfs -o mode=0755 testbed-instance "$layer"
  mkdir -p "$layer/upper" "$layer/work" "$layer/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$layer/root"
  mount --rbind /dev "$layer/root/dev"
  mount -t proc proc "$layer/root/proc"
  mount -t sysfs sysfs "$layer/root/sys" 2>/dev/null || true
  echo "ready $hostpid"
  # The host answers with the instance's address once its veth end is in this namespace (see
  # network.ts), or "none".
  read -r net cidr
  if [ "$net" = net ]; then
    echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6 2>/dev/null || true
    ip -batch - <<NET || { echo net-failed; exit 1; }
addr add $cidr dev eth0
link set eth0 up
NET
  fi
  echo net-ok
  exec chroot "$layer/root" /bin/sh -c 'while read -r _; do :; done'
fi
mount -t proc proc /proc
echo "ready $hostpid"
exec "$4" -I -S -c "$5"
`

export class NamespaceInit {
  readonly child: ChildProcess
  pid = 0
  // The shared namespace's init is a runner; a namespace instance's only waits.
  runner?: ProcessRunner
  // How the init ended when it ended by itself (not by stop()): the bed broke, not the instance.
  ended?: string
  private stopping = false

  private constructor(child: ChildProcess) {
    this.child = child
  }

  // `cpu`: the one CPU the namespace's processes run on (inherited by all they start).
  static async start(
    layerDir: string,
    hostname: string,
    overlay: boolean,
    cpu?: number,
    network?: { net: BedNetwork; link: InstanceLink }
  ): Promise<NamespaceInit> {
    await mkdir(layerDir, { recursive: true })
    const pinned = cpu !== undefined && existsSync(TASKSET) ? [TASKSET, '-c', String(cpu)] : []
    const [command, ...args] = [
      ...pinned,
      'unshare',
      '--mount',
      '--net',
      '--pid',
      '--uts',
      '--fork',
      '--kill-child',
      '--propagation',
      'private',
      '/bin/sh',
      '-c',
      NAMESPACE_INIT,
      'init',
      layerDir,
      hostname,
      overlay ? '1' : '0',
      PYTHON,
      RUNNER
    ]
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const init = new NamespaceInit(child)
    let out = ''
    init.pid = await new Promise<number>((resolve, reject) => {
      let err = ''
      const timer = setTimeout(
        () => reject(new Error(`namespace for ${hostname} not ready after 10 s: ${err}`)),
        10000
      )
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString('latin1')
        const m = /ready (\d+)\n/.exec(out)
        if (m) {
          clearTimeout(timer)
          out = out.slice(m.index + m[0].length)
          resolve(Number(m[1]))
        }
      })
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
      child.on('error', (e) => reject(e))
      child.on('exit', (code) => {
        clearTimeout(timer)
        reject(
          new Error(
            `could not create the namespaces for ${hostname} (unshare exited ${code}): ${err.trim()}. The bed needs root (CAP_SYS_ADMIN)`
          )
        )
      })
    })
    if (overlay) {
      // The instance's end of its veth pair, then its address (the init script sets it).
      let answer = 'none\n'
      if (network) {
        const file = `${layerDir}.ip`
        await writeFile(file, network.net.hostCommands(network.link, init.pid))
        const r = await runOnHost(['ip', '-batch', file], '/')
        await rm(file, { force: true })
        if (r.code !== 0) {
          child.kill('SIGKILL')
          throw new Error(`could not link ${hostname} to the bed's network: ${r.output.trim()}`)
        }
        answer = `net ${network.link.cidr}\n`
      }
      child.stdin!.write(answer)
      await new Promise<void>((resolve, reject) => {
        const look = (): void => {
          if (/net-ok\n/.test(out)) resolve()
          else if (/net-failed\n/.test(out))
            reject(new Error(`could not set ${hostname}'s address on its eth0`))
        }
        look()
        child.stdout!.on('data', look)
        child.once('exit', () =>
          reject(new Error(`${hostname}'s init ended while joining the network`))
        )
      })
    }
    child.removeAllListeners('exit')
    child.stdout!.removeAllListeners('data')
    child.stderr!.removeAllListeners('data')
    if (!overlay) init.runner = new ProcessRunner(child, out)
    else child.stdout!.resume()
    // Its last words, for the one line that says it ended (e.g. `chroot: not found` when the
    // sbin folders are not on PATH): without it, work on the instance would wait on a dead pid.
    let tail = ''
    child.stderr!.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-400)))
    child.once('exit', (code, sig) => {
      if (init.stopping) return
      const how = sig ?? `code ${code}`
      const words = tail.trim() ? `: ${tail.trim()}` : ''
      init.ended = `its namespace's init exited (${how})${words}`
      console.error(`testbed emulator: instance ${hostname}: ${init.ended}`)
    })
    return init
  }

  /** Throws, naming the instance and how its init ended, once the namespace is gone. */
  assertRunning(id: string): void {
    if (this.ended)
      throw new Error(
        `test bed: instance ${id} is gone, ${this.ended}. The bed broke, not the deployment: see the emulator log in $TESTBED_STATE_DIR`
      )
  }

  stop(): void {
    this.stopping = true
    this.child.stdin?.end()
    this.child.kill('SIGKILL')
  }
}
