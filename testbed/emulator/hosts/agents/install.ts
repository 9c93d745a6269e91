// The agent's Installer (installer.rb, install_instruction.rb) on the instance: the previous
// install removed by its cleanup file, the plan (install-plan.ts) run step by step and recorded.
import {
  chmod,
  chown,
  copyFile,
  lstat,
  mkdir,
  readdir,
  readlink,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  utimes,
  writeFile
} from 'node:fs/promises'
import path from 'node:path'
import { unknownLifecycleEvents, type FileExistsBehavior } from '../appspec/appspec.ts'
import { rubyInspect } from '../appspec/ruby-values.ts'
import { AgentFailure, fail } from './failure.ts'
import { readAppSpec } from './hooks.ts'
import {
  DEFAULT_ACL_ON_FILE,
  fullAcl,
  InstallPlan,
  rubyJoin,
  type InstallStep
} from './install-plan.ts'
import { AgentWorkspace, exists } from './workspace.ts'

// The agent's Installer (installer.rb, install_instruction.rb): remove what the group's last
// install made, plan the copies, folders and permissions the way its CommandBuilder does
// (raising its conflicts), then run the plan, recording each step for the next cleanup.
export async function install(ws: AgentWorkspace): Promise<void> {
  const spec = await readAppSpec(ws, ws.deploymentRoot)
  const unknown = unknownLifecycleEvents(spec)
  if (unknown.length > 0) {
    throw new AgentFailure(
      'UnknownError',
      `appspec.yml file contains unknown lifecycle events: ${rubyInspect(unknown)}`
    )
  }
  const behavior = spec.fileExistsBehavior ?? ws.spec.fileExistsBehavior ?? 'DISALLOW'
  await removePreviousInstall(ws)
  const plan = new InstallPlan(async (p) => exists(await ws.host.hostPath(p)))
  const archive = `${ws.deploymentRoot}/deployment-archive`
  const isDirectory = async (p: string): Promise<boolean> =>
    (await stat(await ws.host.hostPath(p)).catch(() => undefined))?.isDirectory() ?? false
  const copyFolder = async (source: string, destination: string): Promise<void> => {
    if (!(await isDirectory(destination))) plan.mkdir(destination)
    for (const entry of (await readdir(await ws.host.hostPath(source))).sort()) {
      const s = rubyJoin(source, entry)
      if (await isDirectory(s)) await copyFolder(s, path.posix.join(destination, entry))
      else await plannedCopy(ws, plan, s, path.posix.join(destination, entry), behavior)
    }
  }
  for (const f of spec.files) {
    if (f.notText) fail(`no implicit conversion of ${f.notText} into String`)
    const source = rubyJoin(archive, f.source)
    if (await isDirectory(source)) {
      await plan.fillInAncestors(f.destination)
      await copyFolder(source, f.destination)
    } else {
      const destination = path.posix.join(f.destination, path.posix.basename(source))
      await plan.fillInAncestors(destination)
      await plannedCopy(ws, plan, source, destination, behavior)
    }
  }
  for (const p of spec.permissions) {
    if (plan.copying(p.object)) {
      if (!p.type.includes('file')) continue
      if (p.pattern !== '**')
        fail(
          `The deployment failed because the application specification file includes an object (${p.object}) with an invalid pattern (${p.pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`
        )
      if (p.except.length > 0)
        fail(
          `The deployment failed because the except parameter for a pattern in the permissions section (${rubyInspect(p.except)}) for the object named ${p.object} contains an invalid format. Update the AppSpec file, and then try again.`
        )
      if (p.acls?.some((a) => a.default)) fail(DEFAULT_ACL_ON_FILE)
      plan.setPermissions(p.object, p)
    } else if (plan.makingDirectory(p.object) || (await isDirectory(p.object))) {
      for (const match of plan.matches(p)) plan.setPermissions(match, p)
    }
  }
  const record: string[] = []
  try {
    for (const step of plan.steps) await runStep(ws, step, record)
  } finally {
    await mkdir(await ws.host.hostPath(ws.instructionsDir), { recursive: true })
    await writeFile(await ws.host.hostPath(ws.cleanupFile), record.map((r) => `${r}\n`).join(''))
  }
  await writeFile(await ws.host.hostPath(ws.lastInstallFile), ws.deploymentRoot)
}

