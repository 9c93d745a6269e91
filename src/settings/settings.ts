// The one typed settings object, built by inputs.ts only. Each stage takes its slice (below).
import type { BundleType, FileRule } from '../bundle/types.js'

export type { BundleType, FileRule }
export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN'
export type ServerSideEncryption = 'AES256' | 'aws:kms'

export type BundleSource =
  | {
      kind: 'build'
      /** Absolute path of the `source` folder (inside the workspace). */
      sourceDir: string
      rules: FileRule[]
      type: BundleType
    }
  | {
      kind: 'archive'
      /** Absolute path of the pre-built archive (inside the workspace). */
      path: string
      type: BundleType
    }

/** The run context the key template and description draw from (GITHUB_* variables). */
export interface RunContext {
  runNumber: string
  runAttempt: string
  runId: string
  sha: string
  refName: string
  repository: string
  serverUrl: string
  eventName: string
  /** GITHUB_ACTOR: who started the run (recorded on the object). */
  actor: string
  /** GITHUB_WORKFLOW_REF: owner/repo/.github/workflows/file.yml@ref. */
  workflowRef: string
  /** GITHUB_API_URL: github.com's API, or a GitHub Enterprise Server's. */
  apiUrl: string
}

export interface Settings {
  application: string
  /** In order; the same revision goes to each, stopping at the first failure. */
  deploymentGroups: string[]
  /** Empty only in dry-run without a bucket. */
  bucket: string
  /** Empty: the SDK's own resolution (AWS_REGION / AWS_DEFAULT_REGION / config). */
  region: string
  /** Absolute GITHUB_WORKSPACE (or cwd); every input path is resolved and confined here. */
  workspace: string
  /** Where the built archive is written (RUNNER_TEMP or the OS temp dir). */
  tempDir: string
  bundle: BundleSource
  keyTemplate: string
  sse?: ServerSideEncryption
  sseKmsKeyId?: string
  expectedBucketOwner?: string
  deploymentConfig?: string
  /** Final description, already cut to CodeDeploy's limit. */
  description: string
  fileExistsBehavior?: FileExistsBehavior
  ignoreApplicationStopFailures: boolean
  updateOutdatedInstancesOnly: boolean
  /** undefined: the group's own setting. */
  autoRollback?: boolean
  ifActiveDeployment: 'wait' | 'fail'
  wait: boolean
  waitTimeoutMinutes: number
  onTimeout: 'fail' | 'stop'
  stopOnCancel: boolean
  /** Minutes an instance's next lifecycle event may wait for its agent before we call the agent silent; 0: never. */
  agentSilenceTimeoutMinutes: number
  /** warn: say so and keep waiting; fail: stop the deployment and fail the step. */
  onAgentSilence: 'warn' | 'fail'
  dryRun: boolean
  /** Blue/green: end the step at the terminal status, or once the traffic is on the replacement instances. */
  waitUntil: 'succeeded' | 'traffic-rerouted'
  /** A deployment in Ready (manual reroute): wait for someone, continue it, or end the step there. */
  onReady: 'wait' | 'continue' | 'finish'
  /** Set: build and upload nothing; continue this deployment, then wait and report as usual. */
  continueDeployment?: ContinueTarget
  /** A failed or stopped blue/green deployment's copied Auto Scaling group: keep it (warn) or delete it. */
  failedReplacementFleet: 'keep' | 'delete'
  /** The group's last attempted deployment is of a newer commit than this run's: skip, fail, or deploy anyway. */
  ifNewerDeployed: 'skip' | 'fail' | 'deploy'
  /** For GitHub's compare API; '' when none was given (then only the workspace's history is asked). */
  githubToken: string
  /** After a success, keep this many of the application's bundles under the key's prefix; 0 keeps all. */
  keepRevisions: number
  run: RunContext
}

/** The second way to run the action: continue a deployment another run created. */
export interface ContinueTarget {
  deploymentId: string
  /** true: end the termination wait (TERMINATION_WAIT); false: start the reroute (READY_WAIT). */
  termination: boolean
}

// The slices: each stage declares the few settings it reads, so its tests build only those.

/** The bundle stage: where the files come from and where the archive goes. */
export type BundleSettings = Pick<Settings, 'workspace' | 'tempDir' | 'bundle'>
/** The S3 key: the template and what its placeholders draw from. */
export type KeySettings = Pick<Settings, 'application' | 'keyTemplate' | 'run'>
/** The upload: where, and how the object is encrypted and owned. */
export type UploadSettings = Pick<
  Settings,
  'bucket' | 'sse' | 'sseKmsKeyId' | 'expectedBucketOwner' | 'run'
>
/** One CreateDeployment request (also printed by a dry run). */
export type RequestSettings = Pick<
  Settings,
  | 'application'
  | 'description'
  | 'deploymentConfig'
  | 'fileExistsBehavior'
  | 'ignoreApplicationStopFailures'
  | 'updateOutdatedInstancesOnly'
  | 'autoRollback'
>
/** Creating, following, stopping and explaining the deployments. */
export type DeploySettings = RequestSettings &
  Pick<
    Settings,
    | 'deploymentGroups'
    | 'ifActiveDeployment'
    | 'wait'
    | 'waitTimeoutMinutes'
    | 'onTimeout'
    | 'stopOnCancel'
    | 'agentSilenceTimeoutMinutes'
    | 'onAgentSilence'
    | 'waitUntil'
    | 'onReady'
    | 'failedReplacementFleet'
    | 'sse'
    | 'sseKmsKeyId'
  >
/** The order check and what changed: which commit this is, and how to compare it with another. */
export type RevisionSettings = Pick<
  Settings,
  'application' | 'deploymentGroups' | 'ifNewerDeployed' | 'githubToken' | 'workspace' | 'run'
>
/** What the job summary names. */
export type ReportSettings = Pick<
  Settings,
  'application' | 'deploymentGroups' | 'bucket' | 'dryRun' | 'continueDeployment'
>
