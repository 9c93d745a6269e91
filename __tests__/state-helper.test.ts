// The main → post contract: what MainState saves, handed back by the runner as STATE_<name>
// variables, is what readPostState reads.
import { describe, expect, it } from '@jest/globals'
import { isPostStep, MainState, readPostState, State, type PostState } from '../src/state-helper.js'

/** A MainState recording its saves, and the env the runner would give the post step. */
function recorder() {
  const saved: [State, string][] = []
  const state = new MainState((name, value) => saved.push([name, value]))
  // The runner keeps the last value saved under a name.
  const env = (): NodeJS.ProcessEnv =>
    Object.fromEntries(saved.map(([name, value]) => [`STATE_${name}`, value]))
  return { saved, state, env }
}

/** What the post step reads when main left no replacement fleet to settle (the default policy). */
const NO_FLEET = { replacementFleetPendingId: '', failedReplacementFleet: 'keep' } as const

describe('MainState', () => {
  it('saves each piece in the order main reaches it', () => {
    const { saved, state } = recorder()
    state.markPostNext()
    state.deploying({
      region: 'eu-west-1',
      stopOnCancel: true,
      autoRollback: false,
      failedReplacementFleet: 'keep'
    })
    state.waitingFor('d-ABCDEFGH1')
    state.finished()
    expect(saved).toEqual([
      [State.IsPost, 'true'],
      [State.Region, 'eu-west-1'],
      [State.StopOnCancel, 'true'],
      [State.AutoRollback, 'false'],
      [State.FailedReplacementFleet, 'keep'],
      [State.DeploymentId, 'd-ABCDEFGH1'],
      [State.DeploymentFinished, 'true']
    ])
  })

  it('saves no auto-rollback when the input was not given (the group decides)', () => {
    const { saved, state } = recorder()
    state.deploying({ region: 'us-east-1', stopOnCancel: false, failedReplacementFleet: 'keep' })
    expect(saved).toEqual([
      [State.Region, 'us-east-1'],
      [State.StopOnCancel, 'false'],
      [State.FailedReplacementFleet, 'keep']
    ])
  })

  it('uses the names the runner exposes as STATE_ variables', () => {
    expect(Object.values(State).sort()).toEqual(
      [
        'auto-rollback',
        'deployment-finished',
        'deployment-id',
        'failed-replacement-fleet',
        'fleet-pending',
        'is-post',
        'region',
        'stop-on-cancel'
      ].sort()
    )
  })
})

describe('readPostState: round trip', () => {
  it.each<[string, boolean, boolean | undefined, PostState]>([
    [
      'stop, roll back',
      true,
      true,
      {
        deploymentId: 'd-1',
        region: 'eu-west-1',
        stopOnCancel: true,
        autoRollback: true,
        ...NO_FLEET
      }
    ],
    [
      'stop, no rollback',
      true,
      false,
      {
        deploymentId: 'd-1',
        region: 'eu-west-1',
        stopOnCancel: true,
        autoRollback: false,
        ...NO_FLEET
      }
    ],
    [
      "stop, the group's rollback setting",
      true,
      undefined,
      { deploymentId: 'd-1', region: 'eu-west-1', stopOnCancel: true, ...NO_FLEET }
    ],
    [
      'leave it running',
      false,
      undefined,
      { deploymentId: 'd-1', region: 'eu-west-1', stopOnCancel: false, ...NO_FLEET }
    ]
  ])(
    'main was killed while waiting (%s): the post step gets the deployment to stop',
    (_what, stopOnCancel, autoRollback, expected) => {
      const { state, env } = recorder()
      state.markPostNext()
      state.deploying({
        region: 'eu-west-1',
        stopOnCancel,
        failedReplacementFleet: 'keep',
        ...(autoRollback !== undefined ? { autoRollback } : {})
      })
      state.waitingFor('d-1')
      const post = readPostState(env())
      expect(post).toEqual(expected)
      expect('autoRollback' in post).toBe(autoRollback !== undefined)
      expect(isPostStep(env())).toBe(true)
    }
  )

  it('finished() empties the deployment id: main saw the deployment end', () => {
    const { state, env } = recorder()
    state.deploying({ region: 'eu-west-1', stopOnCancel: true, failedReplacementFleet: 'keep' })
    state.waitingFor('d-1')
    state.finished()
    expect(readPostState(env())).toEqual({
      deploymentId: '',
      region: 'eu-west-1',
      stopOnCancel: true,
      ...NO_FLEET
    })
  })

  it('finished() before any deployment was created: nothing to stop', () => {
    const { state, env } = recorder()
    state.deploying({ region: 'eu-west-1', stopOnCancel: true, failedReplacementFleet: 'keep' })
    state.finished()
    expect(readPostState(env()).deploymentId).toBe('')
  })

  it('main never got to deploy (failed in the bundle stage): empty state, nothing to stop', () => {
    const { state, env } = recorder()
    state.markPostNext()
    expect(readPostState(env())).toEqual({
      deploymentId: '',
      region: '',
      stopOnCancel: false,
      ...NO_FLEET
    })
  })

  it('a later waitingFor (the next group) replaces the id', () => {
    const { state, env } = recorder()
    state.deploying({ region: 'eu-west-1', stopOnCancel: true, failedReplacementFleet: 'keep' })
    state.waitingFor('d-staging')
    state.waitingFor('d-production')
    expect(readPostState(env()).deploymentId).toBe('d-production')
  })
})

describe('readPostState: what the runner hands over', () => {
  it('reads nothing from an empty environment', () => {
    expect(readPostState({})).toEqual({
      deploymentId: '',
      region: '',
      stopOnCancel: false,
      ...NO_FLEET
    })
  })

  it.each<[string, boolean]>([
    ['true', true],
    ['false', false],
    ['', false],
    ['TRUE', false],
    ['yes', false]
  ])("stop-on-cancel %j → %s (only main's own 'true')", (value, expected) => {
    expect(readPostState({ 'STATE_stop-on-cancel': value }).stopOnCancel).toBe(expected)
  })

  it.each<[string, boolean | undefined]>([
    ['true', true],
    ['false', false],
    ['', undefined]
  ])('auto-rollback %j → %s', (value, expected) => {
    expect(readPostState({ 'STATE_auto-rollback': value }).autoRollback).toBe(expected)
  })

  it("deployment-finished other than 'true' keeps the id", () => {
    expect(
      readPostState({ 'STATE_deployment-id': 'd-1', 'STATE_deployment-finished': 'false' })
        .deploymentId
    ).toBe('d-1')
  })
})

describe('isPostStep', () => {
  it.each<[NodeJS.ProcessEnv, boolean]>([
    [{}, false],
    [{ 'STATE_is-post': 'true' }, true],
    [{ 'STATE_is-post': '' }, false],
    [{ 'STATE_is-post': 'false' }, false],
    [{ STATE_isPost: 'true' }, false],
    [{ 'INPUT_is-post': 'true' }, false]
  ])('%j → %s', (env, expected) => {
    expect(isPostStep(env)).toBe(expected)
  })
})
