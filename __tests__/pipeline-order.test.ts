// The order of commits through the whole pipeline: an older commit than the group's last is
// skipped before the upload (or fails, or deploys on purpose), the object records its commit, the
// summary says what changed, and a newer deployment made while this run queued is caught right
// before CreateDeployment. The workspace is a real git repository; CodeDeploy is the fake, S3 mocked.
import { describe, expect, it } from '@jest/globals'
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy'
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand
} from '@aws-sdk/client-s3'
import { Input, Output } from '../src/settings/constants.js'
import type { FakeCodeDeploy } from './deploy/fake-codedeploy.js'
import { commit, FIRST_COMMIT_TIME, git } from './support/git-repo.js'
import {
  cd,
  harness,
  rejection,
  RUN_ENV,
  s3,
  usePipelineMocks,
  type Harness
} from './support/pipeline-harness.js'

usePipelineMocks()

const REPO = RUN_ENV.GITHUB_REPOSITORY

/** The workspace as a git repository: A → B → C on main, and D branched from A. */
interface Shas {
  a: string
  b: string
  c: string
  d: string
}

function makeHistory(ws: string): Shas {
  git(ws, ['init', '--quiet', '--initial-branch=main'])
  let hour = 0
  const next = (subject: string, name: string): string =>
    commit(ws, {
      subject,
      body: 'body',
      time: FIRST_COMMIT_TIME + 3600 * hour++,
      author: { name, email: 'dev@example.com' }
    })
  const a = next('First release', 'Ada')
  const b = next('Fix the login page', 'Bob')
  const c = next('Add the health check', 'Cy')
  git(ws, ['checkout', '--quiet', '-b', 'other', a])
  const d = next('Try another design', 'Dee')
  git(ws, ['checkout', '--quiet', 'main'])
  return { a, b, c, d }
}

/** A run whose commit is `ours` (one of the shas), in a workspace holding the whole history. */
function orderHarness(
  ours: keyof Shas,
  inputs: Partial<Record<Input, string>> = {}
): Harness & { shas: Shas } {
  let shas: Shas | undefined
  const h = harness(inputs, {
    prepare: (ws) => {
      shas = makeHistory(ws)
    },
    env: () => ({ GITHUB_SHA: shas![ours], GITHUB_ACTOR: 'octocat' })
  })
  h.fake.trackHistory = true
  return Object.assign(h, { shas: shas! })
}

let n = 0
/** Another run's deployment of `commit` to `group`; its object records the commit (or nothing). */
function otherRun(
  fake: FakeCodeDeploy,
  group: string,
  commit: string | undefined,
  plan = { instances: [{ id: 'i-0001', eventMs: 500 }] }
): string {
  const key = `my-app/${++n}/other.tgz`
  const id = fake.addDeployment(group, plan, undefined, 'user', {
    applicationName: 'my-app',
    deploymentGroupName: group,
    revision: {
      revisionType: 'S3',
      s3Location: { bucket: 'my-bucket', key, bundleType: 'tgz', eTag: `etag-${n}` }
    }
  })
  s3.on(HeadObjectCommand, { Key: key }).resolves({
    ETag: `"etag-${n}"`,
    Metadata: commit
      ? { sha256: 'x', 'git-commit': commit, 'github-repository': REPO }
      : { sha256: 'x' }
  })
  return id
}

const uploads = (): number =>
  s3.commandCalls(PutObjectCommand).length + s3.commandCalls(CreateMultipartUploadCommand).length
const creates = (): number => cd.commandCalls(CreateDeploymentCommand).length

