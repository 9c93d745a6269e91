// A lifecycle event's failure as the agent reports it: its error code, message, script and log.
import type { LifecycleErrorCode } from '../../codedeploy/model.ts'

export class AgentFailure extends Error {
  readonly code: LifecycleErrorCode
  readonly scriptName: string
  readonly log: string

  constructor(code: LifecycleErrorCode, message: string, scriptName = '', log = '') {
    super(message)
    this.code = code
    this.scriptName = scriptName
    this.log = log
  }
}

// The agent's own failures during an install or a parse (UnknownError, its words).
export function fail(message: string): never {
  throw new AgentFailure('UnknownError', message)
}
