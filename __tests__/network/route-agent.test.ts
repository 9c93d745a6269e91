// The agents every client goes through, against an in-process proxy double and loopback servers
// whose made-up names (s3.test, ...) only the double resolves: a request that went direct fails.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import { HeadBucketCommand } from '@aws-sdk/client-s3'
import { GetApplicationCommand } from '@aws-sdk/client-codedeploy'
import { networkFrom, type Network } from '../../src/network/network.js'
import { createAwsClients } from '../../src/aws/clients.js'
import { toAwsCallError } from '../../src/aws/aws-errors.js'
import { isProxyError } from '../../src/network/network-errors.js'
import {
  makeTestCa,
  startProxyDouble,
  type ProxyDouble,
  type TestCa
} from '../support/proxy-double.js'

let ca: TestCa
let plain: http.Server
let secure: https.Server
let plainPort: number
let securePort: number
const seen: string[] = []

const answer = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  seen.push(`${req.method} ${req.headers.host}${req.url}`)
  if (req.headers['x-amz-target']) {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
    res.end(JSON.stringify({ application: { applicationName: 'app', applicationId: 'id-1' } }))
    return
  }
  if (req.url?.startsWith('/json')) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization ?? null }))
    return
  }
  if (req.url === '/moved') {
    res.writeHead(301, { location: '/json/after-move' })
    res.end()
    return
  }
  res.writeHead(200, { 'x-amz-bucket-region': 'us-east-1' })
  res.end()
}

// The SDK reads credentials from process.env itself; never from IMDS (169.254.169.254).
const saved = { ...process.env }
beforeAll(async () => {
  for (const k of Object.keys(process.env))
    if (k.startsWith('AWS_') || /_proxy$/i.test(k)) delete process.env[k]
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config'
  })
  ca = makeTestCa(['s3.test', 'codedeploy.test', '127.0.0.1'])
  plain = http.createServer(answer)
  secure = https.createServer({ key: ca.key, cert: ca.cert }, answer)
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r))
  await new Promise<void>((r) => secure.listen(0, '127.0.0.1', r))
  plainPort = (plain.address() as AddressInfo).port
  securePort = (secure.address() as AddressInfo).port
})

afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  Object.assign(process.env, saved)
  plain.closeAllConnections()
  secure.closeAllConnections()
  await new Promise((r) => plain.close(r))
  await new Promise((r) => secure.close(r))
})

let proxy: ProxyDouble | undefined
let network: Network | undefined
afterEach(async () => {
  network?.destroy()
  network = undefined
  await proxy?.close()
  proxy = undefined
  seen.length = 0
})

function get(
  url: string,
  n: Network
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const mod = u.protocol === 'https:' ? https : http
    const req = mod.get(
      u,
      { agent: u.protocol === 'https:' ? n.httpsAgent : n.httpAgent },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
      }
    )
    req.on('error', reject)
  })
}

const awsEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_MAX_ATTEMPTS: '1',
  ...extra
})

describe('through the proxy', () => {
  test('http:// goes as absolute URLs, https:// through CONNECT, each request logged by the proxy', async () => {
    proxy = await startProxyDouble()
    network = networkFrom({
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      AWS_CA_BUNDLE: ca.caFile
    })
    expect((await get(`http://s3.test:${plainPort}/bucket?x=1`, network)).status).toBe(200)
    expect((await get(`https://s3.test:${securePort}/bucket`, network)).status).toBe(200)
    expect((await get(`https://s3.test:${securePort}/bucket/again`, network)).status).toBe(200)
    expect(proxy.log).toEqual([
      `GET http://s3.test:${plainPort}/bucket?x=1`,
      `CONNECT s3.test:${securePort}`
    ])
    // The second https request rode the kept-alive tunnel.
    expect(seen).toEqual([
      `GET s3.test:${plainPort}/bucket?x=1`,
      `GET s3.test:${securePort}/bucket`,
      `GET s3.test:${securePort}/bucket/again`
    ])
  })

  test('credentials in the proxy URL are sent as basic auth, decoded', async () => {
    proxy = await startProxyDouble({ credentials: 'ci user:p@ss' })
    const url = new URL(proxy.url)
    network = networkFrom({
      https_proxy: `http://ci%20user:p%40ss@${url.host}`,
      http_proxy: `http://ci%20user:p%40ss@${url.host}`,
      AWS_CA_BUNDLE: ca.caFile
    })
    expect((await get(`https://s3.test:${securePort}/`, network)).status).toBe(200)
    expect((await get(`http://s3.test:${plainPort}/`, network)).status).toBe(200)
    expect(proxy.auth).toEqual([
      `Basic ${Buffer.from('ci user:p@ss').toString('base64')}`,
      `Basic ${Buffer.from('ci user:p@ss').toString('base64')}`
    ])
  })

  test('no_proxy and loopback choose the direct agent; others the tunnel', () => {
    network = networkFrom({
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '.internal'
    })
    const n = network
    const pick = (host: string, secure: boolean): string =>
      (secure ? n.httpsAgent : n.httpAgent).route(host, 443).constructor.name
    expect(pick('s3.internal', true)).toBe('DirectHttpsAgent')
    expect(pick('127.0.0.1', false)).toBe('Agent')
    expect(pick('s3.amazonaws.com', true)).toBe('ConnectTunnel')
    expect(pick('minio.corp', false)).toBe('ForwardProxy')
  })
})

