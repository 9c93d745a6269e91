// dist/index.js under Node 24, as the runner starts it, deploying to the local test bed
// (radosgw + the CodeDeploy emulator, whose instances run the hooks for real).
import { beforeAll, describe, expect, test } from '@jest/globals'
import {
  bed,
  codedeploy,
  deployment,
  objectsUnder,
  requests,
  setFaults,
  settled
} from '../support/bed.js'
import type { ActionRun } from './harness.js'
import { deployOnBed, json, type RunExtra } from '../support/runs.js'
import { writeTree } from '../support/fixtures.js'
import { appWorkspace as appOf, type AppOptions } from './workspace.js'

const b = bed()

/** The app of e2e tests: an AfterInstall hook besides the two, every hook with 30 s. */
const appWorkspace = (app: string, opts: AppOptions = {}): string =>
  appOf(app, {
    afterInstall: '#!/bin/bash\necho "installed $DEPLOYMENT_ID on $(hostname)"\n',
    hookTimeout: 30,
    ...opts
  })

const FAILING_VALIDATE =
  '#!/bin/bash\necho "checking http://127.0.0.1:8080/script-health-check"\necho "health check failed: connection refused" >&2\nexit 1\n'

const deploy = (
  app: string,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunExtra = {}
): Promise<ActionRun> => deployOnBed(b, app, ws, inputs, extra)

// Deployments of these applications never finish: timeouts, cancellation and the post step.
const HANGING = ['e2e-hang', 'e2e-hang-stop', 'e2e-cancel', 'e2e-post']

