// The http.Agent every AWS client and the GitHub call use: per request it goes direct or through
// the proxy the environment names (proxy-env.ts), and trusts AWS_CA_BUNDLE's CAs besides Node's.
// The tunnels are https-proxy-agent (CONNECT, for https://) and http-proxy-agent (absolute URLs,
// for http://, as curl and the AWS CLI send them); this file only chooses between them and turns
// their failures into errors that name the proxy.
import * as http from 'node:http'
import * as https from 'node:https'
import type { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { HttpProxyAgent } from 'http-proxy-agent'
import { proxyFor, type ProxyEnv, type ProxyVar } from './proxy-env.js'
import {
  PROXY_ANSWER_HEADER,
  proxyRefused,
  proxyUnreachable,
  tagEndpoint
} from './network-errors.js'

export interface RouteOptions {
  proxies: ProxyEnv
  /** The CAs to trust (Node's and AWS_CA_BUNDLE's); undefined: Node's own. */
  ca?: string[]
  /** Sockets per host, as the SDK's own agents (50). */
  maxSockets?: number
}

const endpointOf = (
  opts: { host?: string | null; port?: number | string | null },
  secure: boolean
) => `${opts.host ?? 'localhost'}:${opts.port || (secure ? 443 : 80)}`

/** Direct https: Node's agent, with the bundle's CAs, and TLS errors that say which endpoint. */
class DirectHttpsAgent extends https.Agent {
  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, socket: Duplex) => void
  ): Duplex {
    const socket = super.createConnection(options, callback) as Socket
    socket.once('error', (err) => tagEndpoint(err, endpointOf(options, true)))
    return socket
  }
}

/** CONNECT through `proxy`: a refusal (407, 403, 502...) is an error naming the proxy, not a response. */
class ConnectTunnel extends HttpsProxyAgent<string> {
  constructor(
    private readonly route: ProxyVar,
    private readonly tlsOptions: https.AgentOptions
  ) {
    super(route.url.href, tlsOptions)
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<Socket> {
    const endpoint = endpointOf(opts, opts.secureEndpoint)
    let answer: { statusCode: number; statusText: string } | undefined
    const onAnswer = (a: { statusCode: number; statusText: string }): void => {
      answer = a
    }
    req.once('proxyConnect', onAnswer)
    let socket: Socket
    try {
      // HttpsProxyAgent keeps its own options out of the endpoint's TLS: the CAs go in here.
      const ca = this.tlsOptions.ca
      socket = (await super.connect(
        req,
        (ca ? { ...opts, ca } : opts) as AgentConnectOpts
      )) as Socket
    } catch (err) {
      throw proxyUnreachable(this.route, endpoint, err)
    } finally {
      req.off('proxyConnect', onAnswer)
    }
    if (answer && answer.statusCode !== 200) {
      socket.destroy()
      throw proxyRefused(this.route, endpoint, answer.statusCode, answer.statusText)
    }
    socket.once('error', (err) => tagEndpoint(err, endpoint))
    return socket
  }
}

type ForwardedRequest = Parameters<HttpProxyAgent<string>['connect']>[0]
type AgentConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1]

/** Absolute-URL forwarding through `proxy`; its 407 carries the error that names it. */
class ForwardProxy extends HttpProxyAgent<string> {
  constructor(
    private readonly route: ProxyVar,
    opts: http.AgentOptions
  ) {
    super(route.url.href, opts)
  }

  override addRequest(req: ForwardedRequest, opts: AgentConnectOpts): void {
    const endpoint = endpointOf(opts, false)
    req.prependOnceListener('response', (res: http.IncomingMessage) => {
      if (res.statusCode !== 407) return
      const err = proxyRefused(this.route, endpoint, 407, res.statusMessage)
      res.headers[PROXY_ANSWER_HEADER] = JSON.stringify({
        message: err.message,
        advice: err.advice
      })
    })
    super.addRequest(req, opts)
  }

  override async connect(req: ForwardedRequest, opts: AgentConnectOpts): Promise<Socket> {
    try {
      return (await super.connect(req, opts)) as Socket
    } catch (err) {
      throw proxyUnreachable(this.route, endpointOf(opts, false), err)
    }
  }
}

/**
 * Chooses, per request, the direct agent or the tunnel to the proxy for its URL, and hands the
 * request to it as Node would have (addRequest is called while the request is built, before its
 * head is written). One instance per protocol: Node checks that an agent's protocol matches.
 */
export class RouteAgent extends http.Agent {
  private readonly direct: http.Agent
  private readonly tunnels = new Map<string, http.Agent>()
  private readonly common: https.AgentOptions

  constructor(
    private readonly secure: boolean,
    private readonly opts: RouteOptions
  ) {
    super({ keepAlive: true, maxSockets: opts.maxSockets ?? 50 })
    // keepAlive and 50 sockets per host: what the SDK's default agents do. The CAs also verify
    // an https:// proxy itself.
    this.common = {
      keepAlive: true,
      maxSockets: opts.maxSockets ?? 50,
      ...(opts.ca ? { ca: opts.ca } : {})
    }
    Object.assign(this, { protocol: secure ? 'https:' : 'http:', defaultPort: secure ? 443 : 80 })
    this.direct = secure ? new DirectHttpsAgent(this.common) : new http.Agent(this.common)
  }

  /** The agent a request to host:port takes. */
  route(host: string, port: number): http.Agent {
    const scheme = this.secure ? 'https' : 'http'
    const url = new URL(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`)
    const proxy = proxyFor(url, this.opts.proxies)
    if (!proxy) return this.direct
    let tunnel = this.tunnels.get(proxy.url.href)
    if (!tunnel) {
      tunnel = this.secure
        ? new ConnectTunnel(proxy, this.common)
        : new ForwardProxy(proxy, this.common)
      this.tunnels.set(proxy.url.href, tunnel)
    }
    return tunnel
  }

  // Not in @types/node, but Node's public agent hook (ClientRequest calls it).
  addRequest(req: http.ClientRequest, options: http.RequestOptions): void {
    const host = String(options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '')
    const port = Number(options.port) || (this.secure ? 443 : 80)
    ;(this.route(host, port) as unknown as { addRequest(r: unknown, o: unknown): void }).addRequest(
      req,
      options
    )
  }

  override destroy(): void {
    this.direct.destroy()
    for (const t of this.tunnels.values()) t.destroy()
    super.destroy()
  }
}
