// Input paths are hostile: each is resolved against the workspace and must stay inside it.
import path from 'node:path'

/** True when `child` is `parent` or lies below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child)
  // '..' or '../x' escapes; '..config' is an ordinary name inside.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/** The absolute path of a workspace-relative (or absolute but inside) input path, or undefined when it escapes. */
export function resolveInWorkspace(workspace: string, input: string): string | undefined {
  const resolved = path.resolve(workspace, input)
  return isInside(workspace, resolved) ? resolved : undefined
}
