// Where the agent will find appspec.yml in the unpacked bundle, or why it will not.
//
// The agent looks for `appspec.*` at the archive root; when there is none there and exactly one
// `<folder>/appspec.*`, it moves that folder up to be the root (older agents only when the folder
// is the archive's sole entry; newer ones delete everything else). Then it reads `appspec.yml`.

import type { BundleEntry } from '../bundle/bundle-view.js'
import type { Finding } from './types.js'

export const APPSPEC_FILE = 'appspec.yml'

const AGENT_NOT_FOUND =
  'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml".'

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
  const files = entries.filter((e) => e.type !== 'directory')
  const names = new Set(files.map((e) => e.path))
  const findings: Finding[] = []

  if (names.has(APPSPEC_FILE)) {
    if (names.has('appspec.yaml')) {
      findings.push({
        severity: 'warning',
        file: 'appspec.yaml',
        message:
          'The bundle has both appspec.yml and appspec.yaml; the agent reads only appspec.yml.',
        fix: 'Delete appspec.yaml (or merge what it holds into appspec.yml).'
      })
    }
    return { location: { root: '', path: APPSPEC_FILE }, findings }
  }

  const rootAppspecs = files.filter((e) => /^appspec\.[^/]*$/.test(e.path))
  const wrongName = files.find((e) => /^appspec\.ya?ml$/i.test(e.path))
  if (wrongName) {
    return {
      location: { root: '', path: wrongName.path },
      findings: [
        {
          severity: 'error',
          file: wrongName.path,
          message: `${AGENT_NOT_FOUND} The bundle has ${wrongName.path}, but the agent only looks for appspec.yml (the name is case-sensitive).`,
          fix: `Rename ${wrongName.path} to appspec.yml.`
        }
      ]
    }
  }

  const nested = files.filter((e) => /^[^/]+\/appspec\.[^/]*$/.test(e.path))
  if (rootAppspecs.length === 0 && nested.length === 1) {
    const [folder = '', name = ''] = (nested[0]?.path ?? '').split('/')
    const others = [...new Set(entries.map((e) => e.path.split('/')[0]))].filter(
      (top) => top !== folder
    )
    const moveFix = folderFix(folder, origin)
    if (name !== APPSPEC_FILE) {
      findings.push({
        severity: 'error',
        file: `${folder}/${name}`,
        message: `${AGENT_NOT_FOUND} Found ${folder}/${name}: the agent only reads a file named appspec.yml, at the bundle root.`,
        fix: `Rename it to appspec.yml. ${moveFix}`
      })
    } else if (others.length > 0) {
      findings.push({
        severity: 'error',
        file: `${folder}/${name}`,
        message: `appspec.yml is at ${folder}/appspec.yml, not at the bundle root. Older agents fail with: ${AGENT_NOT_FOUND} Newer ones make ${folder}/ the root and delete everything else (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}).`,
        fix: moveFix
      })
    } else {
      findings.push({
        severity: 'warning',
        file: `${folder}/${name}`,
        message: `appspec.yml is at ${folder}/appspec.yml, not at the bundle root. It deploys only because the agent strips a single top folder ("Stripping leading directory from archive bundle contents."); hook locations and file sources are then relative to ${folder}/.`,
        fix: moveFix
      })
    }
    return { location: { root: folder, path: `${folder}/${name}` }, findings }
  }

  const elsewhere = files.filter((e) => /(^|\/)appspec\.ya?ml$/i.test(e.path))
  const first = elsewhere[0]
  if (first) {
    const folder = first.path.slice(0, first.path.lastIndexOf('/'))
    return {
      findings: [
        {
          severity: 'error',
          file: APPSPEC_FILE,
          message: `${AGENT_NOT_FOUND} Found ${elsewhere.map((e) => e.path).join(', ')} instead: the agent reads only appspec.yml at the bundle root.`,
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
