/**
 * Customer event actions (customer-rtm §5.2): `send_event` (idempotent by `custom_id`:
 * see `findSentEvent`), `delete_event` (own events
 * only: deleting someone else's event is `authorization`), `send_rich_message_postback`
 * and `send_sneak_peek` (active chats only, `chat_inactive` otherwise; agents get
 * `incoming_sneak_peek`).
 */
import { appendEvent, findSentEvent, markEventsAsSeen, pushIncomingEvent, pushResentEvent } from '../../domain/chats'
import { deleteEvent, pushPostback } from '../../domain/events'
import { activeThread, lastThread } from '../../domain/views'
import { toNewEvent } from '../eventInput'
import { RtmError } from '../rtmError'
import { customerSchemas as s } from '../schemas'
import { action, chatThread, ownChat, visibleEvent, type CustomerActionTable } from './common'

export const eventActions: CustomerActionTable = {
  send_event: action(s.send_event, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = ownChat(request, payload.chat_id)
    // A resend (same custom_id, same author, same chat) answers with the original event
    // and pushes it to the requester only — even if the chat was deactivated since.
    const sent = findSentEvent(ctx, chat, session.customerId, payload.event.custom_id)
    if (sent) {
      request.afterResponse(() => pushResentEvent(chat, sent, { requester: connection, requestId }))
      return { event_id: sent.event.id }
    }
    const thread = lastThread(ctx, chat)
    if (!thread || (!thread.active && payload.attach_to_last_thread !== true)) throw new RtmError('chat_inactive', 'Chat is inactive')
    const event = appendEvent(ctx, thread, toNewEvent(payload.event, 'customer'), session.customerId)
    markEventsAsSeen(ctx, chat, session.customerId, event.created_at, false)
    request.afterResponse(() => pushIncomingEvent(ctx, chat, thread, event, { requester: connection, requestId }))
    return { event_id: event.id }
  }),

  delete_event: action(s.delete_event, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = ownChat(request, payload.chat_id)
    const thread = chatThread(request, chat, payload.thread_id)
    const event = visibleEvent(request, thread, payload.event_id)
    if (event.author_id !== session.customerId) throw new RtmError('authorization', 'Customers can delete only their own events')
    request.afterResponse(deleteEvent(ctx, chat, thread, event, { requester: connection, requestId }))
    return {}
  }),

  send_rich_message_postback: action(s.send_rich_message_postback, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = ownChat(request, payload.chat_id)
    const thread = chatThread(request, chat, payload.thread_id)
    const event = visibleEvent(request, thread, payload.event_id)
    request.afterResponse(() => pushPostback(ctx, chat, thread, event, session.customerId, payload.postback, { requester: connection, requestId }))
    return {}
  }),

  send_sneak_peek: action(s.send_sneak_peek, (request, payload) => {
    const { ctx, session } = request
    const chat = ownChat(request, payload.chat_id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    const sneakPeek = { author_id: session.customerId, text: payload.sneak_peek_text, timestamp: Math.floor(ctx.clock.nowMs() / 1000) }
    request.afterResponse(() =>
      ctx.publisher.toChat(chat, 'incoming_sneak_peek', () => ({ chat_id: chat.id, thread_id: thread.id, sneak_peek: sneakPeek }), { customers: false }),
    )
    return {}
  }),
}
