// Builds the S3 and CodeDeploy clients. The SDK is imported only here, on demand, so the
// action's first log line and a dry run never pay for loading it.

import type { S3Client } from '@aws-sdk/client-s3'
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import pkg from '../../package.json' with { type: 'json' }
import { Input } from '../settings/constants.js'
import { regionFrom } from '../settings/region.js'
import { ActionError, InputError } from '../common/errors.js'
import { networkFrom, type Network } from '../network/network.js'

export interface AwsClients {
  s3: S3Client
  codedeploy: CodeDeployClient
  /** Auto Scaling and ELBv2, built on first use: only blue/green and load-balanced groups need them. */
  traffic: TrafficClients
  /** The region both clients use: resolved here once, and read from here by everything after. */
  region: string
  /** The proxy and CAs every client goes through; its fetch serves the GitHub call too. */
  network: Network
}

/** The clients that read target groups and clean up a replacement Auto Scaling group. */
export interface TrafficClients {
  autoScaling(): Promise<AutoScalingClient>
  elb(): Promise<ElasticLoadBalancingV2Client>
}

export interface AwsClientOptions {
  /** The `region` input; '' means AWS_REGION / AWS_DEFAULT_REGION, then the SDK's own chain. */
  region: string
  /** Where AWS_REGION, AWS_DEFAULT_REGION and AWS_ENDPOINT_URL* are read from (process.env in the action). */
  env: NodeJS.ProcessEnv
  /** Built from `env` when not given. */
  network?: Network
}

export const USER_AGENT: [string, string] = ['codedeploy-s3-deploy-action', pkg.version]

// Idle-socket limits catch a server that stops answering (S3 answers a part within seconds of
// receiving it). A part may take minutes on a slow link while bytes flow, so S3 gets no total-time
// limit. Worst case on a dead S3: 30 s × 4 attempts. CodeDeploy calls are small and quick.
const S3_HTTP = { connectionTimeout: 10_000, socketTimeout: 30_000 }
const CODEDEPLOY_HTTP = {
  connectionTimeout: 10_000,
  socketTimeout: 30_000,
  requestTimeout: 60_000,
  throwOnRequestTimeout: true
}
const QUIET = { debug() {}, info() {}, warn() {}, error() {} }
// Adaptive retry rate-limits the client itself when CodeDeploy throttles the poller.
const S3_RETRY = { retryMode: 'standard', maxAttempts: 4 }
const CODEDEPLOY_RETRY = { retryMode: 'adaptive', maxAttempts: 8 }

/**
 * The endpoint the SDK's standard variables name for a service (AWS_ENDPOINT_URL_S3, then
 * AWS_ENDPOINT_URL), honouring AWS_IGNORE_CONFIGURED_ENDPOINT_URLS; undefined means AWS itself.
 * The SDK reads the same variables from process.env; reading them here lets S3 switch to
 * path-style addressing, which an S3-compatible server on an IP address needs.
 */
export function endpointFrom(
  service: 'S3' | 'CODEDEPLOY' | 'AUTO_SCALING' | 'ELASTIC_LOAD_BALANCING_V2',
  env: NodeJS.ProcessEnv
): string | undefined {
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined
  const name = env[`AWS_ENDPOINT_URL_${service}`]
    ? `AWS_ENDPOINT_URL_${service}`
    : 'AWS_ENDPOINT_URL'
  const value = env[name]?.trim()
  if (!value) return undefined
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new ActionError(
      `${name} is '${value}', which is not an http(s) URL.`,
      `Set it to an endpoint such as http://127.0.0.1:7480, or unset it.`
    )
  }
  return value
}

function retryFrom(defaults: { retryMode: string; maxAttempts: number }, env: NodeJS.ProcessEnv) {
  const attempts = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10)
  return {
    retryMode: env.AWS_RETRY_MODE || defaults.retryMode,
    maxAttempts: attempts > 0 ? attempts : defaults.maxAttempts
  }
}

