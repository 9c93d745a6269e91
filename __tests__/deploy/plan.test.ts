// What a deployment's style says will happen (src/deploy/plan.ts): pure.
import { describe, expect, it } from '@jest/globals'
import {
  planLine,
  planOf,
  replacementGroupName,
  terminationText,
  terminationWaitWarning,
  trafficRerouted
} from '../../src/deploy/plan.js'
import { blueGreenInfo } from './blue-green-fixtures.js'

describe('planLine', () => {
  it('blue/green copying an Auto Scaling group, the termination wait', () => {
    expect(planLine(planOf(blueGreenInfo()), ['web-asg'])).toBe(
      "blue/green behind target group 'web-tg': copies Auto Scaling group 'web-asg' as the replacement fleet, reroutes after the install, terminates the original instances 60 minutes later."
    )
  })

  it('manual reroute, KEEP_ALIVE, no group name known', () => {
    const info = blueGreenInfo({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: 30 },
        greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' },
        terminateBlueInstancesOnDeploymentSuccess: { action: 'KEEP_ALIVE' }
      }
    })
    expect(planLine(planOf(info))).toBe(
      "blue/green behind target group 'web-tg': copies Auto Scaling group of the deployment group as the replacement fleet, waits in Ready for a ContinueDeployment (stopped after 30 minutes), then reroutes, keeps the original instances running, out of the load balancer."
    )
  })

  it('DISCOVER_EXISTING with a timed reroute and an immediate termination', () => {
    const info = blueGreenInfo({
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 5 },
        greenFleetProvisioningOption: { action: 'DISCOVER_EXISTING' },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: 0
        }
      }
    })
    const plan = planOf(info)
    expect(plan.copiesAutoScalingGroup).toBe(false)
    expect(planLine(plan)).toBe(
      "blue/green behind target group 'web-tg': installs on the replacement instances already running, reroutes 5 minutes after the install, terminates the original instances right after."
    )
  })

  it('in place with and without traffic control', () => {
    const lb = planOf({
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      loadBalancerInfo: { targetGroupInfoList: [{ name: 'a' }, { name: 'b' }] }
    })
    expect(lb.blueGreen).toBe(false)
    expect(planLine(lb)).toBe(
      "in place with traffic control behind target group 'a', 'b': each instance is deregistered (BlockTraffic) before its install and registered again (AllowTraffic) once it passes the health checks."
    )
    const plain = planOf({ deploymentStyle: { deploymentType: 'IN_PLACE' } })
    expect(plain.trafficControl).toBe(false)
    expect(planLine(plain)).toBe('in place: the revision is installed on the existing instances.')
  })

  it("takes CodeDeploy's default termination wait (60 minutes) when the group names none", () => {
    const info = blueGreenInfo({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE' }
      }
    })
    expect(planOf(info).terminationWaitMinutes).toBe(60)
  })
})

describe('terminationWaitWarning', () => {
  it('names both numbers and the two fixes when the termination wait is longer than wait-timeout', () => {
    expect(terminationWaitWarning(planOf(blueGreenInfo()), 45)).toBe(
      'The deployment group terminates the original instances 60 minutes after the reroute, and CodeDeploy reports the deployment InProgress until then: longer than wait-timeout (45 minutes), so this step will time out on a deployment that went well. Set wait-until: traffic-rerouted to end the step once the traffic has moved, or raise wait-timeout above 60.'
    )
  })

  it('says nothing when wait-timeout covers it, for KEEP_ALIVE, or in place', () => {
    expect(terminationWaitWarning(planOf(blueGreenInfo()), 60)).toBeUndefined()
    const keep = blueGreenInfo({
      blueGreenDeploymentConfiguration: {
        terminateBlueInstancesOnDeploymentSuccess: { action: 'KEEP_ALIVE' }
      }
    })
    expect(terminationWaitWarning(planOf(keep), 1)).toBeUndefined()
    expect(terminationWaitWarning(planOf({}), 1)).toBeUndefined()
  })
})

describe('trafficRerouted', () => {
  it('holds once the termination wait has started, and only for blue/green InProgress', () => {
    expect(trafficRerouted(blueGreenInfo({ instanceTerminationWaitTimeStarted: true }))).toBe(true)
    expect(trafficRerouted(blueGreenInfo({ instanceTerminationWaitTimeStarted: false }))).toBe(
      false
    )
    expect(
      trafficRerouted(blueGreenInfo({ status: 'Ready', instanceTerminationWaitTimeStarted: true }))
    ).toBe(false)
    expect(
      trafficRerouted({
        status: 'InProgress',
        instanceTerminationWaitTimeStarted: true,
        deploymentStyle: { deploymentType: 'IN_PLACE' }
      })
    ).toBe(false)
  })
})

describe('names and times', () => {
  it("is CodeDeploy's name for the copy", () => {
    expect(replacementGroupName('web', 'd-ABCDEF123')).toBe('CodeDeploy_web_d-ABCDEF123')
  })

  it('says when the original instances go, and how to end the wait sooner', () => {
    const now = Date.parse('2026-11-30T10:00:00Z')
    expect(terminationText(planOf(blueGreenInfo()), now)).toBe(
      'CodeDeploy terminates the original instances after its termination wait of 60 minutes, at about 2026-11-30T11:00:00Z; end the wait sooner with continue-deployment and continue-termination: true.'
    )
  })
})
