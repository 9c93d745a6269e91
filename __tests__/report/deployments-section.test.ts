import { describe, expect, it } from '@jest/globals'
import { deploymentsMarkdown } from '../../src/report/deployments-section.js'
import { escapeText } from '../../src/report/escape.js'
import type { DeploymentsResult, GroupResult } from '../../src/deploy/types.js'
import { ActionError } from '../../src/common/errors.js'

const t0 = new Date('2026-01-01T10:00:00Z')
const at = (s: number) => new Date(t0.getTime() + s * 1000)

function group(over: Partial<GroupResult> = {}): GroupResult {
  return {
    group: 'blue',
    id: 'd-ABCDEFGHI',
    status: 'Succeeded',
    url: 'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=eu-west-1',
    startedAt: t0,
    endedAt: at(125),
    failedInstances: [],
    instances: [
      {
        instanceId: 'i-1',
        status: 'Succeeded',
        events: [
          { name: 'ApplicationStart', status: 'Succeeded', startedAt: at(60), endedAt: at(63) },
          { name: 'BeforeInstall', status: 'Succeeded', startedAt: at(10), endedAt: at(20) }
        ]
      }
    ],
    outcome: 'succeeded',
    ...over
  }
}

describe('deploymentsMarkdown', () => {
  it('shows each deployment with status, duration, console link and an instance × event table', () => {
    const md = deploymentsMarkdown({ ok: true, groups: [group()] })
    expect(md).toContain(
      '| blue | [d-ABCDEFGHI](https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=eu-west-1) | ✅ Succeeded | 2m 5s | 1 succeeded |'
    )
    // Columns in hook order whatever order the events came in.
    expect(md).toContain('| Instance | Status | BeforeInstall | ApplicationStart |')
    expect(md).toContain('| i-1 | ✅ Succeeded | ✅ 10s | ✅ 3s |')
  })

  it('shows failures with messages, escaped log tails, rollback, and groups not attempted', () => {
    const failed = group({
      status: 'Failed',
      outcome: 'failed',
      errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'failed' },
      error: new ActionError(
        "Deployment d-ABCDEFGHI to 'blue' failed: HOOK_EXECUTION_FAILURE.",
        'See the log above.'
      ),
      rollbackId: 'd-ROLLBACK1',
      rollbackUrl: 'https://x/d-ROLLBACK1',
      rollbackStatus: 'Succeeded',
      failedInstances: [
        {
          instanceId: 'i-1',
          lifecycleEvent: 'ValidateService',
          errorCode: 'ScriptFailed',
          script: 'check|<b>.sh',
          message: 'exit 1 | *bold* [link](http://evil)',
          logTail: '</pre><img src=x onerror=alert(1)>\n```\n| a | b |'
        }
      ]
    })
    const md = deploymentsMarkdown({
      ok: false,
      groups: [
        failed,
        {
          ...group({ group: 'green' }),
          id: '',
          url: '',
          status: '',
          outcome: 'not-attempted',
          instances: []
        }
      ]
    })
    expect(md).toContain('| green | — | not attempted |')
    expect(md).toContain("**Deployment d-ABCDEFGHI to 'blue' failed: HOOK\\_EXECUTION\\_FAILURE.**")
    expect(md).not.toContain('See the log above')
    expect(md).toContain('Rollback: [d-ROLLBACK1](https://x/d-ROLLBACK1) ✅ Succeeded')
    expect(md).toContain(
      '- ValidateService failed on instance (i-1): ScriptFailed in check\\|&lt;b&gt;.sh: exit 1 \\| \\*bold\\* \\[link\\](http://evil)'
    )
    expect(md).toContain(
      '<pre>&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;\n```\n| a | b |</pre>'
    )
    expect(md).not.toMatch(/<img|<b>/)
  })

  it('escapes everything that could become markup in one line', () => {
    expect(escapeText('a|b\n<i>*x*</i> `c` [d] ~e~ _f_ & \\')).toBe(
      'a\\|b &lt;i&gt;\\*x\\*&lt;/i&gt; \\`c\\` \\[d\\] \\~e\\~ \\_f\\_ &amp; \\\\'
    )
  })

  it('shrinks detail to fit the size budget', () => {
    const instances = Array.from({ length: 1000 }, (_, n) => ({
      instanceId: `i-${n}`,
      status: 'Failed',
      events: [{ name: 'ValidateService', status: 'Failed', startedAt: t0, endedAt: at(1) }]
    }))
    const failedInstances = instances.map((i) => ({
      instanceId: i.instanceId,
      lifecycleEvent: 'ValidateService',
      errorCode: 'ScriptFailed',
      script: 's.sh',
      message: `m${i.instanceId}`,
      logTail: 'x'.repeat(2048)
    }))
    const result: DeploymentsResult = {
      ok: false,
      groups: [group({ status: 'Failed', outcome: 'failed', instances, failedInstances })]
    }
    const full = deploymentsMarkdown(result, undefined, 10 ** 9)
    const small = deploymentsMarkdown(result, undefined, 20_000)
    expect(Buffer.byteLength(small)).toBeLessThan(Buffer.byteLength(full))
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(20_000)
    expect(small).toMatch(/- …and 9\d\d more distinct causes/)
    expect(small).toContain('| ValidateService | 0 | 1000 | 0 | 0 | 1s | 1s |')
  })
  it('lists silent agents with what to check, in order, for the region', () => {
    const md = deploymentsMarkdown({
      ok: false,
      region: 'eu-west-1',
      groups: [
        group({
          status: 'Stopped',
          outcome: 'stopped',
          silentAgents: [
            {
              instanceId: 'i-0abc<b>',
              label: 'Green',
              event: 'ApplicationStop',
              since: t0.getTime(),
              silentMs: 312_000
            }
          ]
        })
      ]
    })
    expect(md).toContain('##### Silent agents (1 instance)')
    expect(md).toContain('- i-0abc&lt;b&gt; (Green): ApplicationStop waited 5m 12s')
    expect(md).toContain('1. the agent runs: `sudo systemctl status codedeploy-agent`')
    expect(md).toContain('3. these instances were just launched: `/var/log/cloud-init-output.log`')
    expect(md).toContain('com.amazonaws.eu-west-1.codedeploy-commands-secure')
    expect(md).toContain('5. the instance profile')
  })

  it('explains CodeDeploy own failure of a silent agent even when the action did not see it', () => {
    const md = deploymentsMarkdown({
      ok: false,
      groups: [
        group({
          status: 'Failed',
          outcome: 'failed',
          failedInstances: [
            {
              instanceId: 'i-1',
              lifecycleEvent: 'ApplicationStop',
              errorCode: 'UnknownError',
              script: '',
              message:
                'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.',
              logTail: ''
            }
          ]
        })
      ]
    })
    expect(md).toContain('##### No agent answered')
    expect(md).toContain(
      'CodeDeploy failed 1 instance because no CodeDeploy agent picked up the lifecycle event.'
    )
    expect(md).toContain('on an instance launched recently')
    expect(md).toContain('com.amazonaws.&lt;region&gt;.codedeploy')
  })
})

