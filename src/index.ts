// Entry point for both the main step and the post step (action.yml runs this file twice).
// The first log line goes out before the rest of the action is loaded: main.js (and with it
// @actions/core) is imported dynamically, so the bundler keeps it out of this file's chunk.
import { EOL } from 'node:os'
import { firstLine } from './first-line.js'

const line = firstLine(process.env)
if (line !== undefined) process.stdout.write(`${line}${EOL}`)
const { run } = await import('./main.js')
await run()
