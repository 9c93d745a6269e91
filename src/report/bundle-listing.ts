// The bundle listing printed to the log: one line per entry, like `ls -l`, then totals.

import type { BundleEntry } from '../common/bundle-view.js'
import { plural } from '../common/plural.js'

export interface ListingTotals {
  files: number
  directories: number
  symlinks: number
  /** Bytes of file content (before compression). */
  bytes: number
}

export function listingTotals(entries: readonly BundleEntry[]): ListingTotals {
  const totals: ListingTotals = { files: 0, directories: 0, symlinks: 0, bytes: 0 }
  for (const e of entries) {
    if (e.type === 'file') {
      totals.files++
      totals.bytes += e.size
    } else if (e.type === 'directory') totals.directories++
    else totals.symlinks++
  }
  return totals
}

/**
 * Lines such as `-rwxr-xr-x      412  deploy.sh`, `lrwxrwxrwx        0  current -> releases/1`,
 * then one totals line. With `maxEntries`, longer listings are cut and say how many were left out.
 */
export function renderListing(
  entries: readonly BundleEntry[],
  options: { maxEntries?: number } = {}
): string[] {
  const shown = entries.slice(0, options.maxEntries ?? entries.length)
  const width = Math.max(1, ...shown.map((e) => String(e.size).length))
  const lines = shown.map((e) => {
    const name = e.type === 'directory' ? `${e.path}/` : e.path
    const link = e.type === 'symlink' ? ` -> ${e.linkTarget ?? ''}` : ''
    return `${modeString(e)} ${String(e.size).padStart(width)}  ${name}${link}`
  })
  const hidden = entries.length - shown.length
  if (hidden > 0) lines.push(`… and ${hidden} more ${hidden === 1 ? 'entry' : 'entries'}`)
  lines.push(totalsLine(listingTotals(entries)))
  return lines
}

export function totalsLine(t: ListingTotals): string {
  const parts = [plural(t.files, 'file'), plural(t.directories, 'folder')]
  if (t.symlinks > 0) parts.push(plural(t.symlinks, 'symlink'))
  return `${parts.join(', ')}; ${plural(t.bytes, 'byte')} of content (${humanBytes(t.bytes)})`
}

function modeString(e: BundleEntry): string {
  const type = e.type === 'directory' ? 'd' : e.type === 'symlink' ? 'l' : '-'
  const bits = 'rwxrwxrwx'
  let out = type
  for (let i = 0; i < 9; i++) out += e.mode & (1 << (8 - i)) ? bits[i] : '-'
  return out
}

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${units[unit]}`
}
