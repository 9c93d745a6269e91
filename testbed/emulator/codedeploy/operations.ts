// CodeDeploy's operations: input checked the way the service checks it (exception names and
// messages), answers in the API's shapes.
import { AwsError } from '../core/aws-error.ts'
import type { Engine } from './engine.ts'
import { ACCOUNT } from '../core/ids.ts'
import type { Application, Deployment, Group, Revision, TargetStatus } from './model.ts'
import { deploymentGroupInfo, deploymentInfo, instanceTarget, seconds } from './serialize.ts'
import type { AutoRollbackConfiguration, RollbackEvent } from '../world/fleet-config.ts'
import type { FileExistsBehavior } from '../hosts/appspec/appspec.ts'

type Input = Record<string, unknown>
export type Operation = (input: Input) => Record<string, unknown>

const SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`
const PAGE = 100
const MAX_TARGET_IDS = 25
const DESCRIPTION_MAX = 256
const TERMINAL = ['Succeeded', 'Failed', 'Stopped']

function optString(input: Input, field: string): string | undefined {
  const v = input[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') {
    throw new AwsError('SerializationException', `Expected string for ${field}`)
  }
  return v
}

function required(input: Input, field: string, exception: string, message: string): string {
  const v = optString(input, field)
  if (!v) throw new AwsError(exception, message)
  return v
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64')
}

function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0
  try {
    const offset = JSON.parse(Buffer.from(token, 'base64').toString()).offset
    if (Number.isInteger(offset) && offset >= 0) return offset
  } catch {
    // falls through to the service's error
  }
  throw new AwsError(
    'InvalidNextTokenException',
    'The next token was specified in an invalid format.'
  )
}

function page<T>(items: T[], token: string | undefined): { items: T[]; nextToken?: string } {
  const offset = decodeToken(token)
  const slice = items.slice(offset, offset + PAGE)
  return offset + PAGE < items.length
    ? { items: slice, nextToken: encodeToken(offset + PAGE) }
    : { items: slice }
}

export function operations(engine: Engine): Record<string, Operation> {
  const world = () => engine.world

  const application = (input: Input): Application => {
    const name = required(
      input,
      'applicationName',
      'ApplicationNameRequiredException',
      'Application name must be specified.'
    )
    if (name.length > 100)
      throw new AwsError('InvalidApplicationNameException', 'Application name is too long.')
    const app = world().applications.get(name)
    if (!app)
      throw new AwsError(
        'ApplicationDoesNotExistException',
        `No application found for name: ${name}`
      )
    return app
  }

  const group = (input: Input, app: Application): Group => {
    const name = required(
      input,
      'deploymentGroupName',
      'DeploymentGroupNameRequiredException',
      'Deployment Group name must be specified.'
    )
    const g = app.groups.get(name)
    if (!g)
      throw new AwsError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name}`
      )
    return g
  }

  const deployment = (input: Input): Deployment => {
    const id = required(
      input,
      'deploymentId',
      'DeploymentIdRequiredException',
      'Deployment ID must be specified.'
    )
    if (!/^d-[A-Z0-9]{9}$/.test(id)) {
      throw new AwsError(
        'InvalidDeploymentIdException',
        `Specified DeploymentId is not in the valid format: ${id}`
      )
    }
    const d = world().deployments.get(id)
    if (!d)
      throw new AwsError(
        'DeploymentDoesNotExistException',
        `The deployment ${id} could not be found.`
      )
    return d
  }

  const groupOf = (d: Deployment): Group =>
    world().applications.get(d.applicationName)!.groups.get(d.groupName)!

  const revision = (input: Input): Revision => {
    const r = input.revision as Input | undefined
    if (!r) throw new AwsError('RevisionRequiredException', 'Revision must be specified.')
    if (r.revisionType !== 'S3') {
      throw new AwsError(
        'InvalidRevisionException',
        `The test bed only deploys S3 revisions; revisionType was ${String(r.revisionType)}.`
      )
    }
    const s = r.s3Location as Input | undefined
    if (!s || !s.bucket)
      throw new AwsError('InvalidRevisionException', 'Revision location bucket must be specified.')
    if (!s.key)
      throw new AwsError('InvalidRevisionException', 'Revision location key must be specified.')
    const bundleType = s.bundleType as string | undefined
    if (bundleType !== undefined && !['tar', 'tgz', 'zip'].includes(bundleType)) {
      throw new AwsError(
        'InvalidRevisionException',
        `Bundle type ${bundleType} is not supported for EC2/On-premises deployments.`
      )
    }
    return {
      revisionType: 'S3',
      s3Location: {
        bucket: String(s.bucket),
        key: String(s.key),
        ...(bundleType ? { bundleType: bundleType as 'tar' | 'tgz' | 'zip' } : {}),
        ...(s.version ? { version: String(s.version) } : {}),
        ...(s.eTag ? { eTag: String(s.eTag) } : {})
      }
    }
  }

  const rollbackConfig = (input: Input): AutoRollbackConfiguration | undefined => {
    const c = input.autoRollbackConfiguration as Input | undefined
    if (!c) return undefined
    const events = (c.events ?? []) as string[]
    const known = ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']
    if (!Array.isArray(events) || events.some((e) => !known.includes(e))) {
      throw new AwsError(
        'InvalidAutoRollbackConfigException',
        'The automatic rollback configuration was specified in an invalid format.'
      )
    }
    if (c.enabled === true && events.length === 0) {
      throw new AwsError(
        'InvalidAutoRollbackConfigException',
        'Auto rollback events must be specified when auto rollback is enabled.'
      )
    }
    return { enabled: c.enabled === true, events: events as RollbackEvent[] }
  }

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
          if (!engine.world.autoScaling.groups.has(n))
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
      if (TERMINAL.includes(d.status)) {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${d.id} has already completed.`
        )
      }
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
      if (TERMINAL.includes(d.status)) {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${d.id} has already completed.`
        )
      }
      const auto = input.autoRollbackEnabled
      engine.stopDeployment(d, typeof auto === 'boolean' ? auto : undefined)
      return {
        status: 'Pending',
        statusMessage: 'Stopping Pending. Stopping to schedule commands in the deployment instances'
      }
    },

    ListDeployments(input) {
      let ids = world().order
      const appName = optString(input, 'applicationName')
      const groupName = optString(input, 'deploymentGroupName')
      if (groupName && !appName) {
        throw new AwsError(
          'ApplicationNameRequiredException',
          'Application name must be specified when a deployment group name is.'
        )
      }
      if (appName) {
        const app = application(input)
        ids = ids.filter((id) => world().deployments.get(id)!.applicationName === app.name)
        if (groupName) {
          const g = group(input, app)
          ids = ids.filter((id) => world().deployments.get(id)!.groupName === g.config.name)
        }
      }
      const statuses = input.includeOnlyStatuses as string[] | undefined
      if (statuses?.length)
        ids = ids.filter((id) => statuses.includes(world().deployments.get(id)!.status))
      const range = input.createTimeRange as { start?: number; end?: number } | undefined
      if (range) {
        ids = ids.filter((id) => {
          const t = world().deployments.get(id)!.createTime / 1000
          return (
            (range.start === undefined || t >= range.start) &&
            (range.end === undefined || t <= range.end)
          )
        })
      }
      const p = page(ids, optString(input, 'nextToken'))
      return { deployments: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    },

    ListDeploymentTargets(input) {
      const d = deployment(input)
      if (d.status === 'Created' || d.status === 'Queued') {
        throw new AwsError(
          'DeploymentNotStartedException',
          'The specified deployment has not started.'
        )
      }
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
      if (d.status === 'Created' || d.status === 'Queued') {
        throw new AwsError(
          'DeploymentNotStartedException',
          'The specified deployment has not started.'
        )
      }
      return {
        deploymentTargets: ids.map((id) => {
          const t = d.targets.get(id)
          if (!t)
            throw new AwsError(
              'DeploymentTargetDoesNotExistException',
              `The provided target ID does not belong to the deployment ${d.id}.`
            )
          return instanceTarget(d, t)
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
      if (d.status === 'Created' || d.status === 'Queued') {
        throw new AwsError(
          'DeploymentNotStartedException',
          'The specified deployment has not started.'
        )
      }
      const t = d.targets.get(id)
      if (!t)
        throw new AwsError(
          'DeploymentTargetDoesNotExistException',
          `The provided target ID does not belong to the deployment ${d.id}.`
        )
      return { deploymentTarget: instanceTarget(d, t) }
    },

    GetApplication(input) {
      const app = application(input)
      return {
        application: {
          applicationId: app.id,
          applicationName: app.name,
          createTime: seconds(app.createTime),
          linkedToGitHub: false,
          computePlatform: 'Server'
        }
      }
    },

    BatchGetApplications(input) {
      const names = (input.applicationNames ?? []) as string[]
      return {
        applicationsInfo: names.map((n) => {
          const app = world().applications.get(n)
          if (!app)
            throw new AwsError(
              'ApplicationDoesNotExistException',
              `No application found for name: ${n}`
            )
          return {
            applicationId: app.id,
            applicationName: app.name,
            createTime: seconds(app.createTime),
            linkedToGitHub: false,
            computePlatform: 'Server'
          }
        })
      }
    },

    ListApplications(input) {
      const p = page([...world().applications.keys()].sort(), optString(input, 'nextToken'))
      return { applications: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    },

    GetDeploymentGroup(input) {
      const app = application(input)
      return { deploymentGroupInfo: deploymentGroupInfo(group(input, app), SERVICE_ROLE) }
    },

    BatchGetDeploymentGroups(input) {
      const app = application(input)
      const names = (input.deploymentGroupNames ?? []) as string[]
      const infos = []
      let errorMessage: string | undefined
      for (const n of names) {
        const g = app.groups.get(n)
        if (g) infos.push(deploymentGroupInfo(g, SERVICE_ROLE))
        else errorMessage = `Deployment Group ${n} does not exist.`
      }
      return { deploymentGroupsInfo: infos, ...(errorMessage ? { errorMessage } : {}) }
    },

    ListDeploymentGroups(input) {
      const app = application(input)
      const p = page([...app.groups.keys()].sort(), optString(input, 'nextToken'))
      return {
        applicationName: app.name,
        deploymentGroups: p.items,
        ...(p.nextToken ? { nextToken: p.nextToken } : {})
      }
    },

    GetDeploymentConfig(input) {
      const name = required(
        input,
        'deploymentConfigName',
        'DeploymentConfigNameRequiredException',
        'Deployment configuration name must be specified.'
      )
      const c = world().deploymentConfigs.get(name)
      if (!c)
        throw new AwsError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${name}`
        )
      return {
        deploymentConfigInfo: {
          deploymentConfigId: c.id,
          deploymentConfigName: c.name,
          minimumHealthyHosts: c.minimumHealthyHosts,
          createTime: seconds(c.createTime),
          computePlatform: 'Server'
        }
      }
    },

    ListDeploymentConfigs(input) {
      const p = page([...world().deploymentConfigs.keys()].sort(), optString(input, 'nextToken'))
      return { deploymentConfigsList: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    }
  }
}
