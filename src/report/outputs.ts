// The step's outputs, from the facts: the same names and values whatever path the run took.
import type { DeploymentsResult } from '../deploy/types.js'
import type { BundleFacts, KeyFacts, UploadFacts } from '../facts.js'
import { Output } from '../settings/constants.js'

export type OutputValues = [name: Output, value: string][]

/** Known once the bundle is built and the key rendered (a dry run included). */
export function bundleOutputs(bundle: BundleFacts, key: KeyFacts): OutputValues {
  return [
    [Output.BundlePath, bundle.path],
    [Output.BundleSha256, bundle.sha256],
    [Output.BundleSize, String(bundle.size)],
    [Output.BundleKey, key.key],
    [Output.BundleUri, key.uri]
  ]
}

export function uploadOutputs(upload: UploadFacts): OutputValues {
  return [
    [Output.BundleEtag, upload.etag],
    [Output.BundleVersion, upload.versionId ?? ''],
    [Output.BundleUploaded, String(upload.uploaded)]
  ]
}

/** Whether if-newer-deployed: skip skipped the run (a newer commit is deployed). */
export function skippedOutputs(skipped: boolean): OutputValues {
  return [[Output.Skipped, String(skipped)]]
}

/** A dry run deploys nothing: the status is set, and empty. */
export function dryRunOutputs(): OutputValues {
  return [[Output.DeploymentStatus, '']]
}

/** As soon as a deployment exists, before waiting: a cancelled run still tells its id. */
export function createdOutputs(deploymentId: string): OutputValues {
  return [[Output.DeploymentId, deploymentId]]
}

/** A group's last successful deployment before this run, and its commit ('' when unknown). */
export type PreviousOf = (group: string) => { deploymentId: string; commit: string } | undefined

function previousFields(p: ReturnType<PreviousOf>): {
  previousDeploymentId: string
  previousCommit: string
} {
  return { previousDeploymentId: p?.deploymentId ?? '', previousCommit: p?.commit ?? '' }
}

/** The deployments' end: the last created one's id, status and link, and every group's. */
export function deploymentOutputs(
  result: DeploymentsResult,
  previousOf: PreviousOf = () => undefined
): OutputValues {
  const created = result.groups.filter((g) => g.id)
  const last = created[created.length - 1]
  const rollback = [...created].reverse().find((g) => g.rollbackId)
  return [
    ...(last
      ? ([
          [Output.DeploymentId, last.id],
          [Output.DeploymentStatus, last.status],
          [Output.DeploymentUrl, last.url]
        ] as OutputValues)
      : []),
    [
      Output.Deployments,
      JSON.stringify(
        created.map((g) => ({
          group: g.group,
          id: g.id,
          status: g.status,
          url: g.url,
          ...previousFields(previousOf(g.group)),
          advice: g.advice ? `${g.advice.cause} Fix: ${g.advice.fix}` : ''
        }))
      )
    ],
    [Output.RollbackDeploymentId, rollback?.rollbackId ?? ''],
    [
      Output.FailedInstances,
      JSON.stringify(
        created.flatMap((g) =>
          g.failedInstances.map((f) => ({
            group: g.group,
            deploymentId: g.id,
            instanceId: f.instanceId,
            ...(f.label ? { label: f.label } : {}),
            lifecycleEvent: f.lifecycleEvent,
            errorCode: f.errorCode,
            script: f.script,
            message: f.message,
            ...(f.explanation ? { explanation: f.explanation } : {}),
            advice: f.advice?.fix ?? ''
          }))
        )
      )
    ],
    [
      Output.DeletedReplacementFleet,
      created
        .map((g) => (g.replacementFleet?.deleted ? g.replacementFleet.name : ''))
        .filter(Boolean)
        .join('\n')
    ]
  ]
}
