// keep-revisions end to end: dist/ deploys five revisions to two groups of one application with
// keep-revisions: 2, and the versioned bucket is left holding exactly the newest two and the
// revision the other group still runs (its last success), besides an object put by hand. Then a
// delete that S3 refuses (a fault proxy in front of radosgw) leaves the step green with a warning.
import { describe, expect, it } from '@jest/globals'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { bed, objectsUnder, s3 } from '../support/bed.js'
import { deployOnBed } from '../support/runs.js'
import { FaultProxy, pass, s3ErrorXml } from './fault-proxy.js'
import type { ActionRun } from './harness.js'
import { appWorkspace } from './workspace.js'

const APP = 'e2e-retention'
const b = bed()

let run = 300
async function deploy(group: string, env: Record<string, string> = {}): Promise<ActionRun> {
  const r = await deployOnBed(
    b,
    APP,
    appWorkspace(APP),
    { 'deployment-group': group, 'keep-revisions': '2' },
    { env: { GITHUB_RUN_NUMBER: String(++run), ...env } }
  )
  expect(r.errors).toEqual([])
  expect(r.code).toBe(0)
  expect(r.outputs['deployment-status']).toBe('Succeeded')
  return r
}

/** key@version of what a run uploaded. */
const objectOf = (r: ActionRun): string =>
  `${r.outputs['bundle-key']}@${r.outputs['bundle-version']}`

describe('keep-revisions: 2 over five deployments of two groups', () => {
  it('keeps the newest two and what a group still runs; a refused delete is a warning', async () => {
    const client = s3(b)
    const notes = await client.send(
      new PutObjectCommand({ Bucket: b.bucket, Key: `${APP}/notes.txt`, Body: 'by hand\n' })
    )
    const byHand = `${APP}/notes.txt@${notes.VersionId}`

    const r1 = await deploy('two') // group two keeps running this one
    await deploy('one') // goes at the fourth
    const r3 = await deploy('one')
    expect(r3.stdout).toContain('Old revisions (keep-revisions: 2): deleted 0 bundles')
    const r4 = await deploy('one') // r2 goes
    const r5 = await deploy('one') // r3 goes
    expect(r5.stdout).toContain('Old revisions (keep-revisions: 2): deleted 1 bundle')
    expect(r5.summary).toContain('### Old revisions (keep-revisions: 2)')
    expect((await objectsUnder(b, b.bucket, `${APP}/`)).sort()).toEqual(
      [objectOf(r1), objectOf(r4), objectOf(r5), byHand].sort()
    )

    // S3 refuses the delete of r4's version: the bundle stays, the step is green, a warning says so.
    const proxy = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string, (req) =>
      req.operation === 'DeleteObject'
        ? {
            kind: 'reply',
            status: 403,
            body: s3ErrorXml('AccessDenied', 'Access Denied'),
            headers: { 'content-type': 'application/xml' }
          }
        : pass
    )
    try {
      const r6 = await deploy('one', { AWS_ENDPOINT_URL_S3: proxy.url })
      expect(r6.stdout).toMatch(/::warning[^\n]*DeleteObject[^\n]*AccessDenied/)
      expect(r6.stdout).toMatch(/::warning[^\n]*s3:DeleteObjectVersion/)
      expect((await objectsUnder(b, b.bucket, `${APP}/`)).sort()).toEqual(
        [objectOf(r1), objectOf(r4), objectOf(r5), objectOf(r6), byHand].sort()
      )
    } finally {
      await proxy.close()
      client.destroy()
    }
  }, 600_000)
})
