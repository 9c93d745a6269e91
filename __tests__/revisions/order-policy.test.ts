import { describe, expect, it } from '@jest/globals'
import type { CompareAnswer, Comparison, Relation } from '../../src/revisions/history.js'
import {
  decideOrder,
  needsComparison,
  short,
  type DeployedRevision,
  type IfNewerDeployed,
  type OrderInput,
  type OrderVerdict
} from '../../src/revisions/order-policy.js'

const OURS = 'aaaaaaa1111111111111111111111111111111aa'
const THEIRS = 'bbbbbbb2222222222222222222222222222222bb'
const REPO = 'octo-org/app'
const GROUP = 'prod-web'
const DEPLOYMENT = 'd-LAST12345'

function last(over: Partial<DeployedRevision> = {}): DeployedRevision {
  return {
    deploymentId: DEPLOYMENT,
    status: 'Succeeded',
    commit: THEIRS,
    repository: REPO,
    ...over
  }
}

function answer(relation: Relation, aheadBy: number, behindBy: number): CompareAnswer {
  const comparison: Comparison = { relation, aheadBy, behindBy, commits: [], source: 'git' }
  return { comparison }
}

function input(over: Partial<OrderInput> = {}): OrderInput {
  return {
    group: GROUP,
    ours: { commit: OURS, repository: REPO },
    last: last(),
    policy: 'skip',
    ...over
  }
}

/** Every line a verdict would show a user. */
function textOf(v: OrderVerdict): string {
  if (v.kind === 'skip') return v.notice
  if (v.kind === 'fail') return `${v.message} ${v.fix}`
  return v.say?.text ?? ''
}

/** The line names the group, the deployment and both commits (short or full). */
function expectNamesEverything(v: OrderVerdict): void {
  const text = textOf(v)
  expect(text).toContain(`'${GROUP}'`)
  expect(text).toContain(DEPLOYMENT)
  expect(text).toContain(short(OURS))
  expect(text).toContain(short(THEIRS))
}

const POLICIES: IfNewerDeployed[] = ['skip', 'fail', 'deploy']

