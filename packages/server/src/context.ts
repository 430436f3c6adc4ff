import type { DomainContext } from './domain/context'
import type { ServerLimiters } from './limits'
import type { ConnectionRegistry } from './rtm/connectionRegistry'
import type { TrafficStats } from './rtm/connection'
import type { ConnectionPublisher } from './rtm/fanout'
import type { Webhooks } from './webApi/webhooks'

/**
 * Everything a handler may use; built once per server in `createServer`. The domain's
 * context with the RTM layer's implementations of its ports: the publisher fans pushes
 * out over the registry's connections, and the registry tells who is connected.
 */
export interface ServerContext extends DomainContext {
  readonly registry: ConnectionRegistry
  readonly publisher: ConnectionPublisher
  /** Customer creation per address, uploads per customer (`limits.ts`). */
  readonly limiters: ServerLimiters
  /** Flow-control counters of the RTM connections. */
  readonly traffic: TrafficStats
  /** Registered webhooks and their delivery (`webApi/webhooks.ts`). */
  readonly webhooks: Webhooks
}
