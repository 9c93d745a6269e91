import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  ApplicationDoesNotExistException,
  CodeDeployClient,
  CodeDeployServiceException,
  DeploymentGroupDoesNotExistException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type DeploymentStatus,
  type RevisionLocation
} from '@aws-sdk/client-codedeploy'
import { HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { MemoryLogger } from '../../src/common/log.js'
import {
  readDeployedRevision,
  readGroupHistory,
  type RevisionReadContext
} from '../../src/revisions/deployed.js'

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }
const codedeploy = new CodeDeployClient({ region: 'eu-west-1', credentials })
const s3 = new S3Client({ region: 'eu-west-1', credentials })
const cd = mockClient(codedeploy)
const s3mock = mockClient(s3)

const SHA = '0123456789abcdef0123456789abcdef01234567'
const REF = { deploymentId: 'd-LAST12345', status: 'Succeeded' }

let waits: number[]
let ctx: RevisionReadContext
beforeEach(() => {
  cd.reset()
  s3mock.reset()
  waits = []
  ctx = {
    codedeploy,
    s3,
    log: new MemoryLogger(),
    // Resolves at once: a retry never waits in a test.
    sleep: async (ms) => void waits.push(ms),
    random: () => 0.5
  }
})

function cdError(name: string, status: number, message: string): CodeDeployServiceException {
  return new CodeDeployServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message
  })
}

function s3Error(name: string, status: number, message = 'UnknownError'): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message
  })
}

const throttled = (): CodeDeployServiceException =>
  cdError('ThrottlingException', 400, 'Rate exceeded')

describe('readGroupHistory', () => {
  it('reads the last attempted and last successful deployments', async () => {
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: {
        deploymentGroupName: 'prod',
        lastAttemptedDeployment: { deploymentId: 'd-ATTEMPT01', status: 'InProgress' },
        lastSuccessfulDeployment: { deploymentId: 'd-SUCCESS01', status: 'Succeeded' }
      }
    })
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({
      lastAttempted: { deploymentId: 'd-ATTEMPT01', status: 'InProgress' },
      lastSuccessful: { deploymentId: 'd-SUCCESS01', status: 'Succeeded' }
    })
    expect(cd.commandCalls(GetDeploymentGroupCommand)[0]?.args[0].input).toEqual({
      applicationName: 'my-app',
      deploymentGroupName: 'prod'
    })
  })

  it('a group with no deployment yet, or a deployment without an id: none', async () => {
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { deploymentGroupName: 'prod' }
    })
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({})
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { lastAttemptedDeployment: { status: 'Failed' } }
    })
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({})
    cd.on(GetDeploymentGroupCommand).resolves({})
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({})
  })

  it('a deployment without a status: an empty status', async () => {
    cd.on(GetDeploymentGroupCommand).resolves({
      deploymentGroupInfo: { lastAttemptedDeployment: { deploymentId: 'd-1' } }
    })
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({
      lastAttempted: { deploymentId: 'd-1', status: '' }
    })
  })

  it.each([
    [
      'a group that does not exist',
      new DeploymentGroupDoesNotExistException({
        message: 'No Deployment Group found',
        $metadata: {}
      })
    ],
    [
      'an application that does not exist',
      new ApplicationDoesNotExistException({ message: 'No application found', $metadata: {} })
    ]
  ])('%s reads as a group with no history (CreateDeployment then says so)', async (_what, err) => {
    cd.on(GetDeploymentGroupCommand).rejects(err)
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({})
    expect(cd.commandCalls(GetDeploymentGroupCommand)).toHaveLength(1)
  })

  it('access denied: unknown, naming the call and the permission', async () => {
    cd.on(GetDeploymentGroupCommand).rejects(
      cdError(
        'AccessDeniedException',
        400,
        'User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: codedeploy:GetDeploymentGroup'
      )
    )
    const read = await readGroupHistory(ctx, 'my-app', 'prod')
    expect(read).toEqual({
      unknown: expect.stringMatching(/^GetDeploymentGroup failed \(AccessDeniedException: User: /)
    })
    expect('unknown' in read && read.unknown).toMatch(
      /; grant codedeploy:GetDeploymentGroup on the deployment group$/
    )
    // Not worth retrying.
    expect(cd.commandCalls(GetDeploymentGroupCommand)).toHaveLength(1)
  })

  it('a server error after the retries: unknown, naming the call, no permission to grant', async () => {
    cd.on(GetDeploymentGroupCommand).rejects(cdError('InternalFailure', 500, 'try later'))
    const read = await readGroupHistory(ctx, 'my-app', 'prod')
    expect(read).toEqual({ unknown: 'GetDeploymentGroup failed (InternalFailure: try later)' })
  })

  it('retries throttling, waiting through the injected sleep', async () => {
    cd.on(GetDeploymentGroupCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({
        deploymentGroupInfo: { lastAttemptedDeployment: { deploymentId: 'd-1', status: 'Failed' } }
      })
    expect(await readGroupHistory(ctx, 'my-app', 'prod')).toEqual({
      lastAttempted: { deploymentId: 'd-1', status: 'Failed' }
    })
    expect(cd.commandCalls(GetDeploymentGroupCommand)).toHaveLength(3)
    expect(waits).toHaveLength(2)
  })

  it('throttled three times: unknown, after three attempts', async () => {
    cd.on(GetDeploymentGroupCommand).rejects(throttled())
    const read = await readGroupHistory(ctx, 'my-app', 'prod')
    expect('unknown' in read && read.unknown).toContain(
      'GetDeploymentGroup failed (ThrottlingException: Rate exceeded)'
    )
    expect(cd.commandCalls(GetDeploymentGroupCommand)).toHaveLength(3)
  })

  it('passes the run’s cancel signal to the call', async () => {
    const controller = new AbortController()
    cd.on(GetDeploymentGroupCommand).resolves({})
    await readGroupHistory({ ...ctx, signal: controller.signal }, 'my-app', 'prod')
    const args = cd.commandCalls(GetDeploymentGroupCommand)[0]?.args as unknown[]
    expect((args[1] as { abortSignal?: AbortSignal }).abortSignal).toBe(controller.signal)
  })
})

