// CodeDeploy's statuses of a deployment that has not ended: what ListDeployments is asked for to
// find one still holding a group (the queue) or still needing its revision (keep-revisions).
import type { DeploymentStatus } from '@aws-sdk/client-codedeploy'

export const ACTIVE_STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready'
]
