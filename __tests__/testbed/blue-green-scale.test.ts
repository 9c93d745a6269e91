// A hundred instances per fleet: a blue/green deployment copies a 100-instance Auto Scaling
// group, installs a web service on all hundred replacement instances, moves the traffic with
// the original hundred serving until then, and terminates the originals.
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient
} from '@aws-sdk/client-codedeploy'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { autoScaling, bed, type Bed, codedeploy, settled, unique } from '../support/bed.js'
import { addLoadBalancedFleet, deploy, fleetYaml } from './traffic.js'
import { readReroute, requestLoop } from './reroute.js'
import { webApp } from './web-app.js'

const SIZE = 100
let b: Bed
let cd: CodeDeployClient
const app = unique('bed-bg100')
let url: string

beforeAll(async () => {
  b = bed()
  cd = codedeploy(b)
  const listeners = await addLoadBalancedFleet(
    b,
    fleetYaml({
      app,
      targetGroups: [{ name: `${app}-tg` }],
      autoScalingGroups: [{ name: `${app}-asg`, instances: SIZE, targetGroup: `${app}-tg` }],
      blueGreen: [{ name: 'hundred', asg: `${app}-asg`, tg: `${app}-tg` }]
    })
  )
  url = listeners[`${app}-tg`]!
}, 120_000)

afterAll(() => cd.destroy())

/** Each failed target's failed event and its message. */
async function failures(id: string): Promise<string[]> {
  const out: string[] = []
  let nextToken: string | undefined
  do {
    const page = await cd.send(
      new ListDeploymentTargetsCommand({
        deploymentId: id,
        nextToken,
        targetFilters: { TargetStatus: ['Failed'] }
      })
    )
    nextToken = page.nextToken
    for (let i = 0; i < page.targetIds!.length; i += 25) {
      const r = await cd.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId: id,
          targetIds: page.targetIds!.slice(i, i + 25)
        })
      )
      for (const t of r.deploymentTargets!) {
        const e = t.instanceTarget!.lifecycleEvents!.find((x) => x.status === 'Failed')
        out.push(
          `${e?.lifecycleEventName}: ${e?.diagnostics?.message} ${e?.diagnostics?.logTail ?? ''}`
        )
      }
    }
  } while (nextToken)
  return out
}

it(`deploys blue/green to ${SIZE} replacement instances of a copied group, requests never failing`, async () => {
  const first = await deploy(b, cd, app, 'hundred', webApp('v1'))
  const d1 = await settled(cd, first, 240_000)
  expect(await failures(first)).toEqual([])
  expect(d1.status).toBe('Succeeded')
  expect(d1.deploymentOverview).toMatchObject({ Succeeded: 2 * SIZE, Failed: 0 })

  const loop = requestLoop(url, { maxMs: 240_000 })
  const second = await deploy(b, cd, app, 'hundred', webApp('v2'))
  const d2 = await settled(cd, second, 240_000)
  const seen = await loop.stop()
  expect(d2.status).toBe('Succeeded')
  expect(readReroute(seen, 'v1', 'v2').problems).toEqual([])

  // 200 targets (100 Blue, 100 Green): two pages of 100.
  const { targetIds, nextToken } = await cd.send(
    new ListDeploymentTargetsCommand({ deploymentId: second })
  )
  const more = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: second, nextToken }))
  expect(targetIds).toHaveLength(100)
  expect(more.targetIds).toHaveLength(100)
  expect(more.nextToken).toBeUndefined()
  expect(new Set([...targetIds!, ...more.targetIds!]).size).toBe(2 * SIZE)
  const some = await cd.send(
    new BatchGetDeploymentTargetsCommand({
      deploymentId: second,
      targetIds: targetIds!.slice(0, 25)
    })
  )
  expect(new Set(some.deploymentTargets!.map((t) => t.instanceTarget!.status))).toEqual(
    new Set(['Succeeded'])
  )
  const groups = await autoScaling(b).send(
    new DescribeAutoScalingGroupsCommand({
      AutoScalingGroupNames: [`CodeDeploy_hundred_${first}`, `CodeDeploy_hundred_${second}`]
    })
  )
  expect(
    groups.AutoScalingGroups!.map((g) => [g.AutoScalingGroupName, g.Instances!.length])
  ).toEqual([[`CodeDeploy_hundred_${second}`, SIZE]])
}, 600_000)
