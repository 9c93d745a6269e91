// Findings as the user sees them: one log line each, an annotation, and a job summary section.

import type { AnnotationProps, Logger } from '../common/log.js'
import type { AppspecReport, Finding } from '../appspec/types.js'
import { plural } from '../common/plural.js'
import { codeSpan, escapeText } from './escape.js'

/**
 * `appspec.yml:12:5: <message> <fix>`. `displayPath` maps a bundle path to the path the user
 * edits (e.g. prefixing the `source` folder); by default the bundle path is shown.
 */
export function formatFinding(
  finding: Finding,
  displayPath: (file: string) => string = (f) => f
): string {
  return `${where(finding, displayPath)}: ${finding.message} ${finding.fix}`
}

/** Properties for an `::error file=...,line=...` or `::warning` annotation. */
export function annotationOf(
  finding: Finding,
  displayPath: (file: string) => string = (f) => f
): AnnotationProps {
  return {
    title: finding.severity === 'error' ? 'appspec error' : 'appspec warning',
    file: displayPath(finding.file),
    ...(finding.line !== undefined ? { startLine: finding.line } : {}),
    ...(finding.column !== undefined ? { startColumn: finding.column } : {})
  }
}

/** Each finding as a log line and an annotation on the file and line: errors as errors, advice as warnings. */
export function logFindings(
  report: AppspecReport,
  log: Logger,
  displayPath: (file: string) => string
): void {
  for (const f of report.findings) {
    const line = formatFinding(f, displayPath)
    if (f.severity === 'error') log.error(line, annotationOf(f, displayPath))
    else log.warning(line, annotationOf(f, displayPath))
  }
}

/**
 * "2 problems the agent fails on, 1 warning of advice": failures (the agent refuses the bundle)
 * counted apart from advice (the agent deploys it, perhaps not as meant).
 */
export function countFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length
  const warnings = findings.length - errors
  return `${plural(errors, 'problem')} the agent fails on, ${plural(warnings, 'warning')} of advice`
}

/** A Markdown section for the job summary. */
export function summaryMarkdown(
  report: AppspecReport,
  displayPath: (file: string) => string = (f) => f
): string {
  const title = `### appspec: ${escapeText(report.appspecPath ? displayPath(report.appspecPath) : 'appspec.yml')}`
  const lines = [title, '']
  if (report.findings.length === 0) {
    lines.push(
      `No problems found. ${plural(report.hookScripts.length, 'hook script')} checked${report.hookScripts.length ? `: ${report.hookScripts.map(codeSpan).join(', ')}` : ''}.`
    )
  } else {
    lines.push(`${countFindings(report.findings)}.`, '')
    lines.push('| | Where | Problem | Fix |', '|---|---|---|---|')
    for (const f of report.findings) {
      const icon = f.severity === 'error' ? ':x: error' : ':warning: warning'
      lines.push(
        `| ${icon} | ${codeSpan(where(f, displayPath))} | ${escapeText(f.message)} | ${escapeText(f.fix)} |`
      )
    }
  }
  if (report.appspec && report.appspec.hooks.length > 0) {
    lines.push('', '| Lifecycle event | Scripts |', '|---|---|')
    for (const hook of report.appspec.hooks) {
      const scripts = hook.scripts.map(
        (s) =>
          `${codeSpan(s.location)} (${s.timeout} s${s.runas ? `, as ${escapeText(s.runas)}` : ''})`
      )
      lines.push(`| ${escapeText(hook.event)} | ${scripts.join(', ')} |`)
    }
  }
  return `${lines.join('\n')}\n`
}

function where(finding: Finding, displayPath: (file: string) => string): string {
  const file = displayPath(finding.file)
  if (finding.line === undefined) return file
  return finding.column === undefined
    ? `${file}:${finding.line}`
    : `${file}:${finding.line}:${finding.column}`
}
