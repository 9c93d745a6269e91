// Background jobs in a hook script that keep the hook's stdout or stderr open. The agent reads
// both until they close (hook_executor.rb), so such a job fails the event at the hook's timeout
// with "failed to close STDOUT", although the script itself ended. Pure: the script's text in,
// the jobs with their 1-based lines out.
//
// unbash parses the script; which process holds which pipe is modelled on bash 5.2 and dash
// 0.5.12 as measured (__tests__/appspec/background-jobs.shells.test.ts runs the table under both):
// - a simple command holds what its own redirections leave on the hook's pipes;
// - bash runs an `a && b &` list, a `{ …; } &` group, an `if`/`case` and a subshell of more than
//   one command in a subshell that waits for them, holding the pipes it inherited; dash runs
//   the last command of such a list in place of the subshell, so only that command's output
//   counts; loops wait in both shells;
// - dash reads `cmd &> file` as `cmd &` then `> file`.
// Where the shell's choice is not known, the model assumes the job does not hold the pipes
// (commands before the last of a list are taken to end at once): a missed warning costs less
// than a wrong one.

import {
  parse,
  type AndOr,
  type Command,
  type CompoundList,
  type PipelineNode,
  type Redirection,
  type Statement,
  type Word
} from 'unbash'

export type Shell = 'bash' | 'dash'
export type Stream = 'stdout' | 'stderr'

/** What the `&` sends to the background. */
export type JobForm = 'command' | 'pipeline' | 'list' | 'group' | 'function'

export interface OpenJob {
  /** 1-based line where the job starts. */
  line: number
  /** 1-based line of its `&` (or of the `&>` dash reads as one). */
  endLine: number
  /** The job as written, on one line, ending in `&` (or, for dash's `&>`, the whole command). */
  text: string
  form: JobForm
  /** The kind of compound a `group` is: `{ … }`, `( … )`, `if`, `case`, a loop. */
  compound?: 'braces' | 'subshell' | 'if' | 'case' | 'loop'
  /** The hook's streams it keeps open on some shell of `shells`. */
  streams: Stream[]
  /** The shells, of those that may run the script, on which it keeps them open. */
  shells: Shell[]
  /**
   * Whether its commands write to the hook's streams themselves; otherwise only the shell that
   * runs the list, group or function holds them.
   */
  ownOutput: boolean
  /** The command names in it (to say nohup does not redirect into a pipe). */
  commands: string[]
  /** dash reading `&>` as `&` then `>`. */
  ampersandRedirect: boolean
  /** The job written so that nothing keeps the hook's streams. */
  fix: string
  /** Whether `fix` is only the job's last line (a group over several lines). */
  fixIsLastLine: boolean
  /** For a list, the other fix: the whole list in a subshell, redirected. */
  listFix?: string
}

/**
 * The shells that may run a script, from its first line without `#!` (undefined when it has
 * none: the agent runs it through /bin/sh, which is bash on Amazon Linux and RHEL, dash on
 * Ubuntu and Debian). None for another interpreter.
 */
export function shellsFor(interpreterLine: string | undefined): Shell[] {
  if (interpreterLine === undefined) return ['bash', 'dash']
  const words = interpreterLine.trim().split(/\s+/)
  const first = words[0] ?? ''
  const program = first.endsWith('/env') ? words.slice(1).find((w) => !w.startsWith('-')) : first
  switch (program?.split('/').pop()) {
    case 'sh':
      return ['bash', 'dash']
    case 'bash':
      return ['bash']
    case 'dash':
      return ['dash']
    default:
      return []
  }
}

/** Background jobs that keep the hook's stdout or stderr open, in the order of the script. */
export function openBackgroundJobs(script: string, shells: readonly Shell[]): OpenJob[] {
  if (shells.length === 0) return []
  const ast = parse(script)
  // A script unbash cannot read fully is left alone rather than half understood.
  if (ast.errors && ast.errors.length > 0) return []
  const functions = functionsIn(ast.commands)
  const stopped = stopsJobs(ast.commands)
  const lines = lineStarts(script)
  const byKey = new Map<string, OpenJob>()
  for (const shell of shells) {
    const found: Found[] = []
    walkList(ast.commands, HOOK, { shell, functions, calling: new Set() }, found)
    for (const f of found) {
      if (stopped(f.statement.end)) continue
      const streams = [...f.held.own, ...f.held.shell]
      if (streams.length === 0) continue
      const job = describe(script, lines, f, functions)
      const key = `${f.statement.pos}:${job.ampersandRedirect}`
      const known = byKey.get(key)
      if (!known) {
        byKey.set(key, { ...job, streams: sortStreams(streams), shells: [shell] })
        continue
      }
      if (!known.shells.includes(shell)) known.shells.push(shell)
      known.streams = sortStreams([...known.streams, ...streams])
      known.ownOutput ||= job.ownOutput
    }
  }
  return [...byKey.values()].sort((a, b) => a.line - b.line)
}

