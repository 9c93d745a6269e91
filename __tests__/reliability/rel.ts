// Shared by the reliability tests: a small deployable app, runs of dist/ against the bed, and the
// checks that a refused run left no trace (no CodeDeploy call, no object, no multipart upload).
import { expect } from '@jest/globals'
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3'
import { bed, type Bed, lastSeq, objectsUnder, requests, s3 } from '../support/bed.js'
import { appInputs } from '../support/fixtures.js'
import { deployOnBed, type RunExtra } from '../support/runs.js'
import { FaultProxy, type ProxiedRequest } from '../e2e/fault-proxy.js'
import { runAction, type ActionRun, type RunOptions } from '../e2e/harness.js'
import { appWorkspace } from '../e2e/workspace.js'

export { appWorkspace, type AppOptions } from '../e2e/workspace.js'

export const b: Bed = bed()

export type { RunExtra } from '../support/runs.js'

/** dist/index.js deploying `app` to its group `fleet` on the bed, killed after 4 minutes. */
export function deploy(
  app: string,
  ws: string,
  inputs: Record<string, string> = {},
  extra: RunExtra = {}
): Promise<ActionRun> {
  return deployOnBed(b, app, ws, inputs, { timeoutMs: 240_000, ...extra })
}

/** Multipart uploads still open (neither completed nor aborted) under a prefix. */
export async function openUploads(bucket: string, prefix: string): Promise<string[]> {
  const client = s3(b)
  try {
    const out = await client.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix })
    )
    return (out.Uploads ?? []).map((u) => `${u.Key}#${u.UploadId}`)
  } finally {
    client.destroy()
  }
}

/** Nothing under `prefix` in either bucket: no object version, no open multipart upload. */
export async function expectNothingStored(prefix: string): Promise<void> {
  for (const bucket of [b.bucket, b.unversionedBucket]) {
    expect(await objectsUnder(b, bucket, prefix)).toEqual([])
    expect(await openUploads(bucket, prefix)).toEqual([])
  }
}

/**
 * A failed run's user-facing shape: exit 1, no stack trace, no "bug" wording, and one ::error::
 * line — or, for a bundle the agent would reject, one annotation per problem followed by one line
 * that sums them up and says nothing was uploaded. Returns the error lines joined.
 */
export function expectCleanFailure(r: ActionRun): string {
  expect(r.signal).toBeNull()
  expect(r.code).toBe(1)
  expect(r.errors.length).toBeGreaterThanOrEqual(1)
  if (r.errors.length > 1) expect(r.errors[r.errors.length - 1]).toMatch(/Nothing was uploaded/)
  const all = r.stdout + r.stderr
  expect(all).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(all).not.toContain('Unexpected error')
  return r.errors.join('\n')
}

/** Runs the tasks `width` at a time, in order of start. */
export async function inBatches<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++
        out[i] = await (tasks[i] as () => Promise<T>)()
      }
    })
  )
  return out
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** One refused run: inputs over the valid app's, a change to its workspace, the expected error. */
export interface RefusedCase {
  name: string
  inputs?: Record<string, string>
  /** Changes to the valid app workspace (the app is under deploy/). */
  workspace?: (ws: string) => void
  env?: Record<string, string>
  /** One of the error lines must match. */
  message: RegExp
}

export interface RefusedRuns {
  runs: ActionRun[]
  /** Every request that reached S3 or CodeDeploy through the counting proxies. */
  requests: ProxiedRequest[]
  /** The emulator's log position before the runs. */
  since: number
}

/** A refused case's run: a fresh app workspace with the case's changes, inputs and environment. */
export function refusedRun(app: string, runNumber: string, c: RefusedCase): RunOptions {
  const ws = appWorkspace(app)
  c.workspace?.(ws)
  return {
    workspace: ws,
    inputs: { ...appInputs(app), bucket: b.bucket, ...c.inputs },
    env: { ...b.env, GITHUB_RUN_NUMBER: runNumber, ...c.env }
  }
}

/** A refused run's shape (expectCleanFailure), its error naming the problem, and no outputs. */
export function expectRefused(r: ActionRun, c: RefusedCase): void {
  expect(expectCleanFailure(r)).toMatch(c.message)
  expect(r.outputs['deployment-id']).toBeUndefined()
  expect(r.outputs['bundle-etag']).toBeUndefined()
}

/**
 * Runs each case as its own action process, `width` at a time, with both endpoints behind a
 * proxy that counts every request. `runNumber` should be one no other test uses.
 */
export async function runRefused(
  app: string,
  runNumber: string,
  cases: RefusedCase[],
  width = 4
): Promise<RefusedRuns> {
  const since = await lastSeq(b)
  const cd = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_CODEDEPLOY as string)
  const s3p = await FaultProxy.start(b.env.AWS_ENDPOINT_URL_S3 as string)
  try {
    const runs = await inBatches(
      cases.map((c) => () => {
        const opts = refusedRun(app, runNumber, c)
        return runAction({
          ...opts,
          env: { ...opts.env, AWS_ENDPOINT_URL_CODEDEPLOY: cd.url, AWS_ENDPOINT_URL_S3: s3p.url },
          // Dozens of runs, none timed closely: they give way to the runs that are (harness.ts).
          niceness: 5
        })
      }),
      width
    )
    return { runs, requests: [...cd.requests, ...s3p.requests], since }
  } finally {
    await Promise.all([cd.close(), s3p.close()])
  }
}

/** No request reached AWS, the emulator logged none for the app or run, nothing is stored. */
export async function expectNoTrace(
  app: string,
  runNumber: string,
  done: RefusedRuns
): Promise<void> {
  expect(done.requests.map((r) => r.operation)).toEqual([])
  // The run number as a word of its own (an S3 key's `<app>/<run>/`): other suites running beside
  // this one make requests whose random ids may hold its digits.
  const own = new RegExp(`(?<!\\w)${runNumber}(?!\\w)`)
  const logged = (await requests(b, { since: done.since })).filter(
    (r) => r.application === app || own.test(JSON.stringify(r.input ?? {}))
  )
  expect(logged).toEqual([])
  await expectNothingStored(`${app}/`)
}
