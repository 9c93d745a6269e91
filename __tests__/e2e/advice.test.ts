// The failures users meet most, made to happen on the bed and deployed by dist/ under Node 24:
// each run's failure line, annotations, outputs and job summary end with the catalogue's fix.
// Instance failures run through the emulated agent and, when the bed found it, the real agent
// 1.8.1 (fleet.yml's e2e-advice groups `*-real` say `agent: auto`), which must say the same words.
import { describe, expect, it } from '@jest/globals'
import { bed, setFaults } from '../support/bed.js'
import type { ActionRun } from './harness.js'
import { deployOnBed, json } from '../support/runs.js'
import { writeTree, type Tree } from '../support/fixtures.js'
import { suiteTempDir } from '../temp-dir.js'

const APP = 'e2e-advice'
const AGENTS = ['emulated', 'real'] as const
type Agent = (typeof AGENTS)[number]

const noRealAgent = !process.env.TESTBED_AGENT_RUNNER
if (noRealAgent)
  process.stderr.write(
    'real CodeDeploy agent not available (set CODEDEPLOY_LOCAL_RUNNER or provide ../shared/tools/codedeploy-agent): the advice scenarios run through the emulated agent only\n'
  )
const agents: readonly Agent[] = noRealAgent ? ['emulated'] : AGENTS

interface FailedInstanceOut {
  instanceId: string
  lifecycleEvent: string
  errorCode: string
  message: string
  advice: string
}
interface DeploymentOut {
  id: string
  status: string
  advice: string
}

function workspace(files: Tree): string {
  const ws = suiteTempDir(`${APP}-`)
  writeTree(ws, files)
  return ws
}

/** An appspec with nothing to install or run: for failures that come before any instance work. */
const bare = (): string => workspace({ 'deploy/appspec.yml': 'version: 0.0\nos: linux\n' })

/** A bundle whose only hook is ValidateService running `script` (as written: CRLF kept). */
const validating = (script: string): string =>
  workspace({
    'deploy/appspec.yml': `version: 0.0
os: linux
hooks:
  ValidateService:
    - location: scripts/validate.sh
      timeout: 30
`,
    'deploy/scripts/validate.sh': script
  })

const deploy = (group: string, ws: string, inputs: Record<string, string> = {}) =>
  deployOnBed(bed(), APP, ws, { 'deployment-group': group, ...inputs }, { timeoutMs: 200_000 })

/** The step failed; its last error line is the failure line. */
function failureLine(r: ActionRun): string {
  expect(r.code).toBe(1)
  return r.errors.at(-1) ?? ''
}

const failedInstances = (r: ActionRun) => json<FailedInstanceOut[]>(r.outputs['failed-instances'])
const deployments = (r: ActionRun) => json<DeploymentOut[]>(r.outputs['deployments'])

// A real-agent deployment starts Ruby afresh: tens of seconds each on a loaded machine.
const ONE_MS = 240_000
const THREE_MS = 600_000

