// The bed's delay relay (testbed/network/delay-relay.ts): a round trip costs the RTT, a bulk
// transfer takes what slow start and the window allow, connections add up, half-close and resets
// reach the other side, and close() leaves nothing behind. No bed: each test starts its own small
// servers on 127.0.0.1. Times are asserted against the relay's model (a lower bound it cannot beat)
// with generous room above for a loaded 2-core machine.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import {
  DEFAULT_INITIAL_WINDOW,
  startDelayRelay,
  type DelayRelay,
  type DelayRelayOptions
} from '../../testbed/network/delay-relay.js'

const REPO = path.resolve(import.meta.dirname, '..', '..')
const KiB = 1024
const MiB = 1024 * KiB
/** Timers fire late on a busy machine: room above the model. */
const SLACK_MS = 300
/** Below it, only Node's millisecond timers: a delivery or an acknowledgement up to 1 ms early. */
const atLeast = (modelMs: number): number => modelMs * 0.95

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function listen(server: net.Server | http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
  )
}

function closeServer(server: net.Server | http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** A TCP server; its sockets are destroyed with it. */
async function tcpServer(onSocket: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => undefined)
    onSocket(s)
  })
  const port = await listen(server)
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await closeServer(server)
  })
  return port
}

/** Reads everything, then answers with the byte count and ends. */
function sinkServer(): Promise<number> {
  return tcpServer((s) => {
    let n = 0
    s.on('data', (d: Buffer) => (n += d.length))
    s.on('end', () => s.end(String(n)))
  })
}

async function relayTo(port: number, o: Partial<DelayRelayOptions>): Promise<DelayRelay> {
  const relay = await startDelayRelay({ target: { host: '127.0.0.1', port }, rttMs: 0, ...o })
  cleanups.push(() => relay.close())
  return relay
}

/** Connects, sends `bytes`, half-closes, and waits for the sink's answer: ms from connect, and the answer. */
function upload(port: number, bytes: number): Promise<{ ms: number; answer: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const s = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    let answer = ''
    s.on('data', (d: Buffer) => (answer += d.toString()))
    s.on('end', () => {
      s.destroy()
      resolve({ ms: performance.now() - t0, answer })
    })
    s.on('error', reject)
    const chunk = Buffer.alloc(64 * KiB, 7)
    let left = bytes
    const write = (): void => {
      while (left > 0) {
        const n = Math.min(left, chunk.length)
        left -= n
        if (!s.write(chunk.subarray(0, n))) return void s.once('drain', write)
      }
      s.end()
    }
    write()
  })
}

/**
 * The model's time for one connection to send `bytes` and get a short answer: the handshake (one
 * RTT), one RTT per window while the window doubles from `initial` up to `max`, then the last
 * window's way there and the answer's way back (one RTT).
 */
function modelMs(
  bytes: number,
  rtt: number,
  max: number,
  initial = DEFAULT_INITIAL_WINDOW
): number {
  let t = rtt
  let window = initial
  for (let sent = window; sent < bytes; sent += window) {
    t += rtt
    window = Math.min(max, window * 2)
  }
  return t + rtt
}

function exchange(s: net.Socket, text: string): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    s.once('data', () => resolve(performance.now() - t0))
    s.write(text)
  })
}

