// The first line of many tutorials' appspecs, `source: .` (and `./`), deployed end to end: dist/
// under Node 24 uploads the bundle and the instance installs the whole of it in the destination,
// through the bed's emulated agent and through the real agent (1.8.1, local mode) when the bed
// found its runner. ValidateService proves it on the instance, in the same deployment.
import { describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  ListDeploymentTargetsCommand
} from '@aws-sdk/client-codedeploy'
import { bed, codedeploy } from '../support/bed.js'
import type { ActionRun } from './harness.js'
import { deployOnBed } from '../support/runs.js'
import { writeTree } from '../support/fixtures.js'
import { suiteTempDir } from '../temp-dir.js'

const APP = 'e2e-source-forms'
const DEST = `/opt/${APP}`

/** A bundle whose appspec copies `source` (written as is, unquoted) to DEST. */
function workspace(source: string, real: boolean): string {
  const ws = suiteTempDir(`${APP}-`)
  const token = `${Math.random()}`
  writeTree(ws, {
    'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: ${source}
    destination: ${DEST}
hooks:
  ValidateService:
    - location: scripts/validate.sh
      timeout: 30
`,
    'deploy/app/index.html': `${token}\n`,
    // Everything of the bundle is in DEST: the app, the appspec and the scripts themselves.
    'deploy/scripts/validate.sh': `#!/bin/bash
set -e
test "$(cat ${DEST}/app/index.html)" = "${token}"
test -f ${DEST}/appspec.yml
test -x ${DEST}/scripts/validate.sh
${real ? 'case "$DEPLOYMENT_ID" in *-local) ;; *) echo "not the real agent" >&2; exit 7 ;; esac\n' : ''}echo "the whole bundle is in ${DEST}"
`
  })
  return ws
}

const deploy = (group: string, ws: string): Promise<ActionRun> =>
  deployOnBed(bed(), APP, ws, { 'deployment-group': group }, { timeoutMs: 150_000 })

/** The run succeeded, and the instance's ValidateService found the whole bundle in DEST. */
async function expectDeployed(r: ActionRun): Promise<void> {
  expect(r.errors).toEqual([])
  expect(r.code).toBe(0)
  expect(r.outputs['deployment-status']).toBe('Succeeded')
  const cd = codedeploy(bed())
  const deploymentId = r.outputs['deployment-id']
  const targetIds = (await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))).targetIds
  const out = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }))
  const events = out.deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents ?? []
  const validate = events.find((e) => e.lifecycleEventName === 'ValidateService')
  expect(validate?.status).toBe('Succeeded')
  expect(validate?.diagnostics?.logTail).toContain(`the whole bundle is in ${DEST}`)
}

// The real agent starts Ruby afresh for each deployment: two in a row take tens of seconds on a
// loaded machine, bounded by `wait-timeout` each.
const TWO_DEPLOYMENTS_MS = 320_000

const noRealAgent = !process.env.TESTBED_AGENT_RUNNER
if (noRealAgent)
  process.stderr.write(
    'real CodeDeploy agent not available (set CODEDEPLOY_LOCAL_RUNNER or provide ../shared/tools/codedeploy-agent): skipping source-forms through the real agent\n'
  )

describe('`source: .` and `source: ./` deploy the whole bundle', () => {
  it(
    'through the emulated agent',
    async () => {
      for (const source of ['.', './'])
        await expectDeployed(await deploy('emulated', workspace(source, false)))
    },
    TWO_DEPLOYMENTS_MS
  )

  ;(noRealAgent ? it.skip : it)(
    'through the real agent',
    async () => {
      for (const source of ['.', './'])
        await expectDeployed(await deploy('real', workspace(source, true)))
    },
    TWO_DEPLOYMENTS_MS
  )
})
