// Plain data the deploy modules pass around: what we know about a deployment, its instances and its outcome.
import type { ErrorInformation } from '@aws-sdk/client-codedeploy'
import type { Advice, InstanceFailure } from '../advice/types.js'
import type { ActionError } from '../common/errors.js'

/** One lifecycle event on one instance, as CodeDeploy last reported it. */
export interface LifecycleEventView {
  name: string
  /** Pending, InProgress, Succeeded, Failed, Skipped or Unknown. */
  status: string
  startedAt?: Date
  endedAt?: Date
  errorCode?: string
  script?: string
  message?: string
  logTail?: string
}

/** One instance (EC2 or on-premises target) of a deployment. */
export interface InstanceView {
  instanceId: string
  /** Pending, InProgress, Succeeded, Failed, Skipped, Ready or Unknown. */
  status: string
  events: LifecycleEventView[]
  /** When CodeDeploy last changed this instance's state (its turn coming, an event starting or ending). */
  lastUpdatedAt?: Date
  /** Blue/green: Blue (original) or Green (replacement); absent for in-place. */
  label?: string
}

/**
 * What the user needs to fix one failed instance: what the agent reported (the advice's own shape)
 * and what the action added. Also the shape of the `failed-instances` output.
 */
export interface FailedInstance extends InstanceFailure {
  /** A traffic event's cause, read from the target groups (health check, deregistration delay). */
  explanation?: string
  /** The catalogue's cause and fix, when a rule knows this failure (src/advice/). */
  advice?: Advice
}

/**
 * How the step ended for a group. `rerouted`: wait-until: traffic-rerouted saw the traffic on the
 * replacement instances; `ready`: on-ready: finish left the deployment in Ready.
 */
export type GroupOutcome =
  | 'succeeded'
  | 'failed'
  | 'stopped'
  | 'timed-out'
  | 'cancelled'
  | 'not-attempted'
  | 'created'
  | 'rerouted'
  | 'ready'
  | 'skipped'

/** The result for one deployment group. `id` is empty when no deployment was created. */
export interface GroupResult {
  group: string
  id: string
  /** CodeDeploy's last known status (Succeeded, Failed, Stopped, Created, InProgress...); empty when not attempted. */
  status: string
  url: string
  startedAt?: Date
  endedAt?: Date
  errorInformation?: ErrorInformation
  rollbackId?: string
  rollbackStatus?: string
  rollbackUrl?: string
  failedInstances: FailedInstance[]
  instances: InstanceView[]
  outcome: GroupOutcome
  /** Instances whose CodeDeploy agent did not pick up a lifecycle event within agent-silence-timeout. */
  silentAgents?: SilentInstance[]
  /** Why no deployment was created (outcome skipped: a newer commit is deployed). */
  skipNotice?: string
  /** Why this group did not succeed, with the user's next step. */
  error?: ActionError
  /** The catalogue's cause and fix for the deployment's failure (its error code, else its first cause). */
  advice?: Advice
  /** One line on what the deployment does (blue/green, traffic control), from its style. */
  plan?: string
  /** Where the traffic is after a stop (blue/green). */
  traffic?: string
  /** A failed blue/green deployment's copied Auto Scaling group: what became of it. */
  replacementFleet?: { name: string; instances: number; deleted: boolean; note: string }
  /** Set in the post step's stead when the deployment was stopped but had not ended: the post step finishes the clean-up. */
  replacementFleetPending?: boolean
}

export interface DeploymentsResult {
  groups: GroupResult[]
  /** The region deployed to (for the checks the summary suggests); absent when unknown. */
  region?: string
  /** Every group succeeded (or was created, with wait: false). */
  ok: boolean
  /** The first group's failure: the step fails with it. Absent when ok. */
  error?: ActionError
}

/** An instance whose CodeDeploy agent has not picked up the lifecycle event waiting for it. */
export interface SilentInstance {
  instanceId: string
  /** Blue or Green in a blue/green deployment. */
  label?: string
  /** The lifecycle event waiting for the agent. */
  event: string
  /** Since when it has waited (epoch ms). */
  since: number
  /** How long it had waited when last seen. */
  silentMs: number
}
