import { describe, expect, it } from '@jest/globals'
import { Input } from '../../src/settings/constants.js'
import { InputError } from '../../src/common/errors.js'
import { getSettings, readInputsFromEnv } from '../../src/settings/inputs.js'

const WORKSPACE = '/home/runner/work/app/app'
const ENV = {
  GITHUB_WORKSPACE: WORKSPACE,
  RUNNER_TEMP: '/home/runner/work/_temp',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF_NAME: 'main',
  GITHUB_REPOSITORY: 'octo-org/sample-app',
  GITHUB_SERVER_URL: 'https://github.com'
}
const BASE: Partial<Record<Input, string>> = {
  [Input.Application]: 'sample-app',
  [Input.DeploymentGroup]: 'staging',
  [Input.Bucket]: 'my-codedeploy-bucket'
}

function settingsOf(inputs: Partial<Record<Input, string>>, env: Record<string, string> = ENV) {
  const all = { ...BASE, ...inputs }
  return getSettings((name) => (all[name] ?? '').trim(), env)
}

function errorOf(inputs: Partial<Record<Input, string>>, env?: Record<string, string>): InputError {
  try {
    settingsOf(inputs, env)
  } catch (err) {
    if (err instanceof InputError) return err
    throw err
  }
  throw new Error(`expected an InputError for ${JSON.stringify(inputs)}`)
}

describe('getSettings defaults', () => {
  it('mirrors action.yml when only the required inputs are given', () => {
    const s = settingsOf({})
    expect(s).toMatchObject({
      application: 'sample-app',
      deploymentGroups: ['staging'],
      bucket: 'my-codedeploy-bucket',
      region: '',
      workspace: WORKSPACE,
      tempDir: '/home/runner/work/_temp',
      bundle: { kind: 'build', sourceDir: WORKSPACE, rules: [], type: 'tgz' },
      keyTemplate: '{application}/{run_number}/{bundle_hash}.{ext}',
      ignoreApplicationStopFailures: false,
      updateOutdatedInstancesOnly: false,
      ifActiveDeployment: 'wait',
      wait: true,
      waitTimeoutMinutes: 60,
      onTimeout: 'fail',
      stopOnCancel: true,
      agentSilenceTimeoutMinutes: 5,
      onAgentSilence: 'warn',
      dryRun: false
    })
    expect(s.autoRollback).toBeUndefined()
    expect(s.fileExistsBehavior).toBeUndefined()
    expect(s.sse).toBeUndefined()
    expect(s.description).toBe(
      'octo-org/sample-app@0123456 run #42 https://github.com/octo-org/sample-app/actions/runs/9876543210'
    )
  })

  it('reads the tutorial-shaped inputs', () => {
    const s = settingsOf({
      [Input.DeploymentGroup]: 'staging\n# then\nproduction\n',
      [Input.Source]: 'codedeploy',
      [Input.Files]: 'build/libs/*.jar => application.jar\n!build/libs/*-plain.jar',
      [Input.FileExistsBehavior]: 'overwrite',
      [Input.AutoRollback]: 'true',
      [Input.Sse]: 'aws:kms',
      [Input.SseKmsKeyId]: 'alias/deploy',
      [Input.WaitTimeout]: '0.5',
      [Input.BundleType]: 'ZIP'
    })
    expect(s.deploymentGroups).toEqual(['staging', 'production'])
    expect(s.bundle).toMatchObject({
      kind: 'build',
      sourceDir: `${WORKSPACE}/codedeploy`,
      type: 'zip'
    })
    expect(s.bundle.kind === 'build' && s.bundle.rules).toEqual([
      { kind: 'include', pattern: 'build/libs/*.jar', target: 'application.jar', line: 1 },
      { kind: 'exclude', pattern: 'build/libs/*-plain.jar', line: 2 }
    ])
    expect(s.fileExistsBehavior).toBe('OVERWRITE')
    expect(s.autoRollback).toBe(true)
    expect(s.sse).toBe('aws:kms')
    expect(s.waitTimeoutMinutes).toBe(0.5)
  })

  it('reads the silent-agent watch: decimals, 0 turns it off, fail', () => {
    expect(settingsOf({ [Input.AgentSilenceTimeout]: '2.5' }).agentSilenceTimeoutMinutes).toBe(2.5)
    expect(settingsOf({ [Input.AgentSilenceTimeout]: '0' }).agentSilenceTimeoutMinutes).toBe(0)
    expect(settingsOf({ [Input.OnAgentSilence]: 'fail' }).onAgentSilence).toBe('fail')
  })

  it('takes a pre-built archive and its type from its name', () => {
    const s = settingsOf({ [Input.Archive]: 'out/deploy.tar.gz' })
    expect(s.bundle).toEqual({
      kind: 'archive',
      path: `${WORKSPACE}/out/deploy.tar.gz`,
      type: 'tgz'
    })
  })

  it('needs no bucket in a dry run', () => {
    expect(settingsOf({ [Input.Bucket]: '', [Input.DryRun]: 'true' }).bucket).toBe('')
  })

  it('cuts a long description to 256 characters without rejecting it', () => {
    const s = settingsOf({ [Input.Description]: 'é'.repeat(300) })
    expect([...s.description]).toHaveLength(256)
    expect(s.description.endsWith('…')).toBe(true)
  })

  it('reads INPUT_ variables the way the runner names them', () => {
    const read = readInputsFromEnv({ 'INPUT_DEPLOYMENT-GROUP': '  staging  ' })
    expect(read(Input.DeploymentGroup)).toBe('staging')
    expect(read(Input.Bucket)).toBe('')
  })
})