// ---------------------------------------------------------------------------------------------
// Which of the hook's pipes each open file descriptor keeps open: the pipe itself, or both
// through a process substitution that inherited them; a descriptor not in the map is elsewhere
// (a file, /dev/null, closed).

type Pipes = readonly Stream[]
type Fds = ReadonlyMap<number, Pipes>
const HOOK: Fds = new Map<number, Pipes>([
  [1, ['stdout']],
  [2, ['stderr']]
])

/** The pipes a process with these descriptors keeps open. */
function pipes(fds: Fds): Stream[] {
  return [...fds.values()].flat()
}

function applyRedirects(fds: Fds, redirects: readonly Redirection[]): Fds {
  const next = new Map(fds)
  for (const r of redirects) {
    if (r.descriptor?.type === 'FileDescriptorVariable') continue
    const fd = r.descriptor?.value
    if (r.type !== 'Redirect') {
      next.delete(fd ?? 0)
      continue
    }
    const target = r.target
    switch (r.operator) {
      case '>':
      case '>>':
      case '>|':
      case '<>':
        setTo(next, fd ?? (r.operator === '<>' ? 0 : 1), pathTarget(target, next))
        break
      case '<':
        next.delete(fd ?? 0)
        break
      case '&>':
      case '&>>': {
        const to = pathTarget(target, next)
        setTo(next, 1, to)
        setTo(next, 2, to)
        break
      }
      case '>&':
      case '<&': {
        const into = fd ?? (r.operator === '>&' ? 1 : 0)
        const text = literal(target)
        const dup = text === undefined ? undefined : /^(\d+)(-?)$/.exec(text)
        if (dup) {
          const from = Number(dup[1])
          setTo(next, into, next.get(from))
          if (dup[2] === '-') next.delete(from)
        } else if (r.operator === '>&' && fd === undefined && text !== undefined && text !== '-') {
          // bash's `>&file`, the same as `&>file`.
          const to = pathTarget(target, next)
          setTo(next, 1, to)
          setTo(next, 2, to)
        } else {
          // `>&-` closes; a descriptor in a variable is not followed.
          next.delete(into)
        }
        break
      }
    }
  }
  return next
}

function setTo(fds: Map<number, Pipes>, fd: number, to: Pipes | undefined): void {
  if (to === undefined || to.length === 0) fds.delete(fd)
  else fds.set(fd, to)
}

/** Which hook pipes a path keeps open: /dev/stdout and its kin reopen the descriptor they name. */
function pathTarget(target: Word | undefined, fds: Fds): Pipes | undefined {
  // `>(cmd)`: cmd reads what is written and inherits the shell's stdout and stderr.
  if (target?.parts?.some((p) => p.type === 'ProcessSubstitution'))
    return [...new Set([...(fds.get(1) ?? []), ...(fds.get(2) ?? [])])]
  const path = literal(target)
  if (path === undefined) return undefined
  const named: Record<string, number> = { '/dev/stdout': 1, '/dev/stderr': 2 }
  const fd = named[path] ?? /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path)?.[1]
  return fd === undefined ? undefined : fds.get(Number(fd))
}

/** A word's value when it has no expansion in it. */
function literal(word: Word | undefined): string | undefined {
  if (!word) return undefined
  const plain = (word.parts ?? []).every((p) =>
    ['Literal', 'SingleQuoted', 'DoubleQuoted', 'AnsiCQuoted'].includes(p.type)
  )
  return plain ? word.value : undefined
}

// ---------------------------------------------------------------------------------------------
// The script as the shell runs it: jobs are found where `&` starts them, with the descriptors
// of the shell at that point.

interface Context {
  shell: Shell
  functions: ReadonlyMap<string, PipelineNode | CompoundList>
  /** Functions being walked from a call, against recursion. */
  calling: Set<string>
}

