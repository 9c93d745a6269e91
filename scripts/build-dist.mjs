// Rebuilds dist/ from source with ncc. dist/ is wiped first so a chunk that the
// source no longer produces cannot linger and pass the dist check.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'

rmSync('dist', { recursive: true, force: true })
execFileSync(
  'ncc',
  [
    'build',
    'src/index.ts',
    '--out',
    'dist',
    '--license',
    'licenses.txt',
    '--target',
    'es2023',
    '--quiet'
  ],
  { stdio: 'inherit' }
)
