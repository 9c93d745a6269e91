// Reading a Query request's parameters as Auto Scaling and ELBv2 do: required fields and pages
// (MaxRecords or PageSize, NextToken or Marker), with the services' validation messages.
import { QueryError, optionalInt, type QueryParams } from './query-protocol.ts'

export function required(p: QueryParams, name: string): string {
  const v = p.get(name)
  if (!v)
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`
    )
  return v
}

export function page<T>(
  items: T[],
  p: QueryParams,
  maxDefault: number,
  limit: number
): { items: T[]; next?: string } {
  const field = p.has('MaxRecords') ? 'MaxRecords' : 'PageSize'
  const max = optionalInt(p, field) ?? maxDefault
  if (max < 1 || max > limit)
    throw new QueryError(
      'ValidationError',
      `1 validation error detected: Value '${max}' at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must have value between 1 and ${limit}`
    )
  const token = p.get('NextToken') ?? p.get('Marker')
  const offset = token ? Number(Buffer.from(token, 'base64').toString()) : 0
  if (!Number.isInteger(offset) || offset < 0)
    throw new QueryError('InvalidNextToken', 'The token is invalid.')
  const slice = items.slice(offset, offset + max)
  return offset + max < items.length
    ? { items: slice, next: Buffer.from(String(offset + max)).toString('base64') }
    : { items: slice }
}
