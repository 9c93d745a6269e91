// dist/index.js where real runners are: behind the bed's forward proxy (Debian's squid), with the
// direct route closed (the run is started in the bed's runner-ns, where only the proxy can resolve
// the endpoints' names), with TLS endpoints signed by the bed's own CA, and far from the bucket
// (the delay relay at 100 ms). The proxy's access log shows what went through it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { bed, githubRepository, lastSeq, requests } from '../support/bed.js'
import { deployOnBed, type RunExtra } from '../support/runs.js'
import { git, gitHistory } from '../support/git-repo.js'
import type { ActionRun } from './harness.js'
import { appWorkspace } from './workspace.js'
import { startDelayRelay, type DelayRelay } from '../../testbed/network/delay-relay.js'

const APP = 'e2e-network'
const b = bed()
const env = (name: string): string => {
  const value = b.env[name] ?? process.env[name]
  if (!value) throw new Error(`${name} is not set: the bed's fleet file must ask for proxy and tls`)
  return value
}
const PROXY = (): string => env('TESTBED_PROXY_URL')
const AUTH = (): string => env('TESTBED_PROXY_AUTH')
const withAuth = (url: string, auth = AUTH()): string => url.replace('//', `//${auth}@`)
const PASSWORD = (): string => AUTH().split(':')[1]!
let run = 7000

/** New lines of the proxy's access log since `from` (a byte offset), each split in fields. */
function proxyLines(from: number): string[][] {
  const text = readFileSync(env('TESTBED_PROXY_LOG'), 'utf8').slice(from)
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '))
}
const logSize = (): number => statSync(env('TESTBED_PROXY_LOG')).size

/** The action in runner-ns (the bed's names do not resolve there), with `extra` environment. */
function deploy(
  group: string,
  vars: Record<string, string | undefined>,
  opts: { ws?: string; inputs?: Record<string, string>; extra?: RunExtra } = {}
): Promise<ActionRun> {
  return deployOnBed(
    b,
    APP,
    opts.ws ?? appWorkspace(APP),
    { 'deployment-group': group, ...opts.inputs },
    {
      prefix: [env('TESTBED_RUNNER_NS')],
      timeoutMs: 240_000,
      ...opts.extra,
      env: {
        GITHUB_RUN_NUMBER: String(++run),
        // Every endpoint by a name only the proxy resolves, unless the test says otherwise.
        AWS_ENDPOINT_URL_S3: env('TESTBED_PROXIED_S3_URL'),
        AWS_ENDPOINT_URL_CODEDEPLOY: env('TESTBED_PROXIED_CODEDEPLOY_URL'),
        AWS_ENDPOINT_URL_AUTO_SCALING: env('TESTBED_PROXIED_CODEDEPLOY_URL'),
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: env('TESTBED_PROXIED_CODEDEPLOY_URL'),
        HTTP_PROXY: undefined,
        HTTPS_PROXY: undefined,
        NO_PROXY: undefined,
        ...vars,
        ...opts.extra?.env
      }
    }
  )
}

/** What the run printed, less the ::add-mask:: lines (the runner reads those and shows nothing). */
function unmasked(r: ActionRun): string {
  return r.stdout.replace(/^::add-mask::.*$/gm, '') + r.stderr
}

function expectSucceeded(r: ActionRun): void {
  expect(r.errors).toEqual([])
  expect(r.code).toBe(0)
  expect(r.outputs['deployment-status']).toBe('Succeeded')
}

/** The S3 operations of the proxy's lines for keys under `prefix`, as `METHOD query-kind`. */
function s3Calls(lines: string[][], prefix: string): string[] {
  return lines
    .filter(([, , url]) => url?.includes(`s3.bed.test`) && url.includes(prefix))
    .map(([, method, url]) => {
      const q = new URL(url!).searchParams
      const kind = q.has('uploads')
        ? 'uploads'
        : q.has('partNumber')
          ? 'part'
          : q.has('uploadId')
            ? 'uploadId'
            : 'object'
      return `${method} ${kind}`
    })
}