describe.each(agents)(
  'instance failures through the %s agent, each ending with its fix',
  (agent) => {
    it(
      'Install: a file a hook left in a destination',
      async () => {
        const dest = `/opt/${APP}-exists-${agent}`
        const r = await deploy(
          `exists-${agent}`,
          workspace({
            'deploy/appspec.yml': `version: 0.0
os: linux
files:
  - source: app/conflict.txt
    destination: ${dest}
hooks:
  BeforeInstall:
    - location: scripts/leave-a-file.sh
      timeout: 30
`,
            'deploy/app/conflict.txt': 'from the bundle\n',
            'deploy/scripts/leave-a-file.sh': `#!/bin/bash\nmkdir -p ${dest}\necho "left by a hook" > ${dest}/conflict.txt\n`
          })
        )
        const line = failureLine(r)
        const [f] = failedInstances(r)
        expect(f).toMatchObject({
          lifecycleEvent: 'Install',
          message: `The deployment failed because a specified file already exists at this location: ${dest}/conflict.txt`
        })
        expect(f!.advice).toBe(
          `Set file-exists-behavior: OVERWRITE (or RETAIN to keep the instance's copy), or remove ${dest}/conflict.txt in a BeforeInstall script.`
        )
        expect(line).toContain(`Fix: ${f!.advice}`)
        expect(
          r.errors.some((e) => e.includes(`${dest}/conflict.txt was already on the instance`))
        ).toBe(true)
        expect(r.summary).toContain('How to fix')
      },
      ONE_MS
    )

    it(
      "ApplicationStop: the last successful revision's broken script, named, then got past with ignore-application-stop-failures",
      async () => {
        const files = (stop: string): Tree => ({
          'deploy/appspec.yml': `version: 0.0
os: linux
hooks:
  ApplicationStop:
    - location: scripts/stop.sh
      timeout: 30
`,
          'deploy/scripts/stop.sh': `#!/bin/bash\n${stop}\n`
        })
        const group = `stop-${agent}`
        // The first revision ships a broken stop script; its own ApplicationStop does not run it.
        const first = await deploy(group, workspace(files('echo "broken"; exit 3')))
        expect(first.errors).toEqual([])
        expect(first.outputs['deployment-status']).toBe('Succeeded')
        // The fix is in the next commit, but the agent runs the first revision's script.
        const fixed = workspace(files('echo "stopped"'))
        const second = await deploy(group, fixed)
        const line = failureLine(second)
        const [f] = failedInstances(second)
        expect(f).toMatchObject({ lifecycleEvent: 'ApplicationStop', errorCode: 'ScriptFailed' })
        // The annotation says why: the script that ran is the first revision's, named from CodeDeploy.
        const why = `ApplicationStop runs the scripts of the revision of deployment ${first.outputs['deployment-id']}, the group's last success (${first.outputs['bundle-uri']}`
        expect(second.errors.some((e) => e.includes(why))).toBe(true)
        expect(line).toContain(
          'Fix: Deploy once with ignore-application-stop-failures: true, with scripts/stop.sh fixed in this commit'
        )
        // The advice works: once past it, the fixed script is the one that runs next time.
        const third = await deploy(group, fixed, { 'ignore-application-stop-failures': 'true' })
        expect(third.errors).toEqual([])
        expect(third.outputs['deployment-status']).toBe('Succeeded')
      },
      THREE_MS
    )

    it(
      'ValidateService: exit 127, the command named',
      async () => {
        const r = await deploy(
          `exit-${agent}`,
          validating('#!/bin/bash\necho "checking"\nnot-a-command-xyz --health\n')
        )
        const line = failureLine(r)
        const [f] = failedInstances(r)
        expect(f).toMatchObject({
          lifecycleEvent: 'ValidateService',
          errorCode: 'ScriptFailed',
          message: 'Script at specified location: scripts/validate.sh failed with exit code 127'
        })
        expect(f!.advice).toContain('Call not-a-command-xyz by its full path')
        expect(line).toContain('Fix: Call not-a-command-xyz by its full path')
        expect(r.errors.some((e) => e.includes('`not-a-command-xyz` was not found'))).toBe(true)
      },
      ONE_MS
    )

    it(
      'ValidateService: exit 126, a file that is not executable',
      async () => {
        const r = await deploy(
          `exec-${agent}`,
          validating(
            '#!/bin/bash\nf=$(mktemp)\necho "echo hi" > "$f"\n"$f"\ns=$?\nrm -f "$f"\nexit $s\n'
          )
        )
        const line = failureLine(r)
        const [f] = failedInstances(r)
        expect(f!.message).toBe(
          'Script at specified location: scripts/validate.sh failed with exit code 126'
        )
        expect(f!.advice).toContain('git update-index --chmod=+x')
        expect(line).toContain('Fix: Commit the execute bit')
        expect(
          r.errors.some((e) => /\/tmp\/tmp\.\w+ was found but could not be executed/.test(e))
        ).toBe(true)
      },
      ONE_MS
    )

    it(
      'ValidateService: CRLF line endings, warned before the upload and explained after',
      async () => {
        const r = await deploy(
          `crlf-${agent}`,
          validating('#!/bin/bash\necho "checking"\r\nls /opt/e2e-advice-nothing-here\r\n')
        )
        // Before the upload: the script check's warning (line 2, the first CRLF).
        expect(r.stdout).toMatch(/::warning[^\n]*line=2[^\n]*has Windows \(CRLF\) line endings/)
        const line = failureLine(r)
        const [f] = failedInstances(r)
        expect(f!.message).toBe(
          'Script at specified location: scripts/validate.sh failed with exit code 2'
        )
        expect(f!.advice).toContain('*.sh text eol=lf')
        expect(line).toContain('Fix: Add `*.sh text eol=lf` to .gitattributes')
      },
      ONE_MS
    )
  }
)

