import { CreateDeploymentCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { describe, expect, it } from '@jest/globals'
import { MemoryLogger } from '../../src/common/log.js'
import type { DeploySettings } from '../../src/settings/settings.js'
import { deployToGroups } from '../../src/deploy/run-deployments.js'
import {
  awsError,
  FakeClock,
  FakeCodeDeploy,
  REVISION,
  testSettings,
  type DeploymentPlan
} from './fake-codedeploy.js'

function setup(over: Partial<DeploySettings> = {}) {
  const clock = new FakeClock()
  const cd = new FakeCodeDeploy(clock)
  const log = new MemoryLogger()
  const created: [string, string, number][] = []
  const controller = new AbortController()
  const run = () =>
    deployToGroups({
      settings: testSettings(over),
      revision: REVISION,
      region: 'eu-west-1',
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      signal: controller.signal,
      onCreated: (group, id) => created.push([group, id, cd.count('GetDeployment')]),
      random: () => 0.5
    })
  return { clock, cd, log, created, controller, run }
}

const hookFailure = {
  event: 'ValidateService',
  errorCode: 'ScriptFailed',
  script: 'scripts/validate.sh',
  message: 'Script at specified location: scripts/validate.sh failed with exit code 1',
  logTail:
    '[stdout]checking http://localhost:8080/health\n[stderr]curl: (7) Failed to connect\n::error::injected by the script'
}

describe('deployToGroups', () => {
  it('creates, follows and reports a successful two-instance deployment', async () => {
    const { cd, log, created, clock, run } = setup()
    const result = await run()

    expect(result.ok).toBe(true)
    const [g] = result.groups
    expect(g).toMatchObject({
      group: 'blue',
      status: 'Succeeded',
      outcome: 'succeeded',
      failedInstances: []
    })
    expect(g!.url).toBe(
      `https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${g!.id}?region=eu-west-1`
    )
    // The id is handed over before the first GetDeployment.
    expect(created).toEqual([['blue', g!.id, 0]])
    const text = log.text()
    expect(text).toContain(`Created deployment ${g!.id} for group 'blue': ${g!.url}`)
    expect(text).toContain(`${g!.id}: Created`)
    expect(text).toContain(`${g!.id}: InProgress (was Created)`)
    expect(text).toContain(`${g!.id} i-0001: BeforeInstall`)
    expect(text).toContain(`${g!.id} i-0002: Succeeded`)
    expect(text).toMatch(new RegExp(`Deployment ${g!.id} to 'blue' succeeded in 14s`))
    // Noticed the end promptly.
    expect(clock.t - cd.completeTimeOf(g!.id)).toBeLessThanOrEqual(3000)
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
    expect(g!.instances.map((i) => [i.instanceId, i.status, i.events.length])).toEqual([
      ['i-0001', 'Succeeded', 7],
      ['i-0002', 'Succeeded', 7]
    ])
  })

  it('prints a line only when something changed, not on every poll', async () => {
    const { cd, log, run } = setup()
    cd.nextPlans = [{ instances: [{ id: 'i-0001', eventMs: 60_000 }] }]
    await run()
    const lines = log.lines.filter((l) => l.level === 'info').map((l) => l.message)
    // 7 hooks of a minute each: ~200 polls, a line per event change.
    expect(cd.count('GetDeployment')).toBeGreaterThan(150)
    expect(lines.length).toBeLessThan(20)
    expect(new Set(lines).size).toBe(lines.length)
  })

  it('explains a hook failure per instance: group, log tail, one annotation, failedInstances', async () => {
    const { cd, log, run } = setup()
    cd.nextPlans = [{ instances: [{ id: 'i-0001' }, { id: 'i-0002', failAt: hookFailure }] }]
    const result = await run()

    expect(result.ok).toBe(false)
    const [g] = result.groups
    expect(g!.outcome).toBe('failed')
    expect(g!.status).toBe('Failed')
    expect(g!.failedInstances).toEqual([
      {
        instanceId: 'i-0002',
        lifecycleEvent: 'ValidateService',
        errorCode: 'ScriptFailed',
        script: 'scripts/validate.sh',
        message: hookFailure.message,
        logTail: hookFailure.logTail
      }
    ])
    const groupAt = log.lines.findIndex((l) => l.level === 'group')
    expect(log.lines[groupAt]!.message).toBe('i-0002: ValidateService (ScriptFailed)')
    const inGroup = log.lines
      .slice(
        groupAt + 1,
        log.lines.findIndex((l) => l.level === 'endgroup')
      )
      .map((l) => l.message)
    expect(inGroup.join('\n')).toContain('Script: scripts/validate.sh')
    expect(inGroup.join('\n')).toContain('| [stderr]curl: (7) Failed to connect')
    // Script output can never issue a workflow command: every line is prefixed.
    expect(
      inGroup
        .join('\n')
        .split('\n')
        .some((l) => l.trimStart().startsWith('::'))
    ).toBe(false)
    const errors = log.lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toBe(
      'ValidateService failed on instance (i-0002): ScriptFailed in scripts/validate.sh: Script at specified location: scripts/validate.sh failed with exit code 1'
    )
    expect(log.text()).toContain(`Deployment ${g!.id} Failed: HOOK_EXECUTION_FAILURE`)
    expect(log.text()).toContain(`Console: ${g!.url}`)
    expect(result.error?.describe()).toContain(
      `Deployment ${g!.id} to 'blue' failed: HOOK_EXECUTION_FAILURE`
    )
    expect(result.error?.describe()).toContain(
      'first cause: ValidateService ScriptFailed in scripts/validate.sh'
    )
  })

  it('deploys groups in order and does not attempt the next after a failure', async () => {
    const { cd, log, created, run } = setup({ deploymentGroups: ['blue', 'green', 'staging'] })
    cd.nextPlans = [
      { instances: [{ id: 'i-1' }] },
      { instances: [{ id: 'i-2', failAt: hookFailure }] },
      { instances: [{ id: 'i-3' }] }
    ]
    const result = await run()

    expect(result.groups.map((g) => [g.group, g.outcome])).toEqual([
      ['blue', 'succeeded'],
      ['green', 'failed'],
      ['staging', 'not-attempted']
    ])
    expect(cd.count('CreateDeployment')).toBe(2)
    expect(created.map((c) => c[0])).toEqual(['blue', 'green'])
    expect(result.groups[2]).toMatchObject({ id: '', status: '', url: '' })
    expect(result.error?.describe()).toContain("to 'green' failed")
    expect(log.text()).toContain(
      "Not deploying to 'staging': the deployment to 'green' did not succeed."
    )
  })

  it('deploys every group when all succeed', async () => {
    const { cd, run } = setup({ deploymentGroups: ['blue', 'green'] })
    const result = await run()
    expect(result.ok).toBe(true)
    expect(result.groups.map((g) => g.outcome)).toEqual(['succeeded', 'succeeded'])
    expect(
      cd.mock.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input.deploymentGroupName)
    ).toEqual(['blue', 'green'])
  })

  it('wait: false creates the deployment and returns at once with status Created', async () => {
    const { cd, run } = setup({ wait: false, deploymentGroups: ['blue', 'green'] })
    const result = await run()
    expect(result.ok).toBe(true)
    expect(result.groups.map((g) => [g.outcome, g.status])).toEqual([
      ['created', 'Created'],
      ['created', 'Created']
    ])
    expect(cd.count('GetDeployment')).toBe(0)
  })

  it('on-timeout: fail leaves the deployment running and says so', async () => {
    const { cd, clock, run } = setup({ waitTimeoutMinutes: 1 })
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    const result = await run()
    const [g] = result.groups
    expect(g).toMatchObject({ outcome: 'timed-out', status: 'InProgress' })
    expect(cd.count('StopDeployment')).toBe(0)
    expect(clock.elapsed()).toBeLessThanOrEqual(61_000)
    expect(result.error?.describe()).toBe(
      `Deployment ${g!.id} to 'blue' did not finish within wait-timeout (1 minute); it is still running (status InProgress). Follow it in the console (${g!.url}); raise wait-timeout, or set on-timeout: stop to stop it instead.`
    )
  })

  it('on-timeout: stop calls StopDeployment and reports Stopped', async () => {
    const { cd, log, run } = setup({ waitTimeoutMinutes: 1, onTimeout: 'stop' })
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    const result = await run()
    const [g] = result.groups
    expect(cd.mock.commandCalls(StopDeploymentCommand)[0]!.args[0].input).toEqual({
      deploymentId: g!.id,
      autoRollbackEnabled: false
    })
    expect(g).toMatchObject({ outcome: 'timed-out', status: 'Stopped' })
    expect(log.text()).toContain('stopping it (on-timeout: stop)')
    expect(result.error?.describe()).toContain(
      'did not finish within wait-timeout (1 minute) and was stopped (status Stopped)'
    )
  })

  it('on-timeout: stop with auto-rollback rolls back and reports the rollback id', async () => {
    const { cd, run } = setup({ waitTimeoutMinutes: 1, onTimeout: 'stop', autoRollback: true })
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    const result = await run()
    const [g] = result.groups
    expect(cd.mock.commandCalls(StopDeploymentCommand)[0]!.args[0].input.autoRollbackEnabled).toBe(
      true
    )
    expect(g!.rollbackId).toMatch(/^d-/)
    expect(result.error?.describe()).toContain(`CodeDeploy started rollback ${g!.rollbackId}`)
  })

  it('stops the deployment when the workflow is cancelled mid-wait', async () => {
    const { cd, clock, controller, log, run } = setup()
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    clock.at(20_000, () => controller.abort())
    const result = await run()
    const [g] = result.groups
    expect(cd.count('StopDeployment')).toBe(1)
    expect(g).toMatchObject({ outcome: 'cancelled', status: 'Stopped' })
    expect(clock.elapsed()).toBeLessThan(20_000 + 7_500)
    expect(log.text()).toContain(`The workflow was cancelled: stopping deployment ${g!.id}.`)
    expect(result.error?.describe()).toContain('it was stopped (status Stopped)')
  })

  it('leaves the deployment running on cancel when stop-on-cancel is false', async () => {
    const { cd, clock, controller, run } = setup({ stopOnCancel: false })
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    clock.at(20_000, () => controller.abort())
    const result = await run()
    expect(cd.count('StopDeployment')).toBe(0)
    expect(result.groups[0]!.outcome).toBe('cancelled')
    expect(result.error?.describe()).toContain('it was left running')
  })

  it('treats Stopped as terminal (someone stopped it in the console)', async () => {
    const { cd, clock, run } = setup()
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 60_000 }] }]
    clock.at(30_000, () => {
      const d = [...cd.deployments.values()][0]!
      d.stoppedAt = clock.t
    })
    const result = await run()
    expect(result.groups[0]).toMatchObject({ outcome: 'stopped', status: 'Stopped' })
    expect(clock.elapsed()).toBeLessThan(40_000)
    expect(result.error?.describe()).toContain('was stopped: MANUAL_STOP')
  })

  it('follows an automatic rollback to its end and reports it', async () => {
    const { cd, log, run } = setup()
    const plan: DeploymentPlan = {
      instances: [{ id: 'i-1', failAt: hookFailure }],
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      rollbackAppearsMs: 5000
    }
    cd.nextPlans = [plan]
    const result = await run()
    const [g] = result.groups
    expect(g!.rollbackId).toMatch(/^d-/)
    expect(g!.rollbackStatus).toBe('Succeeded')
    expect(g!.rollbackUrl).toContain(g!.rollbackId)
    const text = log.text()
    expect(text).toContain(
      `CodeDeploy is rolling back: deployment ${g!.rollbackId} returns the instances to the last successful revision.`
    )
    expect(text).toContain(`${g!.rollbackId}: Succeeded`)
    expect(text).toContain(`Rollback ${g!.rollbackId} succeeded`)
    expect(result.error?.describe()).toContain(
      `CodeDeploy rolled back (${g!.rollbackId} succeeded)`
    )
  })

  it('says when auto-rollback is on but no rollback came', async () => {
    const { cd, log, run } = setup()
    cd.nextPlans = [
      {
        instances: [{ id: 'i-1', failAt: hookFailure }],
        autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        rollbackAppearsMs: 10 ** 9
      }
    ]
    const result = await run()
    expect(result.groups[0]!.rollbackId).toBeUndefined()
    expect(log.text()).toContain('Auto-rollback is enabled, but CodeDeploy started no rollback')
  })

  it('survives a throttling storm on GetDeployment, backing off', async () => {
    const { cd, clock, log, run } = setup()
    cd.nextPlans = [{ instances: [{ id: 'i-1', eventMs: 20_000 }] }]
    cd.fault = (name, t) =>
      name === 'GetDeployment' && t > 5000 && t < 95_000
        ? awsError('ThrottlingException', 'Rate exceeded')
        : undefined
    const result = await run()
    expect(result.groups[0]!.outcome).toBe('succeeded')
    // 90 s of throttling met with growing pauses, not a call a second.
    const throttledCalls = cd.count('GetDeployment') - 0
    expect(throttledCalls).toBeLessThan(40)
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(15_000)
    expect(log.lines.filter((l) => l.level === 'error' || l.level === 'warning')).toEqual([])
  })

  it('survives a few transient 5xx and network errors in a row', async () => {
    const { cd, run } = setup()
    let n = 0
    cd.fault = (name, t) => {
      if (name !== 'GetDeployment' || t < 4000 || n >= 4) return undefined
      n++
      return n % 2
        ? awsError('InternalFailure', 'internal error', 500)
        : Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    }
    const result = await run()
    expect(n).toBe(4)
    expect(result.groups[0]!.outcome).toBe('succeeded')
  })

  it('gives up clearly when CodeDeploy keeps failing', async () => {
    const { cd, run } = setup()
    cd.fault = (name, t) =>
      name === 'GetDeployment' && t > 4000
        ? awsError('ServiceUnavailableException', 'Service unavailable', 503)
        : undefined
    const result = await run()
    const [g] = result.groups
    expect(g!.outcome).toBe('failed')
    expect(g!.id).toMatch(/^d-/)
    const msg = result.error?.describe() ?? ''
    expect(msg).toContain(
      'GetDeployment failed: ServiceUnavailableException: 10 calls in a row failed'
    )
    expect(msg).toContain(`Deployment ${g!.id} may still be running: follow it in the console.`)
    expect(cd.count('GetDeployment')).toBeLessThan(20)
  })

  it('queues behind an active deployment found by ListDeployments, then deploys', async () => {
    const { cd, clock, log, run } = setup()
    const active = cd.addDeployment('blue', { instances: [{ id: 'i-9' }] })
    const result = await run()
    expect(result.groups[0]!.outcome).toBe('succeeded')
    expect(log.text()).toContain(
      `Deployment group 'blue' is busy with deployment ${active}; waiting for it to end before deploying.`
    )
    expect(log.text()).toContain(`Deployment ${active} ended (Succeeded); deploying to 'blue' now.`)
    const createdAt = cd.deployments.get(result.groups[0]!.id)!.createdAt - clock.start
    expect(createdAt).toBeGreaterThanOrEqual(cd.completeTimeOf(active) - clock.start)
  })

  it('queues behind the deployment DeploymentLimitExceededException names when ListDeployments is denied', async () => {
    const { cd, log, run } = setup()
    cd.listDeploymentsAllowed = false
    const active = cd.addDeployment('blue', { instances: [{ id: 'i-9' }] })
    const result = await run()
    expect(result.groups[0]!.outcome).toBe('succeeded')
    expect(cd.count('CreateDeployment')).toBe(2)
    expect(log.text()).toContain(`is busy with deployment ${active}`)
  })

  it('if-active-deployment: fail fails at once naming the active deployment', async () => {
    const { cd, run } = setup({ ifActiveDeployment: 'fail' })
    const active = cd.addDeployment('blue', { instances: [{ id: 'i-9' }] })
    const result = await run()
    expect(result.groups[0]!.outcome).toBe('failed')
    expect(cd.count('CreateDeployment')).toBe(0)
    expect(result.error?.describe()).toBe(
      `Deployment group 'blue' already has an active deployment, ${active} (https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${active}?region=eu-west-1). Wait for it to end or stop it, or set if-active-deployment: wait to queue behind it.`
    )
  })

  it('times out while queued when the active deployment outlasts wait-timeout', async () => {
    const { cd, run } = setup({ waitTimeoutMinutes: 1 })
    const active = cd.addDeployment('blue', { instances: [{ id: 'i-9', eventMs: 60_000 }] })
    const result = await run()
    expect(result.groups[0]).toMatchObject({ outcome: 'timed-out', id: '' })
    expect(cd.count('CreateDeployment')).toBe(0)
    expect(result.error?.describe()).toContain(
      `still queued behind deployment ${active} when wait-timeout (1 minute) ran out`
    )
  })

  it('reports a missing application with the applications that exist', async () => {
    const { run } = setup({ application: 'my-ap' })
    const result = await run()
    expect(result.groups[0]!.outcome).toBe('failed')
    expect(result.error?.describe()).toBe(
      "CreateDeployment failed: ApplicationDoesNotExistException: No application found for name: my-ap. Application 'my-ap' does not exist in eu-west-1. Applications there: 'my-app', 'other-app'. Check the application input and the region."
    )
  })
})

