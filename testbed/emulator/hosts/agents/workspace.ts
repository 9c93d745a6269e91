// One deployment's place on an instance, laid out as the agent lays it out (deployment root and
// archive, the group's instructions: last install and cleanup file), and reading files and
// running commands there.
import { lstat, readFile } from 'node:fs/promises'
import type { InstanceHost } from '../instances.ts'
import type { AgentSpec } from './agent.ts'

export const AGENT_ROOT = '/opt/codedeploy-agent/deployment-root'
export const BASE_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8'
}

export async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p)
    return true
  } catch {
    return false
  }
}

export class AgentWorkspace {
  readonly host: InstanceHost
  readonly spec: AgentSpec

  constructor(host: InstanceHost, spec: AgentSpec) {
    this.host = host
    this.spec = spec
  }

  get groupRoot(): string {
    return `${AGENT_ROOT}/${this.spec.groupId}`
  }
  get deploymentRoot(): string {
    return `${this.groupRoot}/${this.spec.deploymentId}`
  }
  get instructionsDir(): string {
    return `${AGENT_ROOT}/deployment-instructions`
  }
  get lastInstallFile(): string {
    return `${this.instructionsDir}/${this.spec.groupId}_last_successful_install`
  }
  get cleanupFile(): string {
    return `${this.instructionsDir}/${this.spec.groupId}-cleanup`
  }

  async readHost(viewPath: string): Promise<string | undefined> {
    try {
      return await readFile(await this.host.hostPath(viewPath), 'utf8')
    } catch {
      return undefined
    }
  }

  // Kernel#system on the instance: the exit status, 127 when the command is not there.
  async system(argv: string[]): Promise<number> {
    const r = await this.host.run(argv, {
      cwd: '/',
      env: BASE_ENV,
      timeoutMs: 60_000,
      onLine: () => {}
    })
    return r.exitCode === null ? 127 : r.exitCode
  }
}
