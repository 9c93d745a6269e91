// S3 misbehaving under a real run of dist/: a fault proxy in front of radosgw answers 500/503 or
// resets the connection on chosen calls, and radosgw itself is killed in the middle of a multipart
// upload and started again. A run either succeeds with the object really there, or fails naming
// the call — and then no object version and no open multipart upload is left under its key.
//
// The three tests are concurrent, each on deployment groups of its own. The killed radosgw is a
// second gateway of the bed's Ceph (e2e/rgw.ts): the bed's own S3 endpoint, which every other
// suite uses meanwhile, stays up.
import { expect, test } from '@jest/globals'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { randomBytes } from 'node:crypto'
import { codedeploy, s3, settled } from '../support/bed.js'
import { FaultProxy, pass, s3Error, type FaultAction } from '../e2e/fault-proxy.js'
import type { ActionRun } from '../e2e/harness.js'
import { Radosgw } from '../e2e/rgw.js'
import {
  appWorkspace,
  b,
  deploy,
  expectCleanFailure,
  expectNothingStored,
  inBatches
} from './rel.js'

const APP = 'rel-s3-faults'
const MIB = 1024 * 1024

/** A workspace whose bundle is ~`mib` MiB (random bytes do not compress): 6 MiB parts. */
function bigApp(mib: number): string {
  return appWorkspace(APP, { extra: { 'deploy/blob.bin': randomBytes(mib * MIB) } })
}

// A big bundle as a plain tar: deflating random bytes, then inflating them on the instance, is
// CPU that says nothing about S3 faults.
const BIG = { 'bundle-type': 'tar' }

