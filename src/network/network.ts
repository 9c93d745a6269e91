// How the action reaches AWS and GitHub from this runner: the proxy variables and AWS_CA_BUNDLE,
// read and checked once (before any call), and the agents and fetch every client is given.
import { agentFetch } from './agent-fetch.js'
import { readCaBundle, trustedCas, type CaBundle } from './ca-bundle.js'
import { readProxyEnv, type ProxyEnv } from './proxy-env.js'
import { RouteAgent } from './route-agent.js'

export interface Network {
  proxies: ProxyEnv
  caBundle?: CaBundle
  /** For the SDK's request handler (httpAgent / httpsAgent) and node:http requests. */
  httpAgent: RouteAgent
  httpsAgent: RouteAgent
  /** fetch over the same agents, for Octokit. */
  fetch: typeof fetch
  /** One line for the log when a proxy or a CA bundle is in use; undefined when neither is. */
  describe(): string | undefined
  /** Closes idle sockets (keep-alive) so the process can exit at once. */
  destroy(): void
}

/** Reads the environment; a malformed proxy variable or an unreadable AWS_CA_BUNDLE throws an ActionError. */
export function networkFrom(env: NodeJS.ProcessEnv, readFile?: (path: string) => string): Network {
  const proxies = readProxyEnv(env)
  const caBundle = readCaBundle(env, readFile)
  const ca = trustedCas(caBundle)
  const httpAgent = new RouteAgent(false, { proxies, ca })
  const httpsAgent = new RouteAgent(true, { proxies, ca })
  return {
    proxies,
    ...(caBundle ? { caBundle } : {}),
    httpAgent,
    httpsAgent,
    fetch: agentFetch({ http: httpAgent, https: httpsAgent }),
    describe: () => describeNetwork(proxies, caBundle),
    destroy: () => {
      httpAgent.destroy()
      httpsAgent.destroy()
    }
  }
}

export function describeNetwork(proxies: ProxyEnv, caBundle?: CaBundle): string | undefined {
  const parts: string[] = []
  if (proxies.https)
    parts.push(`https:// through ${proxies.https.shown} (${proxies.https.variable})`)
  if (proxies.http) parts.push(`http:// through ${proxies.http.shown} (${proxies.http.variable})`)
  if (parts.length && proxies.noProxyVariable)
    parts.push(`except what ${proxies.noProxyVariable} names and loopback`)
  if (caBundle)
    parts.push(
      `trusting the ${caBundle.certificates.length} CA certificate${caBundle.certificates.length === 1 ? '' : 's'} of AWS_CA_BUNDLE (${caBundle.path}) besides Node's`
    )
  return parts.length ? `Network: ${parts.join('; ')}.` : undefined
}
