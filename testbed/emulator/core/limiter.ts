// At most `limit` tasks at once; the rest wait in order.
export class Limiter {
  private readonly limit: number
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(limit: number) {
    this.limit = Math.max(1, limit)
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((r) => this.waiting.push(r))
    this.running++
    try {
      return await task()
    } finally {
      this.running--
      this.waiting.shift()?.()
    }
  }
}
