// A userspace TCP relay that puts distance between a client and a server on 127.0.0.1: the kernel
// here has no netem, so the bed simulates a round-trip time (RTT) and a TCP window in Node.
//
// The model: per connection and per direction, a sender limited by a congestion window, over a
// path with a fixed one-way delay and no loss.
// - Delay: every byte read from one side is written to the other rtt/2 later. A new connection
//   also pays its handshake: the client's first bytes leave no earlier than rtt after the accept
//   (SYN, SYN-ACK), as a real client may send only once connect() returns.
// - Window: bytes in flight (read from the sender, not yet "acknowledged") are capped by a window
//   that starts at `initialWindow` (Linux's initcwnd, 10 segments) and grows by every byte
//   acknowledged (slow start: it doubles per RTT), up to `maxWindow` (the receiver's window).
//   There is no loss, so no congestion avoidance and no shrinking. An acknowledgement arrives
//   rtt/2 after the bytes were handed to the receiver's socket: rtt after they were read when the
//   receiver keeps up, later when it does not (a slow receiver holds the window, as in TCP).
// - Back-pressure: while the window is full the sender's socket is paused, so its writes back up
//   in the kernel and then in the sender, as they would behind a full TCP window.
// - Idle restart: a direction idle (nothing in flight) for longer than `idleResetMs` (default
//   max(1000, rtt)) starts again from `initialWindow`, like Linux's tcp_slow_start_after_idle.
// - Optional shared bottleneck (`rateBytesPerSec`): one link per direction for all connections,
//   a FIFO queue that never drops; the time a chunk waits for the link is added to its delay.
// - rttMs 0 (and no rate): a plain pipe, no timers.
//
// Why it is fair for comparing uploaders that differ in connections and part size: a connection
// moves at most window/RTT bytes per second once its window is open, every new connection pays a
// handshake and slow start from 10 segments, a request waits a full RTT for its answer, and both
// tools go through the same relay at the same RTT. So more parts in flight buy throughput (as on
// a real long path, where a single TCP connection is window-bound), and waiting between parts
// costs what it would cost.
//
// Its limits, plainly:
// - No loss, no reordering, no jitter: a real path's losses shrink the window (and cost
//   retransmits); here the window only grows. A real long path is never faster than this model.
// - No shared bandwidth limit unless `rateBytesPerSec` is given: without it, N connections move
//   N windows per RTT, limited only by the CPU. Real paths have a bottleneck.
// - The idle restart resets at once after `idleResetMs`; Linux halves the window per RTO idle
//   (RTO ≥ 200 ms), so a 200-999 ms pause costs a real connection more than it costs here.
// - The window grows on any acknowledged byte; Linux grows it only while the sender fills it
//   (RFC 7661), so a connection that mostly carries small requests opens faster here.
// - The sender's kernel still accepts data into its socket buffers (megabytes on loopback): a
//   client's write "completes" before its bytes are in flight. Only the answer's arrival is
//   honest, which is what an HTTP client waits for.
// - The relay's CPU, Node's timers (1 ms granularity, later under load) and the server share the
//   machine: at rtt 0 the relay's copy is the cost, at high rates its CPU can be the bottleneck.
// - Timers per chunk: Node reads up to 64 KiB at a time; buffering is bounded by the window plus
//   one chunk per direction.
// - A reset (an error on either socket) reaches the other side rtt/2 later and drops what is in
//   flight. No TLS (the bed speaks plain HTTP), no IPv6 addresses in the CLI's host:port.
//
// CLI: node testbed/network/delay-relay.ts --target 127.0.0.1:7480 --rtt-ms 100
//        [--listen 127.0.0.1:0] [--max-window BYTES] [--initial-window BYTES] [--rate BYTES_PER_S]
// prints `listening HOST:PORT` and runs until SIGTERM or SIGINT.
import { realpathSync } from 'node:fs'
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

export interface DelayRelayOptions {
  target: { host: string; port: number }
  rttMs: number
  /** Default 127.0.0.1. */
  listenHost?: string
  /** Default 0 (any free port). */
  listenPort?: number
  /** Bytes; default 10 × 1448 (Linux's initcwnd). */
  initialWindow?: number
  /** Bytes; default 1 MiB (the receiver's window). */
  maxWindow?: number
  /** Default max(1000, rttMs). */
  idleResetMs?: number
  /** A shared bottleneck per direction, bytes per second for all connections; default none. */
  rateBytesPerSec?: number
}

export interface DelayRelay {
  port: number
  url(scheme?: 'http' | 'https'): string
  close(): Promise<void>
  /** Connections accepted since the start; bytes delivered to the target (up) and to clients (down). */
  stats(): { connections: number; bytesUp: number; bytesDown: number }
}

export const DEFAULT_INITIAL_WINDOW = 10 * 1448
export const DEFAULT_MAX_WINDOW = 1024 * 1024
/** performance.now() against libuv's millisecond clock: a timer may fire this early. */
const TIMER_SLACK_MS = 1

interface Link {
  freeAt: number
  bytesPerMs: number
}

interface Delivery {
  at: number
  data?: Buffer
  end?: boolean
}

