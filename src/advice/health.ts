// Minimum healthy hosts, counted as CodeDeploy counts them (AWS docs: API MinimumHealthyHosts,
// CreateDeploymentConfig, "CodeDeploy instance health"): HOST_COUNT is the number itself;
// FLEET_PERCENT is converted at the start of the deployment and fractional instances are rounded
// up; CodeDeployDefault.OneAtATime answers MOST_CONCURRENCY 1, "all instances but one" healthy.
import type { HealthConfig } from './types.js'

/** How many of `n` instances must stay healthy under `config`. */
export function minimumHealthy(config: HealthConfig, n: number): number {
  if (config.type === 'FLEET_PERCENT') return Math.ceil((n * config.value) / 100)
  if (config.type === 'MOST_CONCURRENCY') return Math.max(n - 1, 0)
  return config.value
}

/** "HOST_COUNT 3", "FLEET_PERCENT 50%", "one at a time". */
export function configRule(config: HealthConfig): string {
  if (config.type === 'FLEET_PERCENT') return `FLEET_PERCENT ${config.value}%`
  if (config.type === 'MOST_CONCURRENCY') return 'one instance at a time'
  return `${config.type} ${config.value}`
}

/**
 * Configurations that can deploy to `n` instances (CodeDeploy must be able to take one offline):
 * the built-in ones that fit, then the largest custom minimum.
 */
export function fittingConfigs(n: number): string {
  if (n <= 0) return 'none: the group has no instance'
  const fits = ['CodeDeployDefault.OneAtATime', 'CodeDeployDefault.AllAtOnce']
  if (Math.ceil(n / 2) < n) fits.splice(1, 0, 'CodeDeployDefault.HalfAtATime')
  const maxPercent = Math.floor(((n - 1) * 100) / n)
  const custom =
    n > 1
      ? `, or a custom configuration with HOST_COUNT at most ${n - 1} or FLEET_PERCENT at most ${maxPercent}%`
      : ''
  return `${fits.join(', ')}${custom}`
}
