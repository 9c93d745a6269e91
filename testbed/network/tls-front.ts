// The bed's TLS front ends: each `LISTEN:TARGET` argument is a TLS server on 127.0.0.1:LISTEN
// (the bed's own CA's certificate, testbed/lib/network.sh) that pipes the bytes it decrypts to
// the plain-HTTP server on 127.0.0.1:TARGET (radosgw, the emulator). The Host header and the
// SigV4 signature over it pass through unchanged, so the servers answer as they do on their own
// ports. Started and stopped by testbed/lib/network.sh.
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { createServer } from 'node:tls'

const [certFile, keyFile, ...routes] = process.argv.slice(2)
if (!certFile || !keyFile || routes.length === 0) {
  console.error('usage: tls-front.ts CERT KEY LISTEN:TARGET...')
  process.exit(2)
}
const options = { cert: readFileSync(certFile), key: readFileSync(keyFile) }

for (const route of routes) {
  const [listen, target] = route.split(':').map(Number)
  if (!listen || !target) throw new Error(`tls-front: bad route ${route} (LISTEN:TARGET)`)
  const server = createServer(options, (client) => {
    const upstream = connect(target, '127.0.0.1')
    // Either side's error or reset ends both: a client that gives up must not leave the other open.
    const end = (): void => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream).pipe(client)
  })
  // A failed handshake (a client without the CA) is the client's business: no log line each.
  server.on('tlsClientError', () => undefined)
  server.listen(listen, '127.0.0.1', () =>
    console.log(`${new Date().toISOString()} TLS on 127.0.0.1:${listen} -> 127.0.0.1:${target}`)
  )
}
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
