import { describe, expect, it } from '@jest/globals'
import type { DeploymentsResult, GroupResult } from '../../src/deploy/types.js'
import type { BundleFacts } from '../../src/facts.js'
import {
  bundleOutputs,
  createdOutputs,
  deploymentOutputs,
  skippedOutputs,
  dryRunOutputs,
  uploadOutputs,
  type OutputValues
} from '../../src/report/outputs.js'
import { Output } from '../../src/settings/constants.js'

const BUNDLE = {
  path: '/home/runner/work/_temp/codedeploy-bundle-1a2b3c4d/bundle.tgz',
  sha256: 'ab'.repeat(32),
  size: 12345,
  type: 'tgz',
  origin: 'built',
  entries: [],
  appspec: { findings: [], hookScripts: [] },
  displayPath: (p: string) => p
} as unknown as BundleFacts

const asMap = (values: OutputValues): Map<string, string> => {
  const names = values.map(([n]) => n)
  expect(new Set(names).size).toBe(names.length) // each output set once
  return new Map(values)
}

function group(over: Partial<GroupResult>): GroupResult {
  return {
    group: 'blue',
    id: '',
    status: '',
    url: '',
    failedInstances: [],
    instances: [],
    outcome: 'not-attempted',
    ...over
  }
}

const url = (id: string) =>
  `https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${id}?region=eu-west-1`

describe('bundleOutputs', () => {
  it('gives the archive, its hash and size, the key and the URI', () => {
    expect(
      bundleOutputs(BUNDLE, { key: 'app/1/abc.tgz', uri: 's3://my-bucket/app/1/abc.tgz' })
    ).toEqual([
      [Output.BundlePath, BUNDLE.path],
      [Output.BundleSha256, BUNDLE.sha256],
      [Output.BundleSize, '12345'],
      [Output.BundleKey, 'app/1/abc.tgz'],
      [Output.BundleUri, 's3://my-bucket/app/1/abc.tgz']
    ])
  })

  it('gives an empty URI in a dry run without a bucket, and size 0 as "0"', () => {
    const m = asMap(bundleOutputs({ ...BUNDLE, size: 0 }, { key: 'k', uri: '' }))
    expect(m.get(Output.BundleUri)).toBe('')
    expect(m.get(Output.BundleSize)).toBe('0')
  })
})

describe('uploadOutputs', () => {
  const upload = {
    bucket: 'my-bucket',
    key: 'k',
    uri: 's3://my-bucket/k',
    etag: '9b2cf535f27731c974343645a3985328',
    versionId: 'Xr1.version',
    uploaded: true
  }

  it('gives the eTag, the version and whether it was uploaded', () => {
    expect(uploadOutputs(upload)).toEqual([
      [Output.BundleEtag, '9b2cf535f27731c974343645a3985328'],
      [Output.BundleVersion, 'Xr1.version'],
      [Output.BundleUploaded, 'true']
    ])
  })

  it("gives '' for the version of an unversioned bucket and 'false' for a reused object", () => {
    const { versionId: _v, ...unversioned } = upload
    const m = asMap(uploadOutputs({ ...unversioned, uploaded: false }))
    expect(m.get(Output.BundleVersion)).toBe('')
    expect(m.get(Output.BundleUploaded)).toBe('false')
  })
})

describe('dryRunOutputs and createdOutputs', () => {
  it('sets the deployment status, empty, in a dry run', () => {
    expect(dryRunOutputs()).toEqual([[Output.DeploymentStatus, '']])
  })

  it('gives the deployment id as soon as it exists', () => {
    expect(createdOutputs('d-ABCDEFGH1')).toEqual([[Output.DeploymentId, 'd-ABCDEFGH1']])
  })
})

