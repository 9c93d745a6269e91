// The test bed's emulated agent against the real agent's recorded outcomes (__tests__/agent/
// cases.ts): every case deployed through the bed (S3 upload, CreateDeployment, one instance in a
// group of its own) ends as the real agent ended it: same failing event, same message, same code.
// The emulator is the oracle of every end-to-end test; this keeps it from drifting from the agent.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  BatchGetDeploymentTargetsCommand,
  CreateDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient
} from '@aws-sdk/client-codedeploy'
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { CASES, type AgentCase, type AgentOutcome, type ArchiveForm } from '../agent/cases.js'
import { agentWorkDir, archive, killLeftBehind, materialize, runAll } from '../agent/real-agent.js'
import { addFleet, bed, type Bed, codedeploy, s3, settled } from '../support/bed.js'
import { onInstance } from '../support/commands.js'

const APP = 'agent-conformance'
const AGENT_ROOT = '/opt/codedeploy-agent/deployment-root'
const group = (i: number): string => `c${String(i).padStart(3, '0')}`

/** What the emulator must do: what the agent on an instance does (local mode aside). */
function expected(c: AgentCase): AgentOutcome {
  return c.divergence?.localModeOnly ? { ok: true } : c.agent
}

// Every deployment the suite made: what their hooks left running is killed at the end.
const deployments = new Set<string>()

interface Deployed {
  outcome: AgentOutcome
  groupId: string
}

async function deploy(
  b: Bed,
  cd: CodeDeployClient,
  s3c: S3Client,
  groupName: string,
  file: string,
  form: ArchiveForm,
  key: string
): Promise<{ id: string; info: Awaited<ReturnType<typeof settled>> }> {
  const put = await s3c.send(
    new PutObjectCommand({ Bucket: b.bucket, Key: key, Body: readFileSync(file) })
  )
  const created = await cd.send(
    new CreateDeploymentCommand({
      applicationName: APP,
      deploymentGroupName: groupName,
      revision: {
        revisionType: 'S3',
        s3Location: {
          bucket: b.bucket,
          key,
          bundleType: form,
          eTag: put.ETag?.replace(/"/g, ''),
          ...(put.VersionId ? { version: put.VersionId } : {})
        }
      }
    })
  )
  const id = created.deploymentId!
  deployments.add(id)
  return { id, info: await settled(cd, id, 90_000) }
}

/** The instance's first failed lifecycle event, as the real agent's outcome is recorded. */
async function outcomeOf(
  cd: CodeDeployClient,
  id: string,
  groupId: string,
  dest: string
): Promise<{ outcome: AgentOutcome; instance: string }> {
  const targets = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: id }))
  const instance = targets.targetIds?.[0] ?? ''
  const got = await cd.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId: id, targetIds: [instance] })
  )
  const events = got.deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents ?? []
  const failed = events.find((e) => e.status === 'Failed')
  if (!failed) return { outcome: { ok: true }, instance }
  const d = failed.diagnostics
  const deployment = `${AGENT_ROOT}/${groupId}/${id}`
  const message = (d?.message ?? '')
    .replaceAll(`${deployment}/deployment-archive`, '<archive>')
    .replaceAll(deployment, '<deployment>')
    .replaceAll(dest, '<dest>')
    .replace(/pid \d+/g, 'pid <pid>')
  const code = d?.errorCode
  return {
    outcome: {
      ok: false,
      event: failed.lifecycleEventName ?? '',
      message,
      ...(code && code !== 'UnknownError' ? { errorCode: code } : {})
    },
    instance
  }
}

describe("the bed's emulated agent does what the real agent does", () => {
  const b = bed()
  const cd = codedeploy(b)
  const s3c = s3(b)
  let results = new Map<string, Deployed | Error>()
  let work = ''

  beforeAll(async () => {
    work = agentWorkDir()
    const groups = CASES.map(
      (_c, i) =>
        `      - { name: ${group(i)}, instances: 1, isolation: namespace, deploymentConfig: CodeDeployDefault.AllAtOnce }`
    )
    await addFleet(b, `applications:\n  - name: ${APP}\n    groups:\n${groups.join('\n')}\n`)

    const runCase = async (c: AgentCase, i: number): Promise<Deployed> => {
      const slug = c.id.replace(/\W+/g, '-')
      const dir = path.join(work, slug)
      const dest = `/srv/conformance/${slug}`
      const form = c.form ?? 'tgz'
      const bundleFile = (tree: AgentCase['tree'], name: string): string => {
        const src = path.join(dir, name)
        mkdirSync(src, { recursive: true })
        materialize(tree, src, dest)
        const file = path.join(dir, `${name}.${form}`)
        archive(tree, src, form, file)
        return file
      }
      const groupName = group(i)
      const groupId = (
        await cd.send(
          new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: groupName })
        )
      ).deploymentGroupInfo!.deploymentGroupId!
      const first = c.sameGroupFirst ?? c.otherGroupFirst
      if (first) {
        const before = await deploy(
          b,
          cd,
          s3c,
          groupName,
          bundleFile(first, 'first'),
          form,
          `${APP}/${slug}/first.${form}`
        )
        if (c.otherGroupFirst) {
          // The bed has no instance in two groups: forgetting this group's record of the install
          // leaves its files as another group's deployment would, unknown to this group.
          const { instance } = await outcomeOf(cd, before.id, groupId, dest)
          const instructions = `${AGENT_ROOT}/deployment-instructions/${groupId}`
          await onInstance(
            instance,
            `rm -f ${instructions}-cleanup ${instructions}_last_successful_install`
          )
        }
      }
      const { id } = await deploy(
        b,
        cd,
        s3c,
        groupName,
        bundleFile(c.tree, 'bundle'),
        form,
        `${APP}/${slug}/bundle.${form}`
      )
      return { outcome: (await outcomeOf(cd, id, groupId, dest)).outcome, groupId }
    }

    // Eight at a time: a case mostly waits (Created, the poll, its hooks), each on its own group.
    results = await runAll(CASES, 8, runCase)
  }, 900_000)

  afterAll(async () => {
    await killLeftBehind(deployments)
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const result = results.get(id)
    if (result instanceof Error) throw result
    expect(result?.outcome).toEqual(expected(c))
  })
})
