// The errors of the way to AWS and GitHub, before any service answers: a proxy that cannot be
// reached or refuses, a certificate the runner does not trust. Each names the proxy (credentials
// hidden) or the endpoint, and the variable that fixes it.
import type { ProxyVar } from './proxy-env.js'

/** Header route-agent.ts adds to a proxy's own 407 answer to an http:// request: the error it stands for. */
export const PROXY_ANSWER_HEADER = 'x-codedeploy-action-proxy-answer'

/** A proxy could not be reached, or answered its CONNECT with something other than 200. */
export class ProxyError extends Error {
  /** The Node error code when the proxy could not be reached (ECONNREFUSED, ...); else ProxyAuthenticationRequired or ProxyRefused. */
  readonly code: string
  /** The user's next step. */
  readonly advice: string
  /** host:port the request was for. */
  readonly endpoint: string
  constructor(message: string, code: string, advice: string, endpoint: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'ProxyError'
    this.code = code
    this.advice = advice
    this.endpoint = endpoint
  }
}

export function isProxyError(err: unknown): err is ProxyError {
  return err instanceof ProxyError || (err as { name?: unknown } | null)?.name === 'ProxyError'
}

/** The proxy could not be reached: refused, unknown host, timed out. */
export function proxyUnreachable(proxy: ProxyVar, endpoint: string, cause: unknown): ProxyError {
  const e = cause as { code?: unknown; message?: unknown }
  const code = typeof e?.code === 'string' ? e.code : 'ProxyUnreachable'
  const said = typeof e?.message === 'string' ? e.message : String(cause)
  return new ProxyError(
    `Could not connect to the proxy ${proxy.shown} (${proxy.variable}) on the way to ${endpoint}: ${said}.`,
    code,
    `Check that the proxy is running and that ${proxy.variable} names its host and port; if ${hostPart(endpoint)} is reachable without it, add it to NO_PROXY.`,
    endpoint,
    cause
  )
}

/** The proxy answered the CONNECT (or, for http://, the request) with `status`. */
export function proxyRefused(
  proxy: ProxyVar,
  endpoint: string,
  status: number,
  statusText = ''
): ProxyError {
  const answer = `${status}${statusText ? ` ${statusText}` : ''}`
  if (status === 407) {
    const hasCredentials = !!(proxy.url.username || proxy.url.password)
    return new ProxyError(
      `The proxy ${proxy.shown} (${proxy.variable}) asked for credentials on the way to ${endpoint} (${answer}).`,
      'ProxyAuthenticationRequired',
      hasCredentials
        ? `It refused the user name and password in ${proxy.variable}: check them (percent-encode @ : / and % in them).`
        : `Put them in ${proxy.variable}: http://user:password@host:port (percent-encode @ : / and % in them), from a secret.`,
      endpoint
    )
  }
  return new ProxyError(
    `The proxy ${proxy.shown} (${proxy.variable}) refused to connect to ${endpoint} (${answer}).`,
    'ProxyRefused',
    `Ask its administrators to allow ${endpoint} (many proxies allow CONNECT to port 443 only), or add ${hostPart(endpoint)} to NO_PROXY if the runner can reach it directly.`,
    endpoint
  )
}

// Certificates signed by a CA the runner does not know (a TLS-inspecting proxy, a private endpoint).
export const TLS_TRUST_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED'
])

/** Advice for a certificate problem at `endpoint`, or undefined when `code` is not one. */
export function tlsAdvice(code: string, endpoint: string): string | undefined {
  if (TLS_TRUST_CODES.has(code)) {
    return (
      `The certificate of ${endpoint} is not signed by a CA this runner trusts (${code}): a TLS-inspecting proxy or a private endpoint signs with its own CA. ` +
      `Set AWS_CA_BUNDLE to that CA's PEM file (or NODE_EXTRA_CA_CERTS in the job's env).`
    )
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `The certificate of ${endpoint} is for other host names (${code}): check AWS_ENDPOINT_URL* and the region, or the proxy's TLS inspection.`
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return `The certificate of ${endpoint} is not valid now (${code}): check the runner's clock, or the proxy's or endpoint's certificate.`
  }
  return undefined
}

/** Marks a socket's errors with the host:port it was for, which TLS errors do not say. */
export function tagEndpoint(err: unknown, endpoint: string): void {
  if (err && typeof err === 'object' && !('endpoint' in err)) {
    Object.assign(err, { endpoint })
  }
}

/** host:port an error was tagged with (tagEndpoint, ProxyError). */
export function taggedEndpoint(err: unknown): string | undefined {
  const e = err as { endpoint?: unknown } | null
  return typeof e?.endpoint === 'string' ? e.endpoint : undefined
}

function hostPart(endpoint: string): string {
  return endpoint.replace(/:\d+$/, '')
}
