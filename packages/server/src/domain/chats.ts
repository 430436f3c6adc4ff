/**
 * Chat operations shared by the customer and the agent side: opening threads,
 * appending events, marking events seen and deactivating, with their pushes.
 */
import type { Properties } from '@rapport/protocol'
import type { ChatRecord, ChatUserRecord, EventRecord, ThreadRecord, Visibility } from '../storage/storage'
import { shortId } from '../util/ids'
import type { DomainContext } from './context'
import { fileEventFields } from './files'
import { refreshGroupStatuses } from './groups'
import type { PushOrigin, Requester, Side } from './ports'
import { renumberQueue, routeQueue } from './routing'
import { eventView, visibleTo } from './views'

/** An event to append: the client's fields, minus what the server assigns. */
export interface NewEvent {
  type: EventRecord['type']
  visibility: Visibility
  custom_id?: string
  properties?: Properties
  [field: string]: unknown
}

export const openThread = (
  ctx: DomainContext,
  chat: ChatRecord,
  options: { active: boolean; properties?: Properties },
): ThreadRecord => {
  const previous = chat.thread_ids.at(-1)
  const thread: ThreadRecord = {
    id: shortId(),
    chat_id: chat.id,
    organization_id: chat.organization_id,
    created_at: ctx.clock.timestamp(),
    active: options.active,
    user_ids: chat.users.filter((u) => u.type === 'customer').map((u) => u.id),
    properties: options.properties ?? {},
    access: { group_ids: [...chat.access.group_ids] },
    event_count: 0,
    ...(previous === undefined ? {} : { previous_thread_id: previous }),
  }
  if (previous !== undefined) {
    const prev = ctx.storage.getThread(chat.organization_id, previous)
    if (prev) ctx.storage.putThread({ ...prev, next_thread_id: thread.id })
  }
  chat.thread_ids.push(thread.id)
  ctx.storage.putThread(thread)
  ctx.storage.putChat(chat)
  const customer = ctx.storage.getCustomer(chat.organization_id, chat.customer_id)
  if (customer) ctx.storage.putCustomer({ ...customer, statistics: { ...customer.statistics, threads_count: customer.statistics.threads_count + 1 } })
  return thread
}

export const appendEvent = (
  ctx: DomainContext,
  thread: ThreadRecord,
  input: NewEvent,
  authorId: string | undefined,
): EventRecord => {
  thread.event_count += 1
  const extra = input.type === 'file' && typeof input.url === 'string' ? fileEventFields(ctx, input.url) : {}
  const event: EventRecord = {
    ...extra,
    ...input,
    id: `${thread.id}_${thread.event_count}`,
    created_at: ctx.clock.timestamp(),
    ...(authorId === undefined ? {} : { author_id: authorId }),
  }
  ctx.storage.appendEvent(thread.organization_id, thread.id, event)
  ctx.storage.putThread(thread)
  return event
}

/**
 * Idempotent sends: the event this author already sent to the chat with that `custom_id`
 * (any thread), or `undefined`. A client that resends after an ambiguous failure (the
 * request went out, no answer came back) gets the original event instead of a duplicate.
 */
export const findSentEvent = (
  ctx: DomainContext,
  chat: ChatRecord,
  authorId: string,
  customId: string | undefined,
): { thread_id: string; event: EventRecord } | undefined =>
  customId === undefined ? undefined : ctx.storage.findEventByCustomId(chat.organization_id, chat.thread_ids, authorId, customId)

/** The answer to a resent event: `incoming_event` with the original event, to the requester only. */
export const pushResentEvent = (
  chat: ChatRecord,
  sent: { thread_id: string; event: EventRecord },
  origin: { requester: Requester; requestId?: string },
): void => {
  const side = origin.requester.side
  origin.requester.push('incoming_event', { chat_id: chat.id, thread_id: sent.thread_id, event: eventView(sent.event, side) }, origin.requestId)
}

/** `incoming_event` to everyone in the chat who may see it; the requester's copy carries the request id. */
export const pushIncomingEvent = (
  ctx: DomainContext,
  chat: ChatRecord,
  thread: ThreadRecord,
  event: EventRecord,
  origin: PushOrigin = {},
): void => {
  ctx.publisher.toChat(
    chat,
    'incoming_event',
    (side) => (visibleTo(event, side) ? { chat_id: chat.id, thread_id: thread.id, event: eventView(event, side) } : undefined),
    origin,
  )
  // The author always gets its own event back, even an agents-only one.
  if (origin.requester?.side === 'customer' && !visibleTo(event, 'customer')) {
    origin.requester.push('incoming_event', { chat_id: chat.id, thread_id: thread.id, event: eventView(event, 'customer') }, origin.requestId)
  }
}

/** `incoming_chat` for a chat and its (new) thread. */
export const pushIncomingChat = (
  ctx: DomainContext,
  chat: ChatRecord,
  origin: PushOrigin & { requesterId?: string },
  buildChat: (side: Side) => unknown,
): void => {
  ctx.publisher.toChat(
    chat,
    'incoming_chat',
    (side) => ({ ...(origin.requesterId ? { requester_id: origin.requesterId } : {}), chat: buildChat(side) }),
    origin,
  )
}

export const findChatUser = (chat: ChatRecord, userId: string): ChatUserRecord | undefined => chat.users.find((u) => u.id === userId)

/** Moves a user's `events_seen_up_to` forward and tells the chat (`events_marked_as_seen`). */
export const markEventsAsSeen = (ctx: DomainContext, chat: ChatRecord, userId: string, seenUpTo: string, notify = true): void => {
  const user = findChatUser(chat, userId)
  if (!user) return
  if (user.events_seen_up_to !== undefined && user.events_seen_up_to >= seenUpTo) return
  user.events_seen_up_to = seenUpTo
  ctx.storage.putChat(chat)
  if (notify) ctx.publisher.toChat(chat, 'events_marked_as_seen', () => ({ user_id: userId, chat_id: chat.id, seen_up_to: seenUpTo }))
}

/**
 * Closes the active thread with a `system_message` (`manual_archived_customer` /
 * `manual_archived_agent`). Returns the pushes to send after the response: that
 * `incoming_event`, then `chat_deactivated` to everyone in the chat.
 */
export const deactivateThread = (
  ctx: DomainContext,
  chat: ChatRecord,
  thread: ThreadRecord,
  by: { type: 'customer' | 'agent'; id: string; name?: string },
): (() => void) => {
  const system = appendEvent(
    ctx,
    thread,
    by.type === 'customer'
      ? { type: 'system_message', visibility: 'all', text: 'Chat archived by the customer', system_message_type: 'manual_archived_customer' }
      : {
          type: 'system_message',
          visibility: 'all',
          text: `${by.name ?? by.id} archived the chat`,
          system_message_type: 'manual_archived_agent',
          text_vars: { agent: by.name ?? by.id },
        },
    undefined,
  )
  thread.active = false
  const wasQueued = thread.queue !== undefined
  delete thread.queue
  ctx.storage.putThread(thread)
  for (const user of chat.users) if (user.type === 'agent') user.present = false
  ctx.storage.putChat(chat)
  return () => {
    pushIncomingEvent(ctx, chat, thread, system)
    ctx.publisher.toChat(chat, 'chat_deactivated', () => ({ chat_id: chat.id, thread_id: thread.id, user_id: by.id }))
    if (wasQueued) renumberQueue(ctx, chat.organization_id)
    // A freed slot may take a queued chat and change group availability.
    routeQueue(ctx, chat.organization_id)
    refreshGroupStatuses(ctx, chat.organization_id)
  }
}
