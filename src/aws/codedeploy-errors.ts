// How CodeDeploy API errors are explained (what the user should check); aws-errors.ts classifies them.
import { describeAwsError, isAccessDenied, isThrottling, isTransient } from './aws-errors.js'
import { AwsCallError, awsErrorParts } from '../common/errors.js'

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