async function expectStored(r: ActionRun): Promise<void> {
  const client = s3(b)
  try {
    const head = await client.send(
      new HeadObjectCommand({
        Bucket: b.bucket,
        Key: r.outputs['bundle-key'],
        VersionId: r.outputs['bundle-version']
      })
    )
    expect(head.ETag?.replace(/"/g, '')).toBe(r.outputs['bundle-etag'])
    expect(head.ContentLength).toBe(Number(r.outputs['bundle-size']))
    expect(head.Metadata?.sha256).toBe(r.outputs['bundle-sha256'])
  } finally {
    client.destroy()
  }
}

interface S3Case {
  name: string
  op: string
  fault: FaultAction
  /** Fault on the first call only (transient) or on every call. */
  always: boolean
  mib: number
}

function runCase(c: S3Case, group: string): Promise<{ r: ActionRun; proxy: FaultProxy }> {
  return FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, (req, n) =>
    req.operation === c.op && (c.always || n === 1) ? c.fault : pass
  ).then(async (proxy) => {
    try {
      const r = await deploy(
        APP,
        c.mib ? bigApp(c.mib) : appWorkspace(APP),
        { 'deployment-group': group, ...(c.mib ? BIG : {}) },
        { env: { AWS_ENDPOINT_URL_S3: proxy.url } }
      )
      return { r, proxy }
    } finally {
      await proxy.close()
    }
  })
}

const reset: FaultAction = { kind: 'reset' }

test.concurrent(
  'S3 5xx and resets: the first call of each kind failing: retried, the object is there, true success',
  async () => {
    const cases: S3Case[] = [
      { name: 'HeadObject 500', op: 'HeadObject', fault: s3Error(500), always: false, mib: 0 },
      { name: 'PutObject 503', op: 'PutObject', fault: s3Error(503), always: false, mib: 0 },
      { name: 'PutObject reset', op: 'PutObject', fault: reset, always: false, mib: 0 },
      {
        name: 'CreateMultipartUpload 503',
        op: 'CreateMultipartUpload',
        fault: s3Error(503),
        always: false,
        mib: 13
      },
      {
        name: 'CreateMultipartUpload reset',
        op: 'CreateMultipartUpload',
        fault: reset,
        always: false,
        mib: 13
      },
      { name: 'UploadPart 500', op: 'UploadPart', fault: s3Error(500), always: false, mib: 13 },
      { name: 'UploadPart reset', op: 'UploadPart', fault: reset, always: false, mib: 13 },
      {
        name: 'CompleteMultipartUpload 500',
        op: 'CompleteMultipartUpload',
        fault: s3Error(500),
        always: false,
        mib: 13
      },
      {
        name: 'CompleteMultipartUpload reset',
        op: 'CompleteMultipartUpload',
        fault: reset,
        always: false,
        mib: 13
      },
      { name: 'HeadObject reset', op: 'HeadObject', fault: reset, always: false, mib: 0 }
    ]
    const done = await inBatches(
      cases.map((c, i) => () => runCase(c, `s${i + 1}`)),
      5
    )
    for (const [i, { r, proxy }] of done.entries()) {
      const c = cases[i] as S3Case
      expect([c.name, r.errors]).toEqual([c.name, []])
      expect(r.code).toBe(0)
      expect(proxy.of(c.op)[0]?.action).toBe(
        c.fault.kind === 'reply' ? String(c.fault.status) : c.fault.kind
      )
      expect(proxy.of(c.op).length).toBeGreaterThan(1)
      await expectStored(r)
      expect((await settled(codedeploy(b), r.outputs['deployment-id'] as string)).status).toBe(
        'Succeeded'
      )
    }
  },
  240_000
)

test.concurrent(
  'S3 5xx and resets: a call of each kind failing every time: a failure naming it, nothing left behind',
  async () => {
    const cases: S3Case[] = [
      { name: 'HeadObject', op: 'HeadObject', fault: s3Error(500), always: true, mib: 0 },
      { name: 'PutObject', op: 'PutObject', fault: s3Error(503), always: true, mib: 0 },
      {
        name: 'CreateMultipartUpload',
        op: 'CreateMultipartUpload',
        fault: reset,
        always: true,
        mib: 13
      },
      { name: 'UploadPart', op: 'UploadPart', fault: s3Error(500), always: true, mib: 13 },
      {
        name: 'CompleteMultipartUpload',
        op: 'CompleteMultipartUpload',
        fault: reset,
        always: true,
        mib: 13
      }
    ]
    const done = await Promise.all(cases.map((c, i) => runCase(c, `s${i + 11}`)))
    for (const [i, { r, proxy }] of done.entries()) {
      const c = cases[i] as S3Case
      const error = expectCleanFailure(r)
      expect([c.name, error]).toEqual([c.name, expect.stringContaining(`S3 ${c.op}`)])
      expect(r.outputs['deployment-id']).toBeUndefined()
      expect(r.outputs['bundle-etag']).toBeUndefined()
      // Started multipart uploads are aborted before the step fails.
      if (proxy.of('CreateMultipartUpload').some((x) => x.action === 'pass'))
        expect(proxy.of('AbortMultipartUpload').length).toBeGreaterThan(0)
      await expectNothingStored(r.outputs['bundle-key'] as string)
      console.log(
        `S3 ${c.op} always failing: exit ${r.code} after ${r.durationMs} ms, ${proxy.requests.length} requests`
      )
    }
  },
  240_000
)

test.concurrent(
  'radosgw stopped in the middle of a multipart upload: killed after the first part and started again 3 s later: retried or failed cleanly',
  async () => {
    const gw = await Radosgw.start('outage')
    let killedAt = 0
    let restart: Promise<void> | undefined
    const proxy = await FaultProxy.start(gw.endpoint, (req, n) => {
      if (req.operation === 'UploadPart' && n === 2 && !killedAt) {
        killedAt = Date.now()
        gw.kill()
        restart = new Promise<void>((resolve) => setTimeout(resolve, 3000)).then(() => gw.restart())
      }
      return pass
    })
    let r: ActionRun
    try {
      r = await deploy(
        APP,
        bigApp(48),
        { 'deployment-group': 'outage', ...BIG },
        { env: { AWS_ENDPOINT_URL_S3: proxy.url } }
      )
    } finally {
      await proxy.close()
      await restart
      gw.stop()
    }
    expect(killedAt).toBeGreaterThan(0)
    console.log(
      `radosgw outage: exit ${r.code} after ${r.durationMs} ms; ${proxy.requests.length} S3 requests; ${r.errors.join(' | ')}`
    )
    const key = r.outputs['bundle-key'] as string
    if (r.code === 0) {
      await expectStored(r)
      expect((await settled(codedeploy(b), r.outputs['deployment-id'] as string)).status).toBe(
        'Succeeded'
      )
    } else {
      expect(expectCleanFailure(r)).toMatch(
        /S3 (UploadPart|CompleteMultipartUpload|CreateMultipartUpload)/
      )
      await expectNothingStored(key)
    }
  },
  180_000
)
