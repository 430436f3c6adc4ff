/**
 * The domain's `Publisher` over the open RTM connections: who gets a push (agent-rtm §8),
 * each connection's subscription filtering it. Also what the RTM handlers need beyond the
 * port (the agent connections with access to chats, a push to every agent).
 *
 * A push that fails to reach one connection (its payload does not encode, the socket
 * throws) is logged and skipped: the others still get theirs, and the request or effect
 * that published it goes on.
 */
import { agentCanAccess } from '../domain/access'
import type { AgentDirectory } from '../domain/agentDirectory'
import type { ChatPushOptions, PushOrigin, Publisher, Side } from '../domain/ports'
import type { Logger } from '../options'
import type { ChatRecord } from '../storage/storage'
import type { Connection } from './connection'
import type { ConnectionRegistry } from './connectionRegistry'

/** Where agent-side pushes also go besides the RTM connections: the webhooks (`webApi/webhooks.ts`). */
export interface AgentPushSink {
  push(organizationId: string, action: string, payload: unknown, chat?: ChatRecord): void
}

export class ConnectionPublisher implements Publisher {
  private readonly access: { agents: AgentDirectory }

  constructor(
    private readonly registry: ConnectionRegistry,
    agents: AgentDirectory,
    private readonly logger: Logger,
    private readonly sink?: AgentPushSink,
  ) {
    this.access = { agents }
  }

  /** Sends one push to one connection; never throws (a failure is logged). */
  private send(connection: Connection, action: string, payload: unknown, requestId?: string): void {
    try {
      connection.push(action, payload, requestId)
    } catch (error) {
      this.logger.error(`push ${action} to connection ${connection.id} failed`, error)
    }
  }

  toChat(chat: ChatRecord, action: string, payloadFor: (side: Side) => unknown, options: ChatPushOptions = {}): void {
    const cache = new Map<Side, unknown>()
    const payload = (side: Side): unknown => {
      if (!cache.has(side)) cache.set(side, payloadFor(side))
      return cache.get(side)
    }
    const deliver = (connection: Connection, side: Side): void => {
      if (connection === options.exclude) return
      const body = payload(side)
      if (body === undefined) return
      this.send(connection, action, body, connection === options.requester ? options.requestId : undefined)
    }
    if (options.customers !== false) {
      for (const connection of this.registry.customerConnections(chat.customer_id, chat.organization_id)) deliver(connection, 'customer')
    }
    if (options.agents !== false) {
      const also = new Set(options.alsoAgents ?? [])
      for (const connection of this.registry.agentConnections({ organizationId: chat.organization_id })) {
        if (also.has(connection) || this.canAccess(connection, chat)) deliver(connection, 'agent')
      }
      const body = payload('agent')
      if (body !== undefined) this.toSink(chat.organization_id, action, body, chat)
    }
  }

  /** A push to one agent's connections (e.g. `incoming_chat` to the agent a chat was transferred to), and to the webhooks. */
  toAgent(organizationId: string, agentId: string, action: string, payload: unknown, chat?: ChatRecord): void {
    for (const connection of this.registry.agentConnections({ organizationId, agentId })) this.send(connection, action, payload)
    this.toSink(organizationId, action, payload, chat)
  }

  private toSink(organizationId: string, action: string, payload: unknown, chat?: ChatRecord): void {
    try {
      this.sink?.push(organizationId, action, payload, chat)
    } catch (error) {
      this.logger.error(`webhooks for ${action} failed`, error)
    }
  }

  toCustomer(organizationId: string, customerId: string, action: string, payload: unknown, origin: PushOrigin = {}): void {
    for (const connection of this.registry.customerConnections(customerId, organizationId)) {
      this.send(connection, action, payload, connection === origin.requester ? origin.requestId : undefined)
    }
  }

  toCustomers(organizationId: string, action: string, payload: unknown): void {
    for (const connection of this.registry.all()) {
      if (connection.session?.kind === 'customer' && connection.organizationId === organizationId) this.send(connection, action, payload)
    }
  }

  toAgentsOfChats(organizationId: string, action: string, entries: ReadonlyArray<{ chat: ChatRecord; entry: unknown }>): void {
    for (const connection of this.registry.agentConnections({ organizationId })) {
      const own = entries.filter(({ chat }) => this.canAccess(connection, chat)).map(({ entry }) => entry)
      if (own.length > 0) this.send(connection, action, own)
    }
    if (entries.length > 0) this.toSink(organizationId, action, entries.map(({ entry }) => entry))
  }

  /** A push to every logged-in agent connection of an organization (the requester's copy carries `requestId`). */
  toAgents(organizationId: string, action: string, payload: unknown, origin: PushOrigin = {}): void {
    for (const connection of this.registry.agentConnections({ organizationId })) {
      this.send(connection, action, payload, connection === origin.requester ? origin.requestId : undefined)
    }
    this.toSink(organizationId, action, payload)
  }

  /** Agent connections of an organization with access to at least one of the chats (who "see" them). */
  agentsWithAccess(organizationId: string, chats: readonly ChatRecord[]): Connection[] {
    return this.registry.agentConnections({ organizationId }).filter((connection) => chats.some((chat) => this.canAccess(connection, chat)))
  }

  private canAccess(connection: Connection, chat: ChatRecord): boolean {
    return connection.session?.kind === 'agent' && agentCanAccess(this.access, connection.session.agent, chat)
  }
}
