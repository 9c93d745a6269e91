// When the bed itself breaks under an instance (its namespace's init dies: a PATH without
// /usr/sbin made `chroot` fail, and the demo hung at DownloadBundle for its whole wait-timeout),
// the instance's next event fails at once, saying the bed broke and how, and the emulator's log
// says it too. Nothing waits on the dead process.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { BatchGetDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { addFleet, bed, type Bed, codedeploy, instances, settled, unique } from '../support/bed.js'
import { appspec } from '../support/fixtures.js'
import { deploy } from './traffic.js'

let b: Bed
const app = unique('bed-instance-gone')

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `applications:
  - name: ${app}
    groups:
      - { name: gone, instances: 1, isolation: namespace, deploymentConfig: CodeDeployDefault.AllAtOnce }
`
  )
})

describe('an instance whose namespace died', () => {
  it('fails its next event at once with the bed named as the cause, and the log says so', async () => {
    const instance = (await instances(b, app))[0]!
    process.kill(instance.pid, 'SIGKILL')
    for (let i = 0; i < 100 && existsSync(`/proc/${instance.pid}`); i++)
      await new Promise((r) => setTimeout(r, 50))
    expect(existsSync(`/proc/${instance.pid}`)).toBe(false)

    const cd = codedeploy(b)
    const started = Date.now()
    const id = await deploy(b, cd, app, 'gone', {
      'appspec.yml': appspec({}),
      'index.html': 'hello\n'
    })
    const d = await settled(cd, id, 30_000)
    expect(d.status).toBe('Failed')
    expect(Date.now() - started).toBeLessThan(20_000)
    const { deploymentTargets } = await cd.send(
      new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [instance.id] })
    )
    const failed = deploymentTargets![0]!.instanceTarget!.lifecycleEvents!.find(
      (e) => e.status === 'Failed'
    )!
    expect(failed.lifecycleEventName).toBe('DownloadBundle')
    expect(failed.diagnostics?.errorCode).toBe('UnknownError')
    expect(failed.diagnostics?.message).toMatch(
      new RegExp(
        `^test bed: instance ${instance.id} is gone, its namespace's init exited \\((SIGKILL|code \\d+)\\)`
      )
    )
    expect(failed.diagnostics?.message).toContain('The bed broke, not the deployment')

    const log = readFileSync(path.join(process.env.TESTBED_STATE_DIR!, 'emulator.log'), 'utf8')
    expect(log).toMatch(new RegExp(`instance ${instance.id}: its namespace's init exited`))
  }, 60_000)
})
