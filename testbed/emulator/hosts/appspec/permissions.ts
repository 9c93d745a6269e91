// The permissions section as the agent reads it (PermissionInfo, AceInfo, ContextInfo, RangeInfo):
// modes, ACL entries and SELinux contexts checked in its words.
import type { AceEntry, Permission } from './appspec.ts'
import {
  each,
  index,
  rubyInspect,
  fail,
  falsy,
  hasKey,
  nil,
  noMethod,
  permissionText,
  toS,
  type V
} from './ruby-values.ts'

const NO_OBJECT =
  'The deployment failed because a permission listed in the application specification file has no object value. Update the permissions section of the AppSpec file, and then try again.'

export function parsePermission(p: V): Permission {
  if (!hasKey(p, 'object') || nil((p as Record<string, V>).object)) fail(NO_OBJECT)
  const e = p as Record<string, V>
  const pattern = e.pattern === '**' || nil(e.pattern) ? '**' : toS(e.pattern)
  const except = each(falsy(e.except) ? [] : e.except).map(toS)
  const type = each(falsy(e.type) ? ['file', 'directory'] : e.type).map((t) => {
    if (t !== 'file' && t !== 'directory')
      fail(
        `The deployment failed because the application specification filespecifies a permission for an object type not supported for permissions (${toS(t)}). Update the permissions section of the AppSpec file, and then try again.`
      )
    return t as string
  })
  const mode = nil(e.mode) ? undefined : parseMode(e.mode)
  const acls = nil(e.acls) ? undefined : each(e.acls).map(parseAce)
  const context = nil(e.context) ? undefined : parseContext(e.context)
  const object = toS(e.object).trim()
  if (object === '') fail(NO_OBJECT)
  return {
    object,
    pattern,
    except,
    type,
    ...(nil(e.owner) ? {} : { owner: toS(e.owner) }),
    ...(nil(e.group) ? {} : { group: toS(e.group) }),
    ...(mode !== undefined ? { mode } : {}),
    ...(acls !== undefined ? { acls } : {}),
    ...(context !== undefined ? { context } : {})
  }
}

function parseMode(raw: V): string {
  let mode = toS(raw)
  while (mode.length < 3) mode = `0${mode}`
  if (mode.length > 4)
    fail(
      `The deployment failed because the length of a permissions mode (${mode}) in the application specification file is invalid. Permissions modes must be between one and four characters long. Update the permissions section of the AppSpec file, and then try again.`
    )
  const bad = [...mode].find((c) => c < '0' || c > '7')
  if (bad !== undefined)
    fail(
      `The deployment failed because the permissions mode (${mode}) in the application specification file contains an invalid character (${bad}). Update the permissions section of the AppSpec file, and then try again.`
    )
  return mode
}

// AceInfo.new
function parseAce(ace: V): AceEntry {
  if (typeof ace !== 'string') return noMethod('split', ace)
  const invalid = `The deployment failed because of a problem with the acls permission settings in the application specification file. Invalid acl entry (${ace}).`
  const parts = ace.split(':').reverse()
  if (parts.length < 2 || parts.length > 4) fail(invalid)
  let isDefault = false
  let type: string | undefined
  let name = ''
  if (parts.length === 4) {
    if (!['d', 'default'].includes(parts[3]!)) fail(invalid)
    isDefault = true
  }
  if (parts.length >= 3) {
    const k = parts[2]!
    if (['d', 'default'].includes(k)) {
      if (isDefault) fail(invalid)
      isDefault = true
    } else if (['m', 'mask'].includes(k)) type = 'mask'
    else if (['o', 'other'].includes(k)) type = 'other'
    else if (['g', 'group'].includes(k)) type = 'group'
    else if (['u', 'user'].includes(k)) type = 'user'
    else fail(invalid)
  }
  const who = parts[1]!
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
  if ((type === 'mask' || type === 'other') && name !== '') fail(invalid)
  if (!isDefault && type !== 'mask' && name === '')
    fail(
      `The deployment failed because of a problem with the acls permission settings in the application specification file. Use mode to set the base acl entry (${ace}). Update the permissions section of the AppSpec file, and then try again.`
    )
  const raw = parts[0]!
  let perms: string
  if (raw.length === 1 && raw >= '0' && raw <= '7') {
    perms = permissionText(Number(raw))
  } else {
    const bad = [...raw].find((c) => !'rwx-'.includes(c))
    if (bad !== undefined)
      fail(
        `The deployment failed because the access control list (ACL) named ${ace} in the application specification file contains an invalid character (${bad}). Correct the ACL in the hooks section of the AppSpec file, and then try again.`
      )
    perms = [...'rwx'].map((letter) => (raw.includes(letter) ? letter : '-')).join('')
  }
  return { default: isDefault, type: type ?? 'user', name, perms }
}

