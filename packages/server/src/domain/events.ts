import type { ChatRecord, EventRecord, ThreadRecord } from '../storage/storage'
import type { DomainContext } from './context'
import type { PushOrigin } from './ports'

/**
 * Marks an event deleted (`delete_event`); returns the `event_deleted` push to send after
 * the response, to the customer's connections and agents with access. Customers never
 * see a deleted event again; agents see it with `deleted: true`.
 */
export const deleteEvent = (
  ctx: DomainContext,
  chat: ChatRecord,
  thread: ThreadRecord,
  event: EventRecord,
  origin: PushOrigin,
): (() => void) => {
  ctx.storage.updateEvent(chat.organization_id, thread.id, { ...event, deleted: true })
  const payload = { chat_id: chat.id, thread_id: thread.id, event_id: event.id }
  return () =>
    ctx.publisher.toChat(chat, 'event_deleted', (side) => (side === 'customer' && event.visibility !== 'all' ? undefined : payload), origin)
}

export interface PostbackInput {
  id: string
  toggled: boolean
  button_type?: string | undefined
  button_value?: string | undefined
  ecommerce?: { product_id: string; option_id?: string | undefined; quantity?: number | undefined } | undefined
}

/** `incoming_rich_message_postback` to everyone in the chat — only while the thread is active. */
export const pushPostback = (
  ctx: DomainContext,
  chat: ChatRecord,
  thread: ThreadRecord,
  event: EventRecord,
  userId: string,
  postback: PostbackInput,
  origin: PushOrigin,
): void => {
  if (!thread.active) return
  const wire = Object.fromEntries(Object.entries(postback).filter(([, v]) => v !== undefined))
  const payload = { user_id: userId, chat_id: chat.id, thread_id: thread.id, event_id: event.id, postback: wire }
  ctx.publisher.toChat(chat, 'incoming_rich_message_postback', (side) => (side === 'customer' && event.visibility !== 'all' ? undefined : payload), origin)
}
