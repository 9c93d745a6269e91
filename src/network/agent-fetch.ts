// A fetch for Octokit (GitHub's compare API) over node:http with the route agents, so the GitHub
// call takes the same proxy, no_proxy and CAs as the AWS calls. Node's own fetch cannot take an
// http.Agent, and undici (whose ProxyAgent @actions/github would use) is not bundled.
import * as http from 'node:http'
import * as https from 'node:https'

export interface FetchAgents {
  http: http.Agent
  https: https.Agent | http.Agent
}

const MAX_REDIRECTS = 5

/** fetch(url, init) for JSON APIs: method, headers, a string or bytes body, signal, redirects followed. */
export function agentFetch(agents: FetchAgents): typeof fetch {
  const go = async (
    input: string | URL | Request,
    init: RequestInit = {},
    hops = 0
  ): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, name) => (headers[name] = value))
    const body = await bodyBytes(init.body)
    if (body) headers['content-length'] = String(body.length)
    const res = await send(url, method, headers, body, agents, init.signal ?? undefined)
    const location = res.headers.location
    if (
      [301, 302, 303, 307, 308].includes(res.statusCode ?? 0) &&
      location &&
      init.redirect !== 'manual'
    ) {
      res.resume()
      if (hops >= MAX_REDIRECTS)
        throw new TypeError(`fetch failed: more than ${MAX_REDIRECTS} redirects from ${url.origin}`)
      const next = new URL(location, url)
      // 303, and 301/302 after a POST, become a GET without a body (as fetch does).
      const keep =
        res.statusCode === 307 || res.statusCode === 308 || method === 'GET' || method === 'HEAD'
      // The token goes only where it was sent: never to another origin.
      const sameOrigin = next.origin === url.origin
      const nextHeaders = new Headers(init.headers)
      if (!sameOrigin) nextHeaders.delete('authorization')
      return go(
        next,
        { ...init, headers: nextHeaders, ...(keep ? {} : { method: 'GET', body: undefined }) },
        hops + 1
      )
    }
    const data = await readAll(res)
    const status = res.statusCode ?? 0
    const responseHeaders = new Headers()
    for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
      responseHeaders.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!)
    const nullBody = status === 204 || status === 205 || status === 304 || method === 'HEAD'
    const response = new Response(nullBody ? null : new Uint8Array(data), {
      status,
      statusText: res.statusMessage ?? '',
      headers: responseHeaders
    })
    Object.defineProperty(response, 'url', { value: url.href })
    return response
  }
  return go as typeof fetch
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  agents: FetchAgents,
  signal: AbortSignal | undefined
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:'
    if (!secure && url.protocol !== 'http:') {
      reject(new TypeError(`fetch failed: ${url.protocol} is not http(s)`))
      return
    }
    const request = (secure ? https.request : http.request)(
      url,
      { method, headers, agent: secure ? agents.https : agents.http, signal },
      resolve
    )
    // As fetch reports it: a TypeError whose cause is the network error.
    request.on('error', (err) =>
      reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }))
    )
    request.end(body)
  })
}

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return Buffer.from(body)
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return Buffer.from(await new Response(body).arrayBuffer())
}

function readAll(res: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => resolve(Buffer.concat(chunks)))
    res.on('error', reject)
  })
}
