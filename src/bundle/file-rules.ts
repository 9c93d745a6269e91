// Parses the `files` input: one rule per line.
//   PATTERN              keep matches at their workspace-relative path
//   PATTERN => TARGET    TARGET ending in '/' is a bundle folder; else a rename of exactly one file
//   !PATTERN             exclude (from `source` too)
//   # comment            also after a rule, when preceded by whitespace (YAML `|` keeps it)

import { InputError } from '../common/errors.js'
import type { FileRule } from './types.js'

const INPUT = 'files'

export function parseFileRules(text: string): FileRule[] {
  const rules: FileRule[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1
    const body = stripComment(raw).trim()
    if (body === '') return
    if (body.startsWith('!')) {
      const pattern = body.slice(1).trim()
      if (pattern === '') fail(line, raw, `'!' needs a pattern after it`, `write e.g. '!**/*.md'.`)
      if (pattern.includes('=>'))
        fail(line, raw, 'an exclusion cannot have a target', `write '!PATTERN' alone.`)
      rules.push({ kind: 'exclude', pattern: checkPattern(pattern, line, raw), line })
      return
    }
    const arrow = body.indexOf('=>')
    if (arrow < 0) {
      rules.push({ kind: 'include', pattern: checkPattern(body, line, raw), line })
      return
    }
    const pattern = body.slice(0, arrow).trim()
    const target = body.slice(arrow + 2).trim()
    if (pattern === '' || target === '')
      fail(
        line,
        raw,
        `'=>' needs a pattern on its left and a target on its right`,
        `write 'PATTERN => TARGET', e.g. 'build/libs/*.jar => application.jar'.`
      )
    if (target.includes('=>'))
      fail(line, raw, `only one '=>' is allowed per line`, `write 'PATTERN => TARGET'.`)
    rules.push({
      kind: 'include',
      pattern: checkPattern(pattern, line, raw),
      target: checkTarget(target, line, raw),
      line
    })
  })
  return rules
}

/** '# …' at the start, or after whitespace, is a comment: the action's own example uses one. */
function stripComment(raw: string): string {
  if (raw.trimStart().startsWith('#')) return ''
  return raw.replace(/\s#.*$/, '')
}

function checkPattern(pattern: string, line: number, raw: string): string {
  if (isAbsolute(pattern))
    fail(
      line,
      raw,
      `pattern '${pattern}' is an absolute path`,
      'Patterns are relative to the workspace: write e.g. build/libs/*.jar.'
    )
  if (hasDotDot(pattern))
    fail(
      line,
      raw,
      `pattern '${pattern}' leaves the workspace with '..'`,
      'Only files inside the workspace can be bundled: copy the file into the workspace in an earlier step.'
    )
  return stripDotSlash(pattern)
}

function checkTarget(target: string, line: number, raw: string): string {
  if (target.includes('\\'))
    fail(line, raw, `target '${target}' contains a backslash`, `Use '/' between folder names.`)
  if (isAbsolute(target))
    fail(
      line,
      raw,
      `target '${target}' is an absolute path`,
      'Targets are paths inside the bundle: write e.g. lib/ or application.jar.'
    )
  if (hasDotDot(target))
    fail(
      line,
      raw,
      `target '${target}' contains a '..' segment`,
      'Targets must stay inside the bundle: write e.g. lib/ or application.jar.'
    )
  const folder = target.endsWith('/')
  const segments = target.split('/').filter((s) => s !== '' && s !== '.')
  if (segments.length === 0) return './'
  return segments.join('/') + (folder ? '/' : '')
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)
}

function hasDotDot(p: string): boolean {
  return p.split(/[/\\]/).some((segment) => segment === '..')
}

function stripDotSlash(p: string): string {
  let out = p
  while (out.startsWith('./')) out = out.slice(2)
  return out === '' ? '.' : out
}

function fail(line: number, raw: string, problem: string, fix: string): never {
  throw new InputError(INPUT, `line ${line} ('${raw.trim()}'): ${problem}.`, fix)
}
