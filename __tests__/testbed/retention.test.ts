// keep-revisions against real S3 (radosgw, versioned and unversioned buckets) and the emulator's
// CodeDeploy: bundles put as the action puts them, real deployments made of some, then exactly
// the objects and versions that must remain do, and nothing else under the prefix.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CreateDeploymentCommand, type S3Location } from '@aws-sdk/client-codedeploy'
import { ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { readFileSync } from 'node:fs'
import { MemoryLogger } from '../../src/common/log.js'
import { pruneRevisions } from '../../src/revisions/retention.js'
import { FOREIGN_REASON } from '../../src/revisions/deletion.js'
import {
  addFleet,
  bed,
  type Bed,
  codedeploy,
  instances,
  s3,
  settled,
  unique
} from '../support/bed.js'
import { onInstance } from '../support/commands.js'
import { sha256File, tarBundle } from '../support/fixtures.js'

const TEMPLATE = '{application}/{run_number}/{bundle_hash}.{ext}'

let b: Bed
let client: S3Client

beforeAll(() => {
  b = bed()
  client = s3(b)
})
afterAll(() => client.destroy())

interface Put {
  key: string
  versionId?: string
}

/** An appspec whose ApplicationStart waits (up to 60 s) for `release` when given. */
function bundleFiles(text: string, release?: string): Record<string, string> {
  const start = release
    ? `#!/bin/sh\nfor i in $(seq 1 600); do [ -f ${release} ] && exit 0; sleep 0.1; done; exit 1\n`
    : '#!/bin/sh\nexit 0\n'
  return {
    'appspec.yml':
      'version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: /opt/retention\n' +
      'hooks:\n  ApplicationStart:\n    - location: start.sh\n      timeout: 90\n',
    'index.html': `${text}\n`,
    'start.sh': start
  }
}

/** Puts a bundle as the action does (sha256 metadata) under run `run`'s key, or under `key`. */
async function putBundle(
  bucket: string,
  app: string,
  run: number,
  opts: { key?: string; release?: string; metadata?: boolean } = {}
): Promise<Put> {
  const file = await tarBundle(bundleFiles(`${app} run ${run} ${Math.random()}`, opts.release))
  const sha256 = sha256File(file)
  const key = opts.key ?? `${app}/${run}/${sha256.slice(0, 16)}.tgz`
  const out = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: readFileSync(file),
      ...(opts.metadata === false ? {} : { Metadata: { sha256 } })
    })
  )
  return { key, ...(out.VersionId ? { versionId: out.VersionId } : {}) }
}

async function deploy(
  app: string,
  group: string,
  location: S3Location,
  until: 'ended' | 'running' = 'ended'
): Promise<string> {
  const cd = codedeploy(b)
  const { deploymentId } = await cd.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: { revisionType: 'S3', s3Location: { bundleType: 'tgz', ...location } }
    })
  )
  const info = await settled(cd, deploymentId!, 60_000, (i) =>
    until === 'running' ? i.status === 'InProgress' : false
  )
  if (until === 'ended') expect([deploymentId, info.status]).toEqual([deploymentId, 'Succeeded'])
  return deploymentId!
}

/** What remains under the prefix: `key@version` (or `key` on the unversioned bucket), and any delete marker. */
async function remaining(
  bucket: string,
  prefix: string
): Promise<{ objects: string[]; markers: number }> {
  const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }))
  return {
    objects: (out.Versions ?? [])
      .map((v) => (v.VersionId && v.VersionId !== 'null' ? `${v.Key}@${v.VersionId}` : v.Key!))
      .sort(),
    markers: (out.DeleteMarkers ?? []).length
  }
}

const id = (p: Put): string => (p.versionId ? `${p.key}@${p.versionId}` : p.key)

async function fleet(app: string, groups: string[]): Promise<void> {
  await addFleet(
    b,
    `applications:
  - name: ${app}
    groups:
${groups.map((g) => `      - { name: ${g}, instances: 1, deploymentConfig: CodeDeployDefault.AllAtOnce }`).join('\n')}
`
  )
}

