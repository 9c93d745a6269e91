// Deployment-level failures as CodeDeploy gives them, with its words: a minimum of healthy hosts
// the group cannot keep (HEALTH_CONSTRAINTS_INVALID), a group that matches no instance
// (NO_INSTANCES) and what GetDeploymentGroup says to explain it, an alarm in ALARM (ALARM_ACTIVE),
// an instance profile S3 refuses the revision (DownloadBundle), a missing or powerless service
// role (IAM_ROLE_MISSING, IAM_ROLE_PERMISSIONS). Faults are this file's application's own.
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type InstanceTarget,
  type LifecycleEvent
} from '@aws-sdk/client-codedeploy'
import {
  addFleet,
  adminAnswer,
  bed,
  type Bed,
  codedeploy,
  instances,
  putBundle,
  setFaults,
  settled,
  unique
} from '../support/bed.js'
import { onInstance } from '../support/commands.js'
import { appspec, tarBundle } from '../support/fixtures.js'

let b: Bed
const app = unique('bed-failures')
const twoHealthy = `${app}.TwoHealthy`
const asg = `${app}-asg`
const [cpu, errors] = [`${app}-cpu`, `${app}-5xx`]
const release = `/opt/${app}-release`
const instancesOf: Record<string, string[]> = {}
let key: string
let version: string

const HEALTH_CONSTRAINTS_INVALID =
  'The deployment can’t start because the minimum number of healthy instances, as defined by your deployment configuration, are not available. You can reduce the required number of healthy instances by updating your deployment configuration or increase the number of instances in this deployment group.'
const ALARMS_ACTIVATED =
  'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: '

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `deploymentConfigs:
  - { name: ${twoHealthy}, minimumHealthyHosts: { type: HOST_COUNT, value: 2 } }
autoScalingGroups:
  - { name: ${asg}, instances: 0, minSize: 0, maxSize: 2 }
applications:
  - name: ${app}
    groups:
      - { name: half-of-one, instances: 1, deploymentConfig: CodeDeployDefault.HalfAtATime }
      - { name: two-of-two, instances: 2, deploymentConfig: ${twoHealthy} }
      - { name: one-of-one, instances: 1, deploymentConfig: CodeDeployDefault.OneAtATime }
      - { name: plain, instances: 1, deploymentConfig: CodeDeployDefault.AllAtOnce }
      - { name: untagged, instances: 0 }
      - { name: scaled-to-zero, autoScalingGroups: [${asg}], isolation: namespace }
      - name: watched
        instances: 2
        deploymentConfig: CodeDeployDefault.OneAtATime
        alarmConfiguration: { alarms: [{ name: ${cpu} }, { name: ${errors} }] }
`
  )
  for (const i of await instances(b, app)) (instancesOf[i.group] ??= []).push(i.id)
  key = `${app}/bundle.tgz`
  // The first instance of a group waits in ApplicationStart until the test releases it.
  const start = `#!/bin/sh\ncase "$(hostname)" in ${instancesOf.watched![0]}) for i in $(seq 1 150); do [ -f ${release} ] && exit 0; sleep 0.1; done; exit 1;; esac\n`
  const put = await putBundle(
    b,
    key,
    await tarBundle({
      'appspec.yml': appspec(
        { ApplicationStart: ['start.sh'] },
        `  - source: a.txt\n    destination: /opt/${app}\n`
      ),
      'a.txt': 'a\n',
      'start.sh': start
    })
  )
  version = put.VersionId!
})

afterEach(async () => {
  await setFaults(b, {}, app)
})

async function deploy(
  group: string,
  s3: { version?: string } = {}
): Promise<{ id: string; info: DeploymentInfo }> {
  const cd = codedeploy(b)
  const { deploymentId } = await cd.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: {
        revisionType: 'S3',
        s3Location: { bucket: b.bucket, key, bundleType: 'tgz', ...s3 }
      }
    })
  )
  return { id: deploymentId!, info: await settled(cd, deploymentId!) }
}

async function targets(id: string): Promise<InstanceTarget[]> {
  const cd = codedeploy(b)
  const { targetIds } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))
  if (!targetIds?.length) return []
  const out = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds }))
  return out.deploymentTargets!.map((t) => t.instanceTarget!)
}

const events = (t: InstanceTarget): Record<string, string> =>
  Object.fromEntries(t.lifecycleEvents!.map((e) => [e.lifecycleEventName, e.status]))

const event = (t: InstanceTarget, name: string): LifecycleEvent =>
  t.lifecycleEvents!.find((e) => e.lifecycleEventName === name)!

