// The orchestrator, driven as main.ts drives it (support/pipeline-harness.ts): a deployment that
// succeeds, a dry run, an upload or CodeDeploy that fails, cancellation, the summary, the key.
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy'
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand
} from '@aws-sdk/client-s3'
import { InputError } from '../src/common/errors.js'
import type { Sleep } from '../src/common/log.js'
import { writeTree } from './support/fixtures.js'
import { FakeClock } from './deploy/fake-codedeploy.js'
import { Input, Output } from '../src/settings/constants.js'
import { State } from '../src/state-helper.js'
import {
  APP,
  APPSPEC,
  AWS_ENV,
  BUNDLE_OUTPUTS,
  ETAG,
  bundleDirs,
  cd,
  createInputs,
  harness,
  rejection,
  RUN_ENV,
  s3,
  s3Error,
  sha256Of,
  usePipelineMocks
} from './support/pipeline-harness.js'

usePipelineMocks()

describe('runPipeline: a deployment that succeeds', () => {
  it('sets every output, from the file built, the object uploaded and the deployment', async () => {
    const h = harness()
    const result = await h.run()
    expect(result).toEqual({})

    const id = h.output(Output.DeploymentId)!
    expect(id).toMatch(/^d-\d{4}ABCDE$/)
    expect(new Set(h.outputs.map(([n]) => n))).toEqual(new Set(Object.values(Output)))

    const archive = h.output(Output.BundlePath)!
    expect(path.dirname(path.dirname(archive))).toBe(h.temp)
    expect(h.output(Output.BundleSha256)).toBe(sha256Of(archive))
    expect(h.output(Output.BundleSize)).toBe(String(statSync(archive).size))
    const key = `my-app/42/${sha256Of(archive).slice(0, 16)}.tgz`
    expect(h.output(Output.BundleKey)).toBe(key)
    expect(h.output(Output.BundleUri)).toBe(`s3://my-bucket/${key}`)
    expect(h.output(Output.BundleEtag)).toBe(ETAG)
    expect(h.output(Output.BundleVersion)).toBe('v-1')
    expect(h.output(Output.BundleUploaded)).toBe('true')
    const url = `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
    expect(h.output(Output.DeploymentStatus)).toBe('Succeeded')
    expect(h.output(Output.DeploymentUrl)).toBe(url)
    expect(JSON.parse(h.output(Output.Deployments)!)).toEqual([
      {
        group: 'blue',
        id,
        status: 'Succeeded',
        url,
        previousDeploymentId: '',
        previousCommit: '',
        advice: ''
      }
    ])
    expect(h.output(Output.RollbackDeploymentId)).toBe('')
    expect(h.output(Output.FailedInstances)).toBe('[]')
  })

  it('sets the outputs as each stage ends: bundle, upload, the id once created, then the end', async () => {
    const h = harness()
    await h.run()
    const id = h.output(Output.DeploymentId)!
    expect(h.outputs.map(([n]) => n)).toEqual([
      ...BUNDLE_OUTPUTS,
      Output.BundleEtag,
      Output.BundleVersion,
      Output.BundleUploaded,
      Output.DeploymentId,
      Output.DeploymentId,
      Output.DeploymentStatus,
      Output.DeploymentUrl,
      Output.Deployments,
      Output.RollbackDeploymentId,
      Output.FailedInstances,
      Output.DeletedReplacementFleet,
      Output.Skipped
    ])
    // The early deployment-id is the same as the final one.
    expect(h.outputs.filter(([n]) => n === Output.DeploymentId)).toEqual([
      [Output.DeploymentId, id],
      [Output.DeploymentId, id]
    ])
  })

  it('uploads the archive it built to the key, and deploys that object pinned by eTag and version', async () => {
    const h = harness()
    await h.run()
    const archive = h.output(Output.BundlePath)!
    const puts = s3.commandCalls(PutObjectCommand)
    expect(puts).toHaveLength(1)
    const put = puts[0]!.args[0].input
    expect(put).toMatchObject({
      Bucket: 'my-bucket',
      Key: h.output(Output.BundleKey),
      ContentType: 'application/gzip',
      Metadata: { sha256: sha256Of(archive) }
    })
    expect(Buffer.from(put.Body as Buffer).equals(readFileSync(archive))).toBe(true)

    expect(createInputs()).toHaveLength(1)
    expect(createInputs()[0]).toMatchObject({
      applicationName: 'my-app',
      deploymentGroupName: 'blue',
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: 'my-bucket',
          key: h.output(Output.BundleKey),
          bundleType: 'tgz',
          eTag: ETAG,
          version: 'v-1'
        }
      }
    })
    // The clients are in the region of the environment.
    const client = s3.call(0).thisValue as S3Client
    expect(await client.config.region()).toBe('us-east-1')
  })

  it('saves the post step its state in order: how to reach it, the id, then finished', async () => {
    const h = harness()
    await h.run()
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'true'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentId, h.output(Output.DeploymentId)],
      [State.DeploymentFinished, 'true']
    ])
  })

  it('saves auto-rollback and stop-on-cancel as given', async () => {
    const h = harness({ [Input.AutoRollback]: 'false', [Input.StopOnCancel]: 'false' })
    await h.run()
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'false'],
      [State.AutoRollback, 'false'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentId, h.output(Output.DeploymentId)],
      [State.DeploymentFinished, 'true']
    ])
  })

  it('saves each group it waits for, and finished once after the last', async () => {
    const h = harness({ [Input.DeploymentGroup]: 'blue\ngreen', [Input.AutoRollback]: 'true' })
    const result = await h.run()
    expect(result).toEqual({})
    const deployments = JSON.parse(h.output(Output.Deployments)!) as { id: string; group: string }[]
    expect(deployments.map((d) => d.group)).toEqual(['blue', 'green'])
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'true'],
      [State.AutoRollback, 'true'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentId, deployments[0]!.id],
      [State.DeploymentId, deployments[1]!.id],
      [State.DeploymentFinished, 'true']
    ])
    expect(h.output(Output.DeploymentId)).toBe(deployments[1]!.id)
  })

  it('wait: false saves no deployment id (nothing to stop), and reports the deployment Created', async () => {
    const h = harness({ [Input.Wait]: 'false' })
    const result = await h.run()
    expect(result).toEqual({})
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'true'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentFinished, 'true']
    ])
    expect(h.output(Output.DeploymentStatus)).toBe('Created')
    expect(h.fake.count('GetDeployment')).toBe(0)
  })

  it('writes the summary once, with the bundle, the S3 object and the deployment', async () => {
    const h = harness()
    await h.run()
    expect(h.summaries).toHaveLength(1)
    const md = h.summaries[0]!
    const id = h.output(Output.DeploymentId)!
    expect(md).toMatch(/^## CodeDeploy: my-app → blue\n/)
    expect(md).toContain('### Bundle')
    expect(md).toContain(`| sha256 | \`${h.output(Output.BundleSha256)}\` |`)
    expect(md).toContain('### appspec: codedeploy/appspec.yml')
    expect(md).toContain('### S3 object')
    expect(md).toContain(`| URI | \`${h.output(Output.BundleUri)}\` |`)
    expect(md).toContain(`| ETag | \`${ETAG}\` |`)
    expect(md).toContain('| Upload | uploaded |')
    expect(md).toContain('### Deployments')
    expect(md).toContain(id)
    expect(md).not.toContain('[!CAUTION]')
    expect(md).not.toContain('dry run')
    // The order a reader expects.
    const at = (s: string) => md.indexOf(s)
    expect(at('### Bundle')).toBeLessThan(at('### S3 object'))
    expect(at('### S3 object')).toBeLessThan(at('### Deployments'))
  })

  it('reuses an identical object already in S3: no upload, bundle-uploaded false', async () => {
    const h = harness()
    // First run to learn the archive's hash and size; the second finds the object there.
    await h.run()
    const sha256 = h.output(Output.BundleSha256)!
    const size = Number(h.output(Output.BundleSize))
    s3.reset()
    s3.on(HeadObjectCommand).resolves({
      ETag: '"reused-etag"',
      ContentLength: size,
      Metadata: { sha256, 'git-commit': RUN_ENV.GITHUB_SHA },
      VersionId: 'v-0'
    })
    h.outputs.length = 0
    await h.run()
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0)
    expect(h.output(Output.BundleUploaded)).toBe('false')
    expect(h.output(Output.BundleEtag)).toBe('reused-etag')
    expect(createInputs().at(-1)!.revision!.s3Location).toMatchObject({
      eTag: 'reused-etag',
      version: 'v-0'
    })
    expect(h.summaries.at(-1)).toContain('| Upload | reused: an identical object')
  })
})

