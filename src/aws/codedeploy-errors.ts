// How CodeDeploy API errors are classified (retry or not) and explained (what the user should check).
import { THROTTLING_CODES, describeAwsError } from './aws-errors.js'
import { AwsCallError, awsErrorParts } from '../common/errors.js'

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkingError'
])

export function isThrottling(err: unknown): boolean {
  const { code, message, status } = awsErrorParts(err)
  return THROTTLING_CODES.has(code) || status === 429 || /rate exceeded/i.test(message)
}

/** Worth trying again: throttling, a 5xx, or the connection failing. */
export function isTransient(err: unknown): boolean {
  if (isThrottling(err)) return true
  const { code, message, status } = awsErrorParts(err)
  if (status !== undefined && status >= 500) return true
  const sysCode = (err as { code?: unknown } | null)?.code
  if (typeof sysCode === 'string' && NETWORK_CODES.has(sysCode)) return true
  if (NETWORK_CODES.has(code)) return true
  if ((err as { $retryable?: unknown } | null)?.$retryable) return true
  return status === undefined && /socket hang up|ECONNRESET|ETIMEDOUT/.test(message)
}

export function isAccessDenied(err: unknown): boolean {
  const { code, status } = awsErrorParts(err)
  return (
    code === 'AccessDeniedException' ||
    code === 'AccessDenied' ||
    code === 'UnauthorizedOperation' ||
    status === 403
  )
}

export function errorCode(err: unknown): string {
  return awsErrorParts(err).code
}

/** What to check, for errors any CodeDeploy call can meet. */
function genericCheck(call: string, err: unknown): string {
  const { code, status } = awsErrorParts(err)
  if (isAccessDenied(err))
    return `The credentials are not allowed to call it: grant the IAM action codedeploy:${call} to the role or user this workflow runs as.`
  if (
    code === 'UnrecognizedClientException' ||
    code === 'InvalidSignatureException' ||
    code === 'ExpiredTokenException'
  )
    return 'The AWS credentials are invalid or expired: check how the workflow configures them (aws-actions/configure-aws-credentials).'
  if (isThrottling(err))
    return 'CodeDeploy kept throttling the requests: try again later, or run fewer deployments at once.'
  if (status !== undefined && status >= 500)
    return 'CodeDeploy had an internal error: try again; if it persists check the AWS Health Dashboard.'
  if (isTransient(err))
    return 'The CodeDeploy endpoint could not be reached: check the region and the network (or AWS_ENDPOINT_URL_CODEDEPLOY).'
  return 'Check the region, the credentials and the inputs.'
}

/** Wraps any error of a CodeDeploy call into an AwsCallError naming the call, with `check` (unless transient) or a generic next step. */
export function codeDeployCallError(call: string, err: unknown, check?: string): AwsCallError {
  // Redacted and cleaned: AWS messages may echo request data.
  const { code, message } = describeAwsError(err)
  const useGeneric = !check || isTransient(err)
  return new AwsCallError(call, code, message, useGeneric ? genericCheck(call, err) : check, err)
}
