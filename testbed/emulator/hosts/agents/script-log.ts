// The agent's ScriptLog: entries kept while they fit in about 2,048 characters, oldest dropped
// first (with the agent's own off-by-one, so the tails match character for character).
export class ScriptLog {
  private entries: string[] = []

  append(entry: string): void {
    this.entries.push(entry)
    let index = this.entries.length
    let remaining = 2048
    while (index > 0 && remaining - this.entries[index - 1]!.length > 0) {
      index -= 1
      remaining -= this.entries.at(index - 1)!.length
    }
    if (index > 0) this.entries = this.entries.slice(index)
  }

  text(): string {
    return this.entries.join('')
  }
}
