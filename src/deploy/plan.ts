// What a deployment's style says will happen, in place or blue/green, read from GetDeployment
// (deploymentStyle, blueGreenDeploymentConfiguration, loadBalancerInfo). Pure: the one-line plan,
// the termination wait against wait-timeout, when the traffic has moved, and the name of the
// Auto Scaling group a blue/green deployment copies. Shared by the run and the replacement fleet.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import { minutesText } from '../common/duration.js'

/** CodeDeploy's default termination wait when the group names none. */
export const DEFAULT_TERMINATION_WAIT_MINUTES = 60

export interface DeploymentPlan {
  blueGreen: boolean
  /** In place or blue/green with a load balancer: BlockTraffic and AllowTraffic run. */
  trafficControl: boolean
  targetGroups: string[]
  /** Blue/green: the replacement fleet is a copy of this Auto Scaling group (COPY_AUTO_SCALING_GROUP). */
  copiesAutoScalingGroup: boolean
  /** Blue/green: Ready waits for ContinueDeployment (STOP_DEPLOYMENT) instead of rerouting by itself. */
  manualReroute: boolean
  /** With manualReroute: minutes before CodeDeploy stops a deployment nobody continued; otherwise the wait before rerouting. */
  readyWaitMinutes: number
  /** Blue/green: what becomes of the original instances after the reroute. */
  originalInstances: 'terminate' | 'keep'
  terminationWaitMinutes: number
}

export function planOf(info: DeploymentInfo): DeploymentPlan {
  const style = info.deploymentStyle
  const bg = info.blueGreenDeploymentConfiguration
  const targetGroups = [
    ...(info.loadBalancerInfo?.targetGroupInfoList ?? []),
    ...(info.loadBalancerInfo?.elbInfoList ?? [])
  ]
    .map((t) => t.name ?? '')
    .filter(Boolean)
  const blueGreen = style?.deploymentType === 'BLUE_GREEN'
  const terminate = bg?.terminateBlueInstancesOnDeploymentSuccess
  return {
    blueGreen,
    trafficControl: style?.deploymentOption === 'WITH_TRAFFIC_CONTROL' || targetGroups.length > 0,
    targetGroups,
    copiesAutoScalingGroup:
      blueGreen && bg?.greenFleetProvisioningOption?.action === 'COPY_AUTO_SCALING_GROUP',
    manualReroute: bg?.deploymentReadyOption?.actionOnTimeout === 'STOP_DEPLOYMENT',
    readyWaitMinutes: bg?.deploymentReadyOption?.waitTimeInMinutes ?? 0,
    originalInstances: terminate?.action === 'KEEP_ALIVE' ? 'keep' : 'terminate',
    terminationWaitMinutes:
      terminate?.terminationWaitTimeInMinutes ?? DEFAULT_TERMINATION_WAIT_MINUTES
  }
}

function listText(names: string[]): string {
  return names.map((n) => `'${n}'`).join(', ')
}

/**
 * One line: what this deployment will do. `sourceGroups` are the deployment group's Auto Scaling
 * groups when known (GetDeployment does not name the one copied).
 */
export function planLine(plan: DeploymentPlan, sourceGroups: string[] = []): string {
  const lb = plan.targetGroups.length ? ` behind target group ${listText(plan.targetGroups)}` : ''
  if (!plan.blueGreen)
    return plan.trafficControl
      ? `in place with traffic control${lb}: each instance is deregistered (BlockTraffic) before its install and registered again (AllowTraffic) once it passes the health checks.`
      : 'in place: the revision is installed on the existing instances.'
  return `blue/green${lb}: ${replacementText(plan, sourceGroups)}, ${rerouteText(plan)}, ${originalsText(plan)}.`
}

/** Where the replacement instances come from. */
function replacementText(plan: DeploymentPlan, sourceGroups: string[]): string {
  if (!plan.copiesAutoScalingGroup) return 'installs on the replacement instances already running'
  const copied = sourceGroups.length ? listText(sourceGroups) : 'of the deployment group'
  return `copies Auto Scaling group ${copied} as the replacement fleet`
}

/** When the traffic moves to the replacement instances. */
function rerouteText(plan: DeploymentPlan): string {
  if (plan.manualReroute)
    return `waits in Ready for a ContinueDeployment (stopped after ${minutesText(plan.readyWaitMinutes)}), then reroutes`
  if (plan.readyWaitMinutes > 0)
    return `reroutes ${minutesText(plan.readyWaitMinutes)} after the install`
  return 'reroutes after the install'
}

/** What becomes of the original instances after the reroute. */
function originalsText(plan: DeploymentPlan): string {
  if (plan.originalInstances === 'keep')
    return 'keeps the original instances running, out of the load balancer'
  if (plan.terminationWaitMinutes > 0)
    return `terminates the original instances ${minutesText(plan.terminationWaitMinutes)} later`
  return 'terminates the original instances right after'
}

/**
 * With wait-until: succeeded, a blue/green deployment stays InProgress through its termination
 * wait: a wait-timeout shorter than that wait alone times out a deployment that went well.
 */
export function terminationWaitWarning(
  plan: DeploymentPlan,
  waitTimeoutMinutes: number
): string | undefined {
  if (!plan.blueGreen || plan.originalInstances !== 'terminate') return undefined
  if (plan.terminationWaitMinutes <= waitTimeoutMinutes) return undefined
  return `The deployment group terminates the original instances ${minutesText(plan.terminationWaitMinutes)} after the reroute, and CodeDeploy reports the deployment InProgress until then: longer than wait-timeout (${minutesText(waitTimeoutMinutes)}), so this step will time out on a deployment that went well. Set wait-until: traffic-rerouted to end the step once the traffic has moved, or raise wait-timeout above ${plan.terminationWaitMinutes}.`
}

/** The traffic is on the replacement instances and they passed their health checks. */
export function trafficRerouted(info: DeploymentInfo): boolean {
  return (
    info.deploymentStyle?.deploymentType === 'BLUE_GREEN' &&
    info.status === 'InProgress' &&
    info.instanceTerminationWaitTimeStarted === true
  )
}

/** The Auto Scaling group CodeDeploy creates for a blue/green deployment's replacement fleet. */
export function replacementGroupName(deploymentGroup: string, deploymentId: string): string {
  return `CodeDeploy_${deploymentGroup}_${deploymentId}`
}

/** When the original instances will be terminated, seen from `now` when the termination wait has just started. */
export function terminationText(plan: DeploymentPlan, now: number): string {
  if (plan.originalInstances === 'keep') return 'The original instances keep running.'
  const at = new Date(now + plan.terminationWaitMinutes * 60_000)
  return `CodeDeploy terminates the original instances after its termination wait of ${minutesText(plan.terminationWaitMinutes)}, at about ${at.toISOString().replace(/\.\d+Z$/, 'Z')}; end the wait sooner with continue-deployment and continue-termination: true.`
}
