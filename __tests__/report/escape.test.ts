import { describe, expect, it } from '@jest/globals'
import { codeSpan, escapeHtml, escapeText, inFence } from '../../src/report/escape.js'

const HOSTILE = 'a|b\n<img src=x onerror=alert(1)> *x* `c` [d](http://e) ~f~ _g_ & \\'

describe('the one escaper', () => {
  it('escapeHtml leaves no tag, entity or attribute quote', () => {
    expect(escapeHtml('<a href="x">&amp;</a>')).toBe(
      '&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;'
    )
  })

  it('escapeText: no HTML, no Markdown markup, no cell break, one line', () => {
    const out = escapeText(HOSTILE)
    expect(out).toBe(
      'a\\|b &lt;img src=x onerror=alert(1)&gt; \\*x\\* \\`c\\` \\[d\\](http://e) \\~f\\~ \\_g\\_ &amp; \\\\'
    )
    expect(out).not.toMatch(/[<>\n]/)
    expect(out.split(/(?<!\\)\|/)).toHaveLength(1)
  })

  it('codeSpan: literal text in one code span that cannot end early or break a cell', () => {
    const out = codeSpan(HOSTILE)
    expect(out.startsWith('`') && out.endsWith('`')).toBe(true)
    expect(out.slice(1, -1)).not.toContain('`')
    expect(out).not.toContain('\n')
    expect(out.split(/(?<!\\)\|/)).toHaveLength(1)
    // A code span shows its content literally: HTML inside it is text, not markup.
    expect(out).toContain('<img src=x onerror=alert(1)>')
  })

  it('inFence: no line can close the fence it sits in', () => {
    expect(inFence('x\n```\n<b>y</b>')).not.toMatch(/^```/m)
  })
})
