// Bundled into dist/ in place of the `debug` package (scripts/build-dist.mjs). Only the proxy
// agents (https-proxy-agent, http-proxy-agent) use it, and with DEBUG set they would print the
// proxy's URL, credentials included: the action never prints them, so their debug lines go nowhere.
export default function createDebug() {
  const debug = () => {}
  debug.enabled = false
  debug.extend = () => debug
  return debug
}
