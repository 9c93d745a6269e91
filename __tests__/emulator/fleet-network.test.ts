// The fleet file's `proxy` and `tls` keys (testbed/README.md, "Proxy and TLS"): what the bed
// starts from them, and the message a bad value gets (the emulator and testbed/network/plan.ts
// both read them with these rules).
import { describe, expect, it } from '@jest/globals'

/** The emulator's fleet reader, whose `.ts` imports this project's type check does not take:
 * loaded by a path the compiler does not follow (as psych-scalars.test.ts loads its appspec). */
interface FleetReader {
  parseFleet(text: string, isolation: 'namespace'): { network: unknown }
}
const FLEET_CONFIG = '../../testbed/emulator/world/fleet-config.ts'
const { parseFleet } = (await import(FLEET_CONFIG)) as FleetReader

const APPS = 'applications: [{ name: app, groups: [{ name: g, instances: 0 }] }]\n'
const network = (lines: string) => parseFleet(`${lines}\n${APPS}`, 'namespace').network

describe('the fleet file’s proxy and tls', () => {
  it.each([
    ['', { proxy: undefined, tls: false }],
    ['proxy: false\ntls: false', { proxy: undefined, tls: false }],
    ['proxy: true', { proxy: {}, tls: false }],
    ['proxy: {}\ntls: true', { proxy: {}, tls: true }],
    [
      'proxy: { auth: "bed-user:bed-pass" }\ntls: true',
      { proxy: { auth: { user: 'bed-user', password: 'bed-pass' } }, tls: true }
    ],
    ['proxy:\n  auth: u.1:p~2', { proxy: { auth: { user: 'u.1', password: 'p~2' } }, tls: false }]
  ])('%j', (lines, expected) => {
    expect(network(lines)).toEqual(expected)
  })

  const AUTH =
    'fleet config: proxy.auth: must be "user:password", each of letters, digits and . _ ~ - (e.g. "bed-user:bed-pass")'
  it.each([
    ['tls: yes please', 'fleet config: tls: must be true or false'],
    ['proxy: on', 'fleet config: proxy: must be true, false or { auth: "user:password" }'],
    [
      'proxy: { port: 3128 }',
      'fleet config: proxy: unknown setting port (must be true, false or { auth: "user:password" })'
    ],
    ['proxy: { auth: bed-user }', AUTH],
    ['proxy: { auth: "a:b:c" }', AUTH],
    ['proxy: { auth: "user:pa ss" }', AUTH],
    ['proxy: { auth: ":pass" }', AUTH],
    ['proxy: { auth: 42 }', AUTH]
  ])('refuses %j', (lines, message) => {
    expect(() => network(lines)).toThrow(message)
  })
})
