// CodeDeploy's records, shaped like the CodeDeploy API's own (times are epoch milliseconds
// here and become epoch seconds on the wire).
import type {
  AgentState,
  AutoRollbackConfiguration,
  BlueGreenConfig,
  DeploymentStyle,
  DeploymentConfigSpec,
  GroupConfig
} from '../world/fleet-config.ts'
import type { FileExistsBehavior } from '../hosts/appspec/appspec.ts'
import type { InstanceHost } from '../hosts/instances.ts'

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped'
export type TargetStatus =
  'Pending' | 'InProgress' | 'Ready' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown'
// Blue/green: the original instances are Blue, the replacement ones Green.
export type TargetLabel = 'Blue' | 'Green'
export type WaitType = 'READY_WAIT' | 'TERMINATION_WAIT'
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
  label?: TargetLabel
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
  // The group's settings when it was created, as GetDeployment copies them.
  deploymentStyle: DeploymentStyle
  blueGreen?: BlueGreenConfig
  targetGroups: string[]
  // Blue/green: the wait the deployment is in (Ready, or the original instances' termination),
  // and what ends it early (ContinueDeployment, StopDeployment).
  waiting?: { type: WaitType; wake: () => void }
  instanceTerminationWaitTimeStarted: boolean
  // Blue/green: both fleets and the original Auto Scaling groups (for a rollback's reroute).
  blue?: Instance[]
  green?: Instance[]
  originalAutoScalingGroups?: string[]
  // A blue/green rollback reroutes the traffic of the deployment it rolls back.
  rollbackOf?: Deployment
  // DISCOVER_EXISTING: the Auto Scaling groups of the replacement fleet (targetInstances).
  targetAutoScalingGroups?: string[]
  // The alarms in ALARM that stopped it (ALARM_ACTIVE), and the watch on the group's alarms
  // while it runs.
  stoppedByAlarms?: string[]
  alarmWatch?: ReturnType<typeof setInterval>
  // S3 refuses its instances the revision (fault bundleAccessDenied).
  bundleAccessDenied?: { crossAccount: boolean }
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
  // Its Auto Scaling groups now: a successful blue/green copy replaces the original with the copy.
  autoScalingGroups: string[]
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

// CodeDeploy's backend (registry.ts): what the service knows.
export interface CodeDeployRecords {
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
