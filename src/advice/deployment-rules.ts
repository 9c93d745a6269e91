// The catalogue's rules for a deployment's own error (errorInformation.code: the API's ErrorCode),
// for EC2/on-premises deployments. ECS, Lambda and CloudFormation codes keep CodeDeploy's message.
// Sources: AWS CodeDeploy API reference, ErrorInformation and ErrorCode; user guide chapters named
// beside each rule.
import { plural } from '../common/plural.js'
import { configRule, fittingConfigs, minimumHealthy } from './health.js'
import type { Advice, DeploymentEvidence, Rule } from './types.js'

export type DeploymentRule = Rule<DeploymentEvidence>

const API = 'AWS CodeDeploy API reference, ErrorInformation'

/** Codes that concern ECS, Lambda or CloudFormation deployments only: CodeDeploy's message stands. */
export const OTHER_PLATFORM_CODES = [
  'CLOUDFORMATION_STACK_FAILURE',
  'CUSTOMER_APPLICATION_UNHEALTHY',
  'ECS_UPDATE_ERROR',
  'INVALID_ECS_SERVICE',
  'INVALID_LAMBDA_CONFIGURATION',
  'INVALID_LAMBDA_FUNCTION'
]

function rule(
  code: string,
  source: string,
  doc: { why: string; fix: string },
  build: (e: DeploymentEvidence) => { cause: string; fix: string } | undefined,
  needs = `errorInformation.code ${code}`
): DeploymentRule {
  return {
    id: code,
    needs,
    source,
    doc: { see: `\`${code}\` on the deployment`, ...doc },
    advise(e) {
      if (e.errorCode !== code) return undefined
      const a = build(e)
      return a ? { rule: code, ...a } : undefined
    }
  }
}

/** The same words whatever the evidence. */
function fixed(code: string, source: string, why: string, fix: string): DeploymentRule {
  return rule(code, source, { why, fix }, () => ({ cause: why, fix }))
}

function firstCauseFix(e: DeploymentEvidence): string {
  const a = e.firstCause?.advice
  return a
    ? a.fix
    : 'Fix the first cause: the failing instances, their script output and log tails are above.'
}

const healthConstraints = rule(
  'HEALTH_CONSTRAINTS',
  `${API}; user guide, "CodeDeploy instance health" (minimum healthy hosts) and "Working with deployment configurations"`,
  {
    why: "Too many instances failed for the deployment configuration's minimum of healthy hosts: the deployment failing is the consequence; the instance failures are the cause. The action quotes the arithmetic (configuration, minimum, group size, failures) and the first cause.",
    fix: 'Fix the first instance failure (its own advice follows it); a configuration that tolerates more failures only hides it.'
  },
  (e) => {
    const n = e.instances.total
    if (!e.config || n === 0)
      return {
        cause: `Too many instances failed for the deployment configuration's minimum of healthy hosts (${e.instances.failed} failed).`,
        fix: firstCauseFix(e)
      }
    const min = minimumHealthy(e.config, n)
    const { failed, succeeded } = e.instances
    const healthy = n - failed
    const untouched = n - failed - succeeded
    // CodeDeploy also needs one instance to succeed, even with a minimum of 0 (instance health).
    const needed = `${min} of the group's ${n} instances healthy${min === 0 ? ' and at least one to succeed' : ''}`
    const so =
      healthy < Math.max(min, 1) || untouched <= 0
        ? `so at most ${healthy} could be`
        : `so the other ${plural(untouched, 'instance')} could not be taken offline without going below it`
    const arithmetic =
      e.config.type === 'MOST_CONCURRENCY'
        ? `${e.config.name} deploys to one instance at a time and stops at the first failure before the last instance`
        : `${e.config.name} (${configRule(e.config)}) needs ${needed}; ${failed} failed, ${so}`
    return {
      cause: `${arithmetic}.`,
      fix: firstCauseFix(e)
    }
  },
  'HEALTH_CONSTRAINTS; the configuration (GetDeploymentConfig) and the instance counts make the arithmetic, the first instance failure its cause'
)