describe('HEALTH_CONSTRAINTS_INVALID: a minimum of healthy hosts the group cannot keep', () => {
  it.each([
    ['HalfAtATime on one instance (50% rounds up to 1)', 'half-of-one'],
    ['HOST_COUNT 2 on two instances', 'two-of-two']
  ])('%s fails at once, no instance touched', async (_, group) => {
    const { id, info } = await deploy(group)
    expect(info.status).toBe('Failed')
    expect(info.errorInformation).toEqual({
      code: 'HEALTH_CONSTRAINTS_INVALID',
      message: HEALTH_CONSTRAINTS_INVALID
    })
    expect(info.startTime).toBeUndefined()
    const all = await targets(id)
    expect(all.map((t) => t.targetId).sort()).toEqual([...instancesOf[group]!].sort())
    for (const t of all) {
      expect(t.status).toBe('Skipped')
      expect(new Set(Object.values(events(t)))).toEqual(new Set(['Skipped']))
    }
    expect(info.deploymentOverview).toMatchObject({ Skipped: all.length, Succeeded: 0 })
  })

  it('OneAtATime on one instance deploys: AWS keeps all but one healthy', async () => {
    const { info } = await deploy('one-of-one')
    expect(info.status).toBe('Succeeded')
  })

  it('GetDeploymentConfig answers OneAtATime as MOST_CONCURRENCY 1, the others as configured', async () => {
    const cd = codedeploy(b)
    const read = async (name: string) =>
      (await cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: name })))
        .deploymentConfigInfo!
    expect((await read('CodeDeployDefault.OneAtATime')).minimumHealthyHosts).toEqual({
      type: 'MOST_CONCURRENCY',
      value: 1
    })
    expect((await read('CodeDeployDefault.HalfAtATime')).minimumHealthyHosts).toEqual({
      type: 'FLEET_PERCENT',
      value: 50
    })
    const own = await read(twoHealthy)
    expect(own).toMatchObject({
      deploymentConfigName: twoHealthy,
      computePlatform: 'Server',
      minimumHealthyHosts: { type: 'HOST_COUNT', value: 2 }
    })
  })
})

describe('NO_INSTANCES, and what GetDeploymentGroup says about the group', () => {
  const group = async (name: string) =>
    (
      await codedeploy(b).send(
        new GetDeploymentGroupCommand({ applicationName: app, deploymentGroupName: name })
      )
    ).deploymentGroupInfo!

  it('tags matching no instance: Failed, NO_INSTANCES; the group shows its tag filters and the attempt', async () => {
    const { id, info } = await deploy('untagged')
    expect(info.status).toBe('Failed')
    expect(info.errorInformation?.code).toBe('NO_INSTANCES')
    const g = await group('untagged')
    expect(g).toMatchObject({
      applicationName: app,
      deploymentGroupName: 'untagged',
      deploymentConfigName: 'CodeDeployDefault.OneAtATime',
      ec2TagFilters: [{ Key: 'DeploymentGroup', Value: 'untagged', Type: 'KEY_AND_VALUE' }],
      onPremisesInstanceTagFilters: [],
      autoScalingGroups: [],
      alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] }
    })
    expect(g.serviceRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\/.+/)
    expect(g.lastSuccessfulDeployment).toBeUndefined()
    expect(g.lastAttemptedDeployment).toEqual({
      deploymentId: id,
      status: 'Failed',
      createTime: info.createTime,
      endTime: info.completeTime
    })
  })

  it('an Auto Scaling group with no instance: NO_INSTANCES; the group names it and its launch hook', async () => {
    const { info } = await deploy('scaled-to-zero')
    expect(info.errorInformation?.code).toBe('NO_INSTANCES')
    const g = await group('scaled-to-zero')
    expect(g.ec2TagFilters).toEqual([])
    expect(g.autoScalingGroups).toEqual([
      {
        name: asg,
        hook: expect.stringMatching(
          /^CodeDeploy-managed-automatic-launch-deployment-hook-scaled-to-zero-[0-9a-f]{8}$/
        )
      }
    ])
  })

  it('after a success, lastSuccessfulDeployment and lastAttemptedDeployment name it', async () => {
    const { id, info } = await deploy('plain')
    expect(info.status).toBe('Succeeded')
    const g = await group('plain')
    const summary = {
      deploymentId: id,
      status: 'Succeeded',
      createTime: info.createTime,
      endTime: info.completeTime
    }
    expect(g.lastSuccessfulDeployment).toEqual(summary)
    expect(g.lastAttemptedDeployment).toEqual(summary)
    expect(g.lastSuccessfulDeployment!.endTime!.getTime()).toBeGreaterThanOrEqual(
      g.lastSuccessfulDeployment!.createTime!.getTime()
    )
  })

  it('a group with alarms shows its alarmConfiguration', async () => {
    expect((await group('watched')).alarmConfiguration).toEqual({
      enabled: true,
      ignorePollAlarmFailure: false,
      alarms: [{ name: cpu }, { name: errors }]
    })
  })
})

