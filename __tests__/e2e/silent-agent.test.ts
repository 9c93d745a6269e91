// dist/index.js under Node 24 against the test bed, with CodeDeploy agents that do not answer:
// instances declared `agent: stopped`, and agents started again through the admin endpoint.
// The bed's time scale shortens CodeDeploy's one-hour wait for an agent to a few seconds.
import { beforeAll, describe, expect, test } from '@jest/globals'
import { appWorkspace, b, deploy as deployApp, type RunExtra } from '../reliability/rel.js'
import { admin, deployment, instances } from '../support/bed.js'
import { json } from '../support/runs.js'
import type { ActionRun } from './harness.js'

// CodeDeploy's hour for an agent to pick up an event becomes 3,600 s × 0.006 = 21.6 s here.
const FLEET = `
timing:
  createdMs: 300
  timeScale: 0.006
applications:
  - name: silent-one
    groups:
      - name: fleet
        deploymentConfig: CodeDeployDefault.OneAtATime
        instances: [{ agent: stopped }, {}]
  - name: silent-fail
    groups:
      - name: fleet
        deploymentConfig: CodeDeployDefault.AllAtOnce
        instances: [{}, { agent: stopped }]
  - name: silent-none
    groups:
      - { name: fleet, instances: 2, deploymentConfig: CodeDeployDefault.OneAtATime }
  - name: silent-all
    groups:
      - { name: fleet, instances: 2, agent: stopped, deploymentConfig: CodeDeployDefault.AllAtOnce }
`

async function instancesOf(application: string): Promise<string[]> {
  return (await instances(b, application)).map((i) => i.id)
}

/** The reliability suites' app and run, with a 3 s silence timeout: the bed's instances answer
 * within a second when their agent runs. `start`: ApplicationStart's script. */
function deploy(
  app: string,
  inputs: Record<string, string> = {},
  extra: RunExtra = {},
  start?: string
): Promise<ActionRun> {
  return deployApp(
    app,
    appWorkspace(app, start ? { start } : {}),
    { 'wait-timeout': '3', 'agent-silence-timeout': '0.05', ...inputs },
    extra
  )
}

/** The ::warning:: annotations: [title, message]. */
function warnings(r: ActionRun): [string, string][] {
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) => {
      const m = /^::warning(?: title=([^:]*))?::(.*)$/.exec(l)
      return [m?.[1] ?? '', m?.[2] ?? '']
    })
}

