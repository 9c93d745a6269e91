import { describe, expect, it } from '@jest/globals'
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy'
import { activeIdFromMessage, createDeployment } from '../../../src/deploy/codedeploy/create.js'
import { AwsCallError } from '../../../src/common/errors.js'
import { MemoryLogger } from '../../../src/common/log.js'
import type { DeploySettings } from '../../../src/settings/settings.js'
import { awsError, FakeClock, FakeCodeDeploy, REVISION, testSettings } from '../fake-codedeploy.js'

function setup(over: Partial<DeploySettings> = {}, group = 'blue') {
  const clock = new FakeClock()
  const cd = new FakeCodeDeploy(clock)
  const log = new MemoryLogger()
  const create = () =>
    createDeployment({
      settings: testSettings(over),
      group,
      revision: REVISION,
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 60 * 60_000,
      region: 'eu-west-1',
      random: () => 0.5
    })
  return { clock, cd, log, create }
}

async function failure(p: Promise<unknown>): Promise<AwsCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(AwsCallError)
  return err as AwsCallError
}

describe('createDeployment errors', () => {
  it('a missing deployment group lists the groups of the application', async () => {
    const { create } = setup({}, 'prod')
    const err = await failure(create())
    expect(err.call).toBe('CreateDeployment')
    expect(err.describe()).toBe(
      "CreateDeployment failed: DeploymentGroupDoesNotExistException: No Deployment Group found for name: prod. Deployment group 'prod' does not exist in application 'my-app' (eu-west-1). Its groups: 'blue', 'green', 'staging'. Check the deployment-group input."
    )
  })

  it('says so when the region has no applications at all', async () => {
    const { cd, create } = setup({ application: 'web' })
    cd.applications = []
    const err = await failure(create())
    expect(err.fix).toBe(
      "Application 'web' does not exist in eu-west-1. Applications there: none. Check the application input and the region."
    )
  })

  it('still explains a missing application when it may not list applications', async () => {
    const { cd, create } = setup({ application: 'web' })
    cd.fault = (name) =>
      name === 'ListApplications' ? awsError('AccessDeniedException', 'denied') : undefined
    const err = await failure(create())
    expect(err.fix).toBe('Check the application input and the region (eu-west-1).')
  })

  it.each([
    [
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/gh/x is not authorized to perform: codedeploy:CreateDeployment',
      /^Grant the IAM action codedeploy:CreateDeployment on the deployment group/
    ],
    [
      'DeploymentConfigDoesNotExistException',
      'No deployment configuration found',
      /^Deployment configuration 'Fast' does not exist: check deployment-config/
    ],
    [
      'InvalidRevisionException',
      'bad revision',
      /^Check that s3:\/\/my-bucket\/my-app\/42\/0123456789abcdef.tgz \(version v1\) exists in eu-west-1, is a tgz archive/
    ],
    ['RevisionDoesNotExistException', 'no revision', /^Check that s3:\/\/my-bucket\//],
    [
      'InvalidRoleException',
      'role',
      /^The service role of deployment group 'blue' is not usable: check that the role exists, trusts codedeploy.amazonaws.com/
    ],
    [
      'UnrecognizedClientException',
      'The security token included in the request is invalid',
      /credentials are invalid or expired/
    ]
  ])('%s gets a tailored next step', async (code, message, fix) => {
    const { cd, create } = setup({ deploymentConfig: 'Fast' })
    cd.createError = () => awsError(code, message)
    const err = await failure(create())
    expect(err.code).toBe(code)
    expect(err.message).toBe(`CreateDeployment failed: ${code}: ${message}.`)
    expect(err.fix).toMatch(fix)
  })

  it('retries a throttled CreateDeployment with backoff', async () => {
    const { cd, clock, log, create } = setup()
    let n = 0
    cd.createError = () => (++n <= 3 ? awsError('ThrottlingException', 'Rate exceeded') : undefined)
    const r = await create()
    expect(r.kind).toBe('created')
    expect(cd.count('CreateDeployment')).toBe(4)
    expect(clock.sleeps).toEqual([1500, 3000, 6000])
    expect(log.text()).toContain('CreateDeployment was throttled; trying again in 2 s.')
  })

  it('gives up after repeated throttling with a clear message', async () => {
    const { cd, create } = setup()
    cd.createError = () => awsError('ThrottlingException', 'Rate exceeded')
    const err = await failure(create())
    expect(cd.count('CreateDeployment')).toBe(6)
    expect(err.describe()).toBe(
      'CreateDeployment failed: ThrottlingException: Rate exceeded. CodeDeploy kept throttling the requests: try again later, or run fewer deployments at once.'
    )
  })

  it('adopts the deployment a CreateDeployment created when its answer was lost', async () => {
    const { cd, log, create } = setup()
    // The first call creates the deployment, then the connection drops before the answer arrives.
    let first = true
    cd.createError = (input) => {
      if (!first) return undefined
      first = false
      cd.addDeployment(input.deploymentGroupName!, { instances: [{ id: 'i-1' }] }, 'd-LOSTANSWR')
      const d = cd.deployments.get('d-LOSTANSWR')!
      d.input = input
      return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    }
    const r = await create()
    expect(r).toEqual({ kind: 'created', deploymentId: 'd-LOSTANSWR' })
    expect(log.text()).toContain(
      "CreateDeployment's answer was lost, but deployment d-LOSTANSWR with this revision is the one it created."
    )
  })
})

describe('the queue calls are bounded', () => {
  it('ListDeployments runs under a signal that ends with the run (and, at the latest, wait-timeout plus a grace)', async () => {
    const clock = new FakeClock()
    const cd = new FakeCodeDeploy(clock)
    const controller = new AbortController()
    await createDeployment({
      settings: testSettings(),
      group: 'blue',
      revision: REVISION,
      codedeploy: cd.client,
      log: new MemoryLogger(),
      sleep: clock.sleep,
      now: clock.now,
      deadline: clock.t + 60_000,
      region: 'eu-west-1',
      signal: controller.signal
    })
    const list = cd.mock.calls().find((c) => c.args[0] instanceof ListDeploymentsCommand)
    const signal = (
      (list?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined
    )?.abortSignal
    expect(signal).toBeInstanceOf(AbortSignal)
    expect(signal?.aborted).toBe(false)
    controller.abort()
    expect(signal?.aborted).toBe(true)
  })

  it('ListDeployments is bounded even when the run has no cancellation signal', async () => {
    const { cd, create } = setup()
    await create()
    const list = cd.mock.calls().find((c) => c.args[0] instanceof ListDeploymentsCommand)
    const signal = (
      (list?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal } | undefined
    )?.abortSignal
    expect(signal).toBeInstanceOf(AbortSignal)
    expect(signal?.aborted).toBe(false)
  })
})

describe('activeIdFromMessage', () => {
  it.each([
    ["The Deployment Group 'blue' already has an active Deployment 'd-ABCDE1234'", 'd-ABCDE1234'],
    ['Deployment d-Q1W2E3R4T is already in progress', 'd-Q1W2E3R4T'],
    ['The deployment group my-d-group has too many deployments', undefined]
  ])('%s', (message, id) => {
    expect(activeIdFromMessage(message)).toBe(id)
  })
})
