// The scripts hooks name, as the agent's HookExecutor finds and starts them: a missing one, a
// folder, a '#!' line ending in CR are failures in its words; a script without '#!' (run by
// /bin/sh), CRLF elsewhere, an unusual interpreter, a background job left on the hook's output
// are warnings that say what will happen.

import path from 'node:path'
import { AGENT, ARCHIVE_DIR } from './agent-words.js'
import { openBackgroundJobs, shellsFor, type OpenJob, type Shell } from './background-jobs.js'
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
    const found: Finding[] = []
    const inAppspec = (severity: Finding['severity'], message: string, fix: string): void => {
      found.push({ severity, file: appspecFile, ...ref.position, message, fix })
    }
    const path = resolveLocation(ref, bundle, opts.windows, inAppspec)
    if (path !== undefined) {
      resolved.set(ref, path)
      if (!opts.windows && !contentChecked.has(path)) {
        contentChecked.add(path)
        found.push(...(await checkContent(path, ref, bundle, opts.origin)))
      }
    }
    findings.push(...(ref.event === 'ApplicationStop' ? found.map(nextDeployment) : found))
  }
  return { findings, resolved }
}

type Report = (severity: Finding['severity'], message: string, fix: string) => void

/**
 * ApplicationStop runs the scripts of the revision deployed before: this bundle's run at the
 * next deployment, so what would fail them fails that one, not this.
 */
function nextDeployment(finding: Finding): Finding {
  if (finding.severity !== 'error') return finding
  return {
    ...finding,
    severity: 'warning',
    message: `This deployment does not run it (ApplicationStop runs the previous revision's scripts), but the next deployment's ApplicationStop will fail with: ${finding.message}`,
    fix: `${finding.fix} Until then, deploy with \`ignore-application-stop-failures: true\` if it already failed.`
  }
}

