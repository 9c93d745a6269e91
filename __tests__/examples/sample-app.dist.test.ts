// The sample app builds with the JDK alone, and its bundle passes the action's checks the way the
// demo and the examples build it (dry run of dist/index.js under Node 24, no AWS).
import { beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync } from 'node:fs'
import path from 'node:path'
import { runAction } from '../e2e/harness.js'
import { REPO } from './workflow-files.js'
import { suiteTempDir } from '../temp-dir.js'

const SAMPLE = path.join(REPO, 'examples', 'sample-app')
const FILES = 'build/libs/*.jar => application.jar\n!build/libs/*-plain.jar'

function workspace(): string {
  const dir = suiteTempDir('sample-app-')
  cpSync(path.join(SAMPLE, 'codedeploy'), path.join(dir, 'codedeploy'), { recursive: true })
  cpSync(path.join(SAMPLE, 'build', 'libs'), path.join(dir, 'build', 'libs'), { recursive: true })
  return dir
}

function dryRun(files: string) {
  return runAction({
    workspace: workspace(),
    inputs: {
      application: 'sample-app',
      'deployment-group': 'sample-app-fleet',
      source: 'codedeploy',
      files,
      'dry-run': 'true'
    }
  })
}

describe('examples/sample-app', () => {
  beforeAll(() => {
    const build = spawnSync(path.join(SAMPLE, 'build.sh'), { encoding: 'utf8' })
    if (build.status !== 0) throw new Error(`build.sh failed: ${build.stderr}`)
  }, 120_000)

  it('builds a runnable jar and a plain one, as a Spring Boot build does', () => {
    for (const jar of ['sample-app.jar', 'sample-app-plain.jar'])
      expect(existsSync(path.join(SAMPLE, 'build', 'libs', jar))).toBe(true)
    const manifest = spawnSync(
      'unzip',
      ['-p', path.join(SAMPLE, 'build', 'libs', 'sample-app.jar'), 'META-INF/MANIFEST.MF'],
      { encoding: 'utf8' }
    ).stdout
    expect(manifest).toContain('Main-Class: com.example.sampleapp.App')
  })

  it('has hook scripts bash can parse', () => {
    const scripts = path.join(SAMPLE, 'codedeploy', 'scripts')
    for (const s of [
      'common.sh',
      'stop_server.sh',
      'after_install.sh',
      'start_server.sh',
      'validate_service.sh'
    ]) {
      const r = spawnSync('bash', ['-n', path.join(scripts, s)], { encoding: 'utf8' })
      expect([s, r.status, r.stderr]).toEqual([s, 0, ''])
    }
  })

  it('bundles with the rules of the examples and passes the appspec checks', async () => {
    const run = await dryRun(FILES)
    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('application.jar')
    expect(run.stdout).not.toContain('plain')
    expect(run.summary).toContain('No problems found')
    expect(run.outputs['bundle-key']).toMatch(/^sample-app\/42\/[0-9a-f]{16}\.tgz$/)
  }, 60_000)

  it('needs the ! rule: without it the two jars make the rename ambiguous', async () => {
    const run = await dryRun('build/libs/*.jar => application.jar')
    expect(run.code).not.toBe(0)
    expect(run.errors.join('\n')).toContain(
      "add an exclusion line such as '!build/libs/*-plain.jar'"
    )
  }, 60_000)
})
