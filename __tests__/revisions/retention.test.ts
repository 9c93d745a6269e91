import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CodeDeployClient,
  CodeDeployServiceException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  type DeploymentGroupInfo
} from '@aws-sdk/client-codedeploy'
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
  S3ServiceException,
  type ObjectVersion
} from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { MemoryLogger } from '../../src/common/log.js'
import {
  CANCELLED_REASON,
  FOREIGN_REASON,
  LATER_REASON,
  MAX_DELETIONS,
  MAX_FAILURES_IN_A_ROW
} from '../../src/revisions/deletion.js'
import { pruneRevisions, type PruneRevisionsOptions } from '../../src/revisions/retention.js'
import { DEPLOYED_REASON, newestReason } from '../../src/revisions/retention-plan.js'
import { MAX_LIST_PAGES } from '../../src/revisions/s3-bundles.js'

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }
const s3 = new S3Client({ region: 'us-east-1', credentials })
const codedeploy = new CodeDeployClient({ region: 'us-east-1', credentials })
const s3Mock = mockClient(s3)
const cdMock = mockClient(codedeploy)

const BUCKET = 'my-bucket'
const SHA256 = 'ab'.repeat(32)
const t0 = Date.parse('2026-03-01T00:00:00Z')
const key = (n: number): string => `my-app/${n}/${n.toString(16).padStart(16, '0')}.tgz`

/** Run n's bundle, uploaded n minutes after t0; `version` for a versioned bucket. */
function version(n: number, versionId = 'null', over: Partial<ObjectVersion> = {}): ObjectVersion {
  return {
    Key: key(n),
    VersionId: versionId,
    IsLatest: true,
    LastModified: new Date(t0 + n * 60_000),
    Size: 100,
    ...over
  }
}

interface GroupSetup {
  name: string
  lastSuccessful?: { id: string; key: string; version?: string }
  running?: { id: string; key: string; version?: string }[]
  lastAttempted?: DeploymentGroupInfo['lastAttemptedDeployment']
}

/** CodeDeploy's answers for the application's groups and their deployments. */
function groups(...setups: GroupSetup[]): void {
  cdMock.on(ListDeploymentGroupsCommand).resolves({ deploymentGroups: setups.map((g) => g.name) })
  for (const g of setups) {
    cdMock.on(GetDeploymentGroupCommand, { deploymentGroupName: g.name }).resolves({
      deploymentGroupInfo: {
        deploymentGroupName: g.name,
        ...(g.lastSuccessful
          ? { lastSuccessfulDeployment: { deploymentId: g.lastSuccessful.id, status: 'Succeeded' } }
          : {}),
        ...(g.lastAttempted ? { lastAttemptedDeployment: g.lastAttempted } : {})
      }
    })
    cdMock
      .on(ListDeploymentsCommand, { deploymentGroupName: g.name })
      .resolves({ deployments: (g.running ?? []).map((d) => d.id) })
    for (const d of [...(g.lastSuccessful ? [g.lastSuccessful] : []), ...(g.running ?? [])])
      cdMock.on(GetDeploymentCommand, { deploymentId: d.id }).resolves({
        deploymentInfo: {
          deploymentId: d.id,
          revision: {
            revisionType: 'S3',
            s3Location: { bucket: BUCKET, key: d.key, bundleType: 'tgz', version: d.version }
          }
        }
      })
  }
}

function listing(...versions: ObjectVersion[]): void {
  s3Mock.on(ListObjectVersionsCommand).resolves({ Versions: versions, IsTruncated: false })
}

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name
  })
}

function denied(): CodeDeployServiceException {
  return new CodeDeployServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'User is not authorized to perform this action'
  })
}

let log: MemoryLogger
beforeEach(() => {
  s3Mock.reset()
  cdMock.reset()
  log = new MemoryLogger()
  s3Mock.on(HeadObjectCommand).resolves({ Metadata: { sha256: SHA256 } })
  s3Mock.on(DeleteObjectCommand).resolves({})
  groups()
})

