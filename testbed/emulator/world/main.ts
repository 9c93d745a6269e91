// The CodeDeploy emulator's entry point. Settings come from the environment testbed/run sets.
import path from 'node:path'
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs'
import { BedNetwork } from '../hosts/network.ts'
import { tmpdir } from 'node:os'
import { loadFleet, type Isolation } from './fleet-config.ts'
import { BundleStore } from '../hosts/bundles.ts'
import { Engine } from '../codedeploy/engine.ts'
import { World } from './world.ts'
import { listInstances } from './instance-list.ts'
import { FaultInjector } from './faults.ts'
import { RequestLog } from '../core/request-log.ts'
import { operations } from '../codedeploy/operations.ts'
import { autoScalingService } from '../autoscaling/operations.ts'
import { elbService } from '../elbv2/operations.ts'
import { startServer } from '../core/server.ts'
import { admin } from './admin.ts'
import { githubApi } from '../github/api.ts'

const log = (line: string): void => console.log(`${new Date().toISOString()} ${line}`)

async function main(): Promise<void> {
  const env = process.env
  const port = Number(env.TESTBED_PORT ?? 7490)
  const stateDir = env.TESTBED_STATE_DIR ?? path.join(tmpdir(), `testbed-emulator-${process.pid}`)
  const isolation = (env.TESTBED_ISOLATION ?? 'namespace') as Isolation
  if (isolation !== 'namespace' && isolation !== 'shared')
    throw new Error('TESTBED_ISOLATION must be namespace or shared')
  // The real agent's runner, resolved by testbed/lib/bed.sh when the fleet asks for it.
  const agentRunner = env.TESTBED_AGENT_RUNNER || undefined
  if (agentRunner) {
    try {
      accessSync(agentRunner, constants.X_OK)
    } catch {
      throw new Error(`TESTBED_AGENT_RUNNER=${agentRunner} is not an executable file`)
    }
  }
  const config = loadFleet(env.TESTBED_CONFIG || undefined, isolation, agentRunner)
  mkdirSync(stateDir, { recursive: true })
  const network = BedNetwork.create(port, stateDir)
  process.on('exit', () => network.remove())
  const faults = new FaultInjector()
  faults.set(config.faults)
  const requests = new RequestLog()
  const world = new World({
    config,
    stateDir,
    network,
    listenerPort: Number(env.TESTBED_LISTENER_PORT ?? 7500),
    targetGroupFaults: (name) => faults.targetGroup(name),
    log
  })
  const engine = new Engine(world, {
    config,
    bundles: BundleStore.fromEnv(path.join(stateDir, 'bundles')),
    faults,
    log
  })
  const shutdown = (): void => {
    world.stop()
    process.exit(0)
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
  process.on('exit', () => world.stop())
  const t0 = Date.now()
  const problem = world.checkReferences(config)
  if (problem) throw new Error(problem)
  await world.start()
  // testbed/lib/bed.sh exports them as TESTBED_TARGET_GROUPS.
  writeFileSync(
    path.join(stateDir, 'target-groups.json'),
    JSON.stringify(world.backends.elbv2.listeners())
  )
  const count = listInstances(world.backends).length
  await startServer(port, {
    operations: operations(engine),
    queryServices: [autoScalingService(world), elbService(world)],
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'testbedaccesskey',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'testbedsecretkey'
    },
    faults,
    requests,
    admin: admin({ world, faults, requests, isolation, agentRunner }),
    github: githubApi({ registry: world, requests, log }),
    applicationOf: (input) => world.applicationOf(input),
    log
  })
  log(`CodeDeploy emulator on 127.0.0.1:${port}: ${count} instances ready in ${Date.now() - t0} ms`)
}

main().catch((e: Error) => {
  console.error(`testbed emulator: ${e.message}`)
  process.exit(1)
})
