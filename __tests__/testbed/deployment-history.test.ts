// A group's history as CodeDeploy's API reference gives it, through the SDK: GetDeploymentGroup's
// lastAttemptedDeployment and lastSuccessfulDeployment (an in-progress deployment is attempted; a
// rollback is a deployment of its own) and ListDeployments (newest first, its status and
// create-time filters, and what it refuses). One group, deployed in order: hung then stopped,
// succeeded, failed and rolled back.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  CreateDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type ListDeploymentsCommandInput
} from '@aws-sdk/client-codedeploy'
import {
  addFleet,
  bed,
  type Bed,
  codedeploy,
  deployment,
  putBundle,
  setFaults,
  settled,
  unique
} from '../support/bed.js'
import { appspec, tarBundle } from '../support/fixtures.js'

let b: Bed
const app = unique('bed-history')
const group = 'history'
const keys = { good: `${app}/good.tgz`, bad: `${app}/bad.tgz` }
// The deployments, in the order they were created.
const made: DeploymentInfo[] = []

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `applications:
  - name: ${app}
    groups:
      - name: ${group}
        instances: 1
        deploymentConfig: CodeDeployDefault.AllAtOnce
        autoRollback: { enabled: true, events: [DEPLOYMENT_FAILURE] }
`
  )
  const files = `  - source: a.txt\n    destination: /opt/${app}\n`
  await putBundle(
    b,
    keys.good,
    await tarBundle({ 'appspec.yml': appspec({}, files), 'a.txt': 'a\n' })
  )
  await putBundle(
    b,
    keys.bad,
    await tarBundle({
      'appspec.yml': appspec({ ValidateService: ['fail.sh'] }, files),
      'a.txt': 'a\n',
      'fail.sh': '#!/bin/sh\nexit 1\n'
    })
  )
})

async function create(key: string): Promise<string> {
  const { deploymentId } = await codedeploy(b).send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } }
    })
  )
  return deploymentId!
}

async function groupInfo() {
  const out = await codedeploy(b).send(
    new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: group })
  )
  return out.deploymentGroupInfo!
}

/** LastDeploymentInfo as GetDeploymentGroup must give it for `d`. */
const summary = (d: DeploymentInfo) => ({
  deploymentId: d.deploymentId,
  status: d.status,
  createTime: d.createTime,
  ...(d.completeTime ? { endTime: d.completeTime } : {})
})

const list = async (input: Partial<ListDeploymentsCommandInput> = {}) =>
  (
    await codedeploy(b).send(
      new ListDeploymentsCommand({ applicationName: app, deploymentGroupName: group, ...input })
    )
  ).deployments

describe('GetDeploymentGroup: lastAttemptedDeployment and lastSuccessfulDeployment', () => {
  it('a group never deployed has neither', async () => {
    const g = await groupInfo()
    expect(g.lastAttemptedDeployment).toBeUndefined()
    expect(g.lastSuccessfulDeployment).toBeUndefined()
  })

  it('a deployment still running is the last attempted, without endTime; then Stopped with one', async () => {
    await setFaults(b, { hangDeployments: true }, app)
    const id = await create(keys.good)
    const running = await settled(codedeploy(b), id, 30_000, (d) => d.status === 'InProgress')
    const during = await groupInfo()
    expect(during.lastAttemptedDeployment).toEqual({
      deploymentId: id,
      status: 'InProgress',
      createTime: running.createTime
    })
    expect(during.lastSuccessfulDeployment).toBeUndefined()
    await setFaults(b, {}, app)
    await codedeploy(b).send(
      new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false })
    )
    const stopped = await settled(codedeploy(b), id)
    made.push(stopped)
    expect(stopped.status).toBe('Stopped')
    expect((await groupInfo()).lastAttemptedDeployment).toEqual(summary(stopped))
  })

  it('a success is both', async () => {
    const done = await settled(codedeploy(b), await create(keys.good))
    made.push(done)
    expect(done.status).toBe('Succeeded')
    const g = await groupInfo()
    expect(g.lastAttemptedDeployment).toEqual(summary(done))
    expect(g.lastSuccessfulDeployment).toEqual(summary(done))
  })

  it('a failure rolled back: the rollback, a deployment of its own, is the last attempted and, succeeded, the last successful', async () => {
    const failed = await settled(codedeploy(b), await create(keys.bad))
    expect(failed.status).toBe('Failed')
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId
    expect(rollbackId).toMatch(/^d-/)
    const rollback = await settled(codedeploy(b), rollbackId!)
    made.push(await deployment(b, failed.deploymentId!), rollback)
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback' })
    const g = await groupInfo()
    expect(g.lastAttemptedDeployment).toEqual(summary(rollback))
    expect(g.lastSuccessfulDeployment).toEqual(summary(rollback))
  })
})

describe('ListDeployments', () => {
  const ids = (...ds: DeploymentInfo[]) => ds.map((d) => d.deploymentId)

  it("lists the group's deployments newest first", async () => {
    expect(made.map((d) => d.status)).toEqual(['Stopped', 'Succeeded', 'Failed', 'Succeeded'])
    expect(await list()).toEqual(ids(...made).reverse())
  })

  it('includeOnlyStatuses keeps those statuses', async () => {
    const [stopped, succeeded, failed, rollback] = made as [
      DeploymentInfo,
      DeploymentInfo,
      DeploymentInfo,
      DeploymentInfo
    ]
    expect(await list({ includeOnlyStatuses: ['Succeeded'] })).toEqual(ids(rollback, succeeded))
    expect(await list({ includeOnlyStatuses: ['Failed', 'Stopped'] })).toEqual(ids(failed, stopped))
    expect(await list({ includeOnlyStatuses: ['Created', 'InProgress'] })).toEqual([])
  })

  it('createTimeRange keeps what was created within it, ends included; a missing end is open', async () => {
    const [, succeeded, failed, rollback] = made as [
      DeploymentInfo,
      DeploymentInfo,
      DeploymentInfo,
      DeploymentInfo
    ]
    expect(
      await list({ createTimeRange: { start: succeeded.createTime, end: failed.createTime } })
    ).toEqual(ids(failed, succeeded))
    expect(await list({ createTimeRange: { start: rollback.createTime } })).toEqual(ids(rollback))
  })

  it('refuses an application without its group, a group without its application, an unknown status', async () => {
    const cd = codedeploy(b)
    await expect(
      cd.send(new ListDeploymentsCommand({ applicationName: app }))
    ).rejects.toMatchObject({
      name: 'DeploymentGroupNameRequiredException'
    })
    await expect(
      cd.send(new ListDeploymentsCommand({ deploymentGroupName: group }))
    ).rejects.toMatchObject({ name: 'ApplicationNameRequiredException' })
    await expect(list({ includeOnlyStatuses: ['Done' as 'Succeeded'] })).rejects.toMatchObject({
      name: 'InvalidDeploymentStatusException'
    })
  })
})
