// dist/index.js deploying to test bed instances that run the REAL CodeDeploy agent's code (agent
// 1.8.1, local mode) instead of the emulated one: fleet.yml's e2e-real-agent groups say
// `agent: auto`, so they are real when the bed found the agent's runner (it exports
// TESTBED_AGENT_RUNNER) and these tests skip otherwise.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import { bed, type Bed, codedeploy, instances } from '../support/bed.js'
import type { ActionRun, RunOptions } from './harness.js'
import { onInstance } from '../support/commands.js'
import { deployOnBed } from '../support/runs.js'
import { writeTree } from '../support/fixtures.js'
import { suiteTempDir } from '../temp-dir.js'

const APP = 'e2e-real-agent'
// Straight to stderr: jest shows no console output of a suite whose tests are all skipped.
// `npm run test:unit` runs this file too, without the bed: it skips then as well.
const skipping = !process.env.TESTBED_ADMIN_URL
  ? 'the test bed is not running (npm test starts it): skipping the real-agent tests'
  : !process.env.TESTBED_AGENT_RUNNER
    ? 'real CodeDeploy agent not available (set CODEDEPLOY_LOCAL_RUNNER or provide ../shared/tools/codedeploy-agent): skipping'
    : undefined
if (skipping) process.stderr.write(`${skipping}\n`)
const describeReal = skipping ? describe.skip : describe

let b: Bed

