// dist/index.js under Node 24, as the runner starts it, in dry-run mode and on bad input.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync, utimesSync, writeFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { runAction, type ActionRun } from './harness.js'
import { writeTree } from '../support/fixtures.js'
import { TUTORIAL_INPUTS, TUTORIAL_JAR, tutorialWorkspace } from '../support/tutorial.js'

// Any AWS call would land here: the dry run and bad inputs must make none.
let requests = 0
let server: Server
let trap: string
beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++
    res.writeHead(500).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  trap = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function run(workspace: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({
    workspace,
    inputs,
    env: { AWS_ENDPOINT_URL: trap, AWS_REGION: 'us-east-1' }
  })
}

function tarListing(archive: string): string {
  return execFileSync('tar', ['-tvzf', archive], { encoding: 'utf8' })
}

describe('dry run of the tutorial project', () => {
  let ws: string
  let result: ActionRun
  beforeAll(async () => {
    ws = tutorialWorkspace()
    result = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'true' })
  })

  it('succeeds and makes no AWS call', () => {
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.errors).toEqual([])
    expect(requests).toBe(0)
  })

  it('sets the bundle outputs', () => {
    const o = result.outputs
    expect(o['bundle-sha256']).toMatch(/^[0-9a-f]{64}$/)
    expect(Number(o['bundle-size'])).toBe(statSync(o['bundle-path'] as string).size)
    expect(o['bundle-key']).toBe(`sample-app/42/${o['bundle-sha256']?.slice(0, 16)}.tgz`)
    expect(o['bundle-uri']).toBe(`s3://my-codedeploy-bucket/${o['bundle-key']}`)
    expect(o['deployment-status']).toBe('')
  })

  it('builds the bundle the tutorial built by hand, scripts executable, plain jar left out', () => {
    const listing = tarListing(result.outputs['bundle-path'] as string)
    const lines = listing.trim().split('\n')
    const names = lines.map((l) => l.split(/\s+/).slice(5).join(' '))
    expect(names).toEqual([
      'application.jar',
      'appspec.yml',
      'deploy.sh',
      'init.sh',
      'nginx.conf',
      'validate.sh'
    ])
    for (const l of lines) expect(l).toMatch(/ root\/root .* 1980-01-01 00:00 /)
    // init.sh has no +x in the workspace, deploy.sh has.
    expect(lines.find((l) => l.endsWith(' init.sh'))).toMatch(/^-rwxr-xr-x /)
    expect(lines.find((l) => l.endsWith(' deploy.sh'))).toMatch(/^-rwxr-xr-x /)
    expect(lines.find((l) => l.endsWith(' nginx.conf'))).toMatch(/^-rw-r--r-- /)
  })

  it('prints the listing, the key and the CreateDeployment request', () => {
    expect(result.stdout).toContain('application.jar')
    expect(result.stdout).toContain(`S3 key: ${result.outputs['bundle-key']}`)
    expect(result.stdout).toContain('"deploymentGroupName": "staging"')
    expect(result.stdout).toContain('"bundleType": "tgz"')
    expect(result.stdout).toContain(
      '"description": "octo-org/sample-app@0123456 run #42 https://github.com/octo-org/sample-app/actions/runs/9876543210"'
    )
  })

  it('writes a job summary with the bundle, the key and the request', () => {
    expect(result.summary).toContain('## CodeDeploy dry run: sample-app')
    expect(result.summary).toContain(result.outputs['bundle-sha256'])
    expect(result.summary).toContain(result.outputs['bundle-key'])
    expect(result.summary).toContain('"applicationName": "sample-app"')
  })

  it('gives the same sha256 on a second run after every timestamp changed', async () => {
    const later = new Date('2031-05-05T05:05:05Z')
    for (const f of ['codedeploy/appspec.yml', 'codedeploy/deploy.sh', TUTORIAL_JAR])
      utimesSync(path.join(ws, f), later, later)
    const again = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'true' })
    expect(again.code).toBe(0)
    expect(again.outputs['bundle-sha256']).toBe(result.outputs['bundle-sha256'])
    expect(again.outputs['bundle-path']).not.toBe(result.outputs['bundle-path'])
  })
})

