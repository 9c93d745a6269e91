// In-memory bundles for the appspec tests: a map of paths to contents, links and modes.

import type { BundleEntry, BundleView } from '../../src/common/bundle-view.js'

export interface FixtureFile {
  content?: string | Buffer
  mode?: number
  /** Makes the entry a symlink to this target. */
  link?: string
  /** Makes the entry an (empty) folder. */
  dir?: true
}

export type FixtureTree = Record<string, string | Buffer | FixtureFile>

/** A BundleView over `tree`; parent folders are added as entries, like a real bundle lists them. */
export function bundleOf(tree: FixtureTree): BundleView {
  const contents = new Map<string, Buffer>()
  const entries = new Map<string, BundleEntry>()
  const addParents = (path: string): void => {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!entries.has(dir))
        entries.set(dir, { path: dir, type: 'directory', mode: 0o755, size: 0 })
    }
  }
  for (const [path, spec] of Object.entries(tree)) {
    const file: FixtureFile =
      typeof spec === 'string' || Buffer.isBuffer(spec) ? { content: spec } : spec
    addParents(path)
    if (file.dir) {
      entries.set(path, { path, type: 'directory', mode: file.mode ?? 0o755, size: 0 })
    } else if (file.link !== undefined) {
      entries.set(path, { path, type: 'symlink', mode: 0o777, size: 0, linkTarget: file.link })
    } else {
      const content = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content ?? '')
      contents.set(path, content)
      entries.set(path, { path, type: 'file', mode: file.mode ?? 0o644, size: content.length })
    }
  }
  return {
    entries: [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    read(path: string): Promise<Buffer> {
      const content = contents.get(path)
      return content ? Promise.resolve(content) : Promise.reject(new Error(`no file at ${path}`))
    }
  }
}

/**
 * The tutorial's appspec.yml: copy everything to /home/ec2-user/app, hand its files to ec2-user and
 * run three hooks. (The tutorial's own `type: [directory]` would reach nothing in this bundle,
 * which has no folders: validate.test.ts checks that warning on its own.)
 */
export const TUTORIAL_APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /home/ec2-user/app
permissions:
  - object: /home/ec2-user/app
    owner: ec2-user
    group: ec2-user
    type:
      - file
hooks:
  AfterInstall:
    - location: deploy.sh
      timeout: 300
      runas: root
  ApplicationStart:
    - location: start.sh
      timeout: 300
      runas: root
  ValidateService:
    - location: validate.sh
      timeout: 300
`

export const SCRIPT = '#!/bin/bash\nset -euo pipefail\necho ok\n'

/** The tutorial bundle, as `source: codedeploy` plus the renamed jar would build it. */
export function tutorialTree(overrides: FixtureTree = {}): FixtureTree {
  return {
    'appspec.yml': TUTORIAL_APPSPEC,
    'application.jar': Buffer.from('PK\x03\x04jar'),
    'deploy.sh': { content: SCRIPT, mode: 0o755 },
    'nginx.conf': 'server { listen 80; }\n',
    'start.sh': { content: SCRIPT, mode: 0o755 },
    'validate.sh': { content: SCRIPT, mode: 0o755 },
    ...overrides
  }
}

/** The tutorial bundle with appspec.yml replaced. */
export function withAppspec(appspec: string, overrides: FixtureTree = {}): FixtureTree {
  return tutorialTree({ 'appspec.yml': appspec, ...overrides })
}

/** The tutorial appspec with its hooks section replaced (everything from `hooks:` on). */
export function withHooks(hooks: string, overrides: FixtureTree = {}): FixtureTree {
  return withAppspec(
    TUTORIAL_APPSPEC.slice(0, TUTORIAL_APPSPEC.indexOf('hooks:')) + hooks,
    overrides
  )
}

/** `tree` without the given paths. */
export function without(tree: FixtureTree, ...paths: string[]): FixtureTree {
  return Object.fromEntries(Object.entries(tree).filter(([p]) => !paths.includes(p)))
}