describe('ALARM_ACTIVE: an alarm of the group in ALARM stops its deployments', () => {
  it('in ALARM at the start: Stopped before any instance is touched, the alarm named', async () => {
    await setFaults(b, { activeAlarms: { alarms: [errors] } }, app)
    const { id, info } = await deploy('watched')
    expect(info.status).toBe('Stopped')
    expect(info.errorInformation).toEqual({
      code: 'ALARM_ACTIVE',
      message: `${ALARMS_ACTIVATED}<${errors}>`
    })
    for (const t of await targets(id)) {
      expect(t.status).toBe('Skipped')
      expect(event(t, 'ApplicationStop').startTime).toBeUndefined()
    }
  })

  it('every alarm in ALARM: each named, in the group’s order; a group without alarms deploys', async () => {
    await setFaults(b, { activeAlarms: {} }, app)
    const { info } = await deploy('watched')
    expect(info.status).toBe('Stopped')
    expect(info.errorInformation?.message).toBe(`${ALARMS_ACTIVATED}<${cpu}> <${errors}>`)
    expect((await deploy('plain')).info.status).toBe('Succeeded')
  })

  it('an alarm going off during the deployment stops it: the next instance is never started', async () => {
    const [first, second] = instancesOf.watched!
    await onInstance(first!, `rm -f ${release}`)
    const cd = codedeploy(b)
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: app,
        deploymentGroupName: 'watched',
        revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } }
      })
    )
    const id = deploymentId!
    // The first instance waits in ApplicationStart for the release (at most 15 s).
    const end = Date.now() + 30_000
    for (;;) {
      await settled(cd, id, 30_000, (i) => i.status === 'InProgress')
      const t = (await targets(id)).find((x) => x.targetId === first)!
      if (event(t, 'ApplicationStart').status === 'InProgress') break
      if (Date.now() > end)
        throw new Error(`ApplicationStart never ran on ${first}: ${JSON.stringify(events(t))}`)
      await new Promise((r) => setTimeout(r, 200))
    }
    await setFaults(b, { activeAlarms: { alarms: [cpu] } }, app)
    await onInstance(first!, `touch ${release}`)
    const info = await settled(cd, id)
    expect(info.status).toBe('Stopped')
    expect(info.errorInformation).toEqual({
      code: 'ALARM_ACTIVE',
      message: `${ALARMS_ACTIVATED}<${cpu}>`
    })
    // The running event finishes, as at StopDeployment: the first instance ends Succeeded, or
    // Skipped after ApplicationStart when the bed's look at the alarms came while it ran.
    const all = await targets(id)
    const one = all.find((t) => t.targetId === first)!
    const two = all.find((t) => t.targetId === second)!
    expect(event(one, 'ApplicationStart').status).toBe('Succeeded')
    expect(two.status).toBe('Skipped')
    expect(new Set(Object.values(events(two)))).toEqual(new Set(['Skipped']))
  }, 60_000)
})

describe('an instance profile S3 refuses the revision', () => {
  const denied = async (s3: { version?: string }) => {
    const { id, info } = await deploy('plain', s3)
    expect(info.status).toBe('Failed')
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
    const [t] = await targets(id)
    expect(events(t!)).toMatchObject({
      ApplicationStop: 'Succeeded',
      DownloadBundle: 'Failed',
      BeforeInstall: 'Skipped'
    })
    return { instance: t!.targetId!, diagnostics: event(t!, 'DownloadBundle').diagnostics }
  }

  it('same account: DownloadBundle fails UnknownError with S3’s words naming the role and the action', async () => {
    await setFaults(b, { bundleAccessDenied: true }, app)
    const plain = await denied({})
    expect(plain.diagnostics).toEqual({
      errorCode: 'UnknownError',
      scriptName: '',
      logTail: '',
      message: `User: arn:aws:sts::123456789012:assumed-role/CodeDeployDemo-EC2-Instance-Profile/${plain.instance} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::${b.bucket}/${key}" because no identity-based policy allows the s3:GetObject action`
    })
    // A version is read with s3:GetObjectVersion.
    const versioned = await denied({ version })
    expect(versioned.diagnostics!.message).toContain(
      'perform: s3:GetObjectVersion on resource: "arn:aws:s3:::'
    )
  })

  it('another account’s bucket: "Access Denied" only', async () => {
    await setFaults(b, { bundleAccessDenied: { crossAccount: true } }, app)
    expect((await denied({})).diagnostics).toEqual({
      errorCode: 'UnknownError',
      scriptName: '',
      logTail: '',
      message: 'Access Denied'
    })
  })
})

describe('the deployment group’s service role', () => {
  it.each([
    [
      'missing',
      'IAM_ROLE_MISSING',
      'The deployment failed because no service role exists with the service role name specified for the deployment group. Make sure you are using the correct service role name.'
    ],
    [
      'permissions',
      'IAM_ROLE_PERMISSIONS',
      "CodeDeploy does not have the permissions required to assume a role, or the IAM role you're using does't give you permission to perform operations in an AWS service."
    ]
  ])('%s: CreateDeployment answers, the deployment fails, %s', async (problem, code, message) => {
    await setFaults(b, { serviceRole: { problem } }, app)
    const { id, info } = await deploy('plain')
    expect(info.status).toBe('Failed')
    expect(info.errorInformation).toEqual({ code, message })
    expect(await targets(id)).toEqual([])
  })

  it('an unknown problem is refused with the place', async () => {
    const r = await adminAnswer(
      b,
      'PUT',
      `/faults?application=${app}`,
      JSON.stringify({ serviceRole: { problem: 'gone' } })
    )
    expect(r.status).toBe(400)
    expect(r.text).toContain('serviceRole.problem must be missing or permissions')
  })
})
