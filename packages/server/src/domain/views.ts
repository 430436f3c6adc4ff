/**
 * Records → wire shapes, per side. Customers see `recipients` and never an
 * agents-only event; agents see `visibility` (agent-rtm §0, customer-rtm §9).
 */
import type {
  WireAgent,
  WireChat,
  WireChatSummary,
  WireCustomer,
  WireEvent,
  WireThread,
  WireAgentCustomer,
} from '@rapport/protocol'
import type { ChatRecord, ChatUserRecord, CustomerRecord, EventRecord, ThreadRecord } from '../storage/storage'
import type { DomainContext } from './context'
import type { Side } from './ports'

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T

export const eventView = (event: EventRecord, side: Side): WireEvent => {
  const { visibility, ...rest } = event
  return (side === 'customer' ? { ...rest, recipients: visibility } : { ...rest, visibility }) as unknown as WireEvent
}

/** Customers never see agents-only or deleted events; agents see everything (deleted ones flagged). */
export const visibleTo = (event: EventRecord, side: Side): boolean => side === 'agent' || (event.visibility === 'all' && event.deleted !== true)

export const visibleEvents = (ctx: DomainContext, thread: ThreadRecord, side: Side): EventRecord[] =>
  ctx.storage.listEvents(thread.organization_id, thread.id).filter((e) => visibleTo(e, side))

export const isCustomerPresent = (ctx: DomainContext, organizationId: string, customerId: string): boolean =>
  ctx.presence.isCustomerConnected(organizationId, customerId)

export const customerView = (
  ctx: DomainContext,
  customer: CustomerRecord,
  options: { statistics?: boolean; chatUser?: ChatUserRecord } = {},
): WireCustomer =>
  defined({
    id: customer.id,
    type: 'customer' as const,
    name: customer.name,
    email: customer.email,
    avatar: customer.avatar,
    phone_number: customer.phone_number,
    session_fields: customer.session_fields,
    omnichannel: customer.omnichannel,
    address: customer.address,
    present: isCustomerPresent(ctx, customer.organization_id, customer.id),
    events_seen_up_to: options.chatUser?.events_seen_up_to,
    statistics: options.statistics ? { ...customer.statistics } : undefined,
  })

export const agentView = (ctx: DomainContext, user: ChatUserRecord): WireAgent => {
  const agent = ctx.agents.get(user.id)
  return defined({
    id: user.id,
    type: 'agent' as const,
    name: agent?.name ?? user.id,
    avatar: agent?.avatar ?? '',
    job_title: agent?.jobTitle ?? (agent?.type === 'bot' ? 'Bot' : 'Support Agent'),
    is_bot: agent ? agent.type === 'bot' : undefined,
    present: user.present,
    events_seen_up_to: user.events_seen_up_to,
  })
}

export const usersView = (ctx: DomainContext, chat: ChatRecord, side: Side): Array<WireCustomer | WireAgent> =>
  chat.users.flatMap((user): Array<WireCustomer | WireAgent> => {
    if (user.type === 'agent') return [agentView(ctx, user)]
    const customer = ctx.storage.getCustomer(chat.organization_id, user.id)
    return customer ? [customerView(ctx, customer, { chatUser: user, statistics: side === 'agent' })] : []
  })

export const threadView = (ctx: DomainContext, thread: ThreadRecord, side: Side, events?: EventRecord[]): WireThread =>
  defined({
    id: thread.id,
    active: thread.active,
    user_ids: [...thread.user_ids],
    events: (events ?? visibleEvents(ctx, thread, side)).map((e) => eventView(e, side)),
    properties: thread.properties,
    access: { group_ids: [...thread.access.group_ids] },
    queue: thread.queue ? { ...thread.queue } : undefined,
    previous_thread_id: thread.previous_thread_id,
    next_thread_id: thread.next_thread_id,
    created_at: thread.created_at,
  })

export const lastThread = (ctx: DomainContext, chat: ChatRecord): ThreadRecord | undefined => {
  const id = chat.thread_ids.at(-1)
  return id === undefined ? undefined : ctx.storage.getThread(chat.organization_id, id)
}

/**
 * The thread `get_chat` returns: the one asked for (it must belong to the chat), or the
 * latest; `null` when a named thread is not the chat's.
 */
export const requestedThread = (ctx: DomainContext, chat: ChatRecord, threadId: string | undefined): ThreadRecord | undefined | null => {
  if (threadId === undefined) return lastThread(ctx, chat)
  return (chat.thread_ids.includes(threadId) ? ctx.storage.getThread(chat.organization_id, threadId) : undefined) ?? null
}

export const activeThread = (ctx: DomainContext, chat: ChatRecord): ThreadRecord | undefined => {
  const thread = lastThread(ctx, chat)
  return thread?.active ? thread : undefined
}

