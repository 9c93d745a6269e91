import { describe, expect, it } from '@jest/globals'
import { firstLine } from '../src/first-line.js'

const PREFIX = 'codedeploy-s3-deploy-action 0.1.0:'

describe('firstLine', () => {
  it.each([
    [
      'one group',
      { INPUT_APPLICATION: ' my-app ', 'INPUT_DEPLOYMENT-GROUP': 'staging\n' },
      `${PREFIX} deploying my-app to staging`
    ],
    [
      'several groups, comments and blank lines left out',
      {
        INPUT_APPLICATION: 'my-app',
        'INPUT_DEPLOYMENT-GROUP': 'staging\r\n# later\n\n  production '
      },
      `${PREFIX} deploying my-app to staging, production`
    ],
    [
      'a dry run, any case',
      { INPUT_APPLICATION: 'my-app', 'INPUT_DEPLOYMENT-GROUP': 'staging', 'INPUT_DRY-RUN': 'True' },
      `${PREFIX} dry run for my-app to staging`
    ],
    [
      'missing inputs (the settings report them next)',
      {},
      `${PREFIX} deploying (no application) to (no deployment group)`
    ]
  ])('%s', (_name, env, line) => {
    expect(firstLine(env)).toBe(line)
  })

  it('says nothing in the post step', () => {
    expect(firstLine({ INPUT_APPLICATION: 'my-app', 'STATE_is-post': 'true' })).toBeUndefined()
  })
})
