// In-memory bundles for the appspec tests: a map of paths to contents, links and modes, and the
// tutorial's bundle (support/tutorial.ts) with parts replaced.

import type { BundleEntry, BundleView } from '../../src/common/bundle-view.js'
import { TUTORIAL_APPSPEC, tutorialBundle } from '../support/tutorial.js'

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

export const SCRIPT = '#!/bin/bash\nset -euo pipefail\necho ok\n'

/** The tutorial's bundle (support/tutorial.ts) with `overrides` on top. */
export function tutorialBundleWith(overrides: FixtureTree = {}): FixtureTree {
  return { ...tutorialBundle(), ...overrides }
}

/** The tutorial's bundle with appspec.yml replaced. */
export function withAppspec(appspec: string, overrides: FixtureTree = {}): FixtureTree {
  return tutorialBundleWith({ 'appspec.yml': appspec, ...overrides })
}

/** The tutorial's appspec with its hooks section replaced (everything from `hooks:` on). */
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
