// The appspec check against the real agent's recorded outcomes, in-process: a refusal only where
// the agent fails on the bundle, quoting its words; advice as warnings. Needs no agent and no bed.
import { describe, expect, test } from '@jest/globals'
import { validateBundle } from '../../src/appspec/validate.js'
import { bundleOf, type FixtureTree } from '../appspec/bundle-fixture.js'
import { CASES } from './cases.js'
import { judge } from './verdict.js'

const DEST = '/srv/conformance/app'

/** The case's tree as the action sees it: `{dest}` filled in, `./` prefixes gone (as tar lists them). */
function actionTree(tree: FixtureTree): FixtureTree {
  return Object.fromEntries(
    Object.entries(tree).map(([p, v]) => [
      p.replace(/^\.\//, ''),
      typeof v === 'string' ? v.replaceAll('{dest}', DEST) : v
    ])
  )
}

describe('appspec check conforms to the CodeDeploy agent', () => {
  test('at least 80 cases, every id unique', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80)
    expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length)
  })

  test.each(CASES.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const report = await validateBundle(bundleOf(actionTree(c.tree)), {
      origin: c.prebuilt ? 'archive' : 'built'
    })
    const text = (severity: string) =>
      report.findings.filter((f) => f.severity === severity).map((f) => `${f.message} ${f.fix}`)
    expect(judge(c, { errors: text('error'), warnings: text('warning') }, DEST)).toEqual([])
  })
})
