// The bed's admin endpoint: request log, fault switches, reset, fleet, instance list, agents, the
// GitHub repositories its GitHub API serves.
import type { RequestLog } from '../core/request-log.ts'
import { parseFaults, type FaultInjector } from './faults.ts'
import { parseFleet, type Isolation } from './fleet-config.ts'
import { listInstances, setAgentState } from './instance-list.ts'
import { repositoriesAdmin } from '../github/repositories.ts'
import type { World } from './world.ts'

export interface AdminDeps {
  world: World
  faults: FaultInjector
  requests: RequestLog
  isolation: Isolation
  agentRunner?: string
}

type Reply = { status: number; body: unknown }

export function admin(deps: AdminDeps) {
  return async (
    method: string,
    path: string,
    query: URLSearchParams,
    body: string
  ): Promise<Reply> => {
    const route = `${method} ${path.replace(/\/$/, '') || '/'}`
    switch (route) {
      case 'GET /health':
        return { status: 200, body: { ok: true } }
      case 'GET /requests':
        return {
          status: 200,
          body: {
            lastSeq: deps.requests.lastSeq(),
            requests: deps.requests.list(
              Number(query.get('since') ?? 0),
              query.get('application') ?? undefined,
              query.get('repository') ?? undefined
            )
          }
        }
      case 'DELETE /requests':
        deps.requests.clear()
        return { status: 200, body: { ok: true } }
      case 'GET /faults': {
        const app = query.get('application')
        return { status: 200, body: app ? deps.faults.settingsOf(app) : deps.faults.settings }
      }
      case 'PUT /faults':
      case 'POST /faults': {
        const app = query.get('application') ?? undefined
        try {
          deps.faults.set(parseFaults(body ? JSON.parse(body) : {}), app)
        } catch (e) {
          return { status: 400, body: { error: (e as Error).message } }
        }
        return { status: 200, body: app ? deps.faults.settingsOf(app) : deps.faults.settings }
      }
      case 'DELETE /faults':
        deps.faults.set({}, query.get('application') ?? undefined)
        return { status: 200, body: {} }
      case 'POST /reset':
        deps.faults.reset()
        deps.requests.clear()
        await deps.world.reset()
        return { status: 200, body: { ok: true } }
      case 'PUT /fleet':
      case 'POST /fleet': {
        let fleet
        try {
          fleet = parseFleet(body, deps.isolation, deps.agentRunner)
        } catch (e) {
          return { status: 400, body: { error: (e as Error).message } }
        }
        const problem = deps.world.checkReferences(fleet)
        if (problem) return { status: 400, body: { error: problem } }
        const t0 = Date.now()
        await deps.world.addApplications(
          fleet.applications,
          fleet.deploymentConfigs,
          fleet.targetGroups,
          fleet.autoScalingGroups
        )
        const listeners = deps.world.backends.elbv2.listeners()
        return {
          status: 200,
          body: {
            applications: fleet.applications.map((a) => a.name),
            // Each target group of the document, and the URL of its listener.
            targetGroups: Object.fromEntries(
              fleet.targetGroups.map((t) => [t.name, listeners[t.name]])
            ),
            autoScalingGroups: fleet.autoScalingGroups.map((a) => a.name),
            readyMs: Date.now() - t0
          }
        }
      }
      case 'GET /target-groups':
        return { status: 200, body: deps.world.backends.elbv2.states() }
      case 'GET /instances':
        return { status: 200, body: { instances: listInstances(deps.world.backends) } }
      case 'PUT /agent':
      case 'POST /agent': {
        // Stops or starts one instance's CodeDeploy agent (see README "A silent agent").
        const id = query.get('instance')
        if (!id) return { status: 400, body: { error: 'PUT /agent needs ?instance=<instance id>' } }
        let state: unknown
        try {
          state = (JSON.parse(body) as { state?: unknown } | null)?.state
        } catch {
          state = undefined
        }
        if (state !== 'stopped' && state !== 'running')
          return {
            status: 400,
            body: {
              error: 'PUT /agent: the body must be {"state":"stopped"} or {"state":"running"}'
            }
          }
        if (!setAgentState(deps.world.backends, id, state))
          return {
            status: 404,
            body: { error: `PUT /agent: no instance ${id} (GET /instances lists them)` }
          }
        return { status: 200, body: { instance: id, state } }
      }
      case 'GET /github/repositories':
      case 'PUT /github/repositories':
      case 'POST /github/repositories':
      case 'DELETE /github/repositories':
        return repositoriesAdmin(deps.world.backends.github, method, query, body)
      default:
        return {
          status: 404,
          body: {
            error: `no admin route ${route}`,
            routes: [
              'GET /health',
              'GET|DELETE /requests',
              'GET|PUT|DELETE /faults',
              'POST /reset',
              'PUT /fleet',
              'GET /instances',
              'GET /target-groups',
              'PUT /agent?instance=ID',
              'GET|PUT|DELETE /github/repositories'
            ]
          }
        }
    }
  }
}
