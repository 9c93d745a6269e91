// Upload progress as log lines: one every few seconds at most, so a long upload shows it is
// moving without flooding the log. The clock is a parameter, so tests need not wait.

import type { Logger } from '../common/log.js'

export const PROGRESS_INTERVAL_MS = 5_000

const MIB = 1024 * 1024

export function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`
}

export function formatRate(bytes: number, ms: number): string {
  return ms > 0 ? `${((bytes / MIB) * (1000 / ms)).toFixed(1)} MiB/s` : '-'
}

export class UploadProgress {
  private readonly started: number
  private lastLine: number

  constructor(
    private readonly total: number,
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly intervalMs = PROGRESS_INTERVAL_MS
  ) {
    this.started = now()
    this.lastLine = this.started
  }

  /** Called with the bytes uploaded so far; prints a line if the last one is old enough. */
  update(loaded: number): void {
    const t = this.now()
    if (loaded >= this.total || t - this.lastLine < this.intervalMs) return
    this.lastLine = t
    const percent = Math.floor((loaded / this.total) * 100)
    this.log.info(
      `Uploading: ${percent}% (${formatMiB(loaded)} of ${formatMiB(this.total)}) at ${formatRate(loaded, t - this.started)}`
    )
  }

  /** Milliseconds since the upload started. */
  elapsed(): number {
    return this.now() - this.started
  }
}
