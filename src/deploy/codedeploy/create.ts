// Creating one deployment for one group, queueing behind (or refusing) a deployment already active there.
import type { DeployContext } from '../context.js'
import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  type CreateDeploymentCommandOutput,
  type CreateDeploymentInput
} from '@aws-sdk/client-codedeploy'
import { ActionError } from '../../common/errors.js'
import { firstAndMore } from '../../common/plural.js'
import type { DeploySettings, RequestSettings } from '../../settings/settings.js'
import { deploymentConsoleUrl } from './console-url.js'
import { errorCode, isAccessDenied, isThrottling, isTransient } from '../../aws/aws-errors.js'
import { codeDeployCallError } from '../../aws/codedeploy-errors.js'
import { buildCreateDeploymentInput, type S3Revision } from './request.js'
import { awsPolicy, retry } from '../../aws/retry.js'
import { ACTIVE_STATUSES } from '../../aws/deployment-statuses.js'
import { CALL_GRACE_MS, pollDelayMs, waitForDeployment } from './wait.js'

/** Attempts at CreateDeployment when throttled or failing transiently. */
export const CREATE_ATTEMPTS = 6
/** Names listed in a "does not exist" message before "and N more". */
const NAMES_SHOWN = 20

export interface CreateOptions extends DeployContext {
  settings: Pick<DeploySettings, keyof RequestSettings | 'ifActiveDeployment'>
  group: string
  revision: S3Revision
  /** Epoch ms: queueing behind an active deployment ends here. */
  deadline: number
  region: string
  /**
   * Asked right before each CreateDeployment and whenever another deployment becomes the group's
   * active one: a reason not to deploy after all (a newer commit is deployed), or undefined.
   * It may throw an ActionError to fail the step instead.
   */
  beforeCreate?: () => Promise<string | undefined>
}

export type CreateResult =
  | { kind: 'created'; deploymentId: string }
  /** Still queued behind `activeDeploymentId` (empty when CodeDeploy did not say which) when time ran out or the run was cancelled. */
  | { kind: 'timed-out' | 'cancelled'; activeDeploymentId: string }
  /** beforeCreate said not to deploy: `notice` says why. */
  | { kind: 'skipped'; notice: string }

/** The active deployment's id as DeploymentLimitExceededException states it. */
export function activeIdFromMessage(message: string): string | undefined {
  return /\bd-[A-Z0-9]{9}\b/.exec(message)?.[0]
}

function nameList(names: string[]): string {
  if (names.length === 0) return 'none'
  return firstAndMore(
    names.map((n) => `'${n}'`),
    NAMES_SHOWN
  )
}

/** All pages of a list call, best effort: undefined when it cannot be listed. */
async function listAll(
  fetchPage: (token?: string) => Promise<{ names?: string[]; nextToken?: string }>
): Promise<string[] | undefined> {
  const names: string[] = []
  let token: string | undefined
  try {
    for (let page = 0; page < 10; page++) {
      const out = await fetchPage(token)
      names.push(...(out.names ?? []))
      token = out.nextToken || undefined
      if (!token) break
    }
    return names
  } catch {
    return undefined
  }
}

