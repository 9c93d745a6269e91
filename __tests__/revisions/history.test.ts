import { describe, expect, it } from '@jest/globals'
import { gitHistory, type RunGit } from '../../src/revisions/git-history.js'
import { githubHistory } from '../../src/revisions/github-history.js'
import {
  historyChain,
  relationOf,
  type CompareAnswer,
  type History
} from '../../src/revisions/history.js'

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const C = 'c'.repeat(40)

function source(name: string, answer: (base: string, head: string) => CompareAnswer) {
  const asked: string[] = []
  const s: History & { asked: string[] } = {
    name,
    asked,
    async compare(base, head) {
      asked.push(`${base[0]}..${head[0]}`)
      return answer(base, head)
    }
  }
  return s
}

const ahead = (n: number, from: 'git' | 'GitHub' = 'git'): CompareAnswer => ({
  comparison: { relation: 'ahead', aheadBy: n, behindBy: 0, commits: [], source: from }
})

describe('relationOf', () => {
  it.each([
    [0, 0, 'identical'],
    [3, 0, 'ahead'],
    [0, 2, 'behind'],
    [1, 1, 'diverged']
  ])('ahead %i, behind %i: %s', (a, b, relation) => {
    expect(relationOf(a, b)).toBe(relation)
  })
})

describe('historyChain', () => {
  it('is named for its sources, in order', () => {
    expect(
      historyChain([source('git', () => ahead(1)), source('GitHub', () => ahead(1))]).name
    ).toBe('git, then GitHub')
  })

  it('the first source that answers wins; the next is not asked', async () => {
    const git = source('git', () => ahead(2))
    const gh = source('GitHub', () => ahead(9, 'GitHub'))
    expect(await historyChain([git, gh]).compare(A, B)).toEqual(ahead(2))
    expect(gh.asked).toEqual([])
  })

  it('asks the next source when one cannot tell', async () => {
    const git = source('git', () => ({ unknown: 'shallow' }))
    const gh = source('GitHub', () => ahead(9, 'GitHub'))
    const chain = historyChain([git, gh])
    expect(await chain.compare(A, B)).toEqual(ahead(9, 'GitHub'))
  })

  it('no source can tell: every reason, each named by its source', async () => {
    const chain = historyChain([
      source('git', () => ({ unknown: 'shallow' })),
      source('GitHub', () => ({ unknown: 'no github-token was given' }))
    ])
    const expected = 'git: shallow; GitHub: no github-token was given'
    expect(await chain.compare(A, B)).toEqual({ unknown: expected })
    expect(await chain.compare(C, B)).toEqual({ unknown: expected })
  })

  it('no source at all', async () => {
    expect(await historyChain([]).compare(A, B)).toEqual({ unknown: 'no source of history' })
  })

  it('the same commit: identical, nobody asked', async () => {
    const git = source('git', () => ahead(1))
    expect(await historyChain([git]).compare(A, A)).toEqual({
      comparison: { relation: 'identical', aheadBy: 0, behindBy: 0, commits: [], source: 'git' }
    })
    expect(git.asked).toEqual([])
  })

  it('each pair is asked once, even at the same time; another pair is asked again', async () => {
    const git = source('git', () => ({ unknown: 'no' }))
    const gh = source('GitHub', () => ahead(1, 'GitHub'))
    const chain = historyChain([git, gh])
    await Promise.all([chain.compare(A, B), chain.compare(A, B)])
    await chain.compare(A, B)
    await chain.compare(B, A)
    expect(git.asked).toEqual(['a..b', 'b..a'])
    expect(gh.asked).toEqual(['a..b', 'b..a'])
  })

  it('as the action builds it: a workspace without git history, then GitHub', async () => {
    const noRepo: RunGit = async () => ({
      code: 128,
      stdout: '',
      stderr: 'fatal: not a git repository'
    })
    const calls: unknown[] = []
    const chain = historyChain([
      gitHistory(noRepo),
      githubHistory(
        { token: 't', repository: 'o/r', apiUrl: 'https://api.github.com' },
        async (args) => {
          calls.push(args)
          return {
            data: { status: 'behind', ahead_by: 0, behind_by: 3, total_commits: 0, commits: [] }
          }
        }
      )
    ])
    expect(chain.name).toBe("the workspace's git history, then GitHub's compare API")
    expect(await chain.compare(A, B)).toEqual({
      comparison: { relation: 'behind', aheadBy: 0, behindBy: 3, commits: [], source: 'GitHub' }
    })
    expect(calls).toHaveLength(1)
  })
})
