import { describe, expect, it } from '@jest/globals'
import { RETENTION_ROWS, retentionSection } from '../../src/report/retention-section.js'
import type { RetentionReport } from '../../src/revisions/types.js'

function report(over: Partial<RetentionReport> = {}): RetentionReport {
  return { keep: 2, prefix: 'my-app/', deleted: [], kept: [], warnings: [], ...over }
}

describe('retentionSection', () => {
  it('is empty when keep-revisions is off', () => {
    expect(retentionSection(report({ keep: 0 }))).toBe('')
  })

  it('lists what was deleted and what was kept with the reason', () => {
    const md = retentionSection(
      report({
        deleted: [
          { key: 'my-app/1/aaaa.tgz', lastModified: new Date('2026-03-01T10:00:00Z') },
          { key: 'my-app/2/bbbb.tgz' }
        ],
        kept: [
          { key: 'my-app/4/dddd.tgz', reason: 'one of the newest 2 (keep-revisions)' },
          { key: 'my-app/3/cccc.tgz', reason: "last successful deployment d-1 of group 'web'" }
        ]
      })
    )
    expect(md).toBe(
      [
        '### Old revisions (keep-revisions: 2)',
        '',
        'Deleted 2 bundles under `my-app/`, kept 2.',
        '',
        '| Deleted | Last modified |',
        '|---|---|',
        '| `my-app/1/aaaa.tgz` | 2026-03-01T10:00:00.000Z |',
        '| `my-app/2/bbbb.tgz` |  |',
        '',
        '| Kept | Why |',
        '|---|---|',
        '| `my-app/4/dddd.tgz` | one of the newest 2 (keep-revisions) |',
        "| `my-app/3/cccc.tgz` | last successful deployment d-1 of group 'web' |",
        ''
      ].join('\n')
    )
  })

  it('shows versions in a column of their own when there are any', () => {
    const md = retentionSection(
      report({
        deleted: [{ key: 'k1', versionId: 'v1' }],
        kept: [{ key: 'k2', versionId: 'v2', reason: 'deployed by this run' }]
      })
    )
    expect(md).toContain('| Deleted | Version | Last modified |')
    expect(md).toContain('| `k1` | `v1` |  |')
    expect(md).toContain('| `k2` | `v2` | deployed by this run |')
  })

  it('puts the warnings first, escaped', () => {
    const md = retentionSection(
      report({
        warnings: [
          'Could not delete s3://b/my-app/1/a.tgz. S3 DeleteObject failed: AccessDenied <x>|*'
        ],
        kept: [{ key: 'my-app/1/a.tgz', reason: 'not deleted: DeleteObject failed' }]
      })
    )
    expect(md).toContain(
      '- :warning: Could not delete s3://b/my-app/1/a.tgz. S3 DeleteObject failed: AccessDenied &lt;x&gt;\\|\\*'
    )
    expect(md.indexOf(':warning:')).toBeLessThan(md.indexOf('| Kept |'))
  })

  it('cannot be broken by a key or a reason', () => {
    const md = retentionSection(
      report({ kept: [{ key: 'my-app/a|b`<script>', reason: 'why\n| injected | row |' }] })
    )
    expect(md).toContain("| `my-app/a\\|b'<script>` | why \\| injected \\| row \\| |")
    expect(md).not.toContain('\n| injected')
  })

  it('says "in the whole bucket" when the prefix is empty', () => {
    expect(retentionSection(report({ prefix: '' }))).toContain(
      'Deleted 0 bundles in the whole bucket, kept 0.'
    )
  })

  it(`shows at most ${RETENTION_ROWS} rows a table and counts the rest`, () => {
    const deleted = Array.from({ length: RETENTION_ROWS + 7 }, (_, i) => ({
      key: `my-app/${i}/x.tgz`
    }))
    const md = retentionSection(report({ deleted }))
    expect(md.split('\n').filter((l) => l.startsWith('| `my-app/'))).toHaveLength(RETENTION_ROWS)
    expect(md).toContain("…and 7 more (the step's log lists every one).")
  })
})