/**
 * Creates both clients. Fails with an InputError, before any AWS call, when no region can be
 * found in the input, the environment or the SDK's profile configuration.
 */
export async function createAwsClients(opts: AwsClientOptions): Promise<AwsClients> {
  const explicitRegion = regionFrom(opts.region, opts.env)
  // Proxy variables and AWS_CA_BUNDLE are checked here, before the region probe or any call.
  const network = opts.network ?? networkFrom(opts.env)
  const [{ S3Client }, { CodeDeployClient }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-codedeploy')
  ])
  const region = explicitRegion ?? (await profileRegion(S3Client))
  const s3Endpoint = endpointFrom('S3', opts.env)
  const codedeployEndpoint = endpointFrom('CODEDEPLOY', opts.env)

  const s3 = new S3Client({
    region,
    customUserAgent: [USER_AGENT],
    // The SDK warns on the console when a streamed part fails (it does not retry those);
    // s3-upload.ts retries and reports them itself.
    logger: QUIET,
    requestHandler: { ...S3_HTTP, ...agentsOf(network) },
    ...retryFrom(S3_RETRY, opts.env),
    ...(s3Endpoint ? { endpoint: s3Endpoint, forcePathStyle: true } : {})
  })
  const codedeploy = new CodeDeployClient({
    region,
    customUserAgent: [USER_AGENT],
    requestHandler: { ...CODEDEPLOY_HTTP, ...agentsOf(network) },
    ...retryFrom(CODEDEPLOY_RETRY, opts.env),
    ...(codedeployEndpoint ? { endpoint: codedeployEndpoint } : {})
  })
  return {
    s3,
    codedeploy,
    region,
    network,
    traffic: createTrafficClients(region, opts.env, network)
  }
}

/** The SDK's request handler takes Node agents: the proxy and the CAs come in through them. */
function agentsOf(network: Network) {
  return { httpAgent: network.httpAgent, httpsAgent: network.httpsAgent }
}

/** Built on first use, once; same timeouts and retries as CodeDeploy's (small, quick calls). */
export function createTrafficClients(
  region: string,
  env: NodeJS.ProcessEnv,
  network: Network
): TrafficClients {
  const common = {
    region,
    customUserAgent: [USER_AGENT],
    requestHandler: { ...CODEDEPLOY_HTTP, ...agentsOf(network) },
    ...retryFrom(CODEDEPLOY_RETRY, env)
  }
  let autoScaling: Promise<AutoScalingClient> | undefined
  let elb: Promise<ElasticLoadBalancingV2Client> | undefined
  return {
    autoScaling: () =>
      (autoScaling ??= import('@aws-sdk/client-auto-scaling').then(({ AutoScalingClient }) => {
        const endpoint = endpointFrom('AUTO_SCALING', env)
        return new AutoScalingClient({ ...common, ...(endpoint ? { endpoint } : {}) })
      })),
    elb: () =>
      (elb ??= import('@aws-sdk/client-elastic-load-balancing-v2').then(
        ({ ElasticLoadBalancingV2Client }) => {
          const endpoint = endpointFrom('ELASTIC_LOAD_BALANCING_V2', env)
          return new ElasticLoadBalancingV2Client({ ...common, ...(endpoint ? { endpoint } : {}) })
        }
      ))
  }
}

// The SDK's own chain: the region of the profile in ~/.aws/config (AWS_PROFILE, AWS_CONFIG_FILE).
async function profileRegion(S3: typeof S3Client): Promise<string> {
  const probe = new S3({})
  try {
    const region = await probe.config.region()
    if (region) return region
  } catch {
    // No region in the profile either; reported below.
  } finally {
    probe.destroy()
  }
  throw new InputError(
    Input.Region,
    'no AWS region is set.',
    'Set the `region` input, or AWS_REGION (aws-actions/configure-aws-credentials sets it from its `aws-region`).'
  )
}
