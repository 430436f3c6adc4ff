/** The customer side of RTM (customer-rtm §4, §5): login and the chat actions of this server. */
import { LIMITS, type WireListChatsResponse, type WireLoginResponse } from '@rapport/protocol'
import { z } from 'zod'
import type { ServerContext } from '../context'
import { customerChat } from '../domain/access'
import { appendEvent, deactivateThread, markEventsAsSeen, openThread, pushIncomingChat, pushIncomingEvent } from '../domain/chats'
import { toNewEvent } from '../domain/events'
import { listThreads } from '../domain/listThreads'
import { assignAgent, planRouting } from '../domain/routing'
import { activeThread, chatView, customerChatSummary, customerView, lastThread, visibleEvents } from '../domain/views'
import type { ChatRecord, CustomerRecord, ThreadRecord } from '../storage/storage'
import { shortId } from '../util/ids'
import { decodePageId, encodePageId, pageOf } from '../util/paging'
import { defineAction, type ActionHandler, type RequestContext, type SideProtocol } from './actionTable'
import type { CustomerSession, Session } from './connection'
import { RtmError, notFound } from './rtmError'
import { customerSchemas as s, type EventPayload } from './schemas'

type Request = RequestContext<CustomerSession>

const action = <Schema extends z.ZodType>(schema: Schema, handle: (request: Request, payload: z.output<Schema>) => unknown) =>
  defineAction<Schema, CustomerSession>(schema, handle)

const requireCustomer = (request: Request): CustomerRecord => {
  const customer = request.ctx.storage.getCustomer(request.connection.organizationId, request.session.customerId)
  if (!customer) throw new RtmError('authentication', 'Unknown customer')
  return customer
}

const ownChat = (request: Request, chatId: string): ChatRecord =>
  customerChat(request.ctx, request.connection.organizationId, request.session.customerId, chatId)

const hasUnreadEvents = (ctx: ServerContext, chat: ChatRecord, customerId: string): boolean => {
  const seen = chat.users.find((u) => u.id === customerId)?.events_seen_up_to ?? ''
  return chat.thread_ids.some((threadId) => {
    const thread = ctx.storage.getThread(chat.organization_id, threadId)
    return thread !== undefined && visibleEvents(ctx, thread, 'customer').some((e) => e.author_id !== customerId && e.created_at > seen)
  })
}

/** Appends a thread's initial events; returns their ids. */
const appendInitialEvents = (request: Request, thread: ThreadRecord, events: EventPayload[] | undefined): string[] =>
  (events ?? []).map((event) => appendEvent(request.ctx, thread, toNewEvent(event, 'customer'), request.session.customerId).id)

/** After `start_chat`/`resume_chat`: mark seen, plan routing, then push `incoming_chat` and the assignment. */
const announceThread = (request: Request, chat: ChatRecord, thread: ThreadRecord): void => {
  const { ctx, connection, requestId, session } = request
  const last = ctx.storage.listEvents(chat.organization_id, thread.id).at(-1)
  if (last) markEventsAsSeen(ctx, chat, session.customerId, last.created_at, false)
  const agent = thread.active ? planRouting(ctx, chat, thread) : undefined
  request.afterResponse(() => {
    pushIncomingChat(ctx, chat, { requester: connection, requestId }, (side) => chatView(ctx, chat, thread, side))
    if (agent) assignAgent(ctx, chat, thread, agent)
  })
}

const chatsSortKey = (ctx: ServerContext, chat: ChatRecord): string => lastThread(ctx, chat)?.created_at ?? chat.created_at

const listChatsCursor = z.object({
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
  sort_order: z.enum(['asc', 'desc']),
})