describe('advice: the failure ends with its fix, read from what CodeDeploy says', () => {
  it('a broken ApplicationStop: the previous revision named from the group, ignore-application-stop-failures as the fix', async () => {
    const { cd, log, run } = setup()
    const previous = cd.addDeployment('blue', { instances: [{ id: 'i-0001' }] }, 'd-PREVIOUS1')
    cd.groupInfo = {
      lastSuccessfulDeployment: { deploymentId: previous, status: 'Succeeded' }
    }
    // The previous deployment's revision, as GetDeployment reports it.
    cd.nextPlans = [
      {
        instances: [
          {
            id: 'i-0001',
            failAt: {
              event: 'ApplicationStop',
              errorCode: 'ScriptFailed',
              script: 'scripts/stop.sh',
              message: 'Script at specified location: scripts/stop.sh failed with exit code 127',
              logTail: '[stderr]scripts/stop.sh: line 2: pm2: command not found'
            }
          }
        ]
      }
    ]
    const result = await run()
    const g = result.groups[0]!
    expect(g.failedInstances[0]!.advice?.rule).toBe('previous-revision-hook')
    expect(g.failedInstances[0]!.advice?.cause).toContain('`pm2` was not found')
    expect(g.failedInstances[0]!.advice?.cause).toContain(
      "ApplicationStop runs the scripts of the revision of deployment d-PREVIOUS1, the group's last success, not this commit's"
    )
    expect(result.error?.fix).toMatch(
      /^Fix: Deploy once with ignore-application-stop-failures: true, with scripts\/stop\.sh fixed in this commit \(Call pm2 by its full path/
    )
    // The annotation ends with the fix too.
    const errors = log.lines.filter((l) => l.level === 'error').map((l) => l.message)
    expect(errors[0]).toContain('Fix: Deploy once with ignore-application-stop-failures: true')
    expect(cd.count('GetDeploymentGroup')).toBe(1)
    expect(cd.count('GetDeploymentConfig')).toBe(0)
  })

  it('HEALTH_CONSTRAINTS: the arithmetic from GetDeploymentConfig and the first cause', async () => {
    const { cd, run } = setup({ deploymentConfig: 'CodeDeployDefault.HalfAtATime' })
    const open = {
      event: 'ApplicationStart',
      errorCode: 'UnknownError',
      script: 'scripts/start.sh',
      message: 'Script at specified location: scripts/start.sh failed to close STDOUT',
      logTail: ''
    }
    cd.nextPlans = [
      {
        instances: [
          { id: 'i-1', failAt: open },
          { id: 'i-2', failAt: open },
          { id: 'i-3' },
          { id: 'i-4' }
        ],
        error: {
          code: 'HEALTH_CONSTRAINTS',
          message:
            'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.'
        }
      }
    ]
    const result = await run()
    const g = result.groups[0]!
    expect(result.error?.message).toContain(
      "2 instances failed, first cause: ApplicationStart UnknownError in scripts/start.sh. CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 2 of the group's 4 instances healthy; 2 failed, so at most 2 could be."
    )
    expect(result.error?.fix).toMatch(/^Fix: Redirect the background command's output/)
    expect(g.advice?.rule).toBe('HEALTH_CONSTRAINTS')
    expect(cd.count('GetDeploymentConfig')).toBe(1)
    // Nothing a rule for this code reads from the group.
    expect(cd.count('GetDeploymentGroup')).toBe(0)
  })

  it('NO_INSTANCES: the tags and Auto Scaling groups the group matches by; a denied read only drops them', async () => {
    const { cd, run } = setup()
    cd.nextPlans = [
      {
        instances: [],
        error: {
          code: 'NO_INSTANCES',
          message:
            'The deployment failed because no instances were found for your deployment group.'
        }
      }
    ]
    cd.groupInfo = {
      ec2TagFilters: [{ Key: 'Name', Value: 'web', Type: 'KEY_AND_VALUE' }],
      autoScalingGroups: [{ name: 'web-asg' }]
    }
    const result = await run()
    expect(result.error?.message).toContain(
      "Deployment group 'blue' matched no running instance in eu-west-1. It matches instances by EC2 tags Name=web; Auto Scaling groups web-asg."
    )
    expect(result.error?.fix).toMatch(/^Fix: Check that running instances carry exactly those tags/)

    const denied = setup()
    denied.cd.nextPlans = cd.nextPlans
    denied.cd.groupInfo = undefined
    const r2 = await denied.run()
    expect(r2.error?.message).toContain(
      "Deployment group 'blue' matched no running instance in eu-west-1."
    )
    expect(r2.error?.message).not.toContain('It matches instances by')
    expect(denied.log.text()).toContain("Could not read deployment group 'blue'")
  })
})

describe('a silent CodeDeploy agent', () => {
  const MIN = 60_000
  const warnings = (log: MemoryLogger) => log.lines.filter((l) => l.level === 'warning')

  it('warn: one annotation naming the silent instance of two, keeps waiting, then explains CodeDeploy own failure', async () => {
    const { cd, clock, log, run } = setup({ waitTimeoutMinutes: 90 })
    cd.nextPlans = [{ instances: [{ id: 'i-1' }, { id: 'i-2', agentSilentMs: Infinity }] }]
    const result = await run()
    const [g] = result.groups

    const w = warnings(log)
    expect(w).toHaveLength(1)
    expect(w[0]!.props?.title).toBe('CodeDeploy agent not responding on 1 instance')
    expect(w[0]!.message).toMatch(
      /^The CodeDeploy agent on 1 instance has not picked up its lifecycle event for over 5 minutes \(agent-silence-timeout\): i-2 waiting for ApplicationStop for 5m \d+s\./
    )
    expect(w[0]!.message).toContain('sudo systemctl status codedeploy-agent')
    // Noticed within a refresh of the 5 minutes, not after CodeDeploy's hour.
    const warnedAt = log.lines.findIndex((l) => l.level === 'warning')
    expect(log.lines.slice(warnedAt + 1).map((l) => l.message)).toContainEqual(
      expect.stringContaining('Still waiting for deployment')
    )
    expect(w[0]!.message).not.toContain('i-1')
    // warn keeps waiting: CodeDeploy fails the instance after its hour.
    expect(cd.count('StopDeployment')).toBe(0)
    expect(clock.elapsed()).toBeGreaterThan(60 * MIN)
    expect(g).toMatchObject({ outcome: 'failed', status: 'Failed' })
    expect(g!.silentAgents?.map((s) => [s.instanceId, s.event])).toEqual([
      ['i-2', 'ApplicationStop']
    ])
    const errors = log.lines.filter((l) => l.level === 'error')
    expect(errors[0]!.message).toContain(
      'ApplicationStop failed on instance (i-2): UnknownError: CodeDeploy agent was not able to receive the lifecycle event.'
    )
    expect(errors[0]!.message).toContain('Check, in order: (1) the agent runs')
    expect(result.error?.message).toContain(
      'No CodeDeploy agent picked up the lifecycle event on that instance.'
    )
    expect(result.error?.fix).toMatch(/^Fix: Check, in order: \(1\) the agent runs/)
  })

  it('fail: stops the deployment once the timeout passes and fails the step with the explanation', async () => {
    const { cd, clock, log, run } = setup({
      onAgentSilence: 'fail',
      agentSilenceTimeoutMinutes: 2.5
    })
    cd.nextPlans = [{ instances: [{ id: 'i-1' }, { id: 'i-2', agentSilentMs: Infinity }] }]
    const result = await run()
    const [g] = result.groups
    const stop = cd.mock.commandCalls(StopDeploymentCommand)
    expect(stop).toHaveLength(1)
    // Honours auto-rollback as on-timeout: stop does (the group's setting: off here).
    expect(stop[0]!.args[0].input).toEqual({ deploymentId: g!.id, autoRollbackEnabled: false })
    // Stopped within a refresh (5 s) of 2.5 minutes after the instance's turn came (2 s after creation).
    expect(clock.elapsed()).toBeLessThan(2.5 * MIN + 2000 + 6000 + 2000)
    expect(g).toMatchObject({ outcome: 'stopped', status: 'Stopped' })
    expect(warnings(log)).toEqual([])
    expect(log.text()).toContain('(on-agent-silence: fail)')
    expect(result.error?.message).toMatch(
      new RegExp(
        `^Deployment ${g!.id} to 'blue' was stopped \\(status Stopped\\): the CodeDeploy agent did not pick up the lifecycle event within agent-silence-timeout \\(2.5 minutes\\) on i-2 waiting for ApplicationStop for 2m \\d+s\\.$`
      )
    )
    expect(result.error?.fix).toContain('Check, in order: (1) the agent runs')
    expect(result.error?.fix).toContain(`Console: ${g!.url}`)
  })

  it('fail with auto-rollback: the stop rolls back', async () => {
    const { cd, run } = setup({ onAgentSilence: 'fail', autoRollback: true })
    cd.nextPlans = [{ instances: [{ id: 'i-1', agentSilentMs: Infinity }] }]
    const result = await run()
    expect(cd.mock.commandCalls(StopDeploymentCommand)[0]!.args[0].input.autoRollbackEnabled).toBe(
      true
    )
    expect(result.error?.message).toContain(
      `CodeDeploy started rollback ${result.groups[0]!.rollbackId}`
    )
  })

  it('OneAtATime with long hooks never warns: waiting for a turn is not silence', async () => {
    const { cd, log, run } = setup({ waitTimeoutMinutes: 90 })
    // Each instance runs 7 hooks of 3 minutes; the next one's turn comes when the previous is done.
    cd.nextPlans = [
      {
        instances: [
          { id: 'i-1', eventMs: 3 * MIN },
          { id: 'i-2', eventMs: 3 * MIN, turnAtMs: 21 * MIN },
          { id: 'i-3', eventMs: 3 * MIN, turnAtMs: 42 * MIN }
        ]
      }
    ]
    const result = await run()
    expect(result.ok).toBe(true)
    expect(warnings(log)).toEqual([])
    expect(result.groups[0]!.silentAgents).toBeUndefined()
  })

  it('every agent silent: one warning naming all; an agent that answers late is reported and the deployment succeeds', async () => {
    const { cd, log, run } = setup()
    cd.nextPlans = [
      {
        instances: [
          { id: 'i-1', agentSilentMs: 7 * MIN },
          { id: 'i-2', agentSilentMs: 7 * MIN }
        ]
      }
    ]
    const result = await run()
    expect(result.ok).toBe(true)
    const w = warnings(log)
    expect(w).toHaveLength(1)
    expect(w[0]!.props?.title).toBe('CodeDeploy agent not responding on 2 instances')
    expect(w[0]!.message).toMatch(/i-1 waiting for ApplicationStop for 5m \d+s; i-2 waiting/)
    expect(log.text()).toMatch(
      /i-1: the CodeDeploy agent picked up ApplicationStop after 7m \d+s\./
    )
    expect(result.groups[0]!.silentAgents).toHaveLength(2)
  })

  it('agent-silence-timeout: 0 turns the watch off', async () => {
    const { cd, log, run } = setup({ agentSilenceTimeoutMinutes: 0, onAgentSilence: 'fail' })
    cd.nextPlans = [{ instances: [{ id: 'i-1', agentSilentMs: 10 * MIN }] }]
    const result = await run()
    expect(result.ok).toBe(true)
    expect(warnings(log)).toEqual([])
    expect(cd.count('StopDeployment')).toBe(0)
  })
})
