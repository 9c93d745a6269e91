import { describe, expect, it } from '@jest/globals'
import {
  aggregateStages,
  describeChanges,
  instanceStage,
  type Snapshot
} from '../../../src/deploy/codedeploy/progress.js'
import type { InstanceView } from '../../../src/deploy/types.js'

function inst(
  id: string,
  status: string,
  events: [string, string][],
  errorCode?: string
): InstanceView {
  return {
    instanceId: id,
    status,
    events: events.map(([name, s]) => ({
      name,
      status: s,
      ...(s === 'Failed' && errorCode ? { errorCode } : {})
    }))
  }
}
const ov = (
  o: Partial<
    Record<'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Ready', number>
  >
) => ({
  Pending: 0,
  InProgress: 0,
  Succeeded: 0,
  Failed: 0,
  Skipped: 0,
  Ready: 0,
  ...o
})

describe('instanceStage', () => {
  it.each([
    [
      'not started',
      inst('i', 'Pending', [
        ['ApplicationStop', 'Pending'],
        ['BeforeInstall', 'Pending']
      ]),
      'Pending'
    ],
    [
      'running an event',
      inst('i', 'InProgress', [
        ['ApplicationStop', 'Succeeded'],
        ['BeforeInstall', 'InProgress']
      ]),
      'BeforeInstall'
    ],
    [
      'between events',
      inst('i', 'InProgress', [
        ['ApplicationStop', 'Succeeded'],
        ['BeforeInstall', 'Pending']
      ]),
      'BeforeInstall'
    ],
    [
      'failed',
      inst('i', 'Failed', [
        ['ApplicationStop', 'Succeeded'],
        ['BeforeInstall', 'Failed'],
        ['AfterInstall', 'Skipped']
      ]),
      'Failed at BeforeInstall'
    ],
    ['succeeded', inst('i', 'Succeeded', [['ApplicationStop', 'Succeeded']]), 'Succeeded'],
    ['skipped', inst('i', 'Skipped', []), 'Skipped']
  ])('%s', (_name, instance, stage) => {
    expect(instanceStage(instance)).toBe(stage)
  })
})

describe('describeChanges', () => {
  const a1 = inst('i-1', 'InProgress', [
    ['ApplicationStop', 'InProgress'],
    ['BeforeInstall', 'Pending']
  ])
  const a2 = inst('i-1', 'InProgress', [
    ['ApplicationStop', 'Succeeded'],
    ['BeforeInstall', 'InProgress']
  ])
  const b1 = inst('i-2', 'Pending', [
    ['ApplicationStop', 'Pending'],
    ['BeforeInstall', 'Pending']
  ])
  const bFail = inst(
    'i-2',
    'Failed',
    [
      ['ApplicationStop', 'Failed'],
      ['BeforeInstall', 'Skipped']
    ],
    'ScriptFailed'
  )
  const cases: [string, Snapshot | undefined, Snapshot, string[]][] = [
    ['first look', undefined, { status: 'Created' }, ['d-1: Created']],
    [
      'nothing changed',
      { status: 'InProgress', overview: ov({ InProgress: 2 }) },
      { status: 'InProgress', overview: ov({ InProgress: 2 }) },
      []
    ],
    [
      'status and counts',
      { status: 'Created' },
      { status: 'InProgress', overview: ov({ Pending: 1, InProgress: 1 }) },
      ['d-1: InProgress (was Created)', 'd-1 instances: 1 in progress, 1 pending']
    ],
    [
      'counts only',
      { status: 'InProgress', overview: ov({ InProgress: 2 }) },
      { status: 'InProgress', overview: ov({ InProgress: 1, Succeeded: 1 }) },
      ['d-1 instances: 1 succeeded, 1 in progress']
    ],
    [
      'instances first seen',
      { status: 'InProgress' },
      { status: 'InProgress', instances: [a1, b1] },
      ['d-1 i-1: ApplicationStop', 'd-1 i-2: Pending']
    ],
    [
      'one instance moved on',
      { status: 'InProgress', instances: [a1, b1] },
      { status: 'InProgress', instances: [a2, b1] },
      ['d-1 i-1: BeforeInstall']
    ],
    [
      'an instance failed',
      { status: 'InProgress', instances: [a2, b1] },
      { status: 'InProgress', instances: [a2, bFail] },
      ['d-1 i-2: Failed at ApplicationStop (ScriptFailed)']
    ],
    [
      'same instances again',
      { status: 'InProgress', instances: [a2, b1] },
      { status: 'InProgress', instances: [a2, b1] },
      []
    ]
  ]
  it.each(cases)('%s', (_name, prev, next, lines) => {
    expect(describeChanges('d-1', prev, next)).toEqual(lines)
  })

  const fleet = (stages: [number, InstanceView][]) =>
    stages.flatMap(([n, i]) =>
      Array.from({ length: n }, (_, k) => ({ ...i, instanceId: `${i.instanceId}-${k}` }))
    )
  const start = inst('i', 'InProgress', [
    ['ApplicationStart', 'InProgress'],
    ['ValidateService', 'Pending']
  ])
  const validate = inst('i', 'InProgress', [
    ['ApplicationStart', 'Succeeded'],
    ['ValidateService', 'InProgress']
  ])
  const done = inst('i', 'Succeeded', [
    ['ApplicationStart', 'Succeeded'],
    ['ValidateService', 'Succeeded']
  ])

  it('aggregates a large fleet into one line, in hook order', () => {
    const big = fleet([
      [3, validate],
      [12, start],
      [5, done]
    ])
    expect(aggregateStages(big)).toBe(
      'ApplicationStart: 12 instances, ValidateService: 3, Succeeded: 5'
    )
    expect(
      describeChanges('d-1', { status: 'InProgress' }, { status: 'InProgress', instances: big })
    ).toEqual([
      'd-1 lifecycle events: ApplicationStart: 12 instances, ValidateService: 3, Succeeded: 5'
    ])
    const same = fleet([
      [3, validate],
      [12, start],
      [5, done]
    ])
    expect(
      describeChanges(
        'd-1',
        { status: 'InProgress', instances: big },
        { status: 'InProgress', instances: same }
      )
    ).toEqual([])
  })
})
