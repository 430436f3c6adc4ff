import type { WireTokenResponse } from '@rapport/protocol'
import type { ServerContext } from './context'
import { sendGreeting, type GreetingInput } from './domain/greetings'
import { refreshGroupStatuses } from './domain/groups'
import { eventView } from './domain/views'
import type { CrmEndpoint } from './http/crmEndpoint'
import type { TokenEndpoint, TokenFailure } from './http/tokenEndpoint'
import type { FormConfig, FormType, GroupConfig } from './options'
import type { CustomerRecord, EventRecord } from './storage/storage'

export interface HealthStatus {
  ok: true
  connections: number
  customers: number
  chats: number
}

export interface AgentTokenResponse {
  access_token: string
  token_type: 'Bearer'
}

/** Test and development controls of a running server (also served under `/rapport/admin`). */
export interface ServerAdmin {
  /** A token an agent or bot logs in with, valid in that organization only. Throws for an unknown agent. */
  issueAgentToken(agentId: string, organizationId: string): AgentTokenResponse
  /** A customer token as the token endpoint would issue it (new identity, or the given customer id). */
  issueCustomerToken(organizationId: string, customerId?: string): WireTokenResponse
  /** Pushes `customer_disconnected {reason, data?}` to every socket of the customer, then closes them. Returns how many. */
  disconnectCustomer(customerId: string, reason: string, data?: Record<string, unknown>): number
  /** Pushes `agent_disconnected {reason, data?}` to every socket of the agent, then closes them. */
  disconnectAgent(agentId: string, reason: string, data?: Record<string, unknown>): number
  /** Terminates the customer's sockets without any push (a lost network). */
  dropCustomer(customerId: string): number
  /** Stops (or resumes) answering and pushing on the customer's sockets. */
  stallCustomer(customerId: string, stalled?: boolean): number
  /** Makes every token request fail with this answer until called with `undefined`. */
  failTokenRequests(failure: TokenFailure | undefined): void
  /**
   * Answers the next `count` (default 1) requests of the CRM endpoint that pass its key
   * check with this error status (5xx: a failing CRM); `undefined` clears it.
   */
  failCrmRequests(status: number | undefined, count?: number): void
  health(): HealthStatus

  // ---- platform-driven pushes and switches (each also under /rapport/admin, see http/adminRoutes.ts)

  /**
   * Shows a greeting to a customer (`incoming_greeting`; a pending one is replaced with
   * `greeting_canceled`). Without an organization, the customer's connected one.
   */
  sendGreeting(customerId: string, input?: GreetingInput, organizationId?: string): { id: number; unique_id: string }
  /** Bans (or unbans) a customer: `customer_disconnected {reason: "customer_banned"}`, later logins fail with `customer_banned`. */
  banCustomer(customerId: string, banned?: boolean, organizationId?: string): number
  /** Expires every token of a customer: later logins fail with `authentication`; open sockets get `access_token_expired`. */
  expireCustomerTokens(customerId: string): { tokens: number; connections: number }
  /** Stores the customer's side storage and pushes `customer_side_storage_updated`. */
  setCustomerSideStorage(customerId: string, storage: Record<string, string>, organizationId?: string): number
  /** A customer as stored (identity secret left out), or `undefined`. */
  getCustomer(customerId: string, organizationId?: string): Omit<CustomerRecord, 'identity_secret'> | undefined
  /** Expires (or renews) an organization's license: sockets get `license_expired`, logins fail with `license_expired`. */
  setLicenseExpired(organizationId: string, expired?: boolean): number
  /** Serves an organization from another region: every socket (and each new one) gets `misdirected_connection {region}`. */
  setRegion(organizationId: string, region: string | undefined): number
  /** Edits an event (merges the fields) and pushes `event_updated` with the whole event. */
  updateEvent(organizationId: string, chatId: string, threadId: string, eventId: string, changes: Record<string, unknown>): Record<string, unknown>
  /** Adds or changes a group. */
  setGroup(group: GroupConfig): void
  /** Sets (or disables with `null`) a group's form of a type. */
  setForm(groupId: number, type: FormType, form: FormConfig | null): void
  /** Changes limits and switches; `null` clears a limit. */
  setLimits(limits: PlatformLimits): void
}

