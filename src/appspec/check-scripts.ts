// The rules about the scripts hooks name: they must be in the bundle where the location says,
// and (on Linux) start with '#!' and use LF line endings, or the agent fails to run them.

import { RootedBundle, rootRelative } from './bundle-index.js'
import type { ScriptRef } from './check-document.js'
import type { Finding } from './types.js'

/** Above this a "script" is most likely a binary or an archive named by mistake. */
export const LARGE_SCRIPT_BYTES = 1024 * 1024

export interface CheckedScripts {
  findings: Finding[]
  /** Root-relative path of the file each script runs, for those found in the bundle. */
  resolved: Map<ScriptRef, string>
}

export async function checkScripts(
  refs: readonly ScriptRef[],
  appspecFile: string,
  bundle: RootedBundle,
  opts: { origin: 'built' | 'archive'; windows: boolean }
): Promise<CheckedScripts> {
  const findings: Finding[] = []
  const resolved = new Map<ScriptRef, string>()
  const contentChecked = new Set<string>()

  for (const ref of refs) {
    const inAppspec = (severity: Finding['severity'], message: string, fix: string): void => {
      findings.push({ severity, file: appspecFile, ...ref.position, message, fix })
    }
    const path = resolveLocation(ref, bundle, opts.windows, inAppspec)
    if (path === undefined) continue
    resolved.set(ref, path)
    if (opts.windows || contentChecked.has(path)) continue
    contentChecked.add(path)
    findings.push(...(await checkContent(path, bundle, opts.origin)))
  }
  return { findings, resolved }
}

type Report = (severity: Finding['severity'], message: string, fix: string) => void

/** The root-relative path of the file the agent will run, or undefined if there is none. */
function resolveLocation(
  ref: ScriptRef,
  bundle: RootedBundle,
  windows: boolean,
  report: Report
): string | undefined {
  const { location } = ref
  const written = windows ? location.replace(/\\/g, '/') : location
  const missing = `Script does not exist at specified location: ${location}`
  const rel = rootRelative(written)
  if (rel === undefined || rel === '') {
    report(
      'error',
      `${missing} (the location leaves the bundle).`,
      'Locations are relative to the bundle root: put the script in the bundle and give its path from there, e.g. `location: scripts/start.sh`.'
    )
    return undefined
  }
  const entry = bundle.entry(rel)
  const suggestion = (): string => {
    const sameName = bundle.withBasename(rel.split('/').pop() ?? rel)
    return sameName.length > 0
      ? ` The bundle has it at ${sameName.join(', ')}: write \`location: ${sameName[0]}\`.`
      : ''
  }
  if (written.startsWith('/')) {
    if (entry) {
      report(
        'warning',
        `location '${location}' starts with '/': the agent still reads it relative to the bundle root (${rel}), not from that path on the instance.`,
        `Write \`location: ${rel}\` without the leading '/'.`
      )
    } else {
      report(
        'error',
        missing,
        `The location is relative to the bundle root, not a path on the instance: drop the leading '/' and give the script's path inside the bundle.${suggestion()}`
      )
      return undefined
    }
  }
  if (!entry) {
    report(
      'error',
      missing,
      `Add the script to the bundle (in \`source\`, or with a \`files\` line) or fix the location; it is relative to the bundle root.${suggestion()}`
    )
    return undefined
  }
  if (entry.type === 'directory') {
    report(
      'error',
      `location '${location}' is a folder, not a script.`,
      'Give the path of the script file inside that folder.'
    )
    return undefined
  }
  if (entry.type === 'symlink') {
    const target = bundle.linkTarget(rel)
    if (target === undefined || bundle.entry(target)?.type !== 'file') {
      report(
        'error',
        `${missing} (${rel} is a symlink to '${entry.linkTarget ?? ''}', which is not a file in the bundle, so the link dangles on the instance).`,
        'Put the script itself in the bundle instead of a link.'
      )
      return undefined
    }
    report(
      'warning',
      `location '${location}' is a symlink to ${target}: the agent runs the target, but only if every tool that packs and unpacks the bundle keeps the link.`,
      `Name the script itself: \`location: ${target}\`.`
    )
    return target
  }
  return rel
}

async function checkContent(
  path: string,
  bundle: RootedBundle,
  origin: 'built' | 'archive'
): Promise<Finding[]> {
  const file = bundle.full(path)
  const findings: Finding[] = []
  const report = (severity: Finding['severity'], message: string, fix: string, line = 1): void => {
    findings.push({ severity, file, line, message, fix })
  }
  const entry = bundle.entry(path)
  if (origin === 'archive' && entry && (entry.mode & 0o111) === 0) {
    report(
      'warning',
      `${path} is not executable in the archive. The agent logs "Script at specified location: ${path} is not executable.  Trying to make it executable." and runs chmod +x on it.`,
      `Mark it executable before archiving: \`chmod +x ${path}\`, and \`git update-index --chmod=+x ${path}\` so checkouts keep the bit.`
    )
  }
  if (entry && entry.size > LARGE_SCRIPT_BYTES) {
    report(
      'warning',
      `${path} is ${(entry.size / 1024 / 1024).toFixed(1)} MB: hook scripts are normally small text files, so the location may name the wrong file.`,
      'Check the location names the script, not the app or an archive.'
    )
    return findings
  }

  let content: Buffer
  try {
    content = await bundle.read(path)
  } catch {
    report(
      'error',
      `${path} could not be read from the bundle.`,
      'Check the file is a readable regular file.'
    )
    return findings
  }

  const hasBom = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf
  const shebang = content.subarray(0, 2).toString('latin1') === '#!'
  if (hasBom) {
    report(
      'error',
      `${path} starts with a UTF-8 byte order mark, which hides its '#!' line: the script runs through /bin/sh instead of its interpreter.`,
      'Save it as UTF-8 without BOM.'
    )
  } else if (!shebang) {
    report(
      'error',
      `${path} does not start with '#!': the agent would run it through /bin/sh, and hook scripts must name their interpreter.`,
      'Add a first line such as `#!/bin/bash`.'
    )
  }

  const crlf = content.indexOf('\r\n')
  if (crlf >= 0) {
    const line = content.subarray(0, crlf).toString('latin1').split('\n').length
    const interpreter = shebang
      ? content.subarray(2, content.indexOf('\n')).toString('utf8').replace(/\r$/, '').trim()
      : ''
    report(
      'error',
      shebang
        ? `${path} has Windows (CRLF) line endings. The agent fails with "Script at specified location: ${path} failed with error Errno::ENOENT with message No such file or directory - .../deployment-archive/${path}": the kernel looks for the interpreter '${interpreter}\\r', which does not exist.`
        : `${path} has Windows (CRLF) line endings: /bin/sh reads the '\\r' as part of every command and the script fails.`,
      `Convert it to LF line endings (\`sed -i 's/\\r$//' ${path}\` or dos2unix), and add \`*.sh text eol=lf\` to .gitattributes so Git on Windows keeps them.`,
      line
    )
  }
  return findings
}
