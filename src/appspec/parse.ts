// appspec.yml text → plain data, keeping where each key sits so findings can point at a line.
// The `yaml` package reads the structure with every scalar a string (its failsafe schema); each
// scalar then takes the value the agent's Psych gives it (psych-scalar.ts): `0755` is octal,
// `yes` a boolean, `.` and `y` strings, `1:20` 4800.

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Scalar
} from 'yaml'
import { psychScalar, type PsychScalar } from './psych-scalar.js'

export interface Position {
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
}

/** A problem in the YAML text itself. */
export interface YamlIssue extends Position {
  severity: 'error' | 'warning'
  message: string
  fix: string
}

export type PathSegment = string | number

export interface ParsedAppspec {
  /** The document as plain data, as the agent's YAML reader gets it (null for an empty file). */
  value: unknown
  /** Top-level keys the agent's YAML reader drops after a byte order mark (see bomCut). */
  droppedByBom: string[]
  issues: YamlIssue[]
  /** The agent could not load this text at all: nothing else in it can be judged. */
  unreadable: boolean
  /** Where the key (or, for an index, the list item) at `path` starts. */
  keyPosition(path: readonly PathSegment[]): Position | undefined
  /** Where the value at `path` starts. */
  valuePosition(path: readonly PathSegment[]): Position | undefined
  /** The scalar at `path` as written (`1.0` stays `1.0`), quotes removed. */
  sourceText(path: readonly PathSegment[]): string | undefined
  /** Whether the scalar at `path` was written in quotes (and so is a string for the agent). */
  isQuoted(path: readonly PathSegment[]): boolean
}

const BOM = '\ufeff'

export function parseAppspec(text: string): ParsedAppspec {
  // The BOM is reported by the validator; stripping it keeps columns right.
  const whole = text.startsWith(BOM) ? text.slice(BOM.length) : text
  const source = text.startsWith(BOM) ? bomCut(whole) : whole
  const lineCounter = new LineCounter()
  // A repeated key is a DUPLICATE_KEY error here, reported as a warning: like Psych, the value
  // keeps the last one.
  const options = { lineCounter, prettyErrors: false, version: '1.1', schema: 'failsafe' } as const
  const doc = parseDocument(source, options)
  const scalarFailure = loadScalarsAsPsych(doc)
  const droppedByBom =
    source === whole
      ? []
      : topLevelKeys(
          parseDocument(whole, { ...options, lineCounter: new LineCounter() }).toJS()
        ).filter((k) => !topLevelKeys(doc.toJS()).includes(k))
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }

  const issues: YamlIssue[] = []
  let unreadable = false
  for (const err of doc.errors) {
    // Psych reads a scalar under a tag it does not know as if it had none (done above).
    if (err.code === 'TAG_RESOLVE_FAILED' && err.message.startsWith('Unresolved tag')) continue
    const issue = describeYamlError(err.code, err.message, at(err.pos[0]))
    if (issue.severity === 'error') unreadable = true
    issues.push(issue)
  }
  if (!unreadable) {
    const refused = psychRefusal(doc, source, scalarFailure)
    if (refused) {
      unreadable = true
      issues.push({
        ...at(refused.offset),
        severity: 'error',
        message: refused.message,
        fix: refused.fix
      })
    }
  }
  issues.push(...tabIndentWarnings(source, issues))

  const pairAt = (path: readonly PathSegment[]) => locate(doc, path)
  return {
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    droppedByBom,
    issues,
    unreadable,
    keyPosition(path) {
      const found = pairAt(path)
      const start = found?.keyNode?.range?.[0] ?? found?.node?.range?.[0]
      return start === undefined ? undefined : at(start)
    },
    valuePosition(path) {
      const start = pairAt(path)?.node?.range?.[0]
      return start === undefined ? undefined : at(start)
    },
    sourceText(path) {
      const node = pairAt(path)?.node
      if (!node || !isScalar(node) || !node.range) return undefined
      if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return String(node.value)
      return source.slice(node.range[0], node.range[1])
    },
    isQuoted(path) {
      const node = pairAt(path)?.node
      return (
        !!node && isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')
      )
    }
  }
}

/** libyaml's words (what the agent's Psych reports) for the `yaml` package's error codes. */
function psychProblem(code: string, message: string): string | undefined {
  if (code === 'TAB_AS_INDENT')
    return 'found character that cannot start any token while scanning for the next token'
  if (code === 'BAD_INDENT' && message.startsWith('Flow sequence'))
    return "did not find expected ',' or ']' while parsing a flow sequence"
  if (code === 'BAD_INDENT' && message.startsWith('Flow map'))
    return "did not find expected ',' or '}' while parsing a flow mapping"
  if (code === 'MISSING_CHAR' && /quote/i.test(message))
    return 'found unexpected end of stream while scanning a quoted scalar'
  if (code === 'BLOCK_AS_IMPLICIT_KEY') return 'mapping values are not allowed in this context'
  if (code === 'BLOCK_IN_FLOW')
    return 'did not find expected node content while parsing a flow node'
  return undefined
}