describe('behind a forward proxy, with the direct route closed', () => {
  test('a whole deployment goes through the proxy with credentials: every S3, CodeDeploy and GitHub call in its log; the password never printed', async () => {
    // A shallow checkout and a deployment before it: the order check asks GitHub's compare API.
    const history = gitHistory()
    const { A, C } = history.commits
    const repository = 'octo-org/e2e-network'
    const token = 'ghs_e2eNetworkProxyToken00000000000000000'
    await githubRepository(b, { repository, path: history.path, token })
    const checkout = (sha: string): string => {
      const ws = appWorkspace(APP, { extra: { 'deploy/version.txt': `${sha}\n` } })
      git(ws, ['init', '--quiet'])
      git(ws, ['fetch', '--quiet', '--depth', '1', `file://${history.path}`, sha])
      git(ws, ['checkout', '--quiet', '--detach', sha])
      return ws
    }
    const vars = {
      HTTP_PROXY: withAuth(PROXY()),
      GITHUB_API_URL: env('TESTBED_PROXIED_GITHUB_API_URL'),
      GITHUB_REPOSITORY: repository
    }
    const inputs = { 'github-token': token }
    expectSucceeded(
      await deploy('proxied', { ...vars, GITHUB_SHA: A }, { ws: checkout(A), inputs })
    )

    const from = logSize()
    const since = await lastSeq(b)
    const r = await deploy('proxied', { ...vars, GITHUB_SHA: C }, { ws: checkout(C), inputs })
    expectSucceeded(r)
    expect(r.summary).toContain(`**proxied**: 2 new commits since \`${A.slice(0, 7)}\``)

    const lines = proxyLines(from)
    // Every line is this run's, with the bed's user: nothing reached the bed without the proxy.
    expect(lines.length).toBeGreaterThan(5)
    for (const l of lines) expect(l[5]).toBe(AUTH().split(':')[0])
    const key = r.outputs['bundle-key']!
    expect(s3Calls(lines, key)).toEqual(expect.arrayContaining(['HEAD object']))
    expect(s3Calls(lines, key).some((c) => c === 'PUT object' || c === 'POST uploads')).toBe(true)
    // Each CodeDeploy call the emulator saw for the app came through the proxy.
    const codedeploy = lines.filter(
      ([, m, url]) => m === 'POST' && url?.startsWith(env('TESTBED_PROXIED_CODEDEPLOY_URL'))
    )
    const seen = await requests(b, { application: APP, since })
    expect(seen.length).toBeGreaterThan(3)
    expect(codedeploy.length).toBeGreaterThanOrEqual(seen.length)
    const compare = lines.filter(
      ([, m, url]) =>
        m === 'GET' && url?.includes('/github-api/repos/octo-org/e2e-network/compare/')
    )
    expect(compare).toHaveLength(1)
    expect(compare[0]![3]).toBe('200')

    expect(r.stdout).toContain(
      `Network: http:// through http://***@${new URL(PROXY()).host} (HTTP_PROXY).`
    )
    expect(r.stdout).toContain(`::add-mask::${PASSWORD()}`)
    const printed = unmasked(r) + r.summary
    expect(printed).not.toContain(PASSWORD())
    expect(printed).not.toContain(token)
  }, 400_000)

  test('NO_PROXY: a host it names goes direct, the rest through the proxy', async () => {
    const from = logSize()
    const r = await deploy('no-proxy', {
      http_proxy: withAuth(PROXY()),
      no_proxy: 'direct.bed.test',
      AWS_ENDPOINT_URL_CODEDEPLOY: env('TESTBED_DIRECT_CODEDEPLOY_URL')
    })
    expectSucceeded(r)
    const lines = proxyLines(from)
    expect(s3Calls(lines, r.outputs['bundle-key']!).length).toBeGreaterThan(0)
    expect(
      lines.filter(
        ([, , url]) => url?.includes('codedeploy.bed.test') || url?.includes('direct.bed.test')
      )
    ).toEqual([])
    expect(r.stdout).toContain('except what no_proxy names and loopback')
  }, 300_000)

  test('wrong proxy credentials: one error naming the proxy (credentials hidden), the call and the fix; nothing uploaded', async () => {
    const wrong = 'bed-user:not-the-password'
    const r = await deploy('auth', { HTTP_PROXY: withAuth(PROXY(), wrong) })
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(/^S3 \w+ failed: ProxyAuthenticationRequired: /)
    expect(r.errors[0]).toContain(
      `The proxy http://***@${new URL(PROXY()).host} (HTTP_PROXY) asked for credentials on the way to s3.bed.test:`
    )
    expect(r.errors[0]).toContain('It refused the user name and password in HTTP_PROXY: check them')
    expect(r.stdout).toContain('::add-mask::not-the-password')
    expect(unmasked(r)).not.toContain('not-the-password')
    expect(r.outputs['bundle-uploaded'] ?? '').not.toBe('true')
  }, 300_000)

  test('the proxy down: one error naming it and the variable, before anything is uploaded', async () => {
    const closed = PROXY().replace(/:\d+$/, ':9')
    const r = await deploy('down', { HTTP_PROXY: closed.replace('//', '//me:hunter2@') })
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toContain('ECONNREFUSED')
    expect(r.errors[0]).toContain(
      'Could not connect to the proxy http://***@127.0.0.1:9 (HTTP_PROXY) on the way to'
    )
    expect(r.errors[0]).toContain(
      'Check that the proxy is running and that HTTP_PROXY names its host and port'
    )
    expect(unmasked(r)).not.toContain('hunter2')
  }, 300_000)
})

