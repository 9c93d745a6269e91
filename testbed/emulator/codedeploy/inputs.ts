// CodeDeploy's inputs read the way the service reads them (exception names and messages): fields,
// pages, revisions, rollback settings, and the application, group and deployment they name.
import { AwsError } from '../core/aws-error.ts'
import type { AutoRollbackConfiguration, RollbackEvent } from '../world/fleet-config.ts'
import type { Application, CodeDeployRecords, Deployment, Group, Revision } from './model.ts'

export type Input = Record<string, unknown>

const PAGE = 100

export function optString(input: Input, field: string): string | undefined {
  const v = input[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') {
    throw new AwsError('SerializationException', `Expected string for ${field}`)
  }
  return v
}

export function required(input: Input, field: string, exception: string, message: string): string {
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

export function page<T>(items: T[], token: string | undefined): { items: T[]; nextToken?: string } {
  const offset = decodeToken(token)
  const slice = items.slice(offset, offset + PAGE)
  return offset + PAGE < items.length
    ? { items: slice, nextToken: encodeToken(offset + PAGE) }
    : { items: slice }
}

export function revision(input: Input): Revision {
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

// DeploymentStatus, as the API reference lists it (the bed never makes Queued or Baking).
const DEPLOYMENT_STATUSES = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready'
]

/** A bound of ListDeployments' createTimeRange in epoch seconds; null or absent: open-ended. */
function bound(range: Input, field: 'start' | 'end'): number | undefined {
  const v = range[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new AwsError(
      'InvalidTimeRangeException',
      'The specified time range was specified in an invalid format.'
    )
  return v
}

/**
 * ListDeployments' includeOnlyStatuses and createTimeRange ("Specify null to leave the start time
 * open-ended", TimeRange), both bounds taken as included (**guess**: AWS does not say).
 */
export function deploymentFilter(input: Input): (d: Deployment) => boolean {
  const statuses = input.includeOnlyStatuses ?? []
  if (!Array.isArray(statuses) || statuses.some((s) => !DEPLOYMENT_STATUSES.includes(s)))
    throw new AwsError(
      'InvalidDeploymentStatusException',
      "The specified deployment status doesn't exist or cannot be determined."
    )
  const range = (input.createTimeRange ?? {}) as Input
  const [start, end] = [bound(range, 'start'), bound(range, 'end')]
  return (d) =>
    (statuses.length === 0 || statuses.includes(d.status)) &&
    (start === undefined || d.createTime / 1000 >= start) &&
    (end === undefined || d.createTime / 1000 <= end)
}

export function rollbackConfig(input: Input): AutoRollbackConfiguration | undefined {
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

/** What the records hold that an input names, or the service's exception. */
export function lookups(world: () => CodeDeployRecords) {
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

  return { application, group, deployment, groupOf }
}