describe('deploymentOutputs', () => {
  it('one successful deployment: id, status, link, the list, no rollback, no failures', () => {
    const result: DeploymentsResult = {
      ok: true,
      groups: [
        group({
          id: 'd-AAAAAAAA1',
          status: 'Succeeded',
          url: url('d-AAAAAAAA1'),
          outcome: 'succeeded'
        })
      ]
    }
    expect(deploymentOutputs(result)).toEqual([
      [Output.DeploymentId, 'd-AAAAAAAA1'],
      [Output.DeploymentStatus, 'Succeeded'],
      [Output.DeploymentUrl, url('d-AAAAAAAA1')],
      [
        Output.Deployments,
        JSON.stringify([
          {
            group: 'blue',
            id: 'd-AAAAAAAA1',
            status: 'Succeeded',
            url: url('d-AAAAAAAA1'),
            previousDeploymentId: '',
            previousCommit: '',
            advice: ''
          }
        ])
      ],
      [Output.RollbackDeploymentId, ''],
      [Output.FailedInstances, '[]'],
      [Output.DeletedReplacementFleet, '']
    ])
  })

  it('no deployment created: no id, status or link; empty lists', () => {
    const m = asMap(
      deploymentOutputs({
        ok: false,
        groups: [group({ outcome: 'cancelled' }), group({ group: 'green' })]
      })
    )
    expect([...m.keys()]).toEqual([
      Output.Deployments,
      Output.RollbackDeploymentId,
      Output.FailedInstances,
      Output.DeletedReplacementFleet
    ])
    expect(m.get(Output.Deployments)).toBe('[]')
    expect(m.get(Output.RollbackDeploymentId)).toBe('')
    expect(m.get(Output.FailedInstances)).toBe('[]')
  })

  it('several groups: the last created one is the deployment; groups not attempted are left out', () => {
    const m = asMap(
      deploymentOutputs({
        ok: false,
        groups: [
          group({
            group: 'staging',
            id: 'd-STAGING01',
            status: 'Succeeded',
            url: url('d-STAGING01'),
            outcome: 'succeeded'
          }),
          group({
            group: 'production',
            id: 'd-PRODUCT01',
            status: 'Failed',
            url: url('d-PRODUCT01'),
            outcome: 'failed',
            rollbackId: 'd-ROLLBACK1',
            failedInstances: [
              {
                instanceId: 'i-0002',
                lifecycleEvent: 'ValidateService',
                errorCode: 'ScriptFailed',
                script: 'validate.sh',
                message: 'Script at specified location: validate.sh failed with exit code 1',
                logTail: '[stderr]curl: (7) Failed to connect'
              }
            ]
          }),
          group({ group: 'dr' })
        ]
      })
    )
    expect(m.get(Output.DeploymentId)).toBe('d-PRODUCT01')
    expect(m.get(Output.DeploymentStatus)).toBe('Failed')
    expect(m.get(Output.DeploymentUrl)).toBe(url('d-PRODUCT01'))
    expect(JSON.parse(m.get(Output.Deployments)!)).toEqual([
      {
        group: 'staging',
        id: 'd-STAGING01',
        status: 'Succeeded',
        url: url('d-STAGING01'),
        previousDeploymentId: '',
        previousCommit: '',
        advice: ''
      },
      {
        group: 'production',
        id: 'd-PRODUCT01',
        status: 'Failed',
        url: url('d-PRODUCT01'),
        previousDeploymentId: '',
        previousCommit: '',
        advice: ''
      }
    ])
    expect(m.get(Output.RollbackDeploymentId)).toBe('d-ROLLBACK1')
    // The log tail stays in the log and the summary: the output carries no script output.
    expect(JSON.parse(m.get(Output.FailedInstances)!)).toEqual([
      {
        group: 'production',
        deploymentId: 'd-PRODUCT01',
        instanceId: 'i-0002',
        lifecycleEvent: 'ValidateService',
        errorCode: 'ScriptFailed',
        script: 'validate.sh',
        message: 'Script at specified location: validate.sh failed with exit code 1',
        advice: ''
      }
    ])
    expect(m.get(Output.FailedInstances)).not.toContain('logTail')
  })

  it('the rollback of the last group that has one, failed instances of every group in order', () => {
    const failure = (instanceId: string) => ({
      instanceId,
      lifecycleEvent: 'AfterInstall',
      errorCode: 'ScriptFailed',
      script: 's.sh',
      message: 'm',
      logTail: ''
    })
    const m = asMap(
      deploymentOutputs({
        ok: false,
        groups: [
          group({
            group: 'a',
            id: 'd-A',
            status: 'Succeeded',
            rollbackId: 'd-RB-A',
            failedInstances: [failure('i-1')]
          }),
          group({
            group: 'b',
            id: 'd-B',
            status: 'Succeeded',
            failedInstances: [failure('i-2'), failure('i-3')]
          })
        ]
      })
    )
    expect(m.get(Output.RollbackDeploymentId)).toBe('d-RB-A')
    expect(
      (JSON.parse(m.get(Output.FailedInstances)!) as { group: string; instanceId: string }[]).map(
        (f) => `${f.group}/${f.instanceId}`
      )
    ).toEqual(['a/i-1', 'b/i-2', 'b/i-3'])
  })

  it('of several rollbacks, the last one', () => {
    const m = asMap(
      deploymentOutputs({
        ok: false,
        groups: [
          group({ group: 'a', id: 'd-A', status: 'Stopped', rollbackId: 'd-RB-A' }),
          group({ group: 'b', id: 'd-B', status: 'Failed', rollbackId: 'd-RB-B' }),
          group({ group: 'c', id: 'd-C', status: 'Succeeded' })
        ]
      })
    )
    expect(m.get(Output.RollbackDeploymentId)).toBe('d-RB-B')
    expect(m.get(Output.DeploymentId)).toBe('d-C')
  })

  it('a group without an id contributes no failed instances', () => {
    const m = asMap(
      deploymentOutputs({
        ok: false,
        groups: [
          group({
            group: 'a',
            failedInstances: [
              {
                instanceId: 'i-x',
                lifecycleEvent: 'e',
                errorCode: 'c',
                script: '',
                message: '',
                logTail: ''
              }
            ]
          })
        ]
      })
    )
    expect(m.get(Output.FailedInstances)).toBe('[]')
  })
})

describe('every output', () => {
  it('is set by one of the functions, and only once across a real run', () => {
    const all = [
      ...bundleOutputs(BUNDLE, { key: 'k', uri: 's3://b/k' }),
      ...uploadOutputs({ bucket: 'b', key: 'k', uri: 's3://b/k', etag: 'e', uploaded: true }),
      ...deploymentOutputs({
        ok: true,
        groups: [group({ id: 'd-1', status: 'Succeeded', url: 'u', outcome: 'succeeded' })]
      }),
      ...skippedOutputs(false)
    ].map(([n]) => n)
    expect([...all].sort()).toEqual(Object.values(Output).sort())
  })
})
