import { describe, expect, it } from '@jest/globals'
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy'
import {
  distinctCauses,
  failedInstancesOf,
  quoteLogTail,
  reportFailure
} from '../../../src/deploy/run/diagnose.js'
import type { FailedInstance } from '../../../src/deploy/types.js'
import { MemoryLogger } from '../../../src/common/log.js'

const failed = (id: string, over: Partial<FailedInstance> = {}): FailedInstance => ({
  instanceId: id,
  lifecycleEvent: 'AfterInstall',
  errorCode: 'ScriptFailed',
  script: 'scripts/migrate.sh',
  message: 'Script at specified location: scripts/migrate.sh failed with exit code 1',
  logTail: `migrating on ${id}\nERROR: relation exists`,
  ...over
})
const info: DeploymentInfo = {
  status: 'Failed',
  errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'one or more instances failed' }
}

describe('failedInstancesOf', () => {
  it('takes the failing event and its diagnostics, and skips healthy instances', () => {
    expect(
      failedInstancesOf([
        {
          instanceId: 'i-1',
          status: 'Succeeded',
          events: [{ name: 'AfterInstall', status: 'Succeeded' }]
        },
        {
          instanceId: 'i-2',
          status: 'Failed',
          events: [
            { name: 'BeforeInstall', status: 'Succeeded' },
            {
              name: 'AfterInstall',
              status: 'Failed',
              errorCode: 'ScriptTimedOut',
              script: 'a.sh',
              message: 'failed to complete in 2 seconds',
              logTail: 'sleep'
            },
            { name: 'ApplicationStart', status: 'Skipped' }
          ]
        },
        { instanceId: 'i-3', status: 'Failed', events: [] }
      ])
    ).toEqual([
      {
        instanceId: 'i-2',
        lifecycleEvent: 'AfterInstall',
        errorCode: 'ScriptTimedOut',
        script: 'a.sh',
        message: 'failed to complete in 2 seconds',
        logTail: 'sleep'
      },
      { instanceId: 'i-3', lifecycleEvent: '', errorCode: '', script: '', message: '', logTail: '' }
    ])
  })
})

describe('distinctCauses', () => {
  it('groups by event, code, script and message; ignores the log tail; most frequent first', () => {
    const causes = distinctCauses([
      failed('i-1'),
      failed('i-2', { script: 'other.sh' }),
      failed('i-3'),
      failed('i-4')
    ])
    expect(causes.map((c) => [c.script, c.instanceIds])).toEqual([
      ['scripts/migrate.sh', ['i-1', 'i-3', 'i-4']],
      ['other.sh', ['i-2']]
    ])
  })
})

describe('quoteLogTail', () => {
  it('prefixes every line so script output cannot issue workflow commands', () => {
    expect(quoteLogTail('ok\r\n::add-mask::x\n  ::set-output name=a::b\n')).toBe(
      '| ok\n| ::add-mask::x\n|   ::set-output name=a::b'
    )
  })
})

describe('reportFailure', () => {
  it('logs a group per instance and one annotation per distinct cause', () => {
    const log = new MemoryLogger()
    reportFailure(
      log,
      'd-1',
      info,
      [
        failed('i-1'),
        failed('i-2'),
        failed('i-3', { lifecycleEvent: 'ApplicationStart', message: 'line one\n::error::two' })
      ],
      'https://console/d-1'
    )
    expect(log.lines.filter((l) => l.level === 'group').map((l) => l.message)).toEqual([
      'i-1: AfterInstall (ScriptFailed)',
      'i-2: AfterInstall (ScriptFailed)',
      'i-3: ApplicationStart (ScriptFailed)'
    ])
    expect(log.text()).toContain('Message: line one ::error::two')
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        message:
          'AfterInstall failed on 2 instances (i-1, i-2): ScriptFailed in scripts/migrate.sh: Script at specified location: scripts/migrate.sh failed with exit code 1',
        props: { title: 'CodeDeploy deployment d-1 failed' }
      },
      {
        level: 'error',
        message:
          'ApplicationStart failed on instance (i-3): ScriptFailed in scripts/migrate.sh: line one\n::error::two',
        props: { title: 'CodeDeploy deployment d-1 failed' }
      }
    ])
    expect(log.text()).toContain('Console: https://console/d-1')
  })

  it('stays within GitHub annotation limits when causes are many', () => {
    const log = new MemoryLogger()
    const many = Array.from({ length: 50 }, (_, n) =>
      failed(`i-${n}`, { message: `error ${n % 12}` })
    )
    reportFailure(log, 'd-1', info, many, 'u')
    const errors = log.lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(9)
    expect(errors[8]!.message).toMatch(/^4 more distinct causes on \d+ instances/)
    expect(log.lines.filter((l) => l.level === 'group')).toHaveLength(30)
  })

  it("annotates CodeDeploy's own error when no instance failed (e.g. no instances matched)", () => {
    const log = new MemoryLogger()
    reportFailure(
      log,
      'd-1',
      {
        status: 'Failed',
        errorInformation: { code: 'NO_INSTANCES', message: 'no instances found' }
      },
      [],
      'u'
    )
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'NO_INSTANCES: no instances found'
    ])
  })
})
