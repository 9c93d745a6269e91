// The job summary, as Markdown: bundle, appspec, S3 object, and each deployment (or the dry-run request).
import { summaryMarkdown as appspecMarkdown } from './appspec-section.js'
import { renderListing } from './bundle-listing.js'
import { deploymentsMarkdown } from './deployments-section.js'
import { changesSection } from './changes-section.js'
import { retentionSection } from './retention-section.js'
import type { BundleFacts, DryRunFacts, KeyFacts, RunFacts, UploadFacts } from '../facts.js'
import { codeSpan, escapeText, inFence } from './escape.js'
import type { ReportSettings } from '../settings/settings.js'
import type { AppspecReport } from '../appspec/types.js'

/** Files listed in full up to this many; a bigger bundle is summarised so the page stays readable. */
const LISTED_ENTRIES = 200

/** The whole job summary, rendered once, from what the run found out as far as it got. */
export function renderSummary(settings: ReportSettings, facts: RunFacts): string {
  const { bundle } = facts
  const parts = [title(settings)]
  if (facts.failure) parts.push(`> [!CAUTION]\n> ${escapeText(facts.failure)}`)
  if (facts.skipped) parts.push(`> [!NOTE]\n> ${escapeText(facts.skipped)}`)
  if (bundle) parts.push(bundleSection(bundle), appspecMarkdown(bundle.appspec, bundle.displayPath))
  if (facts.upload) parts.push(uploadSection(facts.upload))
  else if (settings.dryRun && facts.key) parts.push(keySection(settings, facts.key))
  const changes = facts.revisions && changesSection(facts.revisions)
  if (changes) parts.push(changes)
  if (facts.deployments) parts.push(deploymentsMarkdown(facts.deployments))
  if (facts.retention) parts.push(retentionSection(facts.retention))
  if (facts.dryRun) parts.push(requestSection(facts.dryRun))
  return parts.join('\n\n') + '\n'
}

/** The summary of a run whose bundle the appspec check refused: the findings, nothing else happened. */
export function renderRejection(
  settings: ReportSettings,
  failure: string,
  appspec: AppspecReport,
  displayPath: (bundlePath: string) => string
): string {
  return (
    [
      title(settings),
      `> [!CAUTION]\n> ${escapeText(failure)}`,
      appspecMarkdown(appspec, displayPath)
    ].join('\n\n') + '\n'
  )
}

function title(settings: ReportSettings): string {
  if (settings.continueDeployment)
    return `## CodeDeploy: ${escapeText(settings.application)} → ${settings.deploymentGroups.map(escapeText).join(', ')}: ${settings.continueDeployment.termination ? 'ending the termination wait of' : 'continuing'} ${escapeText(settings.continueDeployment.deploymentId)}`
  return settings.dryRun
    ? `## CodeDeploy dry run: ${escapeText(settings.application)}`
    : `## CodeDeploy: ${escapeText(settings.application)} → ${settings.deploymentGroups.map(escapeText).join(', ')}`
}

function bundleSection(bundle: BundleFacts): string {
  const files = bundle.entries.filter((e) => e.type !== 'directory')
  const rows = [
    '### Bundle',
    '',
    '| | |',
    '|---|---|',
    `| Archive | ${codeSpan(bundle.path)} (${bundle.type}${bundle.origin === 'archive' ? ', pre-built' : ''}) |`,
    `| Files | ${files.length} |`,
    `| Size | ${formatBytes(bundle.size)} (${bundle.size} bytes) |`,
    `| sha256 | \`${bundle.sha256}\` |`
  ]
  const listing = renderListing(bundle.entries, { maxEntries: LISTED_ENTRIES })
  rows.push(
    '',
    '<details><summary>Files in the bundle</summary>',
    '',
    '```text',
    ...listing.map(inFence),
    '```',
    '',
    '</details>'
  )
  return rows.join('\n')
}

function keySection(settings: ReportSettings, key: KeyFacts): string {
  return [
    '### S3 object (dry run: not uploaded)',
    '',
    '| | |',
    '|---|---|',
    `| Bucket | ${settings.bucket ? `${codeSpan(settings.bucket)}` : '(not set)'} |`,
    `| Key | ${codeSpan(key.key)} |`
  ].join('\n')
}

function uploadSection(u: UploadFacts): string {
  return [
    '### S3 object',
    '',
    '| | |',
    '|---|---|',
    `| URI | ${codeSpan(u.uri)} |`,
    `| ETag | ${codeSpan(u.etag)} |`,
    `| Version | ${u.versionId ? `${codeSpan(u.versionId)}` : '(unversioned bucket)'} |`,
    `| Upload | ${u.uploaded ? 'uploaded' : 'reused: an identical object (same sha256) was already there'} |`
  ].join('\n')
}

function requestSection({ requests }: DryRunFacts): string {
  return [
    '### CreateDeployment request (not sent: dry run)',
    '',
    '```json',
    inFence(JSON.stringify(requests.length === 1 ? requests[0] : requests, null, 2)),
    '```',
    '',
    "After the upload, the S3 location is also pinned by the object's eTag and version."
  ].join('\n')
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`
}
