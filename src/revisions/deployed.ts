// What a deployment group last ran, and which commit: GetDeploymentGroup's last attempted and
// last successful deployments, GetDeployment's revision, and that S3 object's metadata
// (HeadObject). Every read is best effort: what cannot be read is said, and never blocks a deploy.
import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type CodeDeployClient
} from '@aws-sdk/client-codedeploy'
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { describeAwsError, errorCode, isAccessDenied } from '../aws/aws-errors.js'
import { retry, awsPolicy } from '../aws/retry.js'
import { stripQuotes } from '../aws/s3-upload.js'
import type { Logger, Sleep } from '../common/log.js'
import type { DeployedRevision } from './order-policy.js'
import { FULL_SHA, readProvenance } from './provenance.js'

export interface RevisionReadContext {
  codedeploy: CodeDeployClient
  s3: S3Client
  log: Logger
  sleep: Sleep
  signal?: AbortSignal
  random?: () => number
}

export interface DeploymentRef {
  deploymentId: string
  status: string
}

export interface GroupHistory {
  lastAttempted?: DeploymentRef
  lastSuccessful?: DeploymentRef
}

/** A few quick attempts on throttling and transient errors. */
function send<T>(ctx: RevisionReadContext, fn: () => Promise<T>): Promise<T> {
  return retry(
    fn,
    awsPolicy({
      attempts: 3,
      sleep: ctx.sleep,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.random ? { random: ctx.random } : {})
    })
  )
}

/** What failed; the permission to grant only when the call was refused for it. */
function said(call: string, err: unknown, grant: string): string {
  const { code, message } = describeAwsError(err)
  const failed = `${call} failed (${code}${message ? `: ${message}` : ''})`
  return isAccessDenied(err) ? `${failed}; grant ${grant}` : failed
}

/**
 * The group's last attempted (in progress included) and last successful deployments. A group
 * that does not exist reads as one with no history: CreateDeployment then says so, with the
 * groups that do exist.
 */
export async function readGroupHistory(
  ctx: RevisionReadContext,
  applicationName: string,
  deploymentGroupName: string
): Promise<GroupHistory | { unknown: string }> {
  try {
    const out = await send(ctx, () =>
      ctx.codedeploy.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName }), {
        ...(ctx.signal ? { abortSignal: ctx.signal } : {})
      })
    )
    const info = out.deploymentGroupInfo
    const ref = (d?: { deploymentId?: string; status?: string }): DeploymentRef | undefined =>
      d?.deploymentId ? { deploymentId: d.deploymentId, status: d.status ?? '' } : undefined
    const lastAttempted = ref(info?.lastAttemptedDeployment)
    const lastSuccessful = ref(info?.lastSuccessfulDeployment)
    return {
      ...(lastAttempted ? { lastAttempted } : {}),
      ...(lastSuccessful ? { lastSuccessful } : {})
    }
  } catch (err) {
    const code = errorCode(err)
    if (
      code === 'DeploymentGroupDoesNotExistException' ||
      code === 'ApplicationDoesNotExistException'
    )
      return {}
    return {
      unknown: said(
        'GetDeploymentGroup',
        err,
        'codedeploy:GetDeploymentGroup on the deployment group'
      )
    }
  }
}

/** The commit a deployment's revision records: a GitHub revision names it, an S3 one in its object's metadata. */
export async function readDeployedRevision(
  ctx: RevisionReadContext,
  ref: DeploymentRef
): Promise<DeployedRevision> {
  const base = { deploymentId: ref.deploymentId, status: ref.status }
  let revision
  try {
    const out = await send(ctx, () =>
      ctx.codedeploy.send(new GetDeploymentCommand({ deploymentId: ref.deploymentId }), {
        ...(ctx.signal ? { abortSignal: ctx.signal } : {})
      })
    )
    revision = out.deploymentInfo?.revision
    base.status = out.deploymentInfo?.status ?? base.status
  } catch (err) {
    return { ...base, unknown: said('GetDeployment', err, 'codedeploy:GetDeployment') }
  }
  if (revision?.revisionType === 'GitHub') {
    const commit = revision.gitHubLocation?.commitId?.toLowerCase()
    return commit && FULL_SHA.test(commit)
      ? { ...base, commit, repository: revision.gitHubLocation?.repository ?? '' }
      : { ...base, unknown: 'its GitHub revision names no full commit id' }
  }
  const s3 = revision?.s3Location
  if (!s3?.bucket || !s3.key) return { ...base, unknown: 'its revision is not an S3 object' }
  const where = `s3://${s3.bucket}/${s3.key}${s3.version ? ` (version ${s3.version})` : ''}`
  try {
    const head = await send(ctx, () =>
      ctx.s3.send(
        new HeadObjectCommand({
          Bucket: s3.bucket,
          Key: s3.key,
          ...(s3.version ? { VersionId: s3.version } : {})
        }),
        { ...(ctx.signal ? { abortSignal: ctx.signal } : {}) }
      )
    )
    // Without a version, the key may hold another upload now: its metadata would not be this deployment's.
    const etag = head.ETag && stripQuotes(head.ETag)
    if (!s3.version && s3.eTag && etag && etag !== stripQuotes(s3.eTag))
      return { ...base, unknown: `${where} has been replaced since it was deployed` }
    const p = readProvenance(head.Metadata)
    if (!p)
      return { ...base, unknown: `${where} records no git-commit (not uploaded by this action)` }
    return { ...base, commit: p.commit, ...(p.repository ? { repository: p.repository } : {}) }
  } catch (err) {
    const { status } = describeAwsError(err)
    if (status === 404) return { ...base, unknown: `${where} is gone` }
    return {
      ...base,
      unknown: said(
        `S3 HeadObject on ${where}`,
        err,
        's3:GetObject (and s3:GetObjectVersion for a version) on it'
      )
    }
  }
}