/** Pipes a job holds: by its own commands' descriptors, or by a shell waiting for them. */
interface Held {
  own: Set<Stream>
  shell: Set<Stream>
}

interface Found {
  statement: Statement
  /** Where dash's `&>` cuts the statement into a job and the rest. */
  cut?: number
  /** The walking shell's descriptors where the job starts. */
  fds: Fds
  held: Held
}

/** Walks statements run in order by one shell; returns its descriptors after them. */
function walkList(statements: readonly Statement[], fds: Fds, ctx: Context, out: Found[]): Fds {
  let env = fds
  for (const statement of statements) {
    const node = statement.command
    const cut = ctx.shell === 'dash' ? ampersandRedirect(node) : undefined
    const exec = execRedirects(node)
    if (!statement.background && cut === undefined && exec) {
      env = applyRedirects(env, exec)
      continue
    }
    if (statement.background || cut !== undefined) {
      // dash's `exec &> file` backgrounds an exec of nothing.
      if (!exec) out.push({ statement, cut, fds: env, held: job(node, env, ctx, cut) })
      continue
    }
    env = visit(node, env, ctx, out)
  }
  return env
}

/** A command in the foreground of the walking shell; its descriptors after it. */
function visit(node: PipelineNode | AndOr, fds: Fds, ctx: Context, out: Found[]): Fds {
  switch (node.type) {
    case 'Command': {
      // Reached here only inside a list (`a && exec >log`): walkList handles a statement's own.
      const exec = execRedirects(node)
      if (exec) return applyRedirects(fds, exec)
      const name = wordValue(node.name)
      const body = name === undefined ? undefined : ctx.functions.get(name)
      if (name === undefined || body === undefined || ctx.calling.has(name)) return fds
      const redirects = redirectsOf(node)
      ctx.calling.add(name)
      const after = walkBody(body, applyRedirects(fds, redirects), ctx, out)
      ctx.calling.delete(name)
      // An `exec >log` in the function redirects the caller too, unless the call was redirected.
      return redirects.length === 0 ? after : fds
    }
    case 'Redirected':
      visit(node.command, applyRedirects(fds, node.redirects), ctx, out)
      return fds
    case 'BraceGroup':
      return walkList(node.body.commands, fds, ctx, out)
    case 'Function':
      // Walked where it is called.
      return fds
    case 'AndOr': {
      // Each command may not run: past the list, a descriptor counts as the hook's only if it
      // is one on every way through (a missed warning costs less than a wrong one).
      const ends = [fds]
      for (const c of node.commands) ends.push(visit(c, ends[ends.length - 1] ?? fds, ctx, out))
      return common(ends)
    }
    case 'Subshell':
      walkList(node.body.commands, fds, ctx, out)
      return fds
    default:
      return common([fds, ...listsOf(node).map((l) => walkList(l.commands, fds, ctx, out))])
  }
}

/** The descriptors that are the same hook pipe in every one of `envs`. */
function common(envs: readonly Fds[]): Fds {
  const [first, ...rest] = envs
  return new Map(
    [...(first ?? HOOK)].filter(([fd, to]) => rest.every((e) => e.get(fd)?.join() === to.join()))
  )
}

function walkBody(body: PipelineNode | CompoundList, fds: Fds, ctx: Context, out: Found[]): Fds {
  return body.type === 'CompoundList'
    ? walkList(body.commands, fds, ctx, out)
    : visit(body, fds, ctx, out)
}