const login: ActionHandler<undefined> = defineAction(s.login, (request, payload) => {
  const { ctx, connection } = request
  const organizationId = connection.organizationId
  const token = ctx.tokens.verify(payload.token, 'customer', organizationId)
  if (!token) throw new RtmError('authentication', 'Invalid access token')
  const existing = ctx.storage.getCustomer(organizationId, token.entity_id)
  if (!existing) throw new RtmError('authentication', 'Invalid access token')
  const data = payload.customer ?? {}
  const customer: CustomerRecord = {
    ...existing,
    ...(data.name === undefined ? {} : { name: data.name }),
    ...(data.email === undefined ? {} : { email: data.email }),
    ...(data.avatar === undefined ? {} : { avatar: data.avatar }),
    ...(data.session_fields === undefined ? {} : { session_fields: data.session_fields }),
    ...(data.address === undefined ? {} : { address: data.address }),
    statistics: {
      ...existing.statistics,
      visits_count: existing.statistics.visits_count + 1,
      page_views_count: existing.statistics.page_views_count + (payload.customer_page ? 1 : 0),
    },
  }
  ctx.storage.putCustomer(customer)
  const groupId = payload.group_id ?? 0
  connection.beginSession({ kind: 'customer', customerId: customer.id, groupId }, payload.pushes)
  const chats = ctx.storage.listCustomerChats(organizationId, customer.id)
  const onlineGroups = ctx.agents.onlineGroups(organizationId)
  const response: WireLoginResponse = {
    customer: { ...customerView(ctx, customer), statistics: { ...customer.statistics } },
    has_active_thread: chats.some((chat) => activeThread(ctx, chat) !== undefined),
    chats: chats.map((chat) => ({
      chat_id: chat.id,
      has_unread_events: hasUnreadEvents(ctx, chat, customer.id),
      has_active_thread: activeThread(ctx, chat) !== undefined,
    })),
    __priv_dynamic_config: {
      ...(onlineGroups.length > 0 ? { online_groups_ids: onlineGroups } : {}),
      customer_groups: { monitoring: { id: groupId, static_config_url: '', language_config_url: '' } },
      organization_id: organizationId,
    },
    customer_id: customer.id,
  }
  return response
})

