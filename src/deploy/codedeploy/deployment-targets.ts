// A deployment's instances, as CodeDeploy's deployment targets (not the load balancer's target
// groups: traffic/): ListDeploymentTargets (paged) then BatchGetDeploymentTargets (25 ids a call).
import type { ReadContext } from './reads.js'
import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand,
  type DeploymentTarget
} from '@aws-sdk/client-codedeploy'
import { AwsCallError } from '../../common/errors.js'
import { isAccessDenied } from '../../aws/aws-errors.js'
import { callWithRetry } from '../../aws/retry.js'
import type { InstanceView, LifecycleEventView } from '../types.js'

/** CodeDeploy's limit for BatchGetDeploymentTargets. */
export const TARGETS_PER_BATCH = 25

export interface DeploymentTargetsClient extends ReadContext {
  /** Attempts per call (default: callWithRetry's). */
  attempts?: number
}

const TARGETS_CHECK =
  'Per-instance details need the IAM actions codedeploy:ListDeploymentTargets and codedeploy:BatchGetDeploymentTargets.'

/** All target ids of a deployment; empty while CodeDeploy has not started it (DeploymentNotStartedException). */
export async function listTargetIds(
  deploymentId: string,
  c: DeploymentTargetsClient
): Promise<string[]> {
  const ids: string[] = []
  let nextToken: string | undefined
  do {
    try {
      const page = await callWithRetry(
        'ListDeploymentTargets',
        () =>
          c.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }), {
            abortSignal: c.signal
          }),
        c,
        (err) => (isAccessDenied(err) ? TARGETS_CHECK : undefined)
      )
      ids.push(...(page.targetIds ?? []))
      nextToken = page.nextToken || undefined
    } catch (err) {
      if (err instanceof AwsCallError && err.code === 'DeploymentNotStartedException') return []
      throw err
    }
  } while (nextToken)
  return ids
}

export function toInstanceView(target: DeploymentTarget): InstanceView | undefined {
  const t = target.instanceTarget
  if (!t?.targetId) return undefined
  const events: LifecycleEventView[] = (t.lifecycleEvents ?? []).map((e) => ({
    name: e.lifecycleEventName ?? 'Unknown',
    status: e.status ?? 'Unknown',
    startedAt: e.startTime,
    endedAt: e.endTime,
    errorCode: e.diagnostics?.errorCode,
    script: e.diagnostics?.scriptName,
    message: e.diagnostics?.message,
    logTail: e.diagnostics?.logTail
  }))
  return {
    instanceId: t.targetId,
    status: t.status ?? 'Unknown',
    events,
    ...(t.lastUpdatedAt ? { lastUpdatedAt: t.lastUpdatedAt } : {}),
    ...(t.instanceLabel ? { label: t.instanceLabel } : {})
  }
}

/** The instances with these ids, in the order given. */
export async function getInstances(
  deploymentId: string,
  targetIds: string[],
  c: DeploymentTargetsClient
): Promise<InstanceView[]> {
  const views: InstanceView[] = []
  for (let i = 0; i < targetIds.length; i += TARGETS_PER_BATCH) {
    const batch = targetIds.slice(i, i + TARGETS_PER_BATCH)
    const out = await callWithRetry(
      'BatchGetDeploymentTargets',
      () =>
        c.codedeploy.send(
          new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: batch }),
          {
            abortSignal: c.signal
          }
        ),
      c,
      (err) => (isAccessDenied(err) ? TARGETS_CHECK : undefined)
    )
    for (const t of out.deploymentTargets ?? []) {
      const view = toInstanceView(t)
      if (view) views.push(view)
    }
  }
  const order = new Map(targetIds.map((id, idx) => [id, idx]))
  return views.sort((a, b) => (order.get(a.instanceId) ?? 0) - (order.get(b.instanceId) ?? 0))
}

/** Every instance of a deployment with its lifecycle events. */
export async function fetchInstances(
  deploymentId: string,
  c: DeploymentTargetsClient
): Promise<InstanceView[]> {
  return getInstances(deploymentId, await listTargetIds(deploymentId, c), c)
}
