// Turns the raw inputs and the runner's environment into one typed Settings object.
// Nothing downstream reads an input; every malformed value fails here, before any AWS call.
import os from 'node:os'
import path from 'node:path'
import { bucketNameProblem } from './bucket-name.js'
import { parseFileRules } from '../bundle/file-rules.js'
import {
  DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES,
  DEFAULT_KEY,
  DEFAULT_WAIT_TIMEOUT_MINUTES,
  DESCRIPTION_MAX_LENGTH,
  Input
} from './constants.js'
import { InputError } from '../common/errors.js'
import { checkKeyTemplate, placeholdersUsed } from './key-template.js'
import { resolveInWorkspace } from '../common/paths.js'
import { regionInput } from './region.js'
import type {
  BundleSource,
  BundleType,
  FileExistsBehavior,
  RunContext,
  Settings
} from './settings.js'

/** Reads one input, trimmed; '' when not given. core.getInput in production, a map in tests. */
export type InputReader = (name: Input) => string

/** The longest wait we accept: a day covers any real deployment and catches a unit mix-up. */
const MAX_WAIT_TIMEOUT_MINUTES = 1440
/** CodeDeploy's limit for application, group and config names. */
const MAX_NAME_LENGTH = 100

export function readInputsFromEnv(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export function getSettings(read: InputReader, env: NodeJS.ProcessEnv): Settings {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const dryRun = readBoolean(read, Input.DryRun, false)

  const application = readName(read, Input.Application, 'the CodeDeploy application name')
  const deploymentGroups = readGroups(read)
  const continueDeployment = readContinueTarget(read, dryRun, deploymentGroups)
  // Continuing builds and uploads nothing: the bucket is not needed (and ignored when given).
  const bucket = readBucket(read, dryRun || continueDeployment !== undefined)
  const region = readRegion(read)
  const bundle = readBundleSource(read, workspace)
  const keyTemplate = readKeyTemplate(read)
  const run = readRunContext(env)
  checkRunContextFor(keyTemplate, run)

  const sse = readSse(read)
  const sseKmsKeyId = read(Input.SseKmsKeyId)
  if (sseKmsKeyId && sse !== 'aws:kms')
    throw new InputError(
      Input.SseKmsKeyId,
      'is set but `sse` is not aws:kms, so the key would be ignored.',
      'Add `sse: aws:kms`, or remove sse-kms-key-id.'
    )
  if (/\s/.test(sseKmsKeyId))
    throw new InputError(
      Input.SseKmsKeyId,
      'contains whitespace.',
      'Write one KMS key id, alias or ARN.'
    )

  const expectedBucketOwner = read(Input.ExpectedBucketOwner)
  if (expectedBucketOwner && !/^\d{12}$/.test(expectedBucketOwner))
    throw new InputError(
      Input.ExpectedBucketOwner,
      `'${expectedBucketOwner}' is not an AWS account id.`,
      'Write the 12-digit account id that owns the bucket, or leave it empty.'
    )

  const deploymentConfig = read(Input.DeploymentConfig)
  if (deploymentConfig)
    checkName(
      Input.DeploymentConfig,
      deploymentConfig,
      'a deployment configuration name such as CodeDeployDefault.OneAtATime'
    )

  const waitTimeoutMinutes = readWaitTimeout(read)
  const keepRevisions = readKeepRevisions(read, keyTemplate)

  return {
    application,
    deploymentGroups,
    bucket,
    region,
    workspace,
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
    bundle,
    keyTemplate,
    ...(sse ? { sse } : {}),
    ...(sseKmsKeyId ? { sseKmsKeyId } : {}),
    ...(expectedBucketOwner ? { expectedBucketOwner } : {}),
    ...(deploymentConfig ? { deploymentConfig } : {}),
    description: readDescription(read, run),
    ...optional('fileExistsBehavior', readFileExistsBehavior(read)),
    ignoreApplicationStopFailures: readBoolean(read, Input.IgnoreApplicationStopFailures, false),
    updateOutdatedInstancesOnly: readBoolean(read, Input.UpdateOutdatedInstancesOnly, false),
    ...optional('autoRollback', readOptionalBoolean(read, Input.AutoRollback)),
    ifActiveDeployment: readEnum(read, Input.IfActiveDeployment, ['wait', 'fail'] as const, 'wait'),
    wait: readBoolean(read, Input.Wait, true),
    waitTimeoutMinutes,
    onTimeout: readEnum(read, Input.OnTimeout, ['fail', 'stop'] as const, 'fail'),
    stopOnCancel: readBoolean(read, Input.StopOnCancel, true),
    agentSilenceTimeoutMinutes: readAgentSilenceTimeout(read),
    onAgentSilence: readEnum(read, Input.OnAgentSilence, ['warn', 'fail'] as const, 'warn'),
    dryRun,
    waitUntil: readEnum(
      read,
      Input.WaitUntil,
      ['succeeded', 'traffic-rerouted'] as const,
      'succeeded'
    ),
    onReady: readEnum(read, Input.OnReady, ['wait', 'continue', 'finish'] as const, 'wait'),
    ...optional('continueDeployment', continueDeployment),
    failedReplacementFleet: readEnum(
      read,
      Input.FailedReplacementFleet,
      ['keep', 'delete'] as const,
      'keep'
    ),
    ifNewerDeployed: readEnum(
      read,
      Input.IfNewerDeployed,
      ['skip', 'fail', 'deploy'] as const,
      'skip'
    ),
    githubToken: readGithubToken(read),
    keepRevisions,
    run
  }
}

/** CodeDeploy's deployment ids: d- and nine upper-case letters or digits. */
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/

/**
 * continue-deployment (and continue-termination, which only means something with it). Refuses
 * the inputs that would build or upload, since nothing is built: a silent ignore would let a
 * user believe a new revision went out.
 */
function readContinueTarget(
  read: InputReader,
  dryRun: boolean,
  groups: string[]
): Settings['continueDeployment'] {
  const id = read(Input.ContinueDeployment)
  const termination = readBoolean(read, Input.ContinueTermination, false)
  if (!id) {
    if (termination)
      throw new InputError(
        Input.ContinueTermination,
        'is true but `continue-deployment` is empty, so there is no deployment whose termination wait to end.',
        'Set `continue-deployment` to the id of the deployment in its termination wait (the deployment-id output of the run that created it).'
      )
    return undefined
  }
  singleLine(Input.ContinueDeployment, id)
  if (!DEPLOYMENT_ID.test(id))
    throw new InputError(
      Input.ContinueDeployment,
      `'${id}' is not a CodeDeploy deployment id.`,
      'Write an id such as d-ABCDEF123 (the deployment-id output of the run that created it).'
    )
  for (const name of [Input.Archive, Input.Files] as const)
    if (read(name))
      throw new InputError(
        name,
        `is set together with \`continue-deployment\`, which builds and uploads nothing.`,
        `Remove \`${name}\` from the step that continues ${id}.`
      )
  if (dryRun)
    throw new InputError(
      Input.DryRun,
      `is true together with \`continue-deployment\`; continuing calls ContinueDeployment, which a dry run never does.`,
      'Remove dry-run from the step that continues the deployment.'
    )
  if (groups.length > 1)
    throw new InputError(
      Input.DeploymentGroup,
      `lists ${groups.length} groups, but continue-deployment continues one deployment of one group.`,
      `Name only the group of ${id}.`
    )
  return { deploymentId: id, termination }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

function singleLine(name: Input, value: string): void {
  if (/[\r\n]/.test(value))
    throw new InputError(name, 'spans several lines.', 'Write a single value on one line.')
}

function checkName(name: Input, value: string, what: string): void {
  singleLine(name, value)
  if (value.length > MAX_NAME_LENGTH)
    throw new InputError(
      name,
      `is ${value.length} characters long; CodeDeploy allows ${MAX_NAME_LENGTH}.`,
      `Write ${what}.`
    )
  if (/[\p{Cc}]/u.test(value))
    throw new InputError(name, 'contains control characters.', `Write ${what}.`)
}

function readName(read: InputReader, name: Input, what: string): string {
  const value = read(name)
  if (!value) throw new InputError(name, 'is required.', `Set \`${name}\` to ${what}.`)
  checkName(name, value, what)
  return value
}

function readGroups(read: InputReader): string[] {
  const raw = read(Input.DeploymentGroup)
  const groups = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
  if (groups.length === 0)
    throw new InputError(
      Input.DeploymentGroup,
      'is required.',
      'Set `deployment-group` to a deployment group name (several, one per line, deploy in order).'
    )
  const seen = new Set<string>()
  for (const g of groups) {
    checkName(Input.DeploymentGroup, g, 'one deployment group name per line')
    if (seen.has(g))
      throw new InputError(
        Input.DeploymentGroup,
        `lists '${g}' twice.`,
        'List each deployment group once; they are deployed in order.'
      )
    seen.add(g)
  }
  return groups
}

function readBucket(read: InputReader, dryRun: boolean): string {
  const bucket = read(Input.Bucket)
  if (!bucket) {
    if (dryRun) return ''
    throw new InputError(
      Input.Bucket,
      'is required to upload the revision.',
      'Set `bucket` to the S3 bucket name, or set `dry-run: true` to only build and validate.'
    )
  }
  singleLine(Input.Bucket, bucket)
  const problem = bucketNameProblem(bucket)
  if (problem) {
    const bare = bucket.replace(/^s3:\/\//i, '').split('/')[0]
    throw new InputError(
      Input.Bucket,
      `'${bucket}' ${problem}.`,
      problem.startsWith('is a URI')
        ? `Write only the bucket name (e.g. '${bare}'); the key comes from \`key\`.`
        : 'Write the name of an existing S3 bucket.'
    )
  }
  return bucket
}

function readRegion(read: InputReader): string {
  return regionInput(read(Input.Region))
}

const ARCHIVE_TYPES: [suffix: string, type: BundleType][] = [
  ['.tar.gz', 'tgz'],
  ['.tgz', 'tgz'],
  ['.tar', 'tar'],
  ['.zip', 'zip']
]

function readBundleSource(read: InputReader, workspace: string): BundleSource {
  const archive = read(Input.Archive)
  const source = read(Input.Source)
  const files = read(Input.Files)
  const bundleType = read(Input.BundleType)

  if (archive) {
    singleLine(Input.Archive, archive)
    if ((source && source !== '.') || files)
      throw new InputError(
        Input.Archive,
        `is set together with \`${files ? Input.Files : Input.Source}\`; a pre-built archive is deployed as it is.`,
        'Remove `archive` to build the bundle from source/files, or remove source and files.'
      )
    const match = ARCHIVE_TYPES.find(([suffix]) => archive.toLowerCase().endsWith(suffix))
    if (!match)
      throw new InputError(
        Input.Archive,
        `'${archive}' does not end in .tgz, .tar.gz, .tar or .zip, so its type is unknown.`,
        'Name the archive with one of those extensions.'
      )
    const type = match[1]
    if (bundleType && bundleType.toLowerCase() !== 'tgz' && bundleType.toLowerCase() !== type)
      throw new InputError(
        Input.BundleType,
        `is '${bundleType}' but the archive '${archive}' is a ${type}.`,
        'Remove `bundle-type`: a pre-built archive takes its type from its name.'
      )
    const abs = resolveInWorkspace(workspace, archive)
    if (!abs)
      throw new InputError(
        Input.Archive,
        `'${archive}' is outside the workspace (${workspace}).`,
        'Give a path inside the workspace, e.g. build/deploy.tgz.'
      )
    return { kind: 'archive', path: abs, type }
  }

  const type = readEnum(read, Input.BundleType, ['tgz', 'zip', 'tar'] as const, 'tgz')
  const src = source || '.'
  singleLine(Input.Source, src)
  const sourceDir = resolveInWorkspace(workspace, src)
  if (!sourceDir)
    throw new InputError(
      Input.Source,
      `'${src}' is outside the workspace (${workspace}).`,
      'Give a folder relative to the workspace, e.g. codedeploy.'
    )
  return { kind: 'build', sourceDir, rules: parseFileRules(files), type }
}

function readKeyTemplate(read: InputReader): string {
  const key = read(Input.Key) || DEFAULT_KEY
  const problem = checkKeyTemplate(key)
  if (problem)
    throw new InputError(
      Input.Key,
      `'${key}' ${problem}.`,
      'Use only {application} {run_number} {run_attempt} {run_id} {sha} {short_sha} {ref_name} {bundle_hash} {ext}, e.g. ' +
        `'${DEFAULT_KEY}'.`
    )
  return key
}

function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  return {
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    sha: env.GITHUB_SHA ?? '',
    refName: env.GITHUB_REF_NAME ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    workflowRef: env.GITHUB_WORKFLOW_REF ?? '',
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  }
}

const CONTEXT_VARIABLE: Partial<Record<string, [keyof RunContext, string]>> = {
  run_number: ['runNumber', 'GITHUB_RUN_NUMBER'],
  run_attempt: ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
  run_id: ['runId', 'GITHUB_RUN_ID'],
  sha: ['sha', 'GITHUB_SHA'],
  short_sha: ['sha', 'GITHUB_SHA'],
  ref_name: ['refName', 'GITHUB_REF_NAME']
}

/** A placeholder whose variable is missing would give a key like 'app//x.tgz': refuse it. */
function checkRunContextFor(template: string, run: RunContext): void {
  for (const name of placeholdersUsed(template)) {
    const v = CONTEXT_VARIABLE[name]
    if (v && !run[v[0]])
      throw new InputError(
        Input.Key,
        `uses {${name}} but ${v[1]} is not set (the runner sets it in GitHub Actions).`,
        `Run inside GitHub Actions, set ${v[1]}, or remove {${name}} from the key.`
      )
  }
}

function readSse(read: InputReader): Settings['sse'] {
  const value = read(Input.Sse)
  if (!value) return undefined
  if (value.toUpperCase() === 'AES256') return 'AES256'
  if (value.toLowerCase() === 'aws:kms') return 'aws:kms'
  throw new InputError(
    Input.Sse,
    `'${value}' is not supported.`,
    'Write AES256 or aws:kms, or leave it empty for the bucket default.'
  )
}

function readDescription(read: InputReader, run: RunContext): string {
  const given = read(Input.Description)
  const shortSha = run.sha.slice(0, 7)
  const runUrl =
    run.repository && run.runId
      ? `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`
      : ''
  const generated = [
    run.repository && `${run.repository}${shortSha ? `@${shortSha}` : ''}`,
    run.runNumber && `run #${run.runNumber}`,
    runUrl
  ]
    .filter(Boolean)
    .join(' ')
  const text = (given || generated || 'Deployed by GitHub Actions').replace(/\s+/g, ' ')
  return truncate(text, DESCRIPTION_MAX_LENGTH)
}

/** Cuts to at most `max` characters, by code point so no surrogate pair is split. */
function truncate(text: string, max: number): string {
  const chars = [...text]
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…'
}

function readFileExistsBehavior(read: InputReader): FileExistsBehavior | undefined {
  const value = read(Input.FileExistsBehavior)
  if (!value) return undefined
  const upper = value.toUpperCase()
  if (upper === 'DISALLOW' || upper === 'OVERWRITE' || upper === 'RETAIN') return upper
  throw new InputError(
    Input.FileExistsBehavior,
    `'${value}' is not a CodeDeploy file-exists behavior.`,
    'Write DISALLOW, OVERWRITE or RETAIN, or leave it empty for DISALLOW.'
  )
}

function readWaitTimeout(read: InputReader): number {
  const raw = read(Input.WaitTimeout)
  if (!raw) return DEFAULT_WAIT_TIMEOUT_MINUTES
  const minutes = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN
  if (!(minutes > 0) || minutes > MAX_WAIT_TIMEOUT_MINUTES)
    throw new InputError(
      Input.WaitTimeout,
      `'${raw}' is not a number of minutes between 0 and ${MAX_WAIT_TIMEOUT_MINUTES}.`,
      `Write the minutes to wait, e.g. ${DEFAULT_WAIT_TIMEOUT_MINUTES} (decimals allowed).`
    )
  return minutes
}

function readGithubToken(read: InputReader): string {
  const token = read(Input.GithubToken)
  if (/\s/.test(token))
    throw new InputError(
      Input.GithubToken,
      'contains whitespace, so it is not one token.',
      'Leave it at its default (${{ github.token }}) or pass one secret, e.g. ${{ secrets.DEPLOY_READ_TOKEN }}.'
    )
  return token
}

/** More than any bucket needs kept, and small enough to catch a pasted number of days or bytes. */
const MAX_KEEP_REVISIONS = 1000

function readKeepRevisions(read: InputReader, keyTemplate: string): number {
  const raw = read(Input.KeepRevisions)
  if (!raw) return 0
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!(n >= 0) || n > MAX_KEEP_REVISIONS)
    throw new InputError(
      Input.KeepRevisions,
      `'${raw}' is not a whole number from 0 to ${MAX_KEEP_REVISIONS}.`,
      'Write how many of the newest bundles to keep, e.g. 10, or 0 to keep them all.'
    )
  // Without the application in the key, another application's bundles (its rollback target
  // among them) could share the prefix, and only this application's groups are asked what they need.
  if (n > 0 && !placeholdersUsed(keyTemplate).includes('application'))
    throw new InputError(
      Input.KeepRevisions,
      `is ${n}, but \`key\` ('${keyTemplate}') does not contain {application}, so another application's bundles could be pruned with this one's.`,
      `Put {application} in key (e.g. '${DEFAULT_KEY}'), or set keep-revisions: 0.`
    )
  return n
}

/** CodeDeploy itself fails a silent instance after an hour: a longer watch would never fire. */
const MAX_AGENT_SILENCE_MINUTES = 60

function readAgentSilenceTimeout(read: InputReader): number {
  const raw = read(Input.AgentSilenceTimeout)
  if (!raw) return DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES
  const minutes = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN
  if (!(minutes >= 0) || minutes > MAX_AGENT_SILENCE_MINUTES)
    throw new InputError(
      Input.AgentSilenceTimeout,
      `'${raw}' is not a number of minutes from 0 to ${MAX_AGENT_SILENCE_MINUTES}.`,
      `Write the minutes an instance may wait for its CodeDeploy agent, e.g. ${DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES} (decimals allowed), or 0 to turn the check off.`
    )
  return minutes
}

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

function readOptionalBoolean(read: InputReader, name: Input): boolean | undefined {
  const value = read(name)
  if (value === '') return undefined
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  throw new InputError(name, `'${value}' is not a boolean.`, 'Write true or false.')
}

function readBoolean(read: InputReader, name: Input, fallback: boolean): boolean {
  return readOptionalBoolean(read, name) ?? fallback
}

function readEnum<T extends string>(
  read: InputReader,
  name: Input,
  allowed: readonly T[],
  fallback: T
): T {
  const value = read(name)
  if (value === '') return fallback
  const found = allowed.find((a) => a === value.toLowerCase())
  if (found) return found
  throw new InputError(
    name,
    `'${value}' is not one of ${allowed.join(', ')}.`,
    `Write ${allowed.join(' or ')}.`
  )
}
