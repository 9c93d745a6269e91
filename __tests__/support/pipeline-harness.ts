// The orchestrator's test harness, as main.ts drives it: settings from inputs, a real workspace on
// disk, the runner's pieces (outputs, state, summary, signal, clock) injected, and the AWS SDK
// mocked at the client class, so the real createAwsClients builds the clients the pipeline uses.
// CodeDeploy is the scripted FakeCodeDeploy (deployments progress as the fake clock advances).
// A suite calls usePipelineMocks() once at its top.
import { afterEach, beforeEach, expect } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  type CreateDeploymentInput
} from '@aws-sdk/client-codedeploy'
import {
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock'
import { ActionError } from '../../src/common/errors.js'
import { MemoryLogger, type Sleep } from '../../src/common/log.js'
import { runPipeline, type PipelineDeps, type PipelineResult } from '../../src/pipeline.js'
import { Input, Output } from '../../src/settings/constants.js'
import { getSettings } from '../../src/settings/inputs.js'
import { MainState, State } from '../../src/state-helper.js'
import { makeDir } from '../bundle/workspace-fixture.js'
import { writeTree, type Tree } from './fixtures.js'
import { FakeClock, FakeCodeDeploy } from '../deploy/fake-codedeploy.js'

export const APPSPEC = `version: 0.0
os: linux
files:
  - source: /
    destination: /opt/app
hooks:
  BeforeInstall:
    - location: scripts/install.sh
  ValidateService:
    - location: scripts/validate.sh
`
export const SCRIPT = '#!/bin/bash\necho ok\n'
export const APP: Tree = {
  'codedeploy/appspec.yml': APPSPEC,
  'codedeploy/scripts/install.sh': SCRIPT,
  'codedeploy/scripts/validate.sh': { mode: 0o755, content: SCRIPT },
  'codedeploy/web/index.html': '<h1>hello</h1>\n'
}

export const RUN_ENV = {
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF_NAME: 'main',
  GITHUB_REPOSITORY: 'octo-org/sample-app',
  GITHUB_SERVER_URL: 'https://github.com'
}
export const AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y'
}
export const ETAG = '9b2cf535f27731c974343645a3985328'

export const s3 = mockClient(S3Client)
export let cd: AwsClientStub<CodeDeployClient>
const cleanups: (() => void)[] = []

export function s3Error(name: string, status: number, message = ''): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message
  })
}

/** Resets the S3 mock before each test and restores CodeDeploy's after it. */
export function usePipelineMocks(): void {
  beforeEach(() => {
    s3.reset()
    s3.on(HeadObjectCommand).rejects(s3Error('NotFound', 404, 'UnknownError'))
    s3.on(PutObjectCommand).resolves({ ETag: `"${ETAG}"`, VersionId: 'v-1' })
  })
  afterEach(() => {
    cd?.restore()
    cleanups.splice(0).forEach((c) => c())
  })
}

export interface Harness {
  ws: string
  temp: string
  clock: FakeClock
  fake: FakeCodeDeploy
  controller: AbortController
  log: MemoryLogger
  outputs: [Output, string][]
  saved: [State, string][]
  summaries: string[]
  deps: PipelineDeps
  run(): Promise<PipelineResult>
  /** The outputs as the runner keeps them: the last value set under each name. */
  output(name: Output): string | undefined
}

export function harness(
  inputs: Partial<Record<Input, string>> = {},
  opts: {
    tree?: Tree
    sleep?: (clock: FakeClock, controller: AbortController) => Sleep
    /** The runner's variables over RUN_ENV (GITHUB_SHA, GITHUB_API_URL...), or made from the workspace once prepared. */
    env?: Record<string, string> | ((ws: string) => Record<string, string>)
    /** Called with the workspace before the settings are read (e.g. to make it a git repository). */
    prepare?: (ws: string) => void
  } = {}
): Harness {
  const ws = makeDir('pipeline-ws-')
  const temp = makeDir('pipeline-temp-')
  cleanups.push(ws.cleanup, temp.cleanup)
  writeTree(ws.dir, opts.tree ?? APP)
  opts.prepare?.(ws.dir)

  const clock = new FakeClock()
  // The fake stubs its own client instance first (mockClient on an instance whose inherited send
  // is already a stub would restore the class stub); the class stub below, which the pipeline's
  // own clients use, then hands every command to it.
  const fake = new FakeCodeDeploy(clock)
  cd = mockClient(CodeDeployClient)
  cd.send.callsFake((command) => fake.client.send(command as never))

  const all: Partial<Record<Input, string>> = {
    [Input.Application]: 'my-app',
    [Input.DeploymentGroup]: 'blue',
    [Input.Bucket]: 'my-bucket',
    [Input.Source]: 'codedeploy',
    ...inputs
  }
  const settings = getSettings((name) => (all[name] ?? '').trim(), {
    ...RUN_ENV,
    ...(typeof opts.env === 'function' ? opts.env(ws.dir) : opts.env),
    GITHUB_WORKSPACE: ws.dir,
    RUNNER_TEMP: temp.dir
  })
  const controller = new AbortController()
  const log = new MemoryLogger()
  const outputs: [Output, string][] = []
  const saved: [State, string][] = []
  const summaries: string[] = []
  const deps: PipelineDeps = {
    log,
    setOutput: (name, value) => outputs.push([name, value]),
    state: new MainState((name, value) => saved.push([name, value])),
    writeSummary: (markdown) => {
      summaries.push(markdown)
      return Promise.resolve()
    },
    env: { ...AWS_ENV },
    signal: controller.signal,
    sleep: opts.sleep ? opts.sleep(clock, controller) : clock.sleep,
    now: clock.now
  }
  return {
    ws: ws.dir,
    temp: temp.dir,
    clock,
    fake,
    controller,
    log,
    outputs,
    saved,
    summaries,
    deps,
    run: () => runPipeline(settings, deps),
    output: (name) => new Map(outputs).get(name)
  }
}

export async function rejection(p: Promise<unknown>): Promise<ActionError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ActionError)
  return err as ActionError
}

export const sha256Of = (file: string) =>
  createHash('sha256').update(readFileSync(file)).digest('hex')
export const createInputs = (): CreateDeploymentInput[] =>
  cd.commandCalls(CreateDeploymentCommand).map((c) => c.args[0].input as CreateDeploymentInput)
export const bundleDirs = (temp: string) =>
  readdirSync(temp).filter((n) => n.startsWith('codedeploy-bundle-'))
export const BUNDLE_OUTPUTS = [
  Output.BundlePath,
  Output.BundleSha256,
  Output.BundleSize,
  Output.BundleKey,
  Output.BundleUri
]