interface FlowSettings {
  halfRtt: number
  initialWindow: number
  maxWindow: number
  idleResetMs: number
  link?: Link
  count(bytes: number): void
}

/** One direction of one connection: src's bytes reach dst rtt/2 later, within the window. */
class Flow {
  readonly src: net.Socket
  readonly dst: net.Socket
  readonly s: FlowSettings
  /** The handshake: nothing leaves before this time. */
  readonly notBefore: number
  cwnd: number
  inFlight = 0
  lastSendAt = -Infinity
  lastDueAt = 0
  pending: Buffer[] = []
  srcEnded = false
  endQueued = false
  deliveries: Delivery[] = []
  acks: { at: number; bytes: number }[] = []
  deliveryTimer: NodeJS.Timeout | undefined
  ackTimer: NodeJS.Timeout | undefined
  stopped = false

  constructor(src: net.Socket, dst: net.Socket, s: FlowSettings, notBefore: number) {
    this.src = src
    this.dst = dst
    this.s = s
    this.notBefore = notBefore
    this.cwnd = s.initialWindow
    src.on('data', (chunk: Buffer) => {
      this.pending.push(chunk)
      this.pump()
    })
    src.on('end', () => {
      this.srcEnded = true
      this.pump()
    })
  }

  /** Sends what the window allows; pauses the sender while anything waits. */
  pump(): void {
    if (this.stopped) return
    const now = performance.now()
    if (this.inFlight === 0 && now - this.lastSendAt > this.s.idleResetMs)
      this.cwnd = this.s.initialWindow
    while (this.pending.length > 0 && this.inFlight < this.cwnd) {
      const head = this.pending[0] as Buffer
      const n = Math.min(this.cwnd - this.inFlight, head.length)
      if (n === head.length) this.pending.shift()
      else this.pending[0] = head.subarray(n)
      this.inFlight += n
      this.lastSendAt = now
      let leaves = Math.max(now, this.notBefore)
      const link = this.s.link
      if (link) {
        link.freeAt = Math.max(leaves, link.freeAt) + n / link.bytesPerMs
        leaves = link.freeAt
      }
      this.enqueue({
        at: leaves + this.s.halfRtt,
        data: n === head.length ? head : head.subarray(0, n)
      })
    }
    if (this.pending.length > 0) {
      this.src.pause()
    } else if (this.srcEnded) {
      if (!this.endQueued) {
        this.endQueued = true
        this.enqueue({ at: Math.max(now, this.notBefore) + this.s.halfRtt, end: true })
      }
    } else {
      this.src.resume()
    }
  }

  enqueue(d: Delivery): void {
    // In order: a later chunk never arrives before an earlier one.
    d.at = Math.max(d.at, this.lastDueAt)
    this.lastDueAt = d.at
    this.deliveries.push(d)
    if (!this.deliveryTimer) this.armDeliveries()
  }

  armDeliveries(): void {
    const head = this.deliveries[0]
    if (!head) return
    this.deliveryTimer = setTimeout(
      () => this.deliverDue(),
      Math.max(0, head.at - performance.now())
    )
  }

  deliverDue(): void {
    this.deliveryTimer = undefined
    const now = performance.now() + TIMER_SLACK_MS
    while (
      !this.stopped &&
      this.deliveries.length > 0 &&
      (this.deliveries[0] as Delivery).at <= now
    ) {
      const d = this.deliveries.shift() as Delivery
      if (d.end) {
        this.dst.end()
      } else if (d.data) {
        const bytes = d.data.length
        this.s.count(bytes)
        // Handed to the receiver: its acknowledgement travels back for rtt/2.
        this.dst.write(d.data, (err) => {
          if (!err) this.ack(performance.now() + this.s.halfRtt, bytes)
        })
      }
    }
    if (!this.stopped) this.armDeliveries()
  }

  ack(at: number, bytes: number): void {
    if (this.stopped) return
    this.acks.push({ at, bytes })
    if (!this.ackTimer) this.armAcks()
  }

  armAcks(): void {
    const head = this.acks[0]
    if (!head) return
    this.ackTimer = setTimeout(() => this.ackDue(), Math.max(0, head.at - performance.now()))
  }

  ackDue(): void {
    this.ackTimer = undefined
    const now = performance.now() + TIMER_SLACK_MS
    while (this.acks.length > 0 && (this.acks[0] as { at: number }).at <= now) {
      const { bytes } = this.acks.shift() as { bytes: number }
      this.inFlight -= bytes
      // Slow start without loss: the window grows by what was acknowledged.
      this.cwnd = Math.min(this.s.maxWindow, this.cwnd + bytes)
    }
    this.pump()
    if (!this.stopped) this.armAcks()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.deliveryTimer)
    clearTimeout(this.ackTimer)
    this.pending = []
    this.deliveries = []
    this.acks = []
  }
}

function resetSocket(s: net.Socket): void {
  if (s.destroyed) return
  try {
    s.resetAndDestroy()
  } catch {
    s.destroy()
  }
}

