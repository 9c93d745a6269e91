// A fleet of 250 instances (shared isolation: cheap instances, hooks still run): the deployment
// completes, and its targets come back in pages of ListDeploymentTargets and batches of 25.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  ListDeploymentTargetsCommand
} from '@aws-sdk/client-codedeploy'
import { addFleet, bed, type Bed, codedeploy, putBundle, settled, unique } from '../support/bed.js'
import { appspec, tarBundle } from '../support/fixtures.js'

let b: Bed
const app = unique('bed-scale')
// 250: three pages of ListDeploymentTargets and ten batches of 25. The bed's 1,000-instance fleet
// is deployed by reliability/scale.test.ts; a second one here cost ~100 CPU-s of npm test.
const SIZE = 250

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `applications:\n  - name: ${app}\n    groups:\n      - { name: fleet, instances: ${SIZE}, isolation: shared, deploymentConfig: CodeDeployDefault.AllAtOnce }\n`
  )
})

describe('a fleet of 250 instances', () => {
  it('deploys to all of them and pages through their targets', async () => {
    const key = `${app}/bundle.tgz`
    const bundle = await tarBundle({
      'appspec.yml': appspec(
        { AfterInstall: ['ok.sh'] },
        `  - source: app.txt\n    destination: /srv/${app}\n`
      ),
      'app.txt': 'v1\n',
      'ok.sh': '#!/bin/sh\necho "ok on $DEPLOYMENT_GROUP_NAME"\n'
    })
    const put = await putBundle(b, key, bundle)
    const cd = codedeploy(b)
    const t0 = Date.now()
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: app,
        deploymentGroupName: 'fleet',
        revision: {
          revisionType: 'S3',
          s3Location: {
            bucket: b.bucket,
            key,
            bundleType: 'tgz',
            version: put.VersionId,
            eTag: put.ETag!.replace(/"/g, '')
          }
        }
      })
    )
    const info = await settled(cd, deploymentId!, 150_000)
    console.log(`${SIZE} instances deployed in ${Date.now() - t0} ms`)
    expect(info.status).toBe('Succeeded')
    expect(info.deploymentOverview).toMatchObject({ Succeeded: SIZE, Failed: 0, Pending: 0 })

    const ids: string[] = []
    let nextToken: string | undefined
    let pages = 0
    do {
      const page = await cd.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }))
      ids.push(...page.targetIds!)
      nextToken = page.nextToken
      pages++
    } while (nextToken)
    expect(new Set(ids).size).toBe(SIZE)
    expect(pages).toBe(Math.ceil(SIZE / 100))

    await expect(
      cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(0, 26) }))
    ).rejects.toMatchObject({
      name: 'DeploymentTargetListSizeExceededException'
    })
    const statuses = new Set<string>()
    for (let i = 0; i < ids.length; i += 25) {
      const out = await cd.send(
        new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids.slice(i, i + 25) })
      )
      for (const t of out.deploymentTargets!) statuses.add(t.instanceTarget!.status!)
    }
    expect([...statuses]).toEqual(['Succeeded'])
  }, 180_000)
})
