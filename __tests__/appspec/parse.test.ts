import { parseAppspec } from '../../src/appspec/parse.js'

const text = `version: 0.0
os: linux
hooks:
  AfterInstall:
    - location: deploy.sh
      timeout: 300
`

describe('parseAppspec', () => {
  it('reads the document as the agent does (YAML 1.1: 0.0 is a number, 0755 octal)', () => {
    const parsed = parseAppspec(`${text}mode: 0755\n`)
    expect(parsed.issues).toEqual([])
    expect(parsed.value).toEqual({
      version: 0,
      os: 'linux',
      hooks: { AfterInstall: [{ location: 'deploy.sh', timeout: 300 }] },
      mode: 0o755
    })
  })

  it('points at keys, list items and values', () => {
    const parsed = parseAppspec(text)
    expect(parsed.keyPosition(['hooks', 'AfterInstall'])).toEqual({ line: 4, column: 3 })
    expect(parsed.keyPosition(['hooks', 'AfterInstall', 0])).toEqual({ line: 5, column: 7 })
    expect(parsed.keyPosition(['hooks', 'AfterInstall', 0, 'timeout'])).toEqual({
      line: 6,
      column: 7
    })
    expect(parsed.valuePosition(['hooks', 'AfterInstall', 0, 'timeout'])).toEqual({
      line: 6,
      column: 16
    })
    expect(parsed.keyPosition(['hooks', 'BeforeInstall'])).toBeUndefined()
  })

  it('keeps scalars as written and knows quoted ones', () => {
    const parsed = parseAppspec('version: 1.0\nos: "linux"\n')
    expect(parsed.sourceText(['version'])).toBe('1.0')
    expect(parsed.isQuoted(['version'])).toBe(false)
    expect(parsed.sourceText(['os'])).toBe('linux')
    expect(parsed.isQuoted(['os'])).toBe(true)
  })

  it('keeps columns right after a BOM, and drops the keys the agent loses to it', () => {
    // Psych after a BOM ends the top-level mapping at the next column-0 line (agent case
    // yaml/byte-order-mark): only `version` survives.
    const parsed = parseAppspec(`\ufeff${text}`)
    expect(parsed.keyPosition(['version'])).toEqual({ line: 1, column: 1 })
    expect(parsed.keyPosition(['os'])).toBeUndefined()
    expect(parsed.value).toEqual({ version: 0 })
    expect(parsed.droppedByBom).toEqual(['os', 'hooks'])
    expect(parsed.issues).toEqual([])
  })

  it('keeps lines and columns after a BOM followed by a comment, which drops nothing', () => {
    const parsed = parseAppspec(`\ufeff# app\n${text}`)
    expect(parsed.keyPosition(['version'])).toEqual({ line: 2, column: 1 })
    expect(parsed.keyPosition(['os'])).toEqual({ line: 3, column: 1 })
    expect(parsed.droppedByBom).toEqual([])
    expect(parsed.value).toEqual({
      version: 0,
      os: 'linux',
      hooks: { AfterInstall: [{ location: 'deploy.sh', timeout: 300 }] }
    })
  })

  it('reports syntax errors with line and column and marks the text unreadable', () => {
    const parsed = parseAppspec('version: 0.0\nhooks:\n  AfterInstall: [\n    - location: x\n')
    expect(parsed.unreadable).toBe(true)
    expect(parsed.issues[0]).toMatchObject({ severity: 'error', line: 4, column: 5 })
    expect(parsed.issues[0]?.message).toMatch(
      /^The agent's YAML reader fails: "\(<unknown>\): did not find expected node content while parsing a flow node"/
    )
  })

  it("quotes libyaml's words for the syntax errors it knows", () => {
    const parsed = parseAppspec('version: 0.0\nhooks:\n  AfterInstall:\n    - location: "x\n')
    expect(parsed.unreadable).toBe(true)
    expect(parsed.issues[0]).toMatchObject({ severity: 'error' })
    expect(parsed.issues[0]?.message).toContain(
      `The agent's YAML reader fails: "(<unknown>): found unexpected end of stream while scanning a quoted scalar"`
    )
  })

  it('warns about a second document, which the agent ignores', () => {
    const parsed = parseAppspec('version: 0.0\n---\nos: linux\n')
    expect(parsed.unreadable).toBe(false)
    expect(parsed.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 2,
        message: expect.stringContaining("'---'")
      })
    ])
  })
})