describe('runPipeline: a dry run', () => {
  it.each<[string, Partial<Record<Input, string>>, string]>([
    ['with a bucket', {}, 's3://my-bucket/'],
    ['without a bucket', { [Input.Bucket]: '' }, '']
  ])('%s: makes no AWS call at all', async (_what, inputs, uriStart) => {
    const h = harness({ [Input.DryRun]: 'true', ...inputs })
    const result = await h.run()
    expect(result).toEqual({})
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    expect(h.fake.calls).toEqual([])
    expect(h.saved).toEqual([])

    expect(h.outputs.map(([n]) => n)).toEqual([
      ...BUNDLE_OUTPUTS,
      Output.DeploymentStatus,
      Output.Skipped
    ])
    expect(h.output(Output.DeploymentStatus)).toBe('')
    if (uriStart) expect(h.output(Output.BundleUri)!.startsWith(uriStart)).toBe(true)
    else expect(h.output(Output.BundleUri)).toBe('')
    // The bundle is built (and validated) all the same.
    expect(existsSync(h.output(Output.BundlePath)!)).toBe(true)
  })

  it('summarises the request it would send', async () => {
    const h = harness({ [Input.DryRun]: 'true', [Input.Bucket]: '' })
    await h.run()
    expect(h.summaries).toHaveLength(1)
    const md = h.summaries[0]!
    expect(md).toMatch(/^## CodeDeploy dry run: my-app\n/)
    expect(md).toContain('### Bundle')
    expect(md).toContain('### S3 object (dry run: not uploaded)')
    expect(md).toContain('| Bucket | (not set) |')
    expect(md).toContain(`| Key | \`${h.output(Output.BundleKey)}\` |`)
    expect(md).toContain('### CreateDeployment request (not sent: dry run)')
    expect(md).toContain('"deploymentGroupName": "blue"')
    expect(md).toContain('"bucket": "<bucket>"')
    expect(md).not.toContain('### Deployments')
    expect(h.log.text()).toContain('Dry run: nothing was uploaded and no deployment was created.')
  })
})

describe('runPipeline: the upload fails', () => {
  it('PutObject denied: throws, summary written once with the failure, no CodeDeploy call', async () => {
    const h = harness()
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    const err = await rejection(h.run())
    expect(err.message).toMatch(/^S3 PutObject failed: AccessDenied/)

    // Only the order check's read of the group, before the upload; nothing created.
    expect(cd.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      'GetDeploymentGroupCommand'
    ])
    expect(h.saved).toEqual([]) // no deployment to stop
    // skipped is set whichever way the run ends: false here.
    expect(h.outputs.map(([n]) => n)).toEqual([...BUNDLE_OUTPUTS, Output.Skipped])
    expect(h.summaries).toHaveLength(1)
    const md = h.summaries[0]!
    expect(md).toContain('> [!CAUTION]\n> S3 PutObject failed: AccessDenied')
    expect(md).toContain('### Bundle')
    expect(md).not.toContain('### S3 object')
    expect(md).not.toContain('### Deployments')
  })

  it('CreateMultipartUpload denied (a bundle over one 6 MiB part): the same', async () => {
    const h = harness(
      {},
      { tree: { ...APP, 'codedeploy/lib/app.jar': randomBytes(8 * 1024 * 1024 + 1024) } }
    )
    s3.on(CreateMultipartUploadCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    const err = await rejection(h.run())
    expect(err.message).toMatch(/^S3 CreateMultipartUpload failed: AccessDenied/)
    expect(s3.commandCalls(UploadPartCommand)).toHaveLength(0)
    // Only the order check's read of the group, before the upload; nothing created.
    expect(cd.calls().map((c) => (c.args[0] as object).constructor.name)).toEqual([
      'GetDeploymentGroupCommand'
    ])
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain(
      '> [!CAUTION]\n> S3 CreateMultipartUpload failed: AccessDenied'
    )
  })

  it('the error thrown is the upload error even when the summary cannot be written', async () => {
    const h = harness()
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403, 'Access Denied'))
    h.deps.writeSummary = () => Promise.reject(new Error('ENOSPC: no space left on device'))
    const err = await rejection(h.run())
    expect(err.message).toMatch(/^S3 PutObject failed: AccessDenied/)
    expect(h.log.text('warning')).toContain(
      'Could not write the job summary: ENOSPC: no space left on device'
    )
  })
})

