// Access to the local AWS test bed from end-to-end tests (started by `npm test` via testbed/run).
import {
  CodeDeployClient,
  GetDeploymentCommand,
  type DeploymentInfo
} from '@aws-sdk/client-codedeploy'
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3'

export interface Bed {
  env: Record<string, string>
  bucket: string
  unversionedBucket: string
  admin: string
}

const NAMES = [
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_CODEDEPLOY',
  'AWS_ENDPOINT_URL_AUTO_SCALING',
  'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'TESTBED_BUCKET',
  'TESTBED_BUCKET_UNVERSIONED',
  'TESTBED_ADMIN_URL'
] as const

/** The bed's variables; throws (failing the suite) when the tests run outside `testbed/run`. */
export function bed(): Bed {
  const missing = NAMES.filter((n) => !process.env[n])
  if (missing.length > 0)
    throw new Error(
      `The test bed is not running (${missing.join(', ')} unset): run the tests with \`npm test\`, which starts it.`
    )
  const env = Object.fromEntries(NAMES.map((n) => [n, process.env[n] as string]))
  return {
    env: {
      AWS_ENDPOINT_URL_S3: env.AWS_ENDPOINT_URL_S3 as string,
      AWS_ENDPOINT_URL_CODEDEPLOY: env.AWS_ENDPOINT_URL_CODEDEPLOY as string,
      // The bed's Auto Scaling and load balancer (blue/green groups).
      AWS_ENDPOINT_URL_AUTO_SCALING: env.AWS_ENDPOINT_URL_AUTO_SCALING as string,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2:
        env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 as string,
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID as string,
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY as string,
      AWS_REGION: env.AWS_REGION as string,
      AWS_EC2_METADATA_DISABLED: 'true'
    },
    bucket: env.TESTBED_BUCKET as string,
    unversionedBucket: env.TESTBED_BUCKET_UNVERSIONED as string,
    admin: env.TESTBED_ADMIN_URL as string
  }
}

export interface LoggedRequest {
  seq: number
  operation: string
  application?: string
  status: number
  error?: string
  input?: Record<string, unknown>
}

/** CodeDeploy calls the emulator received for one application. */
export async function requestsFor(b: Bed, application: string): Promise<LoggedRequest[]> {
  const res = await fetch(`${b.admin}/requests`)
  const { requests } = (await res.json()) as { requests: LoggedRequest[] }
  return requests.filter((r) => r.application === application)
}

/** Sets the fault switches of one application (others sharing the bed are untouched), or the bed-wide ones. */
export async function setFaults(b: Bed, faults: unknown, application?: string): Promise<void> {
  const query = application ? `?application=${encodeURIComponent(application)}` : ''
  const res = await fetch(`${b.admin}/faults${query}`, {
    method: 'PUT',
    body: JSON.stringify(faults)
  })
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`)
}

let cd: CodeDeployClient | undefined
export function codedeploy(b: Bed): CodeDeployClient {
  cd ??= new CodeDeployClient({
    region: b.env.AWS_REGION,
    endpoint: b.env.AWS_ENDPOINT_URL_CODEDEPLOY
  })
  return cd
}

export async function deployment(b: Bed, id: string): Promise<DeploymentInfo> {
  const out = await codedeploy(b).send(new GetDeploymentCommand({ deploymentId: id }))
  return out.deploymentInfo as DeploymentInfo
}

/** Polls until the deployment reaches a terminal state (or fails the test after timeoutMs). */
export async function settled(b: Bed, id: string, timeoutMs = 60_000): Promise<DeploymentInfo> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const info = await deployment(b, id)
    if (['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '')) return info
    if (Date.now() > end)
      throw new Error(`deployment ${id} still ${info.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Every version of every object under a prefix. */
export async function objectsUnder(b: Bed, bucket: string, prefix: string): Promise<string[]> {
  const s3 = new S3Client({
    region: b.env.AWS_REGION,
    endpoint: b.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true
  })
  try {
    const out = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }))
    return (out.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}`)
  } finally {
    s3.destroy()
  }
}
