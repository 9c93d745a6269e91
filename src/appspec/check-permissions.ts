// The values of a permissions entry, read as the agent's ModeInfo, AceInfo, ContextInfo and
// RangeInfo read them (application_specification/*.rb): their errors in the agent's words.

import { AGENT } from './agent-words.js'
import { isHash, noMethod, rubyIndex, rubyInspect, rubyToS, type YamlValue } from './ruby.js'

export interface ValueFinding {
  severity: 'error' | 'warning'
  message: string
  fix: string
}

/** One ACL entry as AceInfo parses it. */
export interface AclEntry {
  text: string
  default: boolean
}

const RUBY_FAILS = "The agent fails reading appspec.yml with Ruby's error"

/**
 * `mode`: the agent takes `mode.to_s`, pads it to three digits and accepts one to four octal
 * digits. YAML 1.1 reads an unquoted `0644` as the octal number 420, so the agent applies 420.
 */
export function checkMode(
  mode: YamlValue,
  written: string | undefined,
  quoted: boolean
): ValueFinding[] {
  let text = rubyToS(mode)
  while (text.length < 3) text = `0${text}`
  const fix = 'Write the mode as three or four octal digits, e.g. `mode: 644` or `mode: "0644"`.'
  const octalRead =
    typeof mode === 'number' &&
    !quoted &&
    written !== undefined &&
    /^[+-]?0[0-7]+$/.test(written.trim())
  const readAs = octalRead
    ? ` (YAML reads the unquoted \`${written?.trim()}\` as the octal number ${written?.trim()}, which is ${text} in decimal)`
    : ''
  if (text.length > 4) return [{ severity: 'error', message: AGENT.modeLength(text) + readAs, fix }]
  const bad = [...text].find((c) => c < '0' || c > '7')
  if (bad !== undefined)
    return [{ severity: 'error', message: AGENT.modeCharacter(text, bad) + readAs, fix }]
  if (octalRead) {
    return [
      {
        severity: 'warning',
        message: `\`mode: ${written?.trim()}\` is read by YAML as the octal number ${written?.trim()}, which is ${text} in decimal: the agent applies mode ${text}, not ${written?.trim().replace(/^0+/, '')}.`,
        fix: `Write \`mode: ${written?.trim().replace(/^0+(?=\d{3})/, '')}\` (no leading zero) or quote it: \`mode: "${written?.trim()}"\`.`
      }
    ]
  }
  return []
}

/** `acls`: each entry through AceInfo; a default entry (`d:`) is for folders only. */
export function checkAcl(acls: YamlValue): { entries: AclEntry[]; findings: ValueFinding[] } {
  const fix =
    'Write each entry as `[d:]u|g:<name>:<rwx>` (e.g. `u:ec2-user:rwx`), or `m::<rwx>` for the mask.'
  if (!Array.isArray(acls)) {
    // A map hands AceInfo its [key, value] pairs, which have no `split`.
    const error = isHash(acls)
      ? noMethod('split', Object.entries(acls)[0] ?? [])
      : noMethod('each', acls)
    return {
      entries: [],
      findings: [
        {
          severity: 'error',
          message: `${RUBY_FAILS}: ${error}.`,
          fix: `List the entries: \`acls: ["u:ec2-user:rwx"]\`.`
        }
      ]
    }
  }
  const entries: AclEntry[] = []
  const findings: ValueFinding[] = []
  for (const ace of acls) {
    if (typeof ace !== 'string') {
      findings.push({
        severity: 'error',
        message: `${RUBY_FAILS}: ${noMethod('split', ace)}.`,
        fix
      })
      continue
    }
    const problem = aceProblem(ace)
    if (problem) findings.push({ severity: 'error', message: problem, fix })
    else entries.push({ text: ace, default: aceIsDefault(ace) })
  }
  if (entries.length > 0 && findings.length === 0) {
    findings.push({
      severity: 'warning',
      message:
        'The agent applies `acls` with `setfacl --set`: the instance needs the setfacl command (package acl), or the install fails.',
      fix: 'Make sure the instance image has the acl package installed.'
    })
  }
  return { entries, findings }
}

function aceIsDefault(ace: string): boolean {
  const parts = ace.split(':').reverse()
  return parts.length === 4 || ['d', 'default'].includes(parts[2] ?? '')
}

