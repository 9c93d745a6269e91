import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CodeDeployClient,
  CodeDeployServiceException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  type GetDeploymentCommandInput,
  type GetDeploymentGroupCommandInput
} from '@aws-sdk/client-codedeploy'
import { HeadObjectCommand, S3Client, type HeadObjectCommandInput } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { MemoryLogger } from '../../src/common/log.js'
import type { CompareAnswer, History, Relation } from '../../src/revisions/history.js'
import { OrderCheck } from '../../src/revisions/order.js'
import type { RevisionSettings, RunContext } from '../../src/settings/settings.js'

const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }
const codedeploy = new CodeDeployClient({ region: 'eu-west-1', credentials })
const s3 = new S3Client({ region: 'eu-west-1', credentials })
const cd = mockClient(codedeploy)
const s3mock = mockClient(s3)

const REPO = 'octo-org/app'
const OURS = 'c0ffee0000000000000000000000000000000000'
const OLDER = 'a1d0000000000000000000000000000000000000'
const NEWER = 'e1ec000000000000000000000000000000000000'
const OLDEST = '0001000000000000000000000000000000000000'

/** The AWS side: each group's last attempted and last successful deployment, and each deployment's commit. */
interface World {
  groups: Record<string, { attempted?: string; successful?: string } | 'denied'>
  deployments: Record<string, { status: string; commit?: string; repository?: string }>
}
let world: World

/** The history: how head stands against base, per pair; every question recorded. */
function fakeHistory(relations: Record<string, [Relation, number, number]>): History & {
  asked: string[]
} {
  const asked: string[] = []
  return {
    name: 'the fake history',
    asked,
    async compare(base, head): Promise<CompareAnswer> {
      asked.push(`${base.slice(0, 4)}..${head.slice(0, 4)}`)
      const r = relations[`${base}..${head}`]
      if (!r) return { unknown: 'the fake history does not know' }
      const [relation, aheadBy, behindBy] = r
      return { comparison: { relation, aheadBy, behindBy, commits: [], source: 'git' } }
    }
  }
}

const standard = (): ReturnType<typeof fakeHistory> =>
  fakeHistory({
    [`${OLDER}..${OURS}`]: ['ahead', 2, 0],
    [`${OLDEST}..${OURS}`]: ['ahead', 5, 0],
    [`${NEWER}..${OURS}`]: ['behind', 0, 1]
  })

function run(over: Partial<RunContext> = {}): RunContext {
  return {
    runNumber: '42',
    runAttempt: '1',
    runId: '1000',
    sha: OURS,
    refName: 'main',
    repository: REPO,
    serverUrl: 'https://github.com',
    eventName: 'push',
    actor: 'octocat',
    workflowRef: `${REPO}/.github/workflows/deploy.yml@refs/heads/main`,
    apiUrl: 'https://api.github.com',
    ...over
  }
}

function settings(over: Partial<RevisionSettings> = {}): RevisionSettings {
  return {
    application: 'my-app',
    deploymentGroups: ['staging', 'prod'],
    ifNewerDeployed: 'skip',
    githubToken: 'token',
    workspace: '/work',
    run: run(),
    ...over
  }
}

let log: MemoryLogger
function check(s: RevisionSettings = settings(), history: History = standard()): OrderCheck {
  return new OrderCheck({ codedeploy, s3, log, sleep: async () => undefined }, s, history)
}

