// The order of commits and the provenance of a revision, end to end: dist/ under Node 24 deploys
// workspaces that are real git checkouts (support/git-repo.ts: main A → B → C, side B → D → E) to
// the bed. An older commit than the one a group last attempted is skipped with nothing uploaded,
// or deployed on purpose; diverged branches warn; the summary lists what changed; a shallow
// checkout is answered by the bed's GitHub compare API (computed by git); without history or
// token the run deploys and warns; and a run queued behind a slow deployment skips once a newer
// commit is created meanwhile.
import { describe, expect, test } from '@jest/globals'
import { CreateDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  bed,
  codedeploy,
  githubRepository,
  lastSeq,
  requests,
  s3,
  setFaults
} from '../support/bed.js'
import { git, gitHistory, type GitHistory } from '../support/git-repo.js'
import { deployOnBed, json } from '../support/runs.js'
import type { ActionRun } from './harness.js'
import { appWorkspace } from './workspace.js'

const APP = 'e2e-revisions'
const QUEUE_APP = 'e2e-order-queue'
const b = bed()
const history: GitHistory = gitHistory()
const { A, B, C, E } = history.commits
let run = 100

/**
 * A workspace checked out at `sha` (deploy/ holds the app, version.txt says which commit), with
 * the whole history, or only that commit as actions/checkout's default fetch-depth: 1 leaves it.
 */
function checkout(
  app: string,
  sha: string,
  opts: { shallow?: boolean; start?: string } = {}
): string {
  const ws = appWorkspace(app, {
    ...(opts.start ? { start: opts.start } : {}),
    extra: { 'deploy/version.txt': `${sha}\n` }
  })
  git(ws, ['init', '--quiet'])
  git(ws, [
    'fetch',
    '--quiet',
    ...(opts.shallow ? ['--depth', '1'] : []),
    `file://${history.path}`,
    ...(opts.shallow ? [sha] : ['+refs/heads/*:refs/remotes/origin/*'])
  ])
  git(ws, ['checkout', '--quiet', '--detach', sha])
  return ws
}

/** dist/ deploying `ws` (its commit `sha`) to `group`, as run number `run` of the workflow. */
function deploy(
  group: string,
  sha: string,
  ws: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
  app = APP
): Promise<ActionRun> {
  return deployOnBed(
    b,
    app,
    ws,
    { 'deployment-group': group, ...inputs },
    {
      env: { GITHUB_SHA: sha, GITHUB_RUN_NUMBER: String(++run), ...env }
    }
  )
}

function expectSucceeded(r: ActionRun): void {
  expect(r.errors).toEqual([])
  expect(r.code).toBe(0)
  expect(r.outputs['deployment-status']).toBe('Succeeded')
}

/** The warnings a run wrote (::warning:: lines, unescaped). */
function warnings(r: ActionRun): string {
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) =>
      l
        .replace(/^::warning[^:]*::/, '')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
    )
    .join('\n')
}

async function headObject(key: string) {
  return s3(b).send(new HeadObjectCommand({ Bucket: b.bucket, Key: key }))
}

