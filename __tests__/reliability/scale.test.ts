// Scale against the bed: a 1,000-instance fleet where 10% fail, and two runs racing for one
// deployment group. (Big bundles, which need no bed, are in big-bundles.dist.test.ts.)
import { describe, expect, it } from '@jest/globals'
import { codedeploy, deployment, lastSeq, requests, settled } from '../support/bed.js'
import { json } from '../support/runs.js'
import { appWorkspace, b, deploy } from './rel.js'

describe('a 1,000-instance fleet with 10% failing', () => {
  it('reports the failures with bounded calls, a summary under 1 MiB and a readable log', async () => {
    // ValidateService fails on the instances whose id ends in hex digits that are 0 mod 10 (the
    // instance's files live under .../instances/<id>/ on the bed's shared fleet). One hook, run
    // by bash alone (no sed, cksum, cut): 1,000 of them share the machine's cores.
    const validate = `#!/bin/bash
id=\${PWD#*/instances/}
id=\${id%%/*}
if (( 16#\${id: -6} % 10 == 0 )); then
  echo "health check failed on $id" >&2
  exit 1
fi
echo "healthy $id"
`
    const appspec = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/rel-fleet
hooks:
  ValidateService:
    - location: scripts/validate.sh
      timeout: 60
`
    const APP = 'rel-fleet'
    const since = await lastSeq(b)
    const r = await deploy(
      APP,
      appWorkspace(APP, { validate, extra: { 'deploy/appspec.yml': appspec } }),
      { 'wait-timeout': '10' },
      { timeoutMs: 600_000 }
    )
    const calls = await requests(b, { application: APP, since })
    const failed = json<{ instanceId: string; lifecycleEvent: string }[]>(
      r.outputs['failed-instances']
    )
    const byOp: Record<string, number> = {}
    for (const c of calls) byOp[c.operation] = (byOp[c.operation] ?? 0) + 1
    console.log(
      `1,000 instances: ${r.durationMs} ms, ${failed.length} failed, ${calls.length} CodeDeploy calls ${JSON.stringify(byOp)}, summary ${r.summary.length} bytes, log ${r.stdout.split('\n').length} lines / ${r.stdout.length} bytes`
    )
    // AllAtOnce: CodeDeploy calls the deployment Succeeded when one instance succeeded. The step
    // agrees, and says loudly that a tenth of the fleet failed.
    const info = await deployment(b, r.outputs['deployment-id'] as string)
    expect(info.status).toBe('Succeeded')
    expect(r.code).toBe(0)
    expect(r.outputs['deployment-status']).toBe('Succeeded')
    expect(info.deploymentOverview?.Failed).toBe(failed.length)
    expect(r.stdout).toMatch(
      new RegExp(
        `::warning::.*succeeded, but ${failed.length} of 1000 instances failed.*ValidateService ScriptFailed`
      )
    )
    // About 10% (the hash decides exactly which).
    expect(failed.length).toBeGreaterThan(60)
    expect(failed.length).toBeLessThan(140)
    for (const f of failed) expect(f.lifecycleEvent).toBe('ValidateService')
    // Calls bounded: ListDeploymentTargets pages and one BatchGet per 25 targets per refresh.
    expect(calls.length).toBeLessThan(600)
    expect(r.summary.length).toBeLessThan(1024 * 1024)
    expect(r.stdout.length).toBeLessThan(2 * 1024 * 1024)
  }, 600_000)
})

describe('two runs racing for one group', () => {
  it('one deploys, the other queues behind it, both succeed, in order', async () => {
    const APP = 'rel-race'
    const slow = '#!/bin/bash\nsleep 3\n'
    const [a, c] = await Promise.all([
      deploy(APP, appWorkspace(APP, { start: slow })),
      deploy(APP, appWorkspace(APP, { start: slow }))
    ])
    for (const r of [a, c]) {
      expect(r.errors).toEqual([])
      expect(r.code).toBe(0)
      expect(r.outputs['deployment-status']).toBe('Succeeded')
    }
    const [first, second] = (
      await Promise.all(
        [a, c].map((r) => settled(codedeploy(b), r.outputs['deployment-id'] as string))
      )
    ).sort((x, y) => (x.createTime?.getTime() ?? 0) - (y.createTime?.getTime() ?? 0))
    expect(first!.deploymentId).not.toBe(second!.deploymentId)
    expect(first!.completeTime!.getTime()).toBeLessThanOrEqual(second!.createTime!.getTime())
    // The queued run said whom it waited for.
    const queued = [a, c].find((r) => r.outputs['deployment-id'] === second!.deploymentId)!
    expect(queued.stdout).toContain(first!.deploymentId)
  }, 180_000)
})
