import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import prettier from 'eslint-config-prettier'

// The floor plan (README, Development): which rooms of src/ may import which. The libraries
// (common, appspec, bundle) import nothing above them; nothing imports the pipeline or the edges;
// the test bed is an independent imitation of AWS and never imports the action's code.
const room = (files, allowed, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^\\.\\./(?!(${allowed.join('|')})/)`, message }] }
    ]
  }
})
const ABOVE_STAGES = ['(pipeline|main|post|index|runner-log|cancel)\\.js$']
// `(\.\./)+`: the deploy rooms sit one folder deeper than the rest of src/.
const abovePattern = (forbidden, message) => ({
  regex: `^(\\.\\./)+(${forbidden.join('|')})`,
  message
})
const topLevel = (files, forbidden, message) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns: [abovePattern(forbidden, message)] }] }
})
const BELOW_STAGES = ['stages/', 'report/', 'facts', ...ABOVE_STAGES]
const BELOW_STAGES_MESSAGE =
  'aws/ and deploy/ are below the stages and the report: they must not import them.'
// Inside src/deploy/: the files every room shares (context, types, plan) and the rooms. A room
// imports the shared files and the rooms it names, never the deploy phase (run-deployments.ts).
// A later config replaces the rule's options rather than adding to them, so each deploy config
// repeats the ban on the layers above.
const DEPLOY_SHARED = ['context', 'types', 'plan']
const deployRoom = (roomName, mayImport, message) => ({
  files: [`src/deploy/${roomName}/**`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          abovePattern(BELOW_STAGES, BELOW_STAGES_MESSAGE),
          {
            regex: `^\\.\\./(?!\\.\\./|(${DEPLOY_SHARED.join('|')})\\.js$${mayImport.map((r) => `|${r}/`).join('')})`,
            message
          }
        ]
      }
    ]
  }
})

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', 'coverage/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        AbortSignal: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-console': 'off'
    }
  },
  room(
    ['src/common/**'],
    ['(?!)'],
    'src/common/ is the foundation: it imports nothing else from src/.'
  ),
  room(
    ['src/appspec/**', 'src/bundle/**'],
    ['common'],
    'appspec/ and bundle/ are libraries: they import only src/common/ (the stages combine them).'
  ),
  room(
    ['src/network/**'],
    ['common'],
    'network/ is how the action reaches AWS and GitHub (proxy, CAs): it imports only src/common/.'
  ),
  room(
    ['src/advice/**'],
    ['common'],
    'advice/ is the catalogue of causes and fixes: pure, it imports only src/common/ (the deploy phase gathers its evidence).'
  ),
  room(
    ['src/settings/**'],
    ['common', 'bundle'],
    'settings/ builds the typed settings: it imports only common/ and bundle/ (file rules, types).'
  ),
  {
    // The revisions (provenance, order of commits, retention) read the settings' types and the key
    // template; the deploy phase is reached only through the callbacks the pipeline hands over.
    files: ['src/revisions/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!(common|aws|settings|network)/)',
              message:
                'revisions/ (provenance, order, keep-revisions) imports only common/, aws/, settings/ and network/: the pipeline hands it the rest.'
            }
          ]
        }
      ]
    }
  },
  topLevel(['src/aws/**', 'src/deploy/**'], BELOW_STAGES, BELOW_STAGES_MESSAGE),
  {
    files: DEPLOY_SHARED.map((f) => `src/deploy/${f}.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            abovePattern(BELOW_STAGES, BELOW_STAGES_MESSAGE),
            {
              regex: '^\\./[^/]+/',
              message: "deploy/'s shared files (context, types, plan) import none of its rooms."
            }
          ]
        }
      ]
    }
  },
  deployRoom(
    'codedeploy',
    [],
    'deploy/codedeploy/ is the CodeDeploy calls: it imports no other deploy room (they build on it).'
  ),
  deployRoom(
    'traffic',
    [],
    'deploy/traffic/ reads the load balancer: it imports no other deploy room.'
  ),
  deployRoom(
    'silent-agent',
    [],
    'deploy/silent-agent/ watches the agents: it imports no other deploy room.'
  ),
  deployRoom(
    'replacement-fleet',
    ['codedeploy', 'traffic'],
    'deploy/replacement-fleet/ imports only the CodeDeploy calls and the traffic rooms.'
  ),
  deployRoom(
    'run',
    ['codedeploy', 'traffic', 'replacement-fleet', 'silent-agent'],
    'deploy/run/ combines the rooms; it must not import the deploy phase above it.'
  ),
  topLevel(
    ['src/report/**'],
    ['stages/', ...ABOVE_STAGES],
    'report/ reads facts: it must not import the stages or the pipeline.'
  ),
  topLevel(
    ['src/stages/**'],
    ABOVE_STAGES,
    'A stage must not import the pipeline or the runner edges.'
  ),
  {
    files: ['testbed/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)src/',
              message:
                "The test bed imitates AWS independently: it never imports the action's src/."
            }
          ]
        }
      ]
    }
  }
)
