// The S3 key template: checked when inputs are read, rendered once the bundle hash is known.

export const KEY_PLACEHOLDERS = [
  'application',
  'run_number',
  'run_attempt',
  'run_id',
  'sha',
  'short_sha',
  'ref_name',
  'bundle_hash',
  'ext'
] as const

export type KeyPlaceholder = (typeof KEY_PLACEHOLDERS)[number]
export type KeyValues = Record<KeyPlaceholder, string>

/** S3 allows 1,024 bytes of UTF-8 per key. */
export const MAX_KEY_BYTES = 1024

/** A problem in the template, or undefined when it is usable. */
export function checkKeyTemplate(template: string): string | undefined {
  if (template.trim() === '') return 'is empty'
  if (/[\r\n\0]/.test(template)) return 'contains a line break or NUL'
  if (template.startsWith('/')) return "starts with '/', which makes an empty first folder in S3"
  const unknown: string[] = []
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    const name = m[1] ?? ''
    if (!(KEY_PLACEHOLDERS as readonly string[]).includes(name)) unknown.push(`{${name}}`)
  }
  if (unknown.length > 0)
    return `has unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`
  const stripped = template.replace(/\{[^{}]*\}/g, '')
  if (/[{}]/.test(stripped)) return "has an unmatched '{' or '}'"
  if (template.split('/').some((s) => s === '..' || s === '.')) return "has a '.' or '..' segment"
  return undefined
}

export function placeholdersUsed(template: string): KeyPlaceholder[] {
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1] as KeyPlaceholder)
}

/** Characters safe in an S3 key segment; everything else (e.g. in a branch name) becomes '-'. */
function keySafe(value: string): string {
  return value.replace(/[^A-Za-z0-9!_.*'()/-]/g, '-')
}

export function renderKey(template: string, values: KeyValues): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: KeyPlaceholder) =>
    name === 'ref_name' ? keySafe(values[name]) : values[name]
  )
}
