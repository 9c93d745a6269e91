import {
  closestEvent,
  isLifecycleEvent,
  isReservedEvent,
  LIFECYCLE_EVENTS,
  SCRIPTABLE_EVENTS
} from '../../src/appspec/lifecycle.js'

describe('lifecycle events', () => {
  it('lists the events in the order the agent runs them behind a load balancer', () => {
    expect(LIFECYCLE_EVENTS).toEqual([
      'BeforeBlockTraffic',
      'BlockTraffic',
      'AfterBlockTraffic',
      'ApplicationStop',
      'DownloadBundle',
      'BeforeInstall',
      'Install',
      'AfterInstall',
      'ApplicationStart',
      'ValidateService',
      'BeforeAllowTraffic',
      'AllowTraffic',
      'AfterAllowTraffic'
    ])
  })

  it('reserves the events the agent performs itself', () => {
    expect(LIFECYCLE_EVENTS.filter(isReservedEvent)).toEqual([
      'BlockTraffic',
      'DownloadBundle',
      'Install',
      'AllowTraffic'
    ])
    expect(SCRIPTABLE_EVENTS).not.toContain('Install')
    expect(isLifecycleEvent('validateService')).toBe(false)
  })

  it.each([
    ['ValidateServices', 'ValidateService'],
    ['AfterInstal', 'AfterInstall'],
    ['afterinstall', 'AfterInstall'],
    ['Start', 'ApplicationStart'],
    ['BeforeAllowTrafic', 'BeforeAllowTraffic'],
    ['Whenever', undefined],
    ['BeforeInstal', 'BeforeInstall']
  ])('suggests %s → %s', (written, meant) => {
    expect(closestEvent(written)).toBe(meant)
  })
})
