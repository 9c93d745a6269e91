// The runner cancelling the job (SIGINT, or SIGTERM) in each phase of a real run of dist/:
// while bundling nothing reaches S3; while uploading the multipart upload is aborted and nothing
// is left; while waiting the deployment is stopped. The step always ends by itself, failed.
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { settled } from '../e2e/bed.js'
import { FaultProxy, pass } from '../e2e/fault-proxy.js'
import type { ActionRun } from '../e2e/harness.js'
import {
  appWorkspace,
  b,
  deploy,
  expectCleanFailure,
  expectNothingStored,
  lastSeq,
  requestsSince
} from './rel.js'

const APP = 'rel-signal'

/** Runs with S3 behind a proxy; `onS3` sees each S3 request with the child, to time a signal. */
async function run(
  ws: string,
  onS3: (op: string, n: number, child: ChildProcess) => void,
  onOutput?: (out: string, child: ChildProcess) => boolean,
  inputs: Record<string, string> = {}
): Promise<{ r: ActionRun; proxy: FaultProxy }> {
  let child: ChildProcess | undefined
  const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, (req, n) => {
    if (child) onS3(req.operation, n, child)
    return req.operation === 'UploadPart' ? { kind: 'delay', ms: 1500 } : pass
  })
  try {
    const r = await deploy(APP, ws, inputs, {
      env: { AWS_ENDPOINT_URL_S3: proxy.url },
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

describe.each(['SIGINT', 'SIGTERM'] as const)('%s', (signal) => {
  it('while bundling: nothing reaches S3 or CodeDeploy', async () => {
    // 60,000 files take several seconds to select and archive, even on a fast machine.
    const files: Record<string, string> = {}
    for (let i = 0; i < 60_000; i++) files[`deploy/data/${i % 100}/f${i}.txt`] = `${i}\n`
    const ws = appWorkspace(APP, { extra: files })
    const since = await lastSeq()
    let sent = false
    const { r, proxy } = await run(
      ws,
      () => undefined,
      (out, c) => {
        // The entry prints its first line before loading the rest (and the signal handlers):
        // the signal goes 400 ms later, while the 60,000 files are being selected.
        if (!sent && out.includes('deploying')) {
          sent = true
          setTimeout(() => c.kill(signal), 400)
        }
        return sent
      }
    )
    expect(sent).toBe(true)
    expect(expectCleanFailure(r)).toMatch(
      /Cancelled (while bundling|before the upload): nothing was uploaded/
    )
    expect(proxy.requests).toEqual([])
    expect((await requestsSince(since)).filter((c) => c.application === APP)).toEqual([])
    expect(r.durationMs).toBeLessThan(7500)
    expect(r.stdout).not.toContain('::group::Bundle')
  })

  it('while uploading: the multipart upload is aborted, nothing is left, nothing deployed', async () => {
    const ws = appWorkspace(APP, { extra: { 'deploy/blob.bin': randomBytes(40 * 1024 * 1024) } })
    const since = await lastSeq()
    let sentAt = 0
    const { r, proxy } = await run(ws, (op, _n, child) => {
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
      (await requestsSince(since)).filter(
        (c) => c.application === APP && c.operation === 'CreateDeployment'
      )
    ).toEqual([])
    // Within the runner's 7.5 s between SIGINT and SIGTERM (and the kill after).
    expect(r.durationMs - (sentAt - (Date.now() - r.durationMs))).toBeLessThan(30_000)
  })

  it('while waiting: the deployment is stopped', async () => {
    const ws = appWorkspace(APP, { start: '#!/bin/bash\nsleep 30\n' })
    let sent = false
    const { r } = await run(
      ws,
      () => undefined,
      (out, c) => {
        if (!sent && out.includes('Created deployment')) {
          sent = true
          setTimeout(() => c.kill(signal), 2000)
        }
        return sent
      },
      { 'wait-timeout': '3' }
    )
    expect(sent).toBe(true)
    const error = expectCleanFailure(r)
    expect(error).toMatch(/cancelled while deployment d-[A-Z0-9]{9} .* was running; it was stopped/)
    expect(r.stdout).toContain(`Received ${signal}`)
    expect((await settled(b, r.outputs['deployment-id'] as string)).status).toBe('Stopped')
    expect(r.durationMs).toBeLessThan(30_000)
  }, 90_000)
})