describe("TLS endpoints signed by the bed's CA, through the proxy (CONNECT)", () => {
  const tls = (): Record<string, string> => ({
    HTTPS_PROXY: withAuth(PROXY()),
    AWS_ENDPOINT_URL_S3: env('TESTBED_TLS_S3_URL'),
    AWS_ENDPOINT_URL_CODEDEPLOY: env('TESTBED_TLS_CODEDEPLOY_URL'),
    AWS_ENDPOINT_URL_AUTO_SCALING: env('TESTBED_TLS_CODEDEPLOY_URL'),
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: env('TESTBED_TLS_CODEDEPLOY_URL')
  })

  test('with AWS_CA_BUNDLE: deployed, each endpoint reached by a CONNECT tunnel', async () => {
    const from = logSize()
    const r = await deploy('tls', { ...tls(), AWS_CA_BUNDLE: env('TESTBED_CA_BUNDLE') })
    expectSucceeded(r)
    expect(r.stdout).toContain(
      `trusting the 1 CA certificate of AWS_CA_BUNDLE (${env('TESTBED_CA_BUNDLE')}) besides Node's`
    )
    const tunnels = proxyLines(from)
      .filter(([, m]) => m === 'CONNECT')
      .map(([, , target]) => target)
    expect(tunnels).toEqual(
      expect.arrayContaining([
        new URL(env('TESTBED_TLS_S3_URL')).host,
        new URL(env('TESTBED_TLS_CODEDEPLOY_URL')).host
      ])
    )
  }, 300_000)

  test('without it: one error naming the endpoint and the two variables that fix it', async () => {
    const r = await deploy('tls', tls())
    expect(r.code).toBe(1)
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN/
    )
    expect(r.errors[0]).toMatch(
      /The certificate of (s3|codedeploy)\.bed\.test:\d+ is not signed by a CA this runner trusts/
    )
    expect(r.errors[0]).toContain('Set AWS_CA_BUNDLE to that CA')
    expect(r.errors[0]).toContain('NODE_EXTRA_CA_CERTS')
  }, 300_000)
})

describe('far from the bucket: 100 ms round trips to S3 and CodeDeploy', () => {
  let relays: DelayRelay[] = []
  beforeAll(async () => {
    const target = (url: string) => {
      const u = new URL(url)
      return { host: u.hostname, port: Number(u.port) }
    }
    relays = await Promise.all(
      [b.env.AWS_ENDPOINT_URL_S3!, b.env.AWS_ENDPOINT_URL_CODEDEPLOY!].map((u) =>
        startDelayRelay({ target: target(u), rttMs: 100 })
      )
    )
  })
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.close()))
  })

  test('a deployment still succeeds, and the upload progress lines stay sane', async () => {
    const [s3, codedeploy] = relays as [DelayRelay, DelayRelay]
    // 40 MiB of base64 text, about 30 MiB gzipped: four 8 MiB parts through 1 MiB windows at 100 ms.
    const ws = appWorkspace(APP, { extra: { 'deploy/blob.bin': randomText(40 * 1024 * 1024) } })
    const r = await deployOnBed(
      b,
      APP,
      ws,
      { 'deployment-group': 'distance' },
      {
        timeoutMs: 240_000,
        env: {
          GITHUB_RUN_NUMBER: String(++run),
          AWS_ENDPOINT_URL_S3: s3.url(),
          AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.url(),
          AWS_ENDPOINT_URL_AUTO_SCALING: codedeploy.url(),
          AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: codedeploy.url()
        }
      }
    )
    expectSucceeded(r)
    expect(s3.stats().bytesUp).toBeGreaterThan(25 * 1024 * 1024)
    expect(codedeploy.stats().connections).toBeGreaterThan(0)
    const progress = r.stdout
      .split('\n')
      .map((l) => /Uploading: (\d+)% \(([\d.]+) MiB of ([\d.]+) MiB\) at ([\d.]+) MiB\/s/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
    const percents = progress.map((m) => Number(m[1]))
    expect(percents).toEqual([...percents].sort((x, y) => x - y))
    for (const m of progress) {
      expect(Number(m[1])).toBeLessThanOrEqual(100)
      expect(Number(m[2])).toBeLessThanOrEqual(Number(m[3]))
      expect(Number(m[4])).toBeGreaterThan(0)
    }
    expect(r.stdout).toMatch(/Uploaded [\d.]+ MiB to s3:\/\/\S+ in [\d.]+s \([\d.]+ MiB\/s\)/)
  }, 300_000)
})

/** Text that gzip shrinks only to about 3/4: the bundle keeps most of its size. */
function randomText(bytes: number): string {
  return randomBytes(Math.ceil(bytes * 0.75))
    .toString('base64')
    .slice(0, bytes)
}
