// What CodeDeploy and an instance's agent (emulated.ts, or the real one: real.ts) exchange for one
// deployment: the lifecycle events, the deployment the agent is given, and what it reports back.
import type { FileExistsBehavior } from '../appspec/appspec.ts'
import type { Diagnostics, EventStatus, S3Location } from '../../codedeploy/model.ts'

export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
]

// With a load balancer: CodeDeploy blocks an instance's traffic before it stops the application
// and allows it after ValidateService (in place), or allows it on the replacement (green)
// instances and blocks it on the original (blue) ones (blue/green). BlockTraffic and AllowTraffic
// are the service's own work (deregistering, registering, waiting on health checks); the hooks
// around them are the agent's.
export const BLOCK_TRAFFIC_EVENTS = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic']
export const ALLOW_TRAFFIC_EVENTS = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']
export const SERVICE_EVENTS = ['BlockTraffic', 'AllowTraffic']
// Events whose scripts come from the revision last installed on the instance, and whose failure
// ignoreApplicationStopFailures ignores (CodeDeploy's DeploymentInfo documentation).
export const PREVIOUS_REVISION_EVENTS = [
  'ApplicationStop',
  'BeforeBlockTraffic',
  'AfterBlockTraffic'
]

export interface AgentSpec {
  deploymentId: string
  applicationName: string
  groupName: string
  groupId: string
  revision: S3Location
  fileExistsBehavior?: FileExistsBehavior
  ignoreApplicationStopFailures: boolean
  hang: boolean
  // S3's refusal of the revision to this instance's profile (fault bundleAccessDenied): what
  // DownloadBundle reports instead of fetching it.
  bundleDenied?: string
}

export interface AgentReporter {
  // Resolves when the instance's agent would pick up this event's host command: 'go' once it runs
  // (at once when it is running), 'timed-out' when CodeDeploy gave up waiting (the service has
  // then recorded the event's failure), 'stopped' on StopDeployment.
  awaitAgent(event: string): Promise<'go' | 'timed-out' | 'stopped'>
  started(event: string): void
  finished(event: string, status: EventStatus, diagnostics: Diagnostics): void
  stopRequested(): boolean
  // BlockTraffic and AllowTraffic, which the service runs itself: resolves with the event's log,
  // or throws an Error whose message is the event's diagnostics.
  traffic?(event: string): Promise<string>
}
