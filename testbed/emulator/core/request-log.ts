// Every call that reached the emulator (CodeDeploy, Auto Scaling, ELBv2, GitHub), in order, so
// tests can assert what a client called (and that it called nothing on bad input).
export interface LoggedRequest {
  seq: number
  time: string
  operation: string
  application?: string
  // A GitHub call's repository, "owner/name".
  repository?: string
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

  // Entries after sequence number `since`, optionally only those on one application or repository.
  list(since = 0, application?: string, repository?: string): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        e.seq > since &&
        (!application || e.application === application) &&
        (!repository || e.repository?.toLowerCase() === repository.toLowerCase())
    )
  }

  lastSeq(): number {
    return this.seq
  }

  clear(): void {
    this.entries = []
  }
}
