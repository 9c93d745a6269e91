// keep-revisions through the pipeline: pruned only after every group succeeded, from the
// application's prefix, and shown in the job summary; never after a failure or a skip.
import { describe, expect, it } from '@jest/globals'
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand
} from '@aws-sdk/client-s3'
import { Input, Output } from '../src/settings/constants.js'
import { harness, s3, usePipelineMocks } from './support/pipeline-harness.js'

usePipelineMocks()

const HASH = (n: number): string => String(n).repeat(16)
/** Three older bundles of my-app by the action, each a version of its own key. */
function olderBundles(): void {
  s3.on(ListObjectVersionsCommand).resolves({
    Versions: [1, 2, 3].map((n) => ({
      Key: `my-app/${n}/${HASH(n)}.tgz`,
      VersionId: `v-old-${n}`,
      IsLatest: true,
      LastModified: new Date(Date.UTC(2026, 0, n)),
      Size: 100
    }))
  })
  for (const n of [1, 2, 3])
    s3.on(HeadObjectCommand, { Key: `my-app/${n}/${HASH(n)}.tgz` }).resolves({
      Metadata: { sha256: 'ab'.repeat(32) }
    })
  s3.on(DeleteObjectCommand).resolves({})
}

describe('keep-revisions through the pipeline', () => {
  it('after a success: lists the prefix, deletes beyond the newest N, and the summary says what went', async () => {
    const h = harness({ [Input.KeepRevisions]: '2' })
    olderBundles()
    expect(await h.run()).toEqual({})
    expect(s3.commandCalls(ListObjectVersionsCommand)[0]!.args[0].input).toMatchObject({
      Bucket: 'my-bucket',
      Prefix: 'my-app/'
    })
    // The newest two listed stay (this run's bundle stays whatever); the oldest goes, by version.
    const deleted = s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)
    expect(deleted.map((d) => [d.Key, d.VersionId])).toEqual([
      [`my-app/1/${HASH(1)}.tgz`, 'v-old-1']
    ])
    expect(h.summaries[0]).toContain('### Old revisions (keep-revisions: 2)')
    expect(h.log.text('info')).toContain('Old revisions (keep-revisions: 2): deleted 1 bundle')
  })

  it('after a failed deployment: nothing is listed or deleted', async () => {
    const h = harness({ [Input.KeepRevisions]: '2' })
    h.fake.nextPlans = [
      {
        instances: [
          {
            id: 'i-0001',
            failAt: {
              event: 'ValidateService',
              errorCode: 'ScriptFailed',
              script: 'scripts/validate.sh',
              message: 'failed with exit code 1',
              logTail: ''
            }
          }
        ]
      }
    ]
    olderBundles()
    expect((await h.run()).failure).toBeDefined()
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0)
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0)
  })

  it('with wait: false (not followed to success): nothing pruned, and the log says why', async () => {
    const h = harness({ [Input.KeepRevisions]: '2', [Input.Wait]: 'false' })
    olderBundles()
    expect(await h.run()).toEqual({})
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0)
    expect(h.log.text('info')).toContain(
      "keep-revisions: nothing pruned, since the deployment to 'blue' did not end in success during this run (created)"
    )
    expect(h.output(Output.Skipped)).toBe('false')
  })
})
