/** The agent side of RTM (agent-rtm.md): what a bot or a test agent needs. */
import { z } from 'zod'
import type { ServerContext } from '../../context'
import { agentCanAccess } from '../../domain/access'
import { appendEvent, deactivateThread, findChatUser, findSentEvent, markEventsAsSeen, pushIncomingEvent, pushResentEvent } from '../../domain/chats'
import { listThreads } from '../../domain/listThreads'
import { activeThread, agentChatSummary, agentCustomerView, agentView, chatView, lastThread, requestedThread } from '../../domain/views'
import type { AgentConfig } from '../../options'
import type { ChatRecord } from '../../storage/storage'
import { pageOf } from '../../util/paging'
import { isLicenseExpired } from '../../domain/license'
import { notFound } from '../../domain/errors'
import { defineAction, type ActionHandler, type LoginContext, type SideProtocol } from '../actionTable'
import { propertyActions } from '../propertyActions'
import { collaborationActions } from './collaboration'
import { accessibleChat, action, chatThread, threadEvent, type AgentActionTable } from './common'
import { agentEventActions } from './events'
import { indicatorActions } from './indicators'
import { announceRoutingStatus } from './routingStatus'
import type { AgentSession, Session } from '../connection'
import { toNewEvent } from '../eventInput'
import { RtmError } from '../rtmError'
import { AGENT_LIST_CHATS_MAX_LIMIT, agentSchemas as s } from '../schemas'

export { announceRoutingStatus } from './routingStatus'

const myProfile = (ctx: ServerContext, organizationId: string, agent: AgentConfig) => ({
  id: agent.id,
  type: 'agent',
  name: agent.name,
  email: agent.email ?? agent.id,
  avatar: agent.avatar ?? '',
  job_title: agent.jobTitle ?? (agent.type === 'bot' ? 'Bot' : 'Support Agent'),
  present: true,
  routing_status: ctx.agents.status(organizationId, agent.id),
  permission: agent.type === 'bot' ? 'normal' : 'administrator',
  is_bot: agent.type === 'bot',
})

const chatSortKey = (ctx: ServerContext, chat: ChatRecord): string => lastThread(ctx, chat)?.created_at ?? chat.created_at

/** A `list_chats` page cursor; its limit stays within the action's maximum even when signed. */
const listChatsCursor = z.object({
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(AGENT_LIST_CHATS_MAX_LIMIT),
  sort_order: z.enum(['asc', 'desc']),
  active: z.boolean().nullable().optional(),
  include_chats_without_threads: z.boolean().optional(),
  group_ids: z.array(z.number()).optional(),
})

const login: ActionHandler<LoginContext> = defineAction(s.login, (request: LoginContext, payload) => {
  const { ctx, connection } = request
  const organizationId = connection.organizationId
  if (isLicenseExpired(ctx, organizationId)) throw new RtmError('license_expired', 'License expired')
  const token = ctx.tokens.verify(payload.token, 'agent', organizationId)
  const agent = token ? ctx.agents.get(token.entity_id) : ctx.agents.byFixedToken(payload.token.replace(/^Bearer /, ''), organizationId)
  if (!agent) throw new RtmError('authentication', 'Invalid access token')
  const before = ctx.agents.status(organizationId, agent.id)
  const status = ctx.agents.startSession(organizationId, agent, { reconnect: payload.reconnect ?? false, away: payload.away ?? false })
  connection.beginSession({ kind: 'agent', agent }, payload.pushes)
  if (token) connection.expireAt(token.expires_at, ctx.clock.nowMs(), () => connection.disconnect('access_token_expired'))
  const now = Math.floor(ctx.clock.nowMs() / 1000)
  if (status !== before) request.afterResponse(() => announceRoutingStatus(ctx, organizationId, agent.id, status))
  return {
    license: {
      id: organizationId,
      organization_id: organizationId,
      plan: 'enterprise',
      expiration_timestamp: now + 365 * 24 * 3600,
      creation_timestamp: now,
      in_trial: false,
    },
    my_profile: myProfile(ctx, organizationId, agent),
    chats_summary: ctx.storage
      .listChats(organizationId)
      .filter((chat) => agentCanAccess(ctx, agent, chat))
      .map((chat) => agentChatSummary(ctx, chat)),
  }
})

