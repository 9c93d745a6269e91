// The step's first log line, written by the entry point before the rest of the action is loaded
// (about 1.7 MB of bundled JavaScript, most of it @actions/core and its HTTP client), so the log
// shows at once that the step started. Raw inputs are read the way @actions/core's getInput reads
// them; nothing is validated here (bad inputs are reported right after, by the settings).
import { Input } from './settings/constants.js'
import { isPostStep } from './state-helper.js'
import pkg from '../package.json' with { type: 'json' }

/** The line for the main step; undefined for the post step. */
export function firstLine(env: NodeJS.ProcessEnv): string | undefined {
  if (isPostStep(env)) return undefined
  const input = (name: Input): string =>
    (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
  const groups = input(Input.DeploymentGroup)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
  const dryRun = input(Input.DryRun).toLowerCase() === 'true'
  return (
    `${pkg.name} ${pkg.version}: ${dryRun ? 'dry run for' : 'deploying'} ` +
    `${input(Input.Application) || '(no application)'} to ${groups.join(', ') || '(no deployment group)'}`
  )
}