describe('deployment failures, with the numbers CodeDeploy has', () => {
  it(
    "HEALTH_CONSTRAINTS: the configuration, the group and the failures, then the first cause's fix",
    async () => {
      const r = await deploy('health', validating('#!/bin/bash\nnot-a-command-xyz\n'))
      const line = failureLine(r)
      expect(line).toContain('HEALTH_CONSTRAINTS')
      expect(line).toContain(
        "CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 1 of the group's 2 instances healthy; 1 failed, so the other 1 instance could not be taken offline without going below it."
      )
      expect(line).toContain('Fix: Call not-a-command-xyz by its full path')
      const [d] = deployments(r)
      expect(d!.advice).toMatch(/^CodeDeployDefault\.HalfAtATime .* Fix: Call not-a-command-xyz/)
      expect(r.summary).toContain('**How to fix:** Call not-a-command-xyz by its full path')
    },
    ONE_MS
  )

  it(
    'HEALTH_CONSTRAINTS_INVALID: the configuration asks for all of a one-instance group',
    async () => {
      const r = await deploy('invalid', bare())
      const line = failureLine(r)
      expect(line).toContain('HEALTH_CONSTRAINTS_INVALID')
      expect(line).toContain(
        'CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 1 healthy instance throughout the deployment, and the group has 1: CodeDeploy cannot take even one offline.'
      )
      expect(line).toContain(
        'Fix: Add instances to the group, or set deployment-config to one that fits 1 instance: CodeDeployDefault.OneAtATime, CodeDeployDefault.AllAtOnce.'
      )
      expect(deployments(r)[0]!.advice).toContain('HalfAtATime')
    },
    ONE_MS
  )

  it(
    'NO_INSTANCES: what the group matches',
    async () => {
      const r = await deploy('none', bare())
      const line = failureLine(r)
      expect(line).toContain('NO_INSTANCES')
      expect(line).toContain("Deployment group 'none' matched no running instance in")
      expect(line).toContain('Fix: Check that running instances carry exactly those tags')
      expect(deployments(r)[0]!.advice).toContain('matched no running instance')
      expect(failedInstances(r)).toEqual([])
    },
    ONE_MS
  )
})

describe('failures the bed makes with its faults, one after another', () => {
  const app = `${APP}-faults`
  const run = (ws: string) => deployOnBed(bed(), app, ws, {}, { timeoutMs: 200_000 })
  const ws = bare

  it(
    'DownloadBundle refused to the instance profile; the service role missing; an alarm in ALARM',
    async () => {
      try {
        await setFaults(bed(), { bundleAccessDenied: true }, app)
        const denied = await run(ws())
        failureLine(denied)
        const [f] = failedInstances(denied)
        expect(f).toMatchObject({ lifecycleEvent: 'DownloadBundle', errorCode: 'UnknownError' })
        expect(f!.message).toContain('is not authorized to perform: s3:GetObject')
        expect(f!.advice).toContain(
          `Allow the instance profile s3:GetObject and s3:GetObjectVersion on ${denied.outputs['bundle-uri']}`
        )

        await setFaults(bed(), { serviceRole: { problem: 'missing' } }, app)
        const role = await run(ws())
        const roleLine = failureLine(role)
        expect(roleLine).toContain('IAM_ROLE_MISSING')
        expect(roleLine).toContain(
          "Deployment group 'fleet' has no service role CodeDeploy can use"
        )
        expect(roleLine).toContain('AWSCodeDeployRole')

        await setFaults(bed(), { activeAlarms: { alarms: ['e2e-advice-5xx'] } }, app)
        const alarm = await run(ws())
        const alarmLine = failureLine(alarm)
        expect(alarm.outputs['deployment-status']).toBe('Stopped')
        expect(alarmLine).toContain('ALARM_ACTIVE')
        expect(alarmLine).toContain(
          "A CloudWatch alarm of the group's alarm configuration was in ALARM: one of e2e-advice-5xx."
        )
        expect(alarmLine).toContain('Fix: Check e2e-advice-5xx in CloudWatch')
      } finally {
        await setFaults(bed(), {}, app)
      }
    },
    THREE_MS
  )
})
