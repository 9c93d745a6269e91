// The emulator speaks CodeDeploy's protocol: SigV4 is checked (a wrong secret, an unknown key or
// no signature are refused with AWS's exception names), errors have AWS's shape, and every call
// lands in the request log.
import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  GetApplicationCommand,
  GetDeploymentCommand,
  ListApplicationsCommand
} from '@aws-sdk/client-codedeploy'
import { addFleet, bed, type Bed, codedeploy, lastSeq, requests, unique } from '../support/bed.js'

let b: Bed
const app = unique('bed-protocol')

beforeAll(async () => {
  b = bed()
  await addFleet(
    b,
    `applications:\n  - name: ${app}\n    groups:\n      - { name: g, instances: 1 }\n`
  )
})

async function rejection(
  p: Promise<unknown>
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode }
  }
  throw new Error('the call succeeded')
}

describe('the CodeDeploy protocol', () => {
  it('answers a correctly signed SDK call', async () => {
    const out = await codedeploy(b).send(new GetApplicationCommand({ applicationName: app }))
    expect(out.application).toMatchObject({ applicationName: app, computePlatform: 'Server' })
    const list = await codedeploy(b).send(new ListApplicationsCommand({}))
    expect(list.applications).toContain(app)
  })

  it('refuses a signature made with the wrong secret, and logs the refusal', async () => {
    const before = await lastSeq(b)
    const e = await rejection(
      codedeploy(b, { secret: 'not-the-secret', maxAttempts: 1 }).send(
        new GetApplicationCommand({ applicationName: app })
      )
    )
    expect(e).toEqual({
      name: 'InvalidSignatureException',
      message: expect.stringContaining(
        'The request signature we calculated does not match the signature you provided.'
      ),
      status: 403
    })
    const log = await requests(b, { application: app, since: before })
    expect(log.map((r) => [r.operation, r.status, r.error])).toEqual([
      ['GetApplication', 403, 'InvalidSignatureException']
    ])
  })

  it('refuses an unknown access key and an unsigned request', async () => {
    const e = await rejection(
      codedeploy(b, { key: 'AKIDUNKNOWN', maxAttempts: 1 }).send(
        new GetApplicationCommand({ applicationName: app })
      )
    )
    expect(e).toMatchObject({ name: 'UnrecognizedClientException', status: 403 })
    const res = await fetch(b.codedeployEndpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'CodeDeploy_20141006.ListApplications',
        'content-type': 'application/x-amz-json-1.1'
      },
      body: '{}'
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/)
    expect(await res.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token'
    })
  })

  it('names missing things the way CodeDeploy does', async () => {
    const cd = codedeploy(b, { maxAttempts: 1 })
    expect(
      await rejection(cd.send(new GetApplicationCommand({ applicationName: `${app}-nope` })))
    ).toMatchObject({
      name: 'ApplicationDoesNotExistException',
      message: `No application found for name: ${app}-nope`,
      status: 400
    })
    expect(
      await rejection(cd.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })))
    ).toMatchObject({
      name: 'DeploymentDoesNotExistException'
    })
    expect(
      await rejection(cd.send(new GetDeploymentCommand({ deploymentId: 'nonsense' })))
    ).toMatchObject({
      name: 'InvalidDeploymentIdException'
    })
  })
})
