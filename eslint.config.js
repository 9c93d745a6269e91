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
const topLevel = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: [{ regex: `^\\.\\./(${forbidden.join('|')})`, message }] }
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
    ['src/settings/**'],
    ['common', 'bundle'],
    'settings/ builds the typed settings: it imports only common/ and bundle/ (file rules, types).'
  ),
  topLevel(
    ['src/aws/**', 'src/deploy/**'],
    ['stages/', 'report/', 'facts', ...ABOVE_STAGES],
    'aws/ and deploy/ are below the stages and the report: they must not import them.'
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
