// Cancellation. The runner cancels with SIGINT, then SIGTERM 7.5 s later (and kills at 10 s):
// both abort the run, which stops the deployment it is waiting for (stop-on-cancel). Installed
// by the entry point before anything else, so a signal during start-up is not lost.

export interface Cancellation {
  signal: AbortSignal
  /** Removes the handlers (the process then exits on a later signal, as by default). */
  dispose(): void
}

export function watchSignals(proc: NodeJS.Process = process): Cancellation {
  const controller = new AbortController()
  const onSignal = (name: NodeJS.Signals): void => {
    if (!controller.signal.aborted) controller.abort(name)
  }
  proc.on('SIGINT', onSignal)
  proc.on('SIGTERM', onSignal)
  return {
    signal: controller.signal,
    dispose: () => {
      proc.off('SIGINT', onSignal)
      proc.off('SIGTERM', onSignal)
    }
  }
}
