// action.yml is the public interface: it must list exactly the contract's names, and its
// defaults must be what the code does when an input is absent (a direct `node dist/index.js`).
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { Input, Output } from '../src/settings/constants.js'
import { getSettings } from '../src/settings/inputs.js'

interface ActionYml {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string; post: string }
}
const action = parse(readFileSync('action.yml', 'utf8')) as ActionYml

const ENV = {
  GITHUB_WORKSPACE: '/w',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_RUN_ID: '1',
  GITHUB_SHA: 'abcdef0123456789',
  GITHUB_REF_NAME: 'main',
  GITHUB_REPOSITORY: 'o/r'
}
const REQUIRED = { application: 'app', 'deployment-group': 'g', bucket: 'my-bucket' }

describe('action.yml', () => {
  it('declares every input and output of the contract, and nothing else', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort())
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort())
    for (const i of Object.values(action.inputs)) expect(i.description.length).toBeGreaterThan(10)
    for (const o of Object.values(action.outputs)) expect(o.description.length).toBeGreaterThan(10)
  })

  it('is ready for the Marketplace and runs on node24 with a post step', () => {
    expect(action.name.length).toBeGreaterThan(0)
    expect(action.description.length).toBeLessThan(125)
    expect(action.branding.icon).toBeTruthy()
    expect([
      'white',
      'black',
      'yellow',
      'blue',
      'green',
      'orange',
      'red',
      'purple',
      'gray-dark'
    ]).toContain(action.branding.color)
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' })
  })

  // An expression default is the runner's to evaluate: without the runner there is no token.
  const isExpression = (d?: string): boolean => /^\$\{\{.*\}\}$/.test(d ?? '')

  it('the only expression default is github-token, the job token', () => {
    const expressions = Object.entries(action.inputs).filter(([, i]) => isExpression(i.default))
    expect(expressions).toEqual([
      [Input.GithubToken, expect.objectContaining({ default: '${{ github.token }}' })]
    ])
  })

  it.each(
    Object.entries(action.inputs).filter(
      ([, i]) => i.default !== undefined && i.default !== '' && !isExpression(i.default)
    )
  )('default of %s is what the code does without it', (name, input) => {
    const without = getSettings((n) => (REQUIRED as Record<string, string>)[n] ?? '', ENV)
    const withDefault = getSettings(
      (n) =>
        n === name ? (input.default as string) : ((REQUIRED as Record<string, string>)[n] ?? ''),
      ENV
    )
    expect(withDefault).toEqual(without)
  })
})
