// Where a bundle came from, as the metadata of its S3 object: the commit and the run that built
// it. Neither S3 nor CodeDeploy records a commit, so this is how any later run (or a user with
// `aws s3api head-object`) finds which commit a deployment's revision is.
import type { RunContext } from '../settings/settings.js'

/** The metadata names (S3 stores them lower-case, as x-amz-meta-<name>). */
export const PROVENANCE_KEYS = {
  commit: 'git-commit',
  repository: 'github-repository',
  workflowRef: 'github-workflow-ref',
  runId: 'github-run-id',
  runNumber: 'github-run-number',
  runAttempt: 'github-run-attempt',
  actor: 'github-actor'
} as const

export type Provenance = Record<keyof typeof PROVENANCE_KEYS, string>

/** A full commit id: the only form of `git-commit` trusted when read back. */
export const FULL_SHA = /^[0-9a-f]{40}$/

export function provenanceOf(run: RunContext): Provenance {
  return {
    commit: run.sha,
    repository: run.repository,
    workflowRef: run.workflowRef,
    runId: run.runId,
    runNumber: run.runNumber,
    runAttempt: run.runAttempt,
    actor: run.actor
  }
}

/**
 * The object's metadata for a run's provenance: only what is known, each value safe for an HTTP
 * header. S3 gives non-ASCII metadata back RFC 2047-encoded, so that is how it is sent too (a
 * branch name in the workflow ref may hold any character).
 */
export function provenanceMetadata(p: Provenance): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [field, name] of Object.entries(PROVENANCE_KEYS) as [keyof Provenance, string][]) {
    const value = p[field]
    // Only a full commit id is a commit: anything else would be read back as none anyway.
    if (field === 'commit' && !FULL_SHA.test(value.toLowerCase())) continue
    if (value) out[name] = field === 'commit' ? value.toLowerCase() : headerSafe(value)
  }
  return out
}

/** What a revision's metadata says of its commit; undefined when it records none (not made by this action). */
export function readProvenance(
  metadata: Record<string, string> | undefined
): (Partial<Provenance> & { commit: string }) | undefined {
  if (!metadata) return undefined
  const lower = new Map(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]))
  const commit = (lower.get(PROVENANCE_KEYS.commit) ?? '').trim().toLowerCase()
  if (!FULL_SHA.test(commit)) return undefined
  const out: Partial<Provenance> & { commit: string } = { commit }
  for (const [field, name] of Object.entries(PROVENANCE_KEYS) as [keyof Provenance, string][]) {
    const value = lower.get(name)
    if (field !== 'commit' && value) out[field] = fromHeader(value)
  }
  return out
}

function headerSafe(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ')
  if (/^[\x20-\x7e]*$/.test(flat)) return flat
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`
}

function fromHeader(value: string): string {
  const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value)
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value
}
