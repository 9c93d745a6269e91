// The order stage: which commit each group last attempted and last succeeded with, how this run's
// commit stands against them (the workspace's git history, then GitHub's compare API), and
// whether to go on. Its check is asked again right before each CreateDeployment.
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy'
import type { S3Client } from '@aws-sdk/client-s3'
import type { Logger, Sleep } from '../common/log.js'
import { gitHistory, gitIn } from '../revisions/git-history.js'
import { githubHistory } from '../revisions/github-history.js'
import { historyChain } from '../revisions/history.js'
import { OrderCheck } from '../revisions/order.js'
import type { RevisionSettings } from '../settings/settings.js'

export interface RevisionDeps {
  log: Logger
  sleep: Sleep
  signal: AbortSignal
  env: NodeJS.ProcessEnv
}

export function orderCheck(
  aws: { codedeploy: CodeDeployClient; s3: S3Client; network?: { fetch: typeof fetch } },
  settings: RevisionSettings,
  deps: RevisionDeps
): OrderCheck {
  const history = historyChain([
    gitHistory(gitIn(settings.workspace, deps.env)),
    githubHistory({
      token: settings.githubToken,
      repository: settings.run.repository,
      apiUrl: settings.run.apiUrl,
      ...(aws.network ? { fetch: aws.network.fetch } : {})
    })
  ])
  return new OrderCheck(
    {
      codedeploy: aws.codedeploy,
      s3: aws.s3,
      log: deps.log,
      sleep: deps.sleep,
      signal: deps.signal
    },
    settings,
    history
  )
}
