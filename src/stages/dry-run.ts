// A dry run ends here: the CreateDeployment requests that would be sent, printed; nothing sent.
import type { Logger } from '../common/log.js'
import { buildCreateDeploymentInput } from '../deploy/codedeploy/request.js'
import type { BundleFacts, DryRunFacts, KeyFacts } from '../facts.js'
import type { RequestSettings, Settings } from '../settings/settings.js'

export function dryRun(
  settings: RequestSettings & Pick<Settings, 'bucket' | 'deploymentGroups'>,
  bundle: BundleFacts,
  key: KeyFacts,
  log: Logger
): DryRunFacts {
  log.info(`S3 key: ${key.key}${key.uri ? ` (${key.uri})` : ' (no bucket given)'}`)
  const requests = settings.deploymentGroups.map((group) =>
    buildCreateDeploymentInput(settings, group, {
      bucket: settings.bucket || '<bucket>',
      key: key.key,
      bundleType: bundle.type
    })
  )
  for (const request of requests) {
    log.startGroup(`CreateDeployment request for ${request.deploymentGroupName}`)
    log.info(JSON.stringify(request, null, 2))
    log.endGroup()
  }
  log.info(
    "Dry run: nothing was uploaded and no deployment was created. After the upload, the revision is also pinned by the object's eTag and version."
  )
  return { requests }
}
