// What each stage of the run found out. A stage returns its record; the next stages and the report
// (outputs, job summary) read them. Plain data, no behaviour.
import type { CreateDeploymentInput } from '@aws-sdk/client-codedeploy'
import type { AppspecReport } from './appspec/types.js'
import type { BundleEntry } from './common/bundle-view.js'
import type { DeploymentsResult } from './deploy/types.js'
import type { BundleType } from './bundle/types.js'
import type { RevisionFacts } from './revisions/order.js'
import type { RetentionReport } from './revisions/types.js'

/** The bundle stage: the archive, what is in it, and the appspec's verdict. */
export interface BundleFacts {
  /** The archive on disk: written by us, or the pre-built one. */
  path: string
  sha256: string
  size: number
  type: BundleType
  origin: 'built' | 'archive'
  entries: BundleEntry[]
  appspec: AppspecReport
  /** Maps a bundle path to the path the user edits (source folder or archive member). */
  displayPath: (bundlePath: string) => string
}

/** The S3 key stage. */
export interface KeyFacts {
  key: string
  /** s3://bucket/key; '' in a dry run without a bucket. */
  uri: string
}

/** The upload stage. */
export interface UploadFacts {
  bucket: string
  key: string
  uri: string
  /** Without quotes, as CreateDeployment wants it. */
  etag: string
  /** Absent on an unversioned bucket. */
  versionId?: string
  /** false when an identical object (same sha256 and size) was already there. */
  uploaded: boolean
}

/** A dry run: the requests that would have been sent. */
export interface DryRunFacts {
  requests: CreateDeploymentInput[]
}

/** Everything one run found out, as far as it got. */
export interface RunFacts {
  /** Absent with continue-deployment (nothing is built). */
  bundle?: BundleFacts
  key?: KeyFacts
  dryRun?: DryRunFacts
  upload?: UploadFacts
  /** The order check and what changed, per group (absent in a dry run and with continue-deployment). */
  revisions?: RevisionFacts
  /** Set when the run skipped (if-newer-deployed: skip): why. */
  skipped?: string
  deployments?: DeploymentsResult
  /** keep-revisions: what was deleted and kept after a success. */
  retention?: RetentionReport
  /** The error that ended the run early (upload or CreateDeployment failed, cancelled). */
  failure?: string
}
