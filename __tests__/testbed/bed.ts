// Reaching the running test bed from its own tests: only over HTTP, the AWS CLI, the SDK and
// by spawning processes (testbed/exec), never by importing the bed's source.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  CodeDeployClient,
  GetDeploymentCommand,
  type DeploymentInfo
} from '@aws-sdk/client-codedeploy'
import { S3Client } from '@aws-sdk/client-s3'
import { suiteTempDir } from '../temp-dir.js'

const NAMES = [
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_CODEDEPLOY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'TESTBED_BUCKET',
  'TESTBED_BUCKET_UNVERSIONED',
  'TESTBED_ADMIN_URL'
]

export const REPO = path.resolve(import.meta.dirname, '../..')

export interface Bed {
  s3Endpoint: string
  codedeployEndpoint: string
  region: string
  bucket: string
  unversionedBucket: string
  admin: string
  aws: string
}

/** The bed's settings from the environment testbed/run exports; a clear error without them. */
export function bed(): Bed {
  const missing = NAMES.filter((n) => !process.env[n])
  if (missing.length > 0) {
    throw new Error(
      `The test bed is not running (${missing.join(', ')} not set). Run these tests inside it: ` +
        'testbed/run npx jest __tests__/testbed (npm test does this).'
    )
  }
  const e = process.env as Record<string, string>
  return {
    s3Endpoint: e.AWS_ENDPOINT_URL_S3!,
    codedeployEndpoint: e.AWS_ENDPOINT_URL_CODEDEPLOY!,
    region: e.AWS_REGION!,
    bucket: e.TESTBED_BUCKET!,
    unversionedBucket: e.TESTBED_BUCKET_UNVERSIONED!,
    admin: e.TESTBED_ADMIN_URL!,
    aws: e.TESTBED_AWS ?? '/usr/bin/aws'
  }
}

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() })
    })
  })
}

/** Debian's AWS CLI, pointed at the bed the way a user would with --endpoint-url. */
export function aws(
  b: Bed,
  service: 's3' | 's3api' | 'deploy' | 'autoscaling' | 'elbv2',
  args: string[]
): Promise<Run> {
  // CodeDeploy, Auto Scaling and ELBv2 all answer on the emulator's port.
  const endpoint = service.startsWith('s3') ? b.s3Endpoint : b.codedeployEndpoint
  return run(b.aws, [service, ...args, '--endpoint-url', endpoint])
}

/** Runs a command inside a simulated instance. */
export function onInstance(instanceId: string, command: string): Promise<Run> {
  return run(path.join(REPO, 'testbed/exec'), [instanceId, 'sh', '-c', command])
}

export async function admin<T = unknown>(
  b: Bed,
  method: string,
  route: string,
  body?: string
): Promise<T> {
  const res = await fetch(`${b.admin}${route}`, { method, body })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`)
  return JSON.parse(text) as T
}

/** Adds applications to the running bed (fleet YAML); each test file uses its own names. */
export async function addFleet(b: Bed, yaml: string): Promise<void> {
  await admin(b, 'PUT', '/fleet', yaml)
}

export interface LoggedRequest {
  seq: number
  operation: string
  application?: string
  status: number
  error?: string
  input?: Record<string, unknown>
}

export async function requests(b: Bed, application: string, since = 0): Promise<LoggedRequest[]> {
  const out = await admin<{ requests: LoggedRequest[] }>(
    b,
    'GET',
    `/requests?application=${encodeURIComponent(application)}&since=${since}`
  )
  return out.requests
}

export function codedeploy(
  b: Bed,
  options: { maxAttempts?: number; secret?: string; key?: string } = {}
): CodeDeployClient {
  return new CodeDeployClient({
    region: b.region,
    endpoint: b.codedeployEndpoint,
    maxAttempts: options.maxAttempts,
    ...(options.secret || options.key
      ? {
          credentials: {
            accessKeyId: options.key ?? process.env.AWS_ACCESS_KEY_ID!,
            secretAccessKey: options.secret ?? process.env.AWS_SECRET_ACCESS_KEY!
          }
        }
      : {})
  })
}

export function s3(b: Bed): S3Client {
  return new S3Client({ region: b.region, endpoint: b.s3Endpoint, forcePathStyle: true })
}

/** Polls GetDeployment until a terminal status. */
export async function settled(
  client: CodeDeployClient,
  id: string,
  timeoutMs = 60_000
): Promise<DeploymentInfo> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const info = (await client.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!
    if (['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '')) return info
    if (Date.now() > end)
      throw new Error(`deployment ${id} still ${info.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

export type Tree = Record<string, string>

/** Writes files (a name ending in .sh becomes executable) into a fresh folder. */
export function writeTree(files: Tree, dir = suiteTempDir('bed-bundle-')): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
    if (name.endsWith('.sh')) chmodSync(file, 0o755)
  }
  return dir
}

/** A .tgz made by hand with the system tar, as the CodeDeploy tutorial does. */
export async function tarBundle(files: Tree, top?: string): Promise<string> {
  const dir = suiteTempDir('bed-src-')
  writeTree(files, top ? path.join(dir, top) : dir)
  const out = path.join(suiteTempDir('bed-tgz-'), `${path.basename(dir)}.tgz`)
  const r = top
    ? await run('tar', ['-C', dir, '-zcf', out, `./${top}`])
    : await run('tar', ['-C', dir, '-zcf', out, '.'])
  if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`)
  return out
}

/** A .zip made with the system zip (unix modes kept). */
export async function zipBundle(files: Tree): Promise<string> {
  const dir = writeTree(files)
  const out = `${dir}.zip`
  const r = await run('sh', ['-c', `cd '${dir}' && zip -qr '${out}' .`])
  if (r.code !== 0) throw new Error(`zip failed: ${r.stderr}`)
  return out
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export function appspec(
  hooks: Record<string, string[]>,
  files = '  - source: /\n    destination: /opt/app\n'
): string {
  let text = `version: 0.0\nos: linux\nfiles:\n${files}`
  if (Object.keys(hooks).length > 0) {
    text += 'hooks:\n'
    for (const [event, scripts] of Object.entries(hooks)) {
      text += `  ${event}:\n`
      for (const s of scripts) text += `    - location: ${s}\n      timeout: 20\n`
    }
  }
  return text
}

export const unique = (name: string): string => `${name}-${process.pid}-${Date.now() % 100000}`
