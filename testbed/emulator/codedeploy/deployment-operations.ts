// CodeDeploy's operations on deployments and their targets: create, read, list, continue, stop.
import { AwsError } from '../core/aws-error.ts'
import type { FileExistsBehavior } from '../hosts/appspec/appspec.ts'
import type { Engine } from './engine.ts'
import {
  deploymentFilter,
  lookups,
  optString,
  page,
  required,
  revision,
  rollbackConfig,
  type Input
} from './inputs.ts'
import type { Deployment, Target, TargetStatus } from './model.ts'
import type { Operation } from './operations.ts'
import { deploymentInfo, instanceTarget } from './serialize.ts'

const MAX_TARGET_IDS = 25
const DESCRIPTION_MAX = 256
const TERMINAL = ['Succeeded', 'Failed', 'Stopped']

function mustHaveStarted(d: Deployment): void {
  if (d.status === 'Created' || d.status === 'Queued')
    throw new AwsError('DeploymentNotStartedException', 'The specified deployment has not started.')
}

function mustNotHaveCompleted(d: Deployment): void {
  if (TERMINAL.includes(d.status))
    throw new AwsError(
      'DeploymentAlreadyCompletedException',
      `The deployment ${d.id} has already completed.`
    )
}

function target(d: Deployment, id: string): Target {
  const t = d.targets.get(id)
  if (!t)
    throw new AwsError(
      'DeploymentTargetDoesNotExistException',
      `The provided target ID does not belong to the deployment ${d.id}.`
    )
  return t
}

