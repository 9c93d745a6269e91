// What the blue/green e2e suites share: a workspace holding the web revision, a run of dist/
// against one of the suite's groups, a v1 put in place first, and what the listener serves now.
import { ContinueDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { suiteTempDir } from '../temp-dir.js'
import type { BlueGreenSuite } from '../testbed/blue-green-suite.js'
import { deploy } from '../testbed/traffic.js'
import { webApp } from '../testbed/web-app.js'
import { bed, settled } from '../support/bed.js'
import { deployOnBed } from '../support/runs.js'
import { runAction, type ActionRun, type RunOptions } from './harness.js'
import { writeTree } from '../support/fixtures.js'

const b = bed()

export interface FailedInstanceOutput {
  instanceId: string
  label?: string
  lifecycleEvent: string
  errorCode: string
  message: string
  explanation?: string
}

/** A workspace whose `deploy` folder is the web revision (web-app.ts). */
export function webWorkspace(
  version: string,
  health = 200,
  extraHooks = '',
  extraFiles: Record<string, string> = {}
): string {
  const ws = suiteTempDir('bg-ws-')
  const files = {
    ...Object.fromEntries(
      Object.entries(webApp(version, health, extraHooks)).map(([k, v]) => [`deploy/${k}`, v])
    ),
    ...extraFiles
  }
  const executable = (f: string): boolean => /\.(sh|py)$/.test(f) && !f.startsWith('deploy/app/')
  return writeTree(ws, files, (f) => (executable(f) ? 0o755 : 0o644))
}

/** dist/index.js on one of the suite's deployment groups. */
export function action(
  s: BlueGreenSuite,
  group: string,
  workspace: string,
  inputs: Record<string, string> = {},
  extra: Partial<RunOptions> = {}
): Promise<ActionRun> {
  return deployOnBed(
    s.b,
    s.app,
    workspace,
    { 'deployment-group': group, 'wait-timeout': '3', ...inputs },
    { timeoutMs: 200_000, ...extra }
  )
}

/** Deploys `version` to the group through the SDK and sees it to Succeeded, continuing any wait. */
export async function seed(s: BlueGreenSuite, group: string, version: string): Promise<void> {
  const id = await deploy(s.b, s.cd, s.app, group, webApp(version))
  for (let i = 0; i < 20; i++) {
    const d = await settled(
      s.cd,
      id,
      90_000,
      (x) => x.status === 'Ready' || x.instanceTerminationWaitTimeStarted === true
    )
    if (d.status === 'Succeeded') return
    if (d.status === 'Failed' || d.status === 'Stopped')
      throw new Error(`seeding ${group} with ${version}: ${id} ${d.status}`)
    const deploymentWaitType = d.status === 'Ready' ? 'READY_WAIT' : 'TERMINATION_WAIT'
    await s.cd
      .send(new ContinueDeploymentCommand({ deploymentId: id, deploymentWaitType }))
      .catch(() => undefined)
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`seeding ${group} with ${version}: ${id} did not end`)
}

/** The versions the listener answers with over a few requests (deduplicated, in order). */
export async function currentVersions(url: string, requests = 6): Promise<string[]> {
  const seen: string[] = []
  for (let i = 0; i < requests; i++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
    const v = (await res.text()).trim()
    if (!seen.includes(v)) seen.push(v)
  }
  return seen
}

/** The post step, as the runner starts it after the job, with the state main saved. */
export function postStep(state: Record<string, string>): Promise<ActionRun> {
  return runAction({
    workspace: suiteTempDir('bg-post-'),
    inputs: {},
    env: b.env,
    state: { ...state, 'is-post': 'true' },
    timeoutMs: 150_000
  })
}
