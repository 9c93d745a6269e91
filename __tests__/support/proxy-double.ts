// An HTTP forward proxy for unit tests: CONNECT tunnels and absolute-URL requests, optional basic
// auth, a log line per request. Every host name resolves to 127.0.0.1 (the port is kept), so tests
// can use names like s3.test that nothing else resolves. The bed's tests use a real proxy
// (testbed/README.md, "Proxy and TLS"); this one lets the agents be tested in milliseconds.
import { createServer, request, type IncomingMessage, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface ProxyDouble {
  url: string
  port: number
  /** `CONNECT host:port` or `GET http://host:port/path`, in order. */
  log: string[]
  /** Proxy-Authorization headers seen, as sent. */
  auth: (string | undefined)[]
  close(): Promise<void>
}

export interface ProxyDoubleOptions {
  /** user:password the proxy wants; without it, anyone may use it. */
  credentials?: string
  /** CONNECT to these ports is refused with 403 (as proxies that allow only 443 do). */
  refusePorts?: number[]
}

export async function startProxyDouble(o: ProxyDoubleOptions = {}): Promise<ProxyDouble> {
  const log: string[] = []
  const auth: (string | undefined)[] = []
  const sockets = new Set<Socket>()
  const allowed = (req: IncomingMessage): boolean => {
    const given = req.headers['proxy-authorization']
    auth.push(given)
    return !o.credentials || given === `Basic ${Buffer.from(o.credentials).toString('base64')}`
  }
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`)
    if (!allowed(req)) {
      res.writeHead(407, {
        'proxy-authenticate': 'Basic realm="double"',
        'content-type': 'text/html'
      })
      res.end('<html>407</html>')
      return
    }
    const target = new URL(req.url ?? '/')
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    delete headers['proxy-connection']
    const upstream = request(
      {
        host: '127.0.0.1',
        port: Number(target.port) || 80,
        method: req.method,
        path: target.pathname + target.search,
        headers
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    log.push(`CONNECT ${req.url}`)
    const port = Number((req.url ?? '').split(':').pop())
    if (!allowed(req)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="double"\r\nContent-Length: 0\r\n\r\n'
      )
      return
    }
    if (o.refusePorts?.includes(port)) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    auth,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

export interface TestCa {
  /** The CA's PEM file. */
  caFile: string
  caPem: string
  /** A server key and certificate for `names` (DNS names and IPs), signed by the CA. */
  key: string
  cert: string
}

/** A CA and a server certificate made with the openssl CLI, in a fresh temporary folder. */
export function makeTestCa(names: string[]): TestCa {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-ca-'))
  const f = (n: string): string => path.join(dir, n)
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' })
  }
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem')
  )
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    `/CN=${names[0]}`,
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr')
  )
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
  writeFileSync(f('ext.cnf'), `subjectAltName=${san}\n`)
  run(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
    '-out',
    f('server.pem')
  )
  return {
    caFile: f('ca.pem'),
    caPem: readFileSync(f('ca.pem'), 'utf8'),
    key: readFileSync(f('server.key'), 'utf8'),
    cert: readFileSync(f('server.pem'), 'utf8')
  }
}