function prune(over: Partial<PruneRevisionsOptions> = {}) {
  return pruneRevisions({
    s3,
    codedeploy,
    bucket: BUCKET,
    application: 'my-app',
    keyTemplate: '{application}/{run_number}/{bundle_hash}.{ext}',
    keep: 2,
    deployed: { key: key(9) },
    log,
    sleep: async () => {},
    ...over
  })
}

const deletedKeys = (): string[] =>
  s3Mock
    .commandCalls(DeleteObjectCommand)
    .map(
      (c) =>
        `${c.args[0].input.Key}${c.args[0].input.VersionId ? `@${c.args[0].input.VersionId}` : ''}`
    )

describe('pruneRevisions', () => {
  it('makes no call at all with keep 0', async () => {
    const report = await prune({ keep: 0 })
    expect(report).toEqual({ keep: 0, prefix: 'my-app/', deleted: [], kept: [], warnings: [] })
    expect(s3Mock.calls()).toHaveLength(0)
    expect(cdMock.calls()).toHaveLength(0)
    expect(log.lines).toEqual([])
  })

  it('deletes beyond the newest N on an unversioned bucket, oldest first, and logs each', async () => {
    listing(version(1), version(2), version(3), version(4), version(9))
    const report = await prune()
    expect(report.deleted).toEqual([
      { key: key(1), lastModified: new Date(t0 + 60_000) },
      { key: key(2), lastModified: new Date(t0 + 120_000) },
      { key: key(3), lastModified: new Date(t0 + 180_000) }
    ])
    // 'null' versions: the plain delete, no version id.
    expect(deletedKeys().sort()).toEqual([key(1), key(2), key(3)])
    expect(report.kept).toEqual([
      { key: key(9), reason: `${DEPLOYED_REASON}; ${newestReason(2)}` },
      { key: key(4), reason: newestReason(2) }
    ])
    expect(report.warnings).toEqual([])
    expect(log.text('info')).toContain(
      `Deleted s3://${BUCKET}/${key(1)}, last modified 2026-03-01T00:01:00.000Z.`
    )
    // Protected bundles are told at info level, the merely recent ones at debug.
    expect(log.text('info')).toContain(`Kept s3://${BUCKET}/${key(9)}: ${DEPLOYED_REASON}`)
    expect(log.text('debug')).toContain(`Kept s3://${BUCKET}/${key(4)}: ${newestReason(2)}.`)
    expect(log.lines.at(-1)).toEqual({
      level: 'info',
      message:
        'Old revisions (keep-revisions: 2): deleted 3 bundles, kept 2 (1 that CodeDeploy needs or this run deployed).'
    })
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)[0]!.args[0].input).toMatchObject({
      Bucket: BUCKET,
      Prefix: 'my-app/'
    })
  })

  it("reads what every group needs: last successful, in progress, and a rollback's target", async () => {
    groups(
      { name: 'web', lastSuccessful: { id: 'd-WEB', key: key(1) } },
      {
        name: 'api',
        lastSuccessful: { id: 'd-API0', key: key(3) },
        running: [{ id: 'd-API1', key: key(2) }]
      },
      { name: 'empty' }
    )
    listing(...[1, 2, 3, 4, 5, 9].map((n) => version(n)))
    const report = await prune({ keep: 1 })
    expect(deletedKeys().sort()).toEqual([key(4), key(5)])
    expect(report.kept).toEqual([
      { key: key(9), reason: `${DEPLOYED_REASON}; ${newestReason(1)}` },
      {
        key: key(3),
        reason:
          "last successful deployment d-API0 of group 'api'; what auto-rollback of d-API1 in group 'api' restores"
      },
      { key: key(2), reason: "deployment d-API1 in progress in group 'api'" },
      { key: key(1), reason: "last successful deployment d-WEB of group 'web'" }
    ])
    expect(log.text('info')).toContain(
      `Kept s3://${BUCKET}/${key(2)}: deployment d-API1 in progress in group 'api'.`
    )
    const listed = cdMock.commandCalls(ListDeploymentsCommand).map((c) => c.args[0].input)
    expect(listed).toHaveLength(3)
    expect(listed[0]).toEqual({
      applicationName: 'my-app',
      deploymentGroupName: 'web',
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready']
    })
  })

  it("takes the group's last attempt as in progress when its status says so", async () => {
    groups({
      name: 'web',
      lastAttempted: { deploymentId: 'd-NEW', status: 'InProgress' }
    })
    cdMock.on(GetDeploymentCommand, { deploymentId: 'd-NEW' }).resolves({
      deploymentInfo: {
        revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: key(1) } }
      }
    })
    listing(version(1), version(2), version(3), version(9))
    await prune({ keep: 1 })
    expect(deletedKeys().sort()).toEqual([key(2), key(3)])
  })

  it('ignores revisions in another bucket or not in S3', async () => {
    groups({ name: 'web', lastSuccessful: { id: 'd-1', key: key(1) } })
    cdMock.on(GetDeploymentCommand, { deploymentId: 'd-1' }).resolves({
      deploymentInfo: {
        revision: { revisionType: 'S3', s3Location: { bucket: 'other', key: key(1) } }
      }
    })
    listing(version(1), version(9))
    await prune({ keep: 1 })
    expect(deletedKeys()).toEqual([key(1)])
  })

  const refuse: Record<string, () => void> = {
    ListDeploymentGroups: () => cdMock.on(ListDeploymentGroupsCommand).rejects(denied()),
    GetDeploymentGroup: () => cdMock.on(GetDeploymentGroupCommand).rejects(denied()),
    ListDeployments: () => cdMock.on(ListDeploymentsCommand).rejects(denied()),
    GetDeployment: () => cdMock.on(GetDeploymentCommand).rejects(denied())
  }
  it.each(Object.keys(refuse))(
    'deletes nothing when %s fails, and says what to grant',
    async (call) => {
      groups({
        name: 'web',
        lastSuccessful: { id: 'd-1', key: key(1) },
        running: [{ id: 'd-2', key: key(2) }]
      })
      refuse[call]!()
      listing(version(1), version(2), version(3), version(4), version(9))
      const report = await prune({ keep: 1 })
      expect(report.deleted).toEqual([])
      expect(report.kept).toEqual([])
      expect(s3Mock.commandCalls(ListObjectVersionsCommand)).toHaveLength(0)
      expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0)
      expect(report.warnings).toHaveLength(1)
      expect(report.warnings[0]).toMatch(
        /^keep-revisions deleted nothing: could not read which revisions the deployment groups of 'my-app' still need/
      )
      expect(report.warnings[0]).toContain(`${call} failed: AccessDeniedException`)
      expect(report.warnings[0]).toContain(`codedeploy:${call}`)
      expect(log.text('warning')).toBe(report.warnings[0])
      expect(log.lines.at(-1)!.message).toBe(
        'Old revisions (keep-revisions: 1): deleted 0 bundles, kept 0, 1 warning.'
      )
    }
  )

  it('deletes nothing when the listing fails, and names s3:ListBucketVersions on the prefix', async () => {
    s3Mock.on(ListObjectVersionsCommand).rejects(s3Error('AccessDenied', 403))
    const report = await prune()
    expect(report.deleted).toEqual([])
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(0)
    expect(report.warnings).toEqual([
      `keep-revisions deleted nothing: could not list s3://${BUCKET}/my-app/. S3 ListObjectVersions failed: AccessDenied. ` +
        `The credentials are not allowed to do this: grant s3:ListBucketVersions on arn:aws:s3:::${BUCKET} (condition s3:prefix 'my-app/*') to the role or user this job runs as.`
    ])
  })

  it('goes on past a refused delete: a warning naming the object and the permission, the others deleted', async () => {
    listing(version(1), version(2), version(3), version(4), version(9))
    s3Mock.on(DeleteObjectCommand, { Key: key(2) }).rejects(s3Error('AccessDenied', 403))
    const report = await prune({ keep: 1 })
    expect(report.deleted.map((d) => d.key)).toEqual([key(1), key(3), key(4)])
    expect(report.kept).toContainEqual({ key: key(2), reason: 'not deleted: DeleteObject failed' })
    expect(report.warnings).toEqual([
      `Could not delete s3://${BUCKET}/${key(2)}. S3 DeleteObject failed: AccessDenied. ` +
        `The credentials are not allowed to do this: grant s3:DeleteObject on arn:aws:s3:::${BUCKET}/${key(2)} to the role or user this job runs as.`
    ])
  })

  it('says a missing permission once, and stops after a run of failures', async () => {
    const many = Array.from({ length: 30 }, (_, i) => version(i + 1, `v${i + 1}`))
    listing(...many, version(99, 'v99'))
    s3Mock.on(DeleteObjectCommand).rejects(s3Error('AccessDenied', 403))
    const report = await prune({ keep: 1, deployed: { key: key(99), versionId: 'v99' } })
    expect(report.deleted).toEqual([])
    const attempts = s3Mock.commandCalls(DeleteObjectCommand).length
    // The calls already in flight when the tenth failed still end.
    expect(attempts).toBeGreaterThanOrEqual(MAX_FAILURES_IN_A_ROW)
    expect(attempts).toBeLessThan(MAX_FAILURES_IN_A_ROW + 4)
    expect(report.warnings).toHaveLength(2)
    expect(report.warnings[0]).toContain('grant s3:DeleteObjectVersion on')
    expect(report.warnings[0]).toContain(
      `(${attempts - 1} more calls failed the same way: S3 DeleteObject AccessDenied.)`
    )
    expect(report.warnings[1]).toBe(
      `Stopped deleting after ${MAX_FAILURES_IN_A_ROW} failed calls in a row: ${30 - attempts} more bundles due for deletion were kept; a later run deletes them once the calls succeed.`
    )
    expect(report.kept).toHaveLength(31)
  })

  it('deletes the versions of a versioned bucket by their id, not with a delete marker', async () => {
    listing(
      version(1, 'v1a', { IsLatest: false }),
      version(1, 'v1b'),
      version(2, 'v2'),
      version(9, 'v9')
    )
    const report = await prune({ keep: 1, deployed: { key: key(9), versionId: 'v9' } })
    expect(deletedKeys().sort()).toEqual([`${key(1)}@v1a`, `${key(1)}@v1b`, `${key(2)}@v2`])
    expect(report.deleted.map((d) => d.versionId)).toEqual(['v1a', 'v1b', 'v2'])
    expect(
      s3Mock
        .commandCalls(HeadObjectCommand)
        .map((c) => c.args[0].input.VersionId)
        .sort()
    ).toEqual(['v1a', 'v1b', 'v2'])
    expect(report.kept).toEqual([
      { key: key(9), versionId: 'v9', reason: `${DEPLOYED_REASON}; ${newestReason(1)}` }
    ])
  })

  it("deletes a 'null' version of a bucket that versions now by naming it", async () => {
    listing(version(1, 'null', { IsLatest: false }), version(1, 'v1'), version(9, 'v9'))
    await prune({ keep: 1, deployed: { key: key(9), versionId: 'v9' } })
    expect(deletedKeys().sort()).toEqual([`${key(1)}@null`, `${key(1)}@v1`])
  })

  it('protects the version a deployment pinned, and the current object for one without a version', async () => {
    groups(
      { name: 'web', lastSuccessful: { id: 'd-1', key: key(1), version: 'v1a' } },
      { name: 'api', lastSuccessful: { id: 'd-2', key: key(2) } }
    )
    listing(
      version(1, 'v1a', { IsLatest: false }),
      version(1, 'v1b'),
      version(2, 'v2a', { IsLatest: false }),
      version(2, 'v2b'),
      version(9, 'v9')
    )
    await prune({ keep: 1, deployed: { key: key(9), versionId: 'v9' } })
    expect(deletedKeys().sort()).toEqual([`${key(1)}@v1b`, `${key(2)}@v2a`])
  })

  it('keeps an object the action did not upload (no sha256 metadata)', async () => {
    listing(version(1), version(2), version(9))
    s3Mock.on(HeadObjectCommand, { Key: key(1) }).resolves({ Metadata: { note: 'put by hand' } })
    const report = await prune({ keep: 1 })
    expect(deletedKeys()).toEqual([key(2)])
    expect(report.kept).toContainEqual({ key: key(1), reason: FOREIGN_REASON })
    expect(FOREIGN_REASON).toMatch(/^not uploaded by this action/)
  })

  it('passes over an object deleted since the listing', async () => {
    listing(version(1), version(2), version(9))
    s3Mock.on(HeadObjectCommand, { Key: key(1) }).rejects(s3Error('NotFound', 404))
    const report = await prune({ keep: 1 })
    expect(deletedKeys()).toEqual([key(2)])
    expect(report.kept.map((k) => k.key)).toEqual([key(9)])
    expect(report.warnings).toEqual([])
  })

  it('keeps an object whose check was refused, saying what to grant', async () => {
    listing(version(1, 'v1'), version(2, 'v2'), version(9, 'v9'))
    s3Mock.on(HeadObjectCommand, { Key: key(1) }).rejects(s3Error('AccessDenied', 403))
    const report = await prune({ keep: 1, deployed: { key: key(9), versionId: 'v9' } })
    expect(deletedKeys()).toEqual([`${key(2)}@v2`])
    expect(report.warnings[0]).toMatch(
      new RegExp(
        `^Kept s3://${BUCKET}/${key(1)} \\(version v1\\): could not check that this action uploaded it\\. S3 HeadObject failed: AccessDenied\\..*grant s3:GetObjectVersion on arn:aws:s3:::${BUCKET}/${key(1)}`
      )
    )
  })

  it('retries a transient failure', async () => {
    listing(version(1), version(9))
    s3Mock.on(DeleteObjectCommand).rejectsOnce(s3Error('ServiceUnavailable', 503)).resolves({})
    const report = await prune({ keep: 1 })
    expect(report.deleted.map((d) => d.key)).toEqual([key(1)])
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(2)
    expect(report.warnings).toEqual([])
  })

  it('pages through the groups and the deployments', async () => {
    cdMock
      .on(ListDeploymentGroupsCommand)
      .resolvesOnce({ deploymentGroups: ['a'], nextToken: 't1' })
      .resolves({ deploymentGroups: ['b'] })
    for (const [name, id, n] of [
      ['a', 'd-A', 1],
      ['b', 'd-B', 2]
    ] as const) {
      cdMock.on(GetDeploymentGroupCommand, { deploymentGroupName: name }).resolves({
        deploymentGroupInfo: { lastSuccessfulDeployment: { deploymentId: id } }
      })
      cdMock.on(GetDeploymentCommand, { deploymentId: id }).resolves({
        deploymentInfo: {
          revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: key(n) } }
        }
      })
    }
    cdMock.on(ListDeploymentsCommand).resolves({ deployments: [] })
    cdMock
      .on(ListDeploymentsCommand, { deploymentGroupName: 'b' })
      .resolvesOnce({ deployments: [], nextToken: 'p2' })
      .resolves({ deployments: ['d-B3'] })
    cdMock.on(GetDeploymentCommand, { deploymentId: 'd-B3' }).resolves({
      deploymentInfo: {
        revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: key(3) } }
      }
    })
    listing(...[1, 2, 3, 4, 9].map((n) => version(n)))
    await prune({ keep: 1 })
    expect(deletedKeys()).toEqual([key(4)])
    expect(cdMock.commandCalls(ListDeploymentGroupsCommand)[1]!.args[0].input.nextToken).toBe('t1')
  })

  it('pages through the listing with both markers', async () => {
    s3Mock
      .on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [version(1, 'v1'), version(2, 'v2')],
        IsTruncated: true,
        NextKeyMarker: key(2),
        NextVersionIdMarker: 'v2'
      })
      .resolves({ Versions: [version(3, 'v3'), version(9, 'v9')], IsTruncated: false })
    await prune({ keep: 1, deployed: { key: key(9), versionId: 'v9' } })
    expect(deletedKeys().sort()).toEqual([`${key(1)}@v1`, `${key(2)}@v2`, `${key(3)}@v3`])
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)[1]!.args[0].input).toMatchObject({
      KeyMarker: key(2),
      VersionIdMarker: 'v2'
    })
  })

  it(`lists at most ${MAX_LIST_PAGES} pages, and prunes what it saw`, async () => {
    let page = 0
    s3Mock.on(ListObjectVersionsCommand).callsFake(() => {
      page++
      return {
        Versions: [version(page, `v${page}`)],
        IsTruncated: true,
        NextKeyMarker: key(page),
        NextVersionIdMarker: `v${page}`
      }
    })
    const report = await prune({ keep: 1, deployed: { key: key(10), versionId: 'v10' } })
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)).toHaveLength(MAX_LIST_PAGES)
    expect(report.deleted).toHaveLength(MAX_LIST_PAGES - 1)
    expect(log.text('info')).toContain('only the first 10000 are looked at; later runs go on')
  })

  it(`deletes at most ${MAX_DELETIONS} bundles a run`, async () => {
    const all = Array.from({ length: MAX_DELETIONS + 5 }, (_, i) => version(i + 1))
    listing(...all, version(2000))
    const report = await prune({ keep: 1, deployed: { key: key(2000) } })
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(MAX_DELETIONS)
    expect(report.deleted).toHaveLength(MAX_DELETIONS)
    // The oldest go first; the newest of the doomed wait for a later run.
    expect(report.kept.filter((k) => k.reason === LATER_REASON).map((k) => k.key)).toEqual(
      [1001, 1002, 1003, 1004, 1005].map(key)
    )
  })

  it('passes the expected bucket owner on every S3 call', async () => {
    listing(version(1), version(9))
    await prune({ keep: 1, expectedBucketOwner: '123456789012' })
    for (const call of s3Mock.calls())
      expect((call.args[0].input as { ExpectedBucketOwner?: string }).ExpectedBucketOwner).toBe(
        '123456789012'
      )
    expect(s3Mock.calls()).toHaveLength(3)
  })

  it('lists and deletes nothing when cancelled while CodeDeploy is read', async () => {
    const cancel = new AbortController()
    groups({ name: 'web' })
    cdMock.on(ListDeploymentGroupsCommand).callsFake(() => {
      cancel.abort()
      return { deploymentGroups: ['web'] }
    })
    listing(version(1), version(9))
    const report = await prune({ keep: 1, signal: cancel.signal })
    expect(s3Mock.calls()).toHaveLength(0)
    expect(report.warnings).toEqual([
      'keep-revisions stopped: the run was cancelled. Nothing more was deleted.'
    ])
  })

  it('stops between calls when cancelled: the delete in flight ends, no other starts', async () => {
    const cancel = new AbortController()
    listing(...[1, 2, 3, 4, 5, 6, 9].map((n) => version(n)))
    s3Mock.on(DeleteObjectCommand).callsFake(() => {
      cancel.abort()
      return {}
    })
    const report = await prune({ keep: 1, signal: cancel.signal })
    expect(s3Mock.commandCalls(DeleteObjectCommand)).toHaveLength(1)
    expect(report.deleted.map((d) => d.key)).toEqual([key(1)])
    expect(report.kept.filter((k) => k.reason === CANCELLED_REASON).map((k) => k.key)).toEqual(
      [2, 3, 4, 5, 6].map(key)
    )
    expect(report.warnings).toEqual([
      'keep-revisions stopped: the run was cancelled. Nothing more was deleted.'
    ])
  })

  it('does nothing when cancelled before it starts', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const report = await prune({ signal: cancel.signal })
    expect(s3Mock.calls()).toHaveLength(0)
    expect(cdMock.calls()).toHaveLength(0)
    expect(report.warnings).toHaveLength(1)
  })

  it('says so when the key template does not name the application', async () => {
    const sha = 'c'.repeat(40)
    listing({
      Key: `deploy/main/${sha}.zip`,
      VersionId: 'null',
      LastModified: new Date(t0),
      Size: 1
    })
    const report = await prune({ keyTemplate: 'deploy/{ref_name}/{sha}.zip', keep: 1 })
    expect(report.prefix).toBe('deploy/')
    expect(log.text('info')).toContain('The key template has no {application}')
  })
})
