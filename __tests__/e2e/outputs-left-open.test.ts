// A start script in a form many tutorials use, `cd dir && nohup app >/dev/null 2>&1 &`, deployed
// end to end: under bash the `&` puts the whole list in a subshell that keeps the script's stdout,
// so the agent, once the script's timeout runs out, fails the event with "failed to close STDOUT"
// (hook_executor.rb's OUTPUTS_LEFT_OPEN_CODE, UnknownError to CodeDeploy) and leaves the
// background process running. The same through the bed's emulated agent, on a namespace instance
// and on a shared one (whose hooks write their output to files), and through the real agent
// (1.8.1, local mode) when the bed found its runner. Each run ends with the catalogue's fix.
import { describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import { bed, codedeploy } from '../support/bed.js'
import { onInstance } from '../support/commands.js'
import { deployOnBed, json } from '../support/runs.js'
import { writeTree } from '../support/fixtures.js'
import { suiteTempDir } from '../temp-dir.js'

const APP = 'e2e-outputs-open'
const MESSAGE = 'Script at specified location: scripts/start.sh failed to close STDOUT'

function workspace(): string {
  return writeTree(suiteTempDir(`${APP}-`), {
    'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: app
    destination: /opt/${APP}
hooks:
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 3
`,
    'deploy/app/index.html': 'hello\n',
    'deploy/scripts/start.sh': {
      mode: 0o755,
      content:
        '#!/bin/bash\necho "starting the app"\ncd /tmp && nohup sleep 30 >/dev/null 2>&1 </dev/null &\n'
    }
  })
}

/** The instance's processes that hooks of this application started (their environment says so). */
const HOOK_PROCESSES = `for p in /proc/[0-9]*; do tr '\\0' '\\n' <"$p/environ" 2>/dev/null | grep -qx APPLICATION_NAME=${APP} && echo "\${p#/proc/} $(tr '\\0' ' ' <"$p/cmdline")"; done; true`

async function hookProcesses(instance: string): Promise<string[]> {
  const r = await onInstance(instance, HOOK_PROCESSES)
  if (r.code !== 0) throw new Error(`listing processes on ${instance}: ${r.stderr}`)
  return r.stdout.split('\n').filter(Boolean)
}

/** SIGKILLs what the hooks left on the instance and waits until it is gone (bounded: 10 s). */
async function killHookProcesses(instance: string): Promise<void> {
  const deadline = Date.now() + 10_000
  let left = await hookProcesses(instance)
  while (left.length > 0 && Date.now() < deadline) {
    await onInstance(instance, `kill -9 ${left.map((l) => l.split(' ')[0]).join(' ')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
    left = await hookProcesses(instance)
  }
  expect(left).toEqual([])
}

async function check(group: string): Promise<void> {
  const r = await deployOnBed(bed(), APP, workspace(), { 'deployment-group': group })
  const cd = codedeploy(bed())
  const deploymentId = r.outputs['deployment-id']
  const targetIds = (await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds
  expect(targetIds).toHaveLength(1)
  const instance = targetIds![0]!
  try {
    expect(r.code).toBe(1)
    expect(r.outputs['deployment-status']).toBe('Failed')
    expect(json(r.outputs['failed-instances'])).toEqual([
      expect.objectContaining({
        lifecycleEvent: 'ApplicationStart',
        errorCode: 'UnknownError',
        script: 'scripts/start.sh',
        message: MESSAGE,
        // The catalogue's fix: the output redirected, the list form grouped.
        advice: expect.stringContaining('cd dir && { cmd > /dev/null 2>&1 < /dev/null & }')
      })
    ])
    // Warned before the upload, on the line.
    expect(r.stdout).toMatch(
      /::warning[^\n]*line=3[^\n]*sends the whole list to the background, not only its last command/
    )
    const failure = r.errors.at(-1) ?? ''
    expect(failure).toContain("Fix: Redirect the background command's output and input")
    expect(
      r.errors.some((e) =>
        e.includes('The action warned about scripts/start.sh line 3 before the upload.')
      )
    ).toBe(true)
    expect(
      r.errors.some((e) =>
        e.includes(
          "scripts/start.sh returned, but a process it started in the background still held the hook's STDOUT"
        )
      )
    ).toBe(true)
    expect(r.summary).toContain('How to fix')
    const out = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }))
    const events: LifecycleEvent[] =
      out.deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents ?? []
    const start = events.find((e) => e.lifecycleEventName === 'ApplicationStart')
    expect(start?.status).toBe('Failed')
    expect(start?.diagnostics).toEqual({
      errorCode: 'UnknownError',
      scriptName: 'scripts/start.sh',
      message: MESSAGE,
      logTail:
        'LifecycleEvent - ApplicationStart\nScript - scripts/start.sh\n[stdout]starting the app\n'
    })
    // Nothing was signalled: the background sleep still runs on the instance.
    expect((await hookProcesses(instance)).some((p) => p.endsWith(' sleep 30 '))).toBe(true)
  } finally {
    await killHookProcesses(instance)
  }
}

// The real agent starts Ruby afresh for each deployment: tens of seconds on a loaded machine.
const ONE_DEPLOYMENT_MS = 200_000

const noRealAgent = !process.env.TESTBED_AGENT_RUNNER
if (noRealAgent)
  process.stderr.write(
    'real CodeDeploy agent not available (set CODEDEPLOY_LOCAL_RUNNER or provide ../shared/tools/codedeploy-agent): skipping outputs-left-open through the real agent\n'
  )

describe('a start script whose background process keeps its stdout open', () => {
  it(
    'fails ApplicationStart with UnknownError "failed to close STDOUT" through the emulated agent',
    () => check('emulated'),
    ONE_DEPLOYMENT_MS
  )

  it(
    'fails ApplicationStart with UnknownError "failed to close STDOUT" on a shared instance',
    () => check('shared'),
    ONE_DEPLOYMENT_MS
  )

  ;(noRealAgent ? it.skip : it)(
    'fails ApplicationStart with UnknownError "failed to close STDOUT" through the real agent',
    () => check('real'),
    ONE_DEPLOYMENT_MS
  )
})
