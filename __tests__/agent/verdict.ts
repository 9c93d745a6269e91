// What the action must do with a conformance case, given what the real agent does with it.
import type { AgentCase } from './cases.js'

/** Whether the action refuses the bundle: only where the agent fails for a reason the bundle shows. */
export function expectedVerdict(c: AgentCase): 'refuse' | 'accept' {
  if (c.divergence) return c.divergence.action
  return !c.agent.ok && !c.runtime ? 'refuse' : 'accept'
}

/**
 * The agent's words an error of the action must quote: its message cut where it names what only
 * the instance knows (the unpacked revision's folder, the deployment's folder, a process id).
 */
export function agentWords(c: AgentCase): string[] {
  if (c.agent.ok) return []
  if (c.quote) return [c.quote]
  return c.agent.message
    .split(/<archive>|<deployment>|<pid>/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 4)
}

export interface ActionFindings {
  errors: string[]
  warnings: string[]
}

/** Problems with the action's answer to a case, as lines; empty when it conforms. */
export function judge(c: AgentCase, found: ActionFindings, dest: string): string[] {
  const problems: string[] = []
  const errors = found.errors.map((e) => e.replaceAll(dest, '<dest>'))
  const verdict = expectedVerdict(c)
  if (verdict === 'accept' && errors.length > 0)
    problems.push(
      `refused a bundle the agent ${c.agent.ok ? 'deploys' : 'fails only at run time'}:\n  ${errors.join('\n  ')}`
    )
  if (verdict === 'refuse') {
    if (errors.length === 0) problems.push('accepted a bundle the agent fails on')
    else if (!c.divergence) {
      const words = agentWords(c)
      if (!errors.some((e) => words.every((w) => e.includes(w))))
        problems.push(
          `no error quotes the agent's words ${JSON.stringify(words)}:\n  ${errors.join('\n  ')}`
        )
    }
  }
  if (c.warns && !found.warnings.some((w) => w.includes(c.warns!)))
    problems.push(`no warning mentions '${c.warns}':\n  ${found.warnings.join('\n  ')}`)
  return problems
}
