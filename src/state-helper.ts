// The contract between the main step and the post step, in one place (as actions/checkout's
// state-helper). The runner keeps what main saves with core.saveState and hands it to the post
// step as STATE_<name> variables. The post step is a backstop: it stops a deployment that main
// started but did not see end (the job was cancelled and main was killed).

/** The names saved; the runner prefixes them with STATE_. */
export enum State {
  IsPost = 'is-post',
  DeploymentId = 'deployment-id',
  DeploymentFinished = 'deployment-finished',
  Region = 'region',
  StopOnCancel = 'stop-on-cancel',
  AutoRollback = 'auto-rollback',
  FailedReplacementFleet = 'failed-replacement-fleet',
  ReplacementFleetPending = 'fleet-pending'
}

export type SaveState = (name: State, value: string) => void

/** What main writes, in the order it happens. */
export class MainState {
  constructor(private readonly save: SaveState) {}

  /** First thing main does: the runner's second run of the entry point is then the post step. */
  markPostNext(): void {
    this.save(State.IsPost, 'true')
  }

  /** Before the first deployment is created: how the post step would reach and stop it. */
  deploying(o: {
    region: string
    stopOnCancel: boolean
    autoRollback?: boolean
    failedReplacementFleet: 'keep' | 'delete'
  }): void {
    this.save(State.Region, o.region)
    this.save(State.StopOnCancel, String(o.stopOnCancel))
    if (o.autoRollback !== undefined) this.save(State.AutoRollback, String(o.autoRollback))
    this.save(State.FailedReplacementFleet, o.failedReplacementFleet)
  }

  /** A deployment main is about to wait for; the post step stops it unless main saw it end. */
  waitingFor(deploymentId: string): void {
    this.save(State.DeploymentId, deploymentId)
  }

  /** Main saw the deployments end (or gave up waiting on its own terms): nothing for the post step. */
  finished(): void {
    this.save(State.DeploymentFinished, 'true')
  }

  /**
   * A blue/green deployment main stopped (cancelled) but did not see end: the post step waits for
   * its end and applies failed-replacement-fleet.
   */
  replacementFleetPending(deploymentId: string): void {
    this.save(State.ReplacementFleetPending, deploymentId)
  }
}

/** What the post step reads. */
export interface PostState {
  /** The deployment to stop; '' when there is nothing to do. */
  deploymentId: string
  region: string
  stopOnCancel: boolean
  /** undefined: the deployment group's own setting. */
  autoRollback?: boolean
  /** A deployment whose replacement fleet the post step settles ('' when none). */
  replacementFleetPendingId: string
  failedReplacementFleet: 'keep' | 'delete'
}

export function isPostStep(env: NodeJS.ProcessEnv): boolean {
  return read(env, State.IsPost) === 'true'
}

export function readPostState(env: NodeJS.ProcessEnv): PostState {
  const finished = read(env, State.DeploymentFinished) === 'true'
  const autoRollback = read(env, State.AutoRollback)
  return {
    deploymentId: finished ? '' : read(env, State.DeploymentId),
    region: read(env, State.Region),
    stopOnCancel: read(env, State.StopOnCancel) === 'true',
    replacementFleetPendingId: read(env, State.ReplacementFleetPending),
    failedReplacementFleet:
      read(env, State.FailedReplacementFleet) === 'delete' ? 'delete' : 'keep',
    ...(autoRollback ? { autoRollback: autoRollback === 'true' } : {})
  }
}

function read(env: NodeJS.ProcessEnv, name: State): string {
  return env[`STATE_${name}`] ?? ''
}
