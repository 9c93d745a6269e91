// How two commits stand, asked of whoever can answer: the workspace's git history first, then
// GitHub's compare API. An answer is never guessed: when no source can tell, the reasons are kept
// and the caller deploys and warns.

/** One commit of a "what changed" list. */
export interface CommitLine {
  sha: string
  /** The message's first line. */
  subject: string
  author: string
}

/** How `head` (this run's commit) stands against `base` (a deployment's commit). */
export type Relation = 'identical' | 'ahead' | 'behind' | 'diverged'

export interface Comparison {
  relation: Relation
  /** Commits in head and not in base: what deploying head adds. */
  aheadBy: number
  /** Commits in base and not in head. */
  behindBy: number
  /** The newest of head's commits not in base, newest first, at most COMMITS_SHOWN. */
  commits: CommitLine[]
  /** Who answered. */
  source: 'git' | 'GitHub'
}

export type CompareAnswer = { comparison: Comparison } | { unknown: string }

export interface History {
  /** Where answers come from, for the log ("the workspace's git history", "GitHub's compare API"). */
  name: string
  compare(base: string, head: string): Promise<CompareAnswer>
}

/** How many commits a "what changed" list shows. */
export const COMMITS_SHOWN = 20

export function relationOf(aheadBy: number, behindBy: number): Relation {
  if (aheadBy === 0 && behindBy === 0) return 'identical'
  if (behindBy === 0) return 'ahead'
  if (aheadBy === 0) return 'behind'
  return 'diverged'
}

/**
 * Asks each source in turn; the first that answers wins. Answers are kept per pair, since the
 * order check and the list of what changed often ask the same pair twice.
 */
export function historyChain(sources: History[]): History {
  const cache = new Map<string, Promise<CompareAnswer>>()
  const ask = async (base: string, head: string): Promise<CompareAnswer> => {
    if (base === head)
      return {
        comparison: { relation: 'identical', aheadBy: 0, behindBy: 0, commits: [], source: 'git' }
      }
    const why: string[] = []
    for (const s of sources) {
      const answer = await s.compare(base, head)
      if ('comparison' in answer) return answer
      why.push(`${s.name}: ${answer.unknown}`)
    }
    return { unknown: why.join('; ') || 'no source of history' }
  }
  return {
    name: sources.map((s) => s.name).join(', then '),
    compare(base, head) {
      const key = `${base}..${head}`
      let answer = cache.get(key)
      if (!answer) {
        answer = ask(base, head)
        cache.set(key, answer)
      }
      return answer
    }
  }
}
