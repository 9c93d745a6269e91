// The one typed settings object every module works from. Built by input-helper.ts only.

export type BundleType = 'tgz' | 'zip' | 'tar'
export type FileExistsBehavior = 'DISALLOW' | 'OVERWRITE' | 'RETAIN'
export type ServerSideEncryption = 'AES256' | 'aws:kms'

/** One line of the `files` input, parsed. `line` is 1-based within the input, for messages. */
export type FileRule =
  | {
      kind: 'include'
      pattern: string
      /** Absent: keep the workspace-relative path. Ends with '/': a folder in the bundle. Else: rename of exactly one file. */
      target?: string
      line: number
    }
  | { kind: 'exclude'; pattern: string; line: number }

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
  run: RunContext
}
