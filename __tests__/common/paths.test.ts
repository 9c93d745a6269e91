// Input paths are hostile: resolveInWorkspace is the boundary every `source` and `archive` input
// crosses, and isInside the check behind it (and behind the pre-built archive's realpath check).
import { describe, expect, it } from '@jest/globals'
import { isInside, resolveInWorkspace } from '../../src/common/paths.js'

const WS = '/home/runner/work/app/app'

describe('isInside', () => {
  it.each<[string, string, boolean]>([
    ['the workspace itself', WS, true],
    ['the workspace with a trailing slash', `${WS}/`, true],
    ['a file directly in it', `${WS}/appspec.yml`, true],
    ['a file deep in it', `${WS}/a/b/c/d.sh`, true],
    ['a folder whose name starts with a dot', `${WS}/.github/x`, true],
    ['a name with unicode', `${WS}/déploiement/スクリプト.sh`, true],
    ['a name with spaces and an arrow', `${WS}/link -> ..`, true],
    ['a lexical .. that stays inside', `${WS}/a/../b`, true],
    ['its parent', '/home/runner/work/app', false],
    ['a sibling with the workspace name as prefix', `${WS}-evil/x`, false],
    ['a sibling sharing a prefix without a dash', `${WS}2`, false],
    ['the root', '/', false],
    ['an unrelated absolute path', '/etc/passwd', false],
    ['a lexical .. that climbs out', `${WS}/../app-other/x`, false],
    ['a lexical .. through a subfolder', `${WS}/a/../../x`, false]
  ])('%s: %s → %s', (_what, child, expected) => {
    expect(isInside(WS, child)).toBe(expected)
  })

  it('is true for any path inside the root folder', () => {
    expect(isInside('/', '/etc/passwd')).toBe(true)
    expect(isInside('/', '/')).toBe(true)
  })

  it('ignores a trailing slash on the parent', () => {
    expect(isInside(`${WS}/`, `${WS}/x`)).toBe(true)
    expect(isInside(`${WS}/`, `${WS}-evil`)).toBe(false)
  })

  // path.relative(WS, `${WS}/..foo`) is '..foo', which the check takes for a climb out: a file
  // or folder in the workspace whose name starts with two dots is reported as outside it.
  it('a name that merely starts with two dots is inside', () => {
    expect(isInside(WS, `${WS}/..foo`)).toBe(true)
    expect(isInside(WS, `${WS}/...`)).toBe(true)
  })
})

describe('resolveInWorkspace', () => {
  it.each<[string, string, string]>([
    ['empty: the workspace', '', WS],
    ['.: the workspace', '.', WS],
    ['./: the workspace', './', WS],
    ['a relative folder', 'codedeploy', `${WS}/codedeploy`],
    ['a relative file with ./', './build/app.tgz', `${WS}/build/app.tgz`],
    ['a .. that stays inside', 'a/../b', `${WS}/b`],
    ['a .. back to the workspace', 'a/..', WS],
    ['redundant slashes', 'a//b///c', `${WS}/a/b/c`],
    ['an absolute path inside', `${WS}/dist/x.zip`, `${WS}/dist/x.zip`],
    ['an absolute path with .. that stays inside', `${WS}/a/../dist`, `${WS}/dist`],
    ['a tilde (no home expansion)', '~/x', `${WS}/~/x`],
    ['a Windows-looking drive path (a plain name on POSIX)', 'C:\\temp', `${WS}/C:\\temp`],
    ['unicode names', 'déploiement/アプリ', `${WS}/déploiement/アプリ`],
    ['a name that looks like a symlink listing', 'x -> /etc', `${WS}/x -> /etc`],
    ['a name with a dot only suffix', 'a.', `${WS}/a.`]
  ])('%s: %j → inside', (_what, input, expected) => {
    expect(resolveInWorkspace(WS, input)).toBe(expected)
  })

  it.each<[string, string]>([
    ['the parent', '..'],
    ['the parent with a slash', '../'],
    ['a sibling', '../other'],
    ['a climb hidden behind a folder', 'a/../../other'],
    ['a deep climb', 'a/b/../../../../../../etc/passwd'],
    ['a climb back into a sibling of the same prefix', '../app-evil'],
    ['a climb of two levels', '../../x'],
    ['an absolute path outside', '/etc/passwd'],
    ['the root', '/'],
    ['an absolute sibling with the workspace as prefix', `${WS}-evil/x`],
    ['an absolute path that climbs out', `${WS}/../x`]
  ])('%s: %j → undefined', (_what, input) => {
    expect(resolveInWorkspace(WS, input)).toBeUndefined()
  })

  it('accepts a climb out that comes back into the workspace (lexically inside)', () => {
    expect(resolveInWorkspace(WS, '../app/dist')).toBe(`${WS}/dist`)
  })

  it('never returns a path outside the workspace for any mix of segments', () => {
    const segments = ['..', '.', 'a', '', 'b..', '..b', '/', '...']
    for (const x of segments)
      for (const y of segments)
        for (const z of segments) {
          const input = [x, y, z].join('/')
          const out = resolveInWorkspace(WS, input)
          if (out !== undefined) expect(out === WS || out.startsWith(`${WS}/`)).toBe(true)
        }
  })
})
