// Counts in words: "1 instance", "3 instances". English plurals with a trailing s only.

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
