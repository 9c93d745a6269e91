// A scripted CodeDeploy behind aws-sdk-client-mock, driven by a fake clock: deployments progress
// through their lifecycle events as the clock advances, so the code under test sees what it
// would see from AWS, and no test ever waits for real time.
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type AutoRollbackConfiguration,
  type CreateDeploymentInput,
  type DeploymentGroupInfo,
  type DeploymentInfo,
  type MinimumHealthyHosts,
  type DeploymentTarget,
  type ErrorInformation,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import type { Sleep } from '../../src/common/log.js'
import type { DeploySettings } from '../../src/settings/settings.js'

export const HOOKS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
]

export interface EventFailure {
  errorCode: string
  script: string
  message: string
  logTail: string
}

export interface InstancePlan {
  id: string
  /** Per hook, how long it runs (default 2 s each). */
  eventMs?: number
  /** Hook that fails, and how. */
  failAt?: { event: string } & EventFailure
  /** Its turn comes this long after the deployment starts (OneAtATime): Pending until then (default 0). */
  turnAtMs?: number
  /**
   * After its turn comes, its agent picks up the first event this much later (target InProgress,
   * events Pending meanwhile). Infinity: never; CodeDeploy fails the event after its hour.
   */
  agentSilentMs?: number
}

/** CodeDeploy's hour for an agent to pick up a lifecycle event. */
export const AGENT_HOUR_MS = 3_600_000
export const AGENT_NOT_RECEIVED_TEXT =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'

export interface DeploymentPlan {
  instances: InstancePlan[]
  /** Created → InProgress after this long (default 2 s). */
  startDelayMs?: number
  autoRollback?: AutoRollbackConfiguration
  /** How the rollback CodeDeploy starts after a failure goes (default: all succeed). */
  rollbackPlan?: DeploymentPlan
  /** Delay before rollbackInfo appears on the failed deployment (default 3 s). */
  rollbackAppearsMs?: number
  /** The failed deployment's errorInformation (default HOOK_EXECUTION_FAILURE). */
  error?: ErrorInformation
}

interface Deployment {
  id: string
  application: string
  group: string
  createdAt: number
  plan: DeploymentPlan
  input?: CreateDeploymentInput
  stoppedAt?: number
  stopRollback?: boolean
  rollbackId?: string
  creator: string
}

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status }
  })
}

export class FakeClock {
  t = 1_700_000_000_000
  readonly start = this.t
  sleeps: number[] = []
  private timers: { at: number; fn: () => void }[] = []
  now = (): number => this.t
  sleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) return
    this.sleeps.push(ms)
    const target = this.t + ms
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at)[0]
      if (!due) break
      this.timers = this.timers.filter((x) => x !== due)
      this.t = Math.max(this.t, due.at)
      due.fn()
      if (signal?.aborted) return
    }
    this.t = target
    await Promise.resolve()
  }
  /** Runs fn when the clock passes `afterMs` from the start (e.g. abort a signal). */
  at(afterMs: number, fn: () => void): void {
    this.timers.push({ at: this.start + afterMs, fn })
  }
  elapsed(): number {
    return this.t - this.start
  }
}

export type Fault = (command: string, elapsedMs: number) => Error | undefined

