// What to check on an instance whose CodeDeploy agent does not answer: the silent-agent watch
// warns with it, and the catalogue gives it as the fix for CodeDeploy's AGENT_NOT_RECEIVED.

/** CodeDeploy's message when the agent did not pick up a lifecycle event before its hour ran out. */
export const AGENT_NOT_RECEIVED =
  'CodeDeploy agent was not able to receive the lifecycle event. Check the CodeDeploy agent logs on your host and make sure the agent is running and can connect to the CodeDeploy server.'

/** Did CodeDeploy fail this event because no agent picked it up? */
export function isAgentNotReceived(message: string | undefined): boolean {
  return !!message && message.startsWith('CodeDeploy agent was not able to receive')
}

/**
 * What to check on an instance whose agent does not answer, in the order that finds the cause
 * fastest. `justLaunched`: the instances are new (blue/green replacements), so their agent install
 * at boot is the first suspect.
 */
export function agentChecks(region: string, justLaunched: boolean): string[] {
  const r = region || '<region>'
  return [
    'the agent runs: `sudo systemctl status codedeploy-agent` (start it with `sudo systemctl start codedeploy-agent`; not installed: see "Install the CodeDeploy agent" in the AWS docs)',
    'its log: `/var/log/aws/codedeploy-agent/codedeploy-agent.log` (errors polling CodeDeploy, credentials, TLS)',
    `${justLaunched ? 'these instances were just launched: ' : 'on an instance launched recently (Auto Scaling, blue/green replacement): '}\`/var/log/cloud-init-output.log\`, where the agent's install at boot may have failed (no route to the internet to download it)`,
    `outbound HTTPS (443) from the instance to CodeDeploy and S3 in ${r}: a NAT gateway or proxy for a private subnet, or VPC endpoints com.amazonaws.${r}.codedeploy, com.amazonaws.${r}.codedeploy-commands-secure and an S3 gateway endpoint`,
    'the instance profile: the instance needs an IAM role (instance profile) the agent can use, allowed to read the bundle from S3 (s3:GetObject)'
  ]
}

/** The checks as one numbered paragraph, for an annotation or an error's fix. */
export function agentChecksText(region: string, justLaunched: boolean): string {
  return `Check, in order: ${agentChecks(region, justLaunched)
    .map((c, i) => `(${i + 1}) ${c}`)
    .join('; ')}.`
}