/** The root-relative path of the file the agent will run, or undefined if there is none. */
function resolveLocation(
  ref: ScriptRef,
  bundle: RootedBundle,
  windows: boolean,
  report: Report
): string | undefined {
  const { location } = ref
  const written = windows ? location.replace(/\\/g, '/') : location
  // HookExecutor: File.exist?(File.join(archive, location)), reported with File.expand_path.
  const onInstance = path.posix.resolve(ARCHIVE_DIR, written.replace(/^\/+/, ''))
  const missing = AGENT.scriptMissing(onInstance)
  const rel = rootRelative(written)
  if (rel === undefined || rel === '') {
    report(
      'error',
      `${missing}: the location leaves the bundle.`,
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
  if (bundle.kind(rel) === 'missing') {
    report(
      'error',
      missing,
      `Add the script to the bundle (in \`source\`, or with a \`files\` line) or fix the location; it is relative to the bundle root${written.startsWith('/') ? ', not a path on the instance' : ''}.${suggestion()}`
    )
    return undefined
  }
  if (bundle.kind(rel) === 'directory') {
    report(
      'error',
      AGENT.scriptError(location, 'Errno::EACCES', `Permission denied - ${onInstance}`),
      `'${location}' is a folder: give the path of the script file inside it.`
    )
    return undefined
  }
  // Ruby's popen3 splits a command without shell characters at blanks: it runs the first word.
  const blank = /\s/.exec(onInstance)
  if (!windows && blank) {
    report(
      'error',
      AGENT.scriptError(
        location,
        'Errno::ENOENT',
        `No such file or directory - ${onInstance.slice(0, blank.index)}`
      ),
      'Rename the script (and its folders) without spaces: the agent splits the command at blanks.'
    )
    return undefined
  }
  if (written.startsWith('/')) {
    report(
      'warning',
      `location '${location}' starts with '/': the agent still reads it relative to the bundle root (${rel}), not from that path on the instance.`,
      `Write \`location: ${rel}\` without the leading '/'.`
    )
  }
  if (entry?.type === 'symlink') {
    const target = bundle.linkTarget(rel)
    if (target === undefined && (entry.linkTarget ?? '').startsWith('/')) {
      report(
        'warning',
        `location '${location}' is a symlink to '${entry.linkTarget ?? ''}', outside the bundle: it runs only if that path exists on the instance.`,
        'Put the script itself in the bundle instead of a link.'
      )
      return undefined
    }
    if (target === undefined) {
      // It points into the deployment's own folder, which holds only the agent's files.
      report(
        'error',
        `${missing}: ${rel} is a symlink to '${entry.linkTarget ?? ''}', outside the bundle, which on the instance points into the deployment's own folder.`,
        'Put the script itself in the bundle instead of a link.'
      )
      return undefined
    }
    if (bundle.kind(target) !== 'file' || bundle.entry(target)?.type === 'symlink') {
      report(
        'error',
        missing,
        `${rel} is a symlink to '${entry.linkTarget ?? ''}', which is not a file in the bundle: put the script itself in the bundle.`
      )
      return undefined
    }
    return target
  }
  return rel
}

/** Interpreters an EC2 Linux image has; another one must be installed before the hook runs. */
const COMMON_INTERPRETERS = new Set(['sh', 'bash', 'dash', 'python3', 'perl'])

async function checkContent(
  path: string,
  ref: ScriptRef,
  bundle: RootedBundle,
  origin: 'built' | 'archive'
): Promise<Finding[]> {
  const file = bundle.full(path)
  const findings: Finding[] = []
  const report = (
    severity: Finding['severity'],
    message: string,
    fix: string,
    line = 1,
    kind?: Finding['kind']
  ): void => {
    findings.push({ severity, file, line, message, fix, ...(kind ? { kind } : {}) })
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
    return findings
  }

  const hasBom = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf
  const shebang = content.subarray(0, 2).toString('latin1') === '#!'
  const firstLine = content
    .subarray(2, content.indexOf('\n') < 0 ? undefined : content.indexOf('\n'))
    .toString('utf8')
  const crlf = content.indexOf('\r\n')
  if (hasBom) {
    report(
      'warning',
      `${path} starts with a UTF-8 byte order mark, which hides its '#!' line: the agent runs it through /bin/sh, which reports the first line as an unknown command and goes on.`,
      'Save it as UTF-8 without BOM.'
    )
  } else if (!shebang && content.length > 0) {
    report(
      'warning',
      `${path} does not start with '#!': the agent runs it through /bin/sh, so bash-only syntax in it fails.`,
      'Add a first line naming the interpreter, such as `#!/bin/bash`.'
    )
  } else if (shebang && crlf < 0) {
    const words = firstLine.trim().split(/\s+/)
    const program = (words[0] ?? '').endsWith('/env') ? (words[1] ?? '') : (words[0] ?? '')
    const name = program.split('/').pop() ?? ''
    if (name && !COMMON_INTERPRETERS.has(name)) {
      report(
        'warning',
        `${path} runs with '${firstLine.trim()}': if ${program} is not installed on the instance, the agent fails with "${AGENT.scriptError(path, 'Errno::ENOENT', 'No such file or directory - ...')}".`,
        `Install ${name} on the instance (user data, AMI) before deploying, or use /bin/bash.`
      )
    }
  }

  if (crlf >= 0) {
    const line = content.subarray(0, crlf).toString('latin1').split('\n').length
    const onInstance = `${ARCHIVE_DIR}/${path}`
    if (shebang && !hasBom && line === 1) {
      report(
        'error',
        `${AGENT.scriptError(path, 'Errno::ENOENT', `No such file or directory - ${onInstance}`)}: ${path} has Windows (CRLF) line endings, so the kernel looks for the interpreter '${firstLine.replace(/\r$/, '').trim()}\\r', which does not exist.`,
        `Convert it to LF line endings (\`sed -i 's/\\r$//' ${path}\` or dos2unix), and add \`*.sh text eol=lf\` to .gitattributes so Git on Windows keeps them.`,
        line,
        'crlf'
      )
    } else {
      report(
        'warning',
        `${path} has Windows (CRLF) line endings: the shell reads the '\\r' as part of each command, so commands and paths in it may not be found.`,
        `Convert it to LF line endings (\`sed -i 's/\\r$//' ${path}\` or dos2unix), and add \`*.sh text eol=lf\` to .gitattributes.`,
        line,
        'crlf'
      )
    }
  } else {
    // A script with CRLF fails or misreads its commands anyway; its jobs are not looked at.
    const text = content.toString('utf8').replace(/^\ufeff/, '')
    const shells = shellsFor(shebang && !hasBom ? firstLine : undefined)
    for (const job of openBackgroundJobs(text, shells)) {
      report(
        'warning',
        jobMessage(job, path, ref, shells),
        jobFix(job),
        job.line,
        'background-output'
      )
    }
  }
  return findings
}

// A background job left on the hook's stdout or stderr, in parts: the job, what keeps the pipes
// open, on which /bin/sh, and what the agent then does.

const BIN_SH: Record<Shell, string> = {
  bash: 'bash (Amazon Linux, RHEL)',
  dash: 'dash (Ubuntu, Debian)'
}

const COMPOUND: Record<NonNullable<OpenJob['compound']>, string> = {
  braces: 'group',
  subshell: 'subshell',
  if: '`if`',
  case: '`case`',
  loop: 'loop'
}

function jobMessage(job: OpenJob, path: string, ref: ScriptRef, shells: readonly Shell[]): string {
  const streams = job.streams.join(' and ')
  const on =
    job.shells.length < shells.length
      ? `On instances where /bin/sh is ${BIN_SH[job.shells[0] ?? 'bash']}, `
      : ''
  const consequence = `the CodeDeploy agent waits for ${job.streams.length > 1 ? 'them' : 'it'} to close until the hook's timeout (${ref.timeout} s), then fails ${eventWords(ref.event)} with "${AGENT.outputLeftOpen(ref.location, job.streams.includes('stdout') ? 'STDOUT' : 'STDERR')}".`
  return `${path} line ${job.line}: ${on}${whatHolds(job, streams)}: ${consequence}`
}

function whatHolds(job: OpenJob, streams: string): string {
  const shell = job.shells.length === 1 ? job.shells[0] : 'the shell'
  if (job.ampersandRedirect)
    return `in \`${job.text}\` dash reads \`&>\` as \`&\` followed by \`>\`, so the command runs in the background with its output still on the hook's ${streams}`
  if (job.ownOutput) {
    const nohup = job.commands.includes('nohup')
      ? ' (nohup redirects output only when it goes to a terminal, and the agent gives the script pipes)'
      : ''
    return `\`${job.text}\` runs in the background with its output still on the hook's ${streams}${nohup}`
  }
  switch (job.form) {
    case 'list':
      return `\`${job.text}\` sends the whole list to the background, not only its last command: ${shell} runs the list in a subshell that keeps the hook's ${streams} open while the last command runs, although that command is redirected`
    case 'group':
      return `\`${job.text}\` sends the whole ${COMPOUND[job.compound ?? 'braces']} to the background: ${shell} runs it in a subshell that keeps the hook's ${streams} open while it runs, although the commands in it are redirected`
    case 'function':
      return `\`${job.text}\`: ${shell} runs the function in a background subshell that keeps the hook's ${streams} open while it runs, although the call is redirected`
    default:
      return `\`${job.text}\`: ${shell} waits for the pipeline in a background subshell that keeps the hook's ${streams} open`
  }
}

/** ApplicationStop runs the scripts of the revision deployed before: this one's at the next deployment. */
function eventWords(event: string): string {
  return event === 'ApplicationStop'
    ? "the next deployment's ApplicationStop (which runs this revision's scripts)"
    : event
}

function jobFix(job: OpenJob): string {
  const systemd = ' (or run the service under systemd)'
  if (job.ampersandRedirect)
    return `Write \`${job.fix}\`, which every shell reads the same, or start the script with \`#!/bin/bash\`.`
  switch (job.form) {
    case 'list':
      return `Send only the last command to the background: \`${job.fix}\`, or redirect the whole list: \`${job.listFix ?? job.fix}\`${systemd}.`
    case 'group': {
      const noun = COMPOUND[job.compound ?? 'braces']
      return job.fixIsLastLine
        ? `Redirect the whole ${noun} where it ends, on line ${job.endLine}: \`${job.fix}\`.`
        : `Redirect the whole ${noun}: \`${job.fix}\`.`
    }
    case 'function':
      return `Redirect the call as a group: \`${job.fix}\`.`
    case 'pipeline':
      return `Redirect the whole pipeline: \`${job.fix}\`${systemd}.`
    default:
      return `Redirect its output: \`${job.fix}\`${systemd}.`
  }
}