/** What a node run as a job (a forked child, `cut` short by dash's `&>`) keeps open. */
function job(node: PipelineNode | AndOr, fds: Fds, ctx: Context, cut?: number): Held {
  const before = <T extends { pos: number }>(items: readonly T[]): T[] =>
    cut === undefined ? [...items] : items.filter((i) => i.pos < cut)
  switch (node.type) {
    case 'Command': {
      const name = wordValue(node.name)
      const after = applyRedirects(fds, before(redirectsOf(node)))
      if (name === undefined) return held()
      // bash applies the call's redirections in the job before the function runs; dash keeps
      // the job's own descriptors while it runs (measured: `f >/dev/null 2>&1 &` holds in dash).
      if (ctx.functions.has(name)) return held([], pipes(ctx.shell === 'bash' ? after : fds))
      return isShort(node) ? held() : held(pipes(after))
    }
    case 'Pipeline': {
      const commands = before(node.commands)
      const parts = commands.map((c, i) => {
        const last = i === commands.length - 1
        const own = new Map(fds)
        if (!last) own.delete(1)
        if (!last && node.operators[i] === '|&') own.delete(2)
        return job(c, own, ctx, last ? cut : undefined)
      })
      // bash's `time` reports on the job's stderr when the pipeline ends; dash's `!` waits for it.
      const waits = node.prefixes.some((p) =>
        ctx.shell === 'bash' ? p.type === 'Time' : p.type === 'Negation'
      )
      return merge(...parts, waits ? held([], pipes(fds)) : held())
    }
    case 'AndOr': {
      const commands = before(node.commands)
      const last = commands[commands.length - 1]
      if (last === undefined) return held()
      const end = job(last, fds, ctx, cut)
      if (ctx.shell === 'dash' || isExecCommand(last)) return end
      if (commands.every((c) => !isLong(c))) return held()
      return merge(end, held([], pipes(fds)))
    }
    case 'Redirected':
      return job(node.command, applyRedirects(fds, before(node.redirects)), ctx)
    case 'Subshell': {
      // bash runs a subshell of one plain command in place of the subshell.
      const only = node.body.commands.length === 1 ? node.body.commands[0] : undefined
      const sole = only && !only.background ? only.command : undefined
      if (
        ctx.shell === 'bash' &&
        sole?.type === 'Command' &&
        !ctx.functions.has(wordValue(sole.name) ?? '')
      )
        return job(sole, fds, ctx)
      return compound([node.body], [node.body], fds, ctx, ctx.shell === 'dash')
    }
    case 'BraceGroup':
      return compound([node.body], [node.body], fds, ctx, ctx.shell === 'dash')
    case 'If': {
      const finals = [node.then, ...node.elif.map((e) => e.then), ...(node.else ? [node.else] : [])]
      return compound(listsOf(node), finals, fds, ctx, ctx.shell === 'dash')
    }
    case 'Case':
      return compound(listsOf(node), listsOf(node), fds, ctx, ctx.shell === 'dash')
    case 'While':
    case 'For':
    case 'ArithmeticFor':
    case 'Select':
      return compound(listsOf(node), [node.body], fds, ctx, false)
    default:
      return held()
  }
}

/**
 * A compound run as a job. `inPlace`: dash runs the last command of each final list in place of
 * the job's shell; otherwise that shell waits, holding its descriptors while a command that
 * may last runs.
 */
function compound(
  lists: readonly CompoundList[],
  finals: readonly CompoundList[],
  fds: Fds,
  ctx: Context,
  inPlace: boolean
): Held {
  const parts: Held[] = []
  for (const list of lists) {
    let env = fds
    list.commands.forEach((statement, i) => {
      const node = statement.command
      const exec = execRedirects(node)
      if (!statement.background && exec) {
        env = applyRedirects(env, exec)
        return
      }
      if (statement.background) {
        parts.push(job(node, env, ctx))
        return
      }
      const final = finals.includes(list) && i === list.commands.length - 1
      const end = final ? job(node, env, ctx) : held()
      if (inPlace) parts.push(end)
      else parts.push(held(end.own, isLong(node) ? pipes(env) : []), held([], end.shell))
    })
  }
  return merge(...parts)
}

function held(own: Iterable<Stream> = [], shell: Iterable<Stream> = []): Held {
  return { own: new Set(own), shell: new Set(shell) }
}

function merge(...parts: Held[]): Held {
  return held(
    parts.flatMap((p) => [...p.own]),
    parts.flatMap((p) => [...p.shell])
  )
}

/** Builtins that return at once: in the background they hold nothing for long. */
const SHORT = new Set(
  (
    ': [ alias break cd continue declare disown echo exit export false getopts hash let local ' +
    'printf pwd read readonly return set shift shopt test trap true type typeset ulimit umask unalias unset'
  ).split(' ')
)

function isShort(command: Command): boolean {
  const name = wordValue(command.name)
  return name === undefined || SHORT.has(name) || (name === 'exec' && command.args.length === 0)
}