export async function startDelayRelay(o: DelayRelayOptions): Promise<DelayRelay> {
  const rtt = Math.max(0, o.rttMs)
  const listenHost = o.listenHost ?? '127.0.0.1'
  const initialWindow = o.initialWindow ?? DEFAULT_INITIAL_WINDOW
  const maxWindow = Math.max(initialWindow, o.maxWindow ?? DEFAULT_MAX_WINDOW)
  const idleResetMs = o.idleResetMs ?? Math.max(1000, rtt)
  const rate = o.rateBytesPerSec
  const plain = rtt === 0 && !rate
  const links = rate
    ? { up: { freeAt: 0, bytesPerMs: rate / 1000 }, down: { freeAt: 0, bytesPerMs: rate / 1000 } }
    : undefined
  const totals = { connections: 0, bytesUp: 0, bytesDown: 0 }
  const open = new Set<{ teardown(): void }>()

  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    totals.connections++
    const acceptedAt = performance.now()
    const upstream = net.connect({
      host: o.target.host,
      port: o.target.port,
      allowHalfOpen: true,
      noDelay: true
    })
    const flows: Flow[] = []
    let resetTimer: NodeJS.Timeout | undefined
    let resetting = false
    const conn = {
      teardown(): void {
        clearTimeout(resetTimer)
        for (const f of flows) f.stop()
        client.destroy()
        upstream.destroy()
        open.delete(conn)
      }
    }
    open.add(conn)
    // An error on one side (a reset, a refused connection) resets the other, rtt/2 later.
    const resetFrom = (failed: net.Socket): void => {
      if (resetting) return
      resetting = true
      const other = failed === client ? upstream : client
      for (const f of flows) f.stop()
      failed.destroy()
      const propagate = (): void => {
        resetSocket(other)
        conn.teardown()
      }
      if (rtt === 0) propagate()
      else resetTimer = setTimeout(propagate, rtt / 2)
    }
    client.on('error', () => resetFrom(client))
    upstream.on('error', () => resetFrom(upstream))
    let closed = 0
    const onClose = (): void => {
      if (++closed === 2) conn.teardown()
    }
    client.on('close', onClose)
    upstream.on('close', onClose)

    if (plain) {
      client.on('data', (d: Buffer) => (totals.bytesUp += d.length))
      upstream.on('data', (d: Buffer) => (totals.bytesDown += d.length))
      client.pipe(upstream)
      upstream.pipe(client)
      return
    }
    const settings = (link: Link | undefined, count: (n: number) => void): FlowSettings => ({
      halfRtt: rtt / 2,
      initialWindow,
      maxWindow,
      idleResetMs,
      ...(link ? { link } : {}),
      count
    })
    flows.push(
      new Flow(
        client,
        upstream,
        settings(links?.up, (n) => (totals.bytesUp += n)),
        acceptedAt + rtt
      ),
      new Flow(
        upstream,
        client,
        settings(links?.down, (n) => (totals.bytesDown += n)),
        0
      )
    )
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.listenPort ?? 0, listenHost, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as net.AddressInfo).port
  const urlHost = listenHost.includes(':') ? `[${listenHost}]` : listenHost
  return {
    port,
    url: (scheme = 'http') => `${scheme}://${urlHost}:${port}`,
    stats: () => ({ ...totals }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const c of [...open]) c.teardown()
      })
  }
}

function hostPort(text: string, what: string): { host: string; port: number } {
  const i = text.lastIndexOf(':')
  const port = Number(text.slice(i + 1))
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${what}: want HOST:PORT, got ${JSON.stringify(text)}`)
  return { host: text.slice(0, i), port }
}

async function main(argv: string[]): Promise<void> {
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i] as string, argv[i + 1]]
    if (!name.startsWith('--') || value === undefined) throw new Error(`bad argument ${name}`)
    flags.set(name.slice(2), value)
  }
  const number = (name: string): number | undefined => {
    const v = flags.get(name)
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: want a number, got ${v}`)
    return n
  }
  const target = flags.get('target')
  const rttMs = number('rtt-ms')
  if (!target || rttMs === undefined)
    throw new Error(
      'usage: node testbed/network/delay-relay.ts --target HOST:PORT --rtt-ms MS [--listen HOST:PORT] ' +
        '[--max-window BYTES] [--initial-window BYTES] [--rate BYTES_PER_S]'
    )
  const listen = hostPort(flags.get('listen') ?? '127.0.0.1:0', '--listen')
  const maxWindow = number('max-window')
  const initialWindow = number('initial-window')
  const rate = number('rate')
  const relay = await startDelayRelay({
    target: hostPort(target, '--target'),
    rttMs,
    listenHost: listen.host,
    listenPort: listen.port,
    ...(maxWindow !== undefined ? { maxWindow } : {}),
    ...(initialWindow !== undefined ? { initialWindow } : {}),
    ...(rate ? { rateBytesPerSec: rate } : {})
  })
  console.log(`listening ${listen.host}:${relay.port}`)
  const stop = (): void => {
    void relay.close().then(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

const invoked = process.argv[1]
if (invoked && realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(`delay-relay: ${err.message}`)
    process.exit(2)
  })
}
