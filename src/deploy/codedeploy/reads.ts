// The one-shot reads of CodeDeploy: a deployment (GetDeployment) and its group's Auto Scaling
// groups (GetDeploymentGroup), each retried on transient errors.
import {
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  type DeploymentConfigInfo,
  type DeploymentGroupInfo,
  type DeploymentInfo
} from '@aws-sdk/client-codedeploy'
import { callWithRetry, fewAttempts } from '../../aws/retry.js'
import type { DeployContext } from '../context.js'

/** What a single call needs of the run's context. */
export type ReadContext = Pick<DeployContext, 'codedeploy' | 'log' | 'sleep' | 'signal' | 'random'>

/** GetDeployment once (retried on transient errors). */
export async function readDeployment(
  ctx: ReadContext,
  deploymentId: string
): Promise<DeploymentInfo> {
  const out = await callWithRetry(
    'GetDeployment',
    () => ctx.codedeploy.send(new GetDeploymentCommand({ deploymentId })),
    fewAttempts(ctx, 4),
    () =>
      `Check that deployment ${deploymentId} exists in this region, and that the role may call codedeploy:GetDeployment.`
  )
  return out.deploymentInfo ?? {}
}

/**
 * The deployment group's Auto Scaling groups now: the one a blue/green deployment copies, and
 * after a success the copy. `signal` bounds a best-effort read.
 */
export async function autoScalingGroupsOf(
  ctx: ReadContext,
  info: DeploymentInfo,
  signal?: AbortSignal
): Promise<string[]> {
  const out = await callWithRetry(
    'GetDeploymentGroup',
    () =>
      ctx.codedeploy.send(
        new GetDeploymentGroupCommand({
          applicationName: info.applicationName,
          deploymentGroupName: info.deploymentGroupName
        }),
        signal ? { abortSignal: signal } : {}
      ),
    fewAttempts(ctx, 3),
    () => 'Grant codedeploy:GetDeploymentGroup on the deployment group.'
  )
  return (out.deploymentGroupInfo?.autoScalingGroups ?? []).map((g) => g.name ?? '').filter(Boolean)
}

/**
 * One read for a failure's advice: retried a little, and on failure a line saying what could not
 * be read (the advice then says less), never an error.
 */
async function bestEffort<T>(
  ctx: ReadContext,
  call: string,
  what: string,
  send: () => Promise<T>,
  check: string
): Promise<T | undefined> {
  try {
    return await callWithRetry(call, send, fewAttempts(ctx, 3), () => check)
  } catch (err) {
    ctx.log.info(`Could not read ${what}: ${String(err)}`)
    return undefined
  }
}

/** GetDeploymentGroup, best effort. */
export async function readDeploymentGroup(
  ctx: ReadContext,
  applicationName: string,
  deploymentGroupName: string
): Promise<DeploymentGroupInfo | undefined> {
  const out = await bestEffort(
    ctx,
    'GetDeploymentGroup',
    `deployment group '${deploymentGroupName}'`,
    () =>
      ctx.codedeploy.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName })),
    'Grant codedeploy:GetDeploymentGroup on the deployment group.'
  )
  return out?.deploymentGroupInfo
}

/** GetDeploymentConfig, best effort: the configuration's minimum healthy hosts. */
export async function readDeploymentConfig(
  ctx: ReadContext,
  deploymentConfigName: string
): Promise<DeploymentConfigInfo | undefined> {
  const out = await bestEffort(
    ctx,
    'GetDeploymentConfig',
    `deployment configuration '${deploymentConfigName}'`,
    () => ctx.codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName })),
    'Grant codedeploy:GetDeploymentConfig on the deployment configuration.'
  )
  return out?.deploymentConfigInfo
}

/** GetDeployment, best effort (for a deployment other than the one followed). */
export async function tryReadDeployment(
  ctx: ReadContext,
  deploymentId: string
): Promise<DeploymentInfo | undefined> {
  const out = await bestEffort(
    ctx,
    'GetDeployment',
    `deployment ${deploymentId}`,
    () => ctx.codedeploy.send(new GetDeploymentCommand({ deploymentId })),
    'Grant codedeploy:GetDeployment on the deployment group.'
  )
  return out?.deploymentInfo
}
