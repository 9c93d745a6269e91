// ContinueDeployment with the SDK mocked: each refusal of CodeDeploy becomes the user's next step.
import { beforeEach, describe, expect, it } from '@jest/globals'
import { ContinueDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy'
import { sendContinueDeployment } from '../../../src/deploy/codedeploy/continue.js'
import { ActionError } from '../../../src/common/errors.js'
import { awsError } from '../fake-codedeploy.js'
import { blueGreenInfo, cd, context, ID } from '../blue-green-fixtures.js'

let t: ReturnType<typeof context>
beforeEach(() => {
  cd.reset()
  t = context()
})

describe('sendContinueDeployment', () => {
  it('sends the wait type asked for', async () => {
    cd.on(ContinueDeploymentCommand).resolves({})
    await sendContinueDeployment(t.ctx, ID, 'TERMINATION_WAIT')
    expect(cd.commandCalls(ContinueDeploymentCommand)[0]!.args[0].input).toEqual({
      deploymentId: ID,
      deploymentWaitType: 'TERMINATION_WAIT'
    })
  })

  it.each<[string, string, Parameters<typeof blueGreenInfo>[0], string, string]>([
    [
      'not Ready yet, installing',
      'DeploymentIsNotInReadyStateException',
      { status: 'InProgress' },
      `Deployment ${ID} cannot be continued: it is InProgress, not Ready.`,
      'run the first job with on-ready: finish'
    ],
    [
      'in its termination wait, asked to reroute',
      'DeploymentIsNotInReadyStateException',
      { status: 'InProgress', instanceTerminationWaitTimeStarted: true },
      `Deployment ${ID} cannot be continued: it is InProgress, in its termination wait (the traffic is already on the replacement instances), not Ready.`,
      'add continue-termination: true'
    ],
    [
      'Ready, asked to end the termination wait',
      'InvalidDeploymentStatusException',
      { status: 'Ready' },
      `Deployment ${ID}'s termination wait cannot be ended: it is Ready.`,
      'remove continue-termination to reroute it'
    ],
    [
      'already over',
      'DeploymentAlreadyCompletedException',
      { status: 'Succeeded' },
      `Deployment ${ID} cannot be continued: it already ended (Succeeded).`,
      'Nothing is left to continue'
    ],
    [
      'in place',
      'UnsupportedActionForDeploymentTypeException',
      { status: 'InProgress', deploymentStyle: { deploymentType: 'IN_PLACE' } },
      `Deployment ${ID} cannot be continued: it is an in-place deployment, which never waits for a reroute.`,
      'only with a blue/green deployment'
    ]
  ])('%s: %s becomes one error with the fix', async (_w, code, over, message, fix) => {
    cd.on(ContinueDeploymentCommand).rejects(awsError(code, 'refused'))
    cd.on(GetDeploymentCommand).resolves({ deploymentInfo: blueGreenInfo(over) })
    const err = await sendContinueDeployment(
      t.ctx,
      ID,
      code === 'InvalidDeploymentStatusException' ? 'TERMINATION_WAIT' : 'READY_WAIT'
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toBe(message)
    expect((err as ActionError).describe()).toContain(fix)
    expect(cd.commandCalls(ContinueDeploymentCommand)).toHaveLength(1)
  })

  it('access denied names the call and the IAM action', async () => {
    cd.on(ContinueDeploymentCommand).rejects(
      awsError(
        'AccessDeniedException',
        'not authorized to perform: codedeploy:ContinueDeployment',
        403
      )
    )
    cd.on(GetDeploymentCommand).resolves({ deploymentInfo: blueGreenInfo({ status: 'Ready' }) })
    const err = (await sendContinueDeployment(t.ctx, ID, 'READY_WAIT').catch(
      (e: unknown) => e
    )) as ActionError
    expect(err.describe()).toContain('ContinueDeployment failed: AccessDeniedException')
    expect(err.describe()).toContain('codedeploy:ContinueDeployment')
  })
})
