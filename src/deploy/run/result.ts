// A group's result as the run fills it in: empty at first, then what each GetDeployment answer says.
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import type { GroupResult } from '../types.js'

export function emptyResult(group: string): GroupResult {
  return {
    group,
    id: '',
    status: '',
    url: '',
    failedInstances: [],
    instances: [],
    outcome: 'not-attempted'
  }
}

export function applyInfo(r: GroupResult, info: DeploymentInfo | undefined): void {
  if (!info) return
  r.status = info.status ?? r.status
  r.startedAt = info.startTime ?? info.createTime ?? r.startedAt
  r.endedAt = info.completeTime ?? r.endedAt
  r.errorInformation = info.errorInformation ?? r.errorInformation
  if (info.rollbackInfo?.rollbackDeploymentId) r.rollbackId = info.rollbackInfo.rollbackDeploymentId
}

/** How a deployment (or its rollback) that ended without success is said: "was stopped", "failed". */
export function endedText(status: string): string {
  return status === 'Stopped' ? 'was stopped' : 'failed'
}

/** CodeDeploy's error for the deployment, as the tail of a sentence (": CODE: message"), or ''. */
export function errorText(info: DeploymentInfo | undefined): string {
  const ei = info?.errorInformation
  const text = [ei?.code, ei?.message?.replace(/\.+$/, '')].filter(Boolean).join(': ')
  return text ? `: ${text}` : ''
}
