import { describe, expect, it } from '@jest/globals'
import { changesSection } from '../../src/report/changes-section.js'
import type { CommitLine, CompareAnswer, Relation } from '../../src/revisions/history.js'
import type { DeployedRevision } from '../../src/revisions/order-policy.js'
import type { GroupRevisions, RevisionFacts } from '../../src/revisions/order.js'

const OURS = 'c0ffee1234567890c0ffee1234567890c0ffee12'
const PREV = 'a1d0000000000000000000000000000000000001'
const SERVER = 'https://github.example.com'
const REPO = 'octo-org/app'

function commitLine(n: number, over: Partial<CommitLine> = {}): CommitLine {
  return {
    sha: `${n.toString(16).padStart(7, '0')}${'f'.repeat(33)}`,
    subject: `change ${n}`,
    author: `Author ${n}`,
    ...over
  }
}

function previous(over: Partial<DeployedRevision> = {}): DeployedRevision {
  return { deploymentId: 'd-PREV00001', status: 'Succeeded', commit: PREV, ...over }
}

function answer(
  relation: Relation,
  aheadBy: number,
  behindBy: number,
  commits: CommitLine[] = []
): CompareAnswer {
  return { comparison: { relation, aheadBy, behindBy, commits, source: 'GitHub' } }
}

function group(over: Partial<GroupRevisions> = {}): GroupRevisions {
  return { group: 'prod', previous: previous(), verdict: { kind: 'deploy' }, ...over }
}

function facts(...groups: GroupRevisions[]): RevisionFacts {
  return { ours: { commit: OURS, repository: REPO }, serverUrl: SERVER, groups }
}

const COMPARE = `${SERVER}/${REPO}/compare/${PREV}...${OURS}`