/** Whether a foreground node may run for long (anything but short builtins and tests). */
function isLong(node: PipelineNode | AndOr): boolean {
  switch (node.type) {
    case 'Command':
      return !isShort(node)
    case 'Pipeline':
    case 'AndOr':
      return node.commands.some((c) => isLong(c))
    case 'Redirected':
      return isLong(node.command)
    case 'Function':
    case 'TestCommand':
    case 'ArithmeticCommand':
      return false
    default:
      return listsOf(node).some((l) => l.commands.some((s) => !s.background && isLong(s.command)))
  }
}

/** `exec >file 2>&1`: redirections of the shell itself, no command. */
function execRedirects(node: PipelineNode | AndOr): Redirection[] | undefined {
  return node.type === 'Command' && wordValue(node.name) === 'exec' && node.args.length === 0
    ? redirectsOf(node)
    : undefined
}

/** `exec cmd`: the command replaces the shell (or the list's subshell). */
function isExecCommand(node: PipelineNode): boolean {
  return node.type === 'Command' && wordValue(node.name) === 'exec' && node.args.length > 0
}

/** Where dash's `&>` (an `&`, then a `>`) first cuts a statement, if it does. */
function ampersandRedirect(node: PipelineNode | AndOr): number | undefined {
  switch (node.type) {
    case 'Command':
      return redirectsOf(node).find((r) => r.operator === '&>' || r.operator === '&>>')?.pos
    case 'Redirected':
      return node.redirects.find((r) => r.operator === '&>' || r.operator === '&>>')?.pos
    case 'Pipeline':
    case 'AndOr':
      for (const c of node.commands) {
        const at = ampersandRedirect(c)
        if (at !== undefined) return at
      }
      return undefined
    default:
      return undefined
  }
}

function redirectsOf(command: Command): Redirection[] {
  return [...command.redirects].sort((a, b) => a.pos - b.pos)
}

function wordValue(word: Word | undefined): string | undefined {
  return word?.value
}

/** The statement lists inside a compound command. */
function listsOf(node: PipelineNode | AndOr): CompoundList[] {
  switch (node.type) {
    case 'BraceGroup':
    case 'Subshell':
      return [node.body]
    case 'If':
      return [
        node.clause,
        node.then,
        ...node.elif.flatMap((e) => [e.clause, e.then]),
        ...(node.else ? [node.else] : [])
      ]
    case 'While':
      return [node.clause, node.body]
    case 'For':
    case 'ArithmeticFor':
    case 'Select':
      return [node.body]
    case 'Case':
      return node.items.map((i) => i.body)
    case 'Redirected':
      return listsOf(node.command)
    case 'Function':
      return node.body.type === 'CompoundList' ? [node.body] : listsOf(node.body)
    default:
      return []
  }
}

/** Every statement, in compounds and function bodies too (not in substitutions). */
function* allStatements(statements: readonly Statement[]): Generator<Statement> {
  for (const s of statements) {
    yield s
    const nodes: (PipelineNode | AndOr)[] =
      s.command.type === 'AndOr' || s.command.type === 'Pipeline'
        ? [...s.command.commands]
        : [s.command]
    for (const n of nodes) for (const l of listsOf(n)) yield* allStatements(l.commands)
  }
}

function* allCommands(statements: readonly Statement[]): Generator<Command> {
  for (const s of allStatements(statements)) {
    const c = s.command
    const nodes = c.type === 'AndOr' || c.type === 'Pipeline' ? c.commands : [c]
    for (const n of nodes) if (n.type === 'Command') yield n
  }
}

function functionsIn(statements: readonly Statement[]): Map<string, PipelineNode | CompoundList> {
  const functions = new Map<string, PipelineNode | CompoundList>()
  for (const s of allStatements(statements)) {
    const name = s.command.type === 'Function' ? wordValue(s.command.name) : undefined
    if (s.command.type === 'Function' && name !== undefined) functions.set(name, s.command.body)
  }
  return functions
}

/**
 * Whether a job ending at a position is waited for or stopped before the script ends: a later
 * `wait`, `kill` (not `kill -0`), `pkill` or `killall`, one in a function, or a trap that kills.
 */
function stopsJobs(statements: readonly Statement[]): (end: number) => boolean {
  const inFunctions = new Set<number>()
  for (const s of allStatements(statements))
    if (s.command.type === 'Function')
      for (const c of allCommands(listsOf(s.command).flatMap((l) => l.commands)))
        inFunctions.add(c.pos)
  let last = -1
  for (const c of allCommands(statements)) {
    const name = wordValue(c.name)
    const args = c.args.map((a) => (a.type === 'Word' ? a.value : a.text))
    const stops =
      name === 'wait' ||
      name === 'pkill' ||
      name === 'killall' ||
      (name === 'kill' && args[0] !== '-0')
    const trapKills = name === 'trap' && args.some((a) => /\b(kill|pkill|killall)\b/.test(a))
    if (trapKills || (stops && inFunctions.has(c.pos))) return () => true
    if (stops) last = Math.max(last, c.pos)
  }
  return (end) => last > end
}

