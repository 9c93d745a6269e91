// A matrix of malformed inputs and workspaces: every one fails with one ::error:: line that names
// the problem, and leaves no trace. Every case runs the action's main step in process with both
// AWS clients mocked (e2e/in-process.ts): no call tried. One case of each group also runs as the
// runner runs dist/ against the bed: no call reaches S3 or CodeDeploy (a counting proxy sits in
// front of both), the emulator logged nothing, and nothing is stored in the buckets. A dist/ run
// costs ~0.5 CPU-s here, and what differs between the cases of a group is the code both run.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ActionRun } from '../e2e/harness.js'
import { runInProcess, type InProcessRun } from '../e2e/in-process.js'
import { writeTree } from '../support/fixtures.js'
import {
  expectNoTrace,
  expectRefused,
  refusedRun,
  runRefused,
  type RefusedCase,
  type RefusedRuns
} from './rel.js'

const APP = 'rel-refused'
// A run number no other test uses: any key a refused run might have written would contain it.
const RUN_NUMBER = '7001'

const APPSPEC = 'deploy/appspec.yml'
const appspec = (text: string) => (ws: string) => writeTree(ws, { [APPSPEC]: text })
const HEAD = 'version: 0.0\nos: linux\n'
const HOOK = `hooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n`

function tarOf(ws: string, name: string, dir: string, members: string[], flags = '-czf'): void {
  execFileSync('tar', [flags, path.join(ws, name), '-C', path.join(ws, dir), ...members])
}

function zipOf(ws: string, name: string, dir: string, members: string[]): void {
  execFileSync('zip', ['-qr', path.join(ws, name), ...members], { cwd: path.join(ws, dir) })
}

