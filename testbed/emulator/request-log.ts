// Every CodeDeploy call that reached the emulator, in order, so tests can assert what a client
// called (and that it called nothing on bad input).
export interface LoggedRequest {
  seq: number
  time: string
  operation: string
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

  list(): LoggedRequest[] {
    return this.entries
  }

  clear(): void {
    this.entries = []
  }
}