// ContextInfo.new and RangeInfo.new
function parseContext(context: V): { user?: string; type: string; range?: string } {
  const type = index(context, 'type')
  if (nil(type))
    fail(
      `The deployment failed because the application specification file specifies an invalid context type (${rubyInspect(context)}). Update the permissions section of the AppSpec file, and then try again.`
    )
  const user = index(context, 'name')
  const range = index(context, 'range')
  return {
    type: toS(type),
    ...(nil(user) ? {} : { user: toS(user) }),
    ...(nil(range) ? {} : { range: parseRange(range) })
  }
}

function parseRange(range: V): string {
  if (typeof range !== 'string') return noMethod('include?', range)
  const parts = ensureParts(range, ':')
  const sensitivity = ensureParts(parts[0]!, '-')
  const low = sensitivityNumber(sensitivity[0]!)
  const high = sensitivity.length === 2 ? sensitivityNumber(sensitivity[1]!) : low
  if (high < low)
    fail(
      `The deployment failed because of a problem with the SELinux range specified (${range}) for the context parameter in the permissions section of the application specification file. Make corrections in the permissions section of the AppSpec file, and then try again.`
    )
  let categories: number[] | undefined
  if (parts.length === 2) {
    categories = []
    for (const part of parts[1]!.split(',')) {
      if (part.includes('.')) {
        const [a, b] = ensureParts(part, '.')
        const from = categoryNumber(a!)
        const to = categoryNumber(b!)
        if (to < from) fail(`invalid category range ${a}.${b}`)
        for (let c = from; c <= to; c++) categories.push(c)
      } else categories.push(categoryNumber(part))
    }
    if (new Set(categories).size !== categories.length) fail('duplicate categories')
    categories.sort((x, y) => x - y)
  }
  return rangeText(low, high, categories)
}

function ensureParts(input: string, separator: string): string[] {
  const at = input.indexOf(separator)
  const parts = at < 0 ? [input] : [input.slice(0, at), input.slice(at + 1)]
  if (parts.some((p) => p === '')) fail(`invalid range part ${input}`)
  return parts
}

function sensitivityNumber(s: string): number {
  const digits = s.slice(1).replace('s', '')
  if (s.length < 2 || !s.startsWith('s') || !/^\d*$/.test(digits)) fail(`invalid sensitivity ${s}`)
  return Number(digits || '0')
}

function categoryNumber(c: string): number {
  const digits = c.slice(1).replace('c', '')
  if (c.length < 2 || !c.startsWith('c') || !/^\d*$/.test(digits) || Number(digits || '0') > 1023)
    fail(`invalid category ${c}`)
  return Number(digits || '0')
}

// RangeInfo#get_range: s<low>[-s<high>][:c<a>[.c<b>],...]
function rangeText(low: number, high: number, categories?: number[]): string {
  let text = `s${low}${low !== high ? `-s${high}` : ''}`
  if (categories) {
    const runs: string[] = []
    for (let i = 0; i < categories.length;) {
      let j = i
      while (j + 1 < categories.length && categories[j + 1] === categories[j]! + 1) j++
      runs.push(i === j ? `c${categories[i]}` : `c${categories[i]}.c${categories[j]}`)
      i = j + 1
    }
    text += `:${runs.join(',')}`
  }
  return text
}
