// The setup both blue/green suites share: a fleet document of the suite's own, each deployment
// group with its own Auto Scaling group (2 instances) and target group, so that a TERMINATE
// (which deletes the original group) or a traffic switch touches no other test; and the reads
// the tests make (targets, Auto Scaling groups, target health).
import { afterAll, beforeAll } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type InstanceTarget
} from '@aws-sdk/client-codedeploy'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { admin, autoScaling, bed, type Bed, codedeploy, elb, unique } from '../support/bed.js'
import { addLoadBalancedFleet, fleetYaml, type BlueGreenGroup } from './traffic.js'

export interface BlueGreenSuite {
  b: Bed
  cd: CodeDeployClient
  app: string
  // The suite's name for a target group or Auto Scaling group ("auto-tg" -> "<app>-auto-tg").
  n: (s: string) => string
  // The listener of a deployment group's target group.
  url: (group: string) => string
  targets: (id: string) => Promise<InstanceTarget[]>
  asgNames: () => Promise<string[]>
  groupAsg: (group: string) => Promise<string[]>
  health: (group: string) => Promise<Record<string, string>>
}

export const events = (t: InstanceTarget): string[] =>
  t.lifecycleEvents!.map((e) => `${e.lifecycleEventName}:${e.status}`)

/**
 * Registers the suite's beforeAll/afterAll. `extra`: other target + Auto Scaling group pairs
 * (`inplace`: an in-place group with traffic control on 1 instance; `spare`: 2 instances for
 * DISCOVER_EXISTING). `slowTargetGroups`: groups whose deregistration delay is 30 s;
 * `patientTargetGroups`: groups whose health checks take ~10 s to call a target unhealthy.
 */
export function blueGreenSuite(
  name: string,
  groups: BlueGreenGroup[],
  extra: ('inplace' | 'spare')[] = [],
  slowTargetGroups: string[] = [],
  patientTargetGroups: string[] = []
): BlueGreenSuite {
  const app = unique(name)
  const n = (s: string) => `${app}-${s}`
  let listener: Record<string, string> = {}
  const s = { app, n } as BlueGreenSuite

  beforeAll(async () => {
    s.b = bed()
    s.cd = codedeploy(s.b)
    const all = [...groups.map((g) => g.name), ...extra]
    listener = await addLoadBalancedFleet(
      s.b,
      fleetYaml({
        app,
        // The service's minutes at a hundredth: 60 min lasts 36 s, 5 min 3 s.
        timeScale: 0.01,
        targetGroups: all.map((g) => ({
          name: n(`${g}-tg`),
          deregistrationDelaySeconds: slowTargetGroups.includes(g) ? 30 : 1,
          patient: patientTargetGroups.includes(g)
        })),
        autoScalingGroups: all.map((g) => ({
          name: n(`${g}-asg`),
          instances: g === 'inplace' ? 1 : 2,
          targetGroup: n(`${g}-tg`)
        })),
        blueGreen: groups.map((g) => ({ ...g, asg: n(`${g.name}-asg`), tg: n(`${g.name}-tg`) })),
        inPlace: extra.includes('inplace')
          ? [{ name: 'inplace', asg: n('inplace-asg'), tg: n('inplace-tg') }]
          : []
      })
    )
  }, 60_000)

  afterAll(async () => {
    await admin(s.b, 'DELETE', `/faults?application=${app}`)
    s.cd.destroy()
  })

  s.url = (group) => listener[n(`${group}-tg`)]!

  s.targets = async (id) => {
    const { targetIds } = await s.cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))
    const out: InstanceTarget[] = []
    for (let i = 0; i < targetIds!.length; i += 25) {
      const r = await s.cd.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId: id,
          targetIds: targetIds!.slice(i, i + 25)
        })
      )
      out.push(...r.deploymentTargets!.map((t) => t.instanceTarget!))
    }
    return out
  }

  s.asgNames = async () => {
    const r = await autoScaling(s.b).send(new DescribeAutoScalingGroupsCommand({}))
    return r.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!)
  }

  s.groupAsg = async (group) => {
    const r = await s.cd.send(
      new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })
    )
    return r.deploymentGroupInfo!.autoScalingGroups!.map((g) => g.name!)
  }

  s.health = async (group) => {
    const client = elb(s.b)
    const tg = await client.send(new DescribeTargetGroupsCommand({ Names: [n(`${group}-tg`)] }))
    const h = await client.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroups![0]!.TargetGroupArn })
    )
    return Object.fromEntries(
      h.TargetHealthDescriptions!.map((d) => [d.Target!.Id!, d.TargetHealth!.State!])
    )
  }
  return s
}