describe('changesSection', () => {
  it('nothing when no group was checked', () => {
    expect(changesSection(facts())).toBe('')
  })

  it('a first deployment', () => {
    expect(changesSection(facts(group({ previous: undefined })))).toBe(
      '### What changed\n\n**prod**: first deployment of this group (no earlier successful one).'
    )
  })

  it('a previous deployment that records no commit, with the reason or without', () => {
    expect(
      changesSection(
        facts(group({ previous: previous({ commit: undefined, unknown: 's3://b/k is gone' }) }))
      )
    ).toContain(
      '**prod**: the last successful deployment d-PREV00001 records no commit (s3://b/k is gone).'
    )
    expect(changesSection(facts(group({ previous: previous({ commit: undefined }) })))).toContain(
      'records no commit (not uploaded by this action).'
    )
  })

  it('the same commit: nothing changed', () => {
    expect(changesSection(facts(group({ previous: previous({ commit: OURS }) })))).toContain(
      '**prod**: same commit as `c0ffee1` (deployment d-PREV00001): nothing changed.'
    )
  })

  it('identical content: nothing changed, with the link', () => {
    expect(changesSection(facts(group({ changes: answer('identical', 0, 0) })))).toContain(
      `**prod**: same code as \`a1d0000\` (deployment d-PREV00001): nothing changed. [Compare on GitHub](${COMPARE})`
    )
  })

  it('ahead: how many, the link to the comparison, and a table linking each commit', () => {
    const md = changesSection(
      facts(group({ changes: answer('ahead', 2, 0, [commitLine(2), commitLine(1)]) }))
    )
    expect(md.split('\n')).toEqual([
      '### What changed',
      '',
      `**prod**: 2 new commits since \`a1d0000\` (deployment d-PREV00001). [Compare on GitHub](${COMPARE})`,
      '',
      '| Commit | Message | Author |',
      '|---|---|---|',
      `| [\`0000002\`](${SERVER}/${REPO}/commit/${commitLine(2).sha}) | change 2 | Author 2 |`,
      `| [\`0000001\`](${SERVER}/${REPO}/commit/${commitLine(1).sha}) | change 1 | Author 1 |`
    ])
  })

  it('one new commit: singular', () => {
    expect(
      changesSection(facts(group({ changes: answer('ahead', 1, 0, [commitLine(1)]) })))
    ).toContain('**prod**: 1 new commit since')
  })

  it('escapes a hostile subject and author: no HTML, no emphasis, no broken cell', () => {
    const md = changesSection(
      facts(
        group({
          changes: answer('ahead', 1, 0, [
            commitLine(1, { subject: '| <img src=x> *x*', author: '[me](javascript:x) _y_' })
          ])
        })
      )
    )
    const row = md.split('\n').find((l) => l.startsWith('| [`0000001`]'))
    expect(row).toBe(
      `| [\`0000001\`](${SERVER}/${REPO}/commit/${commitLine(1).sha}) | \\| &lt;img src=x&gt; \\*x\\* | \\[me\\](javascript:x) \\_y\\_ |`
    )
    expect(md).not.toContain('<img')
  })

  it('escapes a hostile group name and deployment id', () => {
    const md = changesSection(
      facts(
        group({
          group: '<b>x</b>|*',
          previous: previous({ deploymentId: 'd-<i>' }),
          changes: answer('ahead', 0, 0)
        })
      )
    )
    expect(md).toContain('**&lt;b&gt;x&lt;/b&gt;\\|\\***')
    expect(md).toContain('deployment d-&lt;i&gt;')
    expect(md).not.toMatch(/<[bi]>/)
  })

  it('more than 20 commits: the 20 listed, then how many older ones', () => {
    const commits = Array.from({ length: 20 }, (_, i) => commitLine(57 - i))
    const md = changesSection(facts(group({ changes: answer('ahead', 57, 0, commits) })))
    expect(md).toContain('**prod**: 57 new commits since')
    const rows = md.split('\n').filter((l) => l.startsWith('| ['))
    expect(rows).toHaveLength(20)
    expect(md.split('\n').at(-1)).toBe('| | … and 37 older commits | |')
    const one = changesSection(facts(group({ changes: answer('ahead', 21, 0, commits) })))
    expect(one.split('\n').at(-1)).toBe('| | … and 1 older commit | |')
  })

  it('ahead without a listed commit: no table', () => {
    const md = changesSection(facts(group({ changes: answer('ahead', 3, 0) })))
    expect(md).not.toContain('| Commit |')
  })

  it('behind: older, taking commits back', () => {
    expect(changesSection(facts(group({ changes: answer('behind', 0, 4) })))).toContain(
      `**prod**: \`c0ffee1\` is 4 commits **older** than \`a1d0000\` (deployment d-PREV00001): deploying it takes them back. [Compare on GitHub](${COMPARE})`
    )
  })

  it('diverged: the new commits, how many of theirs this branch lacks, and the table', () => {
    const md = changesSection(
      facts(group({ changes: answer('diverged', 2, 3, [commitLine(2), commitLine(1)]) }))
    )
    expect(md).toContain(
      `**prod**: 2 new commits since \`a1d0000\` (deployment d-PREV00001), on a branch that lacks 3 commits of it (diverged). [Compare on GitHub](${COMPARE})`
    )
    expect(md).toContain('| Commit | Message | Author |')
  })

  it('an unknown answer: says why, escaped, and links the comparison', () => {
    expect(
      changesSection(
        facts(
          group({ changes: { unknown: "GitHub's compare API: no github-token was given <x>" } })
        )
      )
    ).toContain(
      `**prod**: \`c0ffee1\` against \`a1d0000\` (deployment d-PREV00001); could not list the commits between (GitHub's compare API: no github-token was given &lt;x&gt;). [Compare](${COMPARE})`
    )
  })

  it('not compared (the group could not be read before the upload): says so, and links the comparison', () => {
    const md = changesSection(facts(group({ changes: undefined })))
    expect(md).toContain(
      'could not list the commits between (they were not compared before the upload)'
    )
    expect(md).not.toContain('another repository')
    expect(md).toContain(`[Compare](${COMPARE})`)
  })

  it('a previous deployment of another repository: says so, with no comparison link into ours', () => {
    const md = changesSection(
      facts(group({ previous: previous({ repository: 'octo-org/other' }), changes: undefined }))
    )
    expect(md).toContain(
      '**prod**: `a1d0000` (deployment d-PREV00001) is of octo-org/other: commits of two repositories are not compared.'
    )
    expect(md).not.toContain('/compare/')
  })

  it('a previous deployment naming our repository in another case: compared as ours', () => {
    const md = changesSection(
      facts(
        group({
          previous: previous({ repository: 'Octo-Org/App' }),
          changes: answer('ahead', 1, 0, [commitLine(1)])
        })
      )
    )
    expect(md).toContain('**prod**: 1 new commit since')
  })

  it('one paragraph per group, in order', () => {
    const md = changesSection(
      facts(
        group({ group: 'staging', previous: undefined }),
        group({ group: 'prod', changes: answer('ahead', 1, 0, [commitLine(1)]) })
      )
    )
    expect(md.indexOf('**staging**')).toBeLessThan(md.indexOf('**prod**'))
    expect(md).toContain('(no earlier successful one).\n\n**prod**')
    expect(md.endsWith('|')).toBe(true)
  })
})