describe('an older commit than the one the group last attempted', () => {
  it('skip (the default): nothing uploaded or created, the step succeeds with a notice and skipped: true', async () => {
    const h = orderHarness('a')
    const last = otherRun(h.fake, 'blue', h.shas.c)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(uploads()).toBe(0)
    expect(creates()).toBe(0)
    expect(h.output(Output.Skipped)).toBe('true')
    expect(h.output(Output.DeploymentId)).toBeUndefined()
    const notice = h.log.text('notice')
    expect(notice).toContain(
      `'blue' last attempted commit ${h.shas.c}, deployment ${last} (Succeeded)`
    )
    expect(notice).toContain(`2 commits newer than this run's ${h.shas.a} (per git)`)
    expect(notice).toContain('Nothing was uploaded or deployed')
    expect(h.summaries[0]).toContain('> [!NOTE]\n> Skipped:')
  })

  it('an in-progress deployment of a newer commit counts too (it is on its way)', async () => {
    const h = orderHarness('b')
    otherRun(h.fake, 'blue', h.shas.c)
    expect(await h.run()).toEqual({})
    expect(h.log.text('notice')).toContain('(Created)')
    expect(uploads()).toBe(0)
  })

  it('fail: the step fails naming both commits and the way to deploy on purpose; nothing uploaded', async () => {
    const h = orderHarness('a', { [Input.IfNewerDeployed]: 'fail' })
    otherRun(h.fake, 'blue', h.shas.b)
    await h.clock.sleep(60_000)
    const err = await rejection(h.run())
    expect(err.message).toContain(
      `A newer commit is deployed: 'blue' last attempted commit ${h.shas.b}`
    )
    expect(err.fix).toContain('if-newer-deployed: deploy')
    expect(uploads()).toBe(0)
    expect(creates()).toBe(0)
  })

  it('deploy: deploys it on purpose, with a warning', async () => {
    const h = orderHarness('a', { [Input.IfNewerDeployed]: 'deploy' })
    otherRun(h.fake, 'blue', h.shas.c)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    expect(h.output(Output.Skipped)).toBe('false')
    expect(h.log.text('warning')).toContain('Deploying an older commit on purpose')
    expect(h.summaries[0]).toContain('is 2 commits **older** than')
  })

  it('a newer deployment made while this run queued is caught right before CreateDeployment', async () => {
    const h = orderHarness('b', { [Input.DeploymentGroup]: 'blue\ngreen' })
    // The group is busy with an older commit; meanwhile another run deploys a newer one.
    otherRun(h.fake, 'blue', h.shas.a, { instances: [{ id: 'i-0001', eventMs: 3_000 }] })
    h.clock.at(10_000, () =>
      otherRun(h.fake, 'blue', h.shas.c, { instances: [{ id: 'i-0001', eventMs: 3_000 }] })
    )
    expect(await h.run()).toEqual({})
    expect(uploads()).toBe(1) // checked before the upload: B was newer than A then
    expect(creates()).toBe(0)
    expect(h.output(Output.Skipped)).toBe('true')
    expect(h.log.text('notice')).toContain(`last attempted commit ${h.shas.c}`)
    // The chain stops there: the next group is not deployed either, and the log says why.
    expect(h.log.text('info')).toContain(
      "Not deploying to 'green': the run stops where a newer commit is deployed ('blue')."
    )
  })
})

describe('a newer commit, the same one, another branch', () => {
  it('newer: deploys; the object records the commit and run; the summary lists what changed', async () => {
    const h = orderHarness('c')
    const last = otherRun(h.fake, 'blue', h.shas.a)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input
    expect(put.Metadata).toEqual({
      sha256: h.output(Output.BundleSha256),
      'git-commit': h.shas.c,
      'github-repository': REPO,
      'github-run-id': RUN_ENV.GITHUB_RUN_ID,
      'github-run-number': RUN_ENV.GITHUB_RUN_NUMBER,
      'github-run-attempt': RUN_ENV.GITHUB_RUN_ATTEMPT,
      'github-actor': 'octocat'
    })
    expect(JSON.parse(h.output(Output.Deployments)!)[0]).toMatchObject({
      previousDeploymentId: last,
      previousCommit: h.shas.a
    })
    const md = h.summaries[0]!
    expect(md).toContain('### What changed')
    expect(md).toContain(
      `**blue**: 2 new commits since \`${h.shas.a.slice(0, 7)}\` (deployment ${last})`
    )
    expect(md).toContain('| Add the health check | Cy |')
    expect(md).toContain('| Fix the login page | Bob |')
    expect(md).toContain(`/${REPO}/compare/${h.shas.a}...${h.shas.c}`)
    expect(h.log.text('info')).toContain(`commit ${h.shas.c.slice(0, 7)} is 2 commits ahead`)
  })

  it('the same commit (a re-run): deploys, and the summary says nothing changed', async () => {
    const h = orderHarness('b')
    otherRun(h.fake, 'blue', h.shas.b)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    expect(h.log.text('info')).toContain('last attempted this same commit')
    expect(h.summaries[0]).toContain('same commit as')
  })

  it('diverged: deploys with a warning naming both', async () => {
    const h = orderHarness('d')
    otherRun(h.fake, 'blue', h.shas.c)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    const warning = h.log.text('warning')
    expect(warning).toContain(`${h.shas.d.slice(0, 7)} and ${h.shas.c.slice(0, 7)}`)
    expect(warning).toContain('have diverged (1 and 2 commits apart, per git)')
  })

  it('a last deployment that records no commit never blocks', async () => {
    const h = orderHarness('a')
    otherRun(h.fake, 'blue', undefined)
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    expect(h.log.text('info')).toContain('records no git-commit (not uploaded by this action)')
  })

  it('no history and no token: deploys and warns, since order is never guessed', async () => {
    const h = harness({}, { env: { GITHUB_SHA: 'a'.repeat(40) } })
    h.fake.trackHistory = true
    otherRun(h.fake, 'blue', 'b'.repeat(40))
    await h.clock.sleep(60_000)
    expect(await h.run()).toEqual({})
    expect(creates()).toBe(1)
    const warning = h.log.text('warning')
    expect(warning).toContain('Could not tell whether commit aaaaaaa is older than bbbbbbb')
    expect(warning).toContain("the workspace's git history: not a git repository")
    expect(warning).toContain("GitHub's compare API: no github-token was given")
  })
})