// ---------------------------------------------------------------------------------------------
// The finding's words: the job as written, and as it should be.

const QUIET = '> /dev/null 2>&1 < /dev/null'

function describe(
  script: string,
  lines: number[],
  found: Found,
  functions: ReadonlyMap<string, unknown>
): Omit<OpenJob, 'streams' | 'shells'> {
  const { statement, cut } = found
  const node = statement.command
  const lineOf = (pos: number): number => lineAt(lines, pos)
  const src = (from: number, to: number): string => script.slice(from, to)
  const endPos = cut ?? statement.end - 1
  const commands = commandNames(node)
  // A descriptor the script saved (`exec 3>&1`) is inherited too: the fix closes it.
  const extra = [...found.fds.keys()]
    .filter((fd) => fd > 2)
    .sort((a, b) => a - b)
    .map((fd) => ` ${fd}>&-`)
    .join('')
  const quietParts = (n: PipelineNode) => quietPartsOf(script, n, extra)
  const quiet = (n: PipelineNode) => {
    const { body, out } = quietParts(n)
    return `${body} ${out}`
  }
  const base = {
    line: lineOf(statement.pos),
    endLine: lineOf(endPos),
    ownOutput: found.held.own.size > 0,
    commands,
    fixIsLastLine: false
  }
  if (cut !== undefined) {
    return {
      ...base,
      text: oneLine(src(statement.pos, statement.end)),
      form: formOf(node, functions),
      ampersandRedirect: true,
      fix: oneLine(posixRedirect(script, node, statement))
    }
  }
  const text = `${oneLine(src(node.pos, node.end))} &`
  const job = { ...base, text, ampersandRedirect: false }
  const form = formOf(node, functions)
  switch (node.type) {
    case 'Command':
      if (form === 'function') {
        const { body, out } = quietParts(node)
        return { ...job, form, fix: `{ ${body}; } ${out} &` }
      }
      return { ...job, form, fix: `${quiet(node)} &` }
    case 'Pipeline':
      return { ...job, form, fix: `${quiet(node)} &` }
    case 'AndOr': {
      const last = node.commands[node.commands.length - 1]
      if (last === undefined) return { ...job, form, fix: text }
      const head = oneLine(src(node.pos, last.pos))
      const { body, out } = quietParts(last)
      return {
        ...job,
        form,
        fix: `${head} { ${body} ${out} & }`,
        listFix: `(${head} ${oneLine(body)}) ${out} &`
      }
    }
    default: {
      const inner = node.type === 'Redirected' ? node.command : node
      const written = quiet(node)
      const multiLine = written.includes('\n')
      const lastLine = written.slice(written.lastIndexOf('\n') + 1).trim()
      return {
        ...job,
        form,
        compound: compoundKind(inner),
        fix: `${multiLine ? lastLine : oneLine(written)} &`,
        fixIsLastLine: multiLine
      }
    }
  }
}

function formOf(node: PipelineNode | AndOr, functions: ReadonlyMap<string, unknown>): JobForm {
  switch (node.type) {
    case 'Command':
      return functions.has(wordValue(node.name) ?? '') ? 'function' : 'command'
    case 'Pipeline':
      return 'pipeline'
    case 'AndOr':
      return 'list'
    default:
      return 'group'
  }
}

function compoundKind(node: PipelineNode | AndOr): OpenJob['compound'] {
  switch (node.type) {
    case 'BraceGroup':
      return 'braces'
    case 'Subshell':
      return 'subshell'
    case 'If':
      return 'if'
    case 'Case':
      return 'case'
    default:
      return 'loop'
  }
}

function commandNames(node: PipelineNode | AndOr): string[] {
  const names: string[] = []
  const add = (n: PipelineNode | AndOr): void => {
    if (n.type === 'Command') {
      const name = wordValue(n.name)
      if (name !== undefined) names.push(name)
    } else if (n.type === 'Pipeline' || n.type === 'AndOr') n.commands.forEach(add)
    else if (n.type === 'Redirected') add(n.command)
    else for (const l of listsOf(n)) for (const s of l.commands) add(s.command)
  }
  add(node)
  return names
}

