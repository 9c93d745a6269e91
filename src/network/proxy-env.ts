// Which proxy a request goes through, from the variables a self-hosted runner passes to its jobs:
// https_proxy / HTTPS_PROXY for https URLs, http_proxy / HTTP_PROXY for http URLs, and
// no_proxy / NO_PROXY for the hosts that go direct. Lower case wins, as in the runner and curl.
//
// Pure: it reads the environment object it is given, so the action and its tests decide alike
// (proxy-from-env and @actions/http-client read process.env only).
import { BlockList, isIP } from 'node:net'
import { ActionError } from '../common/errors.js'

/** One proxy variable, read and checked. */
export interface ProxyVar {
  /** The variable it came from, as set: `https_proxy` or `HTTPS_PROXY`. */
  variable: string
  url: URL
  /** The URL with any password replaced by `***`: the only form ever shown. */
  shown: string
}

export interface ProxyEnv {
  https?: ProxyVar
  http?: ProxyVar
  /** The no_proxy entries, parsed; empty when unset. */
  noProxy: NoProxyEntry[]
  /** The variable no_proxy came from, for messages. */
  noProxyVariable?: string
}

type NoProxyEntry =
  | { kind: 'all' }
  | { kind: 'domain'; name: string; port?: number }
  | { kind: 'ip'; list: BlockList; port?: number }

/** Reads and checks the proxy variables; a malformed one is an error naming it, credentials hidden. */
export function readProxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  const https = proxyVar(env, 'https_proxy')
  const http = proxyVar(env, 'http_proxy')
  const [noProxyVariable, noProxy] = pick(env, 'no_proxy')
  return {
    ...(https ? { https } : {}),
    ...(http ? { http } : {}),
    noProxy: noProxy ? parseNoProxy(noProxy) : [],
    ...(noProxy ? { noProxyVariable } : {})
  }
}

/** The proxy for `url`, or undefined when it goes direct (no variable, no_proxy, loopback). */
export function proxyFor(url: URL, proxies: ProxyEnv): ProxyVar | undefined {
  const proxy = url.protocol === 'https:' ? proxies.https : proxies.http
  if (!proxy) return undefined
  const host = hostOf(url)
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80)
  // A proxy cannot reach the runner's own loopback; @actions/http-client goes direct here too.
  if (isLoopback(host)) return undefined
  return proxies.noProxy.some((entry) => matches(entry, host, port)) ? undefined : proxy
}

/** `http://***@proxy:3128`: the credentials, user name included, are never shown. */
export function showProxy(url: URL): string {
  return `${url.protocol}//${url.username || url.password ? '***@' : ''}${url.host}`
}

/** The secrets a proxy URL holds, for the runner to mask wherever they might appear. */
export function proxySecrets(proxies: ProxyEnv): string[] {
  return [proxies.https, proxies.http].flatMap((p) => {
    if (!p) return []
    const { username, password } = p.url
    const decoded = [password, username && !password ? username : '']
      .filter(Boolean)
      .flatMap((s) => [s, safeDecode(s)])
    return [...new Set(decoded)]
  })
}

/** The proxy secrets of `env` for the runner to mask; none when a variable is malformed (its error hides them). */
export function proxySecretsIn(env: NodeJS.ProcessEnv): string[] {
  try {
    return proxySecrets(readProxyEnv(env))
  } catch {
    return []
  }
}

function proxyVar(env: NodeJS.ProcessEnv, lower: string): ProxyVar | undefined {
  const [variable, value] = pick(env, lower)
  if (!value) return undefined
  // curl's reading: a proxy without a scheme is an http proxy.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  const url = URL.canParse(text) ? new URL(text) : undefined
  if (!url || !url.hostname) {
    throw new ActionError(
      `${variable} is '${hideCredentials(value)}', which is not a proxy URL.`,
      `Set it to http://host:port (with credentials, http://user:password@host:port; percent-encode @ : / in them), or unset it.`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ActionError(
      `${variable} names a ${url.protocol.replace(':', '')} proxy (${showProxy(url)}); this action speaks to HTTP(S) proxies only.`,
      `Point ${variable} at an http:// or https:// proxy, or unset it.`
    )
  }
  return { variable, url, shown: showProxy(url) }
}

/** Lower case first, then upper case, as curl and the runner read them; blank counts as unset. */
function pick(env: NodeJS.ProcessEnv, lower: string): [string, string | undefined] {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim()
    if (value) return [name, value]
  }
  return [lower.toUpperCase(), undefined]
}

function parseNoProxy(text: string): NoProxyEntry[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((raw): NoProxyEntry => {
      const item = raw.toLowerCase()
      if (item === '*') return { kind: 'all' }
      // 10.0.0.0/8, 192.168.1.5, [::1]:8080, host:443, .example.com, *.example.com
      const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(item)
      if (cidr && isIP(cidr[1]!)) {
        const list = new BlockList()
        const family = isIP(cidr[1]!) === 6 ? 'ipv6' : 'ipv4'
        list.addSubnet(cidr[1]!, Math.min(Number(cidr[2]), family === 'ipv6' ? 128 : 32), family)
        return { kind: 'ip', list }
      }
      const hostPort = /^(\[[^\]]+\]|[^:]+|[0-9a-f:]+)(?::(\d+))?$/.exec(item)
      let host = hostPort?.[1] ?? item
      let port = hostPort?.[2] ? Number(hostPort[2]) : undefined
      if (isIP(item) === 6) [host, port] = [item, undefined]
      host = host.replace(/^\[|\]$/g, '')
      if (isIP(host)) {
        const list = new BlockList()
        list.addAddress(host, isIP(host) === 6 ? 'ipv6' : 'ipv4')
        return { kind: 'ip', list, ...(port ? { port } : {}) }
      }
      return { kind: 'domain', name: host.replace(/^\*?\.+/, ''), ...(port ? { port } : {}) }
    })
}

function matches(entry: NoProxyEntry, host: string, port: number): boolean {
  if (entry.kind === 'all') return true
  if (entry.port !== undefined && entry.port !== port) return false
  if (entry.kind === 'ip') {
    const family = isIP(host)
    return family !== 0 && entry.list.check(host, family === 6 ? 'ipv6' : 'ipv4')
  }
  // curl's rule: a name matches itself and every host under it, with or without a leading dot.
  return entry.name !== '' && (host === entry.name || host.endsWith(`.${entry.name}`))
}

function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

function hideCredentials(value: string): string {
  return value.replace(/\/\/[^/@]*@/, '//***@')
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