const healthConstraintsInvalid = rule(
  'HEALTH_CONSTRAINTS_INVALID',
  `${API}; user guide, "CodeDeploy instance health" (minimum healthy hosts)`,
  {
    why: 'The deployment configuration asks for as many healthy instances as the group has, or more: CodeDeploy cannot take even one offline to deploy to it.',
    fix: 'Add instances to the group, or deploy with a configuration that fits it (`deployment-config`: CodeDeployDefault.OneAtATime always fits).'
  },
  (e) => {
    const n = e.instances.total
    if (!e.config)
      return {
        cause:
          'The deployment configuration asks for as many healthy instances as the group has, or more: CodeDeploy cannot take even one offline.',
        fix: 'Add instances to the group, or set deployment-config to one that fits it (CodeDeployDefault.OneAtATime always does).'
      }
    const min = minimumHealthy(e.config, n)
    const group = n > 0 ? `the group has ${n}` : 'the group has no more than that'
    return {
      cause: `${e.config.name} (${configRule(e.config)}) needs ${plural(min, 'healthy instance')} throughout the deployment, and ${group}: CodeDeploy cannot take even one offline.`,
      fix: `Add instances to the group, or set deployment-config to one that fits ${n > 0 ? `${plural(n, 'instance')}: ${fittingConfigs(n)}` : 'it (CodeDeployDefault.OneAtATime always does)'}.`
    }
  },
  'HEALTH_CONSTRAINTS_INVALID; the configuration (GetDeploymentConfig) and the number of instances give the numbers'
)

function tagsText(e: DeploymentEvidence): string {
  const d = e.description
  if (!d) return ''
  const parts = [
    d.ec2Tags.length ? `EC2 tags ${d.ec2Tags.join(', ')}` : '',
    d.autoScalingGroups.length ? `Auto Scaling groups ${d.autoScalingGroups.join(', ')}` : '',
    d.onPremisesTags.length ? `on-premises tags ${d.onPremisesTags.join(', ')}` : ''
  ].filter(Boolean)
  return parts.length
    ? ` It matches instances by ${parts.join('; ')}.`
    : ' It names no tag filter and no Auto Scaling group.'
}

const noInstances = rule(
  'NO_INSTANCES',
  `${API}; user guide, "Working with instances for CodeDeploy" (tagging, Auto Scaling, on-premises registration)`,
  {
    why: "The deployment group's tag filters and Auto Scaling groups match no running instance.",
    fix: "Compare the group's EC2 tag filters with the instances' tags (keys and values are case-sensitive) in the right region; stopped instances are not deployed to; an Auto Scaling group may have 0 instances; on-premises instances must be registered and tagged."
  },
  (e) => ({
    cause: `Deployment group '${e.group}' matched no running instance in ${e.region || 'the region'}.${tagsText(e)}`,
    fix: `Check that running instances carry exactly those tags (keys and values are case-sensitive) in ${e.region || 'this region'}: \`aws ec2 describe-instances --filters "Name=tag:<key>,Values=<value>" "Name=instance-state-name,Values=running"\`. Stopped instances are not deployed to; an Auto Scaling group with no instance gives none; on-premises instances must be registered (aws deploy register-on-premises-instance) and tagged.`
  }),
  "NO_INSTANCES; the group's tag filters and Auto Scaling groups (GetDeploymentGroup) when it could be read"
)

const SERVICE_ROLE_FIX =
  'The role must trust codedeploy.amazonaws.com and have the AWS managed policy AWSCodeDeployRole; blue/green groups that copy an Auto Scaling group with a launch template also need iam:PassRole, ec2:RunInstances and ec2:CreateTags.'

