// The thin edge: wires the runner (@actions/core, the environment) to the pipeline.
import * as core from '@actions/core'
import { ActionError } from './common/errors.js'
import { realSleep } from './common/log.js'
import { runPipeline } from './pipeline.js'
import { runPost } from './post.js'
import { runnerLog } from './runner-log.js'
import { getSettings } from './settings/inputs.js'
import { isPostStep, MainState } from './state-helper.js'
import { proxySecretsIn } from './network/proxy-env.js'

/** `cancelled` aborts when the runner cancels the job (src/cancel.ts). */
export async function run(cancelled: AbortSignal): Promise<void> {
  if (isPostStep(process.env)) {
    await runPost(runnerLog, process.env)
    return
  }
  const sayCancelled = (): void =>
    runnerLog.warning(`Received ${String(cancelled.reason)}: the workflow was cancelled.`)
  if (cancelled.aborted) sayCancelled()
  else cancelled.addEventListener('abort', sayCancelled, { once: true })

  try {
    const state = new MainState((name, value) => core.saveState(name, value))
    state.markPostNext()
    // Proxy credentials come in the job's environment, not from a secret the runner masks.
    for (const secret of proxySecretsIn(process.env)) core.setSecret(secret)
    const settings = getSettings((name) => core.getInput(name), process.env)
    // A token passed from a secret is masked by the runner; one built in a step may not be.
    if (settings.githubToken) core.setSecret(settings.githubToken)
    const result = await runPipeline(settings, {
      log: runnerLog,
      setOutput: (name, value) => core.setOutput(name, value),
      state,
      writeSummary,
      env: process.env,
      signal: cancelled,
      sleep: realSleep,
      now: Date.now
    })
    if (result.failure) core.setFailed(result.failure)
  } catch (err) {
    fail(err)
  } finally {
    cancelled.removeEventListener('abort', sayCancelled)
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown).write()
}

/** One ::error:: line the user can act on; the stack only in debug logs. */
function fail(err: unknown): void {
  if (err instanceof ActionError) {
    core.setFailed(err.describe())
    return
  }
  const e = err instanceof Error ? err : new Error(String(err))
  if (e.stack) core.debug(e.stack)
  core.setFailed(
    `Unexpected error: ${e.message}. This is a bug in the action: please report it with the step's debug log (re-run with debug logging).`
  )
}
