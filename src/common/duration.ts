// Durations as people read them in a log or a table: 45s, 3m 12s, 1h 5m. One style everywhere;
// `precise` keeps a tenth of a second under a minute (an upload of 4.2s, not 4s). Settings given in
// minutes (wait-timeout, CodeDeploy's waits) read as they were given: "60 minutes".
import { plural } from './plural.js'

export function formatDuration(ms: number, opts: { precise?: boolean } = {}): string {
  if (opts.precise && ms < 59_950) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${s % 60}s`
  return `${Math.floor(m / 60)}h ${m % 60}m`
}

/** A number of minutes as a setting gives it: "1 minute", "60 minutes". */
export function minutesText(minutes: number): string {
  return plural(minutes, 'minute')
}
