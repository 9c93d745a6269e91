// Turns any SDK or network error into an AwsCallError that names the call and the user's next
// step. Shared by the S3 and CodeDeploy edges; service-specific advice comes in through hints.

import { AwsCallError, awsErrorParts } from '../common/errors.js'
import {
  isProxyError,
  PROXY_ANSWER_HEADER,
  taggedEndpoint,
  tlsAdvice,
  TLS_TRUST_CODES
} from '../network/network-errors.js'

export interface AwsErrorHints {
  /** IAM actions named when AWS says access is denied, e.g. ['s3:PutObject']. */
  iamActions?: string[]
  /** The resource those actions apply to, e.g. 'arn:aws:s3:::bucket/key'. */
  resource?: string
  /** Named on network errors when the error itself does not say where it tried to connect. */
  endpoint?: string
  /** Advice for specific error codes (the SDK error's name); consulted before the generic advice. */
  byCode?: Record<string, string>
  /** Advice when nothing more specific applies. */
  fallback?: string
}

// Connection-level failures: the request may not have reached AWS, or its answer was lost.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError'
])

// TLS failures: also "could not reach", but trying again will not help.
const TLS_CODES = new Set([
  'EPROTO',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  ...TLS_TRUST_CODES
])

const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSignatureException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidToken',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'AuthFailure'
])

const EXPIRED_CODES = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
  'RequestExpired'
])

/** Every name AWS services give throttling; CodeDeploy's waiter shares it. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException'
])

const ACCESS_DENIED_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden'])

const SERVER_CODES = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure'
])

// What a bodiless response (HEAD) or an unparsed one is called, by HTTP status.
const STATUS_NAMES: Record<number, string> = {
  301: 'PermanentRedirect',
  307: 'TemporaryRedirect',
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  500: 'InternalError',
  503: 'ServiceUnavailable'
}

/** What the user is shown as the error's code and message, cleaned of SDK placeholders and secrets. */
export function describeAwsError(err: unknown): { code: string; message: string; status?: number } {
  const proxied = proxyAnswer(err)
  if (proxied)
    return { code: 'ProxyAuthenticationRequired', message: tidy(proxied.message), status: 407 }
  const parts = awsErrorParts(err)
  const netCode = networkCode(err)
  let code = netCode ?? (isProxyError(err) ? err.code : parts.code)
  if (
    ['Unknown', 'UnknownError', 'Error', '403', '404', '400', '301'].includes(code) &&
    parts.status
  ) {
    code = STATUS_NAMES[parts.status] ?? `HTTP${parts.status}`
  }
  // The SDK says "UnknownError" when the response had no body to read a message from.
  const message = parts.message === 'UnknownError' || parts.message === code ? '' : parts.message
  return { code, message: tidy(redactSecrets(message)), status: parts.status }
}

/** The Node network error code (ECONNREFUSED, ...) or timeout behind an SDK error, if that is what it is. */
export function networkCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined
  const e = err as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number } }
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || TLS_CODES.has(e.code)))
    return e.code
  if (e.name === 'TimeoutError' && !e.$metadata?.httpStatusCode) return 'TimeoutError'
  return undefined
}

// The one classification every retry uses, S3 and CodeDeploy alike.

export function errorCode(err: unknown): string {
  return awsErrorParts(err).code
}

export function isThrottling(err: unknown): boolean {
  const { code, message, status } = awsErrorParts(err)
  return THROTTLING_CODES.has(code) || status === 429 || /rate exceeded/i.test(message)
}

/** Worth trying again: throttling, a 5xx, or the connection failing (not a TLS problem). */
export function isTransient(err: unknown): boolean {
  if (isThrottling(err)) return true
  const { code, message, status } = awsErrorParts(err)
  if (status !== undefined && status >= 500) return true
  const sysCode = (err as { code?: unknown } | null)?.code
  if (typeof sysCode === 'string' && CONNECTION_CODES.has(sysCode)) return true
  if (CONNECTION_CODES.has(code)) return true
  if ((err as { $retryable?: unknown } | null)?.$retryable) return true
  return status === undefined && /socket hang up|ECONNRESET|ETIMEDOUT/.test(message)
}

export function isAccessDenied(err: unknown): boolean {
  const { code, status } = awsErrorParts(err)
  return ACCESS_DENIED_CODES.has(code) || code === 'UnauthorizedOperation' || status === 403
}

/** An abort the caller asked for (signal), as the SDK reports it. */
export function isAbortError(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { name?: unknown }).name === 'AbortError'
}

/**
 * Maps any error thrown by an AWS call to an AwsCallError naming `call` (e.g. 'S3 HeadObject',
 * 'CodeDeploy CreateDeployment') and what to check. An AwsCallError passes through unchanged.
 */
