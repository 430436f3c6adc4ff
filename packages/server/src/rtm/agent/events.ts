/** Agent event actions besides `send_event`: `delete_event`, `send_rich_message_postback`. */
import { deleteEvent, pushPostback } from '../../domain/events'
import { notFound } from '../../domain/errors'
import { agentSchemas as s } from '../schemas'
import { accessibleChat, action, chatThread, threadEvent, type AgentActionTable } from './common'

export const agentEventActions: AgentActionTable = {
  delete_event: action(s.delete_event, (request, payload) => {
    const { ctx, connection, requestId } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = chatThread(request, chat, payload.thread_id)
    const event = threadEvent(request, thread, payload.event_id)
    if (event.deleted === true) throw notFound('Event')
    request.afterResponse(deleteEvent(ctx, chat, thread, event, { requester: connection, ...(requestId === undefined ? {} : { requestId }) }))
    return {}
  }),

  send_rich_message_postback: action(s.send_rich_message_postback, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = chatThread(request, chat, payload.thread_id)
    const event = threadEvent(request, thread, payload.event_id)
    request.afterResponse(() =>
      pushPostback(ctx, chat, thread, event, session.agent.id, payload.postback, { requester: connection, ...(requestId === undefined ? {} : { requestId }) }),
    )
    return {}
  }),
}