// generate_normal_copy: what is already on the instance decides, by file-exists behaviour.
async function plannedCopy(
  ws: AgentWorkspace,
  plan: InstallPlan,
  source: string,
  destination: string,
  behavior: FileExistsBehavior
): Promise<void> {
  if (await exists(await ws.host.hostPath(destination))) {
    if (behavior === 'DISALLOW')
      fail(
        `The deployment failed because a specified file already exists at this location: ${destination}`
      )
    if (behavior === 'RETAIN') return
  }
  plan.copy(source, destination)
}

async function runStep(ws: AgentWorkspace, step: InstallStep, record: string[]): Promise<void> {
  const at = await ws.host.hostPath(step.path)
  switch (step.op) {
    case 'mkdir':
      await mkdir(at).catch((e: NodeJS.ErrnoException) =>
        e.code === 'EEXIST' ? fail(`File exists @ dir_s_mkdir - ${step.path}`) : Promise.reject(e)
      )
      record.push(step.path)
      return
    case 'copy': {
      record.push(step.path)
      const source = await ws.host.hostPath(step.source)
      const st = await lstat(source).catch((e: NodeJS.ErrnoException) => {
        const errno = e.code === 'ENOTDIR' ? 'Not a directory' : 'No such file or directory'
        return fail(`${errno} @ rb_sysopen - ${step.source}`)
      })
      await rm(at, { force: true })
      if (st!.isSymbolicLink()) {
        await symlink(await readlink(source), at)
      } else {
        await copyFile(source, at)
        await chmod(at, st!.mode & 0o7777)
        await utimes(at, st!.atime, st!.mtime)
      }
      return
    }
    case 'chmod':
      await chmod(at, parseInt(step.mode, 8))
      return
    case 'chown': {
      const uid = step.owner === undefined ? -1 : await idOf(ws, 'passwd', step.owner)
      const gid = step.group === undefined ? -1 : await idOf(ws, 'group', step.group)
      await chown(at, uid, gid)
      return
    }
    case 'setfacl': {
      const mode = ((await stat(at)).mode & 0o777).toString(8).padStart(3, '0')
      const acl = fullAcl(step.acl, mode)
      const command = `setfacl --set ${acl} ${step.path}`
      const status = await ws.system(['setfacl', '--set', acl, step.path])
      if (status !== 0)
        fail(
          `The deployment failed because of a problem with the acls permission settings in the application specification file for this object: ${step.path}. Failed command: ${command}. Exit code: pid 0 exit ${status}`
        )
      return
    }
    case 'semanage': {
      const c = step.context
      const user = c.user !== undefined ? [`-s ${c.user}`] : []
      const range = c.range !== undefined ? [`-r ${c.range}`] : []
      const args = [...user, `-t ${c.type}`, ...range].join(' ')
      for (const argv of [
        ['semanage', 'fcontext', '-a', ...args.split(' '), step.path],
        ['restorecon', '-v', step.path]
      ]) {
        const status = await ws.system(argv)
        if (status !== 0)
          fail(
            `The deployment failed because the application specification file contains an error in the settings for the context parameter. Update the permissions section of the AppSpec file, and then try again. Failed command: ${argv.join(' ')}. Exit code: pid 0 exit ${status}`
          )
      }
      record.push(`semanage\0${step.path}`)
      return
    }
  }
}

// Etc.getpwnam / getgrnam, from the instance's own /etc files.
async function idOf(ws: AgentWorkspace, db: 'passwd' | 'group', name: string): Promise<number> {
  const text = (await ws.readHost(`/etc/${db}`)) ?? ''
  const line = text.split('\n').find((l) => l.split(':')[0] === name)
  const what = db === 'passwd' ? 'user' : 'group'
  if (line === undefined) fail(`can't find ${what} for ${name}`)
  return Number(line!.split(':')[2])
}

async function removePreviousInstall(ws: AgentWorkspace): Promise<void> {
  const text = await ws.readHost(ws.cleanupFile)
  if (text === undefined) return
  for (const entry of text.split('\n').filter(Boolean).reverse()) {
    if (entry.startsWith('semanage\0')) {
      await ws.system(['semanage', 'fcontext', '-d', entry.slice('semanage\0'.length)])
      continue
    }
    const p = await ws.host.hostPath(entry)
    const st = await lstat(p).catch(() => undefined)
    if (!st) continue
    if (st.isDirectory()) await rmdir(p).catch(() => undefined)
    else await unlink(p).catch(() => undefined)
  }
  await unlink(await ws.host.hostPath(ws.cleanupFile))
}