function describeYamlError(code: string, message: string, position: Position): YamlIssue {
  const psych = psychProblem(code, message)
  if (psych) {
    return {
      ...position,
      severity: 'error',
      message: `The agent's YAML reader fails: "(<unknown>): ${psych}" (${message.split(' at line')[0]}).`,
      fix:
        code === 'TAB_AS_INDENT'
          ? 'Indent with spaces only.'
          : 'Fix the YAML at this line and column (check indentation, colons, quotes and brackets).'
    }
  }
  switch (code) {
    case 'DUPLICATE_KEY':
      return {
        ...position,
        severity: 'warning',
        message: 'This key appears twice in its section; the agent keeps only the last one.',
        fix: 'Merge the two entries into one.'
      }
    case 'MULTIPLE_DOCS':
      return {
        ...position,
        severity: 'warning',
        message:
          "appspec.yml holds more than one YAML document (a '---' line); the agent reads only the first.",
        fix: "Remove the '---' line and everything after it, or merge it into the first document."
      }
    default:
      return {
        ...position,
        severity: 'error',
        message: `YAML syntax error, which the agent's YAML reader fails on: ${message}.`.replace(
          /\.\.$/,
          '.'
        ),
        fix: 'Fix the YAML at this line and column (check indentation, colons and brackets).'
      }
  }
}

/** Tabs in indentation that the parser let through: Psych is stricter, and editors disagree. */
function tabIndentWarnings(source: string, reported: readonly YamlIssue[]): YamlIssue[] {
  const reportedLines = new Set(reported.map((i) => i.line))
  const warnings: YamlIssue[] = []
  source.split('\n').forEach((text, index) => {
    const indent = /^[ \t]*/.exec(text)?.[0] ?? ''
    const tab = indent.indexOf('\t')
    const line = index + 1
    if (tab >= 0 && text.trim() !== '' && !reportedLines.has(line)) {
      warnings.push({
        line,
        column: tab + 1,
        severity: 'warning',
        message: 'This line is indented with a tab.',
        fix: 'Indent with spaces only: YAML forbids tabs for indentation and the agent may fail to read the file.'
      })
    }
  })
  return warnings
}

/**
 * After a UTF-8 byte order mark, the agent's YAML reader (libyaml through Psych) ends the first
 * top-level mapping at the next line that starts in column 0: only the first key survives. A
 * BOM followed by a blank or comment line is harmless. Found with the agent itself; see
 * __tests__/agent/cases.ts.
 */
function bomCut(source: string): string {
  const firstLine = source.split('\n', 1)[0] ?? ''
  if (/^\s*(#.*)?\r?$/.test(firstLine)) return source
  const next = /\n(?=[^\s#])/.exec(source.slice(firstLine.length))
  return next ? source.slice(0, firstLine.length + next.index + 1) : source
}

function topLevelKeys(value: unknown): string[] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : []
}

/** A scalar YAML.load raises on, and where. */
interface ScalarFailure {
  node: Scalar
  failure: Extract<PsychScalar, { class: 'error' }>
}

/**
 * Gives every scalar the value Psych gives it, keys included (Psych resolves keys too); returns
 * the first scalar on which YAML.load raises (a date or a time, `Integer("0x")`).
 */
function loadScalarsAsPsych(doc: Document): ScalarFailure | undefined {
  let first: ScalarFailure | undefined
  visit(doc, {
    Scalar(_key, node) {
      const loaded = psychScalar({
        text: String(node.source ?? node.value ?? ''),
        plain: node.type === 'PLAIN',
        ...(node.tag ? { tag: node.tag } : {})
      })
      if (loaded.class === 'error') {
        first ??= { node, failure: loaded }
        node.value = node.source
      } else {
        node.value = loaded.value
      }
    }
  })
  return first
}

/**
 * What Psych 4 (Ruby 3.1 and later) refuses in `YAML.load`, which the agent calls: aliases, and
 * scalars it cannot load (dates and times, whose classes it was not told to allow; `0x`).
 */
function psychRefusal(
  doc: Document,
  source: string,
  scalar: ScalarFailure | undefined
): { offset: number; message: string; fix: string } | undefined {
  let found: { offset: number; message: string; fix: string } | undefined
  visit(doc, {
    Alias(_key, node) {
      found ??= {
        offset: node.range?.[0] ?? 0,
        message: `The agent's YAML reader fails: "Unknown alias: ${node.source}" (Ruby 3.1 and later refuse YAML aliases in appspec.yml).`,
        fix: `Write the value out again instead of \`*${node.source}\`.`
      }
    }
  })
  if (found || !scalar) return found
  const { node, failure } = scalar
  const written = node.range ? source.slice(node.range[0], node.range[1]) : String(node.source)
  const what = /class: (Date|Time)$/.exec(failure.message)?.[1]
  return {
    offset: node.range?.[0] ?? 0,
    message: what
      ? `The agent's YAML reader fails: "${failure.message}": YAML reads the unquoted ${written} as a ${what === 'Date' ? 'date' : 'time'}, which the agent's Ruby refuses.`
      : `The agent's YAML reader fails: "${failure.message}" (${failure.error}): Ruby reads the unquoted ${written} as a number it cannot convert.`,
    fix: `Quote the value: \`"${written}"\`.`
  }
}

interface Located {
  node?: Node
  keyNode?: Node
}

function locate(doc: Document, path: readonly PathSegment[]): Located | undefined {
  let node: unknown = doc.contents
  let keyNode: Node | undefined
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc)
    if (typeof segment === 'string' && isMap(node)) {
      const pair = node.items.findLast((p) => isScalar(p.key) && String(p.key.value) === segment)
      if (!pair) return undefined
      keyNode = pair.key as Node
      node = pair.value ?? undefined
    } else if (typeof segment === 'number' && isSeq(node)) {
      node = node.items[segment]
      keyNode = undefined
      if (node === undefined) return undefined
    } else {
      return undefined
    }
  }
  if (isAlias(node)) node = node.resolve(doc)
  return { node: (node ?? undefined) as Node | undefined, keyNode }
}
