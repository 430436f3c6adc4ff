import type { Presence } from '../domain/ports'
import type { Connection } from './connection'

/** Open RTM connections (the domain's `Presence`). Small numbers (a dev server): lookups scan the set. */
export class ConnectionRegistry implements Presence {
  private readonly connections = new Set<Connection>()

  add(connection: Connection): void {
    this.connections.add(connection)
  }

  remove(connection: Connection): void {
    this.connections.delete(connection)
  }

  get size(): number {
    return this.connections.size
  }

  all(): Connection[] {
    return [...this.connections]
  }

  /** Logged-in connections of a customer; without an organization, in every organization. */
  customerConnections(customerId: string, organizationId?: string): Connection[] {
    return this.all().filter(
      (c) =>
        c.session?.kind === 'customer' &&
        c.session.customerId === customerId &&
        (organizationId === undefined || c.organizationId === organizationId),
    )
  }

  isCustomerConnected(organizationId: string, customerId: string): boolean {
    return this.customerConnections(customerId, organizationId).length > 0
  }

  /** Logged-in agent connections; optionally of one agent and/or one organization. */
  agentConnections(filter: { organizationId?: string; agentId?: string } = {}): Connection[] {
    return this.all().filter(
      (c) =>
        c.session?.kind === 'agent' &&
        (filter.agentId === undefined || c.session.agent.id === filter.agentId) &&
        (filter.organizationId === undefined || c.organizationId === filter.organizationId),
    )
  }
}