export function toAwsCallError(
  call: string,
  err: unknown,
  hints: AwsErrorHints = {}
): AwsCallError {
  if (err instanceof AwsCallError) return err
  const { code, message, status } = describeAwsError(err)
  return new AwsCallError(call, code, message, adviceFor(err, code, status, hints), err)
}

function adviceFor(
  err: unknown,
  code: string,
  status: number | undefined,
  hints: AwsErrorHints
): string {
  // The way to AWS failed (a proxy, a certificate): the fix is on the runner, whatever the call.
  const viaProxy = proxyAnswer(err)?.advice ?? (isProxyError(err) ? err.advice : undefined)
  if (viaProxy) return viaProxy
  const where = endpointOf(err) ?? hints.endpoint ?? 'the AWS endpoint'
  const tls = tlsAdvice(code, where)
  if (tls) return tls
  const specific = hints.byCode?.[code]
  if (specific) return specific
  if (networkCode(err)) {
    return code === 'TimeoutError' || code === 'ETIMEDOUT'
      ? `${where} did not answer in time: check the runner's network and the region; re-run if AWS was slow.`
      : `Could not reach ${where}: check the runner's network, the region, and AWS_ENDPOINT_URL* if set.`
  }
  if (
    code === 'CredentialsProviderError' ||
    /could not load credentials/i.test(awsErrorParts(err).message)
  ) {
    return 'No AWS credentials were found: add aws-actions/configure-aws-credentials (OIDC role or access keys) before this step.'
  }
  if (EXPIRED_CODES.has(code)) {
    return 'The session credentials expired: raise role-duration-seconds in aws-actions/configure-aws-credentials, or re-run the job.'
  }
  if (CREDENTIAL_CODES.has(code)) {
    return 'AWS rejected the credentials: check the keys or role given to aws-actions/configure-aws-credentials in this job.'
  }
  if (THROTTLING_CODES.has(code)) {
    return 'AWS kept throttling after several retries: re-run later, or run fewer jobs against this account at once.'
  }
  if (ACCESS_DENIED_CODES.has(code) || status === 403) {
    const actions = hints.iamActions?.length
      ? hints.iamActions.join(', ')
      : 'the permission this call needs'
    const on = hints.resource ? ` on ${hints.resource}` : ''
    return `The credentials are not allowed to do this: grant ${actions}${on} to the role or user this job runs as.`
  }
  if (code.startsWith('KMS.') || /kms/i.test(code)) {
    return 'The KMS key could not be used: check that it exists in this region, is enabled, and that its key policy allows this role.'
  }
  if (SERVER_CODES.has(code) || (status !== undefined && status >= 500)) {
    return 'AWS returned a server error even after retries: re-run the job; if it persists, check the AWS Health Dashboard.'
  }
  return hints.fallback ?? 'Check the inputs this call was made with.'
}

/** What a proxy's own 407 to an http:// request stood for (route-agent.ts marks it). */
function proxyAnswer(err: unknown): { message: string; advice: string } | undefined {
  const headers = (err as { $response?: { headers?: Record<string, string> } } | null)?.$response
    ?.headers
  const mark = headers?.[PROXY_ANSWER_HEADER]
  if (!mark) return undefined
  try {
    return JSON.parse(mark) as { message: string; advice: string }
  } catch {
    return undefined
  }
}

function endpointOf(err: unknown): string | undefined {
  const tagged = taggedEndpoint(err)
  if (tagged) return tagged
  const e = err as { address?: unknown; port?: unknown; hostname?: unknown }
  if (typeof e.address === 'string')
    return typeof e.port === 'number' ? `${e.address}:${e.port}` : e.address
  if (typeof e.hostname === 'string') return e.hostname
  return undefined
}

// Access key ids, and long mixed-case base64 runs (secret keys, session tokens, signatures).
// Hex digests are single-case, so sha256 values and ETags are left readable.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g
const LONG_TOKEN = /[A-Za-z0-9/+=]{40,}/g
// A SigV4 signature (echoed as `Signature=…` or `SignatureProvided: …`) is 64 hex digits, like
// a sha256 digest, which stays: only hex right after a word starting with "signature" goes.
const SIGNATURE = /(signature\w*\W{0,3})[0-9a-f]{64}\b/gi

/** Removes anything that looks like a credential from text AWS (or a fake of it) sent back. */
export function redactSecrets(text: string): string {
  return text
    .replace(ACCESS_KEY_ID, '***')
    .replace(SIGNATURE, '$1***')
    .replace(LONG_TOKEN, (run) => (/[a-z]/.test(run) && /[A-Z]/.test(run) ? '***' : run))
}

function tidy(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim().replace(/\.$/, '')
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine
}
