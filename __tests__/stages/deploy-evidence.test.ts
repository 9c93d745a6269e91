// What the deploy stage hands the advice of the bundle it built: runas users and the script
// check's findings a failure's advice reads back, by the hook location the agent reports.
import { afterEach, expect, it } from '@jest/globals'
import path from 'node:path'
import { parseFileRules } from '../../src/bundle/file-rules.js'
import { MemoryLogger } from '../../src/common/log.js'
import { prepareBundle } from '../../src/stages/bundle.js'
import { bundleEvidence } from '../../src/stages/deploy.js'
import { makeDir } from '../bundle/workspace-fixture.js'
import { writeTree } from '../support/fixtures.js'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

it('names the CRLF script and the background job by location, from a bundle in a subfolder', async () => {
  const ws = makeDir('evidence-ws-')
  const temp = makeDir('evidence-temp-')
  cleanups.push(ws.cleanup, temp.cleanup)
  writeTree(ws.dir, {
    'deploy/appspec.yml': `version: 0.0
os: linux
hooks:
  ApplicationStart:
    - location: scripts/start.sh
      runas: deploy
  ValidateService:
    - location: scripts/check.sh
`,
    'deploy/scripts/start.sh': { mode: 0o755, content: '#!/bin/bash\necho start\r\necho two\r\n' },
    'deploy/scripts/check.sh': {
      mode: 0o755,
      content: '#!/bin/bash\necho ok\npython3 -m http.server 8080 &\n'
    }
  })
  const bundle = await prepareBundle(
    {
      workspace: ws.dir,
      tempDir: temp.dir,
      bundle: {
        kind: 'build',
        sourceDir: path.join(ws.dir, 'deploy'),
        rules: parseFileRules(''),
        type: 'tgz'
      }
    },
    new MemoryLogger()
  )
  const evidence = bundleEvidence(bundle)
  expect(evidence.origin).toBe('built')
  expect(evidence.notes).toHaveLength(2)
  expect(evidence.notes).toEqual(
    expect.arrayContaining([
      { location: 'scripts/start.sh', kind: 'crlf', line: 2 },
      { location: 'scripts/check.sh', kind: 'background-output', line: 3 }
    ])
  )
})