export interface PlatformLimits {
  /** Concurrent customers per organization (`users_limit_reached`). */
  usersLimit?: number | null
  /** Connections per customer (`too_many_connections`). */
  maxConnectionsPerCustomer?: number | null
  maxChatsPerAgent?: number
  /** Asynchronous chats when groups are offline (`groups_offline` when false). */
  offlineChats?: boolean
  /** Every request waits this long before it is handled (0 = off): drives `pending_requests_limit_reached`. */
  responseDelayMs?: number
}

export class AdminError extends Error {}

/** The organization of a customer: the given one, else the one of its open sockets. */
const customerOrganization = (ctx: ServerContext, customerId: string, organizationId?: string): string => {
  const organization = organizationId ?? ctx.registry.customerConnections(customerId)[0]?.organizationId
  if (organization === undefined || !ctx.storage.getCustomer(organization, customerId)) throw new AdminError(`Unknown customer ${customerId}`)
  return organization
}

const organizationConnections = (ctx: ServerContext, organizationId: string) =>
  ctx.registry.all().filter((c) => c.organizationId === organizationId)

/**
 * The admin operations, each in one storage transaction (like an RTM request): one that
 * throws part-way leaves the storage as it was.
 */
export const createAdmin = (ctx: ServerContext, tokenEndpoint: TokenEndpoint, crmEndpoint: CrmEndpoint): ServerAdmin => {
  const operations = Object.entries(adminOperations(ctx, tokenEndpoint, crmEndpoint)) as Array<[string, (...args: unknown[]) => unknown]>
  const atomic = operations.map(([name, operation]) => [name, (...args: unknown[]) => ctx.storage.transaction(() => operation(...args))])
  return Object.fromEntries(atomic) as ServerAdmin
}

