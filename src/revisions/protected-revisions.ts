// The revisions CodeDeploy may still fetch from S3, read for every deployment group of the
// application: each group's last successful deployment (what a rollback restores and what a new
// Auto Scaling instance is given) and every deployment still in progress. Any read that fails
// throws: without the whole set, nothing may be deleted.
import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  type CodeDeployClient,
  type DeploymentGroupInfo,
  type DeploymentInfo,
  type DeploymentStatus
} from '@aws-sdk/client-codedeploy'
import { ACTIVE_STATUSES } from '../aws/deployment-statuses.js'
import { callWithRetry, type RetryOptions } from '../aws/retry.js'
import type { ProtectedRevision } from './types.js'

/** A listing that keeps answering with a next page is cut here (100 groups or deployments a page). */
const MAX_PAGES = 50

export interface CodeDeployReads {
  codedeploy: CodeDeployClient
  retry: RetryOptions
}

/** The revisions of the application's deployments that CodeDeploy may still need, each with why. */
export async function readProtectedRevisions(
  ctx: CodeDeployReads,
  applicationName: string
): Promise<ProtectedRevision[]> {
  const reasons = new Map<string, string[]>()
  const protect = (deploymentId: string, reason: string): void => {
    reasons.set(deploymentId, [...(reasons.get(deploymentId) ?? []), reason])
  }
  for (const group of await listGroups(ctx, applicationName)) {
    const info = await readGroup(ctx, applicationName, group)
    const lastSuccessful = info?.lastSuccessfulDeployment?.deploymentId
    if (lastSuccessful)
      protect(lastSuccessful, `last successful deployment ${lastSuccessful} of group '${group}'`)
    const running = new Set(await listUnfinished(ctx, applicationName, group))
    // The group's own word on its last attempt covers a deployment the listing has not caught up with.
    const attempted = info?.lastAttemptedDeployment
    if (attempted?.deploymentId && ACTIVE_STATUSES.includes(attempted.status as DeploymentStatus))
      running.add(attempted.deploymentId)
    for (const id of running) {
      protect(id, `deployment ${id} in progress in group '${group}'`)
      // A rollback of it redeploys the group's last successful revision.
      if (lastSuccessful && lastSuccessful !== id)
        protect(lastSuccessful, `what auto-rollback of ${id} in group '${group}' restores`)
    }
  }
  const revisions: ProtectedRevision[] = []
  for (const [id, why] of reasons) {
    const s3 = (await readDeployment(ctx, id))?.revision?.s3Location
    // A revision on GitHub or inline holds no S3 object.
    if (!s3?.bucket || !s3.key) continue
    for (const reason of why)
      revisions.push({
        bucket: s3.bucket,
        key: s3.key,
        ...(s3.version ? { version: s3.version } : {}),
        reason
      })
  }
  return revisions
}

async function listGroups(ctx: CodeDeployReads, applicationName: string): Promise<string[]> {
  const groups: string[] = []
  let nextToken: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await callWithRetry(
      'ListDeploymentGroups',
      () =>
        ctx.codedeploy.send(
          new ListDeploymentGroupsCommand({ applicationName, nextToken }),
          abortable(ctx)
        ),
      ctx.retry
    )
    groups.push(...(out.deploymentGroups ?? []))
    nextToken = out.nextToken
    if (!nextToken) return groups
  }
  throw tooManyPages('ListDeploymentGroups', applicationName)
}

async function readGroup(
  ctx: CodeDeployReads,
  applicationName: string,
  group: string
): Promise<DeploymentGroupInfo | undefined> {
  const out = await callWithRetry(
    'GetDeploymentGroup',
    () =>
      ctx.codedeploy.send(
        new GetDeploymentGroupCommand({ applicationName, deploymentGroupName: group }),
        abortable(ctx)
      ),
    ctx.retry
  )
  return out.deploymentGroupInfo
}

async function listUnfinished(
  ctx: CodeDeployReads,
  applicationName: string,
  group: string
): Promise<string[]> {
  const ids: string[] = []
  let nextToken: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await callWithRetry(
      'ListDeployments',
      () =>
        ctx.codedeploy.send(
          new ListDeploymentsCommand({
            applicationName,
            deploymentGroupName: group,
            includeOnlyStatuses: [...ACTIVE_STATUSES],
            nextToken
          }),
          abortable(ctx)
        ),
      ctx.retry
    )
    ids.push(...(out.deployments ?? []))
    nextToken = out.nextToken
    if (!nextToken) return ids
  }
  throw tooManyPages('ListDeployments', `${applicationName}/${group}`)
}

async function readDeployment(
  ctx: CodeDeployReads,
  deploymentId: string
): Promise<DeploymentInfo | undefined> {
  const out = await callWithRetry(
    'GetDeployment',
    () => ctx.codedeploy.send(new GetDeploymentCommand({ deploymentId }), abortable(ctx)),
    ctx.retry
  )
  return out.deploymentInfo
}

function abortable(ctx: CodeDeployReads): { abortSignal?: AbortSignal } {
  return ctx.retry.signal ? { abortSignal: ctx.retry.signal } : {}
}

function tooManyPages(call: string, of: string): Error {
  return new Error(
    `${call} for ${of} still had more after ${MAX_PAGES} pages; the revisions in use could not all be read.`
  )
}
