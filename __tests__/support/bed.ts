// The one way tests reach the running test bed (`npm test` starts it through testbed/run): its
// endpoints and buckets, SDK clients, the admin endpoint (fleet, instances, agents, faults, the
// request log, GitHub repositories), and a deployment's end. Over HTTP and the SDK only, never by importing the bed's
// source; its CLI and instances are reached by processes (commands.ts).
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import {
  CodeDeployClient,
  GetDeploymentCommand,
  type DeploymentInfo
} from '@aws-sdk/client-codedeploy'
import {
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  type PutObjectCommandOutput
} from '@aws-sdk/client-s3'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { readFileSync } from 'node:fs'

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
  'TESTBED_ADMIN_URL',
  'TESTBED_GITHUB_API_URL'
] as const

export interface Bed {
  /** The environment a run of dist/ needs to deploy to the bed. */
  env: Record<string, string>
  region: string
  s3Endpoint: string
  /** CodeDeploy's, which Auto Scaling and ELBv2 share: all answer on the emulator's port. */
  codedeployEndpoint: string
  bucket: string
  unversionedBucket: string
  /** The admin endpoint (admin() and adminAnswer() call it). */
  adminUrl: string
  /** The bed's GitHub REST API (GITHUB_API_URL): repositories registered by githubRepository(). */
  githubApiUrl: string
  /** Debian's AWS CLI (commands.ts points it at the bed). */
  aws: string
}

/** The bed's settings from what testbed/run exports; throws (failing the suite) without them. */
export function bed(): Bed {
  const missing = NAMES.filter((n) => !process.env[n])
  if (missing.length > 0)
    throw new Error(
      `The test bed is not running (${missing.join(', ')} unset): run the tests with \`npm test\`, which starts it.`
    )
  const e = process.env as Record<(typeof NAMES)[number], string> & NodeJS.ProcessEnv
  return {
    env: {
      AWS_ENDPOINT_URL_S3: e.AWS_ENDPOINT_URL_S3,
      AWS_ENDPOINT_URL_CODEDEPLOY: e.AWS_ENDPOINT_URL_CODEDEPLOY,
      // The bed's Auto Scaling and load balancer (blue/green groups).
      AWS_ENDPOINT_URL_AUTO_SCALING: e.AWS_ENDPOINT_URL_AUTO_SCALING,
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: e.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2,
      AWS_ACCESS_KEY_ID: e.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: e.AWS_SECRET_ACCESS_KEY,
      AWS_REGION: e.AWS_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      // @actions/github asks here, never github.com.
      GITHUB_API_URL: e.TESTBED_GITHUB_API_URL
    },
    region: e.AWS_REGION,
    s3Endpoint: e.AWS_ENDPOINT_URL_S3,
    codedeployEndpoint: e.AWS_ENDPOINT_URL_CODEDEPLOY,
    bucket: e.TESTBED_BUCKET,
    unversionedBucket: e.TESTBED_BUCKET_UNVERSIONED,
    adminUrl: e.TESTBED_ADMIN_URL,
    githubApiUrl: e.TESTBED_GITHUB_API_URL,
    aws: e.TESTBED_AWS ?? '/usr/bin/aws'
  }
}

