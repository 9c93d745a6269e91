// YAML.load as the agent's Psych 4 does it: libyaml's syntax errors in its words and places, no
// aliases, and every scalar read the way Psych reads it (psych.ts).
import { parseDocument, visit, isMap, isScalar, type Document } from 'yaml'
import { loadScalar, PsychLoadError } from './psych.ts'
import { fail, type V } from './ruby-values.ts'

/**
 * After a UTF-8 BOM, libyaml ends the first top-level mapping at the next line starting in
 * column 0 (found with the real agent): keep what it keeps.
 */
function bomCut(text: string): string {
  if (!text.startsWith('\ufeff')) return text
  const source = text.slice(1)
  const first = source.split('\n', 1)[0] ?? ''
  if (/^\s*(#.*)?\r?$/.test(first)) return source
  const next = /\n(?=[^\s#])/.exec(source.slice(first.length))
  return next ? source.slice(0, first.length + next.index + 1) : source
}

// libyaml's words for the `yaml` package's errors, as Psych reports them.
const PSYCH: Record<string, string> = {
  TAB_AS_INDENT: 'found character that cannot start any token while scanning for the next token',
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  BLOCK_IN_FLOW: 'did not find expected node content while parsing a flow node'
}

/** libyaml's words for a syntax error the `yaml` package reports with `message`. */
function psychProblem(code: string, message: string): string | undefined {
  const known = PSYCH[code]
  if (known) return known
  if (message.startsWith('Flow sequence'))
    return "did not find expected ',' or ']' while parsing a flow sequence"
  if (message.startsWith('Flow map'))
    return "did not find expected ',' or '}' while parsing a flow mapping"
  if (/quote/i.test(message)) return 'found unexpected end of stream while scanning a quoted scalar'
  return message.split(' at line')[0]
}

/**
 * Where Psych says a syntax error is: libyaml's context mark (the unclosed bracket or quote)
 * where there is one, else the problem (the stray ':'), else where the `yaml` package saw it.
 */
function psychMark(
  code: string,
  message: string,
  source: string,
  at: { line: number; col: number } | undefined
): [number, number] {
  const open = unclosed(source)
  if (code === 'BAD_INDENT' && /^Flow (sequence|map)/.test(message) && open.bracket)
    return open.bracket
  if (code === 'MISSING_CHAR' && /quote/i.test(message) && open.quote) return open.quote
  if (code === 'BLOCK_AS_IMPLICIT_KEY' && at) {
    const text = source.split('\n')[at.line - 1] ?? ''
    const colon = /:(?=\s|$)/.exec(text.slice(at.col - 1))
    if (colon) return [at.line, at.col + colon.index]
  }
  return at ? [at.line, at.col] : [1, 1]
}

/** The innermost flow bracket and the quote still open at the end of the text, 1-based. */
function unclosed(source: string): { bracket?: [number, number]; quote?: [number, number] } {
  const brackets: [number, number][] = []
  let quote: { char: string; at: [number, number] } | undefined
  let line = 1
  let col = 0
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    col++
    if (c === '\n') {
      line++
      col = 0
      continue
    }
    if (quote) {
      if (quote.char === '"' && c === '\\') {
        i++
        col++
      } else if (c === quote.char) {
        if (c === "'" && source[i + 1] === "'") {
          i++
          col++
        } else quote = undefined
      }
      continue
    }
    if (c === '#' && (col === 1 || /\s/.test(source[i - 1]!))) {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++
    } else if (c === '"' || c === "'") quote = { char: c, at: [line, col] }
    else if (c === '[' || c === '{') brackets.push([line, col])
    else if ((c === ']' || c === '}') && brackets.length > 0) brackets.pop()
  }
  return {
    ...(brackets.length > 0 ? { bracket: brackets[brackets.length - 1] } : {}),
    ...(quote ? { quote: quote.at } : {})
  }
}

export function load(text: string): { value: V; versionText?: string } {
  const source = bomCut(text)
  // Every scalar a string first (failsafe), then the value Psych gives it (psych.ts).
  const doc: Document = parseDocument(source, { version: '1.1', schema: 'failsafe' })
  const error = doc.errors.find(
    (e) =>
      e.code !== 'DUPLICATE_KEY' &&
      e.code !== 'MULTIPLE_DOCS' &&
      !(e.code === 'TAG_RESOLVE_FAILED' && e.message.startsWith('Unresolved tag'))
  )
  if (error) {
    const m = error.message
    const [line, column] = psychMark(error.code, m, source, error.linePos?.[0])
    fail(`(<unknown>): ${psychProblem(error.code, m)} at line ${line} column ${column}`)
  }
  visit(doc, {
    Alias(_k, node) {
      fail(`Unknown alias: ${node.source}`)
    },
    Scalar(_k, node) {
      try {
        node.value = loadScalar(
          String(node.source ?? node.value ?? ''),
          node.type === 'PLAIN',
          node.tag
        )
      } catch (e) {
        if (e instanceof PsychLoadError) fail(e.message)
        throw e
      }
    }
  })
  // Ruby prints a version as written: 1.0 stays "1.0" (a Float), which JS numbers lose.
  const node = isMap(doc.contents) ? doc.contents.get('version', true) : undefined
  const plain = isScalar(node) && node.type === 'PLAIN' && node.range
  return {
    value: doc.toJS() as V,
    ...(plain ? { versionText: source.slice(node.range![0], node.range![1]) } : {})
  }
}
