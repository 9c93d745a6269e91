// What the user hears about silent agents while a deployment runs: at each instance refresh, one
// warning, then a line per newly silent instance; with on-agent-silence: fail, 'halt'.
import { formatDuration } from '../../common/duration.js'
import type { Logger } from '../../common/log.js'
import { plural } from '../../common/plural.js'
import type { DeploySettings } from '../../settings/settings.js'
import type { InstanceView } from '../types.js'
import { AgentWatch, silenceWarning, silentList } from './watch.js'

export interface SilenceReporterOptions {
  log: Logger
  now: () => number
  settings: Pick<DeploySettings, 'agentSilenceTimeoutMinutes' | 'onAgentSilence'>
  region: string
  /** The deployment watched. */
  deploymentId: string
}

export class SilenceReporter {
  readonly watch: AgentWatch
  private warned = false

  constructor(private readonly o: SilenceReporterOptions) {
    this.watch = new AgentWatch(o.settings.agentSilenceTimeoutMinutes * 60_000)
  }

  look(instances: InstanceView[]): 'continue' | 'halt' {
    const { log, now, settings, region, deploymentId: id } = this.o
    const { newlySilent, answered } = this.watch.observe(instances, now())
    for (const s of answered)
      log.info(
        `${id} ${s.instanceId}: the CodeDeploy agent picked up ${s.event} after ${formatDuration(now() - s.since)}.`
      )
    if (newlySilent.length === 0) return 'continue'
    if (settings.onAgentSilence === 'fail') return 'halt'
    if (!this.warned) {
      this.warned = true
      const silent = this.watch.silentNow()
      log.warning(silenceWarning(silent, settings.agentSilenceTimeoutMinutes, region), {
        title: `CodeDeploy agent not responding on ${plural(silent.length, 'instance')}`
      })
      log.info(
        `Still waiting for deployment ${id} (on-agent-silence: warn); CodeDeploy fails these instances after an hour unless their agent answers.`
      )
    } else {
      log.info(`${id}: the agent is silent on more instances now: ${silentList(newlySilent)}.`)
    }
    return 'continue'
  }
}
