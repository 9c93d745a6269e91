// One sort order for paths and names everywhere (bundle entries, listings, findings): by UTF-16
// code unit, as the archive writers and readers need, independent of the runner's locale.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
