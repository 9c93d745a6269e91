// Fault switches, scoped to this file's application so other suites sharing the bed are not
// disturbed: throttling every Nth call, server errors, slow answers, deployments that never
// finish (and StopDeployment ending them), and one active deployment per group.
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  CreateDeploymentCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand
} from '@aws-sdk/client-codedeploy'
import {
  addFleet,
  admin,
  adminAnswer,
  bed,
  type Bed,
  codedeploy,
  lastSeq,
  putBundle,
  requests,
  settled,
  unique
} from '../support/bed.js'
import { appspec, tarBundle } from '../support/fixtures.js'

let b: Bed
const app = unique('bed-faults')
const key = `${app}/bundle.tgz`

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `timing: { createdMs: 300 }\napplications:\n  - name: ${app}\n    groups:\n      - { name: g, instances: 1 }\n`
  )
  const bundle = await tarBundle({ 'appspec.yml': appspec({}), 'a.txt': 'a\n' })
  await putBundle(b, key, bundle)
})

afterEach(async () => {
  await admin(b, 'DELETE', '/faults')
})

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'none'
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`
  }
}

const create = (client = codedeploy(b)) =>
  client.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: 'g',
      revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } }
    })
  )

describe('fault injection', () => {
  it('throttles every Nth matching call with "Rate exceeded"; the SDK retry gets through', async () => {
    await admin(
      b,
      'PUT',
      '/faults',
      JSON.stringify({
        throttle: { every: 2, operations: ['GetApplication'], applications: [app] }
      })
    )
    const once = codedeploy(b, { maxAttempts: 1 })
    const get = (c = once) => c.send(new GetApplicationCommand({ applicationName: app }))
    expect(await errorName(get())).toBe('none')
    expect(await errorName(get())).toBe('ThrottlingException: Rate exceeded')
    expect(await errorName(get())).toBe('none')
    const since = await lastSeq(b)
    expect(await errorName(get(codedeploy(b)))).toBe(
      'ThrottlingException: Rate exceeded'.replace(/.*/, 'none')
    )
    expect((await requests(b, { application: app, since })).map((r) => r.status)).toEqual([
      400, 200
    ])
  })

  it('answers with a 5xx every Nth call and slows chosen operations', async () => {
    await admin(
      b,
      'PUT',
      '/faults',
      JSON.stringify({ serverError: { every: 1, status: 503, applications: [app] } })
    )
    expect(
      await errorName(
        codedeploy(b, { maxAttempts: 1 }).send(new GetApplicationCommand({ applicationName: app }))
      )
    ).toBe('ServiceUnavailableException: Service Unavailable')
    await admin(
      b,
      'PUT',
      '/faults',
      JSON.stringify({ delay: { ms: 700, operations: ['GetApplication'], applications: [app] } })
    )
    const t0 = Date.now()
    await codedeploy(b).send(new GetApplicationCommand({ applicationName: app }))
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700)
  })

  it('refuses bad fault settings with a reason', async () => {
    const res = await adminAnswer(b, 'PUT', '/faults', JSON.stringify({ throttle: { every: 0 } }))
    expect(res.status).toBe(400)
    expect(JSON.parse(res.text)).toEqual({
      error: 'throttle.every must be a whole number of at least 1'
    })
  })

  it('keeps a hanging deployment InProgress, refuses a second one naming it, and stops it', async () => {
    await admin(b, 'PUT', '/faults', JSON.stringify({ hangDeployments: { applications: [app] } }))
    const cd = codedeploy(b, { maxAttempts: 1 })
    const { deploymentId } = await create(cd)
    expect(await errorName(cd.send(new ListDeploymentTargetsCommand({ deploymentId })))).toBe(
      'DeploymentNotStartedException: The specified deployment has not started.'
    )
    expect(await errorName(create(cd))).toBe(
      `DeploymentLimitExceededException: The Deployment Group 'g' already has an active Deployment '${deploymentId}'`
    )
    await new Promise((r) => setTimeout(r, 1500))
    const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!
    expect(info.status).toBe('InProgress')
    const stop = await cd.send(new StopDeploymentCommand({ deploymentId }))
    expect(stop.status).toBe('Pending')
    const done = await settled(cd, deploymentId!)
    expect(done.status).toBe('Stopped')
    expect(done.errorInformation?.code).toBe('MANUAL_STOP')
    expect(await errorName(cd.send(new StopDeploymentCommand({ deploymentId })))).toBe(
      `DeploymentAlreadyCompletedException: The deployment ${deploymentId} has already completed.`
    )
  }, 30_000)

  it('StopDeployment with autoRollbackEnabled rolls back to the last good revision', async () => {
    const cd = codedeploy(b)
    const good = await create(cd)
    expect((await settled(cd, good.deploymentId!)).status).toBe('Succeeded')
    await admin(b, 'PUT', '/faults', JSON.stringify({ hangDeployments: { applications: [app] } }))
    const { deploymentId } = await create(cd)
    await new Promise((r) => setTimeout(r, 600))
    await cd.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }))
    const stopped = await settled(cd, deploymentId!)
    expect(stopped.status).toBe('Stopped')
    const rollback = await settled(cd, stopped.rollbackInfo!.rollbackDeploymentId!)
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId }
    })
  }, 30_000)
})
