// After a failure: CodeDeploy's automatic rollback, found, followed to its end and put in words.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { deploymentConsoleUrl } from '../codedeploy/console-url.js'
import { findRollbackId } from '../codedeploy/rollback.js'
import { waitForDeployment } from '../codedeploy/wait.js'
import type { GroupResult } from '../types.js'
import type { GroupRun } from './group-run.js'
import { endedText, errorText } from './result.js'

/** Finds CodeDeploy's rollback of a failed deployment and follows it to its end; returns a sentence for the error. */
export async function followRollback(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo,
  deadline: number
): Promise<string> {
  const { ctx, region } = run
  const { log } = ctx
  const rollbackId = await findRollbackId({ ...ctx, deploymentId: r.id, info })
  if (!rollbackId) return ''
  r.rollbackId = rollbackId
  r.rollbackUrl = deploymentConsoleUrl(region, rollbackId)
  log.info(
    `CodeDeploy is rolling back: deployment ${rollbackId} returns the instances to the last successful revision. ${r.rollbackUrl}`
  )
  const w = await waitForDeployment({
    ...ctx,
    deploymentId: rollbackId,
    deadline,
    trackInstances: false
  })
  r.rollbackStatus = w.info?.status ?? 'Unknown'
  if (w.kind !== 'terminal') {
    log.info(
      `Rollback ${rollbackId} had not ended when waiting stopped (status ${r.rollbackStatus}). ${r.rollbackUrl}`
    )
    return ` Rollback ${rollbackId} is ${r.rollbackStatus}.`
  }
  if (r.rollbackStatus === 'Succeeded') {
    log.info(`Rollback ${rollbackId} succeeded: the instances run the previous revision again.`)
    return ` CodeDeploy rolled back (${rollbackId} succeeded).`
  }
  log.error(
    `Rollback ${rollbackId} ${r.rollbackStatus}${errorText(w.info)}. Check the instances: ${r.rollbackUrl}`,
    { title: `CodeDeploy rollback ${rollbackId} ${r.rollbackStatus.toLowerCase()}` }
  )
  return ` The rollback ${rollbackId} also ${endedText(r.rollbackStatus)}.`
}
