// The one-shot reads of CodeDeploy: a deployment (GetDeployment) and its group's Auto Scaling
// groups (GetDeploymentGroup), each retried on transient errors.
import {
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
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