const cases: RefusedCase[] = [
  // names
  { name: 'application missing', inputs: { application: '' }, message: /application.*required/i },
  {
    name: 'application on two lines',
    inputs: { application: `${APP}\nother` },
    message: /application.*several lines/
  },
  {
    name: 'application of 101 characters',
    inputs: { application: 'a'.repeat(101) },
    message: /application.*101 characters.*100/
  },
  {
    name: 'application with a control character',
    inputs: { application: `${APP}\u0007` },
    message: /application.*control characters/
  },
  {
    name: 'deployment-group missing',
    inputs: { 'deployment-group': '# none\n' },
    message: /deployment-group.*required/
  },
  {
    name: 'deployment-group listed twice',
    inputs: { 'deployment-group': 'fleet\nfleet' },
    message: /deployment-group.*'fleet' twice/
  },
  {
    name: 'deployment-group of 101 characters',
    inputs: { 'deployment-group': 'g'.repeat(101) },
    message: /deployment-group.*101 characters/
  },
  {
    name: 'deployment-config with a tab',
    inputs: { 'deployment-config': 'CodeDeployDefault.\tAllAtOnce' },
    message: /deployment-config.*control characters/
  },
  { name: 'bucket missing', inputs: { bucket: '' }, message: /bucket.*required.*dry-run/ },
  { name: 'bucket with capitals', inputs: { bucket: 'My_Bucket' }, message: /bucket.*'My_Bucket'/ },
  {
    name: 'bucket given as a URI',
    inputs: { bucket: 's3://testbed-bucket/path' },
    message: /bucket.*URI.*'testbed-bucket'/
  },
  { name: 'bucket too short', inputs: { bucket: 'ab' }, message: /bucket.*'ab'/ },
  { name: 'region not a region', inputs: { region: 'mars' }, message: /region.*'mars'/ },
  { name: 'region in capitals', inputs: { region: 'US-EAST-1' }, message: /region.*'US-EAST-1'/ },
  // enums and booleans
  {
    name: 'bundle-type rar',
    inputs: { 'bundle-type': 'rar' },
    message: /bundle-type.*'rar'.*tgz, zip, tar/
  },
  { name: 'sse aes', inputs: { sse: 'aes' }, message: /sse.*'aes'.*AES256 or aws:kms/ },
  {
    name: 'sse-kms-key-id without sse',
    inputs: { 'sse-kms-key-id': 'alias/deploy' },
    message: /sse-kms-key-id.*sse.*aws:kms/
  },
  {
    name: 'sse-kms-key-id with a space',
    inputs: { sse: 'aws:kms', 'sse-kms-key-id': 'alias/a b' },
    message: /sse-kms-key-id.*whitespace/
  },
  {
    name: 'file-exists-behavior replace',
    inputs: { 'file-exists-behavior': 'replace' },
    message: /file-exists-behavior.*'replace'.*DISALLOW, OVERWRITE or RETAIN/
  },
  {
    name: 'if-active-deployment queue',
    inputs: { 'if-active-deployment': 'queue' },
    message: /if-active-deployment.*'queue'.*wait or fail/
  },
  {
    name: 'on-timeout rollback',
    inputs: { 'on-timeout': 'rollback' },
    message: /on-timeout.*'rollback'/
  },
  { name: 'wait yes', inputs: { wait: 'yes' }, message: /wait.*'yes' is not a boolean/ },
  {
    name: 'dry-run maybe',
    inputs: { 'dry-run': 'maybe' },
    message: /dry-run.*'maybe' is not a boolean/
  },
  {
    name: 'auto-rollback 1',
    inputs: { 'auto-rollback': '1' },
    message: /auto-rollback.*'1' is not a boolean/
  },
  {
    name: 'stop-on-cancel no',
    inputs: { 'stop-on-cancel': 'no' },
    message: /stop-on-cancel.*'no'/
  },
  {
    name: 'ignore-application-stop-failures on',
    inputs: { 'ignore-application-stop-failures': 'on' },
    message: /ignore-application-stop-failures.*'on'/
  },
  {
    name: 'update-outdated-instances-only y',
    inputs: { 'update-outdated-instances-only': 'y' },
    message: /update-outdated-instances-only.*'y'/
  },
  // numbers
  { name: 'wait-timeout 0', inputs: { 'wait-timeout': '0' }, message: /wait-timeout.*'0'/ },
  {
    name: 'wait-timeout negative',
    inputs: { 'wait-timeout': '-5' },
    message: /wait-timeout.*'-5'/
  },
  {
    name: 'wait-timeout in exponent form',
    inputs: { 'wait-timeout': '1e3' },
    message: /wait-timeout.*'1e3'/
  },
  {
    name: 'wait-timeout above a day',
    inputs: { 'wait-timeout': '1441' },
    message: /wait-timeout.*'1441'.*1440/
  },
  {
    name: 'wait-timeout with a unit',
    inputs: { 'wait-timeout': '30m' },
    message: /wait-timeout.*'30m'/
  },
  {
    name: 'expected-bucket-owner not an account id',
    inputs: { 'expected-bucket-owner': '12345' },
    message: /expected-bucket-owner.*'12345'.*12-digit/
  },
  // key template
  {
    name: 'key with an unknown placeholder',
    inputs: { key: '{application}/{run_number}/{nope}' },
    message: /key.*nope/
  },
  {
    name: 'key rendering past 1024 bytes',
    inputs: { key: `{application}/{run_number}/${'k'.repeat(1100)}.{ext}` },
    message: /key.*bytes.*1024/
  },
  {
    name: 'key using {sha} with GITHUB_SHA unset',
    inputs: { key: '{application}/{run_number}/{sha}.{ext}' },
    env: { GITHUB_SHA: '' },
    message: /key.*\{sha\}.*GITHUB_SHA/
  },
  // files, globs and renames
  {
    name: 'files glob matching nothing',
    inputs: { files: 'missing/*.jar => app.jar' },
    message: /missing\/\*\.jar/
  },
  {
    name: 'files rename of a glob matching two files',
    inputs: { files: 'libs/*.jar => application.jar' },
    workspace: (ws) => writeTree(ws, { 'libs/a.jar': 'a', 'libs/b.jar': 'b' }),
    message: /libs\/\*\.jar.*(2|two|several|more than one)/i
  },
  {
    name: 'files rename onto appspec.yml',
    inputs: { files: 'extra/appspec.yml => appspec.yml' },
    workspace: (ws) => writeTree(ws, { 'extra/appspec.yml': `${HEAD}` }),
    message: /appspec\.yml/
  },
  {
    name: 'files: two renames to one target',
    inputs: { files: 'a.txt => same.txt\nb.txt => same.txt' },
    workspace: (ws) => writeTree(ws, { 'a.txt': 'a', 'b.txt': 'b' }),
    message: /same\.txt/
  },
  {
    name: "files: '=>' without a target",
    inputs: { files: 'a.txt =>' },
    message: /files.*line 1.*'=>' needs a pattern/
  },
  {
    name: "files: '!' alone",
    inputs: { files: '!' },
    message: /files.*line 1.*'!' needs a pattern/
  },
  {
    name: 'files: two arrows',
    inputs: { files: 'a.txt => b.txt => c.txt' },
    message: /files.*only one '=>'/
  },
  {
    name: 'files: target with a backslash',
    inputs: { files: 'a.txt => lib\\a.txt' },
    workspace: (ws) => writeTree(ws, { 'a.txt': 'a' }),
    message: /files.*backslash/
  },
  // source and archive
  { name: 'source folder missing', inputs: { source: 'nope' }, message: /source.*nope/ },
  {
    name: 'source is a file',
    inputs: { source: 'deploy/app.txt' },
    message: /source.*app\.txt/
  },
  {
    name: 'archive together with source',
    inputs: { archive: 'bundle.tgz' },
    message: /archive.*source/
  },
  {
    name: 'archive of unknown type',
    inputs: { source: '', archive: 'bundle.rar' },
    message: /archive.*\.rar/
  },
  { name: 'archive missing', inputs: { source: '', archive: 'none.tgz' }, message: /none\.tgz/ },
  {
    name: 'archive of random bytes',
    inputs: { source: '', archive: 'junk.tgz' },
    workspace: (ws) =>
      writeFileSync(path.join(ws, 'junk.tgz'), Buffer.from('not a gzip stream at all')),
    message: /junk\.tgz/
  },
  {
    name: 'archive truncated zip',
    inputs: { source: '', archive: 'cut.zip' },
    workspace: (ws) => {
      zipOf(ws, 'cut.zip', 'deploy', ['.'])
      truncateSync(path.join(ws, 'cut.zip'), 300)
    },
    message: /cut\.zip/
  },
  {
    name: 'archive truncated tgz',
    inputs: { source: '', archive: 'cut.tgz' },
    workspace: (ws) => {
      writeTree(ws, { 'deploy/big.bin': execFileSync('head', ['-c', '200000', '/dev/urandom']) })
      tarOf(ws, 'cut.tgz', 'deploy', ['.'])
      truncateSync(path.join(ws, 'cut.tgz'), 100_000)
    },
    message: /cut\.tgz/
  },
  {
    name: 'archive empty file',
    inputs: { source: '', archive: 'empty.tar' },
    workspace: (ws) => writeFileSync(path.join(ws, 'empty.tar'), ''),
    message: /empty\.tar/
  },
  {
    name: 'archive holding no appspec',
    inputs: { source: '', archive: 'noappspec.tgz' },
    workspace: (ws) => tarOf(ws, 'noappspec.tgz', 'deploy', ['app.txt', 'scripts']),
    message: /appspec/
  },
  {
    name: 'archive zip with appspec two folders down',
    inputs: { source: '', archive: 'deep.zip' },
    workspace: (ws) => {
      mkdirSync(path.join(ws, 'outer/inner'), { recursive: true })
      execFileSync('cp', ['-r', path.join(ws, 'deploy/.'), path.join(ws, 'outer/inner')])
      zipOf(ws, 'deep.zip', '.', ['outer'])
    },
    message: /appspec/
  },
  // appspecs the agent rejects
  {
    name: 'no appspec in source',
    workspace: (ws) => rmSync(path.join(ws, APPSPEC)),
    message: /appspec/
  },
  { name: 'empty appspec', workspace: appspec(''), message: /appspec.*empty/ },
  {
    name: 'appspec not YAML',
    workspace: appspec('version: 0.0\nos: [linux\n'),
    message: /appspec/
  },
  {
    name: 'appspec indented with a tab',
    workspace: appspec(`${HEAD}hooks:\n\tApplicationStart:\n\t\t- location: scripts/start.sh\n`),
    message: /appspec/
  },
  { name: 'appspec a list', workspace: appspec('- version: 0.0\n'), message: /must be a map/ },
  { name: 'appspec version missing', workspace: appspec(`os: linux\n${HOOK}`), message: /version/ },
  {
    name: 'appspec version quoted',
    workspace: appspec(`version: "0.0"\nos: linux\n${HOOK}`),
    message: /version/
  },
  {
    name: 'appspec version 1.0',
    workspace: appspec(`version: 1.0\nos: linux\n${HOOK}`),
    message: /version/
  },
  {
    name: 'appspec os macos',
    workspace: appspec(`version: 0.0\nos: macos\n${HOOK}`),
    message: /operating system \(macos\)/
  },
  {
    name: 'appspec os missing',
    workspace: appspec(`version: 0.0\n${HOOK}`),
    message: /operating system|os: linux/
  },
  {
    name: 'appspec lifecycle event misspelt',
    workspace: appspec(`${HEAD}hooks:\n  ApplicationStrat:\n    - location: scripts/start.sh\n`),
    message: /unknown lifecycle events.*ApplicationStrat/
  },
  {
    name: 'appspec hook script not in the bundle',
    workspace: appspec(`${HEAD}hooks:\n  ApplicationStart:\n    - location: scripts/missing.sh\n`),
    message: /scripts\/missing\.sh/
  },
  {
    name: 'appspec hook location naming a folder',
    workspace: appspec(`${HEAD}hooks:\n  ApplicationStart:\n    - location: scripts\n`),
    message: /Errno::EACCES with message Permission denied/
  },
  {
    name: 'appspec hook script with CRLF',
    workspace: (ws) => writeTree(ws, { 'deploy/scripts/start.sh': '#!/bin/bash\r\necho hi\r\n' }),
    message: /start\.sh.*(CRLF|line ending|\\r)/i
  },
  {
    name: 'appspec timeout a word',
    workspace: appspec(`${HEAD}${HOOK}      timeout: soon\n`),
    message: /timeout: soon/
  },
  {
    name: 'appspec timeout that is a boolean',
    workspace: appspec(`${HEAD}${HOOK}      timeout: yes\n`),
    message: /undefined method `to_i' for true:TrueClass/
  },
  {
    name: 'appspec files with two sources for one destination',
    workspace: appspec(
      `${HEAD}files:\n  - source: scripts/start.sh\n    destination: /opt/app\n  - source: scripts/start.sh\n    destination: /opt/app\n${HOOK}`
    ),
    message: /two source files named .* for the same destination \(\/opt\/app\/start\.sh\)/
  },
  {
    name: 'appspec files source not in the bundle',
    workspace: appspec(
      `${HEAD}files:\n  - source: nothere.jar\n    destination: /opt/app\n${HOOK}`
    ),
    message: /nothere\.jar.*not in the bundle/
  },
  {
    name: 'appspec files source climbing out',
    workspace: appspec(`${HEAD}files:\n  - source: ../etc\n    destination: /opt/app\n${HOOK}`),
    message: /rb_sysopen - .*\/\.\.\/etc: files source '\.\.\/etc' is not in the bundle/
  },
  {
    name: 'appspec hooks as a list',
    workspace: appspec(`${HEAD}hooks:\n  - ApplicationStart:\n    - location: scripts/start.sh\n`),
    message: /hooks.*must map/
  },
  {
    name: 'appspec script written as a map, not a list item',
    workspace: appspec(`${HEAD}hooks:\n  ApplicationStart:\n    location: scripts/start.sh\n`),
    message: /undefined method `has_key\?' for \["location", "scripts\/start\.sh"\]:Array/
  },
  {
    name: 'appspec scripts on an event CodeDeploy does not know',
    workspace: appspec(`${HEAD}hooks:\n  Deploy:\n    - location: scripts/start.sh\n`),
    message: /unknown lifecycle events: \["Deploy"\]/
  },
  {
    name: 'appspec files entry without destination',
    workspace: appspec(`${HEAD}files:\n  - source: /\n${HOOK}`),
    message: /specifies only a source file/
  },
  {
    name: 'appspec permissions of an unknown type',
    workspace: appspec(
      `${HEAD}permissions:\n  - object: /opt/app\n    type:\n      - socket\n${HOOK}`
    ),
    message: /object type not supported.*socket/
  },
  // huge, empty and oddly named files
  {
    name: 'appspec of 2 MB of comments',
    workspace: (ws) =>
      appendFileSync(
        path.join(ws, APPSPEC),
        `#${'x'.repeat(1023)}\n`.repeat(2048) + 'hooks: [broken\n'
      ),
    message: /appspec/
  },
  {
    name: 'appspec permission mode of five digits',
    workspace: appspec(`${HEAD}permissions:\n  - object: /opt/app\n    mode: 12345\n${HOOK}`),
    message: /length of a permissions mode \(12345\)/
  },
  {
    name: 'hook script named with a space, missing',
    workspace: appspec(`${HEAD}hooks:\n  ApplicationStart:\n    - location: scripts/my start.sh\n`),
    message: /scripts\/my start\.sh/
  },
  {
    name: 'hook script named in unicode, missing',
    workspace: appspec(
      `${HEAD}hooks:\n  ApplicationStart:\n    - location: scripts/démarrer-🚀.sh\n`
    ),
    message: /démarrer-🚀\.sh/
  },
  {
    name: 'hook script whose name holds a newline',
    workspace: (ws) => {
      writeTree(ws, { 'deploy/scripts/start\nnow.sh': '#!/bin/bash\necho hi\n' })
      appspec(`${HEAD}hooks:\n  ApplicationStart:\n    - location: "scripts/start\\nnow.sh"\n`)(ws)
    },
    message: /"deploy\/scripts\/start\\nnow\.sh" contains a line break/
  },
  {
    // The name is printed escaped, so it cannot start a workflow command of its own.
    name: 'file named to inject a workflow command',
    workspace: (ws) => writeTree(ws, { 'deploy/x\n::error::injected': '' }),
    message: /"deploy\/x\\n::error::injected" contains a line break/
  }
]