beforeEach(() => {
  cd.reset()
  s3mock.reset()
  log = new MemoryLogger()
  world = {
    groups: {
      staging: { attempted: 'd-STAGE002', successful: 'd-STAGE001' },
      prod: { attempted: 'd-PROD0002', successful: 'd-PROD0001' }
    },
    deployments: {
      'd-STAGE001': { status: 'Succeeded', commit: OLDEST },
      'd-STAGE002': { status: 'Failed', commit: OLDER },
      'd-PROD0001': { status: 'Succeeded', commit: OLDEST },
      'd-PROD0002': { status: 'Succeeded', commit: OLDER },
      'd-NEWER001': { status: 'InProgress', commit: NEWER }
    }
  }
  cd.on(GetDeploymentGroupCommand).callsFake((input: GetDeploymentGroupCommandInput) => {
    const g = world.groups[input.deploymentGroupName ?? '']
    if (g === 'denied')
      throw new CodeDeployServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: codedeploy:GetDeploymentGroup'
      })
    const ref = (id?: string) =>
      id ? { deploymentId: id, status: world.deployments[id]?.status } : undefined
    return {
      deploymentGroupInfo: {
        lastAttemptedDeployment: ref(g?.attempted),
        lastSuccessfulDeployment: ref(g?.successful)
      }
    }
  })
  cd.on(GetDeploymentCommand).callsFake((input: GetDeploymentCommandInput) => {
    const id = input.deploymentId ?? ''
    return {
      deploymentInfo: {
        deploymentId: id,
        status: world.deployments[id]?.status,
        revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: `k/${id}.tgz` } }
      }
    }
  })
  s3mock.on(HeadObjectCommand).callsFake((input: HeadObjectCommandInput) => {
    const id = /^k\/(.+)\.tgz$/.exec(input.Key ?? '')?.[1] ?? ''
    const d = world.deployments[id]
    return {
      Metadata: {
        ...(d?.commit ? { 'git-commit': d.commit } : {}),
        'github-repository': d?.repository ?? REPO
      }
    }
  })
})

const groupReads = (): string[] =>
  cd.commandCalls(GetDeploymentGroupCommand).map((c) => c.args[0].input.deploymentGroupName ?? '')
const deploymentReads = (): string[] =>
  cd.commandCalls(GetDeploymentCommand).map((c) => c.args[0].input.deploymentId ?? '')
const heads = (): number => s3mock.commandCalls(HeadObjectCommand).length

