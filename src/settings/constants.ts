// Every input, output and state name in one place, so no name is a scattered literal.

export enum Input {
  Application = 'application',
  DeploymentGroup = 'deployment-group',
  Bucket = 'bucket',
  Region = 'region',
  Source = 'source',
  Files = 'files',
  Archive = 'archive',
  BundleType = 'bundle-type',
  Key = 'key',
  Sse = 'sse',
  SseKmsKeyId = 'sse-kms-key-id',
  ExpectedBucketOwner = 'expected-bucket-owner',
  DeploymentConfig = 'deployment-config',
  Description = 'description',
  FileExistsBehavior = 'file-exists-behavior',
  IgnoreApplicationStopFailures = 'ignore-application-stop-failures',
  UpdateOutdatedInstancesOnly = 'update-outdated-instances-only',
  AutoRollback = 'auto-rollback',
  IfActiveDeployment = 'if-active-deployment',
  Wait = 'wait',
  WaitTimeout = 'wait-timeout',
  OnTimeout = 'on-timeout',
  StopOnCancel = 'stop-on-cancel',
  AgentSilenceTimeout = 'agent-silence-timeout',
  OnAgentSilence = 'on-agent-silence',
  DryRun = 'dry-run',
  WaitUntil = 'wait-until',
  OnReady = 'on-ready',
  ContinueDeployment = 'continue-deployment',
  ContinueTermination = 'continue-termination',
  FailedReplacementFleet = 'failed-replacement-fleet',
  IfNewerDeployed = 'if-newer-deployed',
  GithubToken = 'github-token',
  KeepRevisions = 'keep-revisions'
}

export enum Output {
  DeploymentId = 'deployment-id',
  DeploymentStatus = 'deployment-status',
  DeploymentUrl = 'deployment-url',
  Deployments = 'deployments',
  RollbackDeploymentId = 'rollback-deployment-id',
  FailedInstances = 'failed-instances',
  BundlePath = 'bundle-path',
  BundleSha256 = 'bundle-sha256',
  BundleSize = 'bundle-size',
  BundleKey = 'bundle-key',
  BundleUri = 'bundle-uri',
  BundleEtag = 'bundle-etag',
  BundleVersion = 'bundle-version',
  BundleUploaded = 'bundle-uploaded',
  DeletedReplacementFleet = 'deleted-replacement-fleet',
  Skipped = 'skipped'
}

/** Mirrors action.yml; the runner applies those defaults, a direct `node dist/index.js` does not. */
export const DEFAULT_KEY = '{application}/{run_number}/{bundle_hash}.{ext}'
export const DEFAULT_WAIT_TIMEOUT_MINUTES = 60
export const DEFAULT_AGENT_SILENCE_TIMEOUT_MINUTES = 5
/** CodeDeploy rejects longer descriptions; we cut rather than fail. */
export const DESCRIPTION_MAX_LENGTH = 256
