import { parseFileRules } from '../../src/bundle/file-rules.js'
import { InputError } from '../../src/common/errors.js'
import type { FileRule } from '../../src/settings/settings.js'

describe('parseFileRules: accepted lines', () => {
  it.each<[string, string, FileRule[]]>([
    ['empty input', '', []],
    ['blank lines and comments only', '\n  \n# a comment\n   # indented comment\n', []],
    [
      'a plain pattern',
      'build/libs/app.jar',
      [{ kind: 'include', pattern: 'build/libs/app.jar', line: 1 }]
    ],
    [
      'a rename (the contract example, trailing comment included)',
      'build/libs/*.jar => application.jar    # extra artifact, renamed into the bundle',
      [{ kind: 'include', pattern: 'build/libs/*.jar', target: 'application.jar', line: 1 }]
    ],
    [
      'a folder target',
      'static/**/*.png=>public/img/',
      [{ kind: 'include', pattern: 'static/**/*.png', target: 'public/img/', line: 1 }]
    ],
    [
      "'./' prefixes are dropped on both sides",
      './build/app.jar => ./lib/',
      [{ kind: 'include', pattern: 'build/app.jar', target: 'lib/', line: 1 }]
    ],
    [
      "'./' as target is the bundle root",
      'config/* => ./',
      [{ kind: 'include', pattern: 'config/*', target: './', line: 1 }]
    ],
    [
      'repeated slashes in a target are collapsed',
      'a.txt => deep//dir///',
      [{ kind: 'include', pattern: 'a.txt', target: 'deep/dir/', line: 1 }]
    ],
    [
      'an exclusion, with line numbers counting blank and comment lines',
      '# keep the boot jar only\n\nbuild/libs/*.jar => app.jar\n!build/libs/*-plain.jar',
      [
        { kind: 'include', pattern: 'build/libs/*.jar', target: 'app.jar', line: 3 },
        { kind: 'exclude', pattern: 'build/libs/*-plain.jar', line: 4 }
      ]
    ],
    [
      'an exclusion with a space after !',
      '!  **/*.md',
      [{ kind: 'exclude', pattern: '**/*.md', line: 1 }]
    ],
    [
      'CRLF line endings',
      'a.txt\r\nb.txt\r\n',
      [
        { kind: 'include', pattern: 'a.txt', line: 1 },
        { kind: 'include', pattern: 'b.txt', line: 2 }
      ]
    ],
    [
      "a '#' inside a name (no space before it) is not a comment",
      'docs/c#notes.txt',
      [{ kind: 'include', pattern: 'docs/c#notes.txt', line: 1 }]
    ],
    [
      "dotted names that are not '..' segments",
      '..hidden/x => a..b',
      [{ kind: 'include', pattern: '..hidden/x', target: 'a..b', line: 1 }]
    ]
  ])('%s', (_name, text, expected) => {
    expect(parseFileRules(text)).toEqual(expected)
  })
})

describe('parseFileRules: refused lines', () => {
  it.each<[string, string, RegExp]>([
    [
      'a rename without a target',
      'build/app.jar =>',
      /line 1 .*'=>' needs a pattern on its left and a target/
    ],
    ['a rename without a pattern', '  => app.jar', /line 1 .*needs a pattern on its left/],
    ['two arrows', 'a => b => c', /only one '=>'/],
    [
      'an absolute target',
      'a.jar => /opt/app/a.jar',
      /target '\/opt\/app\/a.jar' is an absolute path/
    ],
    ['a target climbing out', 'a.jar => ../a.jar', /target '..\/a.jar' contains a '..' segment/],
    ['a target with .. in the middle', 'a.jar => lib/../../a.jar', /'\.\.' segment/],
    ['a target with a backslash', 'a.jar => lib\\a.jar', /contains a backslash/],
    ['an absolute pattern', '/etc/passwd', /pattern '\/etc\/passwd' is an absolute path/],
    ['a Windows drive pattern', 'C:/secrets/*.pem', /absolute path/],
    ['a pattern climbing out', '../other-repo/*.jar', /leaves the workspace with '\.\.'/],
    ['a glob climbing out midway', 'build/../../x', /leaves the workspace/],
    ['an excluded pattern climbing out', '!../x', /leaves the workspace/],
    ['a bare !', '!', /line 1 .*'!' needs a pattern/],
    ['a ! with only spaces', 'a.txt\n!   ', /line 2 .*'!' needs a pattern/],
    ['an exclusion with a target', '!a => b', /an exclusion cannot have a target/],
    [
      'the line number of a later bad line',
      'ok.txt\n\n# c\nx => /abs',
      /^Input 'files': line 4 \('x => \/abs'\)/
    ]
  ])('%s', (_name, text, message) => {
    let caught: unknown
    try {
      parseFileRules(text)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(InputError)
    const err = caught as InputError
    expect(err.input).toBe('files')
    expect(err.message).toMatch(message)
    expect(err.fix).toBeTruthy()
  })
})
