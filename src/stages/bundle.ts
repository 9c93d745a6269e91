// The bundle stage: select (or open) the files, validate the appspec against them, and only
// then write the archive. Nothing is written when validation fails.
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { countFindings, formatFinding, logFindings } from '../report/appspec-section.js'
import { validateBundle, type AppspecReport } from '../appspec/validate.js'
import { ActionError, ValidationError, cancelledWhileBundling } from '../common/errors.js'
import type { Logger } from '../common/log.js'
import { isInside } from '../common/paths.js'
import type { BundleFacts } from '../facts.js'
import type { BundleSettings } from '../settings/settings.js'
import { executableMode, writeArchive } from '../bundle/archive-writer.js'
import { readArchive } from '../bundle/archive-reader.js'
import type { BundleEntry } from '../common/bundle-view.js'
import { renderListing } from '../report/bundle-listing.js'
import { selectBundleFiles } from '../bundle/select.js'
import { selectionView } from '../bundle/selection-view.js'

/** Entries listed in the log; a bigger bundle gets a count, so 100,000 files do not make a 3 MB log. */
const LOGGED_ENTRIES = 1000

export async function prepareBundle(
  settings: BundleSettings,
  log: Logger,
  signal?: AbortSignal
): Promise<BundleFacts> {
  return settings.bundle.kind === 'build'
    ? buildBundle(settings, settings.bundle, log, signal)
    : openArchive(settings, settings.bundle, log)
}

async function buildBundle(
  settings: BundleSettings,
  source: Extract<BundleSettings['bundle'], { kind: 'build' }>,
  log: Logger,
  signal?: AbortSignal
): Promise<BundleFacts> {
  // Named now (the selection must never pick it up), created only once validation passed.
  const outDir = path.join(settings.tempDir, `codedeploy-bundle-${randomUUID().slice(0, 8)}`)
  const outPath = path.join(outDir, `bundle.${source.type}`)
  const selected = await selectBundleFiles({
    workspace: settings.workspace,
    sourceDir: source.sourceDir,
    rules: source.rules,
    outputPath: outPath,
    signal
  })
  const onDisk = new Map(
    selected.entries.filter((e) => e.source).map((e) => [e.path, e.source as string])
  )
  const view = selectionView(selected)
  const sourceRel = path.relative(settings.workspace, source.sourceDir)
  const displayPath = (p: string): string => {
    const file = onDisk.get(p)
    return file ? path.relative(settings.workspace, file) : sourceRel ? `${sourceRel}/${p}` : p
  }
  const appspec = await validateBundle(view, { origin: 'built' })
  reportFindings(appspec, log, displayPath)

  if (signal?.aborted) throw cancelledWhileBundling()
  const executable = new Set(appspec.hookScripts)
  await mkdir(outDir, { recursive: true })
  const written = await writeArchive({
    entries: selected.entries,
    type: source.type,
    outPath,
    executable,
    signal
  })
  const entries = selected.entries.map(({ source: _source, ...e }) =>
    e.type === 'file' && executable.has(e.path) ? { ...e, mode: executableMode(e.mode) } : e
  )
  logListing(log, entries, written.path, written.size, written.sha256)
  return {
    path: written.path,
    sha256: written.sha256,
    size: written.size,
    type: source.type,
    origin: 'built',
    entries,
    appspec,
    displayPath
  }
}

async function openArchive(
  settings: BundleSettings,
  source: Extract<BundleSettings['bundle'], { kind: 'archive' }>,
  log: Logger
): Promise<BundleFacts> {
  const info = await stat(source.path).catch(() => undefined)
  if (!info?.isFile())
    throw new ActionError(
      `Input 'archive': '${source.path}' does not exist or is not a file.`,
      'Check the path, and that the step that builds the archive ran before this one.'
    )
  // The input path is inside the workspace, but a symlink there could point anywhere: the file
  // read, hashed and uploaded is the link's target, which must be inside too.
  const real = await realpath(source.path)
  if (!isInside(await realpath(settings.workspace), real))
    throw new ActionError(
      `Input 'archive': '${path.relative(settings.workspace, source.path)}' resolves through a symlink to ${real}, outside the workspace.`,
      'Build or copy the archive into the workspace in an earlier step.'
    )
  const view = await readArchive(real, source.type)
  try {
    if (view.strippedFolder)
      log.info(
        `The archive holds a single folder '${view.strippedFolder}/' with the appspec: the agent strips it ("Stripping leading directory from archive bundle contents."), so its contents are the bundle root.`
      )
    const name = path.basename(source.path)
    const displayPath = (p: string): string =>
      `${name}:${view.strippedFolder ? `${view.strippedFolder}/` : ''}${p}`
    const appspec = await validateBundle(view, { origin: 'archive' })
    reportFindings(appspec, log, displayPath)
    const { sha256, size } = await hashFile(real)
    logListing(log, view.entries, real, size, sha256)
    return {
      path: real,
      sha256,
      size,
      type: source.type,
      origin: 'archive',
      entries: view.entries,
      appspec,
      displayPath
    }
  } finally {
    await view.close()
  }
}

/** Every finding is shown (report/appspec-section.ts); any error then fails the step with one line. */
function reportFindings(
  report: AppspecReport,
  log: Logger,
  displayPath: (p: string) => string
): void {
  logFindings(report, log, displayPath)
  const errors = report.findings.filter((f) => f.severity === 'error')
  if (errors.length > 0) throw new BundleRejected(report, displayPath)
}

/** The appspec check refused the bundle; carries the findings so the job summary can show them. */
export class BundleRejected extends ValidationError {
  constructor(
    readonly appspec: AppspecReport,
    readonly displayPath: (bundlePath: string) => string
  ) {
    super(
      `The CodeDeploy agent would fail on this bundle: ${countFindings(appspec.findings)} in ${appspec.appspecPath ? displayPath(appspec.appspecPath) : 'the bundle'} (listed above). Nothing was uploaded.`,
      appspec.findings
        .filter((f) => f.severity === 'error')
        .map((f) => formatFinding(f, displayPath)),
      'Fix them and run again.'
    )
  }
}

function logListing(
  log: Logger,
  entries: readonly BundleEntry[],
  archive: string,
  size: number,
  sha256: string
): void {
  log.startGroup(`Bundle: ${archive} (${size} bytes, sha256 ${sha256})`)
  for (const line of renderListing(entries, { maxEntries: LOGGED_ENTRIES })) log.info(line)
  log.endGroup()
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}