describe('the order of commits, through dist/ on the bed', () => {
  test.concurrent(
    'B deployed; then A, its parent, is skipped: nothing uploaded or created, the step green',
    async () => {
      const first = await deploy('skip', B, checkout(APP, B))
      expectSucceeded(first)
      // The object records where it came from.
      const head = await headObject(first.outputs['bundle-key']!)
      expect(head.Metadata).toMatchObject({
        'git-commit': B,
        'github-repository': 'octo-org/sample-app',
        'github-workflow-ref': 'octo-org/sample-app/.github/workflows/deploy.yml@refs/heads/main',
        'github-run-id': '9876543210',
        'github-run-attempt': '1',
        'github-actor': 'octocat'
      })
      expect(head.Metadata?.['github-run-number']).toMatch(/^\d+$/)

      const since = await lastSeq(b)
      const r = await deploy('skip', A, checkout(APP, A))
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs.skipped).toBe('true')
      expect(r.outputs['deployment-id']).toBeUndefined()
      expect(r.outputs['bundle-uploaded']).toBeUndefined()
      expect(r.stdout).toContain(
        `::notice::Skipped: 'skip' last attempted commit ${B}, deployment ${first.outputs['deployment-id']} (Succeeded), which is 1 commit newer than this run's ${A} (per git)`
      )
      await expect(headObject(r.outputs['bundle-key']!)).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 }
      })
      const creates = (await requests(b, { application: APP, since })).filter(
        (c) =>
          c.operation === 'CreateDeployment' &&
          (c.input as { deploymentGroupName?: string }).deploymentGroupName === 'skip'
      )
      expect(creates).toEqual([])
      expect(r.summary).toContain('> [!NOTE]\n> Skipped:')
    },
    300_000
  )

  test.concurrent(
    'if-newer-deployed: deploy deploys A over B on purpose, with a warning',
    async () => {
      expectSucceeded(await deploy('anyway', B, checkout(APP, B)))
      const r = await deploy('anyway', A, checkout(APP, A), { 'if-newer-deployed': 'deploy' })
      expectSucceeded(r)
      expect(r.outputs.skipped).toBe('false')
      expect(warnings(r)).toContain(
        `Deploying an older commit on purpose (if-newer-deployed: deploy): 'anyway' last attempted commit ${B}`
      )
      expect(r.summary).toContain('is 1 commit **older** than')
    },
    300_000
  )

  test.concurrent(
    'diverged branches: E (side) over C (main) deploys, with a warning naming both',
    async () => {
      expectSucceeded(await deploy('diverged', C, checkout(APP, C)))
      const r = await deploy('diverged', E, checkout(APP, E))
      expectSucceeded(r)
      expect(warnings(r)).toContain(
        `Commit ${E.slice(0, 7)} and ${C.slice(0, 7)}, which 'diverged' last attempted`
      )
      expect(warnings(r)).toContain('have diverged (2 and 1 commits apart, per git)')
    },
    300_000
  )

  test.concurrent(
    "the summary lists what changed since the group's last success, and the outputs name it",
    async () => {
      const first = await deploy('changes', A, checkout(APP, A))
      expectSucceeded(first)
      const r = await deploy('changes', C, checkout(APP, C))
      expectSucceeded(r)
      expect(json<Record<string, string>[]>(r.outputs.deployments)[0]).toMatchObject({
        previousDeploymentId: first.outputs['deployment-id'],
        previousCommit: A
      })
      const md = r.summary
      expect(md).toContain('### What changed')
      expect(md).toContain(`**changes**: 2 new commits since \`${A.slice(0, 7)}\``)
      expect(md).toContain('| C: release c | Mona Lisa Octocat |')
      expect(md).toContain('| B: release b | Mona Lisa Octocat |')
      expect(md).toContain(`https://github.com/octo-org/sample-app/compare/${A}...${C}`)
      // A re-run of the same commit: nothing changed.
      const again = await deploy('changes', C, checkout(APP, C))
      expectSucceeded(again)
      expect(again.summary).toContain('same commit as')
    },
    400_000
  )

  test.concurrent(
    "a shallow checkout (fetch-depth: 1) is answered by GitHub's compare API, with the token",
    async () => {
      const repository = 'octo-org/e2e-revisions-shallow'
      const token = 'ghs_e2eRevisionsShallowToken000000000000'
      await githubRepository(b, { repository, path: history.path, token })
      const env = { GITHUB_REPOSITORY: repository }
      const inputs = { 'github-token': token }
      expectSucceeded(await deploy('shallow', A, checkout(APP, A, { shallow: true }), inputs, env))
      const since = await lastSeq(b)
      const newer = await deploy('shallow', C, checkout(APP, C, { shallow: true }), inputs, env)
      expectSucceeded(newer)
      expect(newer.summary).toContain(`**shallow**: 2 new commits since \`${A.slice(0, 7)}\``)
      expect(newer.summary).toContain('| C: release c |')
      const asked = await requests(b, { repository, since })
      expect(
        asked.map((c) => [
          c.operation,
          c.status,
          (c.input as { authorization?: string }).authorization
        ])
      ).toContainEqual(['GitHub.compare', 200, 'token'])
      // Masked (::add-mask:: tells the runner), and never printed otherwise.
      expect(newer.stdout).toContain(`::add-mask::${token}`)
      expect(newer.stdout.replace(`::add-mask::${token}`, '')).not.toContain(token)
      // B, older than C, from a shallow checkout: the API says it is behind, so it is skipped.
      const older = await deploy('shallow', B, checkout(APP, B, { shallow: true }), inputs, env)
      expect(older.code).toBe(0)
      expect(older.outputs.skipped).toBe('true')
      expect(older.stdout).toContain(`1 commit newer than this run's ${B} (per GitHub)`)
    },
    400_000
  )

  test.concurrent(
    'no history and no token: deploys and warns, since order is never guessed',
    async () => {
      expectSucceeded(await deploy('no-history', B, checkout(APP, B)))
      const r = await deploy('no-history', A, checkout(APP, A, { shallow: true }))
      expectSucceeded(r)
      const w = warnings(r)
      expect(w).toContain(
        `Could not tell whether commit ${A.slice(0, 7)} is older than ${B.slice(0, 7)}`
      )
      expect(w).toContain(`the workspace's git history: it does not hold commit ${B}`)
      expect(w).toContain("GitHub's compare API: no github-token was given")
    },
    300_000
  )

  test.concurrent(
    'a run queued behind a slow deployment skips once a newer commit is created meanwhile',
    async () => {
      // Someone's slow deployment of A holds the group.
      const slow = await deploy(
        'fleet',
        A,
        checkout(QUEUE_APP, A, { start: '#!/bin/bash\nsleep 12\n' }),
        { wait: 'false' },
        {},
        QUEUE_APP
      )
      const slowId = slow.outputs['deployment-id']!
      expect(slowId).toMatch(/^d-/)
      // This run's ListDeployments answers 4 s late, so when it sees the slow one end and asks
      // what holds the group now, the newer deployment below exists (made within 0.1 s of the end).
      await setFaults(b, { delay: { ms: 4000, operations: ['ListDeployments'] } }, QUEUE_APP)
      try {
        const queued = deploy('fleet', B, checkout(QUEUE_APP, B), {}, {}, QUEUE_APP)
        const cd = codedeploy(b)
        const newer = await putRevision(QUEUE_APP, C)
        let newerId: string | undefined
        for (let i = 0; i < 1200 && !newerId; i++) {
          const status = (await cd.send(new GetDeploymentCommand({ deploymentId: slowId })))
            .deploymentInfo?.status
          if (status === 'Succeeded' || status === 'Failed' || status === 'Stopped')
            newerId = (
              await cd.send(
                new CreateDeploymentCommand({
                  applicationName: QUEUE_APP,
                  deploymentGroupName: 'fleet',
                  revision: { revisionType: 'S3', s3Location: newer }
                })
              )
            ).deploymentId
          else await sleep(100)
        }
        expect(newerId).toMatch(/^d-/)
        const r = await queued
        expect(r.errors).toEqual([])
        expect(r.code).toBe(0)
        expect(r.outputs.skipped).toBe('true')
        expect(r.outputs['deployment-id']).toBeUndefined()
        expect(r.stdout).toContain(
          `Skipped: 'fleet' last attempted commit ${C}, deployment ${newerId}`
        )
      } finally {
        await setFaults(b, {}, QUEUE_APP)
      }
    },
    300_000
  )
})

/** Another run's revision of commit `sha` in the bucket: the action's metadata, as it writes it. */
async function putRevision(app: string, sha: string) {
  const ws = checkout(app, sha)
  const key = `${app}/other-run/${sha}.zip`
  const out = await s3(b).send(
    new PutObjectCommand({
      Bucket: b.bucket,
      Key: key,
      Body: readFileSync(`${ws}/deploy/version.txt`),
      Metadata: {
        sha256: 'not-a-bundle',
        'git-commit': sha,
        'github-repository': 'octo-org/sample-app'
      }
    })
  )
  return {
    bucket: b.bucket,
    key,
    bundleType: 'zip' as const,
    eTag: out.ETag?.replace(/"/g, ''),
    ...(out.VersionId ? { version: out.VersionId } : {})
  }
}
