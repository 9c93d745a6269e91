// One test per deployment rule that reads evidence, every EC2 ErrorCode of the SDK covered, and the
// minimum-healthy arithmetic as CodeDeploy documents it.
import { describe, expect, it } from '@jest/globals'
import { ErrorCode } from '@aws-sdk/client-codedeploy'
import {
  adviseDeployment,
  DEPLOYMENT_RULES,
  OTHER_PLATFORM_CODES
} from '../../src/advice/catalogue.js'
import { fittingConfigs, minimumHealthy } from '../../src/advice/health.js'
import type { DeploymentEvidence } from '../../src/advice/types.js'

const evidence = (over: Partial<DeploymentEvidence>): DeploymentEvidence => ({
  region: 'ap-northeast-2',
  application: 'my-app',
  group: 'production',
  inputs: { ignoreApplicationStopFailures: false },
  deploymentId: 'd-0001',
  status: 'Failed',
  errorCode: 'HEALTH_CONSTRAINTS',
  errorMessage:
    'The overall deployment failed because too many individual instances failed deployment…',
  stoppedByAction: false,
  instances: { total: 4, failed: 3, succeeded: 1 },
  ...over
})

describe('minimum healthy hosts', () => {
  it('HOST_COUNT as given, FLEET_PERCENT rounded up, OneAtATime all but one (API MinimumHealthyHosts)', () => {
    expect(minimumHealthy({ name: 'c', type: 'HOST_COUNT', value: 6 }, 9)).toBe(6)
    // The API reference's example: nine instances, FLEET_PERCENT 40 → four must succeed.
    expect(minimumHealthy({ name: 'c', type: 'FLEET_PERCENT', value: 40 }, 9)).toBe(4)
    expect(minimumHealthy({ name: 'c', type: 'FLEET_PERCENT', value: 50 }, 3)).toBe(2)
    expect(minimumHealthy({ name: 'c', type: 'MOST_CONCURRENCY', value: 1 }, 5)).toBe(4)
  })
  it('configurations that fit a group', () => {
    expect(fittingConfigs(1)).toBe('CodeDeployDefault.OneAtATime, CodeDeployDefault.AllAtOnce')
    expect(fittingConfigs(2)).toBe(
      'CodeDeployDefault.OneAtATime, CodeDeployDefault.HalfAtATime, CodeDeployDefault.AllAtOnce, or a custom configuration with HOST_COUNT at most 1 or FLEET_PERCENT at most 50%'
    )
    expect(fittingConfigs(3)).toContain('FLEET_PERCENT at most 66%')
  })
})

