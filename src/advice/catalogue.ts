// The advice catalogue: every rule, for instance failures and for deployment errors, and the
// README's troubleshooting table generated from them (a test keeps the README equal to it).
import { DEPLOYMENT_RULES } from './deployment-rules.js'
import { INSTANCE_RULES } from './instance-rules.js'
import type { Rule } from './types.js'

export { adviseDeployment, DEPLOYMENT_RULES, OTHER_PLATFORM_CODES } from './deployment-rules.js'
export { adviseInstance, INSTANCE_RULES, type InstanceCase } from './instance-rules.js'

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

function rows(rules: Rule<never>[]): string[] {
  return rules.map((r) => `| ${cell(r.doc.see)} | ${cell(r.doc.why)} | ${cell(r.doc.fix)} |`)
}

/** The troubleshooting table: instance failures first (what users meet most), then deployment codes. */
export function troubleshootingTable(): string {
  return [
    '| What you see | Why | Fix |',
    '|---|---|---|',
    ...rows(INSTANCE_RULES as Rule<never>[]),
    ...rows(DEPLOYMENT_RULES as Rule<never>[])
  ].join('\n')
}
