import { describe, expect, it } from '@jest/globals'
import { MemoryLogger } from '../../../src/common/log.js'
import { deployToGroups } from '../../../src/deploy/run-deployments.js'
import { deploymentsMarkdown } from '../../../src/report/deployments-section.js'
import {
  FakeClock,
  FakeCodeDeploy,
  REVISION,
  testSettings,
  type InstancePlan
} from '../fake-codedeploy.js'

// A 1,000-instance fleet where every tenth instance fails ValidateService with a 2 KB log tail.
function fleet(): InstancePlan[] {
  return Array.from({ length: 1000 }, (_, n) => {
    const id = `i-${String(n).padStart(17, '0')}`
    if (n % 10 !== 3) return { id, eventMs: 30_000 }
    return {
      id,
      eventMs: 30_000,
      failAt: {
        event: 'ValidateService',
        errorCode: 'ScriptFailed',
        script: 'scripts/validate.sh',
        message: 'Script at specified location: scripts/validate.sh failed with exit code 1',
        logTail: `[stderr]health check failed on ${id} | <script>alert(1)</script>\n`.padEnd(
          2048,
          'x'
        )
      }
    }
  })
}

describe('1,000 instances with 10% failures', () => {
  it('bounds the API calls, keeps the log readable and the summary under 1 MiB', async () => {
    const clock = new FakeClock()
    const cd = new FakeCodeDeploy(clock)
    const log = new MemoryLogger()
    cd.nextPlans = [{ instances: fleet() }]
    const result = await deployToGroups({
      settings: testSettings(),
      revision: REVISION,
      region: 'eu-west-1',
      codedeploy: cd.client,
      log,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5
    })
    const [g] = result.groups
    expect(g!.outcome).toBe('failed')
    expect(g!.failedInstances).toHaveLength(100)
    expect(g!.instances).toHaveLength(1000)

    // 3.5 minutes of deployment. GetDeployment at most one a second; instance details in bulk
    // (40 batches of 25) only every minute or so, plus once at the end.
    const minutes = clock.elapsed() / 60_000
    expect(minutes).toBeLessThan(4)
    expect(cd.count('GetDeployment')).toBeLessThan(150)
    const batches = cd.count('BatchGetDeploymentTargets')
    expect(batches % 40).toBe(0)
    expect(batches / 40).toBeLessThanOrEqual(6)
    expect(cd.count('ListDeploymentTargets')).toBeLessThanOrEqual(3 * 10)
    expect(cd.calls.length).toBeLessThan(450)

    // Aggregated progress lines, never one per instance.
    const lines = log.lines.map((l) => l.message)
    expect(lines.some((l) => /lifecycle events: .*: 1000 instances/.test(l))).toBe(true)
    expect(lines.filter((l) => /^d-\S+ i-/.test(l))).toEqual([])
    // One annotation for the one cause, naming the count; at most 30 instance groups.
    const errors = log.lines.filter((l) => l.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(
      /^ValidateService failed on 100 instances \(i-0+3, .* and 95 more\): ScriptFailed in scripts\/validate.sh/
    )
    expect(log.lines.filter((l) => l.level === 'group')).toHaveLength(30)
    expect(log.text()).toContain('70 more failed instances are not shown one by one')

    const md = deploymentsMarkdown(result)
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(Buffer.byteLength(md)).toBeLessThan(200 * 1024)
    expect(md).not.toContain('<script>')
    expect(md).toContain('&lt;script&gt;')
    expect(md).toContain('_880 more instances not listed; every instance is counted below._')
    expect(md).toMatch(/\| ValidateService \| 900 \| 100 \| 0 \| 0 \| 30s \| 30s \|/)
  })
})