const adminOperations = (ctx: ServerContext, tokenEndpoint: TokenEndpoint, crmEndpoint: CrmEndpoint): ServerAdmin => ({
  issueAgentToken(agentId, organizationId) {
    if (!ctx.agents.get(agentId)) throw new AdminError(`Unknown agent ${agentId}`)
    return { access_token: ctx.tokens.issueAgentToken(agentId, organizationId).access_token, token_type: 'Bearer' }
  },
  issueCustomerToken: (organizationId, customerId) => tokenEndpoint.issue(organizationId, customerId),
  disconnectCustomer(customerId, reason, data) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) {
      connection.stalled = false
      connection.disconnect(reason, data)
    }
    return connections.length
  },
  disconnectAgent(agentId, reason, data) {
    const connections = ctx.registry.agentConnections({ agentId })
    for (const connection of connections) connection.disconnect(reason, data)
    return connections.length
  },
  dropCustomer(customerId) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) connection.drop()
    return connections.length
  },
  stallCustomer(customerId, stalled = true) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) connection.stalled = stalled
    return connections.length
  },
  failTokenRequests(failure) {
    tokenEndpoint.failure = failure
  },
  failCrmRequests(status, count = 1) {
    crmEndpoint.failure = status === undefined || count <= 0 ? undefined : { status, remaining: Math.floor(count) }
  },
  health: () => ({ ok: true, connections: ctx.registry.size, ...ctx.storage.counts() }),

  sendGreeting(customerId, input = {}, organizationId) {
    const organization = customerOrganization(ctx, customerId, organizationId)
    if (input.agentId !== undefined && !ctx.agents.get(input.agentId)) throw new AdminError(`Unknown agent ${input.agentId}`)
    const greeting = sendGreeting(ctx, organization, customerId, input)
    return { id: greeting.id, unique_id: greeting.unique_id }
  },

  banCustomer(customerId, banned = true, organizationId) {
    const organization = customerOrganization(ctx, customerId, organizationId)
    const customer = ctx.storage.getCustomer(organization, customerId)
    if (customer) ctx.storage.putCustomer({ ...customer, banned })
    if (!banned) return 0
    const connections = ctx.registry.customerConnections(customerId, organization)
    for (const connection of connections) connection.disconnect('customer_banned')
    return connections.length
  },

  expireCustomerTokens(customerId) {
    const now = ctx.clock.nowMs()
    const tokens = ctx.storage.listTokens(customerId).filter((t) => t.kind === 'customer' && t.expires_at > now)
    for (const token of tokens) ctx.storage.putToken({ ...token, expires_at: now })
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) connection.disconnect('access_token_expired')
    return { tokens: tokens.length, connections: connections.length }
  },

  setCustomerSideStorage(customerId, storage, organizationId) {
    const organization = customerOrganization(ctx, customerId, organizationId)
    const customer = ctx.storage.getCustomer(organization, customerId)
    if (customer) ctx.storage.putCustomer({ ...customer, customer_side_storage: { ...storage } })
    ctx.publisher.toCustomer(organization, customerId, 'customer_side_storage_updated', { customer_side_storage: { ...storage } })
    return ctx.registry.customerConnections(customerId, organization).length
  },

  getCustomer(customerId, organizationId) {
    const organization = organizationId ?? ctx.registry.customerConnections(customerId)[0]?.organizationId
    const customer = organization === undefined ? undefined : ctx.storage.getCustomer(organization, customerId)
    if (!customer) return undefined
    const { identity_secret: _secret, ...rest } = customer
    return rest
  },

  setLicenseExpired(organizationId, expired = true) {
    ctx.storage.putOrganization({ ...ctx.storage.getOrganization(organizationId), id: organizationId, license_expired: expired })
    if (!expired) return 0
    const connections = organizationConnections(ctx, organizationId)
    for (const connection of connections) connection.disconnect('license_expired')
    return connections.length
  },

  setRegion(organizationId, region) {
    ctx.platform.setRegion(organizationId, region)
    if (region === undefined) return 0
    const connections = organizationConnections(ctx, organizationId)
    for (const connection of connections) connection.disconnect('misdirected_connection', { region })
    return connections.length
  },

  updateEvent(organizationId, chatId, threadId, eventId, changes) {
    const chat = ctx.storage.getChat(organizationId, chatId)
    const event = chat?.thread_ids.includes(threadId) ? ctx.storage.getEvent(organizationId, threadId, eventId) : undefined
    if (!chat || !event) throw new AdminError('Event not found')
    const { id: _id, created_at: _created, type: _type, ...editable } = changes
    const updated: EventRecord = { ...event, ...editable }
    ctx.storage.updateEvent(organizationId, threadId, updated)
    ctx.publisher.toChat(chat, 'event_updated', (side) =>
      side === 'customer' && (updated.visibility !== 'all' || updated.deleted === true)
        ? undefined
        : { chat_id: chatId, thread_id: threadId, event: eventView(updated, side) },
    )
    return { ...eventView(updated, 'agent') }
  },

  setGroup(group) {
    ctx.groups.upsert(group)
    for (const organizationId of new Set(ctx.registry.all().map((c) => c.organizationId))) refreshGroupStatuses(ctx, organizationId)
  },

  setForm(groupId, type, form) {
    ctx.groups.setForm(groupId, type, form)
  },

  setLimits(limits) {
    if (limits.usersLimit !== undefined) ctx.platform.usersLimit = limits.usersLimit ?? undefined
    if (limits.maxConnectionsPerCustomer !== undefined) ctx.platform.maxConnectionsPerCustomer = limits.maxConnectionsPerCustomer ?? undefined
    if (limits.offlineChats !== undefined) ctx.platform.offlineChats = limits.offlineChats
    if (limits.responseDelayMs !== undefined) ctx.platform.responseDelayMs = Math.max(0, limits.responseDelayMs)
    if (limits.maxChatsPerAgent !== undefined) {
      ctx.platform.maxChatsPerAgent = limits.maxChatsPerAgent
      for (const organizationId of new Set(ctx.registry.all().map((c) => c.organizationId))) refreshGroupStatuses(ctx, organizationId)
    }
  },
})
