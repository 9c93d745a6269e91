// The CreateDeployment request, built from settings alone so dry-run prints exactly what would be sent.
import type { CreateDeploymentInput } from '@aws-sdk/client-codedeploy'
import type { BundleType, RequestSettings } from '../../settings/settings.js'

/** The uploaded revision, pinned so the agent refuses an object overwritten under it. */
export interface S3Revision {
  bucket: string
  key: string
  bundleType: BundleType
  /** Without quotes. */
  eTag?: string
  version?: string
}

export function buildCreateDeploymentInput(
  settings: RequestSettings,
  group: string,
  revision: S3Revision
): CreateDeploymentInput {
  const input: CreateDeploymentInput = {
    applicationName: settings.application,
    deploymentGroupName: group,
    revision: {
      revisionType: 'S3',
      s3Location: {
        bucket: revision.bucket,
        key: revision.key,
        bundleType: revision.bundleType,
        ...(revision.eTag ? { eTag: revision.eTag } : {}),
        ...(revision.version ? { version: revision.version } : {})
      }
    },
    description: settings.description,
    ignoreApplicationStopFailures: settings.ignoreApplicationStopFailures,
    updateOutdatedInstancesOnly: settings.updateOutdatedInstancesOnly
  }
  if (settings.deploymentConfig) input.deploymentConfigName = settings.deploymentConfig
  if (settings.fileExistsBehavior) input.fileExistsBehavior = settings.fileExistsBehavior
  if (settings.autoRollback !== undefined) {
    input.autoRollbackConfiguration = settings.autoRollback
      ? { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }
      : { enabled: false }
  }
  return input
}
