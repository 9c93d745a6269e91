// dist/index.js under Node 24 deploying blue/green behind the bed's load balancer, each test on a
// deployment group of its own shaped like testbed/examples/blue-green.yml's (bg-auto, bg-wait,
// bg-manual, bg-keep): wait-until, on-ready, the two-job approval flow, KEEP_ALIVE, and the
// plan line. Failures, cancel, timeout and in-place with traffic control: blue-green-failures.test.ts.
import { describe, expect, test } from '@jest/globals'
import { ContinueDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { blueGreenSuite } from '../testbed/blue-green-suite.js'
import { readReroute, requestLoop } from '../testbed/reroute.js'
import {
  action,
  currentVersions,
  seed,
  webWorkspace,
  type FailedInstanceOutput
} from './blue-green-helpers.js'
import { json } from '../support/runs.js'

const s = blueGreenSuite('e2e-bg', [
  // bg-wait: TERMINATE 60 minutes after the reroute (36 s on the bed).
  { name: 'wait', terminationMinutes: 60 },
  { name: 'warn', terminationMinutes: 60 },
  // bg-keep.
  { name: 'keep', termination: 'KEEP_ALIVE' },
  // bg-auto: everything by itself, the original instances terminated at once.
  { name: 'auto' },
  // bg-manual: Ready until someone continues it (30 minutes: 18 s on the bed; 60: 36 s).
  { name: 'finish', ready: 'STOP_DEPLOYMENT', readyMinutes: 60 },
  { name: 'continue', ready: 'STOP_DEPLOYMENT', readyMinutes: 60 },
  { name: 'waiting', ready: 'STOP_DEPLOYMENT', readyMinutes: 60 }
])

describe('blue/green through dist/', () => {
  test.concurrent(
    'bg-auto: no failed request while the traffic moves to v2; the plan line, Blue/Green labels and the summary say so',
    async () => {
      await seed(s, 'auto', 'v1')
      // After the seed's success the group's Auto Scaling group is that deployment's copy.
      const [source] = await s.groupAsg('auto')
      const loop = requestLoop(s.url('auto'))
      const r = await action(s, 'auto', webWorkspace('v2'))
      const result = await loop.stop()
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      // During the reroute both fleets answer for a moment: no failure, first v1, last v2.
      expect(readReroute(result, 'v1', 'v2').problems).toEqual([])
      const id = r.outputs['deployment-id']!
      expect(r.stdout).toContain(
        `Deployment ${id}: blue/green behind target group '${s.n('auto-tg')}': copies Auto Scaling group '${source}' as the replacement fleet, reroutes after the install, terminates the original instances right after.`
      )
      expect(r.stdout).toMatch(new RegExp(`${id} i-[0-9a-f]+ \\(Green\\): Succeeded`))
      expect(r.stdout).toMatch(new RegExp(`${id} i-[0-9a-f]+ \\(Blue\\): Succeeded`))
      expect(r.summary).toContain('| Instance | Fleet | Status |')
      expect(r.summary).toContain('🟢 Green (replacement)')
      expect(r.summary).toContain('🔵 Blue (original)')
      expect(r.summary).toContain('Plan: blue/green behind target group')
      expect(r.outputs['deleted-replacement-fleet']).toBe('')
    },
    240_000
  )

  test.concurrent(
    'bg-wait, wait-until: traffic-rerouted: ends InProgress once v2 serves, saying when the original instances go; a second run ends the termination wait',
    async () => {
      await seed(s, 'wait', 'v1')
      const r = await action(s, 'wait', webWorkspace('v2'), { 'wait-until': 'traffic-rerouted' })
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      const id = r.outputs['deployment-id']!
      expect(r.outputs['deployment-status']).toBe('InProgress')
      expect(json(r.outputs.deployments)).toEqual([
        expect.objectContaining({ group: 'wait', id, status: 'InProgress' })
      ])
      expect(r.stdout).toContain(
        `Deployment ${id} to 'wait' moved the traffic to the replacement instances, which passed their health checks; the step ends here (wait-until: traffic-rerouted) with the deployment InProgress.`
      )
      expect(r.stdout).toContain('after its termination wait of 60 minutes, at about')
      expect(r.stdout).not.toContain('::warning::')
      expect(r.summary).toContain('🔀 traffic rerouted (InProgress)')
      // The traffic is on v2 already; the original instances still run.
      expect(await currentVersions(s.url('wait'))).toEqual(['v2'])
      const during = await s.cd.send(new GetDeploymentCommand({ deploymentId: id }))
      expect(during.deploymentInfo).toMatchObject({
        status: 'InProgress',
        instanceTerminationWaitTimeStarted: true
      })

      // The post step has nothing to stop: main ended on its own terms.
      expect(r.state['deployment-finished']).toBe('true')

      const end = await action(s, 'wait', webWorkspace('v2'), {
        'continue-deployment': id,
        'continue-termination': 'true'
      })
      expect(end.errors).toEqual([])
      expect(end.code).toBe(0)
      expect(end.outputs['deployment-id']).toBe(id)
      expect(end.outputs['deployment-status']).toBe('Succeeded')
      expect(end.stdout).toContain(
        `Ended the termination wait of deployment ${id} (continue-termination): CodeDeploy terminates the original instances now.`
      )
      // Nothing was built or uploaded.
      expect(end.outputs['bundle-key']).toBeUndefined()
      expect(end.summary).toContain(`ending the termination wait of ${id}`)
      expect(await s.asgNames()).not.toContain(s.n('wait-asg'))
    },
    240_000
  )

  test.concurrent(
    'wait-until: succeeded warns at the start when the termination wait alone is longer than wait-timeout',
    async () => {
      const r = await action(s, 'warn', webWorkspace('v1'), {
        'wait-timeout': '45',
        'on-timeout': 'fail'
      })
      expect(r.stdout).toContain(
        '::warning title=wait-timeout shorter than the termination wait::The deployment group terminates the original instances 60 minutes after the reroute, and CodeDeploy reports the deployment InProgress until then: longer than wait-timeout (45 minutes), so this step will time out on a deployment that went well. Set wait-until: traffic-rerouted to end the step once the traffic has moved, or raise wait-timeout above 60.'
      )
      // On the bed the hour lasts 36 s: the deployment still succeeds.
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect(r.code).toBe(0)
    },
    240_000
  )

  test.concurrent(
    'bg-keep: KEEP_ALIVE succeeds after the reroute and keeps the original group; wait-until: traffic-rerouted ends Succeeded',
    async () => {
      await seed(s, 'keep', 'v1')
      const before = await s.groupAsg('keep')
      const r = await action(s, 'keep', webWorkspace('v2'), { 'wait-until': 'traffic-rerouted' })
      expect(r.errors).toEqual([])
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect(r.stdout).toContain('keeps the original instances running, out of the load balancer.')
      expect(await s.asgNames()).toEqual(expect.arrayContaining(before))
      expect(await currentVersions(s.url('keep'))).toEqual(['v2'])
    },
    240_000
  )

  test.concurrent(
    'the approval flow: job 1 ends at Ready (on-ready: finish) with v1 still serving; job 2 continues it and waits for the end',
    async () => {
      await seed(s, 'finish', 'v1')
      const job1 = await action(s, 'finish', webWorkspace('v2'), { 'on-ready': 'finish' })
      expect(job1.errors).toEqual([])
      expect(job1.code).toBe(0)
      const id = job1.outputs['deployment-id']!
      expect(job1.outputs['deployment-status']).toBe('Ready')
      expect(job1.stdout).toContain(
        `Deployment ${id} is Ready: the replacement instances are installed and the traffic is still on the original instances. The step ends here (on-ready: finish). Move the traffic with this action and continue-deployment: ${id}`
      )
      expect(job1.summary).toContain('⏸️ Ready: waiting for the traffic switch')
      expect(job1.state['deployment-finished']).toBe('true')
      expect(await currentVersions(s.url('finish'))).toEqual(['v1'])

      const loop = requestLoop(s.url('finish'))
      const job2 = await action(s, 'finish', webWorkspace('ignored'), {
        'continue-deployment': id,
        bucket: ''
      })
      const result = await loop.stop()
      expect(job2.errors).toEqual([])
      expect(job2.code).toBe(0)
      expect(job2.outputs['deployment-status']).toBe('Succeeded')
      expect(job2.stdout).toContain(
        `Continued deployment ${id}: CodeDeploy reroutes the traffic to the replacement instances now.`
      )
      expect(readReroute(result, 'v1', 'v2').problems).toEqual([])
    },
    240_000
  )

  test.concurrent(
    'on-ready: continue calls ContinueDeployment itself',
    async () => {
      const r = await action(s, 'continue', webWorkspace('v1'), { 'on-ready': 'continue' })
      expect(r.errors).toEqual([])
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect(r.stdout).toContain('Continuing it (on-ready: continue).')
      expect(r.stdout).toContain(
        'waits in Ready for a ContinueDeployment (stopped after 60 minutes)'
      )
    },
    240_000
  )

  test.concurrent(
    'on-ready: wait waits for someone else to continue it',
    async () => {
      let continued = false
      const r = await action(
        s,
        'waiting',
        webWorkspace('v1'),
        {},
        {
          onSpawn: (child, output) => {
            const timer = setInterval(() => {
              const m = /Deployment (d-[A-Z0-9]{9}) is Ready: .*on-ready: wait/.exec(output())
              if (!m || continued) return
              continued = true
              clearInterval(timer)
              void s.cd.send(
                new ContinueDeploymentCommand({
                  deploymentId: m[1],
                  deploymentWaitType: 'READY_WAIT'
                })
              )
            }, 200)
            child.on('close', () => clearInterval(timer))
          }
        }
      )
      expect(continued).toBe(true)
      expect(r.errors).toEqual([])
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect(json<FailedInstanceOutput[]>(r.outputs['failed-instances'])).toEqual([])
    },
    240_000
  )
})
