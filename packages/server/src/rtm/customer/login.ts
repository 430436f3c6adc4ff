/**
 * Customer `login` (customer-rtm §4). Checks, in order: license (`license_expired`),
 * token (`authentication`), ban (`customer_banned`), concurrent customers
 * (`users_limit_reached`), then the per-customer
 * connection limit (over it the socket gets `customer_disconnected
 * {reason: "too_many_connections"}` instead of an answer). A logged-in socket is
 * disconnected with `access_token_expired` when its token expires.
 */
import type { WireGreeting, WireLoginResponse } from '@rapport/protocol'
import type { ServerContext } from '../../context'
import { greetingView, pendingGreeting } from '../../domain/greetings'
import { onlineGroupIds } from '../../domain/groups'
import { isLicenseExpired } from '../../domain/license'
import { activeThread, customerView, visibleEvents } from '../../domain/views'
import type { ChatRecord, CustomerRecord } from '../../storage/storage'
import { defineAction, type ActionHandler, type LoginContext } from '../actionTable'
import { RtmError } from '../rtmError'
import { customerSchemas as s } from '../schemas'

const hasUnreadEvents = (ctx: ServerContext, chat: ChatRecord, customerId: string): boolean => {
  const seen = chat.users.find((u) => u.id === customerId)?.events_seen_up_to ?? ''
  return chat.thread_ids.some((threadId) => {
    const thread = ctx.storage.getThread(chat.organization_id, threadId)
    return thread !== undefined && visibleEvents(ctx, thread, 'customer').some((e) => e.author_id !== customerId && e.created_at > seen)
  })
}

/** Customers with a logged-in connection in the organization. */
const connectedCustomers = (ctx: ServerContext, organizationId: string): Set<string> => {
  const ids = new Set<string>()
  for (const connection of ctx.registry.all()) {
    if (connection.session?.kind === 'customer' && connection.organizationId === organizationId) ids.add(connection.session.customerId)
  }
  return ids
}

export const login: ActionHandler<LoginContext> = defineAction(s.login, (request: LoginContext, payload) => {
  const { ctx, connection } = request
  const organizationId = connection.organizationId
  if (isLicenseExpired(ctx, organizationId)) throw new RtmError('license_expired', 'License expired')
  const token = ctx.tokens.verify(payload.token, 'customer', organizationId)
  if (!token) throw new RtmError('authentication', 'Invalid access token')
  const existing = ctx.storage.getCustomer(organizationId, token.entity_id)
  if (!existing) throw new RtmError('authentication', 'Invalid access token')
  if (existing.banned === true) throw new RtmError('customer_banned', 'Customer is banned')
  const limit = ctx.platform.usersLimit
  if (limit !== undefined) {
    const connected = connectedCustomers(ctx, organizationId)
    if (!connected.has(existing.id) && connected.size >= limit) throw new RtmError('users_limit_reached', 'Concurrent customers limit reached')
  }
  // An unknown `group_id` is accepted here (it is echoed as the monitoring group); the
  // requests that use it (`start_chat`, `get_form`, …) answer `group_not_found`.
  const groupId = payload.group_id ?? 0
  const maxConnections = ctx.platform.maxConnectionsPerCustomer
  if (maxConnections !== undefined && ctx.registry.customerConnections(existing.id, organizationId).length >= maxConnections) {
    connection.disconnect('too_many_connections')
    return undefined
  }

  const data = payload.customer ?? {}
  const now = ctx.clock.timestamp()
  const customer: CustomerRecord = {
    ...existing,
    ...(data.name === undefined ? {} : { name: data.name }),
    ...(data.email === undefined ? {} : { email: data.email }),
    ...(data.avatar === undefined ? {} : { avatar: data.avatar }),
    ...(data.session_fields === undefined ? {} : { session_fields: data.session_fields }),
    ...(data.address === undefined ? {} : { address: data.address }),
    ...(payload.customer_side_storage === undefined ? {} : { customer_side_storage: payload.customer_side_storage }),
    ...(payload.customer_page === undefined
      ? {}
      : { last_page: { url: payload.customer_page.url, ...(payload.customer_page.title === undefined ? {} : { title: payload.customer_page.title }), opened_at: now } }),
    visit: {
      id: existing.statistics.visits_count + 1,
      started_at: now,
      ...(payload.referrer === undefined ? {} : { referrer: payload.referrer }),
      ...(connection.peer.ip === undefined ? {} : { ip: connection.peer.ip }),
      ...(connection.peer.userAgent === undefined ? {} : { user_agent: connection.peer.userAgent }),
      last_pages: payload.customer_page === undefined ? [] : [{ url: payload.customer_page.url, ...(payload.customer_page.title === undefined ? {} : { title: payload.customer_page.title }), opened_at: now }],
    },
    statistics: {
      ...existing.statistics,
      visits_count: existing.statistics.visits_count + 1,
      page_views_count: existing.statistics.page_views_count + (payload.customer_page ? 1 : 0),
    },
  }
  ctx.storage.putCustomer(customer)
  connection.beginSession({ kind: 'customer', customerId: customer.id, groupId }, payload.pushes)
  connection.expireAt(token.expires_at, ctx.clock.nowMs(), () => connection.disconnect('access_token_expired'))
  const chats = ctx.storage.listCustomerChats(organizationId, customer.id)
  const onlineGroups = onlineGroupIds(ctx, organizationId)
  const greeting = pendingGreeting(ctx, organizationId, customer.id)
  let wireGreeting: WireGreeting | undefined
  if (greeting) {
    wireGreeting = { ...greetingView(ctx, greeting), accepted: false }
    if (!greeting.displayed) ctx.storage.putGreeting({ ...greeting, displayed: true })
  }
  const response: WireLoginResponse = {
    customer: { ...customerView(ctx, customer), statistics: { ...customer.statistics } },
    has_active_thread: chats.some((chat) => activeThread(ctx, chat) !== undefined),
    chats: chats.map((chat) => ({
      chat_id: chat.id,
      has_unread_events: hasUnreadEvents(ctx, chat, customer.id),
      has_active_thread: activeThread(ctx, chat) !== undefined,
    })),
    ...(wireGreeting ? { greeting: wireGreeting } : {}),
    __priv_dynamic_config: {
      ...(onlineGroups.length > 0 ? { online_groups_ids: onlineGroups } : {}),
      customer_groups: { monitoring: { id: groupId, static_config_url: '', language_config_url: '' } },
      organization_id: organizationId,
    },
    customer_id: customer.id,
  }
  return response
})