export class FakeCodeDeploy {
  readonly client = new CodeDeployClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }
  })
  readonly mock: AwsClientStub<CodeDeployClient>
  readonly deployments = new Map<string, Deployment>()
  applications = ['my-app', 'other-app']
  groups = ['blue', 'green', 'staging']
  /** Plans for the next CreateDeployment calls, in order; the last one repeats. */
  nextPlans: DeploymentPlan[] = [{ instances: [{ id: 'i-0001' }, { id: 'i-0002' }] }]
  fault: Fault = () => undefined
  /** Error CreateDeployment throws (after faults), if any. */
  createError?: (input: CreateDeploymentInput) => Error | undefined
  /** What GetDeploymentGroup answers beyond the names (undefined: AccessDenied). */
  groupInfo?: DeploymentGroupInfo = {}
  /**
   * GetDeploymentGroup also answers lastAttemptedDeployment (the newest, in progress included) and
   * lastSuccessfulDeployment from the deployments made, as AWS does (off: only groupInfo).
   */
  trackHistory = false
  /** GetDeploymentConfig's answers by name (a missing name: DeploymentConfigDoesNotExistException). */
  configs: Record<string, MinimumHealthyHosts> = {
    'CodeDeployDefault.OneAtATime': { type: 'MOST_CONCURRENCY' as 'HOST_COUNT', value: 1 },
    'CodeDeployDefault.HalfAtATime': { type: 'FLEET_PERCENT', value: 50 },
    'CodeDeployDefault.AllAtOnce': { type: 'HOST_COUNT', value: 0 }
  }
  /** Whether ListDeployments may be called (false: AccessDenied). */
  listDeploymentsAllowed = true
  /** How DeploymentLimitExceededException words the active id. */
  limitMessage = (group: string, id: string): string =>
    `The Deployment Group '${group}' already has an active Deployment '${id}'`
  private seq = 0
  readonly calls: string[] = []

  constructor(readonly clock: FakeClock) {
    this.mock = mockClient(this.client)
    const handle =
      <I, O>(name: string, fn: (input: I) => O) =>
      async (input: I): Promise<O> => {
        this.calls.push(name)
        const err = this.fault(name, this.clock.elapsed())
        if (err) throw err
        return fn(input)
      }
    // One behaviour on the stub that dispatches on the command's class. With one `.on()` per
    // command, sinon tests every call against every matcher: over a second in the suites that
    // poll thousands of times. Calls are still recorded (`mock.calls()`, `commandCalls`).
    const handlers = new Map<unknown, (input: never) => Promise<unknown>>()
    const on = <I, O>(
      command: abstract new (...args: never[]) => unknown,
      fn: (input: I) => Promise<O>
    ) => handlers.set(command, fn as (input: never) => Promise<unknown>)
    this.mock.send.callsFake((async (command: { constructor: unknown; input: never }) => {
      const fn = handlers.get(command.constructor)
      if (!fn) throw new Error(`FakeCodeDeploy: no handler for ${String(command.constructor)}`)
      return fn(command.input)
    }) as never)
    on(
      CreateDeploymentCommand,
      handle('CreateDeployment', (i: CreateDeploymentInput) => this.create(i))
    )
    on(
      GetDeploymentCommand,
      handle('GetDeployment', (i: { deploymentId?: string }) => ({
        deploymentInfo: this.info(this.get(i.deploymentId))
      }))
    )
    on(
      ListDeploymentTargetsCommand,
      handle('ListDeploymentTargets', (i: { deploymentId?: string; nextToken?: string }) =>
        this.listTargets(i)
      )
    )
    on(
      BatchGetDeploymentTargetsCommand,
      handle('BatchGetDeploymentTargets', (i: { deploymentId?: string; targetIds?: string[] }) => {
        if ((i.targetIds?.length ?? 0) > 25)
          throw awsError('DeploymentTargetListSizeExceededException', 'too many')
        const d = this.get(i.deploymentId)
        return { deploymentTargets: (i.targetIds ?? []).map((t) => this.target(d, t)) }
      })
    )
    on(
      ListDeploymentsCommand,
      handle(
        'ListDeployments',
        (i: { deploymentGroupName?: string; includeOnlyStatuses?: string[] }) => {
          if (!this.listDeploymentsAllowed)
            throw awsError(
              'AccessDeniedException',
              'not authorized to perform: codedeploy:ListDeployments'
            )
          const ids = [...this.deployments.values()]
            .filter(
              (d) =>
                d.group === i.deploymentGroupName &&
                (i.includeOnlyStatuses ?? []).includes(this.info(d).status ?? '')
            )
            .map((d) => d.id)
          return { deployments: ids }
        }
      )
    )
    on(
      StopDeploymentCommand,
      handle('StopDeployment', (i: { deploymentId?: string; autoRollbackEnabled?: boolean }) => {
        const d = this.get(i.deploymentId)
        if (['Succeeded', 'Failed', 'Stopped'].includes(this.info(d).status ?? '')) {
          throw awsError(
            'DeploymentAlreadyCompletedException',
            `Deployment ${d.id} has already completed.`
          )
        }
        d.stoppedAt = this.clock.t
        d.stopRollback = i.autoRollbackEnabled
        return { status: 'Pending', statusMessage: 'Stop request is in progress' }
      })
    )
    on(
      GetDeploymentGroupCommand,
      handle(
        'GetDeploymentGroup',
        (i: { applicationName?: string; deploymentGroupName?: string }) => {
          if (!this.groupInfo)
            throw awsError(
              'AccessDeniedException',
              'not authorized to perform: codedeploy:GetDeploymentGroup'
            )
          return {
            deploymentGroupInfo: {
              applicationName: i.applicationName,
              deploymentGroupName: i.deploymentGroupName,
              ...(this.trackHistory ? this.history(i.deploymentGroupName ?? '') : {}),
              ...this.groupInfo
            }
          }
        }
      )
    )
    on(
      GetDeploymentConfigCommand,
      handle('GetDeploymentConfig', (i: { deploymentConfigName?: string }) => {
        const m = this.configs[i.deploymentConfigName ?? '']
        if (!m)
          throw awsError(
            'DeploymentConfigDoesNotExistException',
            `No config ${i.deploymentConfigName}`
          )
        return {
          deploymentConfigInfo: {
            deploymentConfigName: i.deploymentConfigName,
            minimumHealthyHosts: m
          }
        }
      })
    )
    on(
      ListApplicationsCommand,
      handle('ListApplications', () => ({ applications: this.applications }))
    )
    on(
      ListDeploymentGroupsCommand,
      handle('ListDeploymentGroups', (i: { applicationName?: string }) => ({
        applicationName: i.applicationName,
        deploymentGroups: this.groups
      }))
    )
  }

  count(name: string): number {
    return this.calls.filter((c) => c === name).length
  }

  /** A deployment that exists before the test starts (another run's), active for `plan`'s duration. */
  addDeployment(
    group: string,
    plan: DeploymentPlan,
    id = this.newId(),
    creator = 'user',
    input?: CreateDeploymentInput
  ): string {
    this.deployments.set(id, {
      id,
      application: 'my-app',
      group,
      createdAt: this.clock.t,
      plan,
      creator,
      ...(input ? { input } : {})
    })
    return id
  }

  /** The group's newest deployment and newest successful one, as GetDeploymentGroup names them. */
  private history(group: string): Partial<DeploymentGroupInfo> {
    // Newest first; of two made at the same fake instant, the later one.
    const mine = [...this.deployments.values()]
      .reverse()
      .filter((d) => d.group === group)
      .sort((a, b) => b.createdAt - a.createdAt)
    const summary = (d: Deployment) => {
      const status = this.info(d).status
      return { deploymentId: d.id, status, createTime: new Date(d.createdAt) }
    }
    const attempted = mine[0]
    const succeeded = mine.find((d) => this.info(d).status === 'Succeeded')
    return {
      ...(attempted ? { lastAttemptedDeployment: summary(attempted) } : {}),
      ...(succeeded ? { lastSuccessfulDeployment: summary(succeeded) } : {})
    }
  }

  private newId(): string {
    this.seq++
    return `d-${String(this.seq).padStart(4, '0')}ABCDE`
  }

  private get(id: string | undefined): Deployment {
    const d = this.deployments.get(id ?? '')
    if (!d)
      throw awsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`)
    return d
  }

  private create(input: CreateDeploymentInput): { deploymentId: string } {
    const err = this.createError?.(input)
    if (err) throw err
    if (!this.applications.includes(input.applicationName ?? '')) {
      throw awsError(
        'ApplicationDoesNotExistException',
        `No application found for name: ${input.applicationName}`
      )
    }
    if (!this.groups.includes(input.deploymentGroupName ?? '')) {
      throw awsError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${input.deploymentGroupName}`
      )
    }
    const active = [...this.deployments.values()].find(
      (d) =>
        d.group === input.deploymentGroupName &&
        !['Succeeded', 'Failed', 'Stopped'].includes(this.info(d).status ?? '')
    )
    if (active)
      throw awsError('DeploymentLimitExceededException', this.limitMessage(active.group, active.id))
    const plan = this.nextPlans.length > 1 ? this.nextPlans.shift()! : this.nextPlans[0]!
    const id = this.newId()
    this.deployments.set(id, {
      id,
      application: input.applicationName ?? '',
      group: input.deploymentGroupName ?? '',
      createdAt: this.clock.t,
      plan: { ...plan, autoRollback: input.autoRollbackConfiguration ?? plan.autoRollback },
      input,
      creator: 'user'
    })
    return { deploymentId: id }
  }

  private startOf(d: Deployment): number {
    return d.createdAt + (d.plan.startDelayMs ?? 2000)
  }

  private turnOf(d: Deployment, p: InstancePlan): number {
    return this.startOf(d) + (p.turnAtMs ?? 0)
  }

  /** Lifecycle events of one instance as of time t (frozen at the stop time when stopped). */
  private events(d: Deployment, p: InstancePlan): LifecycleEvent[] {
    const t = d.stoppedAt !== undefined ? Math.min(this.clock.t, d.stoppedAt) : this.clock.t
    if (p.agentSilentMs === Infinity) {
      const failsAt = this.turnOf(d, p) + AGENT_HOUR_MS
      return HOOKS.map((name, i) => {
        if (t < failsAt) return { lifecycleEventName: name, status: 'Pending' }
        if (i > 0) return { lifecycleEventName: name, status: 'Skipped' }
        return {
          lifecycleEventName: name,
          status: 'Failed',
          endTime: new Date(failsAt),
          diagnostics: {
            errorCode: 'UnknownError',
            scriptName: '',
            message: AGENT_NOT_RECEIVED_TEXT,
            logTail: ''
          }
        }
      })
    }
    let at = this.turnOf(d, p) + (p.agentSilentMs ?? 0)
    let failed = false
    return HOOKS.map((name) => {
      const ms = p.eventMs ?? 2000
      const start = at
      at += ms
      if (failed) return { lifecycleEventName: name, status: 'Skipped' }
      if (t < start) return { lifecycleEventName: name, status: 'Pending' }
      const fail = p.failAt?.event === name ? p.failAt : undefined
      if (t < start + ms)
        return { lifecycleEventName: name, status: 'InProgress', startTime: new Date(start) }
      if (fail) failed = true
      return {
        lifecycleEventName: name,
        status: fail ? 'Failed' : 'Succeeded',
        startTime: new Date(start),
        endTime: new Date(start + ms),
        diagnostics: fail
          ? {
              errorCode: fail.errorCode as 'ScriptFailed',
              scriptName: fail.script,
              message: fail.message,
              logTail: fail.logTail
            }
          : { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' }
      }
    })
  }

  private instanceStatus(d: Deployment, p: InstancePlan): string {
    const events = this.events(d, p)
    const t = d.stoppedAt !== undefined ? Math.min(this.clock.t, d.stoppedAt) : this.clock.t
    if (events.some((e) => e.status === 'Failed')) return 'Failed'
    if (events.every((e) => e.status === 'Succeeded')) return 'Succeeded'
    if (events.every((e) => e.status === 'Pending') && t < this.turnOf(d, p)) return 'Pending'
    return 'InProgress'
  }

  /** When the whole deployment ends (all instances done), if it runs unstopped. */
  private endOf(d: Deployment): number {
    return Math.max(
      ...d.plan.instances.map((p) => {
        if (p.agentSilentMs === Infinity) return this.turnOf(d, p) + AGENT_HOUR_MS
        const ms = p.eventMs ?? 2000
        const upTo = p.failAt ? HOOKS.indexOf(p.failAt.event) + 1 : HOOKS.length
        return this.turnOf(d, p) + (p.agentSilentMs ?? 0) + upTo * ms
      })
    )
  }

  private target(d: Deployment, targetId: string): DeploymentTarget {
    const p = d.plan.instances.find((x) => x.id === targetId)
    if (!p) return {}
    const events = this.events(d, p)
    const status = this.instanceStatus(d, p)
    return {
      deploymentTargetType: 'InstanceTarget',
      instanceTarget: {
        deploymentId: d.id,
        targetId,
        status: status as 'Pending',
        // What a silent-agent check reads: when the instance's turn came (the rest is not modelled).
        ...(status === 'Pending' ? {} : { lastUpdatedAt: new Date(this.turnOf(d, p)) }),
        lifecycleEvents: events
      }
    }
  }

  private listTargets(i: { deploymentId?: string; nextToken?: string }): {
    targetIds: string[]
    nextToken?: string
  } {
    const d = this.get(i.deploymentId)
    if (this.clock.t < this.startOf(d))
      throw awsError('DeploymentNotStartedException', 'The deployment has not started.')
    const ids = d.plan.instances.map((p) => p.id)
    const from = Number(i.nextToken ?? '0')
    const page = ids.slice(from, from + 100)
    return from + 100 < ids.length
      ? { targetIds: page, nextToken: String(from + 100) }
      : { targetIds: page }
  }

  info(d: Deployment): DeploymentInfo {
    const t = this.clock.t
    const base: DeploymentInfo = {
      deploymentId: d.id,
      applicationName: d.application,
      deploymentGroupName: d.group,
      createTime: new Date(d.createdAt),
      creator: d.creator as 'user',
      description: d.input?.description,
      revision: d.input?.revision,
      deploymentConfigName: d.input?.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
      autoRollbackConfiguration: d.plan.autoRollback ?? { enabled: false }
    }
    if (t < this.startOf(d) && d.stoppedAt === undefined) return { ...base, status: 'Created' }
    const statuses = d.plan.instances.map((p) => this.instanceStatus(d, p))
    const overview = {
      Pending: statuses.filter((s) => s === 'Pending').length,
      InProgress: statuses.filter((s) => s === 'InProgress').length,
      Succeeded: statuses.filter((s) => s === 'Succeeded').length,
      Failed: statuses.filter((s) => s === 'Failed').length,
      Skipped: 0,
      Ready: 0
    }
    const started = { ...base, startTime: new Date(this.startOf(d)), deploymentOverview: overview }
    if (d.stoppedAt !== undefined) {
      if (t < d.stoppedAt + 1000) return { ...started, status: 'InProgress' }
      this.maybeRollback(d, d.stoppedAt + 1000, Boolean(d.stopRollback))
      return {
        ...started,
        status: 'Stopped',
        completeTime: new Date(d.stoppedAt + 1000),
        errorInformation: { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user.' },
        ...this.rollbackInfo(d, d.stoppedAt + 1000)
      }
    }
    const end = this.endOf(d)
    if (t < end) return { ...started, status: 'InProgress' }
    // A plan with its own error fails even with no failed instance (NO_INSTANCES).
    if (overview.Failed === 0 && !d.plan.error)
      return { ...started, status: 'Succeeded', completeTime: new Date(end) }
    const rb = d.plan.autoRollback
    this.maybeRollback(d, end, Boolean(rb?.enabled && rb.events?.includes('DEPLOYMENT_FAILURE')))
    return {
      ...started,
      status: 'Failed',
      completeTime: new Date(end),
      errorInformation: d.plan.error ?? {
        code: 'HOOK_EXECUTION_FAILURE',
        message: 'The deployment failed because one or more instances failed a lifecycle event.'
      },
      ...this.rollbackInfo(d, end)
    }
  }

  private maybeRollback(d: Deployment, endedAt: number, enabled: boolean): void {
    const appears = endedAt + (d.plan.rollbackAppearsMs ?? 3000)
    if (!enabled || d.rollbackId || this.clock.t < appears) return
    const id = this.newId()
    d.rollbackId = id
    const plan = d.plan.rollbackPlan ?? { instances: d.plan.instances.map((p) => ({ id: p.id })) }
    this.deployments.set(id, {
      id,
      application: d.application,
      group: d.group,
      createdAt: appears,
      plan,
      creator: 'codeDeployRollback'
    })
  }

  private rollbackInfo(d: Deployment, endedAt: number): Partial<DeploymentInfo> {
    if (!d.rollbackId || this.clock.t < endedAt + (d.plan.rollbackAppearsMs ?? 3000)) return {}
    return {
      rollbackInfo: {
        rollbackDeploymentId: d.rollbackId,
        rollbackMessage: `Deployment rolled back by ${d.rollbackId}`
      }
    }
  }

  completeTimeOf(id: string): number {
    const i = this.info(this.get(id))
    return i.completeTime?.getTime() ?? NaN
  }
}

/** The deploy slice of the settings: all the deploy modules read. */
export function testSettings(over: Partial<DeploySettings> = {}): DeploySettings {
  return {
    application: 'my-app',
    deploymentGroups: ['blue'],
    description: 'owner/repo abc1234 run 42',
    ignoreApplicationStopFailures: false,
    updateOutdatedInstancesOnly: false,
    ifActiveDeployment: 'wait',
    wait: true,
    waitTimeoutMinutes: 60,
    onTimeout: 'fail',
    agentSilenceTimeoutMinutes: 5,
    onAgentSilence: 'warn',
    stopOnCancel: true,
    waitUntil: 'succeeded',
    onReady: 'wait',
    failedReplacementFleet: 'keep',
    ...over
  }
}

export const REVISION = {
  bucket: 'my-bucket',
  key: 'my-app/42/0123456789abcdef.tgz',
  bundleType: 'tgz' as const,
  eTag: 'abc123',
  version: 'v1'
}
