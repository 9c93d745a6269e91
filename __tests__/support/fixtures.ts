// What suites build their workspaces and bundles from: the one file-tree writer, bundles made by
// hand as the CodeDeploy tutorial makes them, appspecs, and the inputs that deploy an app.
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { suiteTempDir } from '../temp-dir.js'
import { run } from './commands.js'

/** Paths to contents: a string or Buffer is a file, {link} a symlink, {mode} a file with a mode. */
export type Tree = Record<
  string,
  string | Buffer | { link: string } | { mode: number; content: string | Buffer }
>

/** Writes `tree` under `root` (returned); a plain file gets `modeOf(its path)`, 0644 by default. */
export function writeTree(
  root: string,
  tree: Tree,
  modeOf: (rel: string) => number = () => 0o644
): string {
  for (const [rel, spec] of Object.entries(tree)) {
    const abs = path.join(root, rel)
    mkdirSync(path.dirname(abs), { recursive: true })
    if (typeof spec === 'string' || Buffer.isBuffer(spec)) {
      writeFileSync(abs, spec)
      chmodSync(abs, modeOf(rel))
    } else if ('link' in spec) symlinkSync(spec.link, abs)
    else {
      writeFileSync(abs, spec.content)
      chmodSync(abs, spec.mode)
    }
  }
  return root
}

/** writeTree's mode for hand-made bundles: a script (`.sh`) executable, anything else 0644. */
export const scriptsExecutable = (rel: string): number => (rel.endsWith('.sh') ? 0o755 : 0o644)

/** A .tgz made by hand with the system tar, as the CodeDeploy tutorial does. */
export async function tarBundle(files: Tree, top?: string): Promise<string> {
  const dir = suiteTempDir('bed-src-')
  writeTree(top ? path.join(dir, top) : dir, files, scriptsExecutable)
  const out = path.join(suiteTempDir('bed-tgz-'), `${path.basename(dir)}.tgz`)
  const r = top
    ? await run('tar', ['-C', dir, '-zcf', out, `./${top}`])
    : await run('tar', ['-C', dir, '-zcf', out, '.'])
  if (r.code !== 0) throw new Error(`tar failed: ${r.stderr}`)
  return out
}

/** A .zip made with the system zip (unix modes kept). */
export async function zipBundle(files: Tree): Promise<string> {
  const dir = writeTree(suiteTempDir('bed-bundle-'), files, scriptsExecutable)
  const out = `${dir}.zip`
  const r = await run('sh', ['-c', `cd '${dir}' && zip -qr '${out}' .`])
  if (r.code !== 0) throw new Error(`zip failed: ${r.stderr}`)
  return out
}

/** A deterministic, poorly compressible payload (a jar's content is already deflated). */
export function noise(bytes: number, seed = 1): Buffer {
  const b = Buffer.alloc(bytes)
  let x = seed >>> 0 || 1
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    b[i] = x & 0xff
  }
  return b
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** An appspec copying the bundle to /opt/app (or as `files` says) with these hooks' scripts. */
export function appspec(
  hooks: Record<string, string[]>,
  files = '  - source: /\n    destination: /opt/app\n'
): string {
  let text = `version: 0.0\nos: linux\nfiles:\n${files}`
  if (Object.keys(hooks).length > 0) {
    text += 'hooks:\n'
    for (const [event, scripts] of Object.entries(hooks)) {
      text += `  ${event}:\n`
      for (const s of scripts) text += `    - location: ${s}\n      timeout: 20\n`
    }
  }
  return text
}

/** The inputs that deploy `app`'s workspace folder `deploy` to its group (`fleet` on the bed). */
export function appInputs(app: string, group = 'fleet'): Record<string, string> {
  return { application: app, 'deployment-group': group, source: 'deploy' }
}
