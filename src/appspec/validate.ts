// Validates a bundle's appspec.yml and hook scripts the way the CodeDeploy agent will read them,
// before anything leaves the machine. Every problem is collected; nothing stops at the first.

import type { BundleView } from '../common/bundle-view.js'
import { compareText } from '../common/compare-text.js'
import { RootedBundle, rootRelative } from './bundle-index.js'
import { checkDocument } from './check-document.js'
import { checkInstall } from './check-install.js'
import { checkScripts } from './check-scripts.js'
import { findAppspec } from './find-appspec.js'
import { parseAppspec } from './parse.js'
import type { Appspec, AppspecReport, Finding } from './types.js'

export type { Appspec, AppspecReport, Finding } from './types.js'

export async function validateBundle(
  view: BundleView,
  opts: { origin: 'built' | 'archive' }
): Promise<AppspecReport> {
  const found = findAppspec(view.entries, opts.origin)
  const findings: Finding[] = [...found.findings]
  if (!found.location) return { findings: ordered(findings), hookScripts: [] }

  const appspecPath = found.location.path
  const bundle = new RootedBundle(view, found.location.root)
  const text = await readAppspec(view, appspecPath, findings)
  if (text === undefined) return { findings: ordered(findings), appspecPath, hookScripts: [] }

  const parsed = parseAppspec(text)
  if (text.startsWith('\ufeff')) findings.push(bomFinding(appspecPath, parsed.droppedByBom))
  for (const { severity, line, column, message, fix } of parsed.issues) {
    findings.push({ severity, file: appspecPath, line, column, message, fix })
  }
  if (parsed.unreadable)
    return { findings: ordered(findings, appspecPath), appspecPath, hookScripts: [] }

  const doc = checkDocument(parsed, appspecPath, bundle)
  findings.push(...doc.findings)
  const install = { windows: doc.windows, permissions: doc.filesFailed ? [] : doc.permissions }
  checkInstall(doc.files, install, bundle, (severity, path, message, fix) => {
    findings.push({ severity, file: appspecPath, ...parsed.keyPosition(path), message, fix })
  })
  const refs = doc.hooks.flatMap((h) => h.scripts)
  const scripts = await checkScripts(refs, appspecPath, bundle, {
    origin: opts.origin,
    windows: doc.windows
  })
  findings.push(...scripts.findings)

  const appspec: Appspec = {
    version: doc.version,
    os: doc.os,
    files: doc.files,
    hooks: doc.hooks.map(({ event, scripts: eventScripts }) => ({
      event,
      scripts: eventScripts.map((ref) => {
        const rel = scripts.resolved.get(ref) ?? rootRelative(ref.location) ?? ref.location
        return {
          location: ref.location,
          path: bundle.full(rel),
          timeout: ref.timeout,
          ...(ref.runas !== undefined ? { runas: ref.runas } : {})
        }
      })
    }))
  }
  const hookScripts = [...new Set([...scripts.resolved.values()].map((p) => bundle.full(p)))].sort()
  return { findings: ordered(findings, appspecPath), appspec, appspecPath, hookScripts }
}

async function readAppspec(
  view: BundleView,
  appspecPath: string,
  findings: Finding[]
): Promise<string | undefined> {
  let content: Buffer
  try {
    content = await view.read(appspecPath)
  } catch {
    findings.push({
      severity: 'error',
      file: appspecPath,
      message: `${appspecPath} could not be read from the bundle.`,
      fix: 'Make it a regular file (not a link or a folder).'
    })
    return undefined
  }
  return content.toString('utf8')
}

function bomFinding(file: string, dropped: string[]): Finding {
  return dropped.length > 0
    ? {
        severity: 'error',
        file,
        line: 1,
        message: `${file} starts with a UTF-8 byte order mark (BOM): the agent's YAML reader then keeps only the first key and drops the rest (${dropped.join(', ')}), which fails as shown.`,
        fix: 'Save it as UTF-8 without BOM.'
      }
    : {
        severity: 'warning',
        file,
        line: 1,
        message: `${file} starts with a UTF-8 byte order mark (BOM); the agent reads it only because nothing follows the first line that the BOM would cut off.`,
        fix: 'Save it as UTF-8 without BOM.'
      }
}

/** Errors before warnings; within each, appspec.yml first, then by file and line. */
function ordered(findings: Finding[], appspecPath?: string): Finding[] {
  const rank = (f: Finding): number => (f.severity === 'error' ? 0 : 1)
  return [...findings].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Number(b.file === appspecPath) - Number(a.file === appspecPath) ||
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0)
  )
}
