// How the services reach each other: each keeps its state in one backend, and the registry holds
// the current ones. POST /reset replaces them whole, so a service reads them at each use instead
// of keeping one (a handler that kept the old Auto Scaling would answer about a fleet gone).
import type { AutoScaling } from './autoscaling/groups.ts'
import type { CodeDeployRecords } from './codedeploy/model.ts'
import type { LoadBalancing } from './elbv2/load-balancing.ts'
import type { GitHubRepositories } from './github/repositories.ts'

export interface Backends {
  codedeploy: CodeDeployRecords
  elbv2: LoadBalancing
  autoscaling: AutoScaling
  github: GitHubRepositories
}

export interface Registry {
  readonly backends: Backends
}
