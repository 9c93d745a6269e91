import { describe, expect, it } from '@jest/globals'
import { ActionError, InputError } from '../../src/common/errors.js'
import { regionFrom, regionInput } from '../../src/settings/region.js'

describe('regionFrom', () => {
  it.each([
    ['eu-west-3', { AWS_REGION: 'us-east-1' }, 'eu-west-3'],
    ['', { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'us-west-1' }, 'us-east-2'],
    ['', { AWS_DEFAULT_REGION: 'us-west-1' }, 'us-west-1'],
    ['', { AWS_REGION: ' ', AWS_DEFAULT_REGION: 'us-gov-west-1' }, 'us-gov-west-1'],
    ['  ', {}, undefined]
  ])('input %p with %p gives %p', (input, env, region) => {
    expect(regionFrom(input, env)).toBe(region)
  })

  it('refuses an input that cannot be a region, with the input named', () => {
    expect(() => regionFrom('us-east-1/../x', {})).toThrow(
      new InputError(
        'region',
        "'us-east-1/../x' is not an AWS region code.",
        'Write a region code such as us-east-1, or leave it empty to use AWS_REGION.'
      )
    )
  })

  it('refuses an environment region with the same pattern, naming the variable', () => {
    expect(() => regionFrom('', { AWS_REGION: 'us-east-1/../x' })).toThrow(ActionError)
    expect(() => regionFrom('', { AWS_DEFAULT_REGION: 'mars' })).toThrow(
      /AWS_DEFAULT_REGION is 'mars', which is not an AWS region code/
    )
  })
})

describe('regionInput', () => {
  it.each(['us-east-1', 'ap-southeast-5', 'cn-north-1', 'us-gov-east-1', 'eu-central-2'])(
    'accepts %p',
    (r) => expect(regionInput(r)).toBe(r)
  )
  it.each(['us-east1', 'US-EAST-1', 'mars', 'us-east-1 ', 'us-east-123'])('refuses %p', (r) =>
    expect(() => regionInput(r)).toThrow(InputError)
  )
  it('leaves an empty input to the environment', () => expect(regionInput('')).toBe(''))
})
