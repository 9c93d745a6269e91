// A start script whose background job keeps the hook's output open, as the user meets it: a
// warning annotation on the script's line, a row of the summary's appspec section, and a bundle
// built and kept all the same (the agent accepts the script; only the event fails later).

import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { validateBundle } from '../../src/appspec/validate.js'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { MemoryLogger } from '../../src/common/log.js'
import { logFindings, summaryMarkdown } from '../../src/report/appspec-section.js'
import { prepareBundle } from '../../src/stages/bundle.js'
import { writeTree } from '../support/fixtures.js'
import { TUTORIAL_APPSPEC } from '../support/tutorial.js'
import { suiteTempDir } from '../temp-dir.js'
import { bundleOf, tutorialBundleWith } from './bundle-fixture.js'

const START = [
  '#!/bin/bash',
  'set -euo pipefail',
  'cd /home/ec2-user/app',
  'java -jar application.jar &',
  'echo "started"',
  ''
].join('\n')
const started = tutorialBundleWith({ 'deploy.sh': { content: START, mode: 0o755 } })
const inSource = (f: string) => `codedeploy/${f}`

describe('a background job on the hook output, as the user sees it', () => {
  it('is a warning annotation on the line of the job, in the source folder', async () => {
    const report = await validateBundle(bundleOf(started), { origin: 'built' })
    const log = new MemoryLogger()
    logFindings(report, log, inSource)
    expect(log.lines).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^codedeploy\/deploy\.sh:4: deploy\.sh line 4: `java -jar application\.jar &` runs in the background .* Redirect its output: `java -jar application\.jar > \/dev\/null 2>&1 < \/dev\/null &` \(or run the service under systemd\)\.$/
        ),
        props: { title: 'appspec warning', file: 'codedeploy/deploy.sh', startLine: 4 }
      }
    ])
  })

  it("is a row of the summary's appspec section", async () => {
    const report = await validateBundle(bundleOf(started), { origin: 'built' })
    const markdown = summaryMarkdown(report, inSource)
    expect(markdown).toContain('0 problems the agent fails on, 1 warning of advice.')
    expect(markdown).toContain(
      '| :warning: warning | `codedeploy/deploy.sh:4` | deploy.sh line 4: \\`java -jar application.jar &amp;\\` runs in the background'
    )
  })

  it("says nothing of the tutorial's start script, which sends only java to the background", async () => {
    const report = await validateBundle(bundleOf(tutorialBundleWith()), { origin: 'built' })
    expect(report.findings).toEqual([])
  })

  it('does not stop the bundle: the agent accepts the script', async () => {
    const ws = suiteTempDir('bg-ws-')
    writeTree(ws, {
      'codedeploy/appspec.yml': TUTORIAL_APPSPEC,
      'codedeploy/deploy.sh': { mode: 0o755, content: START },
      'codedeploy/init.sh': { mode: 0o755, content: '#!/bin/bash\necho init\n' },
      'codedeploy/validate.sh': { mode: 0o755, content: '#!/bin/bash\necho ok\n' }
    })
    const log = new MemoryLogger()
    const bundle = await prepareBundle(
      {
        workspace: ws,
        tempDir: suiteTempDir('bg-temp-'),
        bundle: {
          kind: 'build',
          sourceDir: path.join(ws, 'codedeploy'),
          rules: parseFileRules(''),
          type: 'tgz'
        }
      },
      log
    )
    expect(existsSync(bundle.path)).toBe(true)
    expect(bundle.appspec.findings.map((f) => [f.severity, f.file, f.line])).toEqual([
      ['warning', 'deploy.sh', 4]
    ])
    expect(log.text('warning')).toContain('codedeploy/deploy.sh:4: deploy.sh line 4:')
  })
})
