// dist/index.js under Node 24 on an in-place deployment group with traffic control behind the
// bed's load balancer (testbed/examples/blue-green.yml's web-lb: 3 instances, OneAtATime): no
// failed request while each instance is blocked, installed and allowed again; and a revision
// failing its health check, explained with what the instance answered.
import { beforeAll, describe, expect, test } from '@jest/globals'
import { bed, codedeploy, settled, unique } from '../support/bed.js'
import { deployOnBed, json } from '../support/runs.js'
import { readReroute, requestLoop } from '../testbed/reroute.js'
import { addLoadBalancedFleet, deploy, fleetYaml } from '../testbed/traffic.js'
import { webApp } from '../testbed/web-app.js'
import { currentVersions, webWorkspace, type FailedInstanceOutput } from './blue-green-helpers.js'
import type { ActionRun } from './harness.js'

const b = bed()
const cd = codedeploy(b)
const app = unique('e2e-lb')
let url = ''

function webLb(workspace: string): Promise<ActionRun> {
  return deployOnBed(
    b,
    app,
    workspace,
    { 'deployment-group': 'web-lb', 'wait-timeout': '3' },
    { timeoutMs: 200_000 }
  )
}

describe('in place with traffic control through dist/', () => {
  beforeAll(async () => {
    const listeners = await addLoadBalancedFleet(
      b,
      fleetYaml({
        app,
        targetGroups: [{ name: `${app}-tg` }],
        autoScalingGroups: [{ name: `${app}-asg`, instances: 3, targetGroup: `${app}-tg` }],
        inPlace: [{ name: 'web-lb', asg: `${app}-asg`, tg: `${app}-tg` }]
      })
    )
    url = listeners[`${app}-tg`]!
    const seeded = await deploy(b, cd, app, 'web-lb', webApp('v1'))
    expect((await settled(cd, seeded, 90_000)).status).toBe('Succeeded')
  }, 120_000)

  test('web-lb, OneAtATime behind the load balancer: v1 to v2 without a failed request', async () => {
    const loop = requestLoop(url)
    const r = await webLb(webWorkspace('v2'))
    const result = await loop.stop()
    expect(r.errors).toEqual([])
    expect(r.outputs['deployment-status']).toBe('Succeeded')
    const id = r.outputs['deployment-id']!
    expect(r.stdout).toContain(
      `Deployment ${id}: in place with traffic control behind target group '${app}-tg': each instance is deregistered (BlockTraffic) before its install and registered again (AllowTraffic) once it passes the health checks.`
    )
    expect(readReroute(result, 'v1', 'v2').problems).toEqual([])
    expect(result.versions.length).toBeGreaterThan(10)
    expect(await currentVersions(url)).toEqual(['v2'])
    // No Blue/Green column in place.
    expect(r.summary).toContain('| Instance | Status |')
  }, 240_000)

  test('web-lb: a revision failing its health check fails AllowTraffic, explained with what the instance answered', async () => {
    const r = await webLb(webWorkspace('v3', 500))
    expect(r.outputs['deployment-status']).toBe('Failed')
    const [f, ...more] = json<FailedInstanceOutput[]>(r.outputs['failed-instances'])
    expect(more).toEqual([])
    expect(f!.label).toBeUndefined()
    expect(f!.lifecycleEvent).toBe('AllowTraffic')
    // In place, the instance stays registered and unhealthy: its answer can be read.
    expect(f!.explanation).toContain(
      `target group '${app}-tg' checks HTTP /health on port 8080, expecting 200`
    )
    expect(f!.explanation).toContain(
      'the load balancer said unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [500])'
    )
    expect(r.errors.join('\n')).toContain('Health checks failed with these codes: [500]')
  }, 240_000)
})