export function deploymentOperations(engine: Engine): Record<string, Operation> {
  const { registry } = engine
  const world = () => registry.backends.codedeploy
  const { application, group, deployment, groupOf } = lookups(world)

  return {
    CreateDeployment(input) {
      const app = application(input)
      const g = group(input, app)
      const configName = optString(input, 'deploymentConfigName') ?? g.config.deploymentConfig
      if (!world().deploymentConfigs.has(configName)) {
        throw new AwsError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${configName}`
        )
      }
      const description = optString(input, 'description')
      if (description !== undefined && description.length > DESCRIPTION_MAX) {
        throw new AwsError(
          'DescriptionTooLongException',
          `The description is too long. Descriptions can be up to ${DESCRIPTION_MAX} characters.`
        )
      }
      const rev = revision(input)
      const feb = optString(input, 'fileExistsBehavior')
      if (feb !== undefined && !['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(feb)) {
        throw new AwsError(
          'InvalidFileExistsBehaviorException',
          `Invalid file exists behavior: ${feb}. Valid values are DISALLOW, OVERWRITE and RETAIN.`
        )
      }
      const rollback = rollbackConfig(input)
      const targetInstances = input.targetInstances as Input | undefined
      const targetAsgs = targetInstances?.autoScalingGroups as string[] | undefined
      if (g.config.blueGreen?.greenFleetProvisioningOption.action === 'DISCOVER_EXISTING') {
        if (!targetAsgs?.length)
          throw new AwsError(
            'InvalidTargetInstancesException',
            "The test bed discovers replacement instances only by targetInstances.autoScalingGroups: name the replacement fleet's Auto Scaling groups."
          )
        for (const n of targetAsgs)
          if (!registry.backends.autoscaling.groups.has(n))
            throw new AwsError(
              'InvalidAutoScalingGroupException',
              `Auto Scaling group ${n} does not exist.`
            )
      }
      if (g.active) {
        throw new AwsError(
          'DeploymentLimitExceededException',
          `The Deployment Group '${g.config.name}' already has an active Deployment '${g.active.id}'`
        )
      }
      const d = engine.create({
        group: g,
        deploymentConfigName: configName,
        description,
        revision: rev,
        fileExistsBehavior: feb as FileExistsBehavior | undefined,
        ignoreApplicationStopFailures: input.ignoreApplicationStopFailures === true,
        updateOutdatedInstancesOnly: input.updateOutdatedInstancesOnly === true,
        autoRollbackConfiguration: rollback,
        ...(targetAsgs?.length ? { targetAutoScalingGroups: targetAsgs } : {})
      })
      return { deploymentId: d.id }
    },

    GetDeployment(input) {
      const d = deployment(input)
      return { deploymentInfo: deploymentInfo(d, groupOf(d)) }
    },

    BatchGetDeployments(input) {
      const ids = (input.deploymentIds ?? []) as string[]
      if (ids.length > 25)
        throw new AwsError(
          'BatchLimitExceededException',
          'The maximum number of names or IDs allowed for this request (25) was exceeded.'
        )
      const out = []
      for (const id of ids) {
        const d = world().deployments.get(id)
        if (d) out.push(deploymentInfo(d, groupOf(d)))
      }
      return { deploymentsInfo: out }
    },

    ContinueDeployment(input) {
      const d = deployment(input)
      const type = optString(input, 'deploymentWaitType') ?? 'READY_WAIT'
      if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT')
        throw new AwsError('InvalidDeploymentWaitTypeException', 'The wait type is invalid.')
      mustNotHaveCompleted(d)
      if (!d.blueGreen) {
        throw new AwsError(
          'UnsupportedActionForDeploymentTypeException',
          'A call was submitted that is not supported for the specified deployment type.'
        )
      }
      if (!engine.continueDeployment(d, type)) {
        if (type === 'READY_WAIT')
          throw new AwsError(
            'DeploymentIsNotInReadyStateException',
            "The deployment does not have a status of Ready and can't continue yet."
          )
        throw new AwsError(
          'InvalidDeploymentStatusException',
          "The specified deployment status doesn't exist or cannot be determined."
        )
      }
      return {}
    },

    StopDeployment(input) {
      const d = deployment(input)
      mustNotHaveCompleted(d)
      const auto = input.autoRollbackEnabled
      engine.stopDeployment(d, typeof auto === 'boolean' ? auto : undefined)
      return {
        status: 'Pending',
        statusMessage: 'Stopping Pending. Stopping to schedule commands in the deployment instances'
      }
    },

    // Newest first (**guess**: the API reference gives no order). "If applicationName is
    // specified, then deploymentGroupName must be specified", and the other way round.
    ListDeployments(input) {
      const appName = optString(input, 'applicationName')
      if (optString(input, 'deploymentGroupName') && !appName)
        throw new AwsError(
          'ApplicationNameRequiredException',
          'Application name must be specified when a deployment group name is.'
        )
      const g = appName ? group(input, application(input)) : undefined
      const wanted = deploymentFilter(input)
      const ids = world().order.filter((id) => {
        const d = world().deployments.get(id)!
        return (!g || (d.applicationName === appName && d.groupName === g.config.name)) && wanted(d)
      })
      const p = page(ids, optString(input, 'nextToken'))
      return { deployments: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    },

    ListDeploymentTargets(input) {
      const d = deployment(input)
      mustHaveStarted(d)
      let targets = [...d.targets.values()]
      const filters = (input.targetFilters ?? {}) as Record<string, string[]>
      for (const name of Object.keys(filters)) {
        if (name !== 'TargetStatus' && name !== 'ServerInstanceLabel') {
          throw new AwsError(
            'InvalidTargetFilterNameException',
            `The target filter name ${name} is invalid.`
          )
        }
      }
      if (filters.TargetStatus?.length) {
        targets = targets.filter((t) => filters.TargetStatus!.includes(t.status as TargetStatus))
      }
      if (filters.ServerInstanceLabel?.length)
        targets = targets.filter((t) => t.label && filters.ServerInstanceLabel!.includes(t.label))
      const p = page(
        targets.map((t) => t.instanceId),
        optString(input, 'nextToken')
      )
      return { targetIds: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    },

    BatchGetDeploymentTargets(input) {
      const d = deployment(input)
      const ids = input.targetIds as string[] | undefined
      if (!ids || ids.length === 0)
        throw new AwsError(
          'DeploymentTargetIdRequiredException',
          'A deployment target ID was not provided.'
        )
      if (ids.length > MAX_TARGET_IDS) {
        throw new AwsError(
          'DeploymentTargetListSizeExceededException',
          `The maximum number of deployment target IDs you can specify is ${MAX_TARGET_IDS}.`
        )
      }
      mustHaveStarted(d)
      return {
        deploymentTargets: ids.map((id) => {
          return instanceTarget(d, target(d, id))
        })
      }
    },

    GetDeploymentTarget(input) {
      const d = deployment(input)
      const id = required(
        input,
        'targetId',
        'DeploymentTargetIdRequiredException',
        'A deployment target ID was not provided.'
      )
      mustHaveStarted(d)
      return { deploymentTarget: instanceTarget(d, target(d, id)) }
    }
  }
}
