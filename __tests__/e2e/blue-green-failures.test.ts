// dist/index.js under Node 24 when a blue/green deployment goes wrong on the bed: AllowTraffic
// explained from the target group, the replacement fleet kept (with the command) or deleted,
// cancel and timeout saying where the traffic is, the post step settling a fleet, a slow
// BlockTraffic explained. (In place with traffic control: traffic-control.test.ts.)
import { describe, expect, test } from '@jest/globals'
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { blueGreenSuite } from '../testbed/blue-green-suite.js'
import { deploy } from '../testbed/traffic.js'
import { webApp } from '../testbed/web-app.js'
import { autoScaling, bed, setFaults, settled } from '../support/bed.js'
import {
  action,
  currentVersions,
  postStep,
  seed,
  webWorkspace,
  type FailedInstanceOutput
} from './blue-green-helpers.js'
import { json } from '../support/runs.js'

const e2e = bed()

// A hook that holds the replacement install long enough to cancel or time out during it.
const SLOW_HOOK = '  AfterInstall:\n    - location: slow.sh\n      timeout: 60\n'
const SLOW = { 'deploy/slow.sh': '#!/bin/sh\nsleep 45\n' }

const s = blueGreenSuite(
  'e2e-bgf',
  [
    { name: 'fail-keep' },
    { name: 'fail-delete' },
    { name: 'cancel' },
    { name: 'timeout' },
    { name: 'post' },
    { name: 'slow-block' }
  ],
  [],
  [],
  ['fail-keep', 'fail-delete']
)

async function asgExists(name: string): Promise<boolean> {
  const r = await autoScaling(s.b).send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })
  )
  return (r.AutoScalingGroups ?? []).some((g) => g.AutoScalingGroupName === name)
}

