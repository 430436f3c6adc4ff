import type { ServerContext } from '../context'
import { agentCanAccess } from '../domain/access'
import type { Side } from '../domain/views'
import type { ChatRecord } from '../storage/storage'
import type { Connection } from './connection'

export interface FanoutOptions {
  /** The connection whose request caused the push: its copy carries `requestId`. */
  requester?: Connection
  requestId?: string
  /** Deliver to customer connections (default true). */
  customers?: boolean
  /** Deliver to agent connections with access (default true). */
  agents?: boolean
  /** A connection that must not receive it (e.g. the author of a typing indicator). */
  exclude?: Connection
}

/**
 * Sends a push about a chat to every connection of its customer and to every agent
 * connection with access to it (agent-rtm §8). `payloadFor` builds the payload once per
 * side; `undefined` skips that side. Each connection's subscription filters it.
 */
export const pushToChat = (
  ctx: ServerContext,
  chat: ChatRecord,
  action: string,
  payloadFor: (side: Side) => unknown,
  options: FanoutOptions = {},
): void => {
  const cache = new Map<Side, unknown>()
  const payload = (side: Side): unknown => {
    if (!cache.has(side)) cache.set(side, payloadFor(side))
    return cache.get(side)
  }
  const deliver = (connection: Connection, side: Side): void => {
    if (connection === options.exclude) return
    const body = payload(side)
    if (body === undefined) return
    connection.push(action, body, connection === options.requester ? options.requestId : undefined)
  }
  if (options.customers !== false) {
    for (const connection of ctx.registry.customerConnections(chat.customer_id, chat.organization_id)) deliver(connection, 'customer')
  }
  if (options.agents !== false) {
    for (const connection of ctx.registry.agentConnections({ organizationId: chat.organization_id })) {
      if (connection.session?.kind === 'agent' && agentCanAccess(ctx, connection.session.agent, chat)) deliver(connection, 'agent')
    }
  }
}

/** Sends a push to every logged-in agent connection of an organization. */
export const pushToAgents = (ctx: ServerContext, organizationId: string, action: string, payload: unknown, options: FanoutOptions = {}): void => {
  for (const connection of ctx.registry.agentConnections({ organizationId })) {
    connection.push(action, payload, connection === options.requester ? options.requestId : undefined)
  }
}
