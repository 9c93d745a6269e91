// Which bundles to delete: the newest N are kept, and every one CodeDeploy may still fetch (a
// group's last successful revision, a deployment in progress, what a rollback restores, the
// bundle just deployed); the rest of this application's bundles go. Pure.
import { compareText } from '../common/compare-text.js'
import { keyMatcher, listingPrefix } from './key-shape.js'
import type { ProtectedRevision, StoredBundle } from './types.js'

export interface RetentionPlanInput {
  bucket: string
  keyTemplate: string
  application: string
  /** keep-revisions; 0 (or less) keeps everything. */
  keep: number
  /** Everything listed under the prefix, of any shape. */
  objects: readonly StoredBundle[]
  protectedRevisions: readonly ProtectedRevision[]
  /** The object this run deployed. */
  deployed: { key: string; versionId?: string }
}

export interface KeptBundle extends StoredBundle {
  /** Every reason it is kept, most important first, as one sentence. */
  reason: string
  /** Kept because CodeDeploy needs it (or it was just deployed), not only for being recent. */
  protected: boolean
}

export interface RetentionPlan {
  prefix: string
  /** Oldest first: the order to delete them in. */
  delete: StoredBundle[]
  /** Newest first. */
  kept: KeptBundle[]
  /** Objects under the prefix that are not of this template's shape for this application: never touched. */
  ignored: number
}

export const DEPLOYED_REASON = 'deployed by this run'

export function newestReason(keep: number): string {
  return `one of the newest ${keep} (keep-revisions)`
}

export function planRetention(input: RetentionPlanInput): RetentionPlan {
  const prefix = listingPrefix(input.keyTemplate, input.application)
  if (input.keep <= 0) return { prefix, delete: [], kept: [], ignored: 0 }
  const matches = keyMatcher(input.keyTemplate, input.application)
  const bundles = input.objects.filter((o) => matches(o.key)).sort(newestFirst)
  const current = currentVersions(bundles)
  const guards: ProtectedRevision[] = [
    { bucket: input.bucket, ...deployedAsRevision(input.deployed), reason: DEPLOYED_REASON },
    ...input.protectedRevisions.filter((r) => r.bucket === input.bucket)
  ]

  const kept: KeptBundle[] = []
  const doomed: StoredBundle[] = []
  bundles.forEach((bundle, rank) => {
    const guardedBy = unique(
      guards.filter((g) => isRevisionOf(g, bundle, current)).map((g) => g.reason)
    )
    const reasons = rank < input.keep ? [...guardedBy, newestReason(input.keep)] : guardedBy
    if (reasons.length === 0) doomed.push(bundle)
    else kept.push({ ...bundle, reason: reasons.join('; '), protected: guardedBy.length > 0 })
  })
  return {
    prefix,
    delete: doomed.reverse(),
    kept,
    ignored: input.objects.length - bundles.length
  }
}

/** Whether revision `g` is this bundle: the version it names, or the key's current object. */
function isRevisionOf(
  g: ProtectedRevision,
  bundle: StoredBundle,
  current: ReadonlyMap<string, StoredBundle>
): boolean {
  if (g.key !== bundle.key) return false
  const version = realVersion(g.version)
  return version === undefined
    ? current.get(bundle.key) === bundle
    : realVersion(bundle.versionId) === version
}

/**
 * Each key's current object: the version the listing marks latest; when none is (a delete
 * marker is on top, or the listing does not say), the newest, so that it is kept rather than lost.
 */
function currentVersions(newestFirstBundles: readonly StoredBundle[]): Map<string, StoredBundle> {
  const current = new Map<string, StoredBundle>()
  for (const b of newestFirstBundles) if (b.isLatest) current.set(b.key, b)
  for (const b of newestFirstBundles) if (!current.has(b.key)) current.set(b.key, b)
  return current
}

/**
 * Newest first; equal times (S3 lists whole seconds) by the current version first, then by key
 * and version, later ones first, so the same listing always gives the same plan.
 */
function newestFirst(a: StoredBundle, b: StoredBundle): number {
  return (
    b.lastModified.getTime() - a.lastModified.getTime() ||
    Number(b.isLatest === true) - Number(a.isLatest === true) ||
    compareText(b.key, a.key) ||
    compareText(b.versionId ?? '', a.versionId ?? '')
  )
}

function deployedAsRevision(deployed: { key: string; versionId?: string }): {
  key: string
  version?: string
} {
  return deployed.versionId
    ? { key: deployed.key, version: deployed.versionId }
    : { key: deployed.key }
}

/** S3 calls an object written without versioning version 'null': the same as no version. */
function realVersion(version: string | undefined): string | undefined {
  return version && version !== 'null' ? version : undefined
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}