describe('blue/green failures through dist/', () => {
  test.concurrent(
    'AllowTraffic fails on the health check: explained from the target group; keep warns with the group, its size and the command',
    async () => {
      await seed(s, 'fail-keep', 'v1')
      const r = await action(s, 'fail-keep', webWorkspace('v2', 500))
      expect(r.code).not.toBe(0)
      const id = r.outputs['deployment-id']!
      const copy = `CodeDeploy_fail-keep_${id}`
      expect(r.outputs['deployment-status']).toBe('Failed')
      const failed = json<FailedInstanceOutput[]>(r.outputs['failed-instances'])
      expect(failed.length).toBeGreaterThan(0)
      for (const f of failed) {
        expect(f).toMatchObject({ label: 'Green', lifecycleEvent: 'AllowTraffic' })
        expect(f.explanation).toContain(
          `target group '${s.n('fail-keep-tg')}' checks HTTP /health on port 8080, expecting 200`
        )
        // The bed fails AllowTraffic at the first unhealthy verdict and deregisters the
        // instance: what the API showed last was the initial checking.
        expect(f.explanation).toMatch(
          /the last reading was initial|the load balancer said unhealthy/
        )
      }
      expect(r.stdout).toMatch(
        new RegExp(
          `\\(Green\\): AllowTraffic: target group '${s.n('fail-keep-tg')}' says (initial|unhealthy) \\(`
        )
      )
      expect(r.stdout).toMatch(
        /Load balancer: The instance did not pass the load balancer's health checks/
      )
      expect(r.stdout).toContain(
        `::warning title=Replacement fleet left running::Deployment ${id} failed and left its replacement Auto Scaling group ${copy} running (2 instances); the traffic stays on the original instances. It costs money until deleted: aws autoscaling delete-auto-scaling-group --auto-scaling-group-name ${copy} --force-delete --region us-east-1 (or set failed-replacement-fleet: delete).`
      )
      expect(r.outputs['deleted-replacement-fleet']).toBe('')
      expect(await asgExists(copy)).toBe(true)
      expect(await currentVersions(s.url('fail-keep'))).toEqual(['v1'])
      expect(r.summary).toContain('Replacement fleet: ⚠️ still running.')
      expect(r.errors.join('\n')).toContain('AllowTraffic failed on 2 instances')
    },
    240_000
  )

  test.concurrent(
    'failed-replacement-fleet: delete deletes the copy made for this deployment; the traffic stays on v1',
    async () => {
      await seed(s, 'fail-delete', 'v1')
      const original = await s.groupAsg('fail-delete')
      const r = await action(s, 'fail-delete', webWorkspace('v2', 500), {
        'failed-replacement-fleet': 'delete'
      })
      expect(r.code).not.toBe(0)
      const id = r.outputs['deployment-id']!
      const copy = `CodeDeploy_fail-delete_${id}`
      expect(r.outputs['deleted-replacement-fleet']).toBe(copy)
      expect(r.stdout).toContain(
        `Deleted the replacement Auto Scaling group ${copy} and its 2 instances (failed-replacement-fleet: delete); the traffic stays on the original instances.`
      )
      expect(r.errors.join('\n')).toContain(`Deleted the replacement Auto Scaling group ${copy}`)
      expect(r.summary).toContain('Replacement fleet: 🗑️ deleted.')
      expect(await asgExists(copy)).toBe(false)
      // The original group is untouched and still serves.
      expect(await s.groupAsg('fail-delete')).toEqual(original)
      expect(await asgExists(original[0]!)).toBe(true)
      expect(await currentVersions(s.url('fail-delete'))).toEqual(['v1'])
    },
    240_000
  )

  test.concurrent(
    'cancel during the replacement install: stopped, the traffic stays on the original instances, the copy is settled',
    async () => {
      await seed(s, 'cancel', 'v1')
      const ws = webWorkspace('v2', 200, SLOW_HOOK, SLOW)
      let sent = 0
      const r = await action(
        s,
        'cancel',
        ws,
        { 'failed-replacement-fleet': 'delete' },
        {
          onSpawn: (child, output) => {
            const timer = setInterval(() => {
              if (!/\(Green\): AfterInstall/.test(output())) return
              clearInterval(timer)
              sent = Date.now()
              child.kill('SIGINT')
            }, 100)
            child.on('close', () => clearInterval(timer))
          }
        }
      )
      expect(sent).toBeGreaterThan(0)
      expect(r.code).not.toBe(0)
      const id = r.outputs['deployment-id']!
      const copy = `CodeDeploy_cancel_${id}`
      expect(r.stdout).toContain(`The workflow was cancelled: stopping deployment ${id}.`)
      expect(r.stdout).toMatch(/The traffic is on the original \(Blue\) instances: 2 serving/)
      // The runner kills the main step seconds after the cancel: the post step settles the copy.
      expect(r.state['fleet-pending']).toBe(id)
      expect(r.stdout).toContain(
        `The post step applies failed-replacement-fleet (delete) to the replacement Auto Scaling group once CodeDeploy reports deployment ${id} ended.`
      )
      const post = await postStep(r.state)
      expect(post.code).toBe(0)
      expect(post.stdout).toContain(`Deleted the replacement Auto Scaling group ${copy}`)
      expect(await asgExists(copy)).toBe(false)
      expect(await currentVersions(s.url('cancel'))).toEqual(['v1'])
    },
    240_000
  )

  test.concurrent(
    'on-timeout: stop stops it and says where the traffic is; keep names the copy',
    async () => {
      await seed(s, 'timeout', 'v1')
      const r = await action(s, 'timeout', webWorkspace('v2', 200, SLOW_HOOK, SLOW), {
        'wait-timeout': '0.25',
        'on-timeout': 'stop'
      })
      expect(r.code).not.toBe(0)
      const id = r.outputs['deployment-id']!
      expect(r.outputs['deployment-status']).toBe('Stopped')
      const failure = r.errors.join('\n')
      expect(failure).toContain(
        `did not finish within wait-timeout (0.25 minutes) and was stopped (status Stopped).`
      )
      expect(failure).toContain('The traffic is on the original (Blue) instances: 2 serving')
      expect(r.stdout).toContain(
        `left its replacement Auto Scaling group CodeDeploy_timeout_${id} running (2 instances)`
      )
      expect(await asgExists(`CodeDeploy_timeout_${id}`)).toBe(true)
    },
    240_000
  )

  test.concurrent(
    'the post step of a main step killed mid-wait stops the deployment and deletes its copy',
    async () => {
      await seed(s, 'post', 'v1')
      const files = webApp('v2', 200, SLOW_HOOK)
      const id = await deploy(s.b, s.cd, s.app, 'post', {
        ...files,
        'slow.sh': SLOW['deploy/slow.sh']
      })
      await settled(s.cd, id, 90_000, (d) => (d.deploymentOverview?.InProgress ?? 0) > 0)
      const post = await postStep({
        'deployment-id': id,
        'stop-on-cancel': 'true',
        'failed-replacement-fleet': 'delete',
        region: 'us-east-1'
      })
      expect(post.code).toBe(0)
      expect(post.stdout).toContain(`stopping it (stop-on-cancel)`)
      expect(post.stdout).toContain(
        `Deleted the replacement Auto Scaling group CodeDeploy_post_${id}`
      )
      expect(
        (await s.cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo?.status
      ).toBe('Stopped')
      expect(await asgExists(`CodeDeploy_post_${id}`)).toBe(false)
    },
    240_000
  )

  test.concurrent(
    'a slow BlockTraffic is explained by the target group deregistration delay',
    async () => {
      await seed(s, 'slow-block', 'v1')
      await setFaults(
        e2e,
        { slowDeregistration: { targetGroups: [s.n('slow-block-tg')], ms: 24_000 } },
        s.app
      )
      try {
        const r = await action(s, 'slow-block', webWorkspace('v2'))
        expect(r.errors).toEqual([])
        expect(r.outputs['deployment-status']).toBe('Succeeded')
        expect(r.stdout).toMatch(
          new RegExp(
            `BlockTraffic on i-[0-9a-f]+ \\(Blue\\).* is waiting for the load balancer to drain connections: the deregistration delay of target group '${s.n('slow-block-tg')}' 1 s \\(attribute deregistration_delay.timeout_seconds`
          )
        )
      } finally {
        await setFaults(e2e, {}, s.app)
      }
    },
    240_000
  )
})