const actions: Record<string, ActionHandler<CustomerSession>> = {
  start_chat: action(s.start_chat, (request, payload) => {
    const { ctx, connection, session } = request
    const customer = requireCustomer(request)
    if (ctx.storage.listCustomerChats(connection.organizationId, customer.id).length >= LIMITS.chatsPerCustomer) {
      throw new RtmError('chat_limit_reached', 'Chat limit reached: the customer already has a chat')
    }
    const chat: ChatRecord = {
      id: shortId(),
      organization_id: connection.organizationId,
      customer_id: customer.id,
      created_at: ctx.clock.timestamp(),
      users: [{ id: customer.id, type: 'customer', present: true }],
      access: { group_ids: payload.chat?.access?.group_ids ?? [session.groupId] },
      properties: payload.chat?.properties ?? {},
      thread_ids: [],
    }
    ctx.storage.putChat(chat)
    ctx.storage.putCustomer({ ...customer, statistics: { ...customer.statistics, chats_count: customer.statistics.chats_count + 1 } })
    const thread = openThread(ctx, chat, { active: payload.active ?? true, ...(payload.chat?.thread?.properties ? { properties: payload.chat.thread.properties } : {}) })
    const eventIds = appendInitialEvents(request, thread, payload.chat?.thread?.events)
    announceThread(request, chat, thread)
    return { chat_id: chat.id, thread_id: thread.id, ...(eventIds.length > 0 ? { event_ids: eventIds } : {}) }
  }),

  resume_chat: action(s.resume_chat, (request, payload) => {
    const { ctx } = request
    const chat = ownChat(request, payload.chat.id)
    if (activeThread(ctx, chat)) throw new RtmError('chat_already_active', 'Chat is already active')
    if (payload.chat.access?.group_ids) chat.access = { group_ids: payload.chat.access.group_ids }
    if (payload.chat.properties) chat.properties = { ...chat.properties, ...payload.chat.properties }
    const thread = openThread(ctx, chat, { active: payload.active ?? true, ...(payload.chat.thread?.properties ? { properties: payload.chat.thread.properties } : {}) })
    const eventIds = appendInitialEvents(request, thread, payload.chat.thread?.events)
    announceThread(request, chat, thread)
    return { thread_id: thread.id, ...(eventIds.length > 0 ? { event_ids: eventIds } : {}) }
  }),

  send_event: action(s.send_event, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = ownChat(request, payload.chat_id)
    const thread = lastThread(ctx, chat)
    if (!thread || (!thread.active && payload.attach_to_last_thread !== true)) throw new RtmError('chat_inactive', 'Chat is inactive')
    const event = appendEvent(ctx, thread, toNewEvent(payload.event, 'customer'), session.customerId)
    markEventsAsSeen(ctx, chat, session.customerId, event.created_at, false)
    request.afterResponse(() => pushIncomingEvent(ctx, chat, thread, event, { requester: connection, requestId }))
    return { event_id: event.id }
  }),

  get_chat: action(s.get_chat, (request, payload) => {
    const { ctx } = request
    const chat = ownChat(request, payload.chat_id)
    let thread = lastThread(ctx, chat)
    if (payload.thread_id !== undefined) {
      thread = chat.thread_ids.includes(payload.thread_id) ? ctx.storage.getThread(chat.organization_id, payload.thread_id) : undefined
      if (!thread) throw notFound('Thread')
    }
    return chatView(ctx, chat, thread, 'customer')
  }),

  list_chats: action(s.list_chats, (request, payload) => {
    const { ctx, connection, session } = request
    let cursor: z.output<typeof listChatsCursor> = {
      offset: 0,
      limit: payload.limit ?? LIMITS.listChatsDefaultLimit,
      sort_order: payload.sort_order ?? 'desc',
    }
    if (payload.page_id !== undefined) {
      const decoded = decodePageId(payload.page_id, listChatsCursor)
      if (!decoded) throw new RtmError('validation', 'Invalid `page_id`')
      cursor = decoded
    }
    const chats = ctx.storage
      .listCustomerChats(connection.organizationId, session.customerId)
      .sort((a, b) => chatsSortKey(ctx, a).localeCompare(chatsSortKey(ctx, b)) * (cursor.sort_order === 'desc' ? -1 : 1))
    const page = pageOf(chats, cursor.offset, cursor.limit)
    const response: WireListChatsResponse = {
      chats_summary: page.items.map((chat) => customerChatSummary(ctx, chat)),
      total_chats: chats.length,
      ...(page.next === undefined ? {} : { next_page_id: encodePageId({ ...cursor, offset: page.next }) }),
      ...(page.previous === undefined ? {} : { previous_page_id: encodePageId({ ...cursor, offset: page.previous }) }),
    }
    return response
  }),

  list_threads: action(s.list_threads, (request, payload) =>
    listThreads(request.ctx, ownChat(request, payload.chat_id), payload, 'customer'),
  ),

  get_customer: action(s.get_customer, (request) => {
    const customer = requireCustomer(request)
    return customerView(request.ctx, customer, { statistics: true })
  }),

  deactivate_chat: action(s.deactivate_chat, (request, payload) => {
    const { ctx, session } = request
    const chat = ownChat(request, payload.id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    request.afterResponse(deactivateThread(ctx, chat, thread, { type: 'customer', id: session.customerId }))
    return {}
  }),

  mark_events_as_seen: action(s.mark_events_as_seen, (request, payload) => {
    const { ctx, session } = request
    const chat = ownChat(request, payload.chat_id)
    request.afterResponse(() => markEventsAsSeen(ctx, chat, session.customerId, payload.seen_up_to))
    return {}
  }),
}

export const customerProtocol: SideProtocol<CustomerSession> = {
  side: 'customer',
  login,
  actions,
  isSession: (session: Session | undefined): session is CustomerSession => session?.kind === 'customer',
}
