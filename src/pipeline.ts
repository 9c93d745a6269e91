// One run of the action: bundle, key, (dry run | upload, deploy), outputs, job summary.
// Collaborators come in as parameters, so the whole flow runs in tests without the runner.
import { Input, Output, State } from './settings/constants.js'
import { ActionError, InputError } from './common/errors.js'
import { MAX_KEY_BYTES, renderKey, type KeyValues } from './settings/key-template.js'
import type { Logger, Sleep } from './common/log.js'
import { prepareBundle, type PreparedBundle } from './stages/bundle.js'
import { buildCreateDeploymentInput, type S3Revision } from './deploy/request.js'
import type { DeploymentsResult } from './deploy/types.js'
import type { Settings } from './settings/settings.js'
import { renderSummary, type SummaryInput, type UploadFacts } from './report/summary.js'

export interface FlowDeps {
  log: Logger
  setOutput(name: Output, value: string): void
  saveState(name: State, value: string): void
  writeSummary(markdown: string): Promise<void>
  env: NodeJS.ProcessEnv
  /** Aborted when the runner cancels the job. */
  signal: AbortSignal
  sleep: Sleep
  now: () => number
}

export interface FlowResult {
  /** The one line that fails the step; absent on success. */
  failure?: string
}

export async function runDeployFlow(settings: Settings, deps: FlowDeps): Promise<FlowResult> {
  // The first line (action, version, application, groups) is written by the entry point.
  const { log } = deps
  const bundle = await prepareBundle(settings, log, deps.signal)
  const key = renderKey(settings.keyTemplate, keyValues(settings, bundle))
  if (Buffer.byteLength(key) > MAX_KEY_BYTES)
    throw new InputError(
      Input.Key,
      `renders to a key of ${Buffer.byteLength(key)} bytes; S3 allows ${MAX_KEY_BYTES}.`,
      'Use a shorter template.'
    )
  const uri = settings.bucket ? `s3://${settings.bucket}/${key}` : ''
  deps.setOutput(Output.BundlePath, bundle.path)
  deps.setOutput(Output.BundleSha256, bundle.sha256)
  deps.setOutput(Output.BundleSize, String(bundle.size))
  deps.setOutput(Output.BundleKey, key)
  deps.setOutput(Output.BundleUri, uri)

  if (settings.dryRun) {
    return dryRun(settings, deps, bundle, key)
  }
  if (deps.signal.aborted)
    throw new ActionError('Cancelled before the upload: nothing was uploaded.')

  const partial: SummaryInput = { settings, bundle, key }
  try {
    return await deploy(settings, deps, bundle, key, partial)
  } catch (err) {
    // The step fails with the error (main.ts); the summary still shows what was done before it.
    partial.failure = err instanceof ActionError ? err.describe() : String(err)
    await writeSummarySafely(deps, renderSummary(partial))
    throw err
  }
}

