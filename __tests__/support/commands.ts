// The bed's command-line side: Debian's AWS CLI pointed at it, a command inside one of its
// simulated instances (testbed/exec), and the processes both run as.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { REPO } from '../e2e/harness.js'
import type { Bed } from './bed.js'

export interface Run {
  code: number
  stdout: string
  stderr: string
}

export function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() })
    })
  })
}

/** Debian's AWS CLI, pointed at the bed the way a user would with --endpoint-url. */
export function aws(
  b: Bed,
  service: 's3' | 's3api' | 'deploy' | 'autoscaling' | 'elbv2',
  args: string[]
): Promise<Run> {
  // CodeDeploy, Auto Scaling and ELBv2 all answer on the emulator's port.
  const endpoint = service.startsWith('s3') ? b.s3Endpoint : b.codedeployEndpoint
  return run(b.aws, [service, ...args, '--endpoint-url', endpoint])
}

/** Runs a command inside a simulated instance. */
export function onInstance(instanceId: string, command: string): Promise<Run> {
  return run(path.join(REPO, 'testbed/exec'), [instanceId, 'sh', '-c', command])
}
