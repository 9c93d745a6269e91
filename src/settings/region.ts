// The AWS region: one pattern for the input and the environment, one order of precedence.
import { ActionError, InputError } from '../common/errors.js'
import { Input } from './constants.js'

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ... */
const REGION_CODE = /^[a-z]{2,}(-[a-z0-9]+)+-\d{1,2}$/

/** The `region` input, checked; '' when empty (the environment or the profile decides later). */
export function regionInput(value: string): string {
  if (value && !REGION_CODE.test(value))
    throw new InputError(
      Input.Region,
      `'${value}' is not an AWS region code.`,
      'Write a region code such as us-east-1, or leave it empty to use AWS_REGION.'
    )
  return value
}

/** The region from the input, else AWS_REGION, else AWS_DEFAULT_REGION; undefined when none is set. */
export function regionFrom(input: string, env: NodeJS.ProcessEnv): string | undefined {
  const fromInput = regionInput(input.trim())
  if (fromInput) return fromInput
  for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const value = env[name]?.trim()
    if (!value) continue
    if (!REGION_CODE.test(value))
      throw new ActionError(
        `${name} is '${value}', which is not an AWS region code.`,
        `Set it to a region code such as us-east-1 (aws-actions/configure-aws-credentials sets it from its aws-region), or set the region input.`
      )
    return value
  }
  return undefined
}
