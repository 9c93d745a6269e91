// Errors the user can act on. main.ts prints `message` (and `fix`) as one ::error:: line, never a stack.

export class ActionError extends Error {
  /** The user's next step, appended to the message. */
  readonly fix?: string
  constructor(message: string, fix?: string) {
    super(message)
    this.name = 'ActionError'
    this.fix = fix
  }

  /** The one line shown to the user. */
  describe(): string {
    return this.fix ? `${this.message} ${this.fix}` : this.message
  }
}

/** A malformed input. Raised before any AWS call, so nothing has been uploaded or changed. */
export class InputError extends ActionError {
  readonly input: string
  constructor(input: string, problem: string, fix: string) {
    super(`Input '${input}': ${problem}`, fix)
    this.name = 'InputError'
    this.input = input
  }
}

/** Several problems found together (appspec validation): each is shown, then one summary line. */
export class ValidationError extends ActionError {
  readonly problems: string[]
  constructor(summary: string, problems: string[], fix?: string) {
    super(summary, fix)
    this.name = 'ValidationError'
    this.problems = problems
  }
}

/** An AWS call failed: says which call, what AWS said, and what to check. */
export class AwsCallError extends ActionError {
  readonly call: string
  readonly code: string
  override readonly cause: unknown
  constructor(call: string, code: string, awsMessage: string, check: string, cause?: unknown) {
    super(`${call} failed: ${code}${awsMessage ? `: ${awsMessage}` : ''}.`, check)
    this.name = 'AwsCallError'
    this.call = call
    this.code = code
    this.cause = cause
  }
}

/** The name and message of an SDK error, whatever shape it has. */
export function awsErrorParts(err: unknown): { code: string; message: string; status?: number } {
  if (err && typeof err === 'object') {
    const e = err as {
      name?: unknown
      Code?: unknown
      code?: unknown
      message?: unknown
      $metadata?: { httpStatusCode?: number }
    }
    const code = String(e.name ?? e.Code ?? e.code ?? 'Error')
    const message = typeof e.message === 'string' ? e.message : ''
    return { code, message, status: e.$metadata?.httpStatusCode }
  }
  return { code: 'Error', message: String(err) }
}

/** A cancel (the runner's SIGINT/SIGTERM) that came while the bundle was being made. */
export function cancelledWhileBundling(): ActionError {
  return new ActionError('Cancelled while bundling: nothing was uploaded.')
}