describe('OrderCheck.beforeUpload', () => {
  it('reads every group and decides; what changed since the last success, before the upload', async () => {
    const history = standard()
    const order = check(settings(), history)
    const facts = await order.beforeUpload()
    expect(facts.ours).toEqual({ commit: OURS, repository: REPO })
    expect(facts.serverUrl).toBe('https://github.com')
    expect(facts.skipped).toBeUndefined()
    expect(facts.groups.map((g) => [g.group, g.verdict.kind])).toEqual([
      ['staging', 'deploy'],
      ['prod', 'deploy']
    ])
    const [staging] = facts.groups
    expect(staging?.last).toEqual({
      deploymentId: 'd-STAGE002',
      status: 'Failed',
      commit: OLDER,
      repository: REPO
    })
    expect(staging?.previous).toMatchObject({ deploymentId: 'd-STAGE001', commit: OLDEST })
    expect(staging?.changes).toEqual({
      comparison: { relation: 'ahead', aheadBy: 5, behindBy: 0, commits: [], source: 'git' }
    })
    // The order against the last attempted, what changed against the last successful.
    expect(history.asked).toEqual(['a1d0..c0ff', '0001..c0ff', 'a1d0..c0ff', '0001..c0ff'])
    expect(groupReads()).toEqual(['staging', 'prod'])
  })

  it('stops at the first group that skips: the next group is not read', async () => {
    world.groups.staging = { attempted: 'd-NEWER001', successful: 'd-STAGE001' }
    const facts = await check().beforeUpload()
    expect(facts.groups.map((g) => [g.group, g.verdict.kind])).toEqual([['staging', 'skip']])
    expect(facts.skipped?.group).toBe('staging')
    expect(facts.skipped?.notice).toContain(`commit ${NEWER}`)
    expect(facts.skipped?.notice).toContain('d-NEWER001')
    expect(groupReads()).toEqual(['staging'])
  })

  it('skips at the second group when only that one holds a newer commit', async () => {
    world.groups.prod = { attempted: 'd-NEWER001', successful: 'd-PROD0001' }
    const facts = await check().beforeUpload()
    expect(facts.groups.map((g) => g.verdict.kind)).toEqual(['deploy', 'skip'])
    expect(facts.skipped?.group).toBe('prod')
  })

  it('a fail verdict: stops there, nothing skipped', async () => {
    world.groups.staging = { attempted: 'd-NEWER001', successful: 'd-STAGE001' }
    const facts = await check(settings({ ifNewerDeployed: 'fail' })).beforeUpload()
    expect(facts.groups).toHaveLength(1)
    const v = facts.groups[0]?.verdict
    expect(v?.kind).toBe('fail')
    expect(v?.kind === 'fail' && v.message).toContain('A newer commit is deployed')
    expect(facts.skipped).toBeUndefined()
    expect(groupReads()).toEqual(['staging'])
  })

  it.each(['', 'c0ffee0', 'not-a-sha'])(
    'GITHUB_SHA %j: not enabled, no AWS call, no question, one line saying so',
    async (sha) => {
      const history = standard()
      const order = check(settings({ run: run({ sha }) }), history)
      expect(order.enabled).toBe(false)
      const facts = await order.beforeUpload()
      expect(facts.groups).toEqual([])
      expect(facts.skipped).toBeUndefined()
      expect(cd.calls()).toHaveLength(0)
      expect(heads()).toBe(0)
      expect(history.asked).toEqual([])
      expect(log.text('info')).toContain('GITHUB_SHA is not a full commit id')
    }
  )

  it('an upper-case GITHUB_SHA is ours, lower-cased', async () => {
    const order = check(settings({ run: run({ sha: OURS.toUpperCase() }) }))
    expect(order.enabled).toBe(true)
    expect(order.ours.commit).toBe(OURS)
  })

  it('a group with no deployment yet: deploy, nothing asked, nothing said', async () => {
    world.groups.staging = {}
    const history = standard()
    const facts = await check(settings({ deploymentGroups: ['staging'] }), history).beforeUpload()
    expect(facts.groups[0]).toEqual({ group: 'staging', verdict: { kind: 'deploy' } })
    expect(history.asked).toEqual([])
    expect(deploymentReads()).toEqual([])
    expect(log.lines).toEqual([])
  })

  it('the same commit attempted last: no question asked about the order', async () => {
    world.deployments['d-STAGE002']!.commit = OURS
    const history = standard()
    const facts = await check(settings({ deploymentGroups: ['staging'] }), history).beforeUpload()
    expect(facts.groups[0]?.verdict.kind).toBe('deploy')
    expect(log.text('info')).toContain('same commit c0ffee0')
    expect(history.asked).toEqual(['0001..c0ff'])
  })

  it('a last successful deployment of another repository: what changed is not asked', async () => {
    world.deployments['d-STAGE001']!.repository = 'octo-org/other'
    const history = standard()
    const facts = await check(settings({ deploymentGroups: ['staging'] }), history).beforeUpload()
    expect(facts.groups[0]?.changes).toBeUndefined()
    expect(history.asked).toEqual(['a1d0..c0ff'])
  })

  it('a GitHub revision naming our repository in another case: compared, and what changed listed', async () => {
    world.deployments['d-STAGE001']!.repository = 'Octo-Org/App'
    world.deployments['d-STAGE002']!.repository = 'OCTO-ORG/APP'
    const history = standard()
    const facts = await check(settings({ deploymentGroups: ['staging'] }), history).beforeUpload()
    expect(history.asked).toEqual(['a1d0..c0ff', '0001..c0ff'])
    expect(facts.groups[0]?.changes).toBeDefined()
    expect(log.text('warning')).toBe('')
  })

  it('the last attempted is the last successful: read once', async () => {
    world.groups.staging = { attempted: 'd-STAGE001', successful: 'd-STAGE001' }
    const facts = await check(settings({ deploymentGroups: ['staging'] })).beforeUpload()
    expect(facts.groups[0]?.last).toEqual(facts.groups[0]?.previous)
    expect(deploymentReads()).toEqual(['d-STAGE001'])
    expect(heads()).toBe(1)
  })

  it('a group that cannot be read: deploy with a warning, saying what failed', async () => {
    world.groups.staging = 'denied'
    const facts = await check().beforeUpload()
    const staging = facts.groups[0]
    expect(staging?.unreadable).toContain('GetDeploymentGroup failed (AccessDeniedException')
    expect(staging?.verdict.kind).toBe('deploy')
    expect(log.text('warning')).toContain(`Could not read what 'staging' last deployed`)
    expect(log.text('warning')).toContain('codedeploy:GetDeploymentGroup')
    // The next group is still checked.
    expect(facts.groups[1]?.verdict.kind).toBe('deploy')
  })

  it('the log says each verdict once', async () => {
    await check().beforeUpload()
    expect(log.lines.map((l) => l.level)).toEqual(['info', 'info'])
    expect(log.lines[0]?.message).toBe(
      "Order: commit c0ffee0 is 2 commits ahead of a1d0000, which 'staging' last attempted (deployment d-STAGE002 (Failed)); deploying."
    )
    expect(log.lines[1]?.message).toContain("'prod'")
  })
})