describe('bundle types', () => {
  it('writes a zip the agent can unzip, modes kept', async () => {
    const ws = tutorialWorkspace()
    const r = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'true', 'bundle-type': 'zip' })
    expect(r.code).toBe(0)
    expect(r.outputs['bundle-key']).toMatch(/\.zip$/)
    const z = execFileSync('unzip', ['-Z', r.outputs['bundle-path'] as string], {
      encoding: 'utf8'
    })
    expect(z).toMatch(/-rwxr-xr-x .* init\.sh/)
    expect(z).toMatch(/-rwxr-xr-x .* deploy\.sh/)
    expect(z).toMatch(/-rw-r--r-- .* appspec\.yml/)
  })

  it('writes a plain tar', async () => {
    const ws = tutorialWorkspace()
    const r = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'true', 'bundle-type': 'tar' })
    expect(r.code).toBe(0)
    const names = execFileSync('tar', ['-tf', r.outputs['bundle-path'] as string], {
      encoding: 'utf8'
    })
    expect(names.split('\n')).toContain('application.jar')
  })

  it('validates a pre-built archive made the tutorial way (tar -zcvf deploy.tar.gz ./dist)', async () => {
    const ws = tutorialWorkspace()
    execFileSync(
      'sh',
      [
        '-c',
        `mkdir dist && cp codedeploy/* dist/ && chmod +x dist/*.sh && cp ${TUTORIAL_JAR} dist/application.jar && tar -zcf deploy.tar.gz ./dist`
      ],
      { cwd: ws }
    )
    const r = await run(ws, {
      application: 'sample-app',
      'deployment-group': 'staging',
      bucket: 'my-codedeploy-bucket',
      archive: 'deploy.tar.gz',
      'dry-run': 'true'
    })
    expect(r.errors).toEqual([])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('single folder')
    expect(r.outputs['bundle-path']).toBe(path.join(ws, 'deploy.tar.gz'))
    expect(r.outputs['bundle-sha256']).toBe(
      execFileSync('sha256sum', [path.join(ws, 'deploy.tar.gz')], { encoding: 'utf8' }).split(
        ' '
      )[0]
    )
  })
})

describe('refusals: one clear error, no archive, no AWS call', () => {
  const cases: [string, Record<string, string>, Record<string, string | Buffer>, RegExp][] = [
    [
      'a bad bucket name',
      { bucket: 'My_Bucket' },
      {},
      /^Input 'bucket': 'My_Bucket' has upper-case letters/
    ],
    ['no bucket outside dry-run', { bucket: '' }, {}, /^Input 'bucket': is required/],
    [
      'a rename rule matching the boot jar and the plain jar',
      { files: 'build/libs/*.jar => application.jar' },
      {},
      /demo-0\.0\.1-SNAPSHOT-plain\.jar.*!build\/libs\/\*-plain\.jar|!build\/libs\/\*-plain\.jar.*demo-0\.0\.1-SNAPSHOT-plain\.jar/s
    ],
    [
      'a pattern matching nothing',
      { files: 'target/*.war => application.war' },
      {},
      /matched no file/
    ],
    [
      'an unknown key placeholder',
      { key: '{application}/{build}.tgz' },
      {},
      /^Input 'key': .*unknown placeholder \{build\}/
    ],
    [
      'an appspec the agent rejects',
      {},
      {
        'codedeploy/appspec.yml':
          'version: 1.0\nos: linux\nhooks:\n  ValidateServices:\n    - location: validate.sh\n'
      },
      /The CodeDeploy agent would fail on this bundle: 2 problems the agent fails on/
    ]
  ]
  it.each(cases)('%s', async (_name, inputs, files, message) => {
    const ws = tutorialWorkspace(files)
    const before = requests
    const r = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'false', ...inputs })
    expect(r.code).toBe(1)
    const failure = r.stdout.split('\n').filter((l) => l.startsWith('::error::'))
    expect(failure).toHaveLength(1)
    expect(failure[0]?.replace('::error::', '')).toMatch(message)
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/)
    expect(r.outputs['bundle-path']).toBeUndefined()
    expect(requests).toBe(before)
    expect(readdirSync(r.tempDir)).toEqual([])
  })

  it('lists every appspec problem, each with its file and line', async () => {
    const ws = tutorialWorkspace({
      'codedeploy/appspec.yml':
        'version: 1.0\nos: linux\nhooks:\n  ValidateServices:\n    - location: validate.sh\n'
    })
    writeFileSync(path.join(ws, 'codedeploy/validate.sh'), '#!/bin/bash\r\nexit 0\r\n')
    const r = await run(ws, { ...TUTORIAL_INPUTS })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error title=appspec error,file=codedeploy\/appspec\.yml,line=1.*invalid version value \(1\.0\)/
    )
    expect(r.stdout).toMatch(/unknown lifecycle events: \["ValidateServices"\].*ValidateService/)
    expect(requests).toBe(0)
  })
})

describe('hostile paths', () => {
  it('refuses a symlink to a file outside the workspace', async () => {
    const ws = tutorialWorkspace()
    writeTree(ws, {})
    execFileSync('ln', ['-s', '/etc/passwd', path.join(ws, 'codedeploy/credentials')])
    const r = await run(ws, { ...TUTORIAL_INPUTS, 'dry-run': 'true' })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toMatch(/credentials/)
    expect(r.outputs['bundle-path']).toBeUndefined()
  })
})
