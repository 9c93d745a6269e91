// The action, as a script: settings → bundle → key → (dry run | upload → deploy) → report.
// Each stage (src/stages/) takes its slice of the settings and returns its facts (src/facts.ts);
// the outputs and the job summary (src/report/) are made from those facts. The runner's pieces
// (outputs, state, summary file, signals, clock) come in as PipelineDeps, so tests drive it directly.
import { ActionError } from './common/errors.js'
import type { Logger, Sleep } from './common/log.js'
import type { RunFacts, UploadFacts } from './facts.js'
import type { RetentionReport } from './revisions/types.js'
import {
  bundleOutputs,
  createdOutputs,
  deploymentOutputs,
  skippedOutputs,
  type PreviousOf,
  dryRunOutputs,
  uploadOutputs,
  type OutputValues
} from './report/outputs.js'
import { renderRejection, renderSummary } from './report/summary.js'
import type { Output } from './settings/constants.js'
import type { Settings } from './settings/settings.js'
import { BundleRejected, prepareBundle } from './stages/bundle.js'
import { continueStage, deploy } from './stages/deploy.js'
import { dryRun } from './stages/dry-run.js'
import { s3Key } from './stages/key.js'
import { upload } from './stages/upload.js'
import type { MainState } from './state-helper.js'
import type { DeploymentsResult } from './deploy/types.js'
import type { AwsClients } from './aws/clients.js'

export interface PipelineDeps {
  log: Logger
  setOutput(name: Output, value: string): void
  /** What the post step needs to stop a deployment main did not see end. */
  state: MainState
  writeSummary(markdown: string): Promise<void>
  env: NodeJS.ProcessEnv
  /** Aborted when the runner cancels the job. */
  signal: AbortSignal
  sleep: Sleep
  now: () => number
}

export interface PipelineResult {
  /** The one line that fails the step; absent on success. */
  failure?: string
}

export async function runPipeline(settings: Settings, deps: PipelineDeps): Promise<PipelineResult> {
  // The first line (action, version, application, groups) is written by the entry point.
  const { log, signal } = deps
  const set = (values: OutputValues): void => values.forEach(([n, v]) => deps.setOutput(n, v))
  const run: { facts: RunFacts } = { facts: {} }
  if (settings.continueDeployment)
    return summarised(settings, deps, run, () => continueExisting(settings, deps, set, run))

  const bundle = await prepareBundle(settings, log, signal).catch(async (err: unknown) => {
    // Refused by the appspec check: the summary shows the findings (the only summary of this run).
    if (err instanceof BundleRejected)
      await writeSummarySafely(
        deps,
        renderRejection(settings, err.describe(), err.appspec, err.displayPath)
      )
    throw err
  })
  const key = s3Key(settings, settings.bucket, bundle)
  set(bundleOutputs(bundle, key))
  run.facts = { bundle, key }
  return summarised(settings, deps, run, async () => {
    if (settings.dryRun) {
      run.facts = { ...run.facts, dryRun: dryRun(settings, bundle, key, log) }
      set(dryRunOutputs())
      return {}
    }
    if (signal.aborted) throw new ActionError('Cancelled before the upload: nothing was uploaded.')

    const { createAwsClients } = await import('./aws/clients.js')
    const aws = await createAwsClients({ region: settings.region, env: deps.env })
    const network = aws.network.describe()
    if (network) log.info(network)

    // An older commit never replaces a newer one: checked before anything is uploaded.
    const { orderCheck } = await import('./stages/revisions.js')
    const order = orderCheck(aws, settings, deps)
    const revisions = await order.beforeUpload()
    run.facts = { ...run.facts, revisions }
    const refused = revisions.groups.find((g) => g.verdict.kind === 'fail')?.verdict
    if (refused?.kind === 'fail') throw new ActionError(refused.message, refused.fix)
    if (revisions.skipped) {
      log.notice(revisions.skipped.notice)
      run.facts = { ...run.facts, skipped: revisions.skipped.notice }
      return {}
    }

    const uploaded = await upload(aws.s3, settings, bundle, key, deps)
    run.facts = { ...run.facts, upload: uploaded }
    set(uploadOutputs(uploaded))

    // Again right before each CreateDeployment: another run may have deployed meanwhile.
    const beforeCreate = async (group: string): Promise<string | undefined> => {
      if (!order.enabled) return undefined
      const v = (await order.gate(group)).verdict
      if (v.kind === 'fail') throw new ActionError(v.message, v.fix)
      return v.kind === 'skip' ? v.notice : undefined
    }
    const deployments = await deployWithState(
      settings,
      deps,
      set,
      aws,
      (hooks) =>
        deploy(aws.codedeploy, aws.region, settings, bundle, uploaded, {
          ...deps,
          ...hooks,
          beforeCreate
        }),
      (group) => order.previousOf(group)
    )
    run.facts = { ...run.facts, revisions: { ...revisions, groups: order.groups() }, deployments }
    const skipped = deployments.groups.find((g) => g.outcome === 'skipped')
    if (skipped?.skipNotice) run.facts = { ...run.facts, skipped: skipped.skipNotice }
    const retention = await pruneAfterSuccess(settings, deps, aws, uploaded, deployments)
    if (retention) run.facts = { ...run.facts, retention }
    return conclusion(deployments)
  })
}

