// Entry point for both the main step and the post step (action.yml runs this file twice).
// Signal handlers first (main step only), then the first log line, before the rest of the action
// is loaded: main.js (and with it @actions/core) is imported dynamically, so the bundler keeps it
// out of this file's chunk.
import { EOL } from 'node:os'
import { watchSignals } from './cancel.js'
import { firstLine } from './first-line.js'
import { isPostStep } from './state-helper.js'

// The post step keeps Node's default: a signal ends it.
const cancellation = isPostStep(process.env) ? undefined : watchSignals()
const line = firstLine(process.env)
if (line !== undefined) process.stdout.write(`${line}${EOL}`)
try {
  const { run } = await import('./main.js')
  await run(cancellation?.signal ?? new AbortController().signal)
} finally {
  cancellation?.dispose()
}
