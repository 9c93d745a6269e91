// The AWS Query protocol, as Auto Scaling and Elastic Load Balancing v2 speak it: a form-encoded
// POST (`Action`, `Version`, lists as `Name.member.N`, structures as `Name.Field`), answered in
// XML (`<ActionResponse><ActionResult>...`), errors as `<ErrorResponse><Error>...`.
import { randomUUID } from 'node:crypto'

export type QueryParams = Map<string, string>

export class QueryError extends Error {
  readonly code: string
  readonly status: number
  readonly type: 'Sender' | 'Receiver'

  constructor(code: string, message: string, status = 400) {
    super(message)
    this.code = code
    this.status = status
    this.type = status >= 500 ? 'Receiver' : 'Sender'
  }
}

export function parseForm(body: string): QueryParams {
  return new Map(new URLSearchParams(body))
}

/** `Prefix.member.1`, `Prefix.member.2`, ... in order. */
export function memberList(p: QueryParams, prefix: string): string[] {
  const out: string[] = []
  for (let i = 1; p.has(`${prefix}.member.${i}`); i++) out.push(p.get(`${prefix}.member.${i}`)!)
  return out
}

/** `Prefix.member.N.Field` for each N: one record per member. */
export function memberRecords(p: QueryParams, prefix: string): Record<string, string>[] {
  const out: Record<string, string>[] = []
  for (let i = 1; ; i++) {
    const head = `${prefix}.member.${i}.`
    const rec: Record<string, string> = {}
    for (const [k, v] of p) if (k.startsWith(head)) rec[k.slice(head.length)] = v
    if (Object.keys(rec).length === 0) return out
    out.push(rec)
  }
}

export function optionalInt(p: QueryParams, name: string): number | undefined {
  const v = p.get(name)
  if (v === undefined) return undefined
  if (!/^-?\d+$/.test(v))
    throw new QueryError(
      'ValidationError',
      `Value '${v}' at '${name}' failed to satisfy constraint: Member must be an integer`
    )
  return Number(v)
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

// Objects become elements, arrays `<member>` lists, Dates ISO 8601, undefined nothing.
function xml(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('')
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('')
  return escape(String(value))
}

export function xmlAnswer(
  action: string,
  namespace: string,
  result?: Record<string, unknown>
): string {
  const body = result === undefined ? '' : `<${action}Result>${xml(result)}</${action}Result>`
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">${body}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>\n`
}

export function xmlError(namespace: string, e: QueryError): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error><Type>${e.type}</Type><Code>${escape(e.code)}</Code><Message>${escape(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>\n`
}

export type QueryOperation = (params: QueryParams) => Record<string, unknown> | undefined

export interface QueryService {
  // SigV4 signing name (the credential scope's service), API version and XML namespace.
  signingName: string
  version: string
  namespace: string
  operations: Record<string, QueryOperation>
}
