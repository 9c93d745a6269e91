// What the TESTBED_CONFIG file asks of the bed's network (`proxy`, `tls`), as shell assignments
// for testbed/lib/network.sh: TESTBED_NET_PROXY=1, TESTBED_NET_PROXY_USER=..., TESTBED_NET_TLS=1.
// Checked by the emulator's own rules (fleet-network.ts), so a bad value fails the start before
// anything is installed or started, with the same message the emulator would give.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { parseNetwork } from '../emulator/world/fleet-network.ts'

try {
  const file = process.argv[2]
  if (!file) throw new Error('usage: plan.ts FLEET_FILE')
  const raw = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>
  const { proxy, tls } = parseNetwork(raw)
  // The values are checked to be plain words (fleet-network.ts): safe for the shell's eval.
  const lines = [`TESTBED_NET_PROXY=${proxy ? 1 : 0}`, `TESTBED_NET_TLS=${tls ? 1 : 0}`]
  if (proxy?.auth)
    lines.push(
      `TESTBED_NET_PROXY_USER=${proxy.auth.user}`,
      `TESTBED_NET_PROXY_PASSWORD=${proxy.auth.password}`
    )
  console.log(lines.join('\n'))
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}
