// The vocabulary of the agent conformance cases (cases.ts, cases-forms.ts, cases-real-world.ts):
// the record's types, a minimal bundle, appspec fragments and the agent's messages.

import type { FixtureTree } from '../appspec/bundle-fixture.js'

export type ArchiveForm = 'tgz' | 'tar' | 'zip'

export type AgentOutcome =
  | { ok: true }
  | {
      ok: false
      /** The lifecycle event that failed. */
      event: string
      /** The agent's message, normalised. */
      message: string
      /**
       * The lifecycle error code CodeDeploy reports for a script failure (ScriptMissing,
       * ScriptFailed, ...); none for UnknownError.
       */
      errorCode?: string
    }

export interface AgentCase {
  id: string
  /** The bundle; for `prebuilt`, the archive's entries as `tar`/`zip` write them. */
  tree: FixtureTree
  form?: ArchiveForm
  /** The action gets the archive (`archive` input) instead of building from the folder. */
  prebuilt?: boolean
  /** A deployment of this bundle to another deployment group on the same instance, first. */
  otherGroupFirst?: FixtureTree
  /** The same deployment group deployed this bundle before. */
  sameGroupFirst?: FixtureTree
  agent: AgentOutcome
  /**
   * The failure depends on the instance, not the bundle (a user, a tool, an interpreter, a slow
   * script): the action must not refuse the bundle.
   */
  runtime?: string
  /**
   * Local mode differs from an instance here, and the action follows the instance: why, and
   * whether the action refuses the bundle.
   */
  divergence?: {
    why: string
    action: 'accept' | 'refuse'
    /** Only local mode fails: an instance (and so the test bed) deploys the bundle. */
    localModeOnly?: true
  }
  /** Where users write this form (repository and path, or page): real-world cases only. */
  seen?: string[]
  /** A warning the action must give (substring). */
  warns?: string
  /**
   * What of the agent's message an error of the action must quote, where the rest is the YAML
   * parser's position (libyaml and the action's parser count differently).
   */
  quote?: string
}

export const OK: AgentOutcome = { ok: true }

/** The agent failing at `event` with `message`. */
export function fails(event: string, message: string, errorCode?: string): AgentOutcome {
  return { ok: false, event, message, ...(errorCode ? { errorCode } : {}) }
}

export const SH = '#!/bin/sh\necho "running $LIFECYCLE_EVENT"\n'
export const script = (content = SH, mode = 0o755) => ({ content, mode })

/** A minimal valid appspec with `body` after version and os. */
export function spec(body = ''): string {
  return `version: 0.0\nos: linux\n${body}`
}

/** A bundle: appspec.yml, one hook script and a config folder, plus `extra`. */
export function bundle(appspec: string, extra: FixtureTree = {}): FixtureTree {
  return {
    'appspec.yml': appspec,
    'scripts/start.sh': script(),
    'config/app.conf': 'port=8080\n',
    ...extra
  }
}

export const COPY_ALL = 'files:\n  - source: /\n    destination: {dest}\n'
export const COPY_CONF = 'files:\n  - source: config/app.conf\n    destination: {dest}\n'
export const START_HOOK = 'hooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n'
export const hook = (event: string, lines: string): string => `hooks:\n  ${event}:\n${lines}`
export const at = (location: string, more = ''): string =>
  `    - location: ${location}\n${more ? more.replace(/^/gm, '      ') + '\n' : ''}`

export const NOT_FOUND =
  'The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". The revision was unpacked to directory "<archive>", and the AppSpec file was expected but not found at path "<archive>/appspec.yml". Consult the AWS CodeDeploy Appspec documentation for more information at http://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file.html'
export const badVersion = (v: string): string =>
  `The deployment failed because an invalid version value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies "0.0" as the version, and then try again.`
export const badOs = (os: string): string =>
  `The deployment failed because the application specification file specifies an unsupported operating system (${os}). Specify either "linux" or "windows" in the os section of the AppSpec file, and then try again.`
export const badFeb = (v: string): string =>
  `The deployment failed because an invalid file_exists_behavior value (${v}) was entered in the application specification file. Make sure your AppSpec file specifies one of DISALLOW,OVERWRITE,RETAIN as the file_exists_behavior, and then try again.`
export const BAD_TIMEOUT =
  'The deployment failed because an invalid timeout value was provided for a script in the application specification file. Make corrections in the hooks section of the AppSpec file, and then try again.'
export const NO_LOCATION =
  'The deployment failed because the application specification file specifies a script with no location value. Specify the location in the hooks section of the AppSpec file, and then try again.'
export const NO_SOURCE =
  'The deployment failed because the application specification file specifies a destination file, but no source file. Update the files section of the AppSpec file, and then try again.'
export const NO_OBJECT =
  'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.'
export const invalidAcl = (ace: string): string =>
  `The deployment failed because of a problem with the acls permission settings in the application specification file. Invalid acl entry (${ace}).`
export const missingScript = (path: string): string =>
  `Script does not exist at specified location: <archive>/${path}`
