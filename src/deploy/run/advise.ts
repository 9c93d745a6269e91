// Advice for a failure: the evidence the catalogue (src/advice/) needs, read from CodeDeploy only
// when a rule will use it (the group for the previous revision, tags, alarms and role; the
// configuration for the health arithmetic), then each failed instance's and the deployment's advice.
import type { DeploymentInfo, DeploymentGroupInfo } from '@aws-sdk/client-codedeploy'
import { adviseDeployment, adviseInstance } from '../../advice/catalogue.js'
import { ranPreviousRevision } from '../../advice/instance-rules.js'
import type {
  Advice,
  GroupDescription,
  GroupEvidence,
  HealthConfig,
  LastSuccess
} from '../../advice/types.js'
import {
  readDeploymentConfig,
  readDeploymentGroup,
  tryReadDeployment
} from '../codedeploy/reads.js'
import type { FailedInstance, GroupResult } from '../types.js'
import { distinctCauses, firstCauseText } from './diagnose.js'
import type { GroupRun } from './group-run.js'

/** Codes whose advice reads the deployment group (tags, Auto Scaling groups, alarms, service role). */
const NEEDS_GROUP = new Set([
  'NO_INSTANCES',
  'IAM_ROLE_MISSING',
  'IAM_ROLE_PERMISSIONS',
  'ALARM_ACTIVE'
])
const NEEDS_CONFIG = new Set(['HEALTH_CONSTRAINTS', 'HEALTH_CONSTRAINTS_INVALID'])

function s3Uri(bucket?: string, key?: string, version?: string): string | undefined {
  if (!bucket || !key) return undefined
  return `s3://${bucket}/${key}${version ? `?versionId=${version}` : ''}`
}

function tagText(t: { Key?: string; Value?: string }): string {
  return t.Value ? `${t.Key ?? ''}=${t.Value}` : (t.Key ?? '')
}

function describe(dg: DeploymentGroupInfo): GroupDescription {
  const ec2 = [...(dg.ec2TagFilters ?? []), ...(dg.ec2TagSet?.ec2TagSetList ?? []).flat()].map(
    tagText
  )
  const onPrem = [
    ...(dg.onPremisesInstanceTagFilters ?? []),
    ...(dg.onPremisesTagSet?.onPremisesTagSetList ?? []).flat()
  ].map(tagText)
  const alarms = dg.alarmConfiguration?.enabled
    ? (dg.alarmConfiguration.alarms ?? []).map((a) => a.name ?? '').filter(Boolean)
    : []
  return {
    ec2Tags: ec2.filter(Boolean),
    onPremisesTags: onPrem.filter(Boolean),
    autoScalingGroups: (dg.autoScalingGroups ?? []).map((g) => g.name ?? '').filter(Boolean),
    alarms,
    ...(dg.serviceRoleArn ? { serviceRoleArn: dg.serviceRoleArn } : {}),
    blueGreen: dg.deploymentStyle?.deploymentType === 'BLUE_GREEN'
  }
}

async function lastSuccessOf(
  run: GroupRun,
  dg: DeploymentGroupInfo | undefined,
  ownId: string
): Promise<LastSuccess | undefined> {
  const id = dg?.lastSuccessfulDeployment?.deploymentId
  if (!id || id === ownId) return undefined
  const info = await tryReadDeployment(run.ctx, id)
  const s3 = info?.revision?.s3Location
  const revision = s3Uri(s3?.bucket, s3?.key, s3?.version)
  return { deploymentId: id, ...(revision ? { revision } : {}) }
}

export interface FailureEvidence {
  group: GroupEvidence
  description?: GroupDescription
  config?: HealthConfig
}

/** Reads what the rules for these failures need, and nothing else. Every read is best effort. */
export async function readEvidence(
  run: GroupRun,
  r: GroupResult,
  info: DeploymentInfo | undefined
): Promise<FailureEvidence> {
  const { settings } = run
  const code = info?.errorInformation?.code ?? ''
  const revision = run.revision
    ? s3Uri(run.revision.bucket, run.revision.key, run.revision.version)
    : s3Uri(info?.revision?.s3Location?.bucket, info?.revision?.s3Location?.key)
  const group: GroupEvidence = {
    region: run.region,
    application: settings.application,
    group: r.group,
    inputs: {
      ...(settings.fileExistsBehavior ? { fileExistsBehavior: settings.fileExistsBehavior } : {}),
      ignoreApplicationStopFailures: settings.ignoreApplicationStopFailures,
      ...(settings.sse ? { sse: settings.sse } : {}),
      ...(settings.sseKmsKeyId ? { sseKmsKeyId: settings.sseKmsKeyId } : {}),
      ...(revision ? { revision } : {})
    },
    ...(run.bundle ? { bundle: run.bundle } : {})
  }
  const previousRevision = r.failedInstances.some((f) => ranPreviousRevision(f, group))
  const dg =
    previousRevision || NEEDS_GROUP.has(code)
      ? await readDeploymentGroup(run.ctx, settings.application, r.group)
      : undefined
  const lastSuccess = previousRevision ? await lastSuccessOf(run, dg, r.id) : undefined
  if (lastSuccess) group.lastSuccess = lastSuccess
  const configName = info?.deploymentConfigName ?? dg?.deploymentConfigName
  const ci =
    NEEDS_CONFIG.has(code) && configName
      ? await readDeploymentConfig(run.ctx, configName)
      : undefined
  const mh = ci?.minimumHealthyHosts
  return {
    group,
    ...(dg ? { description: describe(dg) } : {}),
    ...(mh?.type && configName && mh.value !== undefined
      ? { config: { name: configName, type: mh.type, value: mh.value } }
      : {})
  }
}

/** Sets each failed instance's advice (left absent where no rule knows one). */
export function adviseInstances(failed: FailedInstance[], group: GroupEvidence): void {
  for (const f of failed) {
    const a = adviseInstance({ failure: f, group })
    if (a) f.advice = a
  }
}

/** The instances the health arithmetic counts: the replacement ones in a blue/green deployment. */
function counted(r: GroupResult): { total: number; failed: number; succeeded: number } {
  const green = r.instances.filter((i) => i.label === 'Green')
  const set = green.length ? green : r.instances
  const ids = new Set(set.map((i) => i.instanceId))
  return {
    total: set.length,
    failed: r.failedInstances.filter((f) => ids.has(f.instanceId)).length,
    succeeded: set.filter((i) => i.status === 'Succeeded' || i.status === 'Ready').length
  }
}

/** The deployment's advice: its error code's rule, else the first cause's advice. */
export function adviseDeploymentOf(
  r: GroupResult,
  info: DeploymentInfo | undefined,
  ev: FailureEvidence,
  stoppedByAction: boolean
): Advice | undefined {
  const ei = info?.errorInformation
  const first = distinctCauses(r.failedInstances)[0]
  const firstAdvice = first?.advice
  const byCode = ei?.code
    ? adviseDeployment({
        ...ev.group,
        deploymentId: r.id,
        status: r.status,
        errorCode: ei.code,
        errorMessage: ei.message ?? '',
        stoppedByAction,
        ...(ev.config ? { config: ev.config } : {}),
        ...(ev.description ? { description: ev.description } : {}),
        instances: counted(r),
        ...(first
          ? {
              firstCause: {
                text: firstCauseText(first),
                ...(firstAdvice ? { advice: firstAdvice } : {})
              }
            }
          : {})
      })
    : undefined
  return byCode ?? firstAdvice
}
