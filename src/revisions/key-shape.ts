// Which keys of the bucket are this application's bundles: the prefix to list, and the shape a
// key the action rendered from the template has. Pure.
import type { KeyPlaceholder } from '../settings/key-template.js'

/** What each placeholder renders to (src/stages/key.ts), as a regular expression. */
const PLACEHOLDER_PATTERN: Record<Exclude<KeyPlaceholder, 'application'>, string> = {
  run_number: '\\d+',
  run_attempt: '\\d+',
  run_id: '\\d+',
  // SHA-1 commits, and SHA-256 ones for repositories that use them.
  sha: '[0-9a-f]{40}(?:[0-9a-f]{24})?',
  short_sha: '[0-9a-f]{7}',
  // A branch or tag made key-safe: other characters became '-', a '/' stays.
  ref_name: "[A-Za-z0-9!_.*'()/-]*",
  bundle_hash: '[0-9a-f]{16}',
  ext: '(?:tgz|zip|tar)'
}

type Part = { literal: string } | { placeholder: KeyPlaceholder }

function parts(template: string): Part[] {
  const out: Part[] = []
  let at = 0
  for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
    if (m.index > at) out.push({ literal: template.slice(at, m.index) })
    out.push({ placeholder: m[1] as KeyPlaceholder })
    at = m.index + m[0].length
  }
  if (at < template.length) out.push({ literal: template.slice(at) })
  return out
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The prefix every key of this template and application starts with: the template's text up to
 * its first placeholder other than {application}, with {application} filled in.
 */
export function listingPrefix(template: string, application: string): string {
  let prefix = ''
  for (const part of parts(template)) {
    if ('literal' in part) prefix += part.literal
    else if (part.placeholder === 'application') prefix += application
    else break
  }
  return prefix
}

/**
 * Whether a key has the shape the template gives this application's bundles: another
 * application's key, or an object put there by hand, does not.
 */
export function keyMatcher(template: string, application: string): (key: string) => boolean {
  const source = parts(template)
    .map((part) =>
      'literal' in part
        ? escapeRegex(part.literal)
        : part.placeholder === 'application'
          ? escapeRegex(application)
          : PLACEHOLDER_PATTERN[part.placeholder]
    )
    .join('')
  const shape = new RegExp(`^${source}$`)
  return (key) => shape.test(key)
}

/**
 * Without {application} in the template, keys do not say which application a bundle is of:
 * every bundle of the shape under the prefix counts as this application's.
 */
export function namesTheApplication(template: string): boolean {
  return template.includes('{application}')
}