// The tests are concurrent (they mostly wait on deployments): each deploys an application of its
// own (__tests__/e2e/fleet.yml), so no run meets another's deployment, fault switch or requests.
describe('deploying to the test bed', () => {
  beforeAll(async () => {
    for (const app of HANGING) await setFaults(b, { hangDeployments: true }, app)
  })
  test.concurrent(
    'deploys to two instances, sets every output and writes the summary',
    async () => {
      const ws = appWorkspace('e2e-success')
      const r = await deploy('e2e-success', ws)
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      const o = r.outputs
      expect(o['deployment-status']).toBe('Succeeded')
      expect(o['deployment-id']).toMatch(/^d-[A-Z0-9]{9}$/)
      expect(o['deployment-url']).toBe(
        `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${o['deployment-id']}?region=us-east-1`
      )
      expect(json(o.deployments)).toEqual([
        {
          group: 'fleet',
          id: o['deployment-id'],
          status: 'Succeeded',
          url: o['deployment-url'],
          previousDeploymentId: '',
          previousCommit: '',
          advice: ''
        }
      ])
      expect(o['bundle-uploaded']).toBe('true')
      expect(o['bundle-etag']).toMatch(/^[0-9a-f]{32}(-\d+)?$/)
      expect(o['bundle-version']).not.toBe('')
      expect(o['bundle-uri']).toBe(
        `s3://${b.bucket}/e2e-success/42/${o['bundle-sha256']?.slice(0, 16)}.tgz`
      )
      expect(json(o['failed-instances'])).toEqual([])
      expect(o['rollback-deployment-id']).toBe('')

      const info = await deployment(b, o['deployment-id'] as string)
      expect(info.revision?.s3Location).toMatchObject({
        bucket: b.bucket,
        key: o['bundle-key'],
        bundleType: 'tgz',
        eTag: o['bundle-etag'],
        version: o['bundle-version']
      })
      expect(r.summary).toContain(o['deployment-id'])
      expect(r.summary).toContain('ValidateService')
      expect(r.summary).toContain(o['bundle-etag'])
      // The deployment id was known before the wait ended: the runner could show it early.
      expect(r.state['deployment-id']).toBe(o['deployment-id'])
    },
    90_000
  )

  test.concurrent(
    'reuses the object on a re-run with identical content',
    async () => {
      const ws = appWorkspace('e2e-reuse')
      const first = await deploy('e2e-reuse', ws, { wait: 'false' })
      expect(first.code).toBe(0)
      await settled(codedeploy(b), first.outputs['deployment-id'] as string)
      const again = await deploy('e2e-reuse', ws, { wait: 'false' })
      expect(again.code).toBe(0)
      expect(again.outputs['bundle-uploaded']).toBe('false')
      expect(again.outputs['bundle-key']).toBe(first.outputs['bundle-key'])
      expect(again.outputs['bundle-etag']).toBe(first.outputs['bundle-etag'])
      expect(again.outputs['bundle-version']).toBe(first.outputs['bundle-version'])
      await settled(codedeploy(b), again.outputs['deployment-id'] as string)
    },
    90_000
  )

  test.concurrent(
    'explains a failed hook per instance, with its log tail',
    async () => {
      const ws = appWorkspace('e2e-fail', { validate: FAILING_VALIDATE })
      const r = await deploy('e2e-fail', ws)
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Failed')
      const failed = json<
        {
          instanceId: string
          lifecycleEvent: string
          errorCode: string
          script: string
          message: string
        }[]
      >(r.outputs['failed-instances'])
      expect(failed).toHaveLength(2)
      for (const f of failed) {
        expect(f).toMatchObject({ lifecycleEvent: 'ValidateService', errorCode: 'ScriptFailed' })
        expect(f.script).toContain('validate.sh')
        expect(f.message).toContain('failed with exit code 1')
      }
      // The log tail of the script appears in the step's log, inside a collapsible group.
      expect(r.stdout).toContain('health check failed: connection refused')
      expect(r.stdout).toMatch(/::group::.*i-[0-9a-f]+/)
      // One annotation for the cause shared by both instances.
      expect(
        r.errors.filter((e) => e.startsWith('ValidateService failed on 2 instances'))
      ).toHaveLength(1)
      expect(r.summary).toContain('health check failed: connection refused')
    },
    90_000
  )

  test.concurrent(
    'fails on timeout and leaves the deployment running with on-timeout: fail',
    async () => {
      const r = await deploy('e2e-hang', appWorkspace('e2e-hang'), { 'wait-timeout': '0.1' })
      expect(r.code).toBe(1)
      const id = r.outputs['deployment-id'] as string
      expect(r.errors.join('\n')).toMatch(/6s|wait-timeout/)
      expect((await deployment(b, id)).status).toBe('InProgress')
      expect(r.durationMs).toBeLessThan(30_000)

      // It still holds the group: with if-active-deployment: fail, the next run names it at once.
      const blocked = await deploy('e2e-hang', appWorkspace('e2e-hang'), {
        'if-active-deployment': 'fail'
      })
      expect(blocked.code).toBe(1)
      expect(blocked.errors.join('\n')).toContain(id)
      expect(blocked.outputs['deployment-id']).toBeUndefined()
    },
    90_000
  )

  test.concurrent(
    'stops the deployment on timeout with on-timeout: stop',
    async () => {
      const r = await deploy('e2e-hang-stop', appWorkspace('e2e-hang-stop'), {
        'wait-timeout': '0.1',
        'on-timeout': 'stop'
      })
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Stopped')
      expect((await settled(codedeploy(b), r.outputs['deployment-id'] as string)).status).toBe(
        'Stopped'
      )
    },
    90_000
  )

  test.concurrent(
    'stops the deployment when the runner cancels the job with SIGINT',
    async () => {
      let sent = 0
      let closed = 0
      const r = await deploy(
        'e2e-cancel',
        appWorkspace('e2e-cancel'),
        { 'wait-timeout': '5' },
        {
          onSpawn: (child, output) => {
            const timer = setInterval(() => {
              if (
                output().includes('deployment-id') ||
                /Created deployment|d-[A-Z0-9]{9}/.test(output())
              ) {
                clearInterval(timer)
                setTimeout(() => {
                  sent = Date.now()
                  child.kill('SIGINT')
                }, 1500)
              }
            }, 100)
            child.on('close', () => {
              closed = Date.now()
              clearInterval(timer)
            })
          }
        }
      )
      expect(sent).toBeGreaterThan(0)
      expect(closed - sent).toBeLessThan(7500)
      // The runner sends SIGTERM 7.5 s after SIGINT: we must be done well before.
      expect(r.code).not.toBe(0)
      expect(r.signal).toBeNull()
      const id = r.outputs['deployment-id'] as string
      expect(id).toMatch(/^d-/)
      expect((await settled(codedeploy(b), id)).status).toBe('Stopped')
      expect(r.stdout).toMatch(/SIGINT/)
    },
    90_000
  )

  test.concurrent(
    'stops a deployment the main step left running from the post step (backstop)',
    async () => {
      const created = await deploy('e2e-post', appWorkspace('e2e-post'), { wait: 'false' })
      const id = created.outputs['deployment-id'] as string
      expect(id).toMatch(/^d-/)
      const state = {
        'is-post': 'true',
        'deployment-id': id,
        'stop-on-cancel': 'true',
        region: 'us-east-1'
      }
      // A main step that saw its deployment end leaves nothing for the post step to do.
      const idle = await deploy(
        'e2e-post',
        appWorkspace('e2e-post'),
        {},
        { state: { ...state, 'deployment-finished': 'true' } }
      )
      expect(idle.code).toBe(0)
      expect(idle.stdout).toBe('')
      expect(['Created', 'InProgress']).toContain((await deployment(b, id)).status)

      const post = await deploy('e2e-post', appWorkspace('e2e-post'), {}, { state })
      expect(post.code).toBe(0)
      expect(post.stdout).toContain(`stopping it (stop-on-cancel)`)
      expect((await settled(codedeploy(b), id)).status).toBe('Stopped')
    },
    90_000
  )

  test.concurrent(
    'queues behind an active deployment, then deploys',
    async () => {
      // Someone else's deployment, whose ApplicationStart takes long enough for this run to find
      // it active even when the machine is busy (the other suites run meanwhile).
      const other = appWorkspace('e2e-queue', { start: '#!/bin/bash\nsleep 15\n' })
      const first = await deploy('e2e-queue', other, { wait: 'false' })
      const activeId = first.outputs['deployment-id'] as string
      expect(activeId).toMatch(/^d-/)
      const r = await deploy('e2e-queue', appWorkspace('e2e-queue'))
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(activeId)
      expect(r.outputs['deployment-id']).not.toBe(activeId)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
      expect((await deployment(b, activeId)).status).toBe('Succeeded')
    },
    90_000
  )

  test.concurrent(
    'survives a throttling storm while waiting',
    async () => {
      await setFaults(b, { throttle: { every: 2 } }, 'e2e-throttle')
      try {
        const r = await deploy('e2e-throttle', appWorkspace('e2e-throttle'))
        expect(r.errors).toEqual([])
        expect(r.code).toBe(0)
        expect(r.outputs['deployment-status']).toBe('Succeeded')
        const calls = await requests(b, { application: 'e2e-throttle' })
        expect(calls.filter((c) => c.error === 'ThrottlingException').length).toBeGreaterThan(2)
      } finally {
        await setFaults(b, {}, 'e2e-throttle')
      }
    },
    90_000
  )

  test.concurrent(
    'deploys two groups in order, the same revision to each',
    async () => {
      const r = await deploy('e2e-groups', appWorkspace('e2e-groups'), {
        'deployment-group': 'first\nsecond'
      })
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      const deployments = json<{ group: string; id: string; status: string }[]>(
        r.outputs.deployments
      )
      expect(deployments.map((d) => [d.group, d.status])).toEqual([
        ['first', 'Succeeded'],
        ['second', 'Succeeded']
      ])
      expect(r.outputs['deployment-id']).toBe(deployments[1]?.id)
      const [a, c] = await Promise.all(deployments.map((d) => deployment(b, d.id)))
      expect(a?.revision).toEqual(c?.revision)
      expect((a?.completeTime?.getTime() ?? 0) <= (c?.createTime?.getTime() ?? 0)).toBe(true)
    },
    90_000
  )

  test.concurrent(
    'does not attempt the second group after the first fails',
    async () => {
      const before = (await requests(b, { application: 'e2e-groups-fail' })).length
      const r = await deploy(
        'e2e-groups-fail',
        appWorkspace('e2e-groups-fail', { validate: FAILING_VALIDATE }),
        {
          'deployment-group': 'first\nsecond'
        }
      )
      expect(r.code).toBe(1)
      const creates = (await requests(b, { application: 'e2e-groups-fail' }))
        .slice(before)
        .filter((c) => c.operation === 'CreateDeployment')
      expect(creates.map((c) => c.input?.deploymentGroupName)).toEqual(['first'])
      expect(json<{ group: string }[]>(r.outputs.deployments).map((d) => d.group)).toEqual([
        'first'
      ])
      expect(r.summary).toMatch(/second/)
    },
    90_000
  )

  test.concurrent(
    'reports the automatic rollback and its result',
    async () => {
      const good = await deploy('e2e-rollback', appWorkspace('e2e-rollback'))
      expect(good.code).toBe(0)
      const r = await deploy(
        'e2e-rollback',
        appWorkspace('e2e-rollback', { validate: FAILING_VALIDATE })
      )
      expect(r.code).toBe(1)
      expect(r.outputs['deployment-status']).toBe('Failed')
      const rollbackId = r.outputs['rollback-deployment-id'] as string
      expect(rollbackId).toMatch(/^d-/)
      const rollback = await deployment(b, rollbackId)
      expect(rollback.creator).toBe('codeDeployRollback')
      expect(rollback.status).toBe('Succeeded')
      expect(rollback.revision).toEqual(
        (await deployment(b, good.outputs['deployment-id'] as string)).revision
      )
      expect(r.stdout).toContain(rollbackId)
      expect(r.summary).toContain(rollbackId)
    },
    90_000
  )

  test.concurrent(
    'creates the deployment and returns at once with wait: false',
    async () => {
      const r = await deploy('e2e-nowait', appWorkspace('e2e-nowait'), { wait: 'false' })
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Created')
      const id = r.outputs['deployment-id'] as string
      expect(r.state['deployment-id']).toBeUndefined()
      expect((await settled(codedeploy(b), id)).status).toBe('Succeeded')
    },
    90_000
  )

  test.concurrent(
    'deploys from an unversioned bucket',
    async () => {
      const r = await deploy('e2e-unversioned', appWorkspace('e2e-unversioned'), {
        bucket: b.unversionedBucket
      })
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['bundle-version']).toBe('')
      expect(r.outputs['deployment-status']).toBe('Succeeded')
    },
    90_000
  )

  test.concurrent(
    'makes no AWS call and uploads nothing on bad input',
    async () => {
      const cases: Record<string, string>[] = [
        { 'wait-timeout': 'soon' },
        { key: '{application}/{nope}' },
        { files: 'missing/*.jar => app.jar' }
      ]
      for (const inputs of cases) {
        const r = await deploy('e2e-refused', appWorkspace('e2e-refused'), inputs)
        expect(r.code).toBe(1)
        expect(r.errors).toHaveLength(1)
      }
      const broken = appWorkspace('e2e-refused')
      writeTree(broken, { 'deploy/scripts/validate.sh': '#!/bin/bash\r\necho crlf\r\n' })
      expect((await deploy('e2e-refused', broken)).code).toBe(1)
      expect(await requests(b, { application: 'e2e-refused' })).toEqual([])
      expect(await objectsUnder(b, b.bucket, 'e2e-refused/')).toEqual([])
    },
    90_000
  )
})