describe('a proxy that refuses or is down: one error naming it, credentials hidden', () => {
  test('CONNECT answered 407: ProxyError with the fix, and the SDK call says so', async () => {
    proxy = await startProxyDouble({ credentials: 'u:right' })
    const url = new URL(proxy.url)
    const env = { HTTPS_PROXY: `http://u:wrong@${url.host}`, AWS_CA_BUNDLE: ca.caFile }
    network = networkFrom(env)
    const err = await get(`https://s3.test:${securePort}/`, network).catch((e: unknown) => e)
    expect(isProxyError(err)).toBe(true)
    expect((err as Error).message).toBe(
      `The proxy http://***@${url.host} (HTTPS_PROXY) asked for credentials on the way to s3.test:${securePort} (407 Proxy Authentication Required).`
    )
    const aws = await createAwsClients({
      region: '',
      env: awsEnv({ ...env, AWS_ENDPOINT_URL_CODEDEPLOY: `https://codedeploy.test:${securePort}` }),
      network
    })
    const failed = await aws.codedeploy
      .send(new GetApplicationCommand({ applicationName: 'app' }))
      .catch((e: unknown) => e)
    const shown = toAwsCallError('CodeDeploy GetApplication', failed).describe()
    expect(shown).toContain(`CodeDeploy GetApplication failed`)
    expect(shown).toContain(`The proxy http://***@${url.host} (HTTPS_PROXY) asked for credentials`)
    expect(shown).toContain('It refused the user name and password in HTTPS_PROXY: check them')
    expect(shown).not.toContain('wrong')
  })

  test('an http:// request answered 407 by the proxy itself: the same error through the SDK', async () => {
    proxy = await startProxyDouble({ credentials: 'u:p' })
    const env = awsEnv({
      HTTP_PROXY: proxy.url,
      AWS_ENDPOINT_URL_S3: `http://s3.test:${plainPort}`
    })
    const aws = await createAwsClients({ region: '', env })
    network = aws.network
    const failed = await aws.s3
      .send(new HeadBucketCommand({ Bucket: 'bucket' }))
      .catch((e: unknown) => e)
    const shown = toAwsCallError('S3 HeadBucket', failed).describe()
    expect(shown).toContain(`ProxyAuthenticationRequired`)
    expect(shown).toContain(
      `The proxy ${proxy.url} (HTTP_PROXY) asked for credentials on the way to s3.test:${plainPort}`
    )
    expect(shown).toContain('Put them in HTTP_PROXY: http://user:password@host:port')
  })

  test('CONNECT refused (403): names the proxy and the endpoint, suggests NO_PROXY', async () => {
    proxy = await startProxyDouble({ refusePorts: [securePort] })
    network = networkFrom({ HTTPS_PROXY: proxy.url, AWS_CA_BUNDLE: ca.caFile })
    const err = await get(`https://s3.test:${securePort}/`, network).catch((e: unknown) => e)
    expect((err as Error).message).toBe(
      `The proxy ${proxy.url} (HTTPS_PROXY) refused to connect to s3.test:${securePort} (403 Forbidden).`
    )
    expect((err as { advice: string }).advice).toMatch(/add s3\.test to NO_PROXY/)
  })

  test('the proxy is down: ECONNREFUSED, naming the proxy and the variable', async () => {
    proxy = await startProxyDouble()
    const dead = proxy.url
    await proxy.close()
    proxy = undefined
    const env = awsEnv({
      https_proxy: dead.replace('//', '//me:secret@'),
      AWS_ENDPOINT_URL_S3: `https://s3.test:${securePort}`,
      AWS_CA_BUNDLE: ca.caFile
    })
    const aws = await createAwsClients({ region: '', env })
    network = aws.network
    const failed = await aws.s3
      .send(new HeadBucketCommand({ Bucket: 'bucket' }))
      .catch((e: unknown) => e)
    const e = toAwsCallError('S3 HeadBucket', failed)
    expect(e.describe()).toContain('ECONNREFUSED')
    expect(e.describe()).toContain(
      `Could not connect to the proxy ${dead.replace('//', '//***@')} (https_proxy) on the way to s3.test:${securePort}`
    )
    expect(e.describe()).toContain(
      'Check that the proxy is running and that https_proxy names its host and port'
    )
    expect(e.describe()).not.toContain('secret')
  })
})

