// The post step: the backstop that stops a deployment the main step did not see end.
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CodeDeployClient,
  GetDeploymentCommand,
  StopDeploymentCommand
} from '@aws-sdk/client-codedeploy'
import { mockClient } from 'aws-sdk-client-mock'
import { MemoryLogger, type Sleep } from '../src/common/log.js'
import { runPost } from '../src/post.js'
import { MainState, State } from '../src/state-helper.js'
import { awsError } from './deploy/fake-codedeploy.js'

const cd = mockClient(CodeDeployClient)

let log: MemoryLogger
let sleeps: number[]
const sleep: Sleep = (ms) => {
  sleeps.push(ms)
  return Promise.resolve()
}

beforeEach(() => {
  cd.reset()
  // An in-place deployment: the post step has no replacement fleet to settle after the stop.
  cd.on(GetDeploymentCommand).resolves({
    deploymentInfo: { deploymentId: 'd-ABCDEFGH1', status: 'Stopped' }
  })
  log = new MemoryLogger()
  sleeps = []
})

/** The environment of the post step after main saved what `main` does, plus the runner's own. */
function postEnv(main: (s: MainState) => void, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', ...extra }
  const state = new MainState((name, value) => {
    env[`STATE_${name}`] = value
  })
  state.markPostNext()
  main(state)
  return env
}

/** Main was killed while waiting for d-1. */
const killedWhileWaiting =
  (stopOnCancel: boolean, autoRollback?: boolean) =>
  (s: MainState): void => {
    s.deploying({
      region: 'eu-west-1',
      stopOnCancel,
      failedReplacementFleet: 'keep',
      ...(autoRollback !== undefined ? { autoRollback } : {})
    })
    s.waitingFor('d-ABCDEFGH1')
  }

const stopCalls = () => cd.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)

describe('runPost: nothing to do', () => {
  it.each<[string, (s: MainState) => void]>([
    ['main failed before deploying (no state but is-post)', () => undefined],
    [
      'main created no deployment',
      (s) =>
        s.deploying({ region: 'eu-west-1', stopOnCancel: true, failedReplacementFleet: 'keep' })
    ],
    [
      'main saw the deployment end',
      (s) => {
        killedWhileWaiting(true, true)(s)
        s.finished()
      }
    ],
    [
      'main saw the deployment end and had no deployment (wait: false)',
      (s) => {
        s.deploying({ region: 'eu-west-1', stopOnCancel: true, failedReplacementFleet: 'keep' })
        s.finished()
      }
    ]
  ])('%s: no AWS call, nothing logged', async (_what, main) => {
    await runPost(log, postEnv(main), sleep)
    expect(cd.calls()).toHaveLength(0)
    expect(log.lines).toEqual([])
  })

  it('does nothing with an empty environment', async () => {
    await runPost(log, {}, sleep)
    expect(cd.calls()).toHaveLength(0)
    expect(log.lines).toEqual([])
  })
})

describe('runPost: stop-on-cancel false', () => {
  it('says the deployment is left alone and calls nothing', async () => {
    await runPost(log, postEnv(killedWhileWaiting(false)), sleep)
    expect(cd.calls()).toHaveLength(0)
    expect(log.lines).toEqual([
      {
        level: 'info',
        message:
          'Deployment d-ABCDEFGH1 may still be running: stop-on-cancel is false, so it is left alone.'
      }
    ])
  })
})