describe('OrderCheck.gate (right before CreateDeployment)', () => {
  it('the same last deployment: one GetDeploymentGroup, nothing else read or asked, same verdict, nothing said again', async () => {
    const history = standard()
    const order = check(settings(), history)
    const facts = await order.beforeUpload()
    const reads = {
      groups: groupReads().length,
      deployments: deploymentReads().length,
      heads: heads()
    }
    const asked = history.asked.length
    const lines = log.lines.length

    const g = await order.gate('staging')
    expect(groupReads().length).toBe(reads.groups + 1)
    expect(deploymentReads().length).toBe(reads.deployments)
    expect(heads()).toBe(reads.heads)
    expect(history.asked.length).toBe(asked)
    expect(g).toEqual(facts.groups[0])
    expect(log.lines.length).toBe(lines)
  })

  it('a newer commit deployed while this run was queued: decided afresh, skip', async () => {
    const history = standard()
    const order = check(settings(), history)
    await order.beforeUpload()
    world.groups.staging = { attempted: 'd-NEWER001', successful: 'd-STAGE001' }
    history.asked.length = 0

    const g = await order.gate('staging')
    expect(g.verdict.kind).toBe('skip')
    expect(g.last?.deploymentId).toBe('d-NEWER001')
    expect(g.verdict.kind === 'skip' && g.verdict.notice).toContain(NEWER)
    expect(deploymentReads().filter((id) => id === 'd-NEWER001')).toHaveLength(1)
    // Only the order is asked again; what changed was found before the upload.
    expect(history.asked).toEqual(['e1ec..c0ff'])
    expect(g.changes).toEqual({
      comparison: { relation: 'ahead', aheadBy: 5, behindBy: 0, commits: [], source: 'git' }
    })
    expect(order.groups().find((x) => x.group === 'staging')).toBe(g)
  })

  it('a new last deployment with if-newer-deployed: fail: the gate fails', async () => {
    const order = check(settings({ ifNewerDeployed: 'fail' }))
    await order.beforeUpload()
    world.groups.prod = { attempted: 'd-NEWER001', successful: 'd-PROD0002' }
    expect((await order.gate('prod')).verdict.kind).toBe('fail')
  })

  it('a new, older last deployment: decided afresh, deploy, said once', async () => {
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    world.deployments['d-OTHER001'] = { status: 'Stopped', commit: OLDEST }
    world.groups.staging = { attempted: 'd-OTHER001', successful: 'd-STAGE001' }
    const before = log.lines.length
    expect((await order.gate('staging')).verdict.kind).toBe('deploy')
    expect(log.lines.slice(before).map((l) => l.message)).toEqual([
      "Order: commit c0ffee0 is 5 commits ahead of 0001000, which 'staging' last attempted (deployment d-OTHER001 (Stopped)); deploying."
    ])
    await order.gate('staging')
    expect(log.lines.length).toBe(before + 1)
  })

  it('the previous (last successful) deployment is read once and kept, even when a newer one succeeded meanwhile', async () => {
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    world.deployments['d-NEWER001']!.status = 'Succeeded'
    world.groups.staging = { attempted: 'd-NEWER001', successful: 'd-NEWER001' }
    const g = await order.gate('staging')
    expect(g.previous?.deploymentId).toBe('d-STAGE001')
    expect(deploymentReads().filter((id) => id === 'd-STAGE001')).toHaveLength(1)
    expect(order.previousOf('staging')).toEqual({ deploymentId: 'd-STAGE001', commit: OLDEST })
  })

  it('a group unreadable before the upload and readable at the gate: decided then', async () => {
    world.groups.staging = 'denied'
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    world.groups.staging = { attempted: 'd-NEWER001', successful: 'd-STAGE001' }
    const g = await order.gate('staging')
    expect(g.verdict.kind).toBe('skip')
    expect(g.unreadable).toBeUndefined()
    expect(g.previous?.deploymentId).toBe('d-STAGE001')
  })

  it('a group unreadable twice: warned once', async () => {
    world.groups.staging = 'denied'
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    await order.gate('staging')
    expect(log.lines.filter((l) => l.level === 'warning')).toHaveLength(1)
  })

  it('readable before the upload and unreadable at the gate: deploy with a warning, keeping what was found', async () => {
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    world.groups.staging = 'denied'
    const g = await order.gate('staging')
    expect(g.verdict.kind).toBe('deploy')
    expect(g.unreadable).toContain('AccessDeniedException')
    expect(g.previous?.deploymentId).toBe('d-STAGE001')
    expect(g.changes).toBeDefined()
    expect(log.text('warning')).toContain(`Could not read what 'staging' last deployed`)
  })

  it('a gate without a check before it: decides, without what changed', async () => {
    const order = check(settings({ deploymentGroups: ['staging'] }))
    const g = await order.gate('staging')
    expect(g.verdict.kind).toBe('deploy')
    expect(g.changes).toBeUndefined()
  })
})