export const chatView = (ctx: DomainContext, chat: ChatRecord, thread: ThreadRecord | undefined, side: Side): WireChat =>
  defined({
    id: chat.id,
    thread: thread ? threadView(ctx, thread, side) : undefined,
    users: usersView(ctx, chat, side),
    access: { group_ids: [...chat.access.group_ids] },
    properties: chat.properties,
    is_followed: side === 'agent' ? false : undefined,
  })

const lastEventPerType = (ctx: DomainContext, chat: ChatRecord, side: Side): WireChatSummary['last_event_per_type'] => {
  const result: NonNullable<WireChatSummary['last_event_per_type']> = {}
  for (const threadId of chat.thread_ids) {
    const thread = ctx.storage.getThread(chat.organization_id, threadId)
    if (!thread) continue
    for (const event of visibleEvents(ctx, thread, side)) {
      result[event.type] = { thread_id: thread.id, thread_created_at: thread.created_at, event: eventView(event, side) }
    }
  }
  return result
}

export const customerChatSummary = (ctx: DomainContext, chat: ChatRecord): WireChatSummary => {
  const thread = lastThread(ctx, chat)
  return defined({
    id: chat.id,
    last_thread_id: thread?.id,
    last_thread_created_at: thread?.created_at,
    last_event_per_type: lastEventPerType(ctx, chat, 'customer'),
    users: usersView(ctx, chat, 'customer'),
    access: { group_ids: [...chat.access.group_ids] },
    properties: chat.properties,
    active: thread?.active ?? false,
  })
}

/** Agent chat summary (agent-rtm §3 `list_chats`). */
export const agentChatSummary = (ctx: DomainContext, chat: ChatRecord): Record<string, unknown> => {
  const thread = lastThread(ctx, chat)
  return defined({
    id: chat.id,
    users: usersView(ctx, chat, 'agent'),
    last_event_per_type: lastEventPerType(ctx, chat, 'agent'),
    last_thread_summary: thread
      ? defined({
          id: thread.id,
          created_at: thread.created_at,
          user_ids: [...thread.user_ids],
          properties: thread.properties,
          active: thread.active,
          access: { group_ids: [...thread.access.group_ids] },
          queue: thread.queue ? { ...thread.queue } : undefined,
        })
      : undefined,
    properties: chat.properties,
    access: { group_ids: [...chat.access.group_ids] },
    is_followed: false,
  })
}

/**
 * The Customer record `get_customer` answers an agent with (seed `000_…`): the customer's
 * data and statistics, the last visit, the chats' figures (`created_at` of the newest event
 * by an agent and by the customer; the customer's `events_seen_up_to` in its latest chat;
 * the groups of its chats), and its state: `chatting` with an active chat, `browsing` while
 * connected, `offline` otherwise.
 */
export const agentCustomerView = (ctx: DomainContext, customer: CustomerRecord): WireAgentCustomer => {
  const chats = ctx.storage.listCustomerChats(customer.organization_id, customer.id)
  let agentLast: string | undefined
  let customerLast: string | undefined
  let seenUpTo: string | undefined
  let seenAt = ''
  const groups = new Set<number>()
  let chatting = false
  for (const chat of chats) {
    for (const g of chat.access.group_ids) groups.add(g)
    const user = chat.users.find((u) => u.type === 'customer' && u.id === customer.id)
    if (user?.events_seen_up_to !== undefined && chat.created_at >= seenAt) {
      seenUpTo = user.events_seen_up_to
      seenAt = chat.created_at
    }
    for (const threadId of chat.thread_ids) {
      const thread = ctx.storage.getThread(chat.organization_id, threadId)
      if (!thread) continue
      if (thread.active) chatting = true
      for (const event of ctx.storage.listEvents(chat.organization_id, thread.id)) {
        if (event.author_id === undefined) continue
        if (event.author_id === customer.id) {
          if (customerLast === undefined || event.created_at > customerLast) customerLast = event.created_at
        } else if (ctx.agents.get(event.author_id) && (agentLast === undefined || event.created_at > agentLast)) {
          agentLast = event.created_at
        }
      }
    }
  }
  const online = isCustomerPresent(ctx, customer.organization_id, customer.id)
  const visit = customer.visit
  return defined({
    ...customerView(ctx, customer, { statistics: true }),
    email_verified: false,
    events_seen_up_to: seenUpTo,
    created_at: customer.created_at,
    visit: visit
      ? defined({
          id: visit.id,
          started_at: visit.started_at,
          referrer: visit.referrer,
          ip: visit.ip,
          user_agent: visit.user_agent,
          last_pages: visit.last_pages.map((p) => defined({ opened_at: p.opened_at, url: p.url, title: p.title })),
        })
      : undefined,
    statistics: {
      ...customer.statistics,
      ...(visit ? { last_visit_started_at: visit.started_at } : {}),
    },
    agent_last_event_created_at: agentLast,
    customer_last_event_created_at: customerLast,
    followed: false,
    online,
    group_ids: [...groups].sort((a, b) => a - b),
    state: chatting ? 'chatting' : online ? 'browsing' : 'offline',
  })
}
