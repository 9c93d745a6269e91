// Credentials never reach the step's log, outputs, job summary or state: runs with known fake
// credentials, a session token and a KMS key, in debug mode, against S3 and CodeDeploy fakes whose
// error bodies echo the request's Authorization header, signature and token back, as S3's
// SignatureDoesNotMatch does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  codeDeployError,
  FaultProxy,
  s3ErrorXml,
  type FaultAction,
  type ProxiedRequest
} from '../e2e/fault-proxy.js'
import type { ActionRun } from '../e2e/harness.js'
import { appWorkspace, b, deploy } from './rel.js'

const APP = 'rel-secrets'
const ACCESS_KEY_ID = 'AKIAFAKE0RELIABILITY'
const SECRET_ACCESS_KEY = 'fAkEsEcReT/ReliabilityTest+0123456789abcdEF'
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEFakeSessionToken/ReliabilityTest+0123456789abcdefghijklmnopqrstuvwxyz=='
const KMS_KEY = 'arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'

const FAKE_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
  AWS_SESSION_TOKEN: SESSION_TOKEN,
  // Debug output is part of the log a user can turn on: it must be as clean.
  RUNNER_DEBUG: '1',
  ACTIONS_STEP_DEBUG: 'true'
}

/** Everything the request carried that must never come back out: token, signature, header. */
function echo(req: ProxiedRequest): string {
  const auth = String(req.headers.authorization ?? '')
  const signature = /Signature=([0-9a-f]+)/.exec(auth)?.[1] ?? ''
  // Short items first: the action cuts long messages, and the secrets must be gone by redaction,
  // not by luck of where the cut falls.
  return [
    `SignatureProvided: ${signature}`,
    `x-amz-security-token: ${String(req.headers['x-amz-security-token'] ?? '')}`,
    `Authorization: ${auth}`
  ].join('\n')
}

/** An S3 that accepts the upload (so the run reaches CodeDeploy) without checking signatures. */
function acceptingS3(req: ProxiedRequest): FaultAction {
  if (req.operation === 'HeadObject') return { kind: 'reply', status: 404, body: '' }
  return {
    kind: 'reply',
    status: 200,
    body: '',
    headers: { etag: '"0123456789abcdef0123456789abcdef"', 'x-amz-version-id': 'v1' }
  }
}

function signaturesIn(proxies: FaultProxy[]): string[] {
  return proxies
    .flatMap((p) => p.requests)
    .map((r) => /Signature=([0-9a-f]+)/.exec(String(r.headers.authorization ?? ''))?.[1] ?? '')
    .filter(Boolean)
}

/** Every place a run writes: stdout, stderr, outputs, summary, state, and files in RUNNER_TEMP but the bundle. */
function everything(r: ActionRun): string {
  const temp = readdirSync(r.tempDir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !/bundle\.(tgz|zip|tar)$/.test(f.name))
    .map((f) => readFileSync(path.join(f.parentPath, f.name), 'utf8'))
  return [
    r.stdout,
    r.stderr,
    JSON.stringify(r.outputs),
    r.summary,
    JSON.stringify(r.state),
    ...temp
  ].join('\n')
}

function expectNoSecret(r: ActionRun, signatures: string[]): void {
  const text = everything(r)
  for (const secret of [SECRET_ACCESS_KEY, SESSION_TOKEN, ...signatures]) {
    expect(text).not.toContain(secret)
    // Nor a long piece of it (a redaction that keeps half a token is no redaction).
    expect(text).not.toContain(secret.slice(0, 24))
  }
  expect(text).not.toContain(ACCESS_KEY_ID)
  expect(JSON.stringify(r.outputs)).not.toContain(KMS_KEY)
  expect(JSON.stringify(r.state)).not.toContain(KMS_KEY)
}

describe('no secret in anything a run writes', () => {
  const proxies: FaultProxy[] = []
  afterAll(() => Promise.all(proxies.map((p) => p.close())))
  let s3Echo: ActionRun
  let codedeployEcho: ActionRun
  let realRun: ActionRun
  let signatures: string[]

  beforeAll(async () => {
    // S3 refuses the signature and echoes what it got, as S3 does.
    const echoingS3 = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, (req) => ({
      kind: 'reply',
      status: 403,
      headers: { 'content-type': 'application/xml' },
      body: s3ErrorXml(
        'SignatureDoesNotMatch',
        `The request signature we calculated does not match the signature you provided. ${echo(req)}`,
        `<AWSAccessKeyId>${ACCESS_KEY_ID}</AWSAccessKeyId><StringToSign>${echo(req)}</StringToSign><SignatureProvided>${echo(req)}</SignatureProvided>`
      )
    }))
    const okS3 = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, acceptingS3)
    // CodeDeploy refuses every call with a message holding the request's credentials.
    const echoingCodeDeploy = await FaultProxy.start(
      b.env.AWS_ENDPOINT_URL_CODEDEPLOY as string,
      (req) =>
        codeDeployError(
          400,
          'InvalidSignatureException',
          `secret ${SECRET_ACCESS_KEY} ${echo(req)}`
        )
    )
    proxies.push(echoingS3, okS3, echoingCodeDeploy)
    const kms = { sse: 'aws:kms', 'sse-kms-key-id': KMS_KEY }
    ;[s3Echo, codedeployEcho, realRun] = await Promise.all([
      deploy(APP, appWorkspace(APP), kms, {
        env: { ...FAKE_CREDENTIALS, AWS_ENDPOINT_URL_S3: echoingS3.url }
      }),
      deploy(APP, appWorkspace(APP), kms, {
        env: {
          ...FAKE_CREDENTIALS,
          AWS_ENDPOINT_URL_S3: okS3.url,
          AWS_ENDPOINT_URL_CODEDEPLOY: echoingCodeDeploy.url
        }
      }),
      // The bed's own credentials, a real deployment, in debug mode.
      deploy(APP, appWorkspace(APP), {}, { env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' } })
    ])
    signatures = signaturesIn(proxies)
  }, 120_000)

  it('the fakes really received the secrets (so the test can fail)', () => {
    expect(signatures.length).toBeGreaterThan(2)
    const tokens = proxies.flatMap((p) => p.requests).map((r) => r.headers['x-amz-security-token'])
    expect(tokens).toContain(SESSION_TOKEN)
  })

  it('an S3 error echoing the signature and token: failed, named, redacted', () => {
    expect(s3Echo.code).toBe(1)
    expect(s3Echo.errors.join('\n')).toMatch(/S3 HeadObject|S3 PutObject|SignatureDoesNotMatch|403/)
    expectNoSecret(s3Echo, signatures)
  })

  it('a CodeDeploy error echoing the Authorization header and the secret: failed, named, redacted', () => {
    expect(codedeployEcho.code).toBe(1)
    expect(codedeployEcho.errors.join('\n')).toMatch(
      /CreateDeployment failed: InvalidSignatureException/
    )
    expectNoSecret(codedeployEcho, signatures)
  })

  it('a real deployment in debug mode shows neither the secret key nor the signature', () => {
    expect(realRun.errors).toEqual([])
    expect(realRun.code).toBe(0)
    const text = everything(realRun)
    expect(text).not.toContain(b.env.AWS_SECRET_ACCESS_KEY)
    expect(text).not.toMatch(/Signature=[0-9a-f]{64}/)
    expect(text).not.toMatch(/Credential=/)
  })
})
