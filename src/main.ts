// The thin edge: wires the runner (@actions/core, signals, the environment) to the flow.
import * as core from '@actions/core'
import { State } from './settings/constants.js'
import { ActionError, ValidationError } from './common/errors.js'
import { runDeployFlow } from './pipeline.js'
import { getSettings } from './settings/inputs.js'
import { realSleep } from './common/log.js'
import { runPost } from './post.js'
import { runnerLog } from './runner-log.js'

export async function run(): Promise<void> {
  if (core.getState(State.IsPost) === 'true') {
    await runPost(runnerLog, process.env)
    return
  }

  // The runner cancels with SIGINT, then SIGTERM 7.5 s later: both abort the flow, which
  // stops the deployment it is waiting for (stop-on-cancel) before the process is killed.
  const cancel = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!cancel.signal.aborted) runnerLog.warning(`Received ${signal}: the workflow was cancelled.`)
    cancel.abort(signal)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    core.saveState(State.IsPost, 'true')
    const settings = getSettings((name) => core.getInput(name), process.env)
    const result = await runDeployFlow(settings, {
      log: runnerLog,
      setOutput: (name, value) => core.setOutput(name, value),
      saveState: (name, value) => core.saveState(name, value),
      writeSummary: writeSummary,
      env: process.env,
      signal: cancel.signal,
      sleep: realSleep,
      now: Date.now
    })
    if (result.failure) core.setFailed(result.failure)
  } catch (err) {
    fail(err)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(markdown).write()
}

/** One ::error:: line the user can act on; the stack only in debug logs. */
function fail(err: unknown): void {
  if (err instanceof ValidationError) {
    core.setFailed(err.describe())
    return
  }
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
