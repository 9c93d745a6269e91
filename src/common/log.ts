// A narrow logging seam: core modules log through this, so tests record lines
// instead of parsing workflow commands. The runner-backed implementation is in runner-log.ts.

export interface AnnotationProps {
  title?: string
  file?: string
  startLine?: number
  startColumn?: number
}

export interface Logger {
  info(message: string): void
  debug(message: string): void
  warning(message: string, props?: AnnotationProps): void
  /** An error annotation; does not fail the step by itself. */
  error(message: string, props?: AnnotationProps): void
  /** A notice annotation: something the user should see although nothing is wrong. */
  notice(message: string): void
  startGroup(title: string): void
  endGroup(): void
}

/** Collects everything, for tests and for the summary. */
export class MemoryLogger implements Logger {
  readonly lines: {
    level: 'info' | 'debug' | 'warning' | 'error' | 'notice' | 'group' | 'endgroup'
    message: string
    props?: AnnotationProps
  }[] = []
  info(message: string): void {
    this.lines.push({ level: 'info', message })
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message })
  }
  warning(message: string, props?: AnnotationProps): void {
    this.lines.push({ level: 'warning', message, props })
  }
  error(message: string, props?: AnnotationProps): void {
    this.lines.push({ level: 'error', message, props })
  }
  notice(message: string): void {
    this.lines.push({ level: 'notice', message })
  }
  startGroup(title: string): void {
    this.lines.push({ level: 'group', message: title })
  }
  endGroup(): void {
    this.lines.push({ level: 'endgroup', message: '' })
  }
  text(level?: string): string {
    return this.lines
      .filter((l) => !level || l.level === level)
      .map((l) => l.message)
      .join('\n')
  }
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Resolves after ms, or at once (without throwing) when signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
