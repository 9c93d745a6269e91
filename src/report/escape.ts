// The one escaper for the job summary. Names, paths, appspec text, AWS messages and script output
// are untrusted: none may add HTML, break a table cell or close a code fence. One function per
// place text can go in Markdown.

/** Inside HTML (a <pre>, a <summary>) and as the first step of `text`. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/** Running text, a heading or a table cell: no HTML, no Markdown emphasis or links, one line. */
export function escapeText(text: string): string {
  return escapeHtml(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
}

/**
 * A code span, also safe in a table cell. Markdown shows a code span's content literally (no
 * HTML), except that GitHub splits table cells on '|' first, so that one is escaped.
 */
export function codeSpan(text: string): string {
  return `\`${text
    .replace(/`/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')}\``
}

/** Lines inside a ``` fence: a line cannot close it. */
export function inFence(text: string): string {
  return text.replace(/```/g, '`\u200b``')
}