async function deploy(
  settings: Settings,
  deps: FlowDeps,
  bundle: PreparedBundle,
  key: string,
  partial: SummaryInput
): Promise<FlowResult> {
  const { log } = deps
  const uri = `s3://${settings.bucket}/${key}`
  const { createAwsClients } = await import('./aws/clients.js')
  const { uploadBundle } = await import('./aws/s3-upload.js')
  const { deployToGroups } = await import('./deploy/run-deployments.js')
  const clients = await createAwsClients({ region: settings.region, env: deps.env })

  const upload = await uploadBundle({
    s3: clients.s3,
    bucket: settings.bucket,
    key,
    filePath: bundle.path,
    size: bundle.size,
    sha256: bundle.sha256,
    ...(settings.sse ? { sse: settings.sse } : {}),
    ...(settings.sseKmsKeyId ? { sseKmsKeyId: settings.sseKmsKeyId } : {}),
    ...(settings.expectedBucketOwner ? { expectedBucketOwner: settings.expectedBucketOwner } : {}),
    log,
    signal: deps.signal,
    now: deps.now
  })
  deps.setOutput(Output.BundleEtag, upload.etag)
  deps.setOutput(Output.BundleVersion, upload.versionId ?? '')
  deps.setOutput(Output.BundleUploaded, String(upload.uploaded))
  const uploadFacts: UploadFacts = { bucket: settings.bucket, key, uri, ...upload }
  partial.upload = uploadFacts

  const revision: S3Revision = {
    bucket: settings.bucket,
    key,
    bundleType: bundle.type,
    eTag: upload.etag,
    ...(upload.versionId ? { version: upload.versionId } : {})
  }
  const region = settings.region || (await clients.codedeploy.config.region())
  deps.saveState(State.Region, region)
  deps.saveState(State.StopOnCancel, String(settings.stopOnCancel))
  if (settings.autoRollback !== undefined)
    deps.saveState(State.AutoRollback, String(settings.autoRollback))

  let result: DeploymentsResult
  try {
    result = await deployToGroups({
      settings,
      revision,
      codedeploy: clients.codedeploy,
      log,
      sleep: deps.sleep,
      now: deps.now,
      signal: deps.signal,
      onCreated: (_group, id) => {
        deps.setOutput(Output.DeploymentId, id)
        // The post step stops this deployment if the job is cancelled before we see it end.
        if (settings.wait) deps.saveState(State.DeploymentId, id)
      }
    })
  } finally {
    deps.saveState(State.DeploymentFinished, 'true')
  }

  setDeploymentOutputs(deps, result)
  await writeSummarySafely(deps, renderSummary({ ...partial, deployments: result }))
  return result.ok
    ? {}
    : { failure: (result.error ?? new ActionError('The deployment did not succeed.')).describe() }
}

function keyValues(settings: Settings, bundle: PreparedBundle): KeyValues {
  const run = settings.run
  return {
    application: settings.application,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    run_id: run.runId,
    sha: run.sha,
    short_sha: run.sha.slice(0, 7),
    ref_name: run.refName,
    bundle_hash: bundle.sha256.slice(0, 16),
    ext: bundle.type
  }
}

async function dryRun(
  settings: Settings,
  deps: FlowDeps,
  bundle: PreparedBundle,
  key: string
): Promise<FlowResult> {
  const { log } = deps
  log.info(
    `S3 key: ${key}${settings.bucket ? ` (s3://${settings.bucket}/${key})` : ' (no bucket given)'}`
  )
  const requests = settings.deploymentGroups.map((group) =>
    buildCreateDeploymentInput(settings, group, {
      bucket: settings.bucket || '<bucket>',
      key,
      bundleType: bundle.type
    })
  )
  for (const request of requests) {
    log.startGroup(`CreateDeployment request for ${request.deploymentGroupName}`)
    log.info(JSON.stringify(request, null, 2))
    log.endGroup()
  }
  log.info(
    "Dry run: nothing was uploaded and no deployment was created. After the upload, the revision is also pinned by the object's eTag and version."
  )
  deps.setOutput(Output.DeploymentStatus, '')
  await writeSummarySafely(deps, renderSummary({ settings, bundle, key, dryRunRequests: requests }))
  return {}
}

function setDeploymentOutputs(deps: FlowDeps, result: DeploymentsResult): void {
  const created = result.groups.filter((g) => g.id)
  const last = created[created.length - 1]
  if (last) {
    deps.setOutput(Output.DeploymentId, last.id)
    deps.setOutput(Output.DeploymentStatus, last.status)
    deps.setOutput(Output.DeploymentUrl, last.url)
  }
  deps.setOutput(
    Output.Deployments,
    JSON.stringify(created.map((g) => ({ group: g.group, id: g.id, status: g.status, url: g.url })))
  )
  const rollback = [...created].reverse().find((g) => g.rollbackId)
  deps.setOutput(Output.RollbackDeploymentId, rollback?.rollbackId ?? '')
  deps.setOutput(
    Output.FailedInstances,
    JSON.stringify(
      created.flatMap((g) =>
        g.failedInstances.map((f) => ({
          group: g.group,
          deploymentId: g.id,
          instanceId: f.instanceId,
          lifecycleEvent: f.lifecycleEvent,
          errorCode: f.errorCode,
          script: f.script,
          message: f.message
        }))
      )
    )
  )
}

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, full disk) never fails the deployment. */
async function writeSummarySafely(deps: FlowDeps, markdown: string): Promise<void> {
  try {
    await deps.writeSummary(markdown)
  } catch (err) {
    deps.log.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  }
}
