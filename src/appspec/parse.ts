// appspec.yml text → plain data, keeping where each key sits so findings can point at a line.
// Parsed as YAML 1.1, like the agent's Ruby Psych: `0755` is octal, `yes` a boolean.

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node
} from 'yaml'

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
  /** The document as plain data (null for an empty file). */
  value: unknown
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
  const source = text.startsWith(BOM) ? text.slice(BOM.length) : text
  const lineCounter = new LineCounter()
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, version: '1.1' })
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }

  const issues: YamlIssue[] = []
  let unreadable = false
  for (const err of doc.errors) {
    const issue = describeYamlError(err.code, err.message, at(err.pos[0]))
    if (issue.severity === 'error') unreadable = true
    issues.push(issue)
  }
  issues.push(...tabIndentWarnings(source, issues))

  const pairAt = (path: readonly PathSegment[]) => locate(doc, path)
  return {
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
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

function describeYamlError(code: string, message: string, position: Position): YamlIssue {
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
    case 'TAB_AS_INDENT':
      return {
        ...position,
        severity: 'error',
        message: 'YAML syntax error: a tab is used for indentation, which YAML forbids.',
        fix: 'Indent with spaces only.'
      }
    default:
      return {
        ...position,
        severity: 'error',
        message: `YAML syntax error: ${message}.`.replace(/\.\.$/, '.'),
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
