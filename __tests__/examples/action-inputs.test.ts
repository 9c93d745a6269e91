// The examples only use what exists: inputs and outputs of action.yml for steps running the action,
// the reusable workflow's inputs and secrets for its caller, the composite action's own inputs.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import {
  ACTIONS,
  REPO,
  WORKFLOWS,
  readYaml,
  stepsOf,
  usesThisAction,
  type Step
} from './workflow-files.js'

const actionYml = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean }>
  outputs: Record<string, unknown>
}
const INPUTS = Object.keys(actionYml.inputs)
const REQUIRED = INPUTS.filter((name) => actionYml.inputs[name]?.required)
const OUTPUTS = Object.keys(actionYml.outputs)
const FILES = [...WORKFLOWS, ...ACTIONS]

function actionSteps(file: string): Step[] {
  return stepsOf(readYaml(file)).filter(usesThisAction)
}

/** `steps.<id>.outputs.<name>` for the ids of steps that run the action. */
function outputReferences(file: string): string[] {
  const ids = actionSteps(file)
    .map((s) => s.id)
    .filter(Boolean)
  const text = readFileSync(path.join(REPO, file), 'utf8')
  return ids.flatMap((id) =>
    [...text.matchAll(new RegExp(`steps\\.${id}\\.outputs\\.([\\w-]+)`, 'g'))].map(
      (m) => m[1] as string
    )
  )
}

describe('examples use the action as action.yml defines it', () => {
  it('finds the action in the examples (the scan itself works)', () => {
    const using = FILES.filter((f) => actionSteps(f).length > 0)
    expect(using).toEqual(
      expect.arrayContaining([
        'examples/gradle.yml',
        'examples/reusable-deploy.yml',
        'examples/composite/action.yml',
        'examples/pull-request.yml',
        '.github/workflows/integration.yml'
      ])
    )
  })

  it.each(FILES)('%s passes only inputs that exist, and every required one', (file) => {
    for (const step of actionSteps(file)) {
      const given = Object.keys(step.with ?? {})
      expect(given.filter((name) => !INPUTS.includes(name))).toEqual([])
      expect(REQUIRED.filter((name) => !given.includes(name))).toEqual([])
      // bucket is required unless dry-run, or continue-deployment (which uploads nothing).
      if (String(step.with?.['dry-run']) !== 'true' && !step.with?.['continue-deployment'])
        expect(given).toContain('bucket')
    }
  })

  it.each(FILES)('%s reads only outputs that exist', (file) => {
    expect(outputReferences(file).filter((name) => !OUTPUTS.includes(name))).toEqual([])
  })

  it('refers to the action by one placeholder name everywhere', () => {
    const names = FILES.flatMap((f) =>
      [...readFileSync(path.join(REPO, f), 'utf8').matchAll(/uses: ([\w.-]+\/[\w.-]+)@/g)]
        .map((m) => m[1] as string)
        .filter((n) => n.includes('codedeploy'))
    )
    expect([...new Set(names)]).toEqual(['octo-org/codedeploy-s3-deploy-action'])
  })
})

describe('the composite action', () => {
  const composite = readYaml('examples/composite/action.yml') as {
    inputs: Record<string, unknown>
    outputs: Record<string, { value: string }>
  }
  const text = readFileSync(path.join(REPO, 'examples/composite/action.yml'), 'utf8')

  it('reads only inputs it declares', () => {
    const used = [...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1] as string)
    expect(used.length).toBeGreaterThan(0)
    expect(used.filter((name) => !(name in composite.inputs))).toEqual([])
  })

  it('maps its outputs to outputs of the action', () => {
    for (const { value } of Object.values(composite.outputs)) {
      expect(value).toMatch(/^\$\{\{ steps\.deploy\.outputs\.([\w-]+) \}\}$/)
      expect(OUTPUTS).toContain(/outputs\.([\w-]+)/.exec(value)?.[1])
    }
  })
})

describe('the reusable workflow and its caller', () => {
  const reusable = readYaml('examples/reusable-deploy.yml') as {
    on: {
      workflow_call: {
        inputs: Record<string, { required?: boolean }>
        secrets: Record<string, { required?: boolean }>
        outputs: Record<string, unknown>
      }
    }
  }
  const call = reusable.on.workflow_call
  const caller = readYaml('examples/call-reusable-deploy.yml') as {
    jobs: Record<
      string,
      { uses?: string; with?: Record<string, unknown>; secrets?: Record<string, unknown> }
    >
  }
  const job = Object.values(caller.jobs).find((j) => j.uses?.endsWith('/reusable-deploy.yml@v1'))

  it('is called with inputs and secrets it declares, required ones included', () => {
    expect(job).toBeDefined()
    const inputs = Object.keys(job?.with ?? {})
    const secrets = Object.keys(job?.secrets ?? {})
    expect(inputs.filter((name) => !(name in call.inputs))).toEqual([])
    expect(secrets.filter((name) => !(name in call.secrets))).toEqual([])
    const required = (spec: Record<string, { required?: boolean }>): string[] =>
      Object.keys(spec).filter((name) => spec[name]?.required)
    expect(required(call.inputs).filter((name) => !inputs.includes(name))).toEqual([])
    expect(required(call.secrets).filter((name) => !secrets.includes(name))).toEqual([])
  })

  it('reads only inputs and secrets it declares', () => {
    const text = readFileSync(path.join(REPO, 'examples/reusable-deploy.yml'), 'utf8')
    const inputs = [...text.matchAll(/inputs\.([\w-]+)/g)].map((m) => m[1] as string)
    const secrets = [...text.matchAll(/secrets\.([\w-]+)/g)].map((m) => m[1] as string)
    expect(inputs.filter((name) => !(name in call.inputs))).toEqual([])
    expect(secrets.filter((name) => !(name in call.secrets))).toEqual([])
  })

  it('gives the caller only outputs the reusable workflow declares', () => {
    const text = readFileSync(path.join(REPO, 'examples/call-reusable-deploy.yml'), 'utf8')
    const read = [...text.matchAll(/needs\.deploy\.outputs\.([\w-]+)/g)].map((m) => m[1] as string)
    expect(read.length).toBeGreaterThan(0)
    expect(read.filter((name) => !(name in call.outputs))).toEqual([])
  })
})
