// The replacement fleet a failed or stopped blue/green deployment leaves running: CodeDeploy
// copies the group's Auto Scaling group as CodeDeploy_<group>_<deployment id> and does not delete
// it when the deployment fails. Find it, prove it was made for this deployment and serves no
// traffic, then keep it (a warning with the command) or delete it (ForceDelete).
import {
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  type AutoScalingGroup
} from '@aws-sdk/client-auto-scaling'
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { errorCode } from '../../aws/aws-errors.js'
import { callServiceWithRetry, fewAttempts } from '../../aws/retry.js'
import { firstAndMore, plural } from '../../common/plural.js'
import { replacementGroupName } from '../plan.js'
import type { DeployContext } from '../context.js'
import { autoScalingGroupsOf } from '../codedeploy/reads.js'
import { isRegistered, TargetGroups } from '../traffic/target-groups.js'
import type { InstanceView } from '../types.js'

/** Clock skew allowed between CodeDeploy's createTime and Auto Scaling's CreatedTime. */
const CLOCK_SKEW_MS = 5 * 60_000

/** The Auto Scaling group CodeDeploy copied as a blue/green deployment's replacement instances. */
export interface CopiedGroup {
  name: string
  instanceIds: string[]
}

export type CopiedGroupVerdict =
  /** No such group (never created, or already gone). */
  | { kind: 'none'; name: string }
  /** It exists but must not be deleted, for `reason`; `draining`: only because targets are still being deregistered. */
  | { kind: 'in-use'; copy: CopiedGroup; reason: string; draining?: boolean }
  | { kind: 'deletable'; copy: CopiedGroup }

type Ctx = Pick<DeployContext, 'codedeploy' | 'log' | 'sleep' | 'signal' | 'random' | 'traffic'>

async function describeGroup(ctx: Ctx, name: string): Promise<AutoScalingGroup | undefined> {
  const autoScaling = await ctx.traffic!.autoScaling()
  const out = await callServiceWithRetry(
    'Auto Scaling DescribeAutoScalingGroups',
    () => autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
    fewAttempts(ctx, 3),
    { iamActions: ['autoscaling:DescribeAutoScalingGroups'] }
  )
  return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name)
}

/**
 * Whether the deployment's copied Auto Scaling group exists, and whether it may be deleted: its
 * name is this deployment's, it was created after the deployment, it holds only this deployment's
 * replacement (Green) instances, it is attached to no target group, the deployment group does not
 * use it, and none of its instances is registered in the deployment's target groups.
 */
export async function inspectCopiedGroup(
  ctx: Ctx,
  info: DeploymentInfo,
  instances: InstanceView[],
  targetGroups: TargetGroups
): Promise<CopiedGroupVerdict> {
  const name = replacementGroupName(info.deploymentGroupName ?? '', info.deploymentId ?? '')
  const group = await describeGroup(ctx, name)
  if (!group || group.Status === 'Delete in progress') return { kind: 'none', name }
  const copy: CopiedGroup = {
    name,
    instanceIds: (group.Instances ?? []).map((i) => i.InstanceId ?? '').filter(Boolean)
  }
  const inUse = (reason: string): CopiedGroupVerdict => ({ kind: 'in-use', copy, reason })

  const created = info.createTime?.getTime()
  if (
    created !== undefined &&
    group.CreatedTime &&
    group.CreatedTime.getTime() < created - CLOCK_SKEW_MS
  )
    return inUse(
      `it was created at ${group.CreatedTime.toISOString()}, before deployment ${info.deploymentId} (${info.createTime?.toISOString()}), so this deployment did not create it`
    )
  const green = new Set(instances.filter((i) => i.label === 'Green').map((i) => i.instanceId))
  const foreign = instances.length ? copy.instanceIds.filter((id) => !green.has(id)) : []
  if (foreign.length)
    return inUse(
      `it holds instances that are not this deployment's replacement instances (${firstAndMore(foreign, 3)})`
    )
  const attached = [...(group.TargetGroupARNs ?? []), ...(group.LoadBalancerNames ?? [])]
  if (attached.length)
    return inUse(
      `it is attached to ${plural(attached.length, 'load balancer target')}: ${attached[0]}`
    )
  if ((await autoScalingGroupsOf(ctx, info)).includes(name))
    return inUse(
      `deployment group '${info.deploymentGroupName}' uses it as its Auto Scaling group now`
    )
  if (copy.instanceIds.length && targetGroups.names.length) {
    const registered = (await targetGroups.health(copy.instanceIds)).filter((h) =>
      isRegistered(h.state)
    )
    const first = registered.find((h) => h.state !== 'draining') ?? registered[0]
    if (first)
      return {
        ...inUse(
          `its instance ${first.instanceId} is registered in target group '${first.targetGroup}' (${first.state}), so it may serve traffic`
        ),
        ...(registered.every((h) => h.state === 'draining') ? { draining: true } : {})
      } as CopiedGroupVerdict
  }
  return { kind: 'deletable', copy }
}

/** The command a user runs to delete the group by hand. */
export function deleteCommand(name: string, region: string): string {
  return `aws autoscaling delete-auto-scaling-group --auto-scaling-group-name ${name} --force-delete${region ? ` --region ${region}` : ''}`
}

/** DeleteAutoScalingGroup with ForceDelete: the group and its instances are terminated. */
export async function deleteCopiedGroup(ctx: Ctx, name: string): Promise<'deleted' | 'gone'> {
  const autoScaling = await ctx.traffic!.autoScaling()
  try {
    await callServiceWithRetry(
      'Auto Scaling DeleteAutoScalingGroup',
      () =>
        autoScaling.send(
          new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })
        ),
      fewAttempts(ctx, 3),
      {
        iamActions: ['autoscaling:DeleteAutoScalingGroup'],
        resource: `autoScalingGroupName/${name}`,
        byCode: {
          ResourceInUseFault: `Auto Scaling says the group is in use: delete it by hand once its activities end.`,
          ScalingActivityInProgressFault: `A scaling activity is running: delete it by hand once it ends.`
        }
      }
    )
    return 'deleted'
  } catch (err) {
    // Gone in between (someone else deleted it): nothing left to do.
    if (/not found/i.test(String((err as Error).message)) && errorCode(err) === 'ValidationError')
      return 'gone'
    throw err
  }
}
