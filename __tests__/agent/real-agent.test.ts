// Every recorded outcome in cases.ts checked against the real CodeDeploy agent (1.8.1, local
// mode): the failing event, the agent's message and error code. Skips, saying so once, where the
// agent is not installed (a user's clone); CI installs it (.ci/run).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import { CASES } from './cases.js'
import {
  agentRunner,
  agentWorkDir,
  closeAgentServers,
  NO_AGENT_LINE,
  runAll,
  runCase,
  type AgentRun
} from './real-agent.js'

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
    runs = await runAll(CASES, 3, (c) => runCase(c, work, runner as string))
  }, 600_000)

  afterAll(async () => {
    await closeAgentServers()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const run = runs.get(id)
    if (run instanceof Error) throw run
    expect(run?.outcome).toEqual(c.agent)
  })
})