const actions: AgentActionTable = {
  set_routing_status: action(s.set_routing_status, (request, payload) => {
    const { ctx, connection, session } = request
    const agentId = payload.agent_id ?? session.agent.id
    if (!ctx.agents.get(agentId)) throw notFound('Agent')
    ctx.agents.setStatus(connection.organizationId, agentId, payload.status)
    request.afterResponse(() => announceRoutingStatus(ctx, connection.organizationId, agentId, payload.status))
    return {}
  }),

  list_routing_statuses: action(s.list_routing_statuses, (request, payload) => {
    const { ctx, connection } = request
    const groups = payload.filters?.group_ids
    return ctx.agents.agents
      .filter((agent) => groups === undefined || ctx.agents.groupsOf(agent).some((g) => groups.includes(g)))
      .map((agent) => ({ agent_id: agent.id, status: ctx.agents.status(connection.organizationId, agent.id) }))
  }),

  list_chats: action(s.list_chats, (request, payload) => {
    const { ctx, connection, session } = request
    let cursor: z.output<typeof listChatsCursor> = {
      offset: 0,
      limit: payload.limit ?? 10,
      sort_order: payload.sort_order ?? 'desc',
      ...payload.filters,
    }
    if (payload.page_id !== undefined) {
      if (payload.filters !== undefined) throw new RtmError('validation', '`filters` cannot be combined with `page_id`')
      const decoded = ctx.pageIds.decode(payload.page_id, listChatsCursor)
      if (!decoded) throw new RtmError('validation', 'Invalid `page_id`')
      cursor = decoded
    }
    const chats = ctx.storage
      .listChats(connection.organizationId)
      .filter((chat) => agentCanAccess(ctx, session.agent, chat))
      .filter((chat) => cursor.active === undefined || cursor.active === null || (activeThread(ctx, chat) !== undefined) === cursor.active)
      .filter((chat) => cursor.include_chats_without_threads !== false || chat.thread_ids.length > 0)
      .filter((chat) => cursor.group_ids === undefined || chat.access.group_ids.some((g) => cursor.group_ids?.includes(g)))
      .sort((a, b) => chatSortKey(ctx, a).localeCompare(chatSortKey(ctx, b)) * (cursor.sort_order === 'desc' ? -1 : 1))
    const page = pageOf(chats, cursor.offset, cursor.limit)
    return {
      chats_summary: page.items.map((chat) => agentChatSummary(ctx, chat)),
      found_chats: chats.length,
      ...(page.next === undefined ? {} : { next_page_id: ctx.pageIds.encode({ ...cursor, offset: page.next }) }),
      ...(page.previous === undefined ? {} : { previous_page_id: ctx.pageIds.encode({ ...cursor, offset: page.previous }) }),
    }
  }),

  get_chat: action(s.get_chat, (request, payload) => {
    const { ctx } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = requestedThread(ctx, chat, payload.thread_id)
    if (thread === null) throw notFound('Thread')
    return chatView(ctx, chat, thread, 'agent')
  }),

  list_threads: action(s.list_threads, (request, payload) =>
    listThreads(request.ctx, accessibleChat(request, payload.chat_id), payload, 'agent'),
  ),

  send_event: action(s.send_event, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    // Idempotent like the customer's: a resent custom_id answers with the original event.
    const sent = findSentEvent(ctx, chat, session.agent.id, payload.event.custom_id)
    if (sent) {
      request.afterResponse(() => pushResentEvent(chat, sent, { requester: connection, requestId }))
      return { event_id: sent.event.id }
    }
    const thread = lastThread(ctx, chat)
    if (!thread || (!thread.active && payload.attach_to_last_thread !== true)) throw new RtmError('chat_inactive', 'Chat is inactive')
    // An agent writing without having joined appears in the chat with `present: false`.
    let joined = findChatUser(chat, session.agent.id)
    const newcomer = joined === undefined
    if (!joined) {
      joined = { id: session.agent.id, type: 'agent', present: false }
      chat.users.push(joined)
      ctx.storage.putChat(chat)
    }
    const event = appendEvent(ctx, thread, toNewEvent(payload.event, 'agent'), session.agent.id)
    markEventsAsSeen(ctx, chat, session.agent.id, event.created_at, false)
    const user = agentView(ctx, joined)
    request.afterResponse(() => {
      if (newcomer) ctx.publisher.toChat(chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user, reason: 'manual' }))
      pushIncomingEvent(ctx, chat, thread, event, { requester: connection, requestId })
    })
    return { event_id: event.id }
  }),

  send_typing_indicator: action(s.send_typing_indicator, (request, payload) => {
    const { ctx, connection, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    const visibility = payload.visibility ?? 'all'
    const timestamp = Math.floor(ctx.clock.nowMs() / 1000)
    request.afterResponse(() =>
      ctx.publisher.toChat(
        chat,
        'incoming_typing_indicator',
        (side) =>
          side === 'customer'
            ? visibility === 'all'
              ? { chat_id: chat.id, thread_id: thread.id, typing_indicator: { author_id: session.agent.id, recipients: 'all', timestamp, is_typing: payload.is_typing } }
              : undefined
            : { chat_id: chat.id, thread_id: thread.id, typing_indicator: { author_id: session.agent.id, visibility, timestamp, is_typing: payload.is_typing } },
        { exclude: connection },
      ),
    )
    return {}
  }),

  deactivate_chat: action(s.deactivate_chat, (request, payload) => {
    const { ctx, session } = request
    const chat = accessibleChat(request, payload.id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    if (payload.ignore_requester_presence !== true && !findChatUser(chat, session.agent.id)) {
      throw new RtmError('authorization', 'Requester is not a user of the chat')
    }
    request.afterResponse(deactivateThread(ctx, chat, thread, { type: 'agent', id: session.agent.id, name: session.agent.name }))
    return {}
  }),

  mark_events_as_seen: action(s.mark_events_as_seen, (request, payload) => {
    const { ctx, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    request.afterResponse(() => markEventsAsSeen(ctx, chat, session.agent.id, payload.seen_up_to))
    return {}
  }),

  get_customer: action(s.get_customer, (request, payload) => {
    const { ctx, connection } = request
    const customer = ctx.storage.getCustomer(connection.organizationId, payload.id)
    if (!customer) throw notFound('Customer')
    return agentCustomerView(ctx, customer)
  }),
}

export const agentProtocol: SideProtocol<AgentSession> = {
  side: 'agent',
  login,
  actions: {
    ...actions,
    ...collaborationActions,
    ...indicatorActions,
    ...agentEventActions,
    ...propertyActions<AgentSession>({ side: 'agent', chat: accessibleChat, thread: chatThread, event: threadEvent }),
  },
  isSession: (session: Session | undefined): session is AgentSession => session?.kind === 'agent',
}
