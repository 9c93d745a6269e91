// Every instance host the bed started, so that a reset or the emulator's end stops them all:
// namespace instances, shared ones (one namespace between them), and Auto Scaling's launches.
import { Limiter } from '../core/limiter.ts'
import { NamespaceInstance, type InstanceHost } from './instances.ts'
import { SharedInstance, SharedNamespace } from './shared-instances.ts'
import type { BedNetwork } from './network.ts'

export class HostPool {
  private hosts: InstanceHost[] = []
  private shared?: SharedNamespace
  // Namespace starts (the fleet's and Auto Scaling's launches), a few at a time: a hundred
  // namespaces started at once on a loaded machine miss their 10 s start limit.
  private readonly launches = new Limiter(8)
  private readonly stateDir: string
  // The bed's network: every namespace instance gets an address on it.
  private readonly network?: BedNetwork

  constructor(stateDir: string, network?: BedNetwork) {
    this.stateDir = stateDir
    this.network = network
  }

  /** A namespace instance of its own. */
  async startNamespace(id: string): Promise<NamespaceInstance> {
    const host = await NamespaceInstance.start(id, this.stateDir, this.network)
    this.hosts.push(host)
    return host
  }

  /** A namespace instance started when a launch slot is free (the fleet's, Auto Scaling's). */
  launch(id: string): Promise<NamespaceInstance> {
    return this.launches.run(() => this.startNamespace(id))
  }

  /** An instance in the shared namespace (started with the first). */
  startShared(id: string): SharedInstance {
    this.shared ??= new SharedNamespace(this.stateDir)
    const host = new SharedInstance(id, this.shared)
    this.hosts.push(host)
    return host
  }

  /** The shared namespace's start, when there is one. */
  sharedStarted(): Promise<void> | undefined {
    return this.shared?.pid().then(() => undefined)
  }

  terminate(host: InstanceHost): void {
    host.stop()
    this.hosts = this.hosts.filter((h) => h !== host)
  }

  stop(): void {
    for (const h of this.hosts) h.stop()
    this.shared?.stop()
    this.hosts = []
    this.shared = undefined
  }
}
