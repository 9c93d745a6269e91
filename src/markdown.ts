// Escaping for text that goes into the job summary: names, file paths and messages are untrusted.

/** Safe inside a Markdown table cell: no HTML, no cell breaks, no line breaks. */
export function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
}
