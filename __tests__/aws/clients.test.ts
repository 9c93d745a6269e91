import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { ListApplicationsCommand } from '@aws-sdk/client-codedeploy'
import { createAwsClients, endpointFrom } from '../../src/aws/clients.js'
import { ActionError, InputError } from '../../src/common/errors.js'

// A local stand-in for S3 and CodeDeploy that records what the clients send.
let server: Server
let base: string
const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers })
    req.resume()
    req.on('end', () => {
      if (req.headers['x-amz-target']) {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        res.end(JSON.stringify({ applications: ['my-app'] }))
      } else {
        res.writeHead(404)
        res.end()
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

// The SDK reads credentials and profile files from process.env itself; keep each test's own.
const saved = { ...process.env }
let dir: string
beforeEach(() => {
  seen.length = 0
  dir = mkdtempSync(join(tmpdir(), 'aws-clients-test-'))
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k]
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true'
  })
})
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
  Object.assign(process.env, saved)
  rmSync(dir, { recursive: true, force: true })
})

describe('endpointFrom', () => {
  it.each([
    [
      'S3',
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480', AWS_ENDPOINT_URL: 'http://x:1' },
      'http://127.0.0.1:7480'
    ],
    [
      'CODEDEPLOY',
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480', AWS_ENDPOINT_URL: 'http://x:1' },
      'http://x:1'
    ],
    ['S3', {}, undefined],
    [
      'S3',
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7480', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      undefined
    ]
  ] as const)('%s with %p gives %p', (service, env, endpoint) => {
    expect(endpointFrom(service, env)).toBe(endpoint)
  })

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => endpointFrom('S3', { AWS_ENDPOINT_URL_S3: '127.0.0.1:7480' })).toThrow(ActionError)
    expect(() => endpointFrom('S3', { AWS_ENDPOINT_URL_S3: '127.0.0.1:7480' })).toThrow(
      "AWS_ENDPOINT_URL_S3 is '127.0.0.1:7480', which is not an http(s) URL."
    )
  })
})

describe('createAwsClients', () => {
  it('sends S3 requests path-style to AWS_ENDPOINT_URL_S3, signed for the region, with our user agent', async () => {
    const { s3 } = await createAwsClients({
      region: '',
      env: { AWS_DEFAULT_REGION: 'eu-central-1', AWS_ENDPOINT_URL_S3: base }
    })
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'my-bucket', Key: 'a/b.tgz' }))
    ).rejects.toMatchObject({
      name: 'NotFound'
    })
    expect(seen[0]).toMatchObject({ method: 'HEAD', url: '/my-bucket/a/b.tgz' })
    expect(seen[0]!.headers.authorization).toContain('/eu-central-1/s3/aws4_request')
    expect(seen[0]!.headers['user-agent']).toMatch(/\bcodedeploy-s3-deploy-action\/\d+\.\d+\.\d+\b/)
    s3.destroy()
  })

  it('sends CodeDeploy requests to AWS_ENDPOINT_URL_CODEDEPLOY, in the region given as input', async () => {
    const { codedeploy } = await createAwsClients({
      region: 'ap-south-1',
      env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_CODEDEPLOY: base }
    })
    const out = await codedeploy.send(new ListApplicationsCommand({}))
    expect(out.applications).toEqual(['my-app'])
    expect(seen[0]!.headers['x-amz-target']).toBe('CodeDeploy_20141006.ListApplications')
    expect(seen[0]!.headers.authorization).toContain('/ap-south-1/codedeploy/aws4_request')
    expect(seen[0]!.headers['user-agent']).toContain('codedeploy-s3-deploy-action/')
    codedeploy.destroy()
  })

  it('sends both services to AWS_ENDPOINT_URL when no per-service variable is set', async () => {
    const { s3, codedeploy } = await createAwsClients({
      region: 'us-east-1',
      env: { AWS_ENDPOINT_URL: base }
    })
    await codedeploy.send(new ListApplicationsCommand({}))
    await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' })).catch(() => undefined)
    expect(seen.map((r) => r.method)).toEqual(['POST', 'HEAD'])
    s3.destroy()
    codedeploy.destroy()
  })

  it('uses the profile region from the AWS config file when nothing else sets one', async () => {
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-north-1\n')
    process.env.AWS_CONFIG_FILE = join(dir, 'config')
    const { s3, codedeploy } = await createAwsClients({ region: '', env: {} })
    expect(await s3.config.region()).toBe('eu-north-1')
    expect(await codedeploy.config.region()).toBe('eu-north-1')
  })

  it('fails with an input error, before any request, when no region is set anywhere', async () => {
    const err = await createAwsClients({ region: '', env: { AWS_ENDPOINT_URL: base } }).catch(
      (e: unknown) => e
    )
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).describe()).toBe(
      "Input 'region': no AWS region is set. " +
        'Set the `region` input, or AWS_REGION (aws-actions/configure-aws-credentials sets it from its `aws-region`).'
    )
    expect(seen).toHaveLength(0)
  })
})
