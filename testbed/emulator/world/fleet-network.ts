// The fleet document's `proxy` and `tls` keys: the bed's forward proxy and TLS front ends, which
// testbed/lib/network.sh starts (testbed/network/plan.ts reads these for it). Bed-wide and read
// at start only; the emulator checks them so that a bad value fails the start with its place.
import { fail } from './fleet-sections.ts'

export interface ProxySettings {
  // Basic authentication the proxy requires ("user:password"), or none.
  auth?: { user: string; password: string }
}

export interface NetworkSettings {
  proxy?: ProxySettings
  tls: boolean
}

const PROXY_FORM = 'must be true, false or { auth: "user:password" }'
// Squid's htpasswd file and the URL's userinfo take these without escaping.
const CREDENTIAL = /^[A-Za-z0-9._~-]+$/

export function parseNetwork(raw: Record<string, unknown>): NetworkSettings {
  const tls = raw.tls ?? false
  if (typeof tls !== 'boolean') fail('tls', 'must be true or false')
  return { proxy: parseProxy(raw.proxy), tls }
}

function parseProxy(v: unknown): ProxySettings | undefined {
  if (v === undefined || v === false) return undefined
  if (v === true) return {}
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('proxy', PROXY_FORM)
  const other = Object.keys(v).find((key) => key !== 'auth')
  if (other !== undefined) fail('proxy', `unknown setting ${other} (${PROXY_FORM})`)
  const auth = (v as Record<string, unknown>).auth
  if (auth === undefined) return {}
  const [user, password, ...rest] = typeof auth === 'string' ? auth.split(':') : []
  if (
    user === undefined ||
    password === undefined ||
    rest.length > 0 ||
    !CREDENTIAL.test(user) ||
    !CREDENTIAL.test(password)
  )
    fail(
      'proxy.auth',
      'must be "user:password", each of letters, digits and . _ ~ - (e.g. "bed-user:bed-pass")'
    )
  return { auth: { user, password } }
}