describe('runPipeline: CodeDeploy refuses the deployment', () => {
  it('CreateDeployment fails: the step fails with it, the summary says it, the post step has nothing to do', async () => {
    const h = harness({ [Input.DeploymentGroup]: 'purple' })
    const result = await h.run()

    expect(result.failure).toMatch(
      /^CreateDeployment failed: DeploymentGroupDoesNotExistException: No Deployment Group found for name: purple\. .*Deployment group 'purple' does not exist in application 'my-app' \(us-east-1\)\. Its groups: 'blue', 'green', 'staging'\./
    )
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1)
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'true'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentFinished, 'true']
    ])
    expect(h.output(Output.DeploymentId)).toBeUndefined()
    expect(h.output(Output.Deployments)).toBe('[]')
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain('### Deployments')
    expect(h.summaries[0]).toContain(
      'CreateDeployment failed: DeploymentGroupDoesNotExistException'
    )
  })
})

describe('runPipeline: the deployment fails', () => {
  const hookFailure = {
    event: 'ValidateService',
    errorCode: 'ScriptFailed',
    script: 'scripts/validate.sh',
    message: 'Script at specified location: scripts/validate.sh failed with exit code 1',
    logTail: '[stderr]curl: (7) Failed to connect'
  }

  it('returns the failure; status Failed; the failed instances as JSON', async () => {
    const h = harness()
    h.fake.nextPlans = [{ instances: [{ id: 'i-0001' }, { id: 'i-0002', failAt: hookFailure }] }]
    const result = await h.run()
    const id = h.output(Output.DeploymentId)!

    expect(result.failure).toMatch(
      new RegExp(
        `^Deployment ${id} to 'blue' failed: HOOK_EXECUTION_FAILURE: .* 1 instance failed, first cause: ValidateService ScriptFailed in scripts/validate\\.sh\\.`
      )
    )
    expect(h.output(Output.DeploymentStatus)).toBe('Failed')
    expect(JSON.parse(h.output(Output.FailedInstances)!)).toEqual([
      {
        group: 'blue',
        deploymentId: id,
        instanceId: 'i-0002',
        lifecycleEvent: 'ValidateService',
        errorCode: 'ScriptFailed',
        script: 'scripts/validate.sh',
        message: hookFailure.message,
        // A script that exits 1 says nothing a rule can read: no advice, not a guess.
        advice: ''
      }
    ])
    // …and the report is what it was before the catalogue: no Fix, the log as the next step.
    const url = `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
    expect(result.failure).toBe(
      `Deployment ${id} to 'blue' failed: HOOK_EXECUTION_FAILURE: The deployment failed because one or more instances failed a lifecycle event. 1 instance failed, first cause: ValidateService ScriptFailed in scripts/validate.sh. The failing instances and their script output are above; console: ${url}`
    )
    expect(JSON.parse(h.output(Output.Deployments)!)[0].advice).toBe('')
    expect(h.summaries[0]).not.toContain('How to fix')
    expect(h.saved.at(-1)).toEqual([State.DeploymentFinished, 'true'])
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain('##### Failures (1 instance)')
    // A deployment that failed is a result, not an exception: no caution box, the group says it.
    expect(h.summaries[0]).not.toContain('[!CAUTION]')
  })

  it('reports the rollback CodeDeploy started', async () => {
    const h = harness({ [Input.AutoRollback]: 'true' })
    h.fake.nextPlans = [{ instances: [{ id: 'i-0001', failAt: hookFailure }] }]
    const result = await h.run()
    const rollback = h.output(Output.RollbackDeploymentId)!
    expect(rollback).toMatch(/^d-\d{4}ABCDE$/)
    expect(rollback).not.toBe(h.output(Output.DeploymentId))
    expect(result.failure).toContain(`CodeDeploy rolled back (${rollback} succeeded).`)
    expect(createInputs()[0]!.autoRollbackConfiguration).toEqual({
      enabled: true,
      events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST']
    })
  })
})

describe('runPipeline: cancelled', () => {
  it('before it started: fails in the bundle stage; nothing built, uploaded, output or summarised', async () => {
    const h = harness()
    h.controller.abort('SIGINT')
    const err = await rejection(h.run())
    expect(err.describe()).toBe('Cancelled while bundling: nothing was uploaded.')
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    expect(h.outputs).toEqual([])
    expect(h.saved).toEqual([])
    // The bundle stage throws before the summary's try: without a bundle there is none to write.
    expect(h.summaries).toEqual([])
    expect(bundleDirs(h.temp)).toEqual([])
  })

  it('after bundling, before the upload: nothing uploaded, the summary says so', async () => {
    const h = harness()
    // The listing is the bundle stage's last act: the job is cancelled right after it.
    const endGroup = h.log.endGroup.bind(h.log)
    h.log.endGroup = () => {
      endGroup()
      h.controller.abort('SIGINT')
    }
    const err = await rejection(h.run())
    expect(err.describe()).toBe('Cancelled before the upload: nothing was uploaded.')
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    expect(h.saved).toEqual([])
    // skipped is set whichever way the run ends: false here.
    expect(h.outputs.map(([n]) => n)).toEqual([...BUNDLE_OUTPUTS, Output.Skipped])
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain(
      '> [!CAUTION]\n> Cancelled before the upload: nothing was uploaded.'
    )
  })

  it('a pre-built archive is not checked for cancellation until the upload', async () => {
    // An archive the action built earlier (a dry run), as a user's step would leave it.
    const first = harness({ [Input.DryRun]: 'true' })
    await first.run()
    const h = harness({ [Input.Source]: '', [Input.Archive]: 'app.tgz' })
    writeTree(h.ws, { 'app.tgz': readFileSync(first.output(Output.BundlePath)!) })
    h.controller.abort('SIGTERM')
    const err = await rejection(h.run())
    expect(err.describe()).toBe('Cancelled before the upload: nothing was uploaded.')
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    // skipped is set whichever way the run ends: false here.
    expect(h.outputs.map(([n]) => n)).toEqual([...BUNDLE_OUTPUTS, Output.Skipped])
    expect(h.summaries).toHaveLength(1)
  })

  /** A sleep that cancels the job the first time the pipeline waits (while following the deployment). */
  const cancelOnFirstSleep =
    (clock: FakeClock, controller: AbortController): Sleep =>
    (ms, signal) => {
      if (!controller.signal.aborted) controller.abort('SIGINT')
      return clock.sleep(ms, signal)
    }

  it('while waiting, stop-on-cancel true: StopDeployment, the failure, finished saved', async () => {
    const h = harness({}, { sleep: cancelOnFirstSleep })
    const result = await h.run()
    const id = h.output(Output.DeploymentId)!

    expect(cd.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: id, autoRollbackEnabled: false }
    ])
    expect(result.failure).toBe(
      `The workflow was cancelled while deployment ${id} to 'blue' was running; it was stopped (status Stopped). Console: https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=us-east-1`
    )
    expect(h.output(Output.DeploymentStatus)).toBe('Stopped')
    expect(h.saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'true'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentId, id],
      [State.DeploymentFinished, 'true']
    ])
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain('was cancelled while deployment')
    // Stopped promptly: within the few seconds the runner leaves before it kills the step.
    expect(h.clock.elapsed()).toBeLessThan(10_000)
  })

  it('while waiting, with auto-rollback: the stop rolls back', async () => {
    const h = harness({ [Input.AutoRollback]: 'true' }, { sleep: cancelOnFirstSleep })
    await h.run()
    expect(cd.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: h.output(Output.DeploymentId), autoRollbackEnabled: true }
    ])
  })

  it('while waiting, stop-on-cancel false: the deployment is left running', async () => {
    const h = harness({ [Input.StopOnCancel]: 'false' }, { sleep: cancelOnFirstSleep })
    const result = await h.run()
    const id = h.output(Output.DeploymentId)!
    expect(cd.commandCalls(StopDeploymentCommand)).toHaveLength(0)
    expect(result.failure).toMatch(
      new RegExp(
        `^The workflow was cancelled while deployment ${id} to 'blue' was running; it was left running\\.`
      )
    )
    // Main saw the cancellation and chose to leave it: the post step must not stop it either.
    expect(h.saved.at(-1)).toEqual([State.DeploymentFinished, 'true'])
  })
})

describe('runPipeline: the job summary cannot be written', () => {
  it('warns, and the deployment still succeeds', async () => {
    const h = harness()
    let attempts = 0
    h.deps.writeSummary = () => {
      attempts++
      return Promise.reject(new Error('GITHUB_STEP_SUMMARY is not writable'))
    }
    const result = await h.run()
    expect(result).toEqual({})
    expect(attempts).toBe(1)
    expect(h.log.lines.filter((l) => l.level === 'warning')).toEqual([
      {
        level: 'warning',
        message: 'Could not write the job summary: GITHUB_STEP_SUMMARY is not writable',
        props: undefined
      }
    ])
    expect(h.output(Output.DeploymentStatus)).toBe('Succeeded')
  })

  it('a writer that throws a non-Error is reported the same way', async () => {
    const h = harness({ [Input.DryRun]: 'true' })
    h.deps.writeSummary = () => Promise.reject('disk full')
    await expect(h.run()).resolves.toEqual({})
    expect(h.log.text('warning')).toBe('Could not write the job summary: disk full')
  })
})

describe('runPipeline: the key', () => {
  it('a template rendering over 1,024 bytes fails before any AWS call', async () => {
    // 'é' is two bytes: 505 of them, '/', 16 hex digits and '.tgz' make 1,031 bytes.
    const h = harness({ [Input.Key]: `${'é'.repeat(505)}/{bundle_hash}.{ext}` })
    const err = await rejection(h.run())
    expect(err).toBeInstanceOf(InputError)
    expect(err.describe()).toBe(
      "Input 'key': renders to a key of 1031 bytes; S3 allows 1024. Use a shorter template."
    )
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    expect(h.saved).toEqual([])
    expect(h.outputs).toEqual([])
    // The key is rendered before the summary's try, like the bundle: no summary either.
    expect(h.summaries).toEqual([])
  })

  it('a template of exactly 1,024 bytes is used as it is', async () => {
    const h = harness({ [Input.Key]: `${'é'.repeat(501)}a/{bundle_hash}.{ext}` })
    await h.run()
    expect(Buffer.byteLength(h.output(Output.BundleKey)!)).toBe(1024)
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Key).toBe(h.output(Output.BundleKey))
  })
})

describe('runPipeline: settings it is given', () => {
  it('uses the region input over the environment for both clients and the state', async () => {
    const h = harness({ [Input.Region]: 'eu-west-1' })
    await h.run()
    expect(await (s3.call(0).thisValue as S3Client).config.region()).toBe('eu-west-1')
    expect(await (cd.call(0).thisValue as CodeDeployClient).config.region()).toBe('eu-west-1')
    expect(h.saved[0]).toEqual([State.Region, 'eu-west-1'])
    expect(h.output(Output.DeploymentUrl)).toContain('region=eu-west-1')
  })

  it('an unusable AWS_REGION fails before any AWS call, with the summary of the bundle', async () => {
    const h = harness()
    h.deps.env = { ...AWS_ENV, AWS_REGION: 'Europe (Ireland)' }
    const err = await rejection(h.run())
    expect(err.message).toBe("AWS_REGION is 'Europe (Ireland)', which is not an AWS region code.")
    expect(s3.calls()).toHaveLength(0)
    expect(cd.calls()).toHaveLength(0)
    expect(h.saved).toEqual([])
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain("> [!CAUTION]\n> AWS\\_REGION is 'Europe (Ireland)'")
  })

  it('a failing appspec stops the run before any AWS call; the summary shows the findings', async () => {
    const h = harness(
      {},
      { tree: { ...APP, 'codedeploy/appspec.yml': APPSPEC.replace('install.sh', 'gone.sh') } }
    )
    const err = await rejection(h.run())
    expect(err.message).toMatch(/^The CodeDeploy agent would fail on this bundle/)
    expect(s3.calls()).toHaveLength(0)
    expect(h.summaries).toHaveLength(1)
    expect(h.summaries[0]).toContain(
      '> [!CAUTION]\n> The CodeDeploy agent would fail on this bundle'
    )
    expect(h.summaries[0]).toMatch(
      /\| :x: error \| `codedeploy\/appspec\.yml:\d+(:\d+)?` \|.*gone\.sh/
    )
    expect(h.summaries[0]).not.toContain('### Bundle')
    expect(bundleDirs(h.temp)).toEqual([])
  })
})
