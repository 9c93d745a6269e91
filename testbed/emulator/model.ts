// The emulator's records, shaped like the CodeDeploy API's own (times are epoch milliseconds
// here and become epoch seconds on the wire).
import type {
  AgentState,
  AutoRollbackConfiguration,
  DeploymentConfigSpec,
  GroupConfig
} from './config.ts'
import type { FileExistsBehavior } from './appspec.ts'
import type { InstanceHost } from './instances.ts'

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Succeeded' | 'Failed' | 'Stopped'
export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown'
export type EventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown'
export type LifecycleErrorCode =
  | 'Success'
  | 'ScriptMissing'
  | 'ScriptNotExecutable'
  | 'ScriptTimedOut'
  | 'ScriptFailed'
  | 'UnknownError'

export interface S3Location {
  bucket: string
  key: string
  bundleType?: 'tar' | 'tgz' | 'zip' | 'YAML' | 'JSON'
  version?: string
  eTag?: string
}

export interface Revision {
  revisionType: 'S3'
  s3Location: S3Location
}

export interface Diagnostics {
  errorCode: LifecycleErrorCode
  scriptName: string
  message: string
  logTail: string
}

export interface LifecycleEvent {
  lifecycleEventName: string
  status: EventStatus
  startTime?: number
  endTime?: number
  diagnostics?: Diagnostics
}

export interface Target {
  instanceId: string
  status: TargetStatus
  lastUpdatedAt: number
  lifecycleEvents: LifecycleEvent[]
}

export interface RollbackInfo {
  rollbackDeploymentId?: string
  rollbackTriggeringDeploymentId?: string
  rollbackMessage?: string
}

export interface Deployment {
  id: string
  applicationName: string
  groupName: string
  groupId: string
  deploymentConfigName: string
  description?: string
  creator: 'user' | 'codeDeployRollback'
  revision: Revision
  previousRevision?: Revision
  status: DeploymentStatus
  errorInformation?: { code: string; message: string }
  createTime: number
  startTime?: number
  completeTime?: number
  fileExistsBehavior?: FileExistsBehavior
  ignoreApplicationStopFailures: boolean
  updateOutdatedInstancesOnly: boolean
  autoRollbackConfiguration?: AutoRollbackConfiguration
  rollbackInfo?: RollbackInfo
  targets: Map<string, Target>
  stopRequested: boolean
  stopRollback?: boolean
  hang: boolean
}

export interface Instance {
  id: string
  host: InstanceHost
  // Whether its CodeDeploy agent polls for commands: a stopped one leaves its next lifecycle event
  // Pending until it runs again or CodeDeploy's one-hour timeout (PUT /agent switches it).
  agentState: AgentState
  // Revision key of the last deployment that succeeded here (updateOutdatedInstancesOnly).
  lastSucceededRevision?: string
}

export interface Group {
  id: string
  applicationName: string
  config: GroupConfig
  // The application's timing.timeScale: multiplies the service's own waits for this group.
  timeScale: number
  instances: Instance[]
  lastSuccessful?: Deployment
  lastAttempted?: Deployment
  active?: Deployment
}

export interface Application {
  id: string
  name: string
  createTime: number
  groups: Map<string, Group>
}

export interface World {
  applications: Map<string, Application>
  deploymentConfigs: Map<string, DeploymentConfigSpec & { id: string; createTime: number }>
  deployments: Map<string, Deployment>
  // Newest first, for ListDeployments.
  order: string[]
}

export function revisionKey(r: Revision): string {
  const s = r.s3Location
  return `${s.bucket}/${s.key}#${s.version ?? ''}#${s.eTag ?? ''}`
}
