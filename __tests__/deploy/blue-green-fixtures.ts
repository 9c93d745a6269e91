// Shared by the blue/green unit suites: deployment infos in CodeDeploy's shape, the SDK mocks of
// CodeDeploy, Auto Scaling and ELBv2, and a context whose clock and sleep are fake.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy'
import {
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { mockClient } from 'aws-sdk-client-mock'
import type { TrafficClients } from '../../src/aws/clients.js'
import { MemoryLogger } from '../../src/common/log.js'
import type { InstanceView } from '../../src/deploy/types.js'
import { FakeClock } from './fake-codedeploy.js'

export const cd = mockClient(CodeDeployClient)
export const asg = mockClient(AutoScalingClient)
export const elb = mockClient(ElasticLoadBalancingV2Client)

export const ID = 'd-ABCDEF123'
export const TG_ARN = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/abc'

/** A blue/green deployment of group `web`, as GetDeployment shows it. */
export function blueGreenInfo(over: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    deploymentId: ID,
    applicationName: 'my-app',
    deploymentGroupName: 'web',
    status: 'InProgress',
    createTime: new Date('2026-11-30T10:00:00Z'),
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    loadBalancerInfo: { targetGroupInfoList: [{ name: 'web-tg' }] },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT', waitTimeInMinutes: 0 },
      greenFleetProvisioningOption: { action: 'COPY_AUTO_SCALING_GROUP' },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: 60
      }
    },
    ...over
  }
}

export function instance(id: string, label: string, status = 'Succeeded'): InstanceView {
  return { instanceId: id, label, status, events: [] }
}

export function trafficClients(): TrafficClients {
  const region = 'us-east-1'
  const a = new AutoScalingClient({
    region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' }
  })
  const e = new ElasticLoadBalancingV2Client({
    region,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' }
  })
  return { autoScaling: async () => a, elb: async () => e }
}

/** A fresh start for each test: the mocks reset, web-tg described, a new clock and log. */
export function freshContext(): ReturnType<typeof context> {
  cd.reset()
  asg.reset()
  elb.reset()
  mockTargetGroup()
  return context()
}

export function context() {
  const clock = new FakeClock()
  const log = new MemoryLogger()
  return {
    clock,
    log,
    ctx: {
      codedeploy: new CodeDeployClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' }
      }),
      log,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      traffic: trafficClients()
    }
  }
}

/** ELBv2 describing web-tg with a health check on /health. */
export function mockTargetGroup(): void {
  elb.on(DescribeTargetGroupsCommand).resolves({
    TargetGroups: [
      {
        TargetGroupName: 'web-tg',
        TargetGroupArn: TG_ARN,
        Port: 8080,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckPath: '/health',
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' }
      }
    ]
  })
}
