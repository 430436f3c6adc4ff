/**
 * Customer chat actions (customer-rtm §5.1): start/resume/deactivate, reading chats and
 * threads, marking events seen.
 *
 * Groups: a chat's `access.group_ids` must name known groups (`group_not_found`). With
 * the server option `offlineChats: false`, a chat whose groups are all offline cannot be
 * started or resumed unless `continuous: true` (`groups_offline`); by default chats are
 * always possible and wait in the queue (asynchronous chats).
 */
import { LIMITS, type WireListChatsResponse } from '@rapport/protocol'
import { z } from 'zod'
import type { ServerContext } from '../../context'
import { appendEvent, deactivateThread, findSentEvent, markEventsAsSeen, openThread, pushIncomingChat } from '../../domain/chats'
import { groupStatus } from '../../domain/groups'
import { listThreads } from '../../domain/listThreads'
import { assignAgent, planRouting } from '../../domain/routing'
import { activeThread, chatView, customerChatSummary, lastThread, requestedThread } from '../../domain/views'
import { notFound } from '../../domain/errors'
import type { ChatRecord, ThreadRecord } from '../../storage/storage'
import { shortId } from '../../util/ids'
import { pageOf } from '../../util/paging'
import { toNewEvent } from '../eventInput'
import { RtmError } from '../rtmError'
import { customerSchemas as s, type EventPayload } from '../schemas'
import { action, ownChat, requireCustomer, type CustomerActionTable, type CustomerRequest } from './common'

/**
 * Appends a thread's initial events (after the welcome message, if one was named); returns
 * the ids of the customer's events. An event whose `custom_id` this customer already used
 * in the chat (an earlier thread, or earlier in the list) is not appended again: its id is
 * the original's (idempotent sends).
 */
const appendInitialEvents = (
  request: CustomerRequest,
  chat: ChatRecord,
  thread: ThreadRecord,
  events: EventPayload[] | undefined,
  welcomeMessageId: string | undefined,
): string[] => {
  const { ctx, connection, session } = request
  if (welcomeMessageId !== undefined) {
    const welcome = ctx.platform.welcomeMessage(connection.organizationId, session.customerId, welcomeMessageId)
    if (welcome) appendEvent(ctx, thread, { type: 'message', visibility: 'all', text: welcome.event.text }, welcome.agent_id)
  }
  return (events ?? []).map(
    (event) =>
      findSentEvent(ctx, chat, session.customerId, event.custom_id)?.event.id ??
      appendEvent(ctx, thread, toNewEvent(event, 'customer'), session.customerId).id,
  )
}

/**
 * A resent `start_chat`/`resume_chat`: the chat's active thread already holds every
 * initial event (each must have a `custom_id`) from this customer. The request is then
 * answered as the original was, and `incoming_chat` goes to the requester only.
 */
const resentThread = (
  request: CustomerRequest,
  chat: ChatRecord,
  events: EventPayload[] | undefined,
): { thread: ThreadRecord; eventIds: string[] } | undefined => {
  const { ctx, session } = request
  if (events === undefined || events.length === 0) return undefined
  const thread = activeThread(ctx, chat)
  if (!thread) return undefined
  const eventIds: string[] = []
  for (const event of events) {
    if (event.custom_id === undefined) return undefined
    const sent = ctx.storage.findEventByCustomId(chat.organization_id, [thread.id], session.customerId, event.custom_id)
    if (!sent) return undefined
    eventIds.push(sent.event.id)
  }
  return { thread, eventIds }
}

const answerResent = (request: CustomerRequest, chat: ChatRecord, thread: ThreadRecord): void => {
  const { ctx, connection, requestId } = request
  request.afterResponse(() => connection.push('incoming_chat', { chat: chatView(ctx, chat, thread, 'customer') }, requestId))
}

/** After `start_chat`/`resume_chat`: mark seen, plan routing, then push `incoming_chat` and the assignment. */
const announceThread = (request: CustomerRequest, chat: ChatRecord, thread: ThreadRecord): void => {
  const { ctx, connection, requestId, session } = request
  const last = ctx.storage.listEvents(chat.organization_id, thread.id).at(-1)
  if (last) markEventsAsSeen(ctx, chat, session.customerId, last.created_at, false)
  const agent = thread.active ? planRouting(ctx, chat, thread) : undefined
  request.afterResponse(() => {
    pushIncomingChat(ctx, chat, { requester: connection, requestId }, (side) => chatView(ctx, chat, thread, side))
    if (agent) assignAgent(ctx, chat, thread, agent)
  })
}

