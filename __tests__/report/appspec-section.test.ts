import {
  annotationOf,
  countFindings,
  formatFinding,
  summaryMarkdown
} from '../../src/report/appspec-section.js'
import { validateBundle, type Finding } from '../../src/appspec/validate.js'
import { bundleOf, tutorialBundleWith, withAppspec } from '../appspec/bundle-fixture.js'
import { TUTORIAL_APPSPEC } from '../support/tutorial.js'

const unknownEvent: Finding = {
  severity: 'error',
  file: 'appspec.yml',
  line: 12,
  column: 5,
  message: 'appspec.yml file contains unknown lifecycle events: ["ValidateServices"]',
  fix: 'Did you mean "ValidateService"?'
}

describe('formatFinding', () => {
  it.each<[string, Finding, string]>([
    [
      'file, line and column',
      unknownEvent,
      'appspec.yml:12:5: appspec.yml file contains unknown lifecycle events: ["ValidateServices"] Did you mean "ValidateService"?'
    ],
    [
      'file and line',
      {
        ...unknownEvent,
        column: undefined,
        file: 'init.sh',
        line: 1,
        message: 'CRLF.',
        fix: 'Use LF.'
      },
      'init.sh:1: CRLF. Use LF.'
    ],
    [
      'file only',
      { severity: 'error', file: 'appspec.yml', message: 'No appspec.', fix: 'Add one.' },
      'appspec.yml: No appspec. Add one.'
    ]
  ])('shows %s', (_name, finding, line) => {
    expect(formatFinding(finding)).toBe(line)
  })

  it('shows the path the user edits when given a mapping', () => {
    expect(formatFinding(unknownEvent, (f) => `codedeploy/${f}`)).toMatch(
      /^codedeploy\/appspec\.yml:12:5: /
    )
  })
})

describe('annotationOf', () => {
  it('points the annotation at the file, line and column', () => {
    expect(annotationOf(unknownEvent, (f) => `codedeploy/${f}`)).toEqual({
      title: 'appspec error',
      file: 'codedeploy/appspec.yml',
      startLine: 12,
      startColumn: 5
    })
  })

  it('leaves out the line when there is none', () => {
    expect(
      annotationOf({ severity: 'warning', file: 'appspec.yml', message: 'm', fix: 'f' })
    ).toEqual({
      title: 'appspec warning',
      file: 'appspec.yml'
    })
  })
})

describe('countFindings', () => {
  it.each<[Finding[], string]>([
    [[], '0 problems the agent fails on, 0 warnings of advice'],
    [[unknownEvent], '1 problem the agent fails on, 0 warnings of advice'],
    [
      [unknownEvent, unknownEvent, { ...unknownEvent, severity: 'warning' }],
      '2 problems the agent fails on, 1 warning of advice'
    ]
  ])('counts %#', (findings, text) => {
    expect(countFindings(findings)).toBe(text)
  })
})

describe('summaryMarkdown', () => {
  it('says a clean bundle passed and lists its hooks', async () => {
    const report = await validateBundle(bundleOf(tutorialBundleWith()), { origin: 'built' })
    expect(summaryMarkdown(report, (f) => `codedeploy/${f}`)).toBe(
      [
        '### appspec: codedeploy/appspec.yml',
        '',
        'No problems found. 3 hook scripts checked: `deploy.sh`, `init.sh`, `validate.sh`.',
        '',
        '| Lifecycle event | Scripts |',
        '|---|---|',
        '| AfterInstall | `init.sh` (300 s, as root) |',
        '| ApplicationStart | `deploy.sh` (300 s, as root) |',
        '| ValidateService | `validate.sh` (300 s) |',
        ''
      ].join('\n')
    )
  })

  it('tabulates findings with where, problem and fix, escaping pipes', async () => {
    const report = await validateBundle(
      bundleOf(withAppspec(TUTORIAL_APPSPEC.replace('version: 0.0', 'version: 1.0'))),
      { origin: 'built' }
    )
    report.findings.push({ severity: 'warning', file: 'a|b.sh', message: 'x | y', fix: 'z' })
    const markdown = summaryMarkdown(report)
    expect(markdown).toContain('1 problem the agent fails on, 1 warning of advice.')
    expect(markdown).toContain(
      '| :x: error | `appspec.yml:1:1` | The deployment failed because an invalid version value (1.0) was entered in the application specification file. Make sure your AppSpec file specifies &quot;0.0&quot; as the version, and then try again. | Write \\`version: 0.0\\`, the only AppSpec version for EC2/on-premises deployments. |'
    )
    expect(markdown).toContain('| :warning: warning | `a\\|b.sh` | x \\| y | z |')
  })

  it('lets no HTML or Markdown from the appspec into the summary', async () => {
    const report = await validateBundle(bundleOf(withAppspec(TUTORIAL_APPSPEC)), {
      origin: 'built'
    })
    report.findings.push({
      severity: 'warning',
      file: '<b>x</b>.sh',
      message: '<img src=x onerror=alert(1)> [link](http://evil)',
      fix: '</td><script>x</script>'
    })
    const markdown = summaryMarkdown(report)
    expect(markdown).not.toMatch(/<img|<script|<\/td>/)
    expect(markdown).toContain(
      '| :warning: warning | `<b>x</b>.sh` | &lt;img src=x onerror=alert(1)&gt; \\[link\\](http://evil) | &lt;/td&gt;&lt;script&gt;x&lt;/script&gt; |'
    )
  })

  it('names appspec.yml when the bundle has none', async () => {
    const report = await validateBundle(bundleOf({ 'deploy.sh': '#!/bin/sh\n' }), {
      origin: 'archive'
    })
    expect(summaryMarkdown(report)).toMatch(
      /^### appspec: appspec\.yml\n\n1 problem the agent fails on, 0 warnings of advice\./
    )
  })
})
