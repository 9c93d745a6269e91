import { describe, expect, it } from '@jest/globals'
import {
  DEPLOYED_REASON,
  newestReason,
  planRetention,
  type RetentionPlanInput
} from '../../src/revisions/retention-plan.js'
import type { ProtectedRevision, StoredBundle } from '../../src/revisions/types.js'

const BUCKET = 'bucket'
const DEFAULT = '{application}/{run_number}/{bundle_hash}.{ext}'
const hash = (n: number): string => n.toString(16).padStart(16, '0')
const t0 = Date.parse('2026-03-01T00:00:00Z')

/** Run n's bundle under the default key, uploaded n minutes after t0. */
function run(n: number, over: Partial<StoredBundle> = {}): StoredBundle {
  return {
    key: `my-app/${n}/${hash(n)}.tgz`,
    lastModified: new Date(t0 + n * 60_000),
    size: 1000 + n,
    ...over
  }
}

function plan(over: Partial<RetentionPlanInput>) {
  return planRetention({
    bucket: BUCKET,
    keyTemplate: DEFAULT,
    application: 'my-app',
    keep: 2,
    objects: [],
    protectedRevisions: [],
    deployed: { key: 'my-app/999/none.tgz' },
    ...over
  })
}

const keys = (bundles: readonly StoredBundle[]): string[] =>
  bundles.map((b) => (b.versionId ? `${b.key}@${b.versionId}` : b.key))
const guard = (key: string, reason: string, version?: string): ProtectedRevision => ({
  bucket: BUCKET,
  key,
  reason,
  ...(version ? { version } : {})
})