const iamRoleMissing = rule(
  'IAM_ROLE_MISSING',
  `${API}; user guide, "Step 2: Create a service role for CodeDeploy"`,
  {
    why: 'The deployment group has no service role, or the role no longer exists.',
    fix: `Set the group's service role. ${SERVICE_ROLE_FIX}`
  },
  (e) => ({
    cause: `Deployment group '${e.group}' has no service role CodeDeploy can use${e.description?.serviceRoleArn ? ` (${e.description.serviceRoleArn} is missing)` : ''}.`,
    fix: `Create or fix the service role and set it on the group (\`aws deploy update-deployment-group --application-name ${e.application} --current-deployment-group-name ${e.group} --service-role-arn <role-arn>\`). ${SERVICE_ROLE_FIX}`
  })
)

const iamRolePermissions = rule(
  'IAM_ROLE_PERMISSIONS',
  `${API}; user guide, "Step 2: Create a service role for CodeDeploy" (AWSCodeDeployRole; launch templates)`,
  {
    why: "CodeDeploy's service role for the group lacks permissions it needs (EC2, Auto Scaling, Elastic Load Balancing).",
    fix: SERVICE_ROLE_FIX
  },
  (e) => ({
    cause: `The service role of '${e.group}'${e.description?.serviceRoleArn ? `, ${e.description.serviceRoleArn},` : ''} lacks permissions CodeDeploy needs for this deployment.`,
    fix: `${SERVICE_ROLE_FIX}${e.description?.blueGreen ? ' This group is blue/green: check the launch template permissions first.' : ''}`
  })
)

const alarmActive = rule(
  'ALARM_ACTIVE',
  `${API}; user guide, "Monitoring deployments with CloudWatch alarms in CodeDeploy"`,
  {
    why: "A CloudWatch alarm in the group's alarm configuration was in ALARM, so CodeDeploy stopped (or did not start) the deployment.",
    fix: "Look at the alarm in CloudWatch: fix what it reports, or take it out of the group's alarm configuration if it does not concern deployments."
  },
  (e) => {
    const alarms = e.description?.alarms ?? []
    const named = alarms.length ? `: one of ${alarms.join(', ')}` : ''
    return {
      cause: `A CloudWatch alarm of the group's alarm configuration was in ALARM${named}.`,
      fix: `Check ${alarms.length ? alarms.join(', ') : 'the alarms'} in CloudWatch (\`aws cloudwatch describe-alarms --state-value ALARM\`): fix what it reports, or remove it from the group's alarm configuration if it does not concern deployments; then deploy again.`
    }
  }
)

const manualStop = rule(
  'MANUAL_STOP',
  `${API}; CloudTrail records StopDeployment calls`,
  {
    why: 'Someone or something stopped the deployment: the console, the CLI, another workflow (its `on-timeout: stop` or `stop-on-cancel`).',
    fix: 'Find who in CloudTrail (event StopDeployment); deploy again when that is settled.'
  },
  (e) =>
    e.stoppedByAction
      ? undefined
      : {
          cause:
            'The deployment was stopped from outside this step: the console, the CLI, or another workflow (its on-timeout: stop or stop-on-cancel).',
          fix: 'Find who in CloudTrail (event name StopDeployment); deploy again once that is settled.'
        }
)

const timeout = fixed(
  'TIMEOUT',
  `${API}; user guide, blue/green "Ready" wait and the one-hour lifecycle event limit`,
  "A CodeDeploy time limit passed: for blue/green, the traffic was not rerouted before the Ready wait ended (CodeDeploy's message says so); otherwise a lifecycle event ran past CodeDeploy's limit.",
  "For a blue/green Ready wait: continue it in time (`on-ready: continue`, or a later run with `continue-deployment`), or lengthen the group's wait time. For a long event: check the agent and the hook's script."
)

const revisionMissing = fixed(
  'REVISION_MISSING',
  `${API}; user guide, "Working with application revisions"`,
  'CodeDeploy could not find the revision in S3: the object (or the version the deployment names) was deleted, by a lifecycle rule or by hand.',
  'Run the workflow again (it uploads the bundle again), and keep deployed revisions out of S3 lifecycle expiration rules.'
)

