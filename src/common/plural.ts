// Counts in words: "1 instance", "3 instances" (English plurals with a trailing s only), and
// long lists cut short: "i-1, i-2 and 3 more".

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** The first `max` items, then how many more: "i-1, i-2, i-3 and 4 more". */
export function firstAndMore(items: string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} and ${items.length - max} more` : shown
}
