// What the advice catalogue reads and what it gives back. Plain data: the deploy phase gathers the
// evidence (CodeDeploy's answers, the action's inputs, the bundle's appspec), the rules read it.

/** A cause and the user's next step. `rule` names the catalogue entry that gave it. */
export interface Advice {
  rule: string
  /** Why it happened, in a sentence or two, with the evidence's own names and numbers. */
  cause: string
  /** What to do next. */
  fix: string
}

/** One failed instance, as the deployment's targets report it. */
export interface InstanceFailure {
  instanceId: string
  /** Blue (original) or Green (replacement) in a blue/green deployment. */
  label?: string
  lifecycleEvent: string
  errorCode: string
  script: string
  message: string
  logTail: string
}

/** The deployment group's last successful deployment and the S3 object it deployed. */
export interface LastSuccess {
  deploymentId: string
  /** s3://bucket/key (and ?versionId=… when versioned); absent when it was not read. */
  revision?: string
}

/** What the action knows of a hook script of the bundle it built (absent with `archive:`). */
export interface ScriptNote {
  /** The hook's `location` as written in appspec.yml. */
  location: string
  kind: 'crlf' | 'background-output'
  /** 1-based line of the finding. */
  line?: number
}

/** The bundle as the action built and checked it. */
export interface BundleEvidence {
  /** `built` from the workflow's files, or a pre-built `archive` the action could not check fully. */
  origin: 'built' | 'archive'
  notes: ScriptNote[]
}

/** The group and the run around a failure: what every rule may read. */
export interface GroupEvidence {
  region: string
  application: string
  group: string
  /** Absent when GetDeploymentGroup could not be read or the group has none. */
  lastSuccess?: LastSuccess
  /** The action's own inputs that change what a failure means. */
  inputs: {
    fileExistsBehavior?: string
    ignoreApplicationStopFailures: boolean
    sse?: string
    sseKmsKeyId?: string
    /** s3://bucket/key of this deployment's revision. */
    revision?: string
  }
  bundle?: BundleEvidence
}

/** A deployment configuration's minimum healthy hosts, as GetDeploymentConfig answers. */
export interface HealthConfig {
  name: string
  /** HOST_COUNT, FLEET_PERCENT, or MOST_CONCURRENCY (CodeDeployDefault.OneAtATime). */
  type: string
  value: number
}

/** The deployment group as GetDeploymentGroup describes it. */
export interface GroupDescription {
  /** "Key=Value" (or "Key" / "=Value"), from the EC2 tag filters and tag set. */
  ec2Tags: string[]
  onPremisesTags: string[]
  autoScalingGroups: string[]
  /** Alarms by name, when the alarm configuration is enabled. */
  alarms: string[]
  serviceRoleArn?: string
  blueGreen: boolean
}

/** A failed (or stopped) deployment: its error and everything read to explain it. */
export interface DeploymentEvidence extends GroupEvidence {
  deploymentId: string
  status: string
  errorCode: string
  errorMessage: string
  /** The action stopped it itself (on-timeout, on-agent-silence, stop-on-cancel). */
  stoppedByAction: boolean
  config?: HealthConfig
  /** The deployment's instances: all, failed, succeeded (blue/green: the replacement ones counted when labelled). */
  instances: { total: number; failed: number; succeeded: number }
  description?: GroupDescription
  /** The most frequent instance failure, in one line, and its advice when a rule knew one. */
  firstCause?: { text: string; advice?: Advice }
}

/** A catalogue entry: when it applies, what it says, and where its facts come from. */
export interface Rule<E> {
  id: string
  /** The evidence the rule reads, in words: it gives advice only when that evidence is there. */
  needs: string
  /** Where the facts behind the rule come from (AWS docs, the agent's code). */
  source: string
  /** For the README's troubleshooting table: what the user sees, why, and the fix. */
  doc: { see: string; why: string; fix: string }
  advise(evidence: E): Advice | undefined
}
