// The Logger, backed by the runner's workflow commands.
import * as core from '@actions/core'
import type { AnnotationProps, Logger } from './common/log.js'

export const runnerLog: Logger = {
  info: (m) => core.info(m),
  debug: (m) => core.debug(m),
  warning: (m, p?: AnnotationProps) => core.warning(m, p ?? {}),
  error: (m, p?: AnnotationProps) => core.error(m, p ?? {}),
  notice: (m) => core.notice(m),
  startGroup: (t) => core.startGroup(t),
  endGroup: () => core.endGroup()
}
