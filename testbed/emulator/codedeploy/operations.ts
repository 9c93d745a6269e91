// CodeDeploy's operations: input checked the way the service checks it (exception names and
// messages), answers in the API's shapes. Deployments' own are in deployment-operations.ts.
import { AwsError } from '../core/aws-error.ts'
import { ACCOUNT } from '../core/ids.ts'
import { deploymentOperations } from './deployment-operations.ts'
import type { Engine } from './engine.ts'
import { lookups, optString, page, required } from './inputs.ts'
import { deploymentGroupInfo, seconds } from './serialize.ts'

export type Operation = (input: Record<string, unknown>) => Record<string, unknown>

const SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`

export function operations(engine: Engine): Record<string, Operation> {
  const world = () => engine.registry.backends.codedeploy
  const { application, group } = lookups(world)

  return {
    ...deploymentOperations(engine),

    GetApplication(input) {
      const app = application(input)
      return {
        application: {
          applicationId: app.id,
          applicationName: app.name,
          createTime: seconds(app.createTime),
          linkedToGitHub: false,
          computePlatform: 'Server'
        }
      }
    },

    BatchGetApplications(input) {
      const names = (input.applicationNames ?? []) as string[]
      return {
        applicationsInfo: names.map((n) => {
          const app = world().applications.get(n)
          if (!app)
            throw new AwsError(
              'ApplicationDoesNotExistException',
              `No application found for name: ${n}`
            )
          return {
            applicationId: app.id,
            applicationName: app.name,
            createTime: seconds(app.createTime),
            linkedToGitHub: false,
            computePlatform: 'Server'
          }
        })
      }
    },

    ListApplications(input) {
      const p = page([...world().applications.keys()].sort(), optString(input, 'nextToken'))
      return { applications: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    },

    GetDeploymentGroup(input) {
      const app = application(input)
      return { deploymentGroupInfo: deploymentGroupInfo(group(input, app), SERVICE_ROLE) }
    },

    BatchGetDeploymentGroups(input) {
      const app = application(input)
      const names = (input.deploymentGroupNames ?? []) as string[]
      const infos = []
      let errorMessage: string | undefined
      for (const n of names) {
        const g = app.groups.get(n)
        if (g) infos.push(deploymentGroupInfo(g, SERVICE_ROLE))
        else errorMessage = `Deployment Group ${n} does not exist.`
      }
      return { deploymentGroupsInfo: infos, ...(errorMessage ? { errorMessage } : {}) }
    },

    ListDeploymentGroups(input) {
      const app = application(input)
      const p = page([...app.groups.keys()].sort(), optString(input, 'nextToken'))
      return {
        applicationName: app.name,
        deploymentGroups: p.items,
        ...(p.nextToken ? { nextToken: p.nextToken } : {})
      }
    },

    GetDeploymentConfig(input) {
      const name = required(
        input,
        'deploymentConfigName',
        'DeploymentConfigNameRequiredException',
        'Deployment configuration name must be specified.'
      )
      const c = world().deploymentConfigs.get(name)
      if (!c)
        throw new AwsError(
          'DeploymentConfigDoesNotExistException',
          `No deployment configuration found for name: ${name}`
        )
      return {
        deploymentConfigInfo: {
          deploymentConfigId: c.id,
          deploymentConfigName: c.name,
          minimumHealthyHosts: c.minimumHealthyHosts,
          createTime: seconds(c.createTime),
          computePlatform: 'Server'
        }
      }
    },

    ListDeploymentConfigs(input) {
      const p = page([...world().deploymentConfigs.keys()].sort(), optString(input, 'nextToken'))
      return { deploymentConfigsList: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }
    }
  }
}
