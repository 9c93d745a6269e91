// The bed's proxy and TLS front ends (testbed/README.md, "Proxy and TLS"): squid forwards to the
// bed's names only, with basic authentication, and logs each call; the runner side's namespace
// resolves direct.bed.test and nothing else of the bed; the TLS ports verify against the bed's CA
// and no other. This process never looks a bed.test name up itself: it talks to the proxy at
// 127.0.0.1 or to 127.0.0.1 directly (the agents' lookup refuses names), and what needs the
// runner's names runs inside runner-ns.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CodeDeployClient, ListApplicationsCommand } from '@aws-sdk/client-codedeploy'
import {
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import tls from 'node:tls'
import { promisify } from 'node:util'
import { REPO } from '../e2e/harness.js'
import { bed, type Bed, unique } from '../support/bed.js'
import { run } from '../support/commands.js'
import { suiteTempDir } from '../temp-dir.js'

const NAMES = [
  'TESTBED_PROXY_URL',
  'TESTBED_PROXY_AUTH',
  'TESTBED_PROXY_LOG',
  'TESTBED_PROXIED_S3_URL',
  'TESTBED_PROXIED_CODEDEPLOY_URL',
  'TESTBED_PROXIED_GITHUB_API_URL',
  'TESTBED_DIRECT_CODEDEPLOY_URL',
  'TESTBED_CA_BUNDLE',
  'TESTBED_TLS_S3_URL',
  'TESTBED_TLS_CODEDEPLOY_URL',
  'TESTBED_RUNNER_NS'
] as const
type Net = Record<(typeof NAMES)[number], string>

// The suite needs a bed started with `proxy: { auth: ... }` and `tls: true`; any other bed skips it.
const configured = NAMES.every((n) => process.env[n])
const suite = configured ? describe : describe.skip
if (!configured)
  console.warn(
    'network.test.ts skipped: the bed runs without proxy and TLS (add `proxy: { auth: "bed-user:bed-pass" }` and `tls: true` to its fleet file, e.g. __tests__/testbed/network.fleet.yml)'
  )

let b: Bed
let net: Net
let proxy: URL
let ca: Buffer
const probe = unique('net')
const clients: { destroy(): void }[] = []

beforeAll(() => {
  if (!configured) return
  b = bed()
  net = process.env as unknown as Net
  proxy = new URL(net.TESTBED_PROXY_URL)
  ca = readFileSync(net.TESTBED_CA_BUNDLE)
})
afterAll(() => clients.forEach((c) => c.destroy()))

// Whatever connects from here goes to 127.0.0.1 by number: a name would be a lookup that could
// leave the machine (the names exist only in the proxy's and runner-ns' hosts files).
const noLookup: LookupFunction = (host, _options, callback) =>
  callback(
    Object.assign(new Error(`this test looks up no name (${host})`), { code: 'ENOTFOUND' }),
    '',
    4
  )

const basic = (credentials: string): string =>
  `Basic ${Buffer.from(credentials).toString('base64')}`

/** A plain-HTTP request in absolute form, as a client of a forward proxy sends it. */
function viaProxy(
  url: string,
  credentials?: string
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port,
      path: url,
      headers: credentials ? { 'Proxy-Authorization': basic(credentials) } : {},
      agent: false
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** A CONNECT tunnel through the proxy to host:port: the proxy's status and, on 200, the socket. */
function connectTunnel(
  target: string,
  credentials: string
): Promise<{ status: number; socket: import('node:net').Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: proxy.hostname,
      port: proxy.port,
      method: 'CONNECT',
      path: target,
      headers: { 'Proxy-Authorization': basic(credentials) },
      agent: false
    })
    req.on('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }))
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0, socket: res.socket })
    })
    req.on('error', reject)
    req.end()
  })
}

/** The proxy's access log: one line per request (time, method, URL, status, result, user). */
const accessLog = (): string => readFileSync(net.TESTBED_PROXY_LOG, 'utf8')

/** Waits (at most 3 s) for a line matching `line` written after `since` (a length of the log):
 * squid writes a request's line when it ends, a CONNECT's when the tunnel closes. */