describe('decideOrder', () => {
  it('deploys quietly when the group has no deployment yet', () => {
    for (const policy of POLICIES)
      expect(decideOrder(input({ last: undefined, policy }))).toEqual({ kind: 'deploy' })
  })

  it('deploys, at info level, over a deployment that records no commit, saying why', () => {
    const v = decideOrder(
      input({ last: last({ commit: undefined, unknown: 's3://b/k is gone' }), policy: 'fail' })
    )
    expect(v.kind).toBe('deploy')
    expect(v.kind === 'deploy' && v.say?.level).toBe('info')
    expect(textOf(v)).toContain(`'${GROUP}'`)
    expect(textOf(v)).toContain(`deployment ${DEPLOYMENT} (Succeeded)`)
    expect(textOf(v)).toContain('s3://b/k is gone')
  })

  it('says "not uploaded by this action" when no reason was kept, and "status unknown" without a status', () => {
    const v = decideOrder(input({ last: last({ commit: undefined, status: '' }) }))
    expect(textOf(v)).toContain('not uploaded by this action')
    expect(textOf(v)).toContain(`deployment ${DEPLOYMENT} (status unknown)`)
  })

  it('deploys the same commit again, at info level, whatever the answer', () => {
    for (const policy of POLICIES) {
      const v = decideOrder(
        input({ last: last({ commit: OURS }), answer: answer('behind', 0, 3), policy })
      )
      expect(v.kind).toBe('deploy')
      expect(v.kind === 'deploy' && v.say?.level).toBe('info')
      expect(textOf(v)).toContain(`same commit ${short(OURS)}`)
      expect(textOf(v)).toContain(DEPLOYMENT)
      expect(textOf(v)).toContain(`'${GROUP}'`)
    }
  })

  it('warns and deploys over a commit of another repository (no order between them)', () => {
    for (const policy of POLICIES) {
      const v = decideOrder(
        input({
          last: last({ repository: 'octo-org/other' }),
          answer: answer('behind', 0, 2),
          policy
        })
      )
      expect(v.kind).toBe('deploy')
      expect(v.kind === 'deploy' && v.say?.level).toBe('warning')
      expectNamesEverything(v)
      expect(textOf(v)).toContain('octo-org/other')
      expect(textOf(v)).toContain(REPO)
    }
  })

  it('warns and deploys when no source could tell, with the reason and how to let it tell', () => {
    for (const policy of POLICIES) {
      const v = decideOrder(
        input({ answer: { unknown: "GitHub's compare API: no github-token was given" }, policy })
      )
      expect(v.kind).toBe('deploy')
      expect(v.kind === 'deploy' && v.say?.level).toBe('warning')
      expectNamesEverything(v)
      expect(textOf(v)).toContain('no github-token was given')
      expect(textOf(v)).toContain('fetch-depth: 0')
      expect(textOf(v)).toContain('never guessed')
    }
  })

  it('warns and deploys when nothing was asked (no answer at all)', () => {
    const v = decideOrder(input({ policy: 'fail' }))
    expect(v.kind).toBe('deploy')
    expectNamesEverything(v)
    expect(textOf(v)).toContain('nothing was asked')
  })

  it.each(POLICIES)('deploys a commit ahead at info level (%s), counting the commits', (policy) => {
    const v = decideOrder(input({ answer: answer('ahead', 3, 0), policy }))
    expect(v.kind).toBe('deploy')
    expect(v.kind === 'deploy' && v.say?.level).toBe('info')
    expectNamesEverything(v)
    expect(textOf(v)).toContain('3 commits ahead')
    expect(textOf(decideOrder(input({ answer: answer('ahead', 1, 0), policy })))).toContain(
      '1 commit ahead'
    )
  })

  it.each(POLICIES)('deploys a commit with identical content at info level (%s)', (policy) => {
    const v = decideOrder(input({ answer: answer('identical', 0, 0), policy }))
    expect(v.kind).toBe('deploy')
    expect(v.kind === 'deploy' && v.say?.level).toBe('info')
    expectNamesEverything(v)
  })

  it.each(POLICIES)('warns and deploys over a diverged commit (%s), with both counts', (policy) => {
    const v = decideOrder(input({ answer: answer('diverged', 4, 2), policy }))
    expect(v.kind).toBe('deploy')
    expect(v.kind === 'deploy' && v.say?.level).toBe('warning')
    expectNamesEverything(v)
    expect(textOf(v)).toContain('4 and 2 commits apart, per git')
  })

  describe('behind: a newer commit is deployed', () => {
    it('skip: a notice naming both commits in full, nothing uploaded, how to roll back', () => {
      const v = decideOrder(input({ answer: answer('behind', 0, 5), policy: 'skip' }))
      expect(v.kind).toBe('skip')
      expectNamesEverything(v)
      const text = textOf(v)
      expect(text).toContain(THEIRS)
      expect(text).toContain(OURS)
      expect(text).toContain('5 commits newer')
      expect(text).toContain('Nothing was uploaded or deployed')
      expect(text).toContain('if-newer-deployed: deploy')
    })

    it('fail: a message and a fix', () => {
      const v = decideOrder(input({ answer: answer('behind', 0, 1), policy: 'fail' }))
      expect(v.kind).toBe('fail')
      expectNamesEverything(v)
      if (v.kind !== 'fail') return
      expect(v.message).toContain('A newer commit is deployed')
      expect(v.message).toContain('1 commit newer')
      expect(v.fix).toContain('if-newer-deployed: deploy')
      expect(v.fix).toContain('if-newer-deployed: skip')
    })

    it('deploy: deploys the older commit on purpose, with a warning', () => {
      const v = decideOrder(input({ answer: answer('behind', 0, 2), policy: 'deploy' }))
      expect(v.kind).toBe('deploy')
      expect(v.kind === 'deploy' && v.say?.level).toBe('warning')
      expectNamesEverything(v)
      expect(textOf(v)).toContain('on purpose (if-newer-deployed: deploy)')
    })
  })

  it('names the source that answered', () => {
    const v = decideOrder(
      input({
        answer: {
          comparison: { relation: 'behind', aheadBy: 0, behindBy: 2, commits: [], source: 'GitHub' }
        }
      })
    )
    expect(textOf(v)).toContain('(per GitHub)')
  })

  it('a repository spelt in another case is ours (GitHub ignores case): the order decides', () => {
    const v = decideOrder(
      input({ last: last({ repository: 'Octo-Org/App' }), answer: answer('behind', 0, 1) })
    )
    expect(v.kind).toBe('skip')
  })

  it('treats a last deployment without a recorded repository as ours', () => {
    const v = decideOrder(
      input({
        last: last({ repository: undefined }),
        answer: answer('behind', 0, 1),
        policy: 'skip'
      })
    )
    expect(v.kind).toBe('skip')
  })
})

describe('needsComparison', () => {
  const ours = { commit: OURS, repository: REPO }
  it.each<[string, DeployedRevision | undefined, boolean]>([
    ['no last deployment', undefined, false],
    ['a last deployment without a commit', last({ commit: undefined }), false],
    ['the same commit', last({ commit: OURS }), false],
    ['another repository', last({ repository: 'octo-org/other' }), false],
    ['another commit of ours', last(), true],
    ['another commit, repository not recorded', last({ repository: undefined }), true],
    ['another commit, repository empty', last({ repository: '' }), true],
    ['another commit, repository in another case', last({ repository: 'OCTO-ORG/app' }), true]
  ])('%s → %s', (_what, l, expected) => {
    expect(needsComparison({ group: GROUP, ours, ...(l ? { last: l } : {}) })).toBe(expected)
  })

  it('agrees with decideOrder: whenever no comparison is needed, the verdict needs no answer', () => {
    for (const l of [
      undefined,
      last({ commit: undefined }),
      last({ commit: OURS }),
      last({ repository: 'x/y' })
    ]) {
      const i = input({ ...(l ? { last: l } : { last: undefined }), policy: 'fail' })
      expect(needsComparison(i)).toBe(false)
      expect(decideOrder(i)).toEqual(decideOrder({ ...i, answer: answer('behind', 0, 9) }))
    }
  })
})
