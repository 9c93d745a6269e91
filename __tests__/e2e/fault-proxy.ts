// A tiny HTTP proxy for fault tests: sits between the action and radosgw or the CodeDeploy
// emulator, names each request's API operation, and for chosen ones answers an error, resets the
// connection or answers late. Requests are forwarded byte for byte (Host header included), so
// SigV4 signatures still verify at the real server.
import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface ProxiedRequest {
  /** The API operation: X-Amz-Target's name for CodeDeploy, derived from method and query for S3. */
  operation: string
  method: string
  url: string
  headers: IncomingMessage['headers']
  /** What the proxy did with it. */
  action: string
}

/** What to do with one request: forward it, answer it, reset the socket, or forward it late. */
export type FaultAction =
  | { kind: 'pass' }
  | { kind: 'reply'; status: number; body: string; headers?: Record<string, string> }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number }

/** `n` counts the requests of the same operation seen so far, from 1. */
export type FaultRule = (req: ProxiedRequest, n: number) => FaultAction

export const pass: FaultAction = { kind: 'pass' }

/** The S3 operation a request is, from its method and query (path-style addressing). */
export function s3Operation(method: string, url: string): string {
  const q = new URL(url, 'http://x').searchParams
  const hasKey = new URL(url, 'http://x').pathname.split('/').filter(Boolean).length > 1
  if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload'
  if (method === 'PUT' && q.has('uploadId')) return 'UploadPart'
  if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload'
  if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload'
  if (method === 'GET' && q.has('uploads')) return 'ListMultipartUploads'
  if (method === 'GET' && q.has('versions')) return 'ListObjectVersions'
  if (method === 'HEAD') return hasKey ? 'HeadObject' : 'HeadBucket'
  if (method === 'PUT') return hasKey ? 'PutObject' : 'CreateBucket'
  if (method === 'GET') return hasKey ? 'GetObject' : 'ListObjects'
  if (method === 'DELETE') return 'DeleteObject'
  return `${method} ${url}`
}

function operationOf(req: IncomingMessage): string {
  const target = req.headers['x-amz-target']
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1)
  return s3Operation(req.method ?? 'GET', req.url ?? '/')
}

export function s3ErrorXml(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>tx-fault</RequestId></Error>`
}

/** An S3-style 5xx answer. */
export function s3Error(status: number): FaultAction {
  const code = status === 503 ? 'SlowDown' : 'InternalError'
  return {
    kind: 'reply',
    status,
    body: s3ErrorXml(
      code,
      status === 503
        ? 'Please reduce your request rate.'
        : 'We encountered an internal error. Please try again.'
    ),
    headers: { 'content-type': 'application/xml' }
  }
}

/** A CodeDeploy-style (JSON 1.1) error answer. */
export function codeDeployError(status: number, type: string, message: string): FaultAction {
  return {
    kind: 'reply',
    status,
    body: JSON.stringify({ __type: type, message }),
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type }
  }
}

export class FaultProxy {
  readonly requests: ProxiedRequest[] = []
  private readonly counts = new Map<string, number>()
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly server: Server,
    readonly url: string,
    public rule: FaultRule
  ) {}

  /** Starts a proxy on a free port of 127.0.0.1 forwarding to `target` (http://host:port). */
  static async start(target: string, rule: FaultRule = () => pass): Promise<FaultProxy> {
    const to = new URL(target)
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const proxy = new FaultProxy(server, url, rule)
    server.on('connection', (s: Socket) => {
      proxy.sockets.add(s)
      s.on('close', () => proxy.sockets.delete(s))
    })
    server.on('request', (req, res) => {
      const operation = operationOf(req)
      const n = (proxy.counts.get(operation) ?? 0) + 1
      proxy.counts.set(operation, n)
      const seen: ProxiedRequest = {
        operation,
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        action: 'pass'
      }
      proxy.requests.push(seen)
      let action: FaultAction
      try {
        action = proxy.rule(seen, n)
      } catch {
        action = pass
      }
      seen.action = action.kind === 'reply' ? String(action.status) : action.kind
      if (action.kind === 'reset') {
        req.socket.destroy()
        return
      }
      if (action.kind === 'reply') {
        // Read the body first: an answer before the upload is read makes the client see EPIPE.
        req.resume()
        req.on('end', () =>
          res
            .writeHead(action.status, {
              'content-length': Buffer.byteLength(action.body),
              ...action.headers
            })
            .end(action.body)
        )
        return
      }
      const forward = (): void => {
        const headers = { ...req.headers }
        delete headers.expect
        const out = httpRequest(
          { host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          }
        )
        out.on('error', () => req.socket.destroy())
        req.pipe(out)
      }
      if (action.kind === 'delay') setTimeout(forward, action.ms).unref()
      else forward()
    })
    return proxy
  }

  /** Requests of one operation, in order. */
  of(operation: string): ProxiedRequest[] {
    return this.requests.filter((r) => r.operation === operation)
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