/** The admin endpoint's status and body as they are: for tests of what it refuses. */
export async function adminAnswer(
  b: Bed,
  method: string,
  route: string,
  body?: string
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${b.adminUrl}${route}`, { method, body })
  return { status: res.status, text: await res.text() }
}

/** The admin endpoint's JSON answer; throws on any status but 2xx. */
export async function admin<T = unknown>(
  b: Bed,
  method: string,
  route: string,
  body?: string
): Promise<T> {
  const { status, text } = await adminAnswer(b, method, route, body)
  if (status < 200 || status > 299) throw new Error(`admin ${method} ${route}: ${status} ${text}`)
  return JSON.parse(text) as T
}

/** Adds applications to the running bed (fleet YAML); each test file uses its own names. */
export async function addFleet(b: Bed, yaml: string): Promise<void> {
  await admin(b, 'PUT', '/fleet', yaml)
}

/** Sets the fault switches of one application (others sharing the bed are untouched), or the bed-wide ones. */
export async function setFaults(b: Bed, faults: unknown, application?: string): Promise<void> {
  const query = application ? `?application=${encodeURIComponent(application)}` : ''
  await admin(b, 'PUT', `/faults${query}`, JSON.stringify(faults))
}

/** One of the bed's simulated instances, as GET /instances lists it (the fields tests read). */
export interface BedInstance {
  id: string
  application: string
  group: string
  agent: string
  agentState: string
  /** The process that holds the instance's namespace. */
  pid: number
  autoScalingGroup?: string
  address?: string
}

/** The bed's instances, all or one application's. */
export async function instances(b: Bed, application?: string): Promise<BedInstance[]> {
  const { instances: all } = await admin<{ instances: BedInstance[] }>(b, 'GET', '/instances')
  return application === undefined ? all : all.filter((i) => i.application === application)
}

export interface LoggedRequest {
  seq: number
  operation: string
  application?: string
  /** A GitHub call's "owner/name" (its operation is `GitHub.compare`, `GitHub.repository`, ...). */
  repository?: string
  status: number
  error?: string
  input?: Record<string, unknown>
}

/** The emulator's request log after sequence number `since`, of one application or repository, or all. */
export async function requests(
  b: Bed,
  {
    application,
    repository,
    since = 0
  }: { application?: string; repository?: string; since?: number } = {}
): Promise<LoggedRequest[]> {
  const app = application ? `&application=${encodeURIComponent(application)}` : ''
  const repo = repository ? `&repository=${encodeURIComponent(repository)}` : ''
  return (
    await admin<{ requests: LoggedRequest[] }>(b, 'GET', `/requests?since=${since}${app}${repo}`)
  ).requests
}

/** The request log's last sequence number: what a later requests() call counts from. */
export async function lastSeq(b: Bed): Promise<number> {
  return (await admin<{ lastSeq: number }>(b, 'GET', '/requests')).lastSeq
}

export interface GitHubRepository {
  /** "owner/name": each suite its own (unique()), as with applications. */
  repository: string
  /** A git repository on this machine (git-repo.ts makes one). */
  path: string
  /** Makes the repository private: only `Authorization: token <it>` (or Bearer) reads it. */
  token?: string
  /** The server of its html_url links (default https://github.com). */
  serverUrl?: string
}

/** Serves a git repository as a GitHub repository on the bed's GitHub API (replacing a same-named one). */
export async function githubRepository(b: Bed, repo: GitHubRepository): Promise<void> {
  await admin(b, 'PUT', '/github/repositories', JSON.stringify(repo))
}

/** Stops serving a repository registered by githubRepository(). */
export async function removeGithubRepository(b: Bed, repository: string): Promise<void> {
  await admin(b, 'DELETE', `/github/repositories?repository=${encodeURIComponent(repository)}`)
}

let shared: CodeDeployClient | undefined

/** A CodeDeploy client on the bed: one per suite, or a new one with its own attempts or keys. */
export function codedeploy(
  b: Bed,
  options: { maxAttempts?: number; secret?: string; key?: string } = {}
): CodeDeployClient {
  const own = Object.values(options).some((v) => v !== undefined)
  if (!own && shared) return shared
  const client = new CodeDeployClient({
    region: b.region,
    endpoint: b.codedeployEndpoint,
    maxAttempts: options.maxAttempts,
    ...(options.secret || options.key
      ? {
          credentials: {
            accessKeyId: options.key ?? b.env.AWS_ACCESS_KEY_ID!,
            secretAccessKey: options.secret ?? b.env.AWS_SECRET_ACCESS_KEY!
          }
        }
      : {})
  })
  if (!own) shared = client
  return client
}

export function autoScaling(b: Bed): AutoScalingClient {
  return new AutoScalingClient({ region: b.region, endpoint: b.codedeployEndpoint })
}

export function elb(b: Bed): ElasticLoadBalancingV2Client {
  return new ElasticLoadBalancingV2Client({ region: b.region, endpoint: b.codedeployEndpoint })
}

export function s3(b: Bed): S3Client {
  return new S3Client({ region: b.region, endpoint: b.s3Endpoint, forcePathStyle: true })
}

export async function deployment(b: Bed, id: string): Promise<DeploymentInfo> {
  const out = await codedeploy(b).send(new GetDeploymentCommand({ deploymentId: id }))
  return out.deploymentInfo as DeploymentInfo
}

/**
 * Polls GetDeployment until a terminal status, or until `done` holds (Ready, the termination
 * wait, ...); fails the test after timeoutMs.
 */
export async function settled(
  client: CodeDeployClient,
  id: string,
  timeoutMs = 60_000,
  done: (info: DeploymentInfo) => boolean = () => false
): Promise<DeploymentInfo> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const info = (await client.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!
    if (done(info) || ['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '')) return info
    if (Date.now() > end)
      throw new Error(`deployment ${id} still ${info.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

/** Puts a bundle file in the bed's bucket under `key`. */
export async function putBundle(
  b: Bed,
  key: string,
  file: string
): Promise<PutObjectCommandOutput> {
  const client = s3(b)
  try {
    return await client.send(
      new PutObjectCommand({ Bucket: b.bucket, Key: key, Body: readFileSync(file) })
    )
  } finally {
    client.destroy()
  }
}

/** Every version of every object under a prefix. */
export async function objectsUnder(b: Bed, bucket: string, prefix: string): Promise<string[]> {
  const client = s3(b)
  try {
    const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }))
    return (out.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}`)
  } finally {
    client.destroy()
  }
}

/** A name no other run of the suite on this bed has used (each test file adds its own apps). */
export const unique = (name: string): string => `${name}-${process.pid}-${Date.now() % 100000}`