describe('the delay relay', () => {
  it('adds the RTT to each request/response, and a handshake RTT to a new connection', async () => {
    const server = http.createServer((_req, res) => res.end('pong'))
    const port = await listen(server)
    cleanups.push(() => closeServer(server))
    const relay = await relayTo(port, { rttMs: 100 })
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    cleanups.push(() => agent.destroy())
    const get = (): Promise<{ ms: number; body: string }> =>
      new Promise((resolve, reject) => {
        const t0 = performance.now()
        http
          .get(`${relay.url()}/ping`, { agent }, (res) => {
            let body = ''
            res.on('data', (d: Buffer) => (body += d.toString()))
            res.on('end', () => resolve({ ms: performance.now() - t0, body }))
          })
          .on('error', reject)
      })
    const first = await get()
    const second = await get()
    expect(first.body).toBe('pong')
    expect(second.body).toBe('pong')
    // A new connection: the handshake's RTT, then the request's.
    expect(first.ms).toBeGreaterThanOrEqual(199)
    expect(first.ms).toBeLessThan(200 + SLACK_MS)
    // On the kept-alive connection: one RTT.
    expect(second.ms).toBeGreaterThanOrEqual(99)
    expect(second.ms).toBeLessThan(100 + SLACK_MS)
    expect(relay.stats().connections).toBe(1)
  })

  it('echoes through at once with rttMs 0', async () => {
    const port = await tcpServer((s) => s.pipe(s))
    const relay = await relayTo(port, { rttMs: 0 })
    const s = net.connect({ host: '127.0.0.1', port: relay.port })
    cleanups.push(() => void s.destroy())
    await new Promise((r) => s.once('connect', r))
    expect(await exchange(s, 'hello')).toBeLessThan(100)
    expect(relay.stats()).toEqual({ connections: 1, bytesUp: 5, bytesDown: 5 })
  })

  it('moves a bulk transfer at window/RTT after slow start', async () => {
    const rtt = 50
    const max = 256 * KiB
    const bytes = 4 * MiB
    const relay = await relayTo(await sinkServer(), { rttMs: rtt, maxWindow: max })
    const r = await upload(relay.port, bytes)
    expect(r.answer).toBe(String(bytes))
    // 5 RTTs of slow start (14 KiB to 256 KiB), 15 of full windows, the handshake and the answer: 1,050 ms.
    const model = modelMs(bytes, rtt, max)
    expect(model).toBe(1050)
    expect(r.ms).toBeGreaterThanOrEqual(atLeast(model))
    expect(r.ms).toBeLessThan(model * 1.5 + SLACK_MS)
    expect(relay.stats().bytesUp).toBe(bytes)
  })

  it('gives two connections about twice the throughput of one', async () => {
    const rtt = 50
    const max = 128 * KiB
    const bytes = 2 * MiB
    const relay = await relayTo(await sinkServer(), { rttMs: rtt, maxWindow: max })
    const one = await upload(relay.port, bytes)
    const both = await Promise.all([upload(relay.port, bytes), upload(relay.port, bytes)])
    const slowest = Math.max(...both.map((b) => b.ms))
    const ratio = (2 * bytes) / slowest / (bytes / one.ms)
    expect(one.ms).toBeGreaterThanOrEqual(atLeast(modelMs(bytes, rtt, max)))
    expect(ratio).toBeGreaterThan(1.5)
    expect(ratio).toBeLessThan(2.5)
  })

  it('shares rateBytesPerSec between connections', async () => {
    const rate = 4 * MiB
    const bytes = 1 * MiB
    const relay = await relayTo(await sinkServer(), {
      rttMs: 10,
      maxWindow: 4 * MiB,
      rateBytesPerSec: rate
    })
    const t0 = performance.now()
    await Promise.all([upload(relay.port, bytes), upload(relay.port, bytes)])
    // 2 MiB through a 4 MiB/s link: at least half a second, however many connections.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(atLeast(((2 * bytes) / rate) * 1000))
  })

  it('restarts slow start after an idle period', async () => {
    const rtt = 40
    const bytes = 1 * MiB
    // Answers each 1 MiB with one byte, so one connection carries several transfers.
    const port = await tcpServer((s) => {
      let n = 0
      s.on('data', (d: Buffer) => {
        n += d.length
        for (; n >= bytes; n -= bytes) s.write('.')
      })
    })
    const transferMs = (s: net.Socket): Promise<number> =>
      new Promise((resolve) => {
        const t0 = performance.now()
        s.once('data', () => resolve(performance.now() - t0))
        s.write(Buffer.alloc(bytes, 1))
      })
    const idleResetMs = 300
    const relay = await relayTo(port, { rttMs: rtt, maxWindow: 2 * MiB, idleResetMs })
    const s = net.connect({ host: '127.0.0.1', port: relay.port })
    cleanups.push(() => void s.destroy())
    await new Promise((r) => s.once('connect', r))
    await transferMs(s)
    // Right after: the window is open, so 1 MiB goes in one RTT (the first took seven).
    const warm = await transferMs(s)
    await new Promise((r) => setTimeout(r, idleResetMs + 100))
    const afterIdle = await transferMs(s)
    // From 14 KiB again: 7 windows (14, 28, ..., 905 KiB) before the 1 MiB is through.
    const coldModel = modelMs(bytes, rtt, 2 * MiB) - rtt
    expect(coldModel).toBe(7 * rtt)
    expect(afterIdle).toBeGreaterThanOrEqual(atLeast(coldModel))
    expect(warm).toBeLessThan(afterIdle)
  })

  it.each([0, 30])('carries a half-close both ways (rtt %i ms)', async (rttMs) => {
    const serverSaw: string[] = []
    const port = await tcpServer((s) => {
      s.on('data', (d: Buffer) => serverSaw.push(d.toString()))
      s.on('end', () => {
        serverSaw.push('<end>')
        // Still writable after the client's FIN: answer, then end too.
        s.end('bye')
      })
    })
    const relay = await relayTo(port, { rttMs })
    const clientSaw: string[] = []
    await new Promise<void>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: relay.port, allowHalfOpen: true })
      s.on('data', (d: Buffer) => clientSaw.push(d.toString()))
      s.on('end', () => {
        clientSaw.push('<end>')
        s.end()
      })
      s.on('close', () => resolve())
      s.on('error', reject)
      s.end('hello')
    })
    expect(serverSaw.join('')).toBe('hello<end>')
    expect(clientSaw.join('')).toBe('bye<end>')
  })

  it.each([0, 30])('passes a reset from the client to the server (rtt %i ms)', async (rttMs) => {
    let resolveServer: (e: string) => void = () => undefined
    const serverError = new Promise<string>((r) => (resolveServer = r))
    const port = await tcpServer((s) => {
      s.on('error', (e: NodeJS.ErrnoException) => resolveServer(e.code ?? e.message))
      s.on('end', () => resolveServer('end'))
    })
    const relay = await relayTo(port, { rttMs })
    const s = net.connect({ host: '127.0.0.1', port: relay.port })
    await new Promise((r) => s.once('connect', r))
    s.write('x')
    // Let the handshake and the byte through, so the relay's connection to the server is up.
    await new Promise((r) => setTimeout(r, rttMs * 2 + 50))
    s.resetAndDestroy()
    expect(await serverError).toBe('ECONNRESET')
  })

  it.each([0, 30])('passes a reset from the server to the client (rtt %i ms)', async (rttMs) => {
    const port = await tcpServer((s) => s.once('data', () => s.resetAndDestroy()))
    const relay = await relayTo(port, { rttMs })
    const seen = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: relay.port })
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
      s.on('end', () => resolve('end'))
      s.write('x')
    })
    expect(seen).toBe('ECONNRESET')
  })

  it('resets the client when the target refuses the connection', async () => {
    const closed = net.createServer()
    const deadPort = await listen(closed)
    await closeServer(closed)
    const relay = await relayTo(deadPort, { rttMs: 20 })
    const seen = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: relay.port })
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
      s.on('end', () => resolve('end'))
    })
    expect(seen).toBe('ECONNRESET')
  })

  it('close() ends every connection and leaves no handle or timer behind', async () => {
    const count = (): Record<string, number> => {
      const out: Record<string, number> = {}
      for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1
      return out
    }
    const before = count()
    const serverSockets = new Set<net.Socket>()
    const server = net.createServer((s) => {
      serverSockets.add(s)
      s.on('error', () => undefined)
      s.resume()
    })
    const port = await listen(server)
    const relay = await startDelayRelay({ target: { host: '127.0.0.1', port }, rttMs: 100 })
    const clients = Array.from({ length: 3 }, () => {
      const s = net.connect({ host: '127.0.0.1', port: relay.port })
      s.on('error', () => undefined)
      s.write(Buffer.alloc(256 * KiB))
      return s
    })
    await new Promise((r) => setTimeout(r, 150))
    expect(relay.stats().connections).toBe(3)
    const clientsClosed = clients.map((s) => new Promise((r) => s.once('close', r)))
    await relay.close()
    await Promise.all(clientsClosed)
    for (const s of serverSockets) s.destroy()
    await closeServer(server)
    await new Promise((r) => setImmediate(r))
    const after = count()
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout'])
      expect(after[kind] ?? 0).toBeLessThanOrEqual(before[kind] ?? 0)
  })

  it('runs as a command: prints its port and stops on SIGTERM', async () => {
    const port = await tcpServer((s) => s.pipe(s))
    const child = spawn(
      path.join(REPO, 'node_modules', '.bin', 'node'),
      ['testbed/network/delay-relay.ts', '--target', `127.0.0.1:${port}`, '--rtt-ms', '40'],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] }
    )
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    cleanups.push(() => void child.kill('SIGKILL'))
    const line = await new Promise<string>((resolve) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolve(out.trim())
      })
    })
    const m = /^listening 127\.0\.0\.1:(\d+)$/.exec(line)
    expect(m).not.toBeNull()
    const s = net.connect({ host: '127.0.0.1', port: Number(m?.[1]) })
    cleanups.push(() => void s.destroy())
    await new Promise((r) => s.once('connect', r))
    await exchange(s, 'warm-up')
    expect(await exchange(s, 'hi')).toBeGreaterThanOrEqual(39)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
