// "What changed" in the job summary: per group, this run's commit against the group's last
// successful one — how many commits, the newest of them, and a link to GitHub's comparison. Pure.
import type { CommitLine } from '../revisions/history.js'
import type { GroupRevisions, RevisionFacts } from '../revisions/order.js'
import { short } from '../revisions/order-policy.js'
import { sameRepository } from '../revisions/order-policy.js'
import { codeSpan, escapeText } from './escape.js'
import { plural } from '../common/plural.js'

function commitUrl(f: RevisionFacts, sha: string): string {
  return `${f.serverUrl}/${f.ours.repository}/commit/${sha}`
}

function compareUrl(f: RevisionFacts, base: string): string {
  return `${f.serverUrl}/${f.ours.repository}/compare/${base}...${f.ours.commit}`
}

function commitTable(f: RevisionFacts, commits: CommitLine[], total: number): string[] {
  if (commits.length === 0) return []
  const rows = commits.map(
    (c) =>
      `| [${codeSpan(short(c.sha))}](${commitUrl(f, c.sha)}) | ${escapeText(c.subject)} | ${escapeText(c.author)} |`
  )
  const more = total - commits.length
  return [
    '',
    '| Commit | Message | Author |',
    '|---|---|---|',
    ...rows,
    ...(more > 0 ? [`| | … and ${plural(more, 'older commit')} | |`] : [])
  ]
}

function groupLines(f: RevisionFacts, g: GroupRevisions): string[] {
  const head = `**${escapeText(g.group)}**`
  const p = g.previous
  if (!p) return [`${head}: first deployment of this group (no earlier successful one).`]
  const prev = `deployment ${escapeText(p.deploymentId)}`
  if (!p.commit)
    return [
      `${head}: the last successful ${prev} records no commit (${escapeText(p.unknown ?? 'not uploaded by this action')}).`
    ]
  const base = `${codeSpan(short(p.commit))} (${prev})`
  if (p.commit === f.ours.commit) return [`${head}: same commit as ${base}: nothing changed.`]
  if (p.repository && !sameRepository(p.repository, f.ours.repository))
    return [
      `${head}: ${base} is of ${escapeText(p.repository)}: commits of two repositories are not compared.`
    ]
  const answer = g.changes
  if (!answer || 'unknown' in answer)
    return [
      `${head}: ${codeSpan(short(f.ours.commit))} against ${base}; could not list the commits between (${escapeText(answer ? answer.unknown : 'they were not compared before the upload')}). [Compare](${compareUrl(f, p.commit)})`
    ]
  const c = answer.comparison
  const link = `[Compare on GitHub](${compareUrl(f, p.commit)})`
  switch (c.relation) {
    case 'identical':
      return [`${head}: same code as ${base}: nothing changed. ${link}`]
    case 'behind':
      return [
        `${head}: ${codeSpan(short(f.ours.commit))} is ${plural(c.behindBy, 'commit')} **older** than ${base}: deploying it takes them back. ${link}`
      ]
    case 'ahead':
    case 'diverged':
      return [
        `${head}: ${plural(c.aheadBy, 'new commit')} since ${base}${c.relation === 'diverged' ? `, on a branch that lacks ${plural(c.behindBy, 'commit')} of it (diverged)` : ''}. ${link}`,
        ...commitTable(f, c.commits, c.aheadBy)
      ]
  }
}

export function changesSection(f: RevisionFacts): string {
  if (f.groups.length === 0) return ''
  return ['### What changed', '', ...f.groups.flatMap((g) => [...groupLines(f, g), ''])]
    .join('\n')
    .trimEnd()
}
