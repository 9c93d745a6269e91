// The HTTP front: CodeDeploy's AWS JSON 1.1 protocol and Auto Scaling's and ELBv2's Query protocol
// on POST /, GitHub's REST API under /github-api (GITHUB_API_URL), and the bed's admin endpoint
// under /__testbed (unsigned: it listens on 127.0.0.1 only).
import { setTimeout as sleep } from 'node:timers/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { AwsError } from './aws-error.ts'
import { verifySignature, type Credentials } from './sigv4.ts'
import type { Operation } from '../codedeploy/operations.ts'
import type { FaultInjector } from '../world/faults.ts'
import type { RequestLog } from './request-log.ts'
import { parseForm, QueryError, xmlAnswer, xmlError, type QueryService } from './query-protocol.ts'
import type { GitHubReply, GitHubRequest } from '../github/api.ts'

const TARGET_PREFIX = 'CodeDeploy_20141006.'
export const ADMIN_PREFIX = '/__testbed'
// testbed/lib/bed.sh exports GITHUB_API_URL as the emulator's URL with this path.
export const GITHUB_API_PREFIX = '/github-api'

export interface ServerDeps {
  operations: Record<string, Operation>
  // Auto Scaling and ELBv2 (AWS Query), told apart by the signature's service name.
  queryServices: QueryService[]
  credentials: Credentials
  faults: FaultInjector
  requests: RequestLog
  admin: (
    method: string,
    path: string,
    query: URLSearchParams,
    body: string
  ) => Promise<{ status: number; body: unknown }>
  github: (req: GitHubRequest) => Promise<GitHubReply>
  // The application a call is about, from its applicationName or its deployment.
  applicationOf: (input: Record<string, unknown> | undefined) => string | undefined
  log: (line: string) => void
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers
  })
  res.end(text)
}

function sendError(res: ServerResponse, e: AwsError): void {
  sendJson(
    res,
    e.status,
    { __type: e.type, message: e.message },
    {
      'x-amzn-errortype': `${e.type}:http://internal.amazon.com/coral/com.amazonaws.codedeploy/`
    }
  )
}

function singleHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v
  }
  return out
}

function sendXml(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID()
  })
  res.end(text)
}

// The Query protocol's names for the signature errors CodeDeploy's JSON protocol names otherwise.
const QUERY_AUTH_ERRORS: Record<string, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature'
}

// The request's SigV4 signature checked against the bed's credentials: the refusal, or undefined.
async function signatureError(
  req: IncomingMessage,
  headers: Record<string, string>,
  body: Buffer,
  deps: ServerDeps
): Promise<AwsError | undefined> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  try {
    await verifySignature(
      {
        method: req.method ?? 'POST',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body
      },
      deps.credentials,
      new Date()
    )
    return undefined
  } catch (e) {
    if (e instanceof AwsError) return e
    throw e
  }
}

