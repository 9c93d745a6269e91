// The deploy stage: the uploaded revision, pinned by eTag and version, to each deployment group in
// order; or, with continue-deployment, a deployment another run created, continued.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { BundleEvidence, ScriptNote } from '../advice/types.js'
import type { TrafficClients } from '../aws/clients.js'
import type { Logger, Sleep } from '../common/log.js'
import type { S3Revision } from '../deploy/codedeploy/request.js'
import type { DeploymentsResult } from '../deploy/types.js'
import type { BundleFacts, UploadFacts } from '../facts.js'
import type { ContinueTarget, DeploySettings } from '../settings/settings.js'

export interface DeployDeps {
  log: Logger
  signal: AbortSignal
  sleep: Sleep
  now: () => number
  /** Auto Scaling and ELBv2, for blue/green and load-balanced groups. */
  traffic?: TrafficClients
  /** A deployment exists (before any waiting): for the outputs and the post step. */
  onCreated(group: string, deploymentId: string): void
  /** Right before each CreateDeployment: a reason not to deploy to the group after all. */
  beforeCreate?: (group: string) => Promise<string | undefined>
}

export async function deploy(
  codedeploy: CodeDeployClient,
  region: string,
  settings: DeploySettings,
  bundle: BundleFacts,
  upload: UploadFacts,
  deps: DeployDeps
): Promise<DeploymentsResult> {
  const { deployToGroups } = await import('../deploy/run-deployments.js')
  const revision: S3Revision = {
    bucket: upload.bucket,
    key: upload.key,
    bundleType: bundle.type,
    eTag: upload.etag,
    ...(upload.versionId ? { version: upload.versionId } : {})
  }
  return deployToGroups({
    settings,
    revision,
    codedeploy,
    region,
    bundle: bundleEvidence(bundle),
    ...deps
  })
}

/**
 * What a failure's advice may read of the bundle: where it came from, and the findings of the script check that explain a failure on the instance (CRLF, a background job
 * still holding the hook's output), by the hook location the agent reports.
 */
export function bundleEvidence(bundle: BundleFacts): BundleEvidence {
  const locationOf = new Map<string, string>()
  for (const hook of bundle.appspec.appspec?.hooks ?? [])
    for (const s of hook.scripts) {
      locationOf.set(s.path, s.location)
    }
  const notes: ScriptNote[] = []
  for (const f of bundle.appspec.findings) {
    const location = locationOf.get(f.file)
    if (f.kind && location)
      notes.push({ location, kind: f.kind, ...(f.line !== undefined ? { line: f.line } : {}) })
  }
  return { origin: bundle.origin, notes }
}

/** continue-deployment: the deployment another run created goes on, then is followed as usual. */
export async function continueStage(
  codedeploy: CodeDeployClient,
  region: string,
  settings: DeploySettings,
  continueTarget: ContinueTarget,
  deps: DeployDeps
): Promise<DeploymentsResult> {
  const { deployToGroups } = await import('../deploy/run-deployments.js')
  return deployToGroups({ settings, continueTarget, codedeploy, region, ...deps })
}
