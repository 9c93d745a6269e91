// The plain data of the retention of old bundles (keep-revisions): what the bucket holds, what
// CodeDeploy still needs, and what the run did.

/** An object under the prefix, or one version of it, as the listing gives it. */
export interface StoredBundle {
  key: string
  /** Absent on an unversioned bucket. */
  versionId?: string
  lastModified: Date
  size: number
  /** The key's current version, when the listing says so (a versioned listing). */
  isLatest?: boolean
}

/** A revision CodeDeploy may still fetch from S3, and why. */
export interface ProtectedRevision {
  bucket: string
  key: string
  /** The version CodeDeploy pinned; without one it fetches the key's current object. */
  version?: string
  reason: string
}

/** What a run of the retention did: for the log, the job summary and the outputs. */
export interface RetentionReport {
  /** keep-revisions: how many of the newest bundles are kept whatever else holds. */
  keep: number
  /** The prefix listed (the key template's text before its first run-specific placeholder). */
  prefix: string
  deleted: Array<{ key: string; versionId?: string; lastModified?: Date }>
  kept: Array<{ key: string; versionId?: string; reason: string }>
  /** Calls that failed (nothing fails the step): each names the call, the object and what to grant. */
  warnings: string[]
}
