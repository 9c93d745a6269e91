// The README's inputs and outputs tables are generated from action.yml (npm run readme).
import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { withTables } from '../scripts/readme-tables.js'

it('README tables match action.yml (run `npm run readme` to update them)', () => {
  const readme = readFileSync('README.md', 'utf8')
  expect(readme).toContain('| `deployment-group` | **required** |')
  expect(withTables(readme, readFileSync('action.yml', 'utf8'))).toBe(readme)
})
