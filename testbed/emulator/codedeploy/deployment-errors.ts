// A deployment's errorInformation as CodeDeploy words it, and the bed's own words where AWS
// documents none (testbed/README.md, "Blue/green", "Deployment-level failures"). The user
// guide's "Error codes" table gives the words of HEALTH_CONSTRAINTS (the API's own, as users
// quote it), HEALTH_CONSTRAINTS_INVALID, IAM_ROLE_MISSING and IAM_ROLE_PERMISSIONS (assumed to
// be the API's too; its typo "does't" kept).
export interface DeploymentError {
  code: string
  message: string
}

export const HEALTH_CONSTRAINTS: DeploymentError = {
  code: 'HEALTH_CONSTRAINTS',
  message:
    'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.'
}

export const HEALTH_CONSTRAINTS_INVALID: DeploymentError = {
  code: 'HEALTH_CONSTRAINTS_INVALID',
  message:
    'The deployment can’t start because the minimum number of healthy instances, as defined by your deployment configuration, are not available. You can reduce the required number of healthy instances by updating your deployment configuration or increase the number of instances in this deployment group.'
}

export const IAM_ROLE_MISSING: DeploymentError = {
  code: 'IAM_ROLE_MISSING',
  message:
    'The deployment failed because no service role exists with the service role name specified for the deployment group. Make sure you are using the correct service role name.'
}

export const IAM_ROLE_PERMISSIONS: DeploymentError = {
  code: 'IAM_ROLE_PERMISSIONS',
  message:
    "CodeDeploy does not have the permissions required to assume a role, or the IAM role you're using does't give you permission to perform operations in an AWS service."
}

// As users quote it from GetDeployment (status Stopped): each alarm in angle brackets.
export const ALARM_ACTIVE = (alarms: string[]): DeploymentError => ({
  code: 'ALARM_ACTIVE',
  message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ${alarms.map((a) => `<${a}>`).join(' ')}`
})

export const MANUAL_STOP: DeploymentError = {
  code: 'MANUAL_STOP',
  message: 'The deployment was stopped by the user.'
}

export const NO_INSTANCES: DeploymentError = {
  code: 'NO_INSTANCES',
  message:
    'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.'
}

export const READY_TIMEOUT: DeploymentError = {
  code: 'TIMEOUT',
  message:
    'The deployment was stopped because traffic rerouting was not started before the end of the wait period.'
}

export const INTERNAL_ERROR = (e: Error): DeploymentError => ({
  code: 'INTERNAL_ERROR',
  message: `The test bed failed: ${e.message}`
})

export const NO_COPY_SOURCE = (source: string, group: string): DeploymentError => ({
  code: 'AUTO_SCALING_CONFIGURATION',
  message: `The Auto Scaling group ${source} of deployment group ${group} does not exist, so it cannot be copied for the replacement environment.`
})

export const COPY_SHORT = (copy: string, failure: string | undefined): DeploymentError => ({
  code: 'AUTO_SCALING_CONFIGURATION',
  message: `The Auto Scaling group ${copy} could not launch the replacement instances: ${failure ?? 'no instance launched'}`
})

export const NO_PREVIOUS_SUCCESS =
  'Automatic rollback was not performed because no previous successful deployment exists for this deployment group.'

export const ROLLBACK_STARTED = (id: string): string =>
  `Automatic rollback to the last successful revision started as deployment ${id}.`
