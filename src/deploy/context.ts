// What every deploy call site needs, defined once: the AWS clients (CodeDeploy, and for blue/green
// and load-balanced groups ELBv2 and Auto Scaling) and the run's clock, log and cancellation.
// Option types extend it; callers pass `...ctx`.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { Logger, Sleep } from '../common/log.js'
import type { TrafficClients } from '../aws/clients.js'

export interface DeployContext {
  codedeploy: CodeDeployClient
  log: Logger
  sleep: Sleep
  now: () => number
  /** Aborted when the workflow is cancelled. */
  signal?: AbortSignal
  /** Jitter for retries (tests make it fixed). */
  random?: () => number
  /** Target groups and Auto Scaling (blue/green, traffic control); absent: those explanations are skipped. */
  traffic?: TrafficClients
}
