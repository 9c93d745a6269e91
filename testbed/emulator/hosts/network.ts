// The bed's own network between the host and its namespace instances: a bridge on the host
// (`tb<port>`, 10.N.0.1/16, N picked so that no route of the machine covers it) and a veth pair per
// instance, its end inside the instance named eth0 with an address of that subnet. Instances get
// no default route: they reach the host and each other, nothing else. A load balancer on the
// host (elbv2/target-group.ts) reaches the services instances run on their ports through it.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'

export interface InstanceLink {
  // The instance's address (`10.N.a.b`) and the same with its prefix length for `ip addr add`.
  address: string
  cidr: string
  // The host end of the veth pair (enslaved to the bridge); it vanishes with the instance.
  hostInterface: string
}

const ip = (args: string[]): string =>
  execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const toInt = (a: string): number => a.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)

/** Every prefix the machine routes or holds an address in (a bare address is a /32). */
export function prefixesIn(text: string): { base: number; bits: number }[] {
  const out = []
  for (const m of text.matchAll(/(?:^|\s)(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?/g)) {
    const bits = m[2] === undefined ? 32 : Number(m[2])
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    out.push({ base: (toInt(m[1]!) & mask) >>> 0, bits })
  }
  return out
}

/** Whether 10.n.0.0/16 and a prefix share an address. */
export function overlaps(n: number, p: { base: number; bits: number }): boolean {
  const bits = Math.min(16, p.bits)
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  return (toInt(`10.${n}.0.0`) & mask) >>> 0 === (p.base & mask) >>> 0
}

// 10.N.0.0/16 candidates: 10.200 to 10.249, starting from the bed's port so that two beds side by
// side take different ones, skipping any that a route or an address of the machine overlaps
// (the default route aside).
function pickSubnet(port: number): number {
  const used = prefixesIn(`${ip(['-4', '-o', 'addr'])}\n${ip(['-4', 'route'])}`)
  for (let k = 0; k < 50; k++) {
    const n = 200 + ((port + k) % 50)
    if (!used.some((p) => overlaps(n, p))) return n
  }
  throw new Error(
    'no free 10.200-249.0.0/16 subnet for the instances network: every one is routed here'
  )
}

export class BedNetwork {
  readonly bridge: string
  readonly subnet: number
  readonly gateway: string
  private next = 2

  private constructor(bridge: string, subnet: number) {
    this.bridge = bridge
    this.subnet = subnet
    this.gateway = `10.${subnet}.0.1`
  }

  /**
   * Creates the bridge (removing a stale one of the same name, from a bed that was killed) and
   * records its name in `stateDir/bridge` so that testbed/stop removes it even after a SIGKILL.
   */
  static create(port: number, stateDir: string): BedNetwork {
    const bridge = `tb${port}`
    try {
      ip(['link', 'del', bridge])
    } catch {
      // none left over
    }
    const net = new BedNetwork(bridge, pickSubnet(port))
    try {
      ip(['link', 'add', bridge, 'type', 'bridge'])
      ip(['addr', 'add', `${net.gateway}/16`, 'dev', bridge])
      // Nothing arriving from the instances is forwarded (even where the machine forwards), and
      // no IPv6 link-local traffic: the instances reach the host and each other, nothing else.
      writeFileSync(`/proc/sys/net/ipv4/conf/${bridge}/forwarding`, '0\n')
      try {
        writeFileSync(`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, '1\n')
      } catch {
        // no IPv6 on this machine
      }
      ip(['link', 'set', bridge, 'up'])
    } catch (e) {
      throw new Error(
        `could not create the instances' network bridge ${bridge}: ${(e as { stderr?: string }).stderr ?? (e as Error).message}. The bed needs root (CAP_NET_ADMIN)`
      )
    }
    writeFileSync(path.join(stateDir, 'bridge'), `${bridge}\n`)
    return net
  }

  /** The next instance's address and host interface name (at most 15 characters). */
  allocate(): InstanceLink {
    const k = this.next++
    if (k > 65_000) throw new Error('the instances network has no address left')
    const address = `10.${this.subnet}.${k >> 8}.${k & 255}`
    return { address, cidr: `${address}/16`, hostInterface: `${this.bridge}v${k}` }
  }

  /** `ip -batch` lines that create an instance's veth pair, its far end in the init's netns. */
  hostCommands(link: InstanceLink, initPid: number): string {
    return (
      `link add ${link.hostInterface} type veth peer name eth0 netns ${initPid}\n` +
      `link set ${link.hostInterface} master ${this.bridge} up\n`
    )
  }

  remove(): void {
    try {
      ip(['link', 'del', this.bridge])
    } catch {
      // already gone
    }
  }
}