/** AceInfo.new's first failure for one entry, in the agent's words. */
function aceProblem(ace: string): string | undefined {
  const invalid = AGENT.aclEntry(ace)
  const parts = ace.split(':').reverse()
  if (parts.length < 2 || parts.length > 4) return invalid
  let isDefault = false
  let type: string | undefined
  let name = ''
  if (parts.length === 4) {
    if (!['d', 'default'].includes(parts[3] ?? '')) return invalid
    isDefault = true
  }
  if (parts.length >= 3) {
    const kind = parts[2] ?? ''
    if (['d', 'default'].includes(kind)) {
      if (isDefault) return invalid
      isDefault = true
    } else if (['m', 'mask'].includes(kind)) type = 'mask'
    else if (['o', 'other'].includes(kind)) type = 'other'
    else if (['g', 'group'].includes(kind)) type = 'group'
    else if (['u', 'user'].includes(kind)) type = 'user'
    else return invalid
  }
  const who = parts[1] ?? ''
  if (['m', 'mask'].includes(who)) {
    if (type === undefined) type = 'mask'
    else name = 'mask'
  } else if (['o', 'other'].includes(who)) {
    if (type === undefined) type = 'other'
    else name = 'other'
  } else {
    type ??= 'user'
    name = who
  }
  if ((type === 'mask' || type === 'other') && name !== '') return invalid
  if (!isDefault && type !== 'mask' && name === '') return AGENT.aclBaseEntry(ace)
  const perms = parts[0] ?? ''
  if (perms.length === 1 && perms >= '0' && perms <= '7') return undefined
  const bad = [...perms].find((c) => !'rwx-'.includes(c))
  return bad === undefined ? undefined : AGENT.aclCharacter(ace, bad)
}

/** `context`: a `type` is required; a `range` must be `s<n>[-s<n>][:c<n>[.c<n>],...]`. */
export function checkContext(context: YamlValue): ValueFinding[] {
  const fix =
    'Write it as `context:` with `type: <selinux type>` and optionally `name` and `range: s0`.'
  const type = rubyIndex(context, 'type')
  if ('error' in type) return [{ severity: 'error', message: `${RUBY_FAILS}: ${type.error}.`, fix }]
  if (type.value === null || type.value === undefined)
    return [{ severity: 'error', message: AGENT.contextType(rubyInspect(context)), fix }]
  const range = rubyIndex(context, 'range')
  if ('value' in range && range.value !== null && range.value !== undefined) {
    if (typeof range.value !== 'string')
      return [
        { severity: 'error', message: `${RUBY_FAILS}: ${noMethod('include?', range.value)}.`, fix }
      ]
    const problem = rangeProblem(range.value)
    if (problem)
      return [
        {
          severity: 'error',
          message: problem,
          fix: 'Write the range as `s0`, `s0-s1` or `s0:c0.c5`.'
        }
      ]
  }
  return [
    {
      severity: 'warning',
      message: `The agent applies \`context\` with \`semanage fcontext\` and \`restorecon\`: the instance needs SELinux and its tools (policycoreutils), or the install fails.`,
      fix: 'Use `context` only on instances with SELinux enabled (RHEL, Amazon Linux with SELinux).'
    }
  ]
}

/** RangeInfo.new's first failure, in the agent's words. */
function rangeProblem(range: string): string | undefined {
  try {
    const parts = splitParts(range, ':')
    const sensitivity = splitParts(parts[0] ?? '', '-')
    const low = sensitivityNumber(sensitivity[0])
    if (sensitivity.length === 2 && sensitivityNumber(sensitivity[1]) < low)
      return AGENT.contextRange(range)
    if (parts.length === 2) {
      const categories: number[] = []
      for (const part of (parts[1] ?? '').split(',')) {
        if (part.includes('.')) {
          const [a = '', b = ''] = splitParts(part, '.')
          const from = categoryNumber(a)
          const to = categoryNumber(b)
          if (to < from) throw new Error(`invalid category range ${a}.${b}`)
          for (let c = from; c <= to; c++) categories.push(c)
        } else categories.push(categoryNumber(part))
      }
      if (new Set(categories).size !== categories.length) throw new Error('duplicate categories')
    }
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/** RangeInfo#ensure_parts: one part, or two around the first `separator`, none empty. */
function splitParts(input: string, separator: string): string[] {
  const at = input.indexOf(separator)
  const parts = at < 0 ? [input] : [input.slice(0, at), input.slice(at + separator.length)]
  if (parts.some((p) => p === '')) throw new Error(`invalid range part ${input}`)
  return parts
}

function sensitivityNumber(text: string | undefined): number {
  if (
    text === undefined ||
    text.length < 2 ||
    !text.startsWith('s') ||
    !/^\d*$/.test(text.slice(1).replace('s', ''))
  )
    throw new Error(`invalid sensitivity ${text ?? ''}`)
  return Number(text.slice(1).replace('s', '') || '0')
}

function categoryNumber(text: string): number {
  const digits = text.slice(1).replace('c', '')
  if (
    text.length < 2 ||
    !text.startsWith('c') ||
    !/^\d*$/.test(digits) ||
    Number(digits || '0') > 1023
  )
    throw new Error(`invalid category ${text}`)
  return Number(digits || '0')
}
