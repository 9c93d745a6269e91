// The keep-revisions part of the job summary (Markdown): what was deleted, what was kept and why,
// and what went wrong. Pure; keys, reasons and AWS messages are escaped.
import { plural } from '../common/plural.js'
import type { RetentionReport } from '../revisions/types.js'
import { codeSpan, escapeText } from './escape.js'

/** Rows per table: a first run on a full prefix deletes up to 1,000 bundles; the log lists each. */
export const RETENTION_ROWS = 50

interface Row {
  key: string
  versionId?: string
  last: string
}

export function retentionSection(report: RetentionReport): string {
  if (report.keep <= 0) return ''
  const where = report.prefix ? `under ${codeSpan(report.prefix)}` : 'in the whole bucket'
  const lines = [
    `### Old revisions (keep-revisions: ${report.keep})`,
    '',
    `Deleted ${plural(report.deleted.length, 'bundle')} ${where}, kept ${report.kept.length}.`
  ]
  if (report.warnings.length > 0)
    lines.push('', ...report.warnings.map((w) => `- :warning: ${escapeText(w)}`))
  const deleted = report.deleted.map((d) => ({
    ...d,
    last: d.lastModified ? d.lastModified.toISOString() : ''
  }))
  if (deleted.length > 0) lines.push('', ...table('Deleted', 'Last modified', deleted))
  const kept = report.kept.map((k) => ({ ...k, last: k.reason }))
  if (kept.length > 0) lines.push('', ...table('Kept', 'Why', kept))
  return `${lines.join('\n')}\n`
}

/** A table of objects, with a version column only where a version is shown. */
function table(title: string, lastTitle: string, rows: readonly Row[]): string[] {
  const versions = rows.some((r) => r.versionId)
  const head = versions ? `| ${title} | Version | ${lastTitle} |` : `| ${title} | ${lastTitle} |`
  const out = [head, versions ? '|---|---|---|' : '|---|---|']
  for (const r of rows.slice(0, RETENTION_ROWS)) {
    const version = versions ? ` ${r.versionId ? codeSpan(r.versionId) : ''} |` : ''
    out.push(`| ${codeSpan(r.key)} |${version} ${escapeText(r.last)} |`)
  }
  if (rows.length > RETENTION_ROWS)
    out.push('', `…and ${rows.length - RETENTION_ROWS} more (the step's log lists every one).`)
  return out
}