describe('AWS_CA_BUNDLE', () => {
  test('direct: trusted with the bundle, refused without it with the endpoint and both variables named', async () => {
    const env = awsEnv({ AWS_ENDPOINT_URL_S3: `https://127.0.0.1:${securePort}` })
    const trusting = await createAwsClients({
      region: '',
      env: { ...env, AWS_CA_BUNDLE: ca.caFile }
    })
    await expect(
      trusting.s3.send(new HeadBucketCommand({ Bucket: 'bucket' }))
    ).resolves.toBeDefined()
    trusting.network.destroy()
    // Without the bundle (the SDK's own wrapping of Node's errors differs inside jest's module
    // realm, so the request is made with the agent itself; dist's tests make it through the SDK).
    network = networkFrom(env)
    const failed = await get(`https://127.0.0.1:${securePort}/`, network).catch((e: unknown) => e)
    const shown = toAwsCallError('S3 HeadBucket', failed).describe()
    expect(shown).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/
    )
    expect(shown).toContain(
      `The certificate of 127.0.0.1:${securePort} is not signed by a CA this runner trusts`
    )
    expect(shown).toContain('Set AWS_CA_BUNDLE to that CA')
    expect(shown).toContain('NODE_EXTRA_CA_CERTS')
  })

  test('through a CONNECT tunnel: the endpoint certificate is checked against the bundle', async () => {
    proxy = await startProxyDouble()
    network = networkFrom({ HTTPS_PROXY: proxy.url })
    const err = await get(`https://s3.test:${securePort}/`, network).catch((e: unknown) => e)
    expect((err as { code?: string }).code).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/
    )
    expect(toAwsCallError('S3 HeadBucket', err).describe()).toContain(
      `The certificate of s3.test:${securePort}`
    )
  })

  test('an unreadable or empty bundle is an error before any call, naming the file', () => {
    expect(() => networkFrom({ AWS_CA_BUNDLE: '/nonexistent/ca.pem' })).toThrow(
      "AWS_CA_BUNDLE is '/nonexistent/ca.pem', which cannot be read (ENOENT)."
    )
    expect(() => networkFrom({ AWS_CA_BUNDLE: '/x.pem' }, () => 'not a certificate')).toThrow(
      "AWS_CA_BUNDLE is '/x.pem', which holds no PEM certificate"
    )
    const n = networkFrom({ AWS_CA_BUNDLE: '/x.pem' }, () => `${ca.caPem}\n${ca.caPem}`)
    expect(n.describe()).toBe(
      "Network: trusting the 2 CA certificates of AWS_CA_BUNDLE (/x.pem) besides Node's."
    )
    n.destroy()
  })
})

describe('fetch for the GitHub call', () => {
  test('through the proxy, JSON back, the token sent, redirects followed on the same origin only', async () => {
    proxy = await startProxyDouble()
    network = networkFrom({ HTTP_PROXY: proxy.url })
    const res = await network.fetch(`http://github.test:${plainPort}/json/compare`, {
      headers: { authorization: 'token abc' }
    })
    expect(res.status).toBe(200)
    expect(res.url).toBe(`http://github.test:${plainPort}/json/compare`)
    expect(await res.json()).toEqual({ path: '/json/compare', auth: 'token abc' })
    const moved = await network.fetch(`http://github.test:${plainPort}/moved`, {
      headers: { authorization: 'token abc' }
    })
    expect(await moved.json()).toEqual({ path: '/json/after-move', auth: 'token abc' })
    expect(proxy.log).toEqual([
      `GET http://github.test:${plainPort}/json/compare`,
      `GET http://github.test:${plainPort}/moved`,
      `GET http://github.test:${plainPort}/json/after-move`
    ])
  })

  test('a network failure is a TypeError whose cause names the proxy, as fetch reports it', async () => {
    network = networkFrom({ HTTP_PROXY: 'http://127.0.0.1:9' })
    const err = (await network.fetch('http://github.test/x').catch((e: unknown) => e)) as TypeError
    expect(err).toBeInstanceOf(TypeError)
    expect(isProxyError(err.cause)).toBe(true)
  })
})
