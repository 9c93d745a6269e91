// The CodeDeploy tutorial's commands, run with Debian's AWS CLI against the bed: a bundle made by
// hand with tar is copied to S3, deployed, and waited for; a failing ValidateService shows up
// through get-deployment-target with the agent's words and the script's output.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { addFleet, bed, type Bed, unique } from '../support/bed.js'
import { appspec, tarBundle } from '../support/fixtures.js'
import { aws } from '../support/commands.js'

let b: Bed
const app = unique('bed-cli')

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `applications:
  - name: ${app}
    groups:
      - { name: good, instances: 1, deploymentConfig: CodeDeployDefault.OneAtATime }
      - { name: bad, instances: 1, deploymentConfig: CodeDeployDefault.OneAtATime }
`
  )
})

async function deploy(group: string, key: string, bundle: string): Promise<string> {
  const cp = await aws(b, 's3', ['cp', bundle, `s3://${b.bucket}/${key}`])
  expect(cp.stderr).toBe('')
  expect(cp.code).toBe(0)
  const created = await aws(b, 'deploy', [
    'create-deployment',
    '--application-name',
    app,
    '--deployment-group-name',
    group,
    '--s3-location',
    `bucket=${b.bucket},key=${key},bundleType=tgz`,
    '--query',
    'deploymentId',
    '--output',
    'text'
  ])
  expect(created.stderr).toBe('')
  return created.stdout.trim()
}

describe('the AWS CLI against the bed', () => {
  it('deploys a hand-made bundle and waits for success; a failing ValidateService fails with its log tail', async () => {
    const good = await tarBundle(
      {
        'appspec.yml': appspec({
          ApplicationStart: ['scripts/start.sh'],
          ValidateService: ['scripts/validate.sh']
        }),
        'index.html': 'hello\n',
        'scripts/start.sh': '#!/bin/bash\necho "starting on $(hostname)"\n',
        'scripts/validate.sh': '#!/bin/bash\ntest -f /opt/app/index.html && echo healthy\n'
      },
      'dist'
    )
    const bad = await tarBundle({
      'appspec.yml': appspec({ ValidateService: ['scripts/validate.sh'] }),
      'scripts/validate.sh':
        '#!/bin/bash\necho "checking /health"\necho "health check failed: HTTP 503" >&2\nexit 1\n'
    })
    const [goodId, badId] = await Promise.all([
      deploy('good', `${app}/good.tgz`, good),
      deploy('bad', `${app}/bad.tgz`, bad)
    ])
    expect(goodId).toMatch(/^d-[A-Z0-9]{9}$/)

    const [goodWait, badWait] = await Promise.all([
      aws(b, 'deploy', ['wait', 'deployment-successful', '--deployment-id', goodId]),
      aws(b, 'deploy', ['wait', 'deployment-successful', '--deployment-id', badId])
    ])
    expect(goodWait).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(badWait.code).not.toBe(0)
    expect(badWait.stderr).toContain('Waiter DeploymentSuccessful failed')

    const targets = await aws(b, 'deploy', [
      'list-deployment-targets',
      '--deployment-id',
      badId,
      '--output',
      'json'
    ])
    const [target] = JSON.parse(targets.stdout).targetIds as string[]
    const shown = await aws(b, 'deploy', [
      'get-deployment-target',
      '--deployment-id',
      badId,
      '--target-id',
      target!,
      '--output',
      'json'
    ])
    const events = JSON.parse(shown.stdout).deploymentTarget.instanceTarget.lifecycleEvents as {
      lifecycleEventName: string
      status: string
      diagnostics?: Record<string, string>
    }[]
    const failed = events.find((e) => e.status === 'Failed')!
    expect(failed.lifecycleEventName).toBe('ValidateService')
    expect(failed.diagnostics).toEqual({
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/validate.sh',
      message: 'Script at specified location: scripts/validate.sh failed with exit code 1',
      logTail:
        'LifecycleEvent - ValidateService\nScript - scripts/validate.sh\n[stdout]checking /health\n[stderr]health check failed: HTTP 503\n'
    })

    const info = await aws(b, 'deploy', [
      'get-deployment',
      '--deployment-id',
      badId,
      '--output',
      'json'
    ])
    expect(JSON.parse(info.stdout).deploymentInfo).toMatchObject({
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS' },
      deploymentOverview: { Failed: 1, Succeeded: 0 }
    })
  }, 120_000)
})
