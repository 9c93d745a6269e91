// The runner cancelling the job (SIGINT, or SIGTERM) in each phase of a real run of dist/:
// while bundling nothing reaches S3; while uploading the multipart upload is aborted and nothing
// is left; while waiting the deployment is stopped. The step always ends by itself, failed.
//
// The uploading and waiting runs (mostly waiting on a hook or a delayed part) are concurrent, each
// kind on an application of its own and each waiting run on a group of its own: a run that must
// make no call never shares its application with one that makes calls. The bundling runs, timed
// against the runner's 7.5 s, go first and one at a time.
import { expect, test } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { codedeploy, lastSeq, requests, settled } from '../support/bed.js'
import { FaultProxy, pass } from '../e2e/fault-proxy.js'
import type { ActionRun } from '../e2e/harness.js'
import { scratchParent } from '../e2e/workspace.js'
import { appWorkspace, b, deploy, expectCleanFailure, expectNothingStored } from './rel.js'

const SIGNALS = ['SIGINT', 'SIGTERM'] as const

/** Runs `app` with S3 behind a proxy; `onS3` sees each S3 request with the child, to time a signal. */
async function run(
  app: string,
  ws: string,
  onS3: (op: string, n: number, child: ChildProcess) => void,
  onOutput?: (out: string, child: ChildProcess) => boolean,
  inputs: Record<string, string> = {},
  niceness = 0
): Promise<{ r: ActionRun; proxy: FaultProxy }> {
  let child: ChildProcess | undefined
  const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, (req, n) => {
    if (child) onS3(req.operation, n, child)
    return req.operation === 'UploadPart' ? { kind: 'delay', ms: 1500 } : pass
  })
  try {
    const r = await deploy(app, ws, inputs, {
      env: { AWS_ENDPOINT_URL_S3: proxy.url },
      niceness,
      onSpawn: (c, output) => {
        child = c
        if (!onOutput) return
        const timer = setInterval(() => {
          if (onOutput(output(), c)) clearInterval(timer)
        }, 20)
        c.on('close', () => clearInterval(timer))
      }
    })
    return { r, proxy }
  } finally {
    await proxy.close()
  }
}

test.each(SIGNALS)(
  '%s while bundling: nothing reaches S3 or CodeDeploy',
  async (signal) => {
    const APP = 'rel-signal-bundle'
    // 60,000 files take several seconds to select and archive, even on a fast machine.
    const files: Record<string, string> = {}
    for (let i = 0; i < 60_000; i++) files[`deploy/data/${i % 100}/f${i}.txt`] = `${i}\n`
    // ~240 MB in blocks of 4 KB: in memory where there is room, as big-bundles.dist.test.ts does.
    const ws = appWorkspace(APP, { extra: files, parent: scratchParent(1024 ** 3) })
    const since = await lastSeq(b)
    let sent = false
    const started = Date.now()
    let seen = 0
    let signalled = 0
    const { r, proxy } = await run(
      APP,
      ws,
      () => undefined,
      (out, c) => {
        // The entry prints its first line before loading the rest (and the signal handlers):
        // the signal goes 400 ms later, while the 60,000 files are being selected.
        if (!sent && out.includes('deploying')) {
          sent = true
          seen = Date.now()
          setTimeout(() => {
            signalled = Date.now()
            c.kill(signal)
          }, 400)
        }
        return sent
      },
      {},
      // Timed against the runner's 7.5 s on a runner that runs this job alone; here other
      // suites load the cores meanwhile, so the run under test gets them first (root only).
      -5
    )
    const ended = Date.now()
    rmSync(ws, { recursive: true, force: true })
    console.log(
      `${signal} while bundling: first line seen after ${seen - started} ms, signal sent after ${signalled - started} ms, the step ended ${ended - signalled} ms after the signal`
    )
    expect(sent).toBe(true)
    expect(expectCleanFailure(r)).toMatch(
      /Cancelled (while bundling|before the upload): nothing was uploaded/
    )
    expect(proxy.requests).toEqual([])
    expect(await requests(b, { application: APP, since })).toEqual([])
    // The runner sends SIGTERM 7.5 s after SIGINT, and SIGKILL 2.5 s after that: the step must be
    // over well within the first 7.5 s of the signal.
    expect(ended - signalled).toBeLessThan(7500)
    expect(r.stdout).not.toContain('::group::Bundle')
  },
  60_000
)

test.concurrent.each(SIGNALS)(
  '%s while uploading: the multipart upload is aborted, nothing is left, nothing deployed',
  async (signal) => {
    const APP = 'rel-signal-upload'
    const ws = appWorkspace(APP, { extra: { 'deploy/blob.bin': randomBytes(40 * 1024 * 1024) } })
    const since = await lastSeq(b)
    let sentAt = 0
    const { r, proxy } = await run(APP, ws, (op, _n, child) => {
      if (op === 'UploadPart' && !sentAt) {
        sentAt = Date.now()
        child.kill(signal)
      }
    })
    expect(sentAt).toBeGreaterThan(0)
    expect(expectCleanFailure(r)).toMatch(/was cancelled\. The multipart upload was aborted/)
    expect(proxy.of('AbortMultipartUpload').length).toBeGreaterThan(0)
    expect(proxy.of('CompleteMultipartUpload')).toEqual([])
    await expectNothingStored(r.outputs['bundle-key'] as string)
    expect(
      (await requests(b, { application: APP, since })).filter(
        (c) => c.operation === 'CreateDeployment'
      )
    ).toEqual([])
    // Within the runner's 7.5 s between SIGINT and SIGTERM (and the kill after).
    expect(r.durationMs - (sentAt - (Date.now() - r.durationMs))).toBeLessThan(30_000)
  },
  90_000
)

test.concurrent.each(SIGNALS)(
  '%s while waiting: the deployment is stopped',
  async (signal) => {
    // One group per signal: each run's deployment holds its group for the hook's 30 s.
    const APP = 'rel-signal'
    const ws = appWorkspace(APP, { start: '#!/bin/bash\nsleep 30\n' })
    let sent = false
    const { r } = await run(
      APP,
      ws,
      () => undefined,
      (out, c) => {
        if (!sent && out.includes('Created deployment')) {
          sent = true
          setTimeout(() => c.kill(signal), 2000)
        }
        return sent
      },
      { 'wait-timeout': '3', 'deployment-group': signal.toLowerCase() }
    )
    expect(sent).toBe(true)
    const error = expectCleanFailure(r)
    expect(error).toMatch(/cancelled while deployment d-[A-Z0-9]{9} .* was running; it was stopped/)
    expect(r.stdout).toContain(`Received ${signal}`)
    expect((await settled(codedeploy(b), r.outputs['deployment-id'] as string)).status).toBe(
      'Stopped'
    )
    expect(r.durationMs).toBeLessThan(30_000)
  },
  90_000
)