// Each row: inputs (on top of valid ones), the input named, and words the message must contain.
const BAD: [string, Partial<Record<Input, string>>, Input, RegExp][] = [
  ['missing application', { [Input.Application]: '' }, Input.Application, /is required/],
  [
    'application over 100 chars',
    { [Input.Application]: 'a'.repeat(101) },
    Input.Application,
    /101 characters/
  ],
  ['application on two lines', { [Input.Application]: 'a\nb' }, Input.Application, /several lines/],
  [
    'missing deployment group',
    { [Input.DeploymentGroup]: '' },
    Input.DeploymentGroup,
    /is required/
  ],
  [
    'only comments as groups',
    { [Input.DeploymentGroup]: '# staging' },
    Input.DeploymentGroup,
    /is required/
  ],
  [
    'group listed twice',
    { [Input.DeploymentGroup]: 'a\nb\na' },
    Input.DeploymentGroup,
    /lists 'a' twice/
  ],
  ['missing bucket', { [Input.Bucket]: '' }, Input.Bucket, /dry-run: true/],
  [
    'bucket as URI',
    { [Input.Bucket]: 's3://my-bucket/path' },
    Input.Bucket,
    /Write only the bucket name \(e\.g\. 'my-bucket'\)/
  ],
  ['bucket upper case', { [Input.Bucket]: 'My-Bucket' }, Input.Bucket, /upper-case/],
  ['bucket too short', { [Input.Bucket]: 'ab' }, Input.Bucket, /3 to 63/],
  [
    'bucket underscore',
    { [Input.Bucket]: 'my_bucket' },
    Input.Bucket,
    /characters S3 does not allow/
  ],
  ['bucket IP address', { [Input.Bucket]: '192.168.5.4' }, Input.Bucket, /IP address/],
  ['bucket double dot', { [Input.Bucket]: 'my..bucket' }, Input.Bucket, /adjacent dots/],
  ['bucket ends with hyphen', { [Input.Bucket]: 'my-bucket-' }, Input.Bucket, /begin and end/],
  ['bucket reserved prefix', { [Input.Bucket]: 'xn--bucket' }, Input.Bucket, /reserved prefix/],
  ['bucket reserved suffix', { [Input.Bucket]: 'bucket-s3alias' }, Input.Bucket, /reserved suffix/],
  ['region typo', { [Input.Region]: 'us-east1' }, Input.Region, /not an AWS region/],
  [
    'unknown bundle type',
    { [Input.BundleType]: 'rar' },
    Input.BundleType,
    /Write tgz or zip or tar/
  ],
  [
    'archive with source',
    { [Input.Archive]: 'a.zip', [Input.Source]: 'codedeploy' },
    Input.Archive,
    /together with `source`/
  ],
  [
    'archive with files',
    { [Input.Archive]: 'a.zip', [Input.Files]: '*.jar' },
    Input.Archive,
    /together with `files`/
  ],
  ['archive of unknown type', { [Input.Archive]: 'deploy.rar' }, Input.Archive, /does not end in/],
  [
    'archive outside workspace',
    { [Input.Archive]: '../other/deploy.zip' },
    Input.Archive,
    /outside the workspace/
  ],
  [
    'archive absolute outside',
    { [Input.Archive]: '/etc/passwd.tar' },
    Input.Archive,
    /outside the workspace/
  ],
  [
    'bundle-type conflicting with archive',
    { [Input.Archive]: 'a.zip', [Input.BundleType]: 'tar' },
    Input.BundleType,
    /takes its type from its name/
  ],
  ['source escaping', { [Input.Source]: '../..' }, Input.Source, /outside the workspace/],
  [
    'unknown key placeholder',
    { [Input.Key]: '{application}/{run}.tgz' },
    Input.Key,
    /unknown placeholder \{run\}/
  ],
  ['key with unmatched brace', { [Input.Key]: '{application/x.tgz' }, Input.Key, /unmatched/],
  ['key starting with slash', { [Input.Key]: '/{application}.tgz' }, Input.Key, /starts with '\/'/],
  [
    'key with dot-dot segment',
    { [Input.Key]: '{application}/../x.tgz' },
    Input.Key,
    /'\.\.' segment/
  ],
  ['files target escaping', { [Input.Files]: 'a.jar => ../app.jar' }, Input.Files, /\.\./],
  ['files absolute target', { [Input.Files]: 'a.jar => /opt/app.jar' }, Input.Files, /absolute/],
  ['files absolute pattern', { [Input.Files]: '/etc/passwd' }, Input.Files, /absolute/],
  ['files empty target', { [Input.Files]: 'a.jar =>' }, Input.Files, /line 1/],
  ['unknown sse', { [Input.Sse]: 'KMS' }, Input.Sse, /AES256 or aws:kms/],
  [
    'kms key without aws:kms',
    { [Input.SseKmsKeyId]: 'alias/x' },
    Input.SseKmsKeyId,
    /sse: aws:kms/
  ],
  [
    'kms key with AES256',
    { [Input.Sse]: 'AES256', [Input.SseKmsKeyId]: 'alias/x' },
    Input.SseKmsKeyId,
    /is not aws:kms/
  ],
  [
    'expected owner not an account',
    { [Input.ExpectedBucketOwner]: '1234' },
    Input.ExpectedBucketOwner,
    /12-digit/
  ],
  [
    'file-exists-behavior typo',
    { [Input.FileExistsBehavior]: 'REPLACE' },
    Input.FileExistsBehavior,
    /DISALLOW, OVERWRITE or RETAIN/
  ],
  ['bad boolean wait', { [Input.Wait]: 'yes' }, Input.Wait, /'yes' is not a boolean/],
  ['bad boolean dry-run', { [Input.DryRun]: '1' }, Input.DryRun, /true or false/],
  ['bad auto-rollback', { [Input.AutoRollback]: 'on' }, Input.AutoRollback, /true or false/],
  ['bad stop-on-cancel', { [Input.StopOnCancel]: 'nope' }, Input.StopOnCancel, /true or false/],
  [
    'bad ignore-application-stop-failures',
    { [Input.IgnoreApplicationStopFailures]: 'y' },
    Input.IgnoreApplicationStopFailures,
    /true or false/
  ],
  [
    'bad update-outdated-instances-only',
    { [Input.UpdateOutdatedInstancesOnly]: 't' },
    Input.UpdateOutdatedInstancesOnly,
    /true or false/
  ],
  [
    'unknown if-active-deployment',
    { [Input.IfActiveDeployment]: 'queue' },
    Input.IfActiveDeployment,
    /Write wait or fail/
  ],
  ['unknown on-timeout', { [Input.OnTimeout]: 'rollback' }, Input.OnTimeout, /Write fail or stop/],
  ['wait-timeout not a number', { [Input.WaitTimeout]: '30m' }, Input.WaitTimeout, /minutes/],
  ['wait-timeout zero', { [Input.WaitTimeout]: '0' }, Input.WaitTimeout, /between 0 and 1440/],
  [
    'wait-timeout negative',
    { [Input.WaitTimeout]: '-5' },
    Input.WaitTimeout,
    /not a number of minutes/
  ],
  [
    'wait-timeout in seconds by mistake',
    { [Input.WaitTimeout]: '3600' },
    Input.WaitTimeout,
    /1440/
  ],
  [
    'agent-silence-timeout with a unit',
    { [Input.AgentSilenceTimeout]: '5m' },
    Input.AgentSilenceTimeout,
    /'5m' is not a number of minutes from 0 to 60.*or 0 to turn the check off/
  ],
  [
    "agent-silence-timeout past CodeDeploy's own hour",
    { [Input.AgentSilenceTimeout]: '90' },
    Input.AgentSilenceTimeout,
    /from 0 to 60/
  ],
  [
    'unknown on-agent-silence',
    { [Input.OnAgentSilence]: 'stop' },
    Input.OnAgentSilence,
    /Write warn or fail/
  ],
  [
    'deployment-config too long',
    { [Input.DeploymentConfig]: 'c'.repeat(101) },
    Input.DeploymentConfig,
    /101 characters/
  ],
  [
    'wait-until unknown',
    { [Input.WaitUntil]: 'rerouted' },
    Input.WaitUntil,
    /not one of succeeded, traffic-rerouted/
  ],
  [
    'on-ready unknown',
    { [Input.OnReady]: 'approve' },
    Input.OnReady,
    /not one of wait, continue, finish/
  ],
  [
    'failed-replacement-fleet unknown',
    { [Input.FailedReplacementFleet]: 'terminate' },
    Input.FailedReplacementFleet,
    /not one of keep, delete/
  ],
  [
    'continue-deployment not a deployment id',
    { [Input.ContinueDeployment]: 'd-abc' },
    Input.ContinueDeployment,
    /'d-abc' is not a CodeDeploy deployment id.*d-ABCDEF123/
  ],
  [
    'continue-termination without continue-deployment',
    { [Input.ContinueTermination]: 'true' },
    Input.ContinueTermination,
    /no deployment whose termination wait to end/
  ],
  [
    'continue-termination not a boolean',
    { [Input.ContinueDeployment]: 'd-ABCDEF123', [Input.ContinueTermination]: 'yes' },
    Input.ContinueTermination,
    /not a boolean/
  ],
  [
    'continue-deployment with an archive to deploy',
    { [Input.ContinueDeployment]: 'd-ABCDEF123', [Input.Archive]: 'build/app.zip' },
    Input.Archive,
    /builds and uploads nothing/
  ],
  [
    'continue-deployment with files to bundle',
    { [Input.ContinueDeployment]: 'd-ABCDEF123', [Input.Files]: 'build/*.jar' },
    Input.Files,
    /builds and uploads nothing/
  ],
  [
    'continue-deployment in a dry run',
    { [Input.ContinueDeployment]: 'd-ABCDEF123', [Input.DryRun]: 'true' },
    Input.DryRun,
    /ContinueDeployment, which a dry run never does/
  ],
  [
    'continue-deployment with two groups',
    { [Input.ContinueDeployment]: 'd-ABCDEF123', [Input.DeploymentGroup]: 'a\nb' },
    Input.DeploymentGroup,
    /continues one deployment of one group/
  ],
  [
    'if-newer-deployed unknown',
    { [Input.IfNewerDeployed]: 'ignore' },
    Input.IfNewerDeployed,
    /not one of skip, fail, deploy/
  ],
  [
    'github-token with a space',
    { [Input.GithubToken]: 'ghp_a ghp_b' },
    Input.GithubToken,
    /contains whitespace/
  ],
  [
    'keep-revisions negative',
    { [Input.KeepRevisions]: '-1' },
    Input.KeepRevisions,
    /whole number from 0 to 1000/
  ],
  [
    'keep-revisions a fraction',
    { [Input.KeepRevisions]: '2.5' },
    Input.KeepRevisions,
    /whole number/
  ],
  [
    'keep-revisions too many',
    { [Input.KeepRevisions]: '1001' },
    Input.KeepRevisions,
    /whole number/
  ],
  [
    'keep-revisions with a key that does not name the application',
    { [Input.KeepRevisions]: '5', [Input.Key]: 'deploy/{ref_name}/{sha}.zip' },
    Input.KeepRevisions,
    /does not contain \{application\}, so another application's bundles could be pruned/
  ]
]