async function logged(line: RegExp, since = 0): Promise<string> {
  for (let i = 0; i < 30; i++) {
    const found = accessLog()
      .slice(since)
      .split('\n')
      .find((l) => line.test(l))
    if (found) return found
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`the proxy's access log has no line matching ${line}:\n${accessLog()}`)
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const port = (url: string): string => new URL(url).port

suite('the proxy', () => {
  it('forwards to the emulator by its bed name with credentials, and logs the call', async () => {
    const url = `${net.TESTBED_PROXIED_CODEDEPLOY_URL}/__testbed/health?probe=${probe}-ok`
    const res = await viaProxy(url, net.TESTBED_PROXY_AUTH)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ ok: true })
    const user = net.TESTBED_PROXY_AUTH.split(':')[0] ?? ''
    expect(
      await logged(new RegExp(`^\\d+\\.\\d{3} GET ${escape(url)} 200 TCP_MISS ${user}$`))
    ).toBeTruthy()
  })

  it('answers 407 without credentials or with wrong ones, and logs the refusal', async () => {
    const url = `${net.TESTBED_PROXIED_CODEDEPLOY_URL}/__testbed/health?probe=${probe}-407`
    const none = await viaProxy(url)
    expect(none.status).toBe(407)
    expect(none.headers['proxy-authenticate']).toMatch(/^Basic realm="testbed proxy"/)
    const user = net.TESTBED_PROXY_AUTH.split(':')[0] ?? ''
    expect((await viaProxy(url, `${user}:wrong-password`)).status).toBe(407)
    const denied = accessLog()
      .split('\n')
      .filter((l) => l.includes(`GET ${url} 407 TCP_DENIED`))
    expect(denied).toHaveLength(2)
  })

  it('refuses any host outside the bed with 403, without looking it up', async () => {
    const started = Date.now()
    const res = await viaProxy(`http://example.invalid/?probe=${probe}`, net.TESTBED_PROXY_AUTH)
    expect(res.status).toBe(403)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('carries the SDK: S3 and CodeDeploy calls by the bed names, each in the log', async () => {
    // Node's own proxy support (http.Agent proxyEnv), as a client configured with HTTP_PROXY.
    const agent = new http.Agent({
      proxyEnv: { HTTP_PROXY: `http://${net.TESTBED_PROXY_AUTH}@${proxy.host}` },
      lookup: noLookup
    })
    const common = {
      region: b.region,
      credentials: {
        accessKeyId: b.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: b.env.AWS_SECRET_ACCESS_KEY ?? ''
      },
      requestHandler: { httpAgent: agent },
      maxAttempts: 1
    }
    const s3 = new S3Client({
      ...common,
      endpoint: net.TESTBED_PROXIED_S3_URL,
      forcePathStyle: true
    })
    const codedeploy = new CodeDeployClient({
      ...common,
      endpoint: net.TESTBED_PROXIED_CODEDEPLOY_URL
    })
    clients.push(s3, codedeploy)
    const since = accessLog().length
    await s3.send(new HeadBucketCommand({ Bucket: b.bucket }))
    const apps = await codedeploy.send(new ListApplicationsCommand({}))
    expect(apps.applications?.length).toBeGreaterThan(0)
    await logged(
      new RegExp(` HEAD ${escape(`${net.TESTBED_PROXIED_S3_URL}/${b.bucket}`)}/? 200 TCP_MISS `),
      since
    )
    await logged(
      new RegExp(` POST ${escape(`${net.TESTBED_PROXIED_CODEDEPLOY_URL}/`)} 200 `),
      since
    )
  })

  it('carries large bodies sent with Expect: 100-continue, each on the first attempt', async () => {
    const agent = new http.Agent({
      proxyEnv: { HTTP_PROXY: `http://${net.TESTBED_PROXY_AUTH}@${proxy.host}` },
      lookup: noLookup
    })
    const s3 = new S3Client({
      region: b.region,
      endpoint: net.TESTBED_PROXIED_S3_URL,
      forcePathStyle: true,
      credentials: {
        accessKeyId: b.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: b.env.AWS_SECRET_ACCESS_KEY ?? ''
      },
      requestHandler: { httpAgent: agent },
      maxAttempts: 1
    })
    clients.push(s3)
    const body = Buffer.alloc(20_000_000, 7)
    const since = accessLog().length
    for (let i = 0; i < 3; i++)
      await s3.send(
        new PutObjectCommand({ Bucket: b.bucket, Key: `${probe}/large-${i}.bin`, Body: body })
      )
    const puts = accessLog()
      .slice(since)
      .split('\n')
      .filter((l) => l.includes(` PUT ${net.TESTBED_PROXIED_S3_URL}/${b.bucket}/${probe}/large-`))
    expect(puts.map((l) => l.split(' ').slice(3, 5).join(' '))).toEqual([
      '200 TCP_MISS',
      '200 TCP_MISS',
      '200 TCP_MISS'
    ])
  }, 60_000)
})

suite('runner-ns, the runner side', () => {
  it('resolves direct.bed.test only: the direct route to the bed names fails at once', async () => {
    // One Node inside the namespace: looks the names up and calls the emulator directly.
    const script = `
      const dns = await import('node:dns/promises')
      const out = {}
      const t0 = Date.now()
      out.s3 = await dns.lookup('s3.bed.test').then((a) => a.address, (e) => e.code)
      out.codedeploy = await fetch(process.argv[1] + '/__testbed/health').then((r) => r.status, (e) => e.cause?.code)
      out.failedMs = Date.now() - t0
      out.direct = await dns.lookup('direct.bed.test').then((a) => a.address, (e) => e.code)
      out.health = await fetch(process.argv[2] + '/__testbed/health').then((r) => r.status, (e) => String(e))
      console.log(JSON.stringify(out))`
    const { stdout } = await promisify(execFile)(
      net.TESTBED_RUNNER_NS,
      [
        process.execPath,
        '--input-type=module',
        '-e',
        script,
        net.TESTBED_PROXIED_CODEDEPLOY_URL,
        net.TESTBED_DIRECT_CODEDEPLOY_URL
      ],
      { timeout: 20_000 }
    )
    const out = JSON.parse(stdout) as Record<string, unknown>
    expect(out).toEqual({
      s3: 'ENOTFOUND',
      codedeploy: 'ENOTFOUND',
      failedMs: expect.any(Number),
      direct: '127.0.0.1',
      health: 200
    })
    expect(out.failedMs).toBeLessThan(1000)
  })
})

suite('the TLS front ends', () => {
  it('CONNECT through the proxy reaches the TLS port; its certificate verifies with the CA only', async () => {
    const tlsUrl = new URL(net.TESTBED_TLS_CODEDEPLOY_URL)
    const target = `${tlsUrl.hostname}:${tlsUrl.port}`
    const since = accessLog().length
    const handshake = async (withCa: boolean): Promise<tls.TLSSocket> => {
      const { status, socket } = await connectTunnel(target, net.TESTBED_PROXY_AUTH)
      expect(status).toBe(200)
      return new Promise((resolve, reject) => {
        const s = tls.connect({ socket, servername: tlsUrl.hostname, ...(withCa ? { ca } : {}) })
        s.once('secureConnect', () => resolve(s))
        s.once('error', (e) => {
          socket.destroy()
          reject(e)
        })
      })
    }

    const secure = await handshake(true)
    expect(secure.authorized).toBe(true)
    secure.write(`GET /__testbed/health HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`)
    let answer = ''
    for await (const chunk of secure) answer += String(chunk)
    expect(answer).toMatch(/^HTTP\/1\.1 200 /)
    expect(answer).toContain('"ok": true')

    await expect(handshake(false)).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/)
    })
    // The tunnels are logged when they close.
    await logged(new RegExp(` CONNECT ${escape(target)} 200 TCP_TUNNEL `), since)
  })

  it('serves S3 over TLS at 127.0.0.1 (the certificate names the address) with the CA, not without', async () => {
    const endpoint = `https://127.0.0.1:${port(net.TESTBED_TLS_S3_URL)}`
    const s3 = (agent: https.Agent): S3Client =>
      new S3Client({
        region: b.region,
        endpoint,
        forcePathStyle: true,
        credentials: {
          accessKeyId: b.env.AWS_ACCESS_KEY_ID ?? '',
          secretAccessKey: b.env.AWS_SECRET_ACCESS_KEY ?? ''
        },
        requestHandler: { httpsAgent: agent },
        maxAttempts: 1
      })
    const trusted = s3(new https.Agent({ ca, lookup: noLookup }))
    const untrusted = s3(new https.Agent({ lookup: noLookup }))
    clients.push(trusted, untrusted)
    const list = await trusted.send(new ListBucketsCommand({}))
    expect(list.Buckets?.map((x) => x.Name)).toContain(b.bucket)
    await trusted.send(new HeadBucketCommand({ Bucket: b.bucket }))
    await expect(untrusted.send(new ListBucketsCommand({}))).rejects.toThrow(
      /unable to verify the first certificate/
    )
  })

  it('serves CodeDeploy over TLS through the proxy (CONNECT), as a client with HTTPS_PROXY and a CA bundle does', async () => {
    const since = accessLog().length
    const agent = new https.Agent({
      ca,
      proxyEnv: { HTTPS_PROXY: `http://${net.TESTBED_PROXY_AUTH}@${proxy.host}` },
      lookup: noLookup
    })
    const codedeploy = new CodeDeployClient({
      region: b.region,
      endpoint: net.TESTBED_TLS_CODEDEPLOY_URL,
      credentials: {
        accessKeyId: b.env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: b.env.AWS_SECRET_ACCESS_KEY ?? ''
      },
      requestHandler: { httpsAgent: agent },
      maxAttempts: 1
    })
    const apps = await codedeploy.send(new ListApplicationsCommand({}))
    expect(apps.applications?.length).toBeGreaterThan(0)
    codedeploy.destroy()
    agent.destroy()
    const tlsUrl = new URL(net.TESTBED_TLS_CODEDEPLOY_URL)
    await logged(new RegExp(` CONNECT ${escape(tlsUrl.host)} 200 TCP_TUNNEL `), since)
  })
})

describe('starting a bed whose fleet file has a bad proxy setting', () => {
  it('fails at once with one line naming the place, before anything is installed or started', async () => {
    const config = path.join(suiteTempDir('bed-network-'), 'fleet.yml')
    writeFileSync(
      config,
      'proxy: { auth: "no-password" }\napplications: [{ name: a, groups: [{ name: g }] }]\n'
    )
    // Another bed's start, stripped of this bed's settings (ports, state folder).
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('TESTBED_') && !k.startsWith('AWS_')
      )
    )
    const t0 = Date.now()
    const r = await run(path.join(REPO, 'testbed/start'), [], { ...env, TESTBED_CONFIG: config })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim()).toBe(
      'testbed: error: fleet config: proxy.auth: must be "user:password", each of letters, digits and . _ ~ - (e.g. "bed-user:bed-pass")'
    )
    expect(Date.now() - t0).toBeLessThan(10_000)
  })
})