const invalidRevision = rule(
  'INVALID_REVISION',
  `${API}; user guide, "Add an application specification file"`,
  {
    why: 'The revision is not a bundle CodeDeploy can use: no appspec.yml at its root, an appspec it cannot read, or a bundle type that does not match the file.',
    fix: "With `archive:`, check `bundle-type` and that appspec.yml is at the archive's root; bundles the action builds are checked before the upload."
  },
  (e) => ({
    cause: `The revision is not a bundle CodeDeploy can use: no appspec.yml at its root, an appspec it cannot read, or a bundle type that does not match the file${e.bundle?.origin === 'built' ? " (the action built and checked this bundle: compare its appspec check above with CodeDeploy's message)" : ''}.`,
    fix:
      e.bundle?.origin === 'archive'
        ? 'Check bundle-type against the archive and that appspec.yml is at its root.'
        : "Read CodeDeploy's message above for the part it refused."
  })
)

const agentIssue = rule(
  'AGENT_ISSUE',
  `${API}; user guide, "Troubleshoot instance issues"`,
  {
    why: 'CodeDeploy found a problem with the agent on the instances (not installed, not running, not reachable).',
    fix: 'Check the agent on an instance: `sudo systemctl status codedeploy-agent` and its log.'
  },
  () => ({
    cause: 'CodeDeploy found a problem with the CodeDeploy agent on the instances.',
    fix: 'Check the agent on an instance: `sudo systemctl status codedeploy-agent`, `/var/log/aws/codedeploy-agent/codedeploy-agent.log`, and its outbound HTTPS to CodeDeploy and S3.'
  })
)

// The code only says a hook failed: the advice is the first instance failure's, or none.
const hookFailure = rule(
  'HOOK_EXECUTION_FAILURE',
  API,
  {
    why: 'A lifecycle hook failed on the instances: the advice is that of the first instance failure, when a rule above knows it.',
    fix: "The first instance failure's fix."
  },
  (e) => e.firstCause?.advice,
  'HOOK_EXECUTION_FAILURE and advice for the first instance failure'
)