describe('revision inputs', () => {
  it('default: skip an older commit, no token, keep every bundle; the run context for provenance', () => {
    const s = settingsOf(
      {},
      {
        ...ENV,
        GITHUB_ACTOR: 'octocat',
        GITHUB_WORKFLOW_REF: 'octo-org/sample-app/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_API_URL: 'https://ghe.example.com/api/v3/'
      }
    )
    expect(s).toMatchObject({ ifNewerDeployed: 'skip', githubToken: '', keepRevisions: 0 })
    expect(s.run).toMatchObject({
      actor: 'octocat',
      workflowRef: 'octo-org/sample-app/.github/workflows/deploy.yml@refs/heads/main',
      apiUrl: 'https://ghe.example.com/api/v3'
    })
    expect(settingsOf({}).run.apiUrl).toBe('https://api.github.com')
  })

  it('reads each value', () => {
    const s = settingsOf({
      [Input.IfNewerDeployed]: 'FAIL',
      [Input.GithubToken]: 'ghs_abc',
      [Input.KeepRevisions]: '10'
    })
    expect(s).toMatchObject({ ifNewerDeployed: 'fail', githubToken: 'ghs_abc', keepRevisions: 10 })
  })
})

describe('blue/green inputs', () => {
  it('defaults: wait for success, wait at Ready, keep a failed replacement fleet, create a deployment', () => {
    const s = settingsOf({})
    expect(s).toMatchObject({
      waitUntil: 'succeeded',
      onReady: 'wait',
      failedReplacementFleet: 'keep'
    })
    expect(s.continueDeployment).toBeUndefined()
  })

  it('reads each value, in any case', () => {
    expect(
      settingsOf({
        [Input.WaitUntil]: 'Traffic-Rerouted',
        [Input.OnReady]: 'FINISH',
        [Input.FailedReplacementFleet]: 'Delete'
      })
    ).toMatchObject({
      waitUntil: 'traffic-rerouted',
      onReady: 'finish',
      failedReplacementFleet: 'delete'
    })
  })

  it('continue-deployment needs no bucket, and continue-termination goes with it', () => {
    const s = settingsOf({
      [Input.Bucket]: '',
      [Input.ContinueDeployment]: 'd-ABCDEF123',
      [Input.ContinueTermination]: 'true'
    })
    expect(s.continueDeployment).toEqual({ deploymentId: 'd-ABCDEF123', termination: true })
    expect(s.bucket).toBe('')
  })
})

describe('bad inputs', () => {
  it.each(BAD)('%s', (_name, inputs, input, words) => {
    const err = errorOf(inputs)
    expect(err.input).toBe(input)
    const line = err.describe()
    expect(line).toMatch(new RegExp(`^Input '${input}': `))
    expect(line).toMatch(words)
    expect(line).not.toMatch(/\n/)
    // Every message tells the user what to write instead.
    expect(err.fix).toBeTruthy()
  })

  it('refuses a key placeholder whose variable the runner did not set', () => {
    const { GITHUB_RUN_NUMBER: _omit, ...env } = ENV
    const err = errorOf({}, env)
    expect(err.input).toBe(Input.Key)
    expect(err.describe()).toMatch(/uses \{run_number\} but GITHUB_RUN_NUMBER is not set/)
  })
})
