// The action, as a script: settings → bundle → key → (dry run | upload → deploy) → report.
// Each stage (src/stages/) takes its slice of the settings and returns its facts (src/facts.ts);
// the outputs and the job summary (src/report/) are made from those facts. The runner's pieces
// (outputs, state, summary file, signals, clock) come in as PipelineDeps, so tests drive it directly.
import { ActionError } from './common/errors.js'
import type { Logger, Sleep } from './common/log.js'
import type { RunFacts } from './facts.js'
import {
  bundleOutputs,
  createdOutputs,
  deploymentOutputs,
  dryRunOutputs,
  uploadOutputs,
  type OutputValues
} from './report/outputs.js'
import { renderRejection, renderSummary } from './report/summary.js'
import type { Output } from './settings/constants.js'
import type { Settings } from './settings/settings.js'
import { BundleRejected, prepareBundle } from './stages/bundle.js'
import { deploy } from './stages/deploy.js'
import { dryRun } from './stages/dry-run.js'
import { s3Key } from './stages/key.js'
import { upload } from './stages/upload.js'
import type { MainState } from './state-helper.js'

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
  let facts: RunFacts = { bundle, key }
  try {
    if (settings.dryRun) {
      facts = { ...facts, dryRun: dryRun(settings, bundle, key, log) }
      set(dryRunOutputs())
      return {}
    }
    if (signal.aborted) throw new ActionError('Cancelled before the upload: nothing was uploaded.')

    const { createAwsClients } = await import('./aws/clients.js')
    const aws = await createAwsClients({ region: settings.region, env: deps.env })
    const uploaded = await upload(aws.s3, settings, bundle, key, deps)
    facts = { ...facts, upload: uploaded }
    set(uploadOutputs(uploaded))

    deps.state.deploying({
      region: aws.region,
      stopOnCancel: settings.stopOnCancel,
      autoRollback: settings.autoRollback
    })
    let deployments
    try {
      deployments = await deploy(aws.codedeploy, aws.region, settings, bundle, uploaded, {
        ...deps,
        onCreated: (_group, id) => {
          set(createdOutputs(id))
          if (settings.wait) deps.state.waitingFor(id)
        }
      })
    } finally {
      deps.state.finished()
    }
    facts = { ...facts, deployments }
    set(deploymentOutputs(deployments))
    return deployments.ok
      ? {}
      : {
          failure: (
            deployments.error ?? new ActionError('The deployment did not succeed.')
          ).describe()
        }
  } catch (err) {
    // The step fails with the error (main.ts); the summary still shows what was done before it.
    facts = { ...facts, failure: err instanceof ActionError ? err.describe() : String(err) }
    throw err
  } finally {
    await writeSummarySafely(deps, renderSummary(settings, facts))
  }
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
