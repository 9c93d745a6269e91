// The fleet: instances are separate hosts (own files, own port 8080, services outliving their
// hook), ApplicationStop runs the previous revision's script, deployment configs take instances
// in batches and judge failures by minimum healthy hosts, and a failure rolls back.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  type DeploymentInfo,
  type InstanceTarget
} from '@aws-sdk/client-codedeploy'
import { existsSync } from 'node:fs'
import {
  addFleet,
  bed,
  type Bed,
  codedeploy,
  instances,
  putBundle,
  settled,
  unique
} from '../support/bed.js'
import { appspec, tarBundle, type Tree } from '../support/fixtures.js'
import { onInstance } from '../support/commands.js'

let b: Bed
const app = unique('bed-fleet')
const instancesOf: Record<string, string[]> = {}

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `timing: { createdMs: 200 }
applications:
  - name: ${app}
    groups:
      - { name: hosts, instances: 2, deploymentConfig: CodeDeployDefault.AllAtOnce }
      - { name: one, instances: 2, deploymentConfig: CodeDeployDefault.OneAtATime }
      - { name: all, instances: 2, deploymentConfig: CodeDeployDefault.AllAtOnce }
      - { name: half, instances: 4, deploymentConfig: CodeDeployDefault.HalfAtATime }
      - name: rollback
        instances: 1
        autoRollback: { enabled: true, events: [DEPLOYMENT_FAILURE] }
`
  )
  for (const i of await instances(b, app)) (instancesOf[i.group] ??= []).push(i.id)
})

let counter = 0
async function deploy(
  group: string,
  files: Tree
): Promise<{ id: string; info: DeploymentInfo; targets: InstanceTarget[] }> {
  const key = `${app}/${++counter}.tgz`
  await putBundle(b, key, await tarBundle(files))
  const cd = codedeploy(b)
  const { deploymentId } = await cd.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } }
    })
  )
  const info = await settled(cd, deploymentId!)
  const { targetIds } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId }))
  const out = await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }))
  return { id: deploymentId!, info, targets: out.deploymentTargets!.map((t) => t.instanceTarget!) }
}

// Fails ValidateService on the named instances only (the hostname is the instance id).
const failingOn = (ids: string[], stopMessage = 'nothing to stop'): Tree => ({
  'appspec.yml': appspec(
    { ApplicationStop: ['stop.sh'], ValidateService: ['validate.sh'] },
    `  - source: /\n    destination: /opt/${app}\n`
  ),
  'stop.sh': `#!/bin/sh\necho "${stopMessage}"\n`,
  'validate.sh': `#!/bin/sh\ncase " ${ids.join(' ')} " in *" $(hostname) "*) echo "unhealthy"; exit 1;; esac\necho healthy\n`
})

describe('instances as separate hosts', () => {
  it('each has its own files and its own service on port 8080, still running after the hook', async () => {
    const dest = `/opt/${app}-site`
    const d = await deploy('hosts', {
      'appspec.yml': appspec(
        { ApplicationStart: ['start.sh'] },
        `  - source: index.html\n    destination: ${dest}\n`
      ),
      'index.html': 'same file everywhere\n',
      'start.sh': `#!/bin/sh\nhostname > ${dest}/who.txt\ncd ${dest}\nnohup python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 &\nsleep 0.5\n`
    })
    expect(d.info.status).toBe('Succeeded')
    for (const id of instancesOf.hosts!) {
      const r = await onInstance(id, 'curl -fsS 127.0.0.1:8080/who.txt')
      expect(r.stdout).toBe(`${id}\n`)
    }
    expect(existsSync(`${dest}/who.txt`)).toBe(false)
  }, 30_000)

  it('ApplicationStop runs the previous revision’s script', async () => {
    await deploy('hosts', failingOn([], 'stopping revision one'))
    const second = await deploy('hosts', failingOn([], 'stopping revision two'))
    const stop = second.targets[0]!.lifecycleEvents!.find(
      (e) => e.lifecycleEventName === 'ApplicationStop'
    )!
    expect(stop.diagnostics!.logTail).toBe(
      'LifecycleEvent - ApplicationStop\nScript - stop.sh\n[stdout]stopping revision one\n'
    )
  })
})

describe('deployment configs and minimum healthy hosts', () => {
  const statuses = (targets: InstanceTarget[]) =>
    Object.fromEntries(targets.map((t) => [t.targetId, t.status]))

  it('OneAtATime stops at a failed instance that is not the last', async () => {
    const [first, second] = instancesOf.one!
    const d = await deploy('one', failingOn([first!]))
    expect(d.info.status).toBe('Failed')
    expect(d.info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS')
    expect(statuses(d.targets)).toEqual({ [first!]: 'Failed', [second!]: 'Skipped' })
  })

  it('OneAtATime succeeds when only the last instance fails', async () => {
    const [first, second] = instancesOf.one!
    const d = await deploy('one', failingOn([second!]))
    expect(d.info.status).toBe('Succeeded')
    expect(statuses(d.targets)).toEqual({ [first!]: 'Succeeded', [second!]: 'Failed' })
  })

  it('AllAtOnce succeeds with one healthy instance', async () => {
    const all = await deploy('all', failingOn([instancesOf.all![0]!]))
    expect(all.info.status).toBe('Succeeded')
    expect(all.info.deploymentOverview).toMatchObject({ Succeeded: 1, Failed: 1 })
  })

  it('HalfAtATime takes two of four at a time: a failed first half stops it, a failed second half does not', async () => {
    const half = instancesOf.half!
    const firstHalf = await deploy('half', failingOn(half.slice(0, 2)))
    expect(firstHalf.info.status).toBe('Failed')
    expect(firstHalf.info.deploymentOverview).toMatchObject({ Failed: 2, Skipped: 2, Succeeded: 0 })
    const secondHalf = await deploy('half', failingOn(half.slice(2)))
    expect(secondHalf.info.status).toBe('Succeeded')
    expect(secondHalf.info.deploymentOverview).toMatchObject({ Failed: 2, Succeeded: 2 })
  }, 30_000)
})

describe('automatic rollback', () => {
  it('redeploys the last good revision as codeDeployRollback, linking both deployments', async () => {
    const good = await deploy('rollback', failingOn([]))
    expect(good.info.status).toBe('Succeeded')
    const bad = await deploy('rollback', failingOn(instancesOf.rollback!))
    expect(bad.info.status).toBe('Failed')
    const rollbackId = bad.info.rollbackInfo?.rollbackDeploymentId
    expect(rollbackId).toMatch(/^d-/)
    const cd = codedeploy(b)
    const rollback = await settled(cd, rollbackId!)
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      revision: good.info.revision,
      rollbackInfo: { rollbackTriggeringDeploymentId: bad.id }
    })
    const again = (await cd.send(new GetDeploymentCommand({ deploymentId: bad.id })))
      .deploymentInfo!
    expect(again.rollbackInfo?.rollbackDeploymentId).toBe(rollbackId)
  }, 30_000)
})