describe('deployment rules', () => {
  it("every EC2/on-premises ErrorCode of the API has a rule; ECS, Lambda and CloudFormation ones keep CodeDeploy's words", () => {
    const ruled = DEPLOYMENT_RULES.map((r) => r.id)
    const ec2 = Object.values(ErrorCode).filter((c) => !OTHER_PLATFORM_CODES.includes(c))
    expect([...ruled].sort()).toEqual([...ec2].sort())
    for (const code of OTHER_PLATFORM_CODES)
      expect(adviseDeployment(evidence({ errorCode: code }))).toBeUndefined()
    const firstCause = {
      text: 'ApplicationStart UnknownError in scripts/start.sh',
      advice: {
        rule: 'outputs-left-open',
        cause: 'A background job kept the hook output open.',
        fix: 'Redirect the background job output to a file.'
      }
    }
    for (const code of ec2) {
      const a = adviseDeployment(evidence({ errorCode: code, firstCause }))
      // MANUAL_STOP by the action itself is the action's own message; every other code has words.
      expect(a?.rule).toBe(code === 'HOOK_EXECUTION_FAILURE' ? 'outputs-left-open' : code)
      expect(a?.cause.length).toBeGreaterThan(20)
      expect(a?.fix.length).toBeGreaterThan(20)
    }
  })

  it('an unknown code gets no advice, nor a hook failure whose first cause no rule knows', () => {
    expect(adviseDeployment(evidence({ errorCode: 'SOMETHING_NEW' }))).toBeUndefined()
    expect(
      adviseDeployment(
        evidence({ errorCode: 'HOOK_EXECUTION_FAILURE', firstCause: { text: 'x ScriptFailed' } })
      )
    ).toBeUndefined()
  })

  describe('HEALTH_CONSTRAINTS', () => {
    it("the arithmetic: configuration, minimum, group size, failures; the fix is the first cause's", () => {
      const a = adviseDeployment(
        evidence({
          config: { name: 'CodeDeployDefault.HalfAtATime', type: 'FLEET_PERCENT', value: 50 },
          instances: { total: 4, failed: 3, succeeded: 1 },
          firstCause: {
            text: 'ApplicationStart UnknownError in scripts/start.sh',
            advice: { rule: 'outputs-left-open', cause: 'c', fix: 'Redirect the output.' }
          }
        })
      )
      expect(a?.cause).toBe(
        "CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 2 of the group's 4 instances healthy; 3 failed, so at most 1 could be."
      )
      expect(a?.fix).toBe('Redirect the output.')
    })
    it('HOST_COUNT, and OneAtATime in its own words', () => {
      const hc = adviseDeployment(
        evidence({ config: { name: 'Custom3', type: 'HOST_COUNT', value: 3 } })
      )
      expect(hc?.cause).toContain(
        "Custom3 (HOST_COUNT 3) needs 3 of the group's 4 instances healthy"
      )
      // HalfAtATime on two instances: one failed, the other could not be taken offline.
      const half = adviseDeployment(
        evidence({
          config: { name: 'CodeDeployDefault.HalfAtATime', type: 'FLEET_PERCENT', value: 50 },
          instances: { total: 2, failed: 1, succeeded: 0 }
        })
      )
      expect(half?.cause).toBe(
        "CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 1 of the group's 2 instances healthy; 1 failed, so the other 1 instance could not be taken offline without going below it."
      )
      // AllAtOnce: a minimum of 0, but one instance must succeed.
      const all = adviseDeployment(
        evidence({
          config: { name: 'CodeDeployDefault.AllAtOnce', type: 'HOST_COUNT', value: 0 },
          instances: { total: 1, failed: 1, succeeded: 0 }
        })
      )
      expect(all?.cause).toBe(
        "CodeDeployDefault.AllAtOnce (HOST_COUNT 0) needs 0 of the group's 1 instances healthy and at least one to succeed; 1 failed, so at most 0 could be."
      )
      const one = adviseDeployment(
        evidence({
          config: { name: 'CodeDeployDefault.OneAtATime', type: 'MOST_CONCURRENCY', value: 1 }
        })
      )
      expect(one?.cause).toContain(
        'deploys to one instance at a time and stops at the first failure'
      )
    })
    it('without the configuration: the count only, and the log as the fix when no rule knows the cause', () => {
      const a = adviseDeployment(evidence({}))
      expect(a?.cause).toContain('(3 failed)')
      expect(a?.fix).toContain('the failing instances, their script output and log tails are above')
    })
  })

  it('HEALTH_CONSTRAINTS_INVALID: the numbers and configurations that fit', () => {
    const a = adviseDeployment(
      evidence({
        errorCode: 'HEALTH_CONSTRAINTS_INVALID',
        config: { name: 'CodeDeployDefault.HalfAtATime', type: 'FLEET_PERCENT', value: 50 },
        instances: { total: 1, failed: 0, succeeded: 0 }
      })
    )
    expect(a?.cause).toBe(
      'CodeDeployDefault.HalfAtATime (FLEET_PERCENT 50%) needs 1 healthy instance throughout the deployment, and the group has 1: CodeDeploy cannot take even one offline.'
    )
    expect(a?.fix).toContain(
      'fits 1 instance: CodeDeployDefault.OneAtATime, CodeDeployDefault.AllAtOnce'
    )
  })

  it('NO_INSTANCES: what the group matches, read from CodeDeploy', () => {
    const a = adviseDeployment(
      evidence({
        errorCode: 'NO_INSTANCES',
        description: {
          ec2Tags: ['Name=web-prod'],
          onPremisesTags: [],
          autoScalingGroups: ['web-asg'],
          alarms: [],
          blueGreen: false
        }
      })
    )
    expect(a?.cause).toBe(
      "Deployment group 'production' matched no running instance in ap-northeast-2. It matches instances by EC2 tags Name=web-prod; Auto Scaling groups web-asg."
    )
    expect(a?.fix).toContain('Stopped instances are not deployed to')
    const bare = adviseDeployment(evidence({ errorCode: 'NO_INSTANCES' }))
    expect(bare?.cause).toBe(
      "Deployment group 'production' matched no running instance in ap-northeast-2."
    )
  })

  it('IAM roles: the role, AWSCodeDeployRole, launch template permissions for blue/green', () => {
    const description = {
      ec2Tags: [],
      onPremisesTags: [],
      autoScalingGroups: [],
      alarms: [],
      serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployRole',
      blueGreen: true
    }
    const missing = adviseDeployment(evidence({ errorCode: 'IAM_ROLE_MISSING', description }))
    expect(missing?.cause).toContain('arn:aws:iam::123456789012:role/CodeDeployRole is missing')
    expect(missing?.fix).toContain('--current-deployment-group-name production')
    const perms = adviseDeployment(evidence({ errorCode: 'IAM_ROLE_PERMISSIONS', description }))
    expect(perms?.fix).toContain('AWSCodeDeployRole')
    expect(perms?.fix).toContain('iam:PassRole, ec2:RunInstances and ec2:CreateTags')
    expect(perms?.fix).toContain('This group is blue/green')
  })

  it('ALARM_ACTIVE names the alarms', () => {
    const a = adviseDeployment(
      evidence({
        errorCode: 'ALARM_ACTIVE',
        description: {
          ec2Tags: [],
          onPremisesTags: [],
          autoScalingGroups: [],
          alarms: ['5xx-high', 'latency'],
          blueGreen: false
        }
      })
    )
    expect(a?.cause).toContain('one of 5xx-high, latency')
    expect(a?.fix).toContain('Check 5xx-high, latency in CloudWatch')
  })

  it('MANUAL_STOP: advice only when the action did not stop it itself', () => {
    expect(adviseDeployment(evidence({ errorCode: 'MANUAL_STOP' }))?.fix).toContain('CloudTrail')
    expect(
      adviseDeployment(evidence({ errorCode: 'MANUAL_STOP', stoppedByAction: true }))
    ).toBeUndefined()
  })
})