/** `group_not_found` for unknown groups; `groups_offline` when asynchronous chats are off and every group is offline. */
const checkGroups = (ctx: ServerContext, organizationId: string, groupIds: number[], active: boolean, continuous: boolean | undefined): void => {
  for (const id of groupIds) if (!ctx.groups.has(id)) throw new RtmError('group_not_found', `Group ${id} not found`)
  if (!active || continuous === true || ctx.platform.offlineChats) return
  if (groupIds.every((id) => groupStatus(ctx, organizationId, id) === 'offline')) throw new RtmError('groups_offline', 'Groups are offline')
}

const chatsSortKey = (ctx: ServerContext, chat: ChatRecord): string => lastThread(ctx, chat)?.created_at ?? chat.created_at

/** A `list_chats` page cursor; its limit stays within the action's maximum even when signed. */
const listChatsCursor = z.object({
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(LIMITS.listChatsMaxLimit),
  sort_order: z.enum(['asc', 'desc']),
})

export const chatActions: CustomerActionTable = {
  start_chat: action(s.start_chat, (request, payload) => {
    const { ctx, connection, session } = request
    const customer = requireCustomer(request)
    const existing = ctx.storage.listCustomerChats(connection.organizationId, customer.id)
    for (const chat of existing) {
      const resent = resentThread(request, chat, payload.chat?.thread?.events)
      if (resent) {
        answerResent(request, chat, resent.thread)
        return { chat_id: chat.id, thread_id: resent.thread.id, event_ids: resent.eventIds }
      }
    }
    if (existing.length >= LIMITS.chatsPerCustomer) {
      throw new RtmError('chat_limit_reached', 'Chat limit reached: the customer already has a chat')
    }
    const groupIds = payload.chat?.access?.group_ids ?? [session.groupId]
    checkGroups(ctx, connection.organizationId, groupIds, payload.active ?? true, payload.continuous)
    const chat: ChatRecord = {
      id: shortId(),
      organization_id: connection.organizationId,
      customer_id: customer.id,
      created_at: ctx.clock.timestamp(),
      users: [{ id: customer.id, type: 'customer', present: true }],
      access: { group_ids: groupIds },
      properties: payload.chat?.properties ?? {},
      thread_ids: [],
    }
    ctx.storage.putChat(chat)
    ctx.storage.putCustomer({ ...customer, statistics: { ...customer.statistics, chats_count: customer.statistics.chats_count + 1 } })
    const thread = openThread(ctx, chat, { active: payload.active ?? true, ...(payload.chat?.thread?.properties ? { properties: payload.chat.thread.properties } : {}) })
    const eventIds = appendInitialEvents(request, chat, thread, payload.chat?.thread?.events, payload.welcome_message_id)
    announceThread(request, chat, thread)
    return { chat_id: chat.id, thread_id: thread.id, ...(eventIds.length > 0 ? { event_ids: eventIds } : {}) }
  }),

  resume_chat: action(s.resume_chat, (request, payload) => {
    const { ctx, connection } = request
    const chat = ownChat(request, payload.chat.id)
    const resent = resentThread(request, chat, payload.chat.thread?.events)
    if (resent) {
      answerResent(request, chat, resent.thread)
      return { thread_id: resent.thread.id, event_ids: resent.eventIds }
    }
    if (activeThread(ctx, chat)) throw new RtmError('chat_already_active', 'Chat is already active')
    checkGroups(ctx, connection.organizationId, payload.chat.access?.group_ids ?? chat.access.group_ids, payload.active ?? true, payload.continuous)
    if (payload.chat.access?.group_ids) chat.access = { group_ids: payload.chat.access.group_ids }
    if (payload.chat.properties) chat.properties = { ...chat.properties, ...payload.chat.properties }
    const thread = openThread(ctx, chat, { active: payload.active ?? true, ...(payload.chat.thread?.properties ? { properties: payload.chat.thread.properties } : {}) })
    const eventIds = appendInitialEvents(request, chat, thread, payload.chat.thread?.events, payload.welcome_message_id)
    announceThread(request, chat, thread)
    return { thread_id: thread.id, ...(eventIds.length > 0 ? { event_ids: eventIds } : {}) }
  }),

  get_chat: action(s.get_chat, (request, payload) => {
    const { ctx } = request
    const chat = ownChat(request, payload.chat_id)
    const thread = requestedThread(ctx, chat, payload.thread_id)
    if (thread === null) throw notFound('Thread')
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
      const decoded = ctx.pageIds.decode(payload.page_id, listChatsCursor)
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
      ...(page.next === undefined ? {} : { next_page_id: ctx.pageIds.encode({ ...cursor, offset: page.next }) }),
      ...(page.previous === undefined ? {} : { previous_page_id: ctx.pageIds.encode({ ...cursor, offset: page.previous }) }),
    }
    return response
  }),

  list_threads: action(s.list_threads, (request, payload) => listThreads(request.ctx, ownChat(request, payload.chat_id), payload, 'customer')),

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