/** Redirections of stdin, stdout and stderr (not here-documents, which carry text). */
function isStdRedirect(r: Redirection): boolean {
  if (r.type !== 'Redirect') return false
  if (r.descriptor?.type === 'FileDescriptorVariable') return false
  return r.descriptor === undefined || r.descriptor.value <= 2
}

/** The text of a node without its own std redirections (a command's or a compound's). */
function stripOutputRedirects(script: string, node: PipelineNode): string {
  const redirects =
    node.type === 'Command' ? redirectsOf(node) : node.type === 'Redirected' ? node.redirects : []
  return cutOut(
    script,
    node.pos,
    node.end,
    redirects.filter(isStdRedirect).map((r) => [r.pos, r.end])
  )
}

/**
 * A command or compound without its own std redirections, and where to send its output instead:
 * the log file it names, if it names one, else /dev/null.
 */
function quietPartsOf(
  script: string,
  node: PipelineNode,
  extra: string
): { body: string; out: string } {
  if (node.type === 'Pipeline')
    return { body: `{ ${oneLine(script.slice(node.pos, node.end))}; }`, out: QUIET + extra }
  const redirects = (
    node.type === 'Command' ? redirectsOf(node) : node.type === 'Redirected' ? node.redirects : []
  ).filter(isStdRedirect)
  const toFile = (fd: number) =>
    redirects.findLast(
      (r) =>
        r.type === 'Redirect' &&
        ['>', '>>', '>|'].includes(r.operator) &&
        (r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : 1) === fd &&
        pathTarget(r.target, HOOK) === undefined
    )
  const log = toFile(1) ?? toFile(2)
  const out =
    log?.type === 'Redirect' && log.target
      ? `${log.operator === '>>' ? '>>' : '>'} ${log.target.text} 2>&1 < /dev/null`
      : QUIET
  const body = stripOutputRedirects(script, node)
  return { body: node.type === 'Command' ? oneLine(body) : body, out: out + extra }
}

/** dash's reading fixed: `&> file` written `> file 2>&1`. */
function posixRedirect(script: string, node: PipelineNode | AndOr, statement: Statement): string {
  const cuts: [number, number, string][] = []
  const visitNode = (n: PipelineNode | AndOr): void => {
    const redirects =
      n.type === 'Command' ? redirectsOf(n) : n.type === 'Redirected' ? n.redirects : []
    for (const r of redirects) {
      if (r.type !== 'Redirect' || (r.operator !== '&>' && r.operator !== '&>>')) continue
      const op = r.operator === '&>>' ? '>>' : '>'
      cuts.push([r.pos, r.end, `${op} ${r.target?.text ?? ''} 2>&1`])
    }
    if (n.type === 'Pipeline' || n.type === 'AndOr') n.commands.forEach(visitNode)
  }
  visitNode(node)
  let text = ''
  let at = statement.pos
  for (const [from, to, by] of cuts.sort((a, b) => a[0] - b[0])) {
    text += script.slice(at, from) + by
    at = to
  }
  return text + script.slice(at, statement.end)
}

function cutOut(script: string, from: number, to: number, ranges: [number, number][]): string {
  let text = ''
  let at = from
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    text += script.slice(at, start)
    at = end
    // Drop the blank the redirection leaves, so `a >x b` reads `a b`.
    while (at < to && /[ \t]/.test(script[at] ?? '') && /(^|[ \t])$/.test(text)) at++
  }
  return (text + script.slice(at, to)).trimEnd()
}

/** A job on one line: continuations joined; a longer text cut after its first line. */
function oneLine(text: string): string {
  const joined = text.replace(/\\\r?\n[ \t]*/g, '')
  const first = joined.split('\n')[0] ?? ''
  return first === joined ? joined.trim() : `${first.trim()} …`
}

function lineStarts(script: string): number[] {
  const starts = [0]
  for (let i = script.indexOf('\n'); i >= 0; i = script.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

function lineAt(starts: readonly number[], pos: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((starts[mid] ?? 0) <= pos) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

function sortStreams(streams: Iterable<Stream>): Stream[] {
  return (['stdout', 'stderr'] as const).filter((s) => [...streams].includes(s))
}