/** The first case of each group above: these also run dist/ against the bed. */
const THROUGH_DIST = [
  'application missing',
  'bundle-type rar',
  'wait-timeout 0',
  'key with an unknown placeholder',
  'files glob matching nothing',
  'archive truncated zip',
  'appspec not YAML',
  'appspec of 2 MB of comments',
  'file named to inject a workflow command'
]

describe(`${cases.length} malformed inputs and workspaces, in process`, () => {
  const runs: InProcessRun[] = []

  beforeAll(async () => {
    const t0 = Date.now()
    // One at a time: a run in process owns process.env while it runs.
    for (const c of cases) runs.push(await runInProcess(refusedRun(APP, RUN_NUMBER, c)))
    console.log(`bad-input matrix: ${cases.length} runs in process in ${Date.now() - t0} ms`)
  }, 120_000)

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
  })

  it.each(cases.map((c, i) => [c.name, i] as const))('%s: one clear error', (_name, i) => {
    const r = runs[i] as InProcessRun
    expectRefused(r, cases[i] as RefusedCase)
    expect(r.awsCalls).toEqual([])
  })
})

describe(`one case of each group through dist/ against the bed`, () => {
  const sample = cases.filter((c) => THROUGH_DIST.includes(c.name))
  let done: RefusedRuns

  beforeAll(async () => {
    done = await runRefused(APP, RUN_NUMBER, sample)
  }, 300_000)

  it('names cases that exist', () => {
    expect(sample.map((c) => c.name)).toEqual(THROUGH_DIST)
  })

  it.each(sample.map((c, i) => [c.name, i] as const))('%s: one clear error', (_name, i) => {
    expectRefused(done.runs[i] as ActionRun, sample[i] as RefusedCase)
  })

  it('made no AWS call and stored nothing', () => expectNoTrace(APP, RUN_NUMBER, done))
})