describe('OrderCheck.previousOf and groups', () => {
  it('previousOf: the last successful deployment and its commit; "" when it records none; undefined when unknown', async () => {
    world.deployments['d-PROD0001']!.commit = undefined
    const order = check()
    expect(order.previousOf('staging')).toBeUndefined()
    await order.beforeUpload()
    expect(order.previousOf('staging')).toEqual({ deploymentId: 'd-STAGE001', commit: OLDEST })
    expect(order.previousOf('prod')).toEqual({ deploymentId: 'd-PROD0001', commit: '' })
    expect(order.previousOf('nope')).toBeUndefined()
  })

  it('previousOf: undefined for a group with no successful deployment', async () => {
    world.groups.staging = { attempted: 'd-STAGE002' }
    const order = check(settings({ deploymentGroups: ['staging'] }))
    await order.beforeUpload()
    expect(order.previousOf('staging')).toBeUndefined()
  })

  it('groups: in the input’s order, as last decided, only those checked', async () => {
    const order = check(settings({ deploymentGroups: ['prod', 'staging'] }))
    expect(order.groups()).toEqual([])
    await order.gate('staging')
    expect(order.groups().map((g) => g.group)).toEqual(['staging'])
    await order.gate('prod')
    expect(order.groups().map((g) => g.group)).toEqual(['prod', 'staging'])
  })
})