describe('keep-revisions on the bed', () => {
  it('deletes the versions beyond the newest, never one a group needs, runs or rolls back to', async () => {
    const app = unique('bed-retention-v')
    await fleet(app, ['web', 'api', 'slow'])
    const release = `/opt/${app}-release`
    const bucket = b.bucket
    // In upload order: a hand-put object of the bundles' shape, two versions of run 1's key,
    // runs 2 to 7 (run 4 waits in ApplicationStart), and a file of another shape.
    const handPut = await putBundle(bucket, app, 0, { metadata: false })
    const r1a = await putBundle(bucket, app, 1)
    const r1b = await putBundle(bucket, app, 1, { key: r1a.key })
    const [r2, r3] = [await putBundle(bucket, app, 2), await putBundle(bucket, app, 3)]
    const r4 = await putBundle(bucket, app, 4, { release })
    const [r5, r6, r7] = [
      await putBundle(bucket, app, 5),
      await putBundle(bucket, app, 6),
      await putBundle(bucket, app, 7)
    ]
    const notes = await putBundle(bucket, app, 8, { key: `${app}/notes.txt` })
    expect(r1a.versionId && r1b.versionId && r1a.versionId !== r1b.versionId).toBeTruthy()

    const slow = await deploy(app, 'slow', { bucket, key: r1a.key, version: r1a.versionId })
    await deploy(app, 'web', { bucket, key: r2.key, version: r2.versionId })
    // Without a version: the key's current object is the revision.
    await deploy(app, 'api', { bucket, key: r3.key })
    const slowInstance = (await instances(b, app)).find((i) => i.group === 'slow')!
    const running = await deploy(
      app,
      'slow',
      { bucket, key: r4.key, version: r4.versionId },
      'running'
    )

    const log = new MemoryLogger()
    const options = {
      s3: client,
      codedeploy: codedeploy(b),
      bucket,
      application: app,
      keyTemplate: TEMPLATE,
      keep: 1,
      deployed: r7,
      log
    }
    const report = await pruneRevisions(options)
    await onInstance(slowInstance.id, `touch ${release}`)

    expect(report.warnings).toEqual([])
    expect(report.deleted.map((d) => `${d.key}@${d.versionId}`).sort()).toEqual(
      [id(r1b), id(r5), id(r6)].sort()
    )
    expect(Object.fromEntries(report.kept.map((k) => [id(k), k.reason]))).toEqual({
      [id(r7)]: 'deployed by this run; one of the newest 1 (keep-revisions)',
      [id(r4)]: `deployment ${running} in progress in group 'slow'`,
      [id(r3)]: expect.stringMatching(/^last successful deployment d-\w+ of group 'api'$/),
      [id(r2)]: expect.stringMatching(/^last successful deployment d-\w+ of group 'web'$/),
      [id(r1a)]:
        `last successful deployment ${slow} of group 'slow'; what auto-rollback of ${running} in group 'slow' restores`,
      [id(handPut)]: FOREIGN_REASON
    })
    expect(await remaining(bucket, `${app}/`)).toEqual({
      objects: [handPut, r1a, r2, r3, r4, r7, notes].map(id).sort(),
      markers: 0
    })

    // Once run 4 has succeeded, the group no longer needs run 1's old version.
    expect((await settled(codedeploy(b), running)).status).toBe('Succeeded')
    const again = await pruneRevisions({ ...options, log: new MemoryLogger() })
    expect(again.deleted.map((d) => `${d.key}@${d.versionId}`)).toEqual([id(r1a)])
    expect((await remaining(bucket, `${app}/`)).objects).toEqual(
      [handPut, r2, r3, r4, r7, notes].map(id).sort()
    )
  }, 180_000)

  it('deletes whole objects on an unversioned bucket', async () => {
    const app = unique('bed-retention-u')
    await fleet(app, ['web'])
    const bucket = b.unversionedBucket
    const handPut = await putBundle(bucket, app, 0, { metadata: false })
    const runs: Put[] = []
    for (let n = 1; n <= 5; n++) runs.push(await putBundle(bucket, app, n))
    const [r1, r2, r3, r4, r5] = runs as [Put, Put, Put, Put, Put]
    expect(r1.versionId).toBeUndefined()
    await deploy(app, 'web', { bucket, key: r2.key })

    const report = await pruneRevisions({
      s3: client,
      codedeploy: codedeploy(b),
      bucket,
      application: app,
      keyTemplate: TEMPLATE,
      keep: 2,
      deployed: r5,
      log: new MemoryLogger()
    })
    expect(report.warnings).toEqual([])
    expect(report.deleted.map((d) => d.key)).toEqual([r1.key, r3.key])
    expect(report.deleted.every((d) => d.versionId === undefined)).toBe(true)
    expect(await remaining(bucket, `${app}/`)).toEqual({
      objects: [handPut, r2, r4, r5].map(id).sort(),
      markers: 0
    })
  }, 120_000)
})
