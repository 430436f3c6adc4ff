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
  /** Agent connections that get the agent copy even without access (e.g. an agent just removed). */
  alsoAgents?: readonly Connection[]
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
    const also = new Set(options.alsoAgents ?? [])
    for (const connection of ctx.registry.agentConnections({ organizationId: chat.organization_id })) {
      if (also.has(connection) || (connection.session?.kind === 'agent' && agentCanAccess(ctx, connection.session.agent, chat))) {
        deliver(connection, 'agent')
      }
    }
  }
}

/** Agent connections of an organization that currently have access to a chat. */
export const agentConnectionsWithAccess = (ctx: ServerContext, chat: ChatRecord): Connection[] =>
  ctx.registry
    .agentConnections({ organizationId: chat.organization_id })
    .filter((c) => c.session?.kind === 'agent' && agentCanAccess(ctx, c.session.agent, chat))

/** Sends a push to every connection of one customer (the requester's copy carries `requestId`). */
export const pushToCustomer = (
  ctx: ServerContext,
  organizationId: string,
  customerId: string,
  action: string,
  payload: unknown,
  options: FanoutOptions = {},
): void => {
  for (const connection of ctx.registry.customerConnections(customerId, organizationId)) {
    if (connection === options.exclude) continue
    connection.push(action, payload, connection === options.requester ? options.requestId : undefined)
  }
}

/** Sends a push to every logged-in customer connection of an organization. */
export const pushToCustomers = (ctx: ServerContext, organizationId: string, action: string, payload: unknown): void => {
  for (const connection of ctx.registry.all()) {
    if (connection.session?.kind === 'customer' && connection.organizationId === organizationId) connection.push(action, payload)
  }
}

/** Agent connections with access to at least one chat of a customer (who "see" the customer). */
export const agentsWatchingCustomer = (ctx: ServerContext, organizationId: string, customerId: string): Connection[] => {
  const chats = ctx.storage.listCustomerChats(organizationId, customerId)
  return ctx.registry
    .agentConnections({ organizationId })
    .filter((c) => c.session?.kind === 'agent' && chats.some((chat) => c.session?.kind === 'agent' && agentCanAccess(ctx, c.session.agent, chat)))
}

/** Sends a push to every logged-in agent connection of an organization. */
export const pushToAgents = (ctx: ServerContext, organizationId: string, action: string, payload: unknown, options: FanoutOptions = {}): void => {
  for (const connection of ctx.registry.agentConnections({ organizationId })) {
    connection.push(action, payload, connection === options.requester ? options.requestId : undefined)
  }
}
