// Where the agent will find appspec.yml in the unpacked bundle, or why it will not.
//
// The agent (command_executor.rb, unpack_bundle) strips the archive's top folder when it is the
// archive's only entry and holds a file whose name contains "appspec" (any case); then it reads
// `appspec.yml` at the root, and nothing else, before the first hook runs.

import type { BundleEntry } from '../common/bundle-view.js'
import { AGENT, ARCHIVE_DIR } from './agent-words.js'
import type { Finding } from './types.js'

export const APPSPEC_FILE = 'appspec.yml'

/** The agent's whole message, with the folder it unpacks to on an instance. */
const AGENT_NOT_FOUND = `${AGENT.notFound(APPSPEC_FILE)} The revision was unpacked to directory "${ARCHIVE_DIR}", and the AppSpec file was expected but not found at path "${ARCHIVE_DIR}/${APPSPEC_FILE}". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html`

export interface AppspecLocation {
  /** Folder the agent treats as the bundle root: '' or a top-level folder it strips. */
  root: string
  /** Bundle path of the appspec file to validate. */
  path: string
}

export interface FoundAppspec {
  location?: AppspecLocation
  findings: Finding[]
}

export function findAppspec(
  entries: readonly BundleEntry[],
  origin: 'built' | 'archive'
): FoundAppspec {
  const tops = [...new Set(entries.map((e) => e.path.split('/')[0] ?? ''))]
  const only = tops.length === 1 ? tops[0] : undefined
  const stripped =
    only !== undefined &&
    entries.some((e) => e.path.startsWith(`${only}/`)) &&
    entries.some((e) => /^[^/]+\/[^/]*appspec[^/]*$/i.test(e.path))
  const root = stripped ? (only ?? '') : ''
  const prefix = root ? `${root}/` : ''
  const files = entries.filter((e) => e.type !== 'directory')
  const atRoot = files.filter(
    (e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/')
  )
  const appspec = atRoot.find((e) => e.path === `${prefix}${APPSPEC_FILE}`)
  const findings: Finding[] = []

  if (appspec) {
    if (root) {
      findings.push({
        severity: 'warning',
        file: appspec.path,
        message: `appspec.yml is at ${appspec.path}, not at the bundle root. It deploys because the agent strips a single top folder ("Stripping leading directory from archive bundle contents."); hook locations and file sources are then relative to ${root}/.`,
        fix: folderFix(root, origin)
      })
    }
    if (atRoot.some((e) => e.path === `${prefix}appspec.yaml`)) {
      findings.push({
        severity: 'warning',
        file: `${prefix}appspec.yaml`,
        message:
          'The bundle has both appspec.yml and appspec.yaml; the agent reads only appspec.yml.',
        fix: 'Delete appspec.yaml (or merge what it holds into appspec.yml).'
      })
    }
    return { location: { root, path: appspec.path }, findings }
  }

  const wrongName = atRoot.find((e) => /^appspec\.ya?ml$/i.test(e.path.slice(prefix.length)))
  if (wrongName) {
    return {
      location: { root, path: wrongName.path },
      findings: [
        {
          severity: 'error',
          file: wrongName.path,
          message: `${AGENT_NOT_FOUND} The bundle has ${wrongName.path}, but the agent reads only a file named exactly appspec.yml.`,
          fix: `Rename ${wrongName.path} to ${prefix}appspec.yml.`
        }
      ]
    }
  }

  const elsewhere = files.filter((e) => /(^|\/)appspec\.ya?ml$/i.test(e.path))
  const first = elsewhere[0]
  if (first) {
    const folder = first.path.slice(0, first.path.lastIndexOf('/'))
    const others = tops.filter((t) => t !== folder.split('/')[0])
    // A single top folder would be stripped by the agent, so only then is the archive's root named.
    const stripNote = folder.includes('/')
      ? ''
      : `, and strips a top folder only when it is the archive's only entry (here there is also ${listFirst(others, 5)})`
    return {
      findings: [
        {
          severity: 'error',
          file: first.path,
          message: `${AGENT_NOT_FOUND} Found ${elsewhere.map((e) => e.path).join(', ')} instead: the agent reads only appspec.yml at the bundle root${stripNote}.`,
          fix: folderFix(folder, origin)
        }
      ]
    }
  }

  return {
    findings: [
      {
        severity: 'error',
        file: APPSPEC_FILE,
        message: `${AGENT_NOT_FOUND} The bundle has no appspec.yml.`,
        fix:
          origin === 'built'
            ? 'Put appspec.yml at the top of the `source` folder, or add it with a `files` line such as `deploy/appspec.yml => appspec.yml`.'
            : 'Put appspec.yml at the top level of the archive.'
      }
    ]
  }
}

function folderFix(folder: string, origin: 'built' | 'archive'): string {
  return origin === 'built'
    ? `Make ${folder}/ the bundle root: point \`source\` at that folder (${folder} inside the current \`source\`), or move appspec.yml to the top of \`source\`.`
    : `Rebuild the archive from inside ${folder}, e.g. \`tar -czf bundle.tgz -C ${folder} .\`, so appspec.yml is at its top level.`
}

/** The first `max` names, joined, with ", ..." when there are more. */
function listFirst(names: string[], max: number): string {
  const more = names.length > max ? ', ...' : ''
  return `${names.slice(0, max).join(', ')}${more}`
}