/** What to check after CreateDeployment failed with `err`: names what exists when something named does not. */
async function createCheck(
  err: unknown,
  o: CreateOptions,
  input: CreateDeploymentInput
): Promise<string | undefined> {
  const { codedeploy, region, settings, group } = o
  const app = settings.application
  switch (errorCode(err)) {
    case 'ApplicationDoesNotExistException': {
      const apps = await listAll(async (nextToken) => {
        const out = await codedeploy.send(new ListApplicationsCommand({ nextToken }))
        return { names: out.applications, nextToken: out.nextToken }
      })
      if (!apps) return `Check the application input and the region (${region}).`
      return `Application '${app}' does not exist in ${region}. Applications there: ${nameList(apps)}. Check the application input and the region.`
    }
    case 'DeploymentGroupDoesNotExistException': {
      const groups = await listAll(async (nextToken) => {
        const out = await codedeploy.send(
          new ListDeploymentGroupsCommand({ applicationName: app, nextToken })
        )
        return { names: out.deploymentGroups, nextToken: out.nextToken }
      })
      if (!groups) return `Check the deployment-group input and the region (${region}).`
      return `Deployment group '${group}' does not exist in application '${app}' (${region}). Its groups: ${nameList(groups)}. Check the deployment-group input.`
    }
    case 'DeploymentConfigDoesNotExistException':
      return `Deployment configuration '${settings.deploymentConfig ?? ''}' does not exist: check deployment-config (built in: CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce), or leave it empty to use the group's.`
    case 'InvalidRevisionException':
    case 'RevisionDoesNotExistException':
    case 'InvalidS3LocationException': {
      const s3 = input.revision?.s3Location
      const version = s3?.version ? ` (version ${s3.version})` : ''
      return `Check that s3://${s3?.bucket}/${s3?.key}${version} exists in ${region}, is a ${s3?.bundleType} archive, and that the bucket is in the same region as CodeDeploy.`
    }
    case 'InvalidRoleException':
      return `The service role of deployment group '${group}' is not usable: check that the role exists, trusts codedeploy.amazonaws.com, and has the AWSCodeDeployRole managed policy.`
    case 'InvalidAutoRollbackConfigException':
      return `Check the auto-rollback input and the group's alarm and rollback settings.`
    case 'InvalidFileExistsBehaviorException':
      return `Check file-exists-behavior: DISALLOW, OVERWRITE or RETAIN.`
    default:
      if (isAccessDenied(err)) {
        return `Grant the IAM action codedeploy:CreateDeployment on the deployment group; creating a deployment also needs codedeploy:RegisterApplicationRevision and codedeploy:GetApplicationRevision on the application and codedeploy:GetDeploymentConfig (the action the message names is the one missing). Waiting and diagnosis use codedeploy:GetDeployment, ListDeployments, ListDeploymentTargets, BatchGetDeploymentTargets and StopDeployment: see examples/iam-policy.json in the action's repository.`
      }
      return undefined
  }
}

/**
 * The queue's own calls end, like the main wait's GetDeployment, at the deadline plus a grace:
 * a CodeDeploy that stops answering cannot hold the step past wait-timeout. Also ends on cancel.
 */
function boundedSignal(o: CreateOptions): AbortSignal {
  const overdue = AbortSignal.timeout(Math.max(0, o.deadline - o.now()) + CALL_GRACE_MS)
  return o.signal ? AbortSignal.any([o.signal, overdue]) : overdue
}

/** The group's active deployment per ListDeployments; undefined when none, or when we may not list. */
async function findActiveDeployment(o: CreateOptions): Promise<string | undefined> {
  try {
    const out = await o.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: o.settings.application,
        deploymentGroupName: o.group,
        includeOnlyStatuses: [...ACTIVE_STATUSES]
      }),
      { abortSignal: boundedSignal(o) }
    )
    return out.deployments?.[0]
  } catch (err) {
    // Queueing still works through DeploymentLimitExceededException, so a missing permission here is no failure.
    o.log.debug(
      `ListDeployments failed, relying on CreateDeployment to report an active deployment: ${errorCode(err)}`
    )
    return undefined
  }
}

/** After a CreateDeployment whose answer was lost, the "active" deployment may be the one we created. */
async function isOurs(
  o: CreateOptions,
  id: string,
  input: CreateDeploymentInput
): Promise<boolean> {
  try {
    const info = (
      await o.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }), {
        abortSignal: boundedSignal(o)
      })
    ).deploymentInfo
    const theirs = info?.revision?.s3Location
    const ours = input.revision?.s3Location
    return (
      info?.deploymentGroupName === o.group &&
      info?.description === input.description &&
      theirs?.bucket === ours?.bucket &&
      theirs?.key === ours?.key &&
      (theirs?.eTag ?? '') === (ours?.eTag ?? '')
    )
  } catch {
    return false
  }
}

type Attempt = { id: string } | { activeId: string | undefined } | { cancelled: true }

