// failed-replacement-fleet, applied: after a blue/green deployment that copied an Auto Scaling
// group ends Failed or Stopped, keep the copy (a warning with its name, size and the command) or
// delete it. Used by the main step and, after a cancellation, by the post step.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { AwsCallError } from '../../common/errors.js'
import { plural } from '../../common/plural.js'
import { planOf, replacementGroupName } from '../plan.js'
import type { DeployContext } from '../context.js'
import { deleteCommand, deleteCopiedGroup, inspectCopiedGroup } from './deletion.js'
import type { TargetGroups } from '../traffic/target-groups.js'
import type { GroupResult, InstanceView } from '../types.js'

export type ReplacementFleetPolicy = 'keep' | 'delete'

export interface SettleOptions {
  ctx: Pick<DeployContext, 'codedeploy' | 'log' | 'sleep' | 'now' | 'signal' | 'random' | 'traffic'>
  info: DeploymentInfo
  instances: InstanceView[]
  targetGroups: TargetGroups
  policy: ReplacementFleetPolicy
  region: string
}

/** Whether the policy applies: a blue/green copy that ended without success. */
export function leavesReplacementFleet(info: DeploymentInfo): boolean {
  return (
    planOf(info).copiesAutoScalingGroup && (info.status === 'Failed' || info.status === 'Stopped')
  )
}

/** Checked again every few seconds while its only link to the load balancer is a deregistration still draining. */
const DRAIN_POLL_MS = 5000
/** Beyond the target groups' deregistration delay, how long a drain may take to show as done. */
const DRAIN_MARGIN_MS = 30_000

/**
 * The verdict, once no replacement instance is still draining: after a failure CodeDeploy
 * deregisters them, and ELBv2 keeps a target `draining` for up to the deregistration delay.
 * Bounded by that delay (the longest of the target groups) plus a margin.
 */
async function inspectAfterDraining(o: SettleOptions) {
  const { ctx } = o
  let verdict = await inspectCopiedGroup(ctx, o.info, o.instances, o.targetGroups)
  if (verdict.kind !== 'in-use' || !verdict.draining) return verdict
  let delayMs = 0
  for (const g of await o.targetGroups.list())
    delayMs = Math.max(delayMs, (await o.targetGroups.deregistrationDelaySeconds(g)) * 1000)
  const until = ctx.now() + delayMs + DRAIN_MARGIN_MS
  ctx.log.info(
    `The replacement instances are still being deregistered from the load balancer (draining, up to ${delayMs / 1000} s); checking again before touching ${verdict.copy.name}.`
  )
  while (verdict.kind === 'in-use' && verdict.draining && ctx.now() < until) {
    await ctx.sleep(DRAIN_POLL_MS)
    verdict = await inspectCopiedGroup(ctx, o.info, o.instances, o.targetGroups)
  }
  return verdict
}

/** Applies the policy; returns what became of the copy (undefined: there was none). Never throws. */
export async function settleReplacementFleet(
  o: SettleOptions
): Promise<GroupResult['replacementFleet']> {
  const { ctx, info, region } = o
  const { log } = ctx
  if (!leavesReplacementFleet(info) || !ctx.traffic) return undefined
  const id = info.deploymentId ?? ''
  try {
    const verdict = await inspectAfterDraining(o)
    if (verdict.kind === 'none') {
      log.info(
        `Deployment ${id} left no replacement Auto Scaling group (${verdict.name} does not exist).`
      )
      return undefined
    }
    const { copy } = verdict
    const size = plural(copy.instanceIds.length, 'instance')
    if (verdict.kind === 'in-use') {
      const note = `Replacement Auto Scaling group ${copy.name} (${size}) was not deleted: ${verdict.reason}.`
      log.warning(
        `${note} Check it in the EC2 console; once it serves no traffic, delete it with: ${deleteCommand(copy.name, region)}`,
        { title: 'Replacement fleet left running' }
      )
      return { name: copy.name, instances: copy.instanceIds.length, deleted: false, note }
    }
    if (o.policy === 'keep') {
      const note = `Deployment ${id} ${info.status?.toLowerCase()} and left its replacement Auto Scaling group ${copy.name} running (${size}); the traffic stays on the original instances.`
      log.warning(
        `${note} It costs money until deleted: ${deleteCommand(copy.name, region)} (or set failed-replacement-fleet: delete).`,
        { title: 'Replacement fleet left running' }
      )
      return { name: copy.name, instances: copy.instanceIds.length, deleted: false, note }
    }
    const outcome = await deleteCopiedGroup(ctx, copy.name)
    const note =
      outcome === 'deleted'
        ? `Deleted the replacement Auto Scaling group ${copy.name} and its ${size} (failed-replacement-fleet: delete); the traffic stays on the original instances.`
        : `The replacement Auto Scaling group ${copy.name} was already gone.`
    log.info(note)
    return {
      name: copy.name,
      instances: copy.instanceIds.length,
      deleted: outcome === 'deleted',
      note
    }
  } catch (err) {
    const why = err instanceof AwsCallError ? err.describe() : String(err)
    const name = replacementGroupName(info.deploymentGroupName ?? '', id)
    const note = `Could not ${o.policy === 'delete' ? 'delete' : 'check'} the replacement Auto Scaling group ${name}: ${why}`
    log.warning(
      `${note} Check for it in the EC2 console; delete it with: ${deleteCommand(name, region)}`,
      {
        title: 'Replacement fleet not cleaned up'
      }
    )
    return { name, instances: 0, deleted: false, note }
  }
}
