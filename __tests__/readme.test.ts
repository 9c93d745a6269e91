// The README's inputs and outputs tables are generated from action.yml, its troubleshooting table
// from the advice catalogue (npm run readme).
import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { troubleshootingTable } from '../src/advice/catalogue.js'
import { withTables } from '../scripts/readme-tables.js'

it('README tables match action.yml and the advice catalogue (run `npm run readme` to update them)', () => {
  const readme = readFileSync('README.md', 'utf8')
  expect(readme).toContain('| `deployment-group` | **required** |')
  expect(readme).toContain('<!-- troubleshooting:start -->')
  expect(withTables(readme, readFileSync('action.yml', 'utf8'), troubleshootingTable())).toBe(
    readme
  )
})