/** One CreateDeployment, retried on throttling and transient errors. Returns the id, or the active deployment blocking it. */
async function tryCreate(o: CreateOptions, input: CreateDeploymentInput): Promise<Attempt> {
  if (o.signal?.aborted) return { cancelled: true }
  let unsureIfSent = false
  let out: CreateDeploymentCommandOutput
  try {
    // No abort signal on the request: one cut off mid-flight may still create a deployment we could then not stop.
    out = await retry(
      () => o.codedeploy.send(new CreateDeploymentCommand(input)),
      awsPolicy({
        attempts: CREATE_ATTEMPTS,
        sleep: o.sleep,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.random ? { random: o.random } : {}),
        onRetry: (err, _attempt, delay) => {
          // A throttled call was refused; any other transient failure may have created the deployment anyway.
          if (!isThrottling(err)) unsureIfSent = true
          const what = isThrottling(err) ? 'was throttled' : `failed (${errorCode(err)})`
          o.log.info(`CreateDeployment ${what}; trying again in ${Math.ceil(delay / 1000)} s.`)
        }
      })
    )
  } catch (err) {
    if (errorCode(err) === 'DeploymentLimitExceededException') {
      const activeId =
        activeIdFromMessage((err as Error).message ?? '') ?? (await findActiveDeployment(o))
      if (activeId && unsureIfSent && (await isOurs(o, activeId, input))) {
        o.log.info(
          `CreateDeployment's answer was lost, but deployment ${activeId} with this revision is the one it created.`
        )
        return { id: activeId }
      }
      return { activeId }
    }
    if (o.signal?.aborted && isTransient(err)) return { cancelled: true }
    throw codeDeployCallError('CreateDeployment', err, await createCheck(err, o, input))
  }
  if (!out.deploymentId)
    throw new ActionError('CreateDeployment returned no deployment id.', 'Try again.')
  return { id: out.deploymentId }
}

/**
 * Creates the deployment. When the group is busy: `wait` follows the active deployment to its end
 * (until the deadline) and tries again; `fail` throws an ActionError naming it. Other failures throw AwsCallError.
 */
export async function createDeployment(o: CreateOptions): Promise<CreateResult> {
  const input = buildCreateDeploymentInput(o.settings, o.group, o.revision)
  let lastActive = ''
  let lastAsked: string | undefined
  for (;;) {
    if (o.signal?.aborted) return { kind: 'cancelled', activeDeploymentId: lastActive }
    const found = await findActiveDeployment(o)
    // Before creating, and as soon as a new deployment holds the group (no wait behind a newer commit).
    if (o.beforeCreate && (!found || found !== lastAsked)) {
      const skip = await o.beforeCreate()
      if (skip) return { kind: 'skipped', notice: skip }
      lastAsked = found
    }
    const attempt: Attempt = found ? { activeId: found } : await tryCreate(o, input)
    if ('cancelled' in attempt) return { kind: 'cancelled', activeDeploymentId: lastActive }
    if ('id' in attempt) return { kind: 'created', deploymentId: attempt.id }
    const activeId = attempt.activeId
    if (!activeId) {
      // CodeDeploy said the group is busy but not with what: try again shortly.
      if (o.now() >= o.deadline) return { kind: 'timed-out', activeDeploymentId: '' }
      await o.sleep(pollDelayMs(Number.MAX_SAFE_INTEGER), o.signal)
      continue
    }
    const url = deploymentConsoleUrl(o.region, activeId)
    if (o.settings.ifActiveDeployment === 'fail') {
      throw new ActionError(
        `Deployment group '${o.group}' already has an active deployment, ${activeId} (${url}).`,
        'Wait for it to end or stop it, or set if-active-deployment: wait to queue behind it.'
      )
    }
    if (activeId !== lastActive) {
      o.log.info(
        `Deployment group '${o.group}' is busy with deployment ${activeId}; waiting for it to end before deploying. ${url}`
      )
    }
    lastActive = activeId
    const r = await waitForDeployment({
      deploymentId: activeId,
      codedeploy: o.codedeploy,
      log: o.log,
      sleep: o.sleep,
      now: o.now,
      deadline: o.deadline,
      signal: o.signal,
      trackInstances: false,
      random: o.random
    })
    // No onInstances here, so never 'halted'.
    if (r.kind === 'timed-out' || r.kind === 'cancelled')
      return { kind: r.kind, activeDeploymentId: activeId }
    if (r.kind !== 'terminal') continue
    o.log.info(`Deployment ${activeId} ended (${r.info.status}); deploying to '${o.group}' now.`)
  }
}
