import { describe, expect, it } from '@jest/globals'
import { AwsCallError } from '../../src/common/errors.js'
import { isAbortError, redactSecrets, toAwsCallError } from '../../src/aws/aws-errors.js'

function sdkError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } })
}

describe('toAwsCallError', () => {
  it.each([
    [
      'throttling',
      sdkError('ThrottlingException', 400, 'Rate exceeded'),
      {},
      'CodeDeploy GetDeployment failed: ThrottlingException: Rate exceeded. AWS kept throttling after several retries: re-run later, or run fewer jobs against this account at once.'
    ],
    [
      'a missing IAM action',
      sdkError(
        'AccessDeniedException',
        400,
        'User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: codedeploy:GetDeployment'
      ),
      { iamActions: ['codedeploy:GetDeployment'] },
      'CodeDeploy GetDeployment failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: codedeploy:GetDeployment. The credentials are not allowed to do this: grant codedeploy:GetDeployment to the role or user this job runs as.'
    ],
    [
      'a timeout',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} }),
      { endpoint: 'codedeploy.us-east-1.amazonaws.com' },
      "CodeDeploy GetDeployment failed: TimeoutError: socket hang up. codedeploy.us-east-1.amazonaws.com did not answer in time: check the runner's network and the region; re-run if AWS was slow."
    ],
    [
      'a connection reset',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', $metadata: {} }),
      { endpoint: 'http://127.0.0.1:7490' },
      "CodeDeploy GetDeployment failed: ECONNRESET: read ECONNRESET. Could not reach http://127.0.0.1:7490: check the runner's network, the region, and AWS_ENDPOINT_URL* if set."
    ],
    [
      'a server error',
      sdkError('InternalFailure', 500, 'An internal error occurred'),
      {},
      'CodeDeploy GetDeployment failed: InternalFailure: An internal error occurred. AWS returned a server error even after retries: re-run the job; if it persists, check the AWS Health Dashboard.'
    ],
    [
      'a code with tailored advice',
      sdkError('DeploymentDoesNotExistException', 400, 'The deployment d-X does not exist'),
      { byCode: { DeploymentDoesNotExistException: 'Check the deployment id.' } },
      'CodeDeploy GetDeployment failed: DeploymentDoesNotExistException: The deployment d-X does not exist. Check the deployment id.'
    ],
    [
      'anything else',
      sdkError('InvalidDeploymentIdException', 400, 'bad id'),
      { fallback: 'Check the deployment id format.' },
      'CodeDeploy GetDeployment failed: InvalidDeploymentIdException: bad id. Check the deployment id format.'
    ],
    [
      'a bodiless 403',
      sdkError('Unknown', 403, 'UnknownError'),
      { iamActions: ['codedeploy:GetDeployment'] },
      'CodeDeploy GetDeployment failed: Forbidden. The credentials are not allowed to do this: grant codedeploy:GetDeployment to the role or user this job runs as.'
    ],
    [
      'something that is not an error object',
      'boom',
      {},
      'CodeDeploy GetDeployment failed: Error: boom. Check the inputs this call was made with.'
    ]
  ])('%s', (_what, err, hints, expected) => {
    const mapped = toAwsCallError('CodeDeploy GetDeployment', err, hints)
    expect(mapped).toBeInstanceOf(AwsCallError)
    expect(mapped.call).toBe('CodeDeploy GetDeployment')
    expect(mapped.cause).toBe(err)
    expect(mapped.describe()).toBe(expected)
  })

  it('passes an AwsCallError through unchanged', () => {
    const first = toAwsCallError('S3 PutObject', sdkError('AccessDenied', 403, 'Access Denied'))
    expect(toAwsCallError('S3 Upload', first)).toBe(first)
  })

  it('keeps a long message to one short line', () => {
    const mapped = toAwsCallError(
      'S3 PutObject',
      sdkError('InvalidArgument', 400, `line one\n${'x '.repeat(400)}`)
    )
    expect(mapped.message).not.toContain('\n')
    expect(mapped.message.length).toBeLessThan(360)
  })
})

describe('redactSecrets', () => {
  it.each([
    ['key AKIAIOSFODNN7EXAMPLE here', 'key *** here'],
    ['session ASIAY34FZKBOKMUTVV7A.', 'session ***.'],
    ['secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret ***'],
    ['token IQoJb3JpZ2luX2VjEBYaCXVzLWVhc3QtMSJHMEUCIQDx5j7kZ0example+Token', 'token ***'],
    [`sha256 ${'ab12'.repeat(16)}`, `sha256 ${'ab12'.repeat(16)}`],
    ['etag 3858f62230ac3c915f300c664312c63f-3', 'etag 3858f62230ac3c915f300c664312c63f-3']
  ])('%p → %p', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected)
  })
})

describe('isAbortError', () => {
  it('recognises the SDK and lib-storage abort errors only', () => {
    expect(isAbortError(Object.assign(new Error('Request aborted'), { name: 'AbortError' }))).toBe(
      true
    )
    expect(isAbortError(new Error('AbortError'))).toBe(false)
    expect(isAbortError(undefined)).toBe(false)
  })
})
