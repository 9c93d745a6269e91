// The workflow and action files the examples tests read: the examples, and this repository's own.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'

export const REPO = path.resolve(import.meta.dirname, '..', '..')

function yamlIn(dir: string): string[] {
  return readdirSync(path.join(REPO, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.posix.join(dir, f))
}

/** Workflows, repository-relative. */
export const WORKFLOWS = [...yamlIn('examples'), ...yamlIn('.github/workflows')]
/** Action metadata files other than the root action.yml. */
export const ACTIONS = ['examples/composite/action.yml']

export function readYaml(file: string): Record<string, unknown> {
  return parse(readFileSync(path.join(REPO, file), 'utf8')) as Record<string, unknown>
}

export interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
  if?: unknown
}

/** Every step of a workflow's jobs, or of a composite action. */
export function stepsOf(doc: Record<string, unknown>): Step[] {
  const runs = doc.runs as { steps?: Step[] } | undefined
  if (runs?.steps) return runs.steps
  const jobs = (doc.jobs ?? {}) as Record<string, { steps?: Step[] }>
  return Object.values(jobs).flatMap((j) => j.steps ?? [])
}

/** A step that runs this action: the published name, or `./` from this repository. */
export function usesThisAction(step: Step): boolean {
  return step.uses === './' || /^octo-org\/codedeploy-s3-deploy-action@v\d+$/.test(step.uses ?? '')
}