/**
 * Runs the rest of the run; whatever happens, the job summary is written once from what it found
 * out. The step fails with a thrown error (main.ts); the summary still shows what was done before it.
 */
async function summarised(
  settings: Settings,
  deps: PipelineDeps,
  run: { facts: RunFacts },
  rest: () => Promise<PipelineResult>
): Promise<PipelineResult> {
  try {
    return await rest()
  } catch (err) {
    run.facts = { ...run.facts, failure: err instanceof ActionError ? err.describe() : String(err) }
    throw err
  } finally {
    // Set once, whichever way the run ended: true only when a newer commit made it skip.
    skippedOutputs(Boolean(run.facts.skipped)).forEach(([n, v]) => deps.setOutput(n, v))
    await writeSummarySafely(deps, renderSummary(settings, run.facts))
  }
}

type SetOutputs = (values: OutputValues) => void

/**
 * The deploy phase with what the post step needs saved around it: how to reach and stop a
 * deployment main does not see end, and a stopped blue/green deployment's fleet left to settle.
 */
async function deployWithState(
  settings: Settings,
  deps: PipelineDeps,
  set: SetOutputs,
  aws: AwsClients,
  run: (hooks: {
    traffic: AwsClients['traffic']
    onCreated: (group: string, id: string) => void
  }) => Promise<DeploymentsResult>,
  previousOf?: PreviousOf
): Promise<DeploymentsResult> {
  deps.state.deploying({
    region: aws.region,
    stopOnCancel: settings.stopOnCancel,
    autoRollback: settings.autoRollback,
    failedReplacementFleet: settings.failedReplacementFleet
  })
  let deployments: DeploymentsResult
  try {
    deployments = await run({
      traffic: aws.traffic,
      onCreated: (_group, id) => {
        set(createdOutputs(id))
        if (settings.wait) deps.state.waitingFor(id)
      }
    })
  } finally {
    deps.state.finished()
  }
  for (const g of deployments.groups)
    if (g.replacementFleetPending) deps.state.replacementFleetPending(g.id)
  set(deploymentOutputs(deployments, previousOf))
  return deployments
}

/**
 * keep-revisions, once every group succeeded (never after a failure, a skip or a deployment not
 * followed to its end): the application's older bundles go; what any group needs stays.
 */
async function pruneAfterSuccess(
  settings: Settings,
  deps: PipelineDeps,
  aws: AwsClients,
  uploaded: UploadFacts,
  deployments: DeploymentsResult
): Promise<RetentionReport | undefined> {
  if (settings.keepRevisions <= 0) return undefined
  const notDone = deployments.groups.filter((g) => g.outcome !== 'succeeded')
  if (notDone.length > 0) {
    deps.log.info(
      `keep-revisions: nothing pruned, since the deployment to '${notDone[0]!.group}' did not end in success during this run (${notDone[0]!.outcome}).`
    )
    return undefined
  }
  const { pruneRevisions } = await import('./revisions/retention.js')
  return pruneRevisions({
    s3: aws.s3,
    codedeploy: aws.codedeploy,
    bucket: settings.bucket,
    application: settings.application,
    keyTemplate: settings.keyTemplate,
    keep: settings.keepRevisions,
    deployed: {
      key: uploaded.key,
      ...(uploaded.versionId ? { versionId: uploaded.versionId } : {})
    },
    log: deps.log,
    signal: deps.signal,
    sleep: deps.sleep,
    ...(settings.expectedBucketOwner ? { expectedBucketOwner: settings.expectedBucketOwner } : {})
  })
}

function conclusion(deployments: DeploymentsResult): PipelineResult {
  return deployments.ok
    ? {}
    : {
        failure: (
          deployments.error ?? new ActionError('The deployment did not succeed.')
        ).describe()
      }
}

/** continue-deployment: no bundle, no upload; continue the deployment, then wait and report. */
async function continueExisting(
  settings: Settings,
  deps: PipelineDeps,
  set: SetOutputs,
  run: { facts: RunFacts }
): Promise<PipelineResult> {
  const target = settings.continueDeployment!
  if (settings.bucket)
    deps.log.info(
      `Continuing deployment ${target.deploymentId}: nothing is built or uploaded, so bucket is not used.`
    )
  if (deps.signal.aborted) throw new ActionError('Cancelled before continuing the deployment.')
  const { createAwsClients } = await import('./aws/clients.js')
  const aws = await createAwsClients({ region: settings.region, env: deps.env })
  const deployments = await deployWithState(settings, deps, set, aws, (hooks) =>
    continueStage(aws.codedeploy, aws.region, settings, target, { ...deps, ...hooks })
  )
  run.facts = { deployments }
  return conclusion(deployments)
}

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, full disk) never fails the deployment. */
async function writeSummarySafely(deps: PipelineDeps, markdown: string): Promise<void> {
  try {
    await deps.writeSummary(markdown)
  } catch (err) {
    deps.log.warning(
      `Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    )
  }
}