/** Every EC2/on-premises code of the API's ErrorCode, in its order. */
export const DEPLOYMENT_RULES: DeploymentRule[] = [
  agentIssue,
  alarmActive,
  fixed(
    'APPLICATION_MISSING',
    API,
    'The application was deleted while the deployment ran (or its name is wrong).',
    'Check the application in CodeDeploy (`aws deploy get-application`) and deploy again.'
  ),
  fixed(
    'AUTOSCALING_VALIDATION_ERROR',
    `${API}; user guide, "Integrating CodeDeploy with Amazon EC2 Auto Scaling"`,
    "CodeDeploy found the Auto Scaling group's configuration invalid for the deployment (its lifecycle hook, launch template or capacity).",
    "Read CodeDeploy's message above; check the Auto Scaling group's CodeDeploy lifecycle hook and launch template."
  ),
  fixed(
    'AUTO_SCALING_CONFIGURATION',
    `${API}; user guide, "Integrating CodeDeploy with Amazon EC2 Auto Scaling"`,
    "The Auto Scaling group could not be used or copied: it was deleted, it could not launch instances (capacity, launch template, subnets), or its settings do not fit CodeDeploy's.",
    "Read CodeDeploy's message above; check the group's launch template, subnets and capacity (`aws autoscaling describe-scaling-activities`)."
  ),
  fixed(
    'AUTO_SCALING_IAM_ROLE_PERMISSIONS',
    `${API}; user guide, "Step 2: Create a service role for CodeDeploy"`,
    'The service role lacks permissions on Auto Scaling.',
    SERVICE_ROLE_FIX
  ),
  fixed(
    'CODEDEPLOY_RESOURCE_CANNOT_BE_FOUND',
    API,
    'A CodeDeploy resource the deployment needs (application, group, configuration) was not found.',
    "Check the application, deployment group and deployment configuration names in CodeDeploy's message."
  ),
  fixed(
    'DEPLOYMENT_GROUP_MISSING',
    API,
    'The deployment group was deleted while the deployment ran.',
    'Check the group in CodeDeploy (`aws deploy get-deployment-group`) and deploy again.'
  ),
  fixed(
    'ELASTIC_LOAD_BALANCING_INVALID',
    `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`,
    "The group's load balancer information is invalid: a target group or Classic Load Balancer that no longer exists, or one in another VPC.",
    "Check the target groups the deployment group names (`aws elbv2 describe-target-groups --names …`) and fix the group's load balancer settings."
  ),
  fixed(
    'ELB_INVALID_INSTANCE',
    `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`,
    "An instance could not be registered with the group's load balancer (another VPC, an Availability Zone the load balancer does not serve, or a stopped instance).",
    "Check that the instances are in the target group's VPC and in Availability Zones the load balancer serves."
  ),
  healthConstraints,
  healthConstraintsInvalid,
  hookFailure,
  iamRoleMissing,
  iamRolePermissions,
  fixed(
    'INTERNAL_ERROR',
    API,
    'CodeDeploy failed internally.',
    'Deploy again; if it repeats, contact AWS Support with the deployment id.'
  ),
  invalidRevision,
  manualStop,
  fixed(
    'MISSING_BLUE_GREEN_DEPLOYMENT_CONFIGURATION',
    `${API}; user guide, "Create a deployment group for a blue/green deployment"`,
    'The group is blue/green but has no blue/green configuration (how to provision the replacement instances, when to reroute, what to do with the originals).',
    "Complete the group's blue/green settings in the console or with `aws deploy update-deployment-group --blue-green-deployment-configuration …`."
  ),
  fixed(
    'MISSING_ELB_INFORMATION',
    `${API}; user guide, "Integrating CodeDeploy with Elastic Load Balancing"`,
    'The group uses traffic control (or blue/green) but names no load balancer or target group.',
    "Add the target group to the deployment group's load balancer settings, or turn traffic control off."
  ),
  fixed(
    'MISSING_GITHUB_TOKEN',
    API,
    'A GitHub revision needs a GitHub connection; this action deploys from S3 and never sends one.',
    'Check that the deployment was created by this action with an S3 revision.'
  ),
  fixed(
    'NO_EC2_SUBSCRIPTION',
    API,
    'The AWS account is not subscribed to Amazon EC2.',
    'Finish the account set-up for EC2 (or use an account that has it).'
  ),
  noInstances,
  fixed(
    'OVER_MAX_INSTANCES',
    `${API}; user guide, "CodeDeploy quotas"`,
    'The deployment targets more instances than the CodeDeploy quota for one deployment allows.',
    'Split the fleet into several deployment groups (the action deploys to each in turn), or ask for a higher quota in Service Quotas.'
  ),
  fixed(
    'RESOURCE_LIMIT_EXCEEDED',
    `${API}; user guide, "CodeDeploy quotas"`,
    'A CodeDeploy quota was reached (for instance concurrent deployments in the account).',
    "Read CodeDeploy's message above for the quota; wait for other deployments to end or ask for a higher quota in Service Quotas."
  ),
  revisionMissing,
  fixed(
    'THROTTLED',
    `${API}; user guide, "CodeDeploy quotas"`,
    'AWS throttled calls CodeDeploy (or the agents) made for this deployment.',
    'Deploy again; spread deployments of many groups over time, or ask for higher API rate quotas.'
  ),
  timeout
]

export function adviseDeployment(e: DeploymentEvidence): Advice | undefined {
  for (const r of DEPLOYMENT_RULES) {
    const a = r.advise(e)
    if (a) return a
  }
  return undefined
}
