// Every recorded outcome in cases.ts checked against the real CodeDeploy agent (1.8.1, local
// mode): the failing event, the agent's message and error code. Skips, saying so once, where the
// agent is not installed (a user's clone); CI installs it (.ci/run).
//
// A folder case the agent deploys goes to it as the action's bundle stage writes it (in process:
// dist/ is that code built), so the same run checks the record and the action's archive writer.
// The other cases go as `tar`/`zip` make them: a pre-built archive is uploaded as it is, and the
// action refuses a bundle the agent fails on before writing it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { MemoryLogger } from '../../src/common/log.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { prepareBundle } from '../../src/stages/bundle.js'
import { CASES, type AgentCase } from './cases.js'
import {
  agentRunner,
  agentWorkDir,
  closeAgentServers,
  killLeftBehind,
  localDeploymentIds,
  NO_AGENT_LINE,
  runAll,
  runCase,
  type AgentRun,
  type ArchiveWriter
} from './real-agent.js'

/** The archive the action's bundle stage writes of the folder `src`. */
const actionWriter: ArchiveWriter = async (src, form, dir) => {
  const tempDir = path.join(dir, 'temp')
  mkdirSync(tempDir)
  const bundle = { kind: 'build' as const, sourceDir: src, rules: parseFileRules(''), type: form }
  const facts = await prepareBundle({ workspace: dir, tempDir, bundle }, new MemoryLogger())
  return facts.path
}

/** Whether the case's bundle goes to the agent as the action writes it. */
const writtenByAction = (c: AgentCase): boolean => !c.prebuilt && c.agent.ok

const runner = agentRunner()
// Straight to stderr: jest shows no console output of a suite whose tests are all skipped.
if (!runner) process.stderr.write(`${NO_AGENT_LINE}\n`)
const maybe = runner ? describe : describe.skip

maybe('the real CodeDeploy agent does what cases.ts records', () => {
  let runs = new Map<string, AgentRun | Error>()
  let work = ''

  beforeAll(async () => {
    work = agentWorkDir()
    // Three agents at a time: each is a Ruby process that mostly waits on tar and its hooks.
    runs = await runAll(CASES, 3, (c) =>
      runCase(c, work, runner as string, writtenByAction(c) ? actionWriter : undefined)
    )
  }, 600_000)

  afterAll(async () => {
    await closeAgentServers()
    if (work) {
      await killLeftBehind(localDeploymentIds(work))
      rmSync(work, { recursive: true, force: true })
    }
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const run = runs.get(id)
    if (run instanceof Error) throw run
    // Which archive the agent had, so that a difference points at the record or the writer.
    const archive = writtenByAction(c) ? "the action's" : 'tar/zip'
    expect({ archive, outcome: run?.outcome }).toEqual({ archive, outcome: c.agent })
  })
})
