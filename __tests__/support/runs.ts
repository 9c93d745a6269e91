// dist/index.js deploying an app's workspace to the bed, as every end-to-end suite runs it.
import { runAction, type ActionRun, type RunOptions } from '../e2e/harness.js'
import type { Bed } from './bed.js'
import { appInputs } from './fixtures.js'

/** An output that holds JSON (failed-instances, deployments, ...), parsed; absent: null. */
export function json<T = unknown>(text: string | undefined): T {
  return JSON.parse(text ?? 'null') as T
}

export type RunExtra = Partial<Omit<RunOptions, 'inputs' | 'workspace'>>

/**
 * A run deploying the workspace's `deploy` folder to `app`'s group (`fleet` unless the inputs name
 * another), waiting 2 minutes at most; `extra.env` adds to the bed's environment.
 */
export function deployOnBed(
  b: Bed,
  app: string,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunExtra = {}
): Promise<ActionRun> {
  return runAction({
    workspace: ws,
    inputs: { ...appInputs(app), bucket: b.bucket, 'wait-timeout': '2', ...inputs },
    timeoutMs: 180_000,
    ...extra,
    env: { ...b.env, ...extra.env }
  })
}