describe('advice in the summary', () => {
  const fileExists = {
    rule: 'file-exists',
    cause: '/opt/app/x.jar was already on the instance, and file-exists-behavior is DISALLOW.',
    fix: 'Set file-exists-behavior: OVERWRITE (or RETAIN), or remove /opt/app/x.jar in a BeforeInstall script.'
  }
  const failedInstance = {
    instanceId: 'i-1',
    lifecycleEvent: 'Install',
    errorCode: 'UnknownError',
    script: '',
    message:
      'The deployment failed because a specified file already exists at this location: /opt/app/x.jar',
    logTail: '',
    advice: fileExists
  }

  it('each cause with a rule gets its Why and How to fix; the deployment its How to fix', () => {
    const md = deploymentsMarkdown({
      ok: false,
      groups: [
        group({
          status: 'Failed',
          outcome: 'failed',
          failedInstances: [failedInstance],
          error: new ActionError('Deployment d-1 failed.', 'Fix: …'),
          advice: fileExists
        })
      ]
    })
    expect(md).toContain(
      `  - Why: ${escapeText(fileExists.cause)}\n  - How to fix: ${escapeText(fileExists.fix)}`
    )
    expect(md).toContain(`**How to fix:** ${escapeText(fileExists.fix)}`)
  })

  it('a deployment error explained without an ActionError (it succeeded with failures) says why', () => {
    const md = deploymentsMarkdown({
      ok: true,
      groups: [
        group({
          status: 'Failed',
          outcome: 'failed',
          errorInformation: { code: 'NO_INSTANCES', message: 'no instances' },
          advice: { rule: 'NO_INSTANCES', cause: 'Matched nothing.', fix: 'Check the tags.' }
        })
      ]
    })
    expect(md).toContain('Why: Matched nothing.')
    expect(md).toContain('**How to fix:** Check the tags.')
  })

  it('no advice, no How to fix', () => {
    const md = deploymentsMarkdown({
      ok: false,
      groups: [
        group({
          status: 'Failed',
          outcome: 'failed',
          failedInstances: [{ ...failedInstance, advice: undefined }]
        })
      ]
    })
    expect(md).not.toContain('How to fix')
    expect(md).not.toContain('Why:')
  })
})
