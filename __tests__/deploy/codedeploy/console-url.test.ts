import { describe, expect, it } from '@jest/globals'
import { deploymentConsoleUrl } from '../../../src/deploy/codedeploy/console-url.js'

describe('deploymentConsoleUrl', () => {
  it.each([
    [
      'eu-west-1',
      'https://eu-west-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=eu-west-1'
    ],
    [
      'us-east-1',
      'https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=us-east-1'
    ],
    [
      'cn-north-1',
      'https://console.amazonaws.cn/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=cn-north-1'
    ],
    [
      'cn-northwest-1',
      'https://console.amazonaws.cn/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=cn-northwest-1'
    ],
    [
      'us-gov-west-1',
      'https://console.amazonaws-us-gov.com/codesuite/codedeploy/deployments/d-ABCDEFGHI?region=us-gov-west-1'
    ]
  ])('%s', (region, url) => {
    expect(deploymentConsoleUrl(region, 'd-ABCDEFGHI')).toBe(url)
  })
})
