// The EC2/on-premises lifecycle events of an appspec, as the CodeDeploy agent knows them.

/** In-place deployment without a load balancer, in the order the agent runs them. */
export const IN_PLACE_EVENTS = [
  'ApplicationStop',
  'DownloadBundle',
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService'
] as const

/** With a load balancer, traffic is blocked before and allowed after the in-place events. */
export const BLOCK_TRAFFIC_EVENTS = [
  'BeforeBlockTraffic',
  'BlockTraffic',
  'AfterBlockTraffic'
] as const
export const ALLOW_TRAFFIC_EVENTS = [
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic'
] as const

/** Every event, in agent order for an in-place deployment behind a load balancer. */
export const LIFECYCLE_EVENTS: readonly string[] = [
  ...BLOCK_TRAFFIC_EVENTS,
  ...IN_PLACE_EVENTS,
  ...ALLOW_TRAFFIC_EVENTS
]

/** Events the agent performs itself; an appspec cannot attach scripts to them. */
export const RESERVED_EVENTS: readonly string[] = [
  'DownloadBundle',
  'Install',
  'BlockTraffic',
  'AllowTraffic'
]

/** Events that can run scripts. */
export const SCRIPTABLE_EVENTS: readonly string[] = LIFECYCLE_EVENTS.filter(
  (e) => !RESERVED_EVENTS.includes(e)
)

/** Where the scripts of a reserved event belong instead. */
export const RESERVED_EVENT_ALTERNATIVES: Readonly<Record<string, readonly string[]>> = {
  DownloadBundle: ['BeforeInstall'],
  Install: ['BeforeInstall', 'AfterInstall'],
  BlockTraffic: ['BeforeBlockTraffic', 'AfterBlockTraffic'],
  AllowTraffic: ['BeforeAllowTraffic', 'AfterAllowTraffic']
}

/** A script's timeout when the appspec gives none, in seconds. */
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 3600

/** CodeDeploy fails a lifecycle event that runs longer than this, whatever its scripts say. */
export const MAX_EVENT_SECONDS = 3600

export function isLifecycleEvent(name: string): boolean {
  return LIFECYCLE_EVENTS.includes(name)
}

export function isReservedEvent(name: string): boolean {
  return RESERVED_EVENTS.includes(name)
}

/** The name among `candidates` the user most likely meant, if any is close enough. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = name.toLowerCase()
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase()
    const distance = lower === wanted ? 0 : editDistance(wanted, lower)
    if (!best || distance < best.distance) best = { candidate, distance }
  }
  if (best && best.distance <= Math.max(2, Math.floor(wanted.length / 3))) return best.candidate
  // "Start" for ApplicationStart, "Validate" for ValidateService: a unique containing name.
  const containing = candidates.filter(
    (c) => wanted.length >= 4 && c.toLowerCase().includes(wanted)
  )
  return containing.length === 1 ? containing[0] : undefined
}

/** The closest scriptable lifecycle event to a misspelt one. */
export function closestEvent(name: string): string | undefined {
  return closestName(name, SCRIPTABLE_EVENTS)
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