describe('planRetention', () => {
  it('does nothing at all with keep 0, whatever the bucket holds', () => {
    const p = plan({ keep: 0, objects: [run(1), run(2), run(3)] })
    expect(p).toEqual({ prefix: 'my-app/', delete: [], kept: [], ignored: 0 })
  })

  it('keeps the newest N and deletes the rest, oldest first', () => {
    const p = plan({ keep: 2, objects: [run(3), run(1), run(5), run(2), run(4)] })
    expect(keys(p.kept)).toEqual([run(5).key, run(4).key])
    expect(p.kept.map((k) => [k.reason, k.protected])).toEqual([
      [newestReason(2), false],
      [newestReason(2), false]
    ])
    expect(keys(p.delete)).toEqual([run(1).key, run(2).key, run(3).key])
  })

  it('keeps everything when N is larger than the count', () => {
    const p = plan({ keep: 10, objects: [run(1), run(2)] })
    expect(keys(p.kept)).toEqual([run(2).key, run(1).key])
    expect(p.delete).toEqual([])
  })

  it('breaks ties in time the same way whatever order the listing came in', () => {
    const same = new Date(t0)
    const objects = [1, 2, 3, 4].map((n) => run(n, { lastModified: same }))
    const a = plan({ keep: 2, objects })
    const b = plan({ keep: 2, objects: [...objects].reverse() })
    expect(keys(a.kept)).toEqual(keys(b.kept))
    expect(keys(a.delete)).toEqual(keys(b.delete))
    // Later keys count as newer.
    expect(keys(a.kept)).toEqual([run(4).key, run(3).key])
  })

  it('keeps a protected bundle beyond N, with its reason, and says every reason of one within N', () => {
    const p = plan({
      keep: 1,
      objects: [run(1), run(2), run(3)],
      protectedRevisions: [
        guard(run(1).key, "last successful deployment d-OLD of group 'web'"),
        guard(run(1).key, "what auto-rollback of d-NEW in group 'web' restores"),
        guard(run(3).key, "deployment d-NEW in progress in group 'web'")
      ]
    })
    expect(p.kept.map((k) => [k.key, k.reason, k.protected])).toEqual([
      [run(3).key, `deployment d-NEW in progress in group 'web'; ${newestReason(1)}`, true],
      [
        run(1).key,
        "last successful deployment d-OLD of group 'web'; what auto-rollback of d-NEW in group 'web' restores",
        true
      ]
    ])
    expect(keys(p.delete)).toEqual([run(2).key])
  })

  it('says a reason once when two groups protect the same bundle for the same reason', () => {
    const r = 'deployment d-1 in progress'
    const p = plan({
      keep: 1,
      objects: [run(1), run(2)],
      protectedRevisions: [guard(run(1).key, r), guard(run(1).key, r)]
    })
    expect(p.kept[1]!.reason).toBe(r)
  })

  it('keeps the bundle just deployed even when it is not among the newest (an older identical bundle reused)', () => {
    const p = plan({ keep: 1, objects: [run(1), run(2), run(3)], deployed: { key: run(1).key } })
    expect(p.kept.map((k) => [k.key, k.reason, k.protected])).toEqual([
      [run(3).key, newestReason(1), false],
      [run(1).key, DEPLOYED_REASON, true]
    ])
    expect(keys(p.delete)).toEqual([run(2).key])
  })

  it('ignores a revision in another bucket', () => {
    const p = plan({
      keep: 1,
      objects: [run(1), run(2)],
      protectedRevisions: [{ ...guard(run(1).key, 'elsewhere'), bucket: 'other-bucket' }]
    })
    expect(keys(p.delete)).toEqual([run(1).key])
  })

  it("never touches another application's keys or objects put there by hand", () => {
    const objects = [
      run(1),
      run(2),
      run(3),
      { key: `my-app-2/1/${hash(1)}.tgz`, lastModified: new Date(t0), size: 1 },
      { key: 'my-app/README.txt', lastModified: new Date(t0), size: 1 },
      { key: `my-app/4/${hash(4)}.tgz.old`, lastModified: new Date(t0), size: 1 }
    ]
    const p = plan({ keep: 1, objects })
    expect(p.ignored).toBe(3)
    expect(keys(p.delete)).toEqual([run(1).key, run(2).key])
    expect(keys(p.kept)).toEqual([run(3).key])
  })

  describe('in a versioned bucket', () => {
    // Key A was uploaded twice (a template without {bundle_hash}): two versions, v2 current.
    const a1 = run(1, { key: 'my-app/1/same.tgz', versionId: 'v1', isLatest: false })
    const a2 = run(2, { key: 'my-app/1/same.tgz', versionId: 'v2', isLatest: true })
    const b3 = run(3, { key: 'my-app/3/same.tgz', versionId: 'v3', isLatest: true })
    const c4 = run(4, { key: 'my-app/4/same.tgz', versionId: 'v4', isLatest: true })
    const template = '{application}/{run_number}/same.tgz'

    it('counts each version as a bundle, newest first', () => {
      const p = plan({ keyTemplate: template, keep: 2, objects: [a1, a2, b3, c4] })
      expect(keys(p.kept)).toEqual(['my-app/4/same.tgz@v4', 'my-app/3/same.tgz@v3'])
      expect(keys(p.delete)).toEqual(['my-app/1/same.tgz@v1', 'my-app/1/same.tgz@v2'])
    })

    it("protects the key's current version for a revision without a version, and only that one", () => {
      const p = plan({
        keyTemplate: template,
        keep: 1,
        objects: [a1, a2, b3, c4],
        protectedRevisions: [guard(a1.key, 'last successful deployment d-1')]
      })
      expect(keys(p.kept)).toEqual(['my-app/4/same.tgz@v4', 'my-app/1/same.tgz@v2'])
      expect(keys(p.delete)).toEqual(['my-app/1/same.tgz@v1', 'my-app/3/same.tgz@v3'])
    })

    it('protects exactly the version a revision pins', () => {
      const p = plan({
        keyTemplate: template,
        keep: 1,
        objects: [a1, a2, b3, c4],
        protectedRevisions: [guard(a1.key, 'last successful deployment d-1', 'v1')]
      })
      expect(keys(p.kept)).toEqual(['my-app/4/same.tgz@v4', 'my-app/1/same.tgz@v1'])
      expect(keys(p.delete)).toEqual(['my-app/1/same.tgz@v2', 'my-app/3/same.tgz@v3'])
    })

    it('protects the newest version when a delete marker is on top (no version is current)', () => {
      const hidden = [
        { ...a1, isLatest: false },
        { ...a2, isLatest: false }
      ]
      const p = plan({
        keyTemplate: template,
        keep: 1,
        objects: [...hidden, c4],
        protectedRevisions: [guard(a1.key, 'last successful deployment d-1')]
      })
      expect(keys(p.kept)).toEqual(['my-app/4/same.tgz@v4', 'my-app/1/same.tgz@v2'])
      expect(keys(p.delete)).toEqual(['my-app/1/same.tgz@v1'])
    })

    it("reads a version 'null' (written before versioning) as no version", () => {
      const old = run(1, { versionId: 'null', isLatest: true })
      const p = plan({
        keep: 1,
        objects: [old, run(2, { versionId: 'v2', isLatest: true })],
        protectedRevisions: [guard(old.key, 'last successful deployment d-1', 'null')]
      })
      expect(keys(p.kept)).toEqual([`${run(2).key}@v2`, `${old.key}@null`])
    })

    it('keeps the deployed version, not an older version of the same key', () => {
      const p = plan({
        keyTemplate: template,
        keep: 1,
        objects: [a1, a2, b3, c4],
        deployed: { key: a1.key, versionId: 'v2' }
      })
      expect(keys(p.kept)).toEqual(['my-app/4/same.tgz@v4', 'my-app/1/same.tgz@v2'])
    })
  })

  it('plans with a template without {application}: deploy/{ref_name}/{sha}.zip', () => {
    const sha = (n: number): string => n.toString(16).padStart(40, 'a')
    const objects = [1, 2, 3].map((n) => ({
      key: `deploy/${n === 2 ? 'feature/x' : 'main'}/${sha(n)}.zip`,
      lastModified: new Date(t0 + n * 1000),
      size: 1
    }))
    objects.push({ key: 'deploy/main/notes.zip', lastModified: new Date(t0 + 9000), size: 1 })
    const p = plan({ keyTemplate: 'deploy/{ref_name}/{sha}.zip', keep: 1, objects })
    expect(p.prefix).toBe('deploy/')
    expect(p.ignored).toBe(1)
    expect(keys(p.kept)).toEqual([`deploy/main/${sha(3)}.zip`])
    expect(keys(p.delete)).toEqual([`deploy/main/${sha(1)}.zip`, `deploy/feature/x/${sha(2)}.zip`])
  })
})
