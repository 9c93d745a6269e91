// The AWS console link for a deployment. The console host depends on the partition of the region.

function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return 'console.amazonaws.cn'
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com'
  return `${region}.console.aws.amazon.com`
}

export function deploymentConsoleUrl(region: string, deploymentId: string): string {
  const r = encodeURIComponent(region)
  return `https://${consoleHost(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${r}`
}
