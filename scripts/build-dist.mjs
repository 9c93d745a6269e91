// Rebuilds dist/ from source with ncc. dist/ is wiped first so a chunk that the
// source no longer produces cannot linger and pass the dist check.
//
// undici is replaced by a stub (scripts/stubs/undici.js, copied into dist/): only
// @actions/core's OIDC client reaches it, which the action never calls, and parsing it at
// every start cost ~0.07 CPU-s. `debug` is replaced too (scripts/stubs/debug.js): the proxy
// agents' debug lines would print the proxy URL with its credentials. ncc's API maps a module
// to another path; its CLI cannot.
import ncc from '@vercel/ncc'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const OUT = 'dist'
const STUBS = { undici: 'undici-stub.js', debug: 'debug-stub.js' }

rmSync(OUT, { recursive: true, force: true })
const { code, assets } = await ncc(path.resolve('src/index.ts'), {
  externals: Object.fromEntries(Object.entries(STUBS).map(([m, file]) => [m, `./${file}`])),
  license: 'licenses.txt',
  target: 'es2023',
  sourceMap: false,
  quiet: true
})
mkdirSync(OUT, { recursive: true })
writeFileSync(path.join(OUT, 'index.js'), code)
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(path.dirname(path.join(OUT, name)), { recursive: true })
  writeFileSync(path.join(OUT, name), asset.source, { mode: asset.permissions })
}
for (const [module, file] of Object.entries(STUBS))
  copyFileSync(path.join('scripts', 'stubs', `${module}.js`), path.join(OUT, file))