describe('runPost: stop-on-cancel true', () => {
  it.each<[string, boolean | undefined, object]>([
    ['auto-rollback true: rolls back', true, { autoRollbackEnabled: true }],
    ['auto-rollback false: no rollback', false, { autoRollbackEnabled: false }],
    ["auto-rollback not given: the group's setting (no parameter)", undefined, {}]
  ])('%s', async (_what, autoRollback, rollback) => {
    cd.on(StopDeploymentCommand).resolves({
      status: 'Pending',
      statusMessage: 'Stop request is in progress'
    })
    await runPost(log, postEnv(killedWhileWaiting(true, autoRollback)), sleep)

    expect(stopCalls()).toEqual([{ deploymentId: 'd-ABCDEFGH1', ...rollback }])
    // Then one GetDeployment: not blue/green, so no replacement fleet to settle.
    expect(cd.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'StopDeploymentCommand',
      'GetDeploymentCommand'
    ])
    expect(log.text('info')).toBe(
      [
        'The main step ended before deployment d-ABCDEFGH1 did: stopping it (stop-on-cancel).',
        `Stopping deployment d-ABCDEFGH1${autoRollback ? ', rolling back the instances it updated' : ''}: Stop request is in progress`
      ].join('\n')
    )
    expect(log.lines.filter((l) => l.level === 'warning')).toEqual([])
  })

  it('uses the region main saved, not the environment of the post step', async () => {
    cd.on(StopDeploymentCommand).resolves({ status: 'Pending' })
    await runPost(log, postEnv(killedWhileWaiting(true), { AWS_REGION: 'us-west-2' }), sleep)
    const client = cd.call(0).thisValue as CodeDeployClient
    expect(await client.config.region()).toBe('eu-west-1')
  })

  it('falls back to AWS_REGION when main saved no region', async () => {
    cd.on(StopDeploymentCommand).resolves({ status: 'Pending' })
    const env = postEnv(() => undefined, {
      AWS_REGION: 'ap-southeast-2',
      'STATE_deployment-id': 'd-ABCDEFGH1',
      [`STATE_${State.StopOnCancel}`]: 'true'
    })
    await runPost(log, env, sleep)
    const client = cd.call(0).thisValue as CodeDeployClient
    expect(await client.config.region()).toBe('ap-southeast-2')
  })

  it('a deployment that already ended is no failure', async () => {
    cd.on(StopDeploymentCommand).rejects(
      awsError(
        'DeploymentAlreadyCompletedException',
        'Deployment d-ABCDEFGH1 has already completed.'
      )
    )
    await runPost(log, postEnv(killedWhileWaiting(true)), sleep)
    expect(log.text('info')).toContain('Deployment d-ABCDEFGH1 had already ended; nothing to stop.')
    expect(log.lines.filter((l) => l.level === 'warning')).toEqual([])
  })
})

describe('runPost: a stop that fails warns and never throws', () => {
  function expectOneWarning(about: RegExp): void {
    const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Could not stop deployment d-ABCDEFGH1 after the cancellation: .*\. Stop it in the CodeDeploy console\.$/
    )
    expect(warnings[0]).toMatch(about)
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([])
  }

  it('access denied: one attempt, a warning naming the deployment and the call', async () => {
    cd.on(StopDeploymentCommand).rejects(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/deploy is not authorized to perform: codedeploy:StopDeployment'
      )
    )
    await expect(runPost(log, postEnv(killedWhileWaiting(true)), sleep)).resolves.toBeUndefined()
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(1)
    expectOneWarning(/StopDeployment failed: AccessDeniedException/)
  })

  it('throttled every time: three quick attempts, then a warning', async () => {
    cd.on(StopDeploymentCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'))
    await expect(runPost(log, postEnv(killedWhileWaiting(true)), sleep)).resolves.toBeUndefined()
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
    expectOneWarning(/ThrottlingException/)
  })

  it('a transient failure then success: stopped, no warning', async () => {
    cd.on(StopDeploymentCommand)
      .rejectsOnce(awsError('InternalFailure', 'boom', 500))
      .resolves({ status: 'Pending', statusMessage: 'Stop request is in progress' })
    await runPost(log, postEnv(killedWhileWaiting(true)), sleep)
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(2)
    expect(log.lines.filter((l) => l.level === 'warning')).toEqual([])
    expect(log.text('info')).toContain(
      'Stopping deployment d-ABCDEFGH1: Stop request is in progress'
    )
  })

  it('no usable region: a warning, no call', async () => {
    const env = postEnv(() => undefined, {
      AWS_REGION: 'Europe (Ireland)',
      'STATE_deployment-id': 'd-ABCDEFGH1',
      'STATE_stop-on-cancel': 'true'
    })
    await expect(runPost(log, env, sleep)).resolves.toBeUndefined()
    expect(cd.calls()).toHaveLength(0)
    expectOneWarning(/AWS_REGION is 'Europe \(Ireland\)', which is not an AWS region code/)
  })

  it('a non-Error thrown by the SDK is still reported', async () => {
    cd.on(StopDeploymentCommand).callsFake(() => {
      throw 'socket hang up'
    })
    await expect(runPost(log, postEnv(killedWhileWaiting(true)), sleep)).resolves.toBeUndefined()
    const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('Could not stop deployment d-ABCDEFGH1 after the cancellation: ')
  })
})
