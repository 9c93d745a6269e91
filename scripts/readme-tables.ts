// Generates the README's inputs and outputs tables from action.yml, and its troubleshooting table
// from the advice catalogue (src/advice/), so they cannot drift. `npm run readme` rewrites them; a
// test fails when the README is out of date.
import { readFileSync, writeFileSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { parse } from 'yaml'

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const cell = (text: string): string => text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')

export function readmeTables(actionYml: string): { inputs: string; outputs: string } {
  const action = parse(actionYml) as ActionYml
  const inputs = [
    '| Input | Default | Description |',
    '|---|---|---|',
    ...Object.entries(action.inputs).map(([name, i]) => {
      const def = i.required ? '**required**' : i.default ? `\`${i.default}\`` : ''
      return `| \`${name}\` | ${def} | ${cell(i.description)} |`
    })
  ].join('\n')
  const outputs = [
    '| Output | Description |',
    '|---|---|',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`)
  ].join('\n')
  return { inputs, outputs }
}

/** The README with its generated sections replaced (`troubleshooting`: the catalogue's table). */
export function withTables(readme: string, actionYml: string, troubleshooting: string): string {
  const tables = { ...readmeTables(actionYml), troubleshooting }
  let out = readme
  for (const [name, table] of Object.entries(tables)) {
    const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`)
    if (!re.test(out))
      throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`)
    out = out.replace(re, `$1\n${table}\n$2`)
  }
  return out
}

if (process.argv[1]?.endsWith('readme-tables.ts')) {
  // src/ imports its siblings as `./x.js` (as the bundle and tsc want); Node runs the .ts file.
  registerHooks({
    resolve(specifier, context, next) {
      try {
        return next(specifier, context)
      } catch (err) {
        if (!specifier.endsWith('.js')) throw err
        return next(specifier.replace(/\.js$/, '.ts'), context)
      }
    }
  })
  const catalogue = '../src/advice/catalogue.ts'
  const { troubleshootingTable } = (await import(
    catalogue
  )) as typeof import('../src/advice/catalogue.js')
  const readme = readFileSync('README.md', 'utf8')
  writeFileSync(
    'README.md',
    withTables(readme, readFileSync('action.yml', 'utf8'), troubleshootingTable())
  )
}
