// Helpers for the bed's load-balanced fleets: a fleet document of one's own (target group, Auto
// Scaling group, deployment groups) and deployments of a web revision. The request loop through a
// listener and its verdicts are in reroute.ts.
import { CreateDeploymentCommand, type CodeDeployClient } from '@aws-sdk/client-codedeploy'
import { admin, type Bed, putBundle } from '../support/bed.js'
import { tarBundle, type Tree } from '../support/fixtures.js'

export interface BlueGreenGroup {
  name: string
  ready?: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'
  readyMinutes?: number
  termination?: 'TERMINATE' | 'KEEP_ALIVE'
  terminationMinutes?: number
  autoRollback?: boolean
  provisioning?: 'COPY_AUTO_SCALING_GROUP' | 'DISCOVER_EXISTING'
}

/** A fleet document: one target group and one Auto Scaling group per entry of `fleets`. */
export function fleetYaml(opts: {
  app: string
  timeScale?: number
  /** `patient`: health checks every 2 s, unhealthy after 5 failures (a failing AllowTraffic lasts ~10 s, not ~2 s). */
  targetGroups: { name: string; deregistrationDelaySeconds?: number; patient?: boolean }[]
  autoScalingGroups: { name: string; instances: number; targetGroup: string }[]
  blueGreen?: (BlueGreenGroup & { asg: string; tg: string })[]
  inPlace?: { name: string; asg: string; tg: string; config?: string }[]
}): string {
  let y = 'targetGroups:\n'
  for (const t of opts.targetGroups)
    y += `  - { name: ${t.name}, port: 8080, healthCheck: { path: /health${t.patient ? ', intervalSeconds: 2, unhealthyThreshold: 5' : ''} }, deregistrationDelaySeconds: ${t.deregistrationDelaySeconds ?? 1} }\n`
  y += 'autoScalingGroups:\n'
  for (const a of opts.autoScalingGroups)
    y += `  - { name: ${a.name}, instances: ${a.instances}, minSize: 0, maxSize: ${Math.max(a.instances * 2, 4)}, targetGroups: [${a.targetGroup}] }\n`
  y += `applications:\n  - name: ${opts.app}\n    groups:\n`
  for (const g of opts.blueGreen ?? []) {
    y += `      - name: ${g.name}
        autoScalingGroups: [${g.asg}]
        deploymentConfig: CodeDeployDefault.AllAtOnce
        deploymentStyle: { deploymentType: BLUE_GREEN, deploymentOption: WITH_TRAFFIC_CONTROL }
        loadBalancerInfo: { targetGroupInfoList: [{ name: ${g.tg} }] }
        blueGreenDeploymentConfiguration:
          deploymentReadyOption: { actionOnTimeout: ${g.ready ?? 'CONTINUE_DEPLOYMENT'}, waitTimeInMinutes: ${g.readyMinutes ?? 0} }
          greenFleetProvisioningOption: { action: ${g.provisioning ?? 'COPY_AUTO_SCALING_GROUP'} }
          terminateBlueInstancesOnDeploymentSuccess: { action: ${g.termination ?? 'TERMINATE'}, terminationWaitTimeInMinutes: ${g.terminationMinutes ?? 0} }
${g.autoRollback ? '        autoRollback: { enabled: true, events: [DEPLOYMENT_FAILURE] }\n' : ''}`
  }
  for (const g of opts.inPlace ?? [])
    y += `      - name: ${g.name}
        autoScalingGroups: [${g.asg}]
        deploymentConfig: ${g.config ?? 'CodeDeployDefault.OneAtATime'}
        deploymentStyle: { deploymentType: IN_PLACE, deploymentOption: WITH_TRAFFIC_CONTROL }
        loadBalancerInfo: { targetGroupInfoList: [{ name: ${g.tg} }] }
`
  y += `timing: { createdMs: 200, timeScale: ${opts.timeScale ?? 0.001} }\n`
  return y
}

/** Adds the fleet; returns each target group's listener URL. */
export async function addLoadBalancedFleet(b: Bed, yaml: string): Promise<Record<string, string>> {
  const r = await admin<{ targetGroups: Record<string, string> }>(b, 'PUT', '/fleet', yaml)
  return r.targetGroups
}

let uploads = 0

/** Uploads the revision as a tgz and creates a deployment of it; returns its id. */
export async function deploy(
  b: Bed,
  client: CodeDeployClient,
  app: string,
  group: string,
  files: Tree,
  extra: Record<string, unknown> = {}
): Promise<string> {
  const key = `traffic/${app}/${++uploads}.tgz`
  await putBundle(b, key, await tarBundle(files))
  const out = await client.send(
    new CreateDeploymentCommand({
      applicationName: app,
      deploymentGroupName: group,
      revision: { revisionType: 'S3', s3Location: { bucket: b.bucket, key, bundleType: 'tgz' } },
      ...extra
    })
  )
  return out.deploymentId!
}