describe('readDeployedRevision', () => {
  function deployment(
    revision: RevisionLocation | undefined,
    status: DeploymentStatus = 'Succeeded'
  ): void {
    cd.on(GetDeploymentCommand, { deploymentId: REF.deploymentId }).resolves({
      deploymentInfo: { deploymentId: REF.deploymentId, status, ...(revision ? { revision } : {}) }
    })
  }

  const s3Revision = (over: Record<string, string> = {}): RevisionLocation => ({
    revisionType: 'S3',
    s3Location: { bucket: 'my-bucket', key: 'my-app/41/bundle.tgz', bundleType: 'tgz', ...over }
  })

  it('an S3 revision with a version: HeadObject of that version, its commit and repository', async () => {
    deployment(s3Revision({ version: 'v-41', eTag: 'etag-of-41' }), 'Failed')
    s3mock.on(HeadObjectCommand).resolves({
      ETag: '"etag-now"',
      Metadata: {
        'git-commit': SHA,
        'github-repository': 'octo-org/app',
        'github-run-number': '41'
      }
    })
    expect(await readDeployedRevision(ctx, REF)).toEqual({
      deploymentId: REF.deploymentId,
      status: 'Failed',
      commit: SHA,
      repository: 'octo-org/app'
    })
    expect(s3mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'my-bucket',
      Key: 'my-app/41/bundle.tgz',
      VersionId: 'v-41'
    })
  })

  it('without a version: no VersionId, and an ETag that still matches (quotes or not) is read', async () => {
    deployment(s3Revision({ eTag: 'abc123' }))
    s3mock.on(HeadObjectCommand).resolves({ ETag: '"abc123"', Metadata: { 'git-commit': SHA } })
    expect(await readDeployedRevision(ctx, REF)).toEqual({
      deploymentId: REF.deploymentId,
      status: 'Succeeded',
      commit: SHA
    })
    expect(s3mock.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'my-bucket',
      Key: 'my-app/41/bundle.tgz'
    })
  })

  it('without a version, and an ETag that no longer matches: replaced, its metadata not trusted', async () => {
    deployment(s3Revision({ eTag: '"abc123"' }))
    s3mock.on(HeadObjectCommand).resolves({ ETag: '"def456"', Metadata: { 'git-commit': SHA } })
    const r = await readDeployedRevision(ctx, REF)
    expect(r.commit).toBeUndefined()
    expect(r.unknown).toBe(
      's3://my-bucket/my-app/41/bundle.tgz has been replaced since it was deployed'
    )
  })

  it('without a version or an ETag: the object as it is', async () => {
    deployment(s3Revision())
    s3mock
      .on(HeadObjectCommand)
      .resolves({ ETag: '"x"', Metadata: { 'Git-Commit': SHA.toUpperCase() } })
    expect((await readDeployedRevision(ctx, REF)).commit).toBe(SHA)
  })

  it('metadata without git-commit: no commit (not uploaded by this action)', async () => {
    deployment(s3Revision({ version: 'v-1' }))
    s3mock.on(HeadObjectCommand).resolves({ Metadata: { 'github-repository': 'octo-org/app' } })
    const r = await readDeployedRevision(ctx, REF)
    expect(r).toEqual({
      deploymentId: REF.deploymentId,
      status: 'Succeeded',
      unknown:
        's3://my-bucket/my-app/41/bundle.tgz (version v-1) records no git-commit (not uploaded by this action)'
    })
  })

  it('no metadata at all, or a git-commit that is not a full id: no commit', async () => {
    deployment(s3Revision())
    s3mock.on(HeadObjectCommand).resolves({})
    expect((await readDeployedRevision(ctx, REF)).unknown).toContain('records no git-commit')
    s3mock.on(HeadObjectCommand).resolves({ Metadata: { 'git-commit': 'main' } })
    expect((await readDeployedRevision(ctx, REF)).unknown).toContain('records no git-commit')
  })

  it('an object that is gone (404): no commit, saying so', async () => {
    deployment(s3Revision())
    s3mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404))
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe(
      's3://my-bucket/my-app/41/bundle.tgz is gone'
    )
    expect(s3mock.commandCalls(HeadObjectCommand)).toHaveLength(1)
  })

  it('HeadObject refused (403): no commit, naming s3:GetObject', async () => {
    deployment(s3Revision({ version: 'v-9' }))
    s3mock.on(HeadObjectCommand).rejects(s3Error('Forbidden', 403))
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe(
      'S3 HeadObject on s3://my-bucket/my-app/41/bundle.tgz (version v-9) failed (Forbidden); grant s3:GetObject (and s3:GetObjectVersion for a version) on it'
    )
  })

  it('a GitHub revision: its commitId (lower-cased) and repository, no HeadObject', async () => {
    deployment({
      revisionType: 'GitHub',
      gitHubLocation: { repository: 'octo-org/app', commitId: SHA.toUpperCase() }
    })
    expect(await readDeployedRevision(ctx, REF)).toEqual({
      deploymentId: REF.deploymentId,
      status: 'Succeeded',
      commit: SHA,
      repository: 'octo-org/app'
    })
    expect(s3mock.commandCalls(HeadObjectCommand)).toHaveLength(0)
  })

  it('a GitHub revision without a full commit id: no commit', async () => {
    deployment({
      revisionType: 'GitHub',
      gitHubLocation: { repository: 'o/r', commitId: 'abc1234' }
    })
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe(
      'its GitHub revision names no full commit id'
    )
    deployment({ revisionType: 'GitHub', gitHubLocation: { repository: 'o/r' } })
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe(
      'its GitHub revision names no full commit id'
    )
  })

  it('a revision that is neither (AppSpecContent, or none): no commit', async () => {
    deployment({ revisionType: 'AppSpecContent', appSpecContent: { content: '{}' } })
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe('its revision is not an S3 object')
    deployment(undefined)
    expect((await readDeployedRevision(ctx, REF)).unknown).toBe('its revision is not an S3 object')
  })

  it('GetDeployment failing: no commit, naming the call and the permission, keeping the status read before', async () => {
    cd.on(GetDeploymentCommand).rejects(cdError('AccessDeniedException', 400, 'not authorized'))
    expect(await readDeployedRevision(ctx, { deploymentId: 'd-X', status: 'InProgress' })).toEqual({
      deploymentId: 'd-X',
      status: 'InProgress',
      unknown:
        'GetDeployment failed (AccessDeniedException: not authorized); grant codedeploy:GetDeployment'
    })
  })

  it('retries throttling on GetDeployment and HeadObject (a sleep that resolves at once)', async () => {
    cd.on(GetDeploymentCommand)
      .rejectsOnce(throttled())
      .resolves({ deploymentInfo: { status: 'Succeeded', revision: s3Revision() } })
    s3mock
      .on(HeadObjectCommand)
      .rejectsOnce(s3Error('SlowDown', 503, 'Please reduce your request rate.'))
      .rejectsOnce(s3Error('InternalError', 500, 'We encountered an internal error.'))
      .resolves({ Metadata: { 'git-commit': SHA } })
    expect((await readDeployedRevision(ctx, REF)).commit).toBe(SHA)
    expect(cd.commandCalls(GetDeploymentCommand)).toHaveLength(2)
    expect(s3mock.commandCalls(HeadObjectCommand)).toHaveLength(3)
    expect(waits).toHaveLength(3)
  })
})