// The four runs are concurrent (each on its application): they mostly wait on hooks and timeouts.
describe('a silent CodeDeploy agent, seen by the built action', () => {
  let ids: Record<string, string[]>
  beforeAll(async () => {
    await admin(b, 'PUT', '/fleet', FLEET)
    ids = {}
    for (const app of ['silent-one', 'silent-fail', 'silent-none', 'silent-all'])
      ids[app] = await instancesOf(app)
  })

  test.concurrent(
    'warn: names the silent instance (not the one waiting its turn), keeps waiting, then explains CodeDeploy own failure',
    async () => {
      const [silent, waiting] = ids['silent-one']!
      const r = await deploy('silent-one', {})
      const w = warnings(r)
      expect(w).toHaveLength(1)
      expect(w[0]![0]).toBe('CodeDeploy agent not responding on 1 instance')
      expect(w[0]![1]).toMatch(
        new RegExp(
          `^The CodeDeploy agent on 1 instance has not picked up its lifecycle event for over 0.05 minutes \\(agent-silence-timeout\\): ${silent} waiting for ApplicationStop for \\d+s\\.`
        )
      )
      expect(w[0]![1]).not.toContain(waiting)
      expect(w[0]![1]).toContain('Check, in order: (1) the agent runs: `sudo systemctl status')
      // Kept waiting until CodeDeploy failed the instance after its (scaled) hour.
      expect(r.stdout).toContain('on-agent-silence: warn')
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Failed')
      const failed = json<{ instanceId: string; lifecycleEvent: string; message: string }[]>(
        r.outputs['failed-instances']
      )
      expect(failed).toEqual([
        expect.objectContaining({
          instanceId: silent,
          lifecycleEvent: 'ApplicationStop',
          message:
            'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'
        })
      ])
      // The cause annotation and the step's failure both carry the checks.
      expect(
        r.errors.some((e) => e.includes('UnknownError') && e.includes('Check, in order'))
      ).toBe(true)
      expect(r.errors.at(-1)).toContain('No CodeDeploy agent picked up the lifecycle event')
      expect(r.summary).toContain('##### Silent agents (1 instance)')
      expect(r.summary).toContain(`- ${silent}: ApplicationStop waited`)
      expect(r.summary).toContain('1. the agent runs: `sudo systemctl status codedeploy-agent`')
    },
    90_000
  )

  test.concurrent(
    'fail: stops the deployment and fails the step naming the silent instance',
    async () => {
      const [, silent] = ids['silent-fail']!
      const r = await deploy('silent-fail', { 'on-agent-silence': 'fail' })
      expect(r.code).toBe(1)
      expect(warnings(r)).toEqual([])
      const id = r.outputs['deployment-id'] as string
      expect(r.outputs['deployment-status']).toBe('Stopped')
      // Stopped, by the action: had CodeDeploy's own (scaled) hour of 21.6 s come first, the
      // emulator would have failed the instance and the deployment would be Failed. (Not a time
      // bound: a loaded machine once took 49.7 s for this run, and the hour counts from the
      // event's start, not the deployment's.)
      expect((await deployment(b, id)).status).toBe('Stopped')
      const last = r.errors.at(-1) ?? ''
      expect(last).toMatch(
        new RegExp(
          `Deployment ${id} to 'fleet' was stopped \\(status Stopped\\): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout \\(0.05 minutes\\) on ${silent} waiting for ApplicationStop`
        )
      )
      expect(last).toContain('Check, in order')
      expect(r.summary).toContain('##### Silent agents (1 instance)')
    },
    90_000
  )

  test.concurrent(
    'OneAtATime on a healthy fleet with a long hook never warns',
    async () => {
      // Each instance's ApplicationStart runs 6 s, twice the silence timeout: the second instance
      // waits its turn (Pending) that long, and the running hook is not silence either.
      const r = await deploy('silent-none', {}, {}, '#!/bin/bash\nsleep 6\n')
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(warnings(r)).toEqual([])
      expect(r.summary).not.toContain('Silent agents')
    },
    90_000
  )

  test.concurrent(
    'every agent silent: one warning naming both; agents started again are picked up and it succeeds',
    async () => {
      const both = ids['silent-all']!
      let restarted = false
      const r = await deploy(
        'silent-all',
        {},
        {
          onSpawn: (_child, output) => {
            const timer = setInterval(() => {
              if (restarted || !output().includes('::warning')) return
              restarted = true
              clearInterval(timer)
              for (const id of both)
                void admin(
                  b,
                  'PUT',
                  `/agent?instance=${encodeURIComponent(id)}`,
                  JSON.stringify({ state: 'running' })
                )
            }, 200)
            // Bounded: the action's own wait-timeout ends it long before.
            setTimeout(() => clearInterval(timer), 120_000).unref()
          }
        }
      )
      expect(restarted).toBe(true)
      const w = warnings(r)
      expect(w).toHaveLength(1)
      expect(w[0]![0]).toBe('CodeDeploy agent not responding on 2 instances')
      for (const id of both) expect(w[0]![1]).toContain(`${id} waiting for ApplicationStop`)
      for (const id of both)
        expect(r.stdout).toMatch(
          new RegExp(`${id}: the CodeDeploy agent picked up ApplicationStop after \\d+s\\.`)
        )
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect(r.summary).toContain('##### Silent agents (2 instances)')
    },
    90_000
  )
})
