// Every CodeDeploy call that reached the emulator, in order, so tests can assert what a client
// called (and that it called nothing on bad input).
export interface LoggedRequest {
  seq: number
  time: string
  operation: string
  application?: string
  status: number
  error?: string
  input?: unknown
}

export class RequestLog {
  private entries: LoggedRequest[] = []
  private seq = 0

  add(entry: Omit<LoggedRequest, 'seq' | 'time'>): void {
    this.entries.push({ seq: ++this.seq, time: new Date().toISOString(), ...entry })
  }

  // Entries after sequence number `since`, optionally only those on one application.
  list(since = 0, application?: string): LoggedRequest[] {
    return this.entries.filter(
      (e) => e.seq > since && (!application || e.application === application)
    )
  }

  lastSeq(): number {
    return this.seq
  }

  clear(): void {
    this.entries = []
  }
}
