// Records to the API's JSON shapes (timestamps as epoch seconds, as AWS JSON 1.1 sends them).
import { instanceArn } from '../core/ids.ts'
import type { Deployment, Group, Target } from './model.ts'

export const seconds = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms / 1000

export function loadBalancerInfo(targetGroups: string[]): Record<string, unknown> {
  return { targetGroupInfoList: targetGroups.map((name) => ({ name })) }
}

export function deploymentOverview(d: Deployment): Record<string, number> {
  const o = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 }
  for (const t of d.targets.values()) {
    if (t.status in o) o[t.status as keyof typeof o]++
  }
  return o
}

export function deploymentInfo(d: Deployment, group: Group): Record<string, unknown> {
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.groupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.id,
    ...(d.previousRevision ? { previousRevision: d.previousRevision } : {}),
    revision: d.revision,
    status: d.status,
    ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
    createTime: seconds(d.createTime),
    ...(d.startTime ? { startTime: seconds(d.startTime) } : {}),
    ...(d.completeTime ? { completeTime: seconds(d.completeTime) } : {}),
    ...(d.status === 'Created' ? {} : { deploymentOverview: deploymentOverview(d) }),
    ...(d.description !== undefined ? { description: d.description } : {}),
    creator: d.creator,
    ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
    autoRollbackConfiguration: d.autoRollbackConfiguration ??
      group.config.autoRollback ?? { enabled: false, events: [] },
    updateOutdatedInstancesOnly: d.updateOutdatedInstancesOnly,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: d.deploymentStyle,
    ...(d.blueGreen ? { blueGreenDeploymentConfiguration: d.blueGreen } : {}),
    ...(d.targetGroups.length ? { loadBalancerInfo: loadBalancerInfo(d.targetGroups) } : {}),
    ...(d.targetAutoScalingGroups
      ? { targetInstances: { autoScalingGroups: d.targetAutoScalingGroups } }
      : {}),
    instanceTerminationWaitTimeStarted: d.instanceTerminationWaitTimeStarted,
    fileExistsBehavior: d.fileExistsBehavior ?? 'DISALLOW',
    deploymentStatusMessages: [],
    computePlatform: 'Server'
  }
}

export function instanceTarget(d: Deployment, t: Target): Record<string, unknown> {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId: d.id,
      targetId: t.instanceId,
      targetArn: instanceArn(t.instanceId),
      status: t.status,
      ...(t.label ? { instanceLabel: t.label } : {}),
      lastUpdatedAt: seconds(t.lastUpdatedAt),
      lifecycleEvents: t.lifecycleEvents.map((e) => ({
        lifecycleEventName: e.lifecycleEventName,
        ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
        ...(e.startTime ? { startTime: seconds(e.startTime) } : {}),
        ...(e.endTime ? { endTime: seconds(e.endTime) } : {}),
        status: e.status
      }))
    }
  }
}

export function deploymentGroupInfo(g: Group, serviceRoleArn: string): Record<string, unknown> {
  const summary = (d: Deployment | undefined) =>
    d && {
      deploymentId: d.id,
      status: d.status,
      ...(d.completeTime ? { endTime: seconds(d.completeTime) } : {}),
      createTime: seconds(d.createTime)
    }
  return {
    applicationName: g.applicationName,
    deploymentGroupId: g.id,
    deploymentGroupName: g.config.name,
    deploymentConfigName: g.config.deploymentConfig,
    ec2TagFilters:
      g.config.instances > 0 || g.autoScalingGroups.length === 0
        ? [{ Key: 'DeploymentGroup', Value: g.config.name, Type: 'KEY_AND_VALUE' }]
        : [],
    onPremisesInstanceTagFilters: [],
    // CodeDeploy installs a launch lifecycle hook on each group it deploys to.
    autoScalingGroups: g.autoScalingGroups.map((name) => ({
      name,
      hook: `CodeDeploy-managed-automatic-launch-deployment-hook-${g.config.name}-${g.id.slice(0, 8)}`
    })),
    serviceRoleArn,
    ...(g.lastSuccessful ? { targetRevision: g.lastSuccessful.revision } : {}),
    triggerConfigurations: [],
    alarmConfiguration: g.config.alarmConfiguration ?? {
      enabled: false,
      ignorePollAlarmFailure: false,
      alarms: []
    },
    autoRollbackConfiguration: g.config.autoRollback ?? { enabled: false, events: [] },
    deploymentStyle: g.config.deploymentStyle,
    ...(g.config.blueGreen ? { blueGreenDeploymentConfiguration: g.config.blueGreen } : {}),
    ...(g.config.targetGroups.length
      ? { loadBalancerInfo: loadBalancerInfo(g.config.targetGroups) }
      : {}),
    outdatedInstancesStrategy: 'UPDATE',
    ...(g.lastSuccessful ? { lastSuccessfulDeployment: summary(g.lastSuccessful) } : {}),
    ...(g.lastAttempted ? { lastAttemptedDeployment: summary(g.lastAttempted) } : {}),
    computePlatform: 'Server',
    terminationHookEnabled: false
  }
}
