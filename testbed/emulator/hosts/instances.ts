// Simulated EC2 hosts: what every instance offers the agent (InstanceHost), and the namespace
// instance, a pid + mount + network + UTS namespace whose root is an overlay of the host's / with
// a private in-memory upper layer: its absolute paths, processes, ports and hostname are its own.
// It dies with its namespace's init (namespace-init.ts). The shared kind: shared-instances.ts.
import { lstat, readlink } from 'node:fs/promises'
import path from 'node:path'
import type { Isolation } from '../world/fleet-config.ts'
import type { BedNetwork } from './network.ts'
import { NamespaceInit } from './namespace-init.ts'
import { onHost, runStreamed, type RunOptions, type RunResult } from './process-runner.ts'

export interface InstanceHost {
  readonly id: string
  readonly isolation: Isolation
  // Its address on the bed's network (namespace instances), which load balancers reach.
  readonly address?: string
  // The host path that reaches `p` as this instance sees it (symlinks resolved in its view).
  hostPath(p: string): Promise<string>
  // The path this instance's processes use for the agent's own directories.
  viewPath(p: string): string
  // Where the file an absolute program path names (a "#!" interpreter) is, seen from the host.
  programPath(p: string): Promise<string>
  run(argv: string[], opts: RunOptions): Promise<RunResult>
  // For tools that enter the instance (testbed/exec): pid and nsenter flags.
  enterInfo(): { pid: number; flags: string[]; root: string }
  stop(): void
}

// Resolves `p` component by component under `root`, restarting at `root` on absolute symlinks,
// so the path stays inside the instance's view even though the host walks it.
// A component after a file, `..` included, is left for the host to refuse (ENOTDIR), and a
// trailing '/' is kept, as the kernel walks a path.
async function resolveUnder(root: string, p: string): Promise<string> {
  const parts = p.split('/').filter((s) => s)
  const slash = p.endsWith('/') ? '/' : ''
  let current = ''
  let directory = true
  for (let hops = 0, i = 0; i < parts.length; i++) {
    const part = parts[i]!
    if (!directory) return root + [current, ...parts.slice(i)].join('/') + slash
    if (part === '.') continue
    if (part === '..') {
      current = path.posix.dirname(current || '/')
      if (current === '/') current = ''
      continue
    }
    const candidate = `${current}/${part}`
    let st
    try {
      st = await lstat(root + candidate)
    } catch {
      return root + [candidate, ...parts.slice(i + 1)].join('/') + slash
    }
    if (st.isSymbolicLink() && hops++ < 40) {
      const target = await readlink(root + candidate)
      const rest = parts.slice(i + 1)
      const next = target.startsWith('/') ? target : `${current}/${target}`
      parts.splice(0, parts.length, ...next.split('/').filter((s) => s && s !== '.'), ...rest)
      current = ''
      i = -1
      continue
    }
    current = candidate
    directory = st.isDirectory()
  }
  return root + (current ? current + slash : '/')
}

export class NamespaceInstance implements InstanceHost {
  readonly id: string
  readonly isolation = 'namespace' as const
  // Its address on the bed's network (network.ts), when it has one.
  readonly address?: string
  private readonly init: NamespaceInit

  private constructor(id: string, init: NamespaceInit, address?: string) {
    this.id = id
    this.init = init
    this.address = address
  }

  static async start(id: string, stateDir: string, net?: BedNetwork): Promise<NamespaceInstance> {
    const link = net?.allocate()
    const init = await NamespaceInit.start(
      path.join(stateDir, 'instances', id),
      id,
      true,
      undefined,
      net && link ? { net, link } : undefined
    )
    return new NamespaceInstance(id, init, link?.address)
  }

  private get root(): string {
    return `/proc/${this.init.pid}/root`
  }

  async hostPath(p: string): Promise<string> {
    this.init.assertRunning(this.id)
    return resolveUnder(this.root, p)
  }

  viewPath(p: string): string {
    return p
  }

  programPath(p: string): Promise<string> {
    return this.hostPath(p)
  }

  async run(argv: string[], opts: RunOptions): Promise<RunResult> {
    const wd = await this.hostPath(opts.cwd) // throws once the namespace is gone
    const enter = ['nsenter', '-t', String(this.init.pid), '-m', '-n', '-p', '-u', '-r']
    return runStreamed(onHost(), [...enter, `--wd=${wd}`, '--', ...argv], { ...opts, cwd: '/' })
  }

  enterInfo(): { pid: number; flags: string[]; root: string } {
    return { pid: this.init.pid, flags: ['-m', '-n', '-p', '-u', '-r', '-w'], root: '/' }
  }

  stop(): void {
    this.init.stop()
  }
}
