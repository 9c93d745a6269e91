// ContinueDeployment: start the reroute of a blue/green deployment in Ready (READY_WAIT), or end
// its termination wait (TERMINATION_WAIT). CodeDeploy's refusals become the user's next step.
import { ContinueDeploymentCommand, type DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { callWithRetry, fewAttempts } from '../../aws/retry.js'
import { ActionError, AwsCallError } from '../../common/errors.js'
import { readDeployment, type ReadContext } from './reads.js'

export type WaitType = 'READY_WAIT' | 'TERMINATION_WAIT'

/** Where a deployment is, in words, for the errors below. */
function stateText(info: DeploymentInfo): string {
  if (info.status === 'InProgress' && info.instanceTerminationWaitTimeStarted)
    return 'InProgress, in its termination wait (the traffic is already on the replacement instances)'
  return info.status ?? 'unknown'
}

/** The fix for a ContinueDeployment that CodeDeploy refused, from the deployment's state now. */
function refusal(err: AwsCallError, id: string, info: DeploymentInfo | undefined): ActionError {
  const state = info ? stateText(info) : 'in a state that cannot be continued'
  const inTermination = info?.status === 'InProgress' && info.instanceTerminationWaitTimeStarted
  switch (err.code) {
    case 'DeploymentAlreadyCompletedException':
      return new ActionError(
        `Deployment ${id} cannot be continued: it already ended (${info?.status ?? 'completed'}).`,
        'Nothing is left to continue: check its result in the console, or deploy again.'
      )
    case 'UnsupportedActionForDeploymentTypeException':
      return new ActionError(
        `Deployment ${id} cannot be continued: it is an in-place deployment, which never waits for a reroute.`,
        'Use continue-deployment only with a blue/green deployment.'
      )
    case 'DeploymentIsNotInReadyStateException':
      return new ActionError(
        `Deployment ${id} cannot be continued: it is ${state}, not Ready.`,
        inTermination
          ? 'To terminate the original instances now, add continue-termination: true.'
          : 'Continue it once it is Ready (the replacement instances installed); run the first job with on-ready: finish so that it ends there.'
      )
    case 'InvalidDeploymentStatusException':
      return new ActionError(
        `Deployment ${id}'s termination wait cannot be ended: it is ${state}.`,
        info?.status === 'Ready'
          ? 'It waits for the traffic switch: remove continue-termination to reroute it.'
          : 'Only a blue/green deployment in its termination wait (after the reroute, with TERMINATE) can end it early.'
      )
    default:
      return err
  }
}

/**
 * The ContinueDeployment call (the continue-deployment setting and the pipeline's continue path
 * end here). A refusal is explained from a fresh GetDeployment; other errors name the
 * call and what to grant.
 */
export async function sendContinueDeployment(
  ctx: ReadContext,
  deploymentId: string,
  waitType: WaitType
): Promise<void> {
  try {
    await callWithRetry(
      'ContinueDeployment',
      () =>
        ctx.codedeploy.send(
          new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: waitType })
        ),
      fewAttempts(ctx, 4),
      () =>
        `Grant codedeploy:ContinueDeployment on the deployment group to the role this workflow runs as.`
    )
  } catch (err) {
    if (!(err instanceof AwsCallError)) throw err
    const info = await readDeployment(ctx, deploymentId).catch(() => undefined)
    throw refusal(err, deploymentId, info)
  }
}