/** Hooks that leave proof on the instance, and a ValidateService that checks it. */
function appWorkspace(validate: string): string {
  const ws = suiteTempDir(`${APP}-`)
  writeTree(ws, {
    'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: /site
    destination: /opt/${APP}
hooks:
  ApplicationStop:
    - location: scripts/stop.sh
      timeout: 30
  AfterInstall:
    - location: scripts/after-install.sh
      timeout: 30
  ValidateService:
    - location: scripts/validate.sh
      timeout: 30
`,
    'deploy/site/index.html': `hello ${Math.random()}\n`,
    'deploy/scripts/stop.sh': '#!/bin/bash\necho "stopping the revision of $DEPLOYMENT_ID"\n',
    'deploy/scripts/after-install.sh':
      '#!/bin/bash\nset -e\nmkdir -p /var/lib/proof\necho "$LIFECYCLE_EVENT $DEPLOYMENT_ID" > /var/lib/proof/after-install\n',
    'deploy/scripts/validate.sh': validate
  })
  return ws
}

// Passes only if AfterInstall wrote its proof in this same deployment, whose id is local mode's
// own (d-XXXXXXXXX-local): the emulated agent's ids have no -local.
const VALIDATE_PROOF = `#!/bin/bash
set -e
cat /var/lib/proof/after-install
test "$(cat /var/lib/proof/after-install)" = "AfterInstall $DEPLOYMENT_ID"
case "$DEPLOYMENT_ID" in *-local) echo "validated by the real agent" ;; *) exit 7 ;; esac
test -f /opt/${APP}/index.html
`

const FAILING_VALIDATE =
  '#!/bin/bash\necho "checking 127.0.0.1:8080"\necho "health check failed: connection refused" >&2\nexit 3\n'

const deploy = (
  group: string,
  ws: string,
  inputs: Record<string, string> = {},
  extra: Pick<RunOptions, 'onSpawn'> = {}
): Promise<ActionRun> => deployOnBed(b, APP, ws, { 'deployment-group': group, ...inputs }, extra)

/** Each instance's lifecycle events, in order. */
async function eventsOf(deploymentId: string): Promise<Record<string, LifecycleEvent[]>> {
  const cd = codedeploy(b)
  const ids = (await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds ?? []
  const out = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ids }))
  return Object.fromEntries(
    (out.deploymentTargets ?? []).map((t) => [
      t.instanceTarget?.targetId ?? '',
      t.instanceTarget?.lifecycleEvents ?? []
    ])
  )
}

/** What a command printed on an instance; throws when it fails. */
async function outputOn(id: string, command: string): Promise<string> {
  const r = await onInstance(id, command)
  if (r.code !== 0) throw new Error(`${command} on ${id}: ${r.stderr}`)
  return r.stdout
}

/** Stops the run's deployment once ValidateService's `sleep 3600` runs on its instance. */
async function stopWhenHookRuns(output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000
  const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 250))
  for (;;) {
    if (Date.now() > deadline) throw new Error('ValidateService never started its hook')
    const id = /Created deployment (d-[A-Z0-9]+)/.exec(output())?.[1]
    // Until the deployment starts, its targets are not listed (DeploymentNotStartedException).
    const started = id && (await eventsOf(id).catch(() => undefined))
    if (id && started) {
      const targets = Object.entries(started)
      const running = targets.find(([, list]) =>
        list.some((e) => e.lifecycleEventName === 'ValidateService' && e.status === 'InProgress')
      )
      if (running && (await outputOn(running[0], 'ps -eo args')).includes('sleep 3600')) {
        await codedeploy(b).send(new StopDeploymentCommand({ deploymentId: id }))
        return
      }
    }
    await pause()
  }
}

// The real agent is Ruby started afresh for each instance's deployment: 9.5 s for the first
// test's two deployments alone here, over 30 s (jest's default) on CI's loaded 2-core machine with
// two other suites running. Each deployment's own bound is the action's `wait-timeout: 2`.
const ONE_DEPLOYMENT_MS = 150_000

describeReal('deploying through the real CodeDeploy agent', () => {
  beforeAll(async () => {
    b = bed()
    // The group must really be real here, not quietly emulated.
    const mine = await instances(b, APP)
    expect(mine.length).toBe(4)
    expect(mine.every((i) => i.agent === 'real')).toBe(true)
  })

  it(
    'runs every hook through the agent and succeeds; the next deployment stops the last revision',
    async () => {
      const ws = appWorkspace(VALIDATE_PROOF)
      const r = await deploy('fleet', ws)
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      const events = await eventsOf(r.outputs['deployment-id'] as string)
      expect(Object.keys(events)).toHaveLength(2)
      for (const [instance, list] of Object.entries(events)) {
        expect(list.map((e) => [e.lifecycleEventName, e.status])).toEqual([
          ['ApplicationStop', 'Succeeded'],
          ['DownloadBundle', 'Succeeded'],
          ['BeforeInstall', 'Succeeded'],
          ['Install', 'Succeeded'],
          ['AfterInstall', 'Succeeded'],
          ['ApplicationStart', 'Succeeded'],
          ['ValidateService', 'Succeeded']
        ])
        const validate = list.find((e) => e.lifecycleEventName === 'ValidateService')
        expect(validate?.diagnostics?.logTail).toContain('LifecycleEvent - ValidateService')
        expect(validate?.diagnostics?.logTail).toContain('[stdout]validated by the real agent')
        // The agent's own files on the instance: its log, and its scripts.log under the group's id.
        const logs = await outputOn(
          instance,
          'ls /opt/codedeploy-agent/log/codedeploy-local.log && cat /opt/codedeploy-agent/deployment-root/*/d-*-local/logs/scripts.log'
        )
        expect(logs).toContain('/opt/codedeploy-agent/log/codedeploy-local.log')
        expect(logs).toMatch(/LifecycleEvent - AfterInstall\n.*Script - scripts\/after-install.sh/)
      }

      // The agent remembers the group's last successful revision (-g is the group's id): the next
      // deployment's ApplicationStop runs that revision's stop.sh.
      const again = await deploy('fleet', appWorkspace(VALIDATE_PROOF))
      expect(again.code).toBe(0)
      for (const list of Object.values(await eventsOf(again.outputs['deployment-id'] as string))) {
        const stop = list.find((e) => e.lifecycleEventName === 'ApplicationStop')
        expect(stop?.status).toBe('Succeeded')
        expect(stop?.diagnostics?.logTail).toMatch(
          /Script - scripts\/stop.sh\n\[stdout\]stopping the revision of d-[A-Z0-9]{9}-local/
        )
      }
    },
    2 * ONE_DEPLOYMENT_MS
  )

  it(
    "reports a failing hook with the agent's own message and log tail",
    async () => {
      const r = await deploy('broken', appWorkspace(FAILING_VALIDATE))
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Failed')
      const failed = JSON.parse(r.outputs['failed-instances'] ?? '[]') as {
        lifecycleEvent: string
        errorCode: string
        script: string
        message: string
      }[]
      expect(failed).toHaveLength(1)
      expect(failed[0]).toMatchObject({
        lifecycleEvent: 'ValidateService',
        errorCode: 'ScriptFailed',
        script: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh failed with exit code 3'
      })
      expect(r.stdout).toContain('health check failed: connection refused')

      const [list] = Object.values(await eventsOf(r.outputs['deployment-id'] as string))
      expect(list?.map((e) => e.status)).toEqual([
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Failed'
      ])
      const validate = list?.at(-1)?.diagnostics
      expect(validate).toMatchObject({
        errorCode: 'ScriptFailed',
        scriptName: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh failed with exit code 3'
      })
      // The agent reads stdout and stderr in two threads: their lines' order may differ.
      expect(validate?.logTail).toMatch(
        /^LifecycleEvent - ValidateService\nScript - scripts\/validate.sh\n/
      )
      expect(validate?.logTail).toContain('[stdout]checking 127.0.0.1:8080\n')
      expect(validate?.logTail).toContain('[stderr]health check failed: connection refused\n')
    },
    ONE_DEPLOYMENT_MS
  )

  it(
    'stops the agent and its running hook when the deployment is stopped',
    async () => {
      // ValidateService never ends by itself. The test stops the deployment once the hook is
      // really running on the instance: a fixed wait-timeout raced the agent on a loaded machine
      // (CI once stopped it before ValidateService began, and the event was Skipped).
      const hanging = '#!/bin/bash\necho "waiting forever"\nexec sleep 3600\n'
      let stopping: Promise<void> | undefined
      const r = await deploy(
        'stopped',
        appWorkspace(hanging),
        {},
        {
          onSpawn: (_child, output) => {
            stopping = stopWhenHookRuns(output)
            stopping.catch(() => undefined) // awaited below, after the run
          }
        }
      )
      await stopping
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Stopped')
      const targets = Object.entries(await eventsOf(r.outputs['deployment-id'] as string))
      expect(targets).toHaveLength(1)
      const [instance, list] = targets[0]!
      expect(list.at(-1)).toMatchObject({
        lifecycleEventName: 'ValidateService',
        status: 'Failed',
        diagnostics: {
          errorCode: 'UnknownError',
          message: 'The deployment was stopped: the test bed ended the agent during this event'
        }
      })
      // Neither the agent (ruby) nor its hook's sleep is left in the instance.
      const ps = await outputOn(instance, 'ps -eo args')
      expect(ps).not.toContain('sleep 3600')
      expect(ps).not.toContain('codedeploy-local')
    },
    ONE_DEPLOYMENT_MS
  )
})