async function handleQuery(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  body: Buffer,
  headers: Record<string, string>
): Promise<void> {
  const params = parseForm(body.toString('utf8'))
  const action = params.get('Action') ?? ''
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(headers['authorization'] ?? '')
  const service =
    deps.queryServices.find((s) => s.signingName === scope?.[1]) ??
    deps.queryServices.find((s) => s.version === params.get('Version'))
  const namespace = service?.namespace ?? 'http://webservices.amazon.com/AWSFault/2005-15-09'
  const input = Object.fromEntries(params)
  const fail = (e: QueryError): void => {
    deps.requests.add({ operation: action, status: e.status, error: e.code, input })
    sendXml(res, e.status, xmlError(namespace, e))
  }
  const refused = await signatureError(req, headers, body, deps)
  if (refused)
    return fail(
      new QueryError(
        QUERY_AUTH_ERRORS[refused.type] ?? refused.type,
        refused.message,
        refused.status
      )
    )
  const handler = service?.operations[action]
  if (!service || !handler)
    return fail(
      new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`)
    )
  const fault = deps.faults.decide(action, undefined)
  if (fault.delayMs) await sleep(fault.delayMs)
  if (fault.error)
    return fail(new QueryError(fault.error.type, fault.error.message, fault.error.status))
  try {
    const result = handler(params)
    deps.requests.add({ operation: action, status: 200, input })
    sendXml(res, 200, xmlAnswer(action, namespace, result))
  } catch (e) {
    if (e instanceof QueryError) return fail(e)
    deps.log(`${action} failed: ${(e as Error).stack}`)
    fail(
      new QueryError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500
      )
    )
  }
}

async function handleAws(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps
): Promise<void> {
  const body = await readBody(req)
  const headers = singleHeaders(req)
  if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return handleQuery(req, res, deps, body, headers)
  const target = headers['x-amz-target'] ?? ''
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target
  let input: Record<string, unknown> | undefined
  const fail = (e: AwsError): void => {
    deps.requests.add({
      operation,
      application: deps.applicationOf(input),
      status: e.status,
      error: e.type,
      input
    })
    sendError(res, e)
  }
  // Parsed before the signature check only so refused calls are logged with their application.
  let malformed = false
  try {
    input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {}
  } catch {
    malformed = true
  }
  const refused = await signatureError(req, headers, body, deps)
  if (refused) return fail(refused)
  if (malformed) {
    return fail(
      new AwsError('SerializationException', 'Start of structure or map found where not expected.')
    )
  }
  const handler = target.startsWith(TARGET_PREFIX) ? deps.operations[operation] : undefined
  if (req.method !== 'POST' || !handler) {
    return fail(new AwsError('UnknownOperationException', `Unknown operation ${target}`))
  }
  const fault = deps.faults.decide(operation, deps.applicationOf(input))
  if (fault.delayMs) await sleep(fault.delayMs)
  if (fault.error) return fail(fault.error)
  try {
    const output = handler(input ?? {})
    deps.requests.add({ operation, application: deps.applicationOf(input), status: 200, input })
    sendJson(res, 200, output)
  } catch (e) {
    if (e instanceof AwsError) return fail(e)
    deps.log(`${operation} failed: ${(e as Error).stack}`)
    fail(
      new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500
      )
    )
  }
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`)
}

async function handleGitHub(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  path: string
): Promise<void> {
  await readBody(req)
  const headers = singleHeaders(req)
  const r = await deps.github({
    method: req.method ?? 'GET',
    path: path.slice(GITHUB_API_PREFIX.length) || '/',
    headers,
    apiUrl: `http://${headers.host ?? '127.0.0.1'}${GITHUB_API_PREFIX}`
  })
  const text = JSON.stringify(r.body)
  res.writeHead(r.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-request-id': randomUUID()
  })
  res.end(text)
}

export function startServer(port: number, deps: ServerDeps): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const work = underPrefix(path, ADMIN_PREFIX)
      ? readBody(req).then(async (b) => {
          const r = await deps.admin(
            req.method ?? 'GET',
            path.slice(ADMIN_PREFIX.length) || '/',
            url.searchParams,
            b.toString('utf8')
          )
          const text = JSON.stringify(r.body, null, 2)
          res.writeHead(r.status, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text)
          })
          res.end(text)
        })
      : underPrefix(path, GITHUB_API_PREFIX)
        ? handleGitHub(req, res, deps, path)
        : handleAws(req, res, deps)
    work.catch((e: Error) => {
      deps.log(`request failed: ${e.stack}`)
      if (!res.headersSent) sendError(res, new AwsError('InternalFailure', e.message, 500))
    })
  })
  // Idle connections stay open for a minute, as AWS endpoints keep them. With Node's 5 s a busy
  // machine lets the server close a connection just as a client (undici, the SDK) reuses it:
  // "other side closed" on a request that did nothing wrong. undici keeps an idle connection for
  // the advertised minute less a second, and a test that blocks its event loop for seconds (a
  // workspace of 60,000 files written synchronously) can reuse it later than that: the server
  // closes 30 s after what it advertises (Node 24's keepAliveTimeoutBuffer).
  server.keepAliveTimeout = 60_000
  server.keepAliveTimeoutBuffer = 30_000
  server.headersTimeout = 95_000
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}
