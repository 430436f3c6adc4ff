/**
 * Ephemeral agent signals (agent-rtm §4): thinking indicators, event previews (never
 * stored), multicasts, and the away flag. Indicators need an active thread
 * (`chat_inactive`); `visibility: "agents"` keeps them from customers.
 */
import { activeThread } from '../../domain/views'
import { RtmError } from '../rtmError'
import { agentSchemas as s } from '../schemas'
import { announceAway } from './routingStatus'
import { accessibleChat, action, type AgentActionTable } from './common'

export const indicatorActions: AgentActionTable = {
  send_thinking_indicator: action(s.send_thinking_indicator, (request, payload) => {
    const { ctx, connection, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    const body = {
      chat_id: chat.id,
      thread_id: thread.id,
      author_id: session.agent.id,
      sent_at: ctx.clock.timestamp(),
      ...(payload.title === undefined ? {} : { title: payload.title }),
      ...(payload.description === undefined ? {} : { description: payload.description }),
      ...(payload.custom_id === undefined ? {} : { custom_id: payload.custom_id }),
    }
    const visibility = payload.visibility ?? 'all'
    request.afterResponse(() =>
      ctx.publisher.toChat(chat, 'incoming_thinking_indicator', (side) => (side === 'customer' && visibility !== 'all' ? undefined : body), { exclude: connection }),
    )
    return {}
  }),

  send_event_preview: action(s.send_event_preview, (request, payload) => {
    const { ctx, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    const event = {
      created_at: ctx.clock.timestamp(),
      type: 'message' as const,
      text: payload.event.text,
      author_id: session.agent.id,
      ...(payload.event.custom_id === undefined ? {} : { custom_id: payload.event.custom_id }),
    }
    if ((payload.event.visibility ?? 'all') === 'all') {
      request.afterResponse(() =>
        ctx.publisher.toChat(chat, 'incoming_event_preview', () => ({ chat_id: chat.id, thread_id: thread.id, event }), { agents: false }),
      )
    }
    return {}
  }),

  /**
   * `incoming_multicast {author_id, content, type?}` to agents (`recipients.agents`: `all`,
   * `ids`, `groups`) and to customers (`recipients.customers`: customer ids), never to the
   * requesting connection.
   */
  multicast: action(s.multicast, (request, payload) => {
    const { ctx, connection, session } = request
    const organizationId = connection.organizationId
    const body = { author_id: session.agent.id, content: payload.content, ...(payload.type === undefined ? {} : { type: payload.type }) }
    const agents = payload.recipients.agents
    if (!agents && !payload.recipients.customers) throw new RtmError('validation', '`recipients` names nobody')
    request.afterResponse(() => {
      if (agents) {
        for (const target of ctx.registry.agentConnections({ organizationId })) {
          if (target === connection || target.session?.kind !== 'agent') continue
          const agent = target.session.agent
          const groups = ctx.agents.groupsOf(agent)
          if (agents.all === true || agents.ids?.includes(agent.id) === true || agents.groups?.some((g) => groups.includes(g)) === true) {
            target.push('incoming_multicast', body)
          }
        }
      }
      for (const customerId of payload.recipients.customers ?? []) ctx.publisher.toCustomer(organizationId, customerId, 'incoming_multicast', body)
    })
    return {}
  }),

  /** `{away}` per connection; an agent whose every connection is away stops accepting chats. */
  set_away_status: action(s.set_away_status, (request, payload) => {
    const { connection } = request
    connection.away = payload.away
    request.afterResponse(() => announceAway(request.ctx, connection))
    return {}
  }),
}
