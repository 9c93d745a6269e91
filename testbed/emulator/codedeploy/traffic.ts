// What CodeDeploy does itself in BlockTraffic and AllowTraffic: it moves the instance in ELBv2,
// reached through the registry.
import type { Registry } from '../registry.ts'
import type { Deployment, Group, Instance } from './model.ts'

// CodeDeploy's hour for AllowTraffic (the bed's own figure: testbed/README.md, "Blue/green").
const ALLOW_TRAFFIC_TIMEOUT_MS = 3600_000
// How often a waiting event looks at the agent's state (on-instance.ts) and at StopDeployment.
export const POLL_MS = 200

// Deregisters the instance from the deployment's target groups and waits for the draining.
export async function blockTraffic(
  registry: Registry,
  d: Deployment,
  instance: Instance
): Promise<string> {
  const targetGroups = registry.backends.elbv2.targetGroups
  await Promise.all(d.targetGroups.map((n) => targetGroups.get(n)?.deregister(instance.id)))
  return ''
}

// Registers the instance and waits until every target group finds it healthy. It fails when
// one finds it unhealthy (the unhealthy threshold of failed checks), at CodeDeploy's hour (times
// timeScale), or at a stop.
export async function allowTraffic(
  registry: Registry,
  d: Deployment,
  group: Group,
  instance: Instance
): Promise<string> {
  const address = instance.host?.address
  if (!address) throw new Error(`The test bed: instance ${instance.id} has no network address.`)
  const targetGroups = registry.backends.elbv2.targetGroups
  const tgs = d.targetGroups.map((n) => targetGroups.get(n)!).filter(Boolean)
  for (const tg of tgs) tg.register(instance.id, address)
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), ALLOW_TRAFFIC_TIMEOUT_MS * group.timeScale)
  const poll = setInterval(() => d.stopRequested && abort.abort(), POLL_MS)
  try {
    const verdicts = await Promise.all(tgs.map((tg) => tg.waitHealthy(instance.id, abort.signal)))
    const bad = tgs.filter((_, k) => !verdicts[k])
    if (bad.length > 0) {
      const names = bad.map((t) => t.config.name).join(', ')
      throw new Error(`The instance did not pass the health checks of target group ${names}.`)
    }
    return ''
  } finally {
    clearTimeout(timer)
    clearInterval(poll)
  }
}
