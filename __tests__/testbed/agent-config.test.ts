// The fleet's `agent` setting (emulated, real, auto), read through PUT /fleet and GET /instances
// as every bed test reads the bed, and the start that must fail when `agent: real` has no agent.
import { beforeAll, describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { writeFileSync } from 'node:fs'
import { REPO } from '../e2e/harness.js'
import { addFleet, adminAnswer, bed, type Bed, instances, unique } from '../support/bed.js'
import { run } from '../support/commands.js'
import { suiteTempDir } from '../temp-dir.js'

let b: Bed
// The runner the bed resolved at start (bed.sh exports it to the command it runs), or ''.
const runner = process.env.TESTBED_AGENT_RUNNER ?? ''
const NO_AGENT = 'agent: real needs the real CodeDeploy agent: set CODEDEPLOY_LOCAL_RUNNER'

beforeAll(() => {
  b = bed()
})

/** PUT /fleet's status and body for one application with one group of these settings. */
async function putGroup(app: string, settings: string): Promise<{ status: number; body: string }> {
  const { status, text } = await adminAnswer(
    b,
    'PUT',
    '/fleet',
    `applications:\n  - name: ${app}\n    groups:\n      - { name: g, instances: 1${settings} }\n`
  )
  return { status, body: text }
}

async function agentsOf(app: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const i of await instances(b, app)) (out[i.group] ??= []).push(i.agent)
  return out
}

describe('the agent setting', () => {
  it('is emulated by default and when asked; auto is real exactly when the bed has the runner', async () => {
    const app = unique('bed-agent')
    await addFleet(
      b,
      `applications:
  - name: ${app}
    groups:
      - { name: plain, instances: 2 }
      - { name: emulated, instances: 1, agent: emulated }
      - { name: auto, instances: 2, agent: auto }
`
    )
    expect(await agentsOf(app)).toEqual({
      plain: ['emulated', 'emulated'],
      emulated: ['emulated'],
      auto: runner ? ['real', 'real'] : ['emulated', 'emulated']
    })
  })

  it('takes real only with the runner, and says what is missing otherwise', async () => {
    const app = unique('bed-agent-real')
    const r = await putGroup(app, ', agent: real')
    if (runner) {
      expect(r.status).toBe(200)
      expect(await agentsOf(app)).toEqual({ g: ['real'] })
    } else {
      expect(r.status).toBe(400)
      expect(r.body).toContain(`applications[0].groups[0].agent: ${NO_AGENT}`)
    }
  })

  it('rejects an unknown value and the real agent on shared instances', async () => {
    const bogus = await putGroup(unique('bed-agent-bogus'), ', agent: docker')
    expect(bogus.status).toBe(400)
    expect(JSON.parse(bogus.body)).toEqual({
      error:
        'fleet config: applications[0].groups[0].agent: must be emulated, real, auto or stopped'
    })
    const shared = await putGroup(unique('bed-agent-shared'), ', isolation: shared, agent: auto')
    expect(shared.status).toBe(400)
    expect(JSON.parse(shared.body)).toEqual({
      error:
        'fleet config: applications[0].groups[0].agent: agent: auto needs isolation: namespace (the agent keeps its state in /opt)'
    })
  })
})

describe('starting a bed whose fleet requires the real agent', () => {
  // Another bed's start, stripped of this bed's settings (ports, state folder, runner).
  function startEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith('TESTBED_') && !k.startsWith('AWS_')
      )
    )
    return { ...env, ...extra }
  }
  const config = path.join(suiteTempDir('bed-agent-'), 'fleet.yml')
  writeFileSync(
    config,
    'applications:\n  - name: a\n    groups:\n      - { name: g, instances: 1, agent: real }\n'
  )

  it('fails at once with one line naming what is missing when no runner is found', async () => {
    const t0 = Date.now()
    const r = await run(
      path.join(REPO, 'testbed/start'),
      [],
      startEnv({ TESTBED_CONFIG: config, CODEDEPLOY_LOCAL_RUNNER: '/nonexistent/codedeploy-local' })
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`testbed: error: ${NO_AGENT}`)
    ])
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('fails when TESTBED_AGENT_RUNNER names no executable', async () => {
    const r = await run(
      path.join(REPO, 'testbed/start'),
      [],
      startEnv({ TESTBED_CONFIG: config, TESTBED_AGENT_RUNNER: '/nonexistent/codedeploy-local' })
    )
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(
      'testbed: error: TESTBED_AGENT_RUNNER=/nonexistent/codedeploy-local is not an executable file'
    )
  })
})
