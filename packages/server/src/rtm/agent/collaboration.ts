/**
 * Who is in a chat (agent-rtm §3): `transfer_chat`, `add_user_to_chat`,
 * `remove_user_from_chat`, with their cross-side pushes (agent-rtm §8).
 *
 * Transfers: the chat must be active (`chat_inactive`), the requester present unless
 * `ignore_requester_presence` (`authorization`). Target `group` replaces the chat's access
 * (unknown group → `group_not_found`) and routes within it; target `agent` assigns that
 * agent (unknown → `not_found`; not accepting chats → `agent_offline` unless
 * `ignore_agents_availability`); no target re-routes within the chat's groups away from
 * its current agents. When nobody can take the chat it fails with `agent_offline`, or with
 * `ignore_agents_availability: true` the thread goes to the queue. The agents of the thread
 * are removed. Pushes, in order: `chat_transferred` (customer, agents with access before
 * or after), `user_removed_from_chat` per removed agent, `user_added_to_chat` for the new
 * agent, `incoming_chat` with `transferred_from` to the new agent's connections.
 */
import { findChatUser } from '../../domain/chats'
import { refreshGroupStatuses } from '../../domain/groups'
import { enqueue, joinChat, pickAgentFor, pickReplacement, renumberQueue, routeQueue } from '../../domain/routing'
import { activeThread, agentView, chatView, customerView } from '../../domain/views'
import { notFound } from '../../domain/errors'
import type { AgentConfig } from '../../options'
import { RtmError } from '../rtmError'
import { agentSchemas as s } from '../schemas'
import { accessibleChat, action, requirePresence, type AgentActionTable } from './common'

export const collaborationActions: AgentActionTable = {
  transfer_chat: action(s.transfer_chat, (request, payload) => {
    const { ctx, connection, session } = request
    const organizationId = connection.organizationId
    const chat = accessibleChat(request, payload.id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    requirePresence(request, chat, payload.ignore_requester_presence)
    const removed = thread.user_ids.filter((id) => chat.users.some((u) => u.type === 'agent' && u.id === id))
    const ignoreAvailability = payload.ignore_agents_availability === true
    let candidate: AgentConfig | undefined
    let groupIds: number[] | undefined
    let transferredTo: { group_ids?: number[]; agent_ids?: string[] }
    const target = payload.target
    if (target?.type === 'group') {
      groupIds = target.ids.map((id) => (typeof id === 'number' ? id : Number.NaN))
      for (const id of groupIds) if (!ctx.groups.has(id)) throw new RtmError('group_not_found', `Group ${String(id)} not found`)
      candidate = pickAgentFor(ctx, organizationId, groupIds)
      transferredTo = { group_ids: groupIds }
    } else if (target?.type === 'agent') {
      const agent = ctx.agents.get(String(target.ids[0]))
      if (!agent) throw notFound('Agent')
      if (!ignoreAvailability && ctx.agents.status(organizationId, agent.id) !== 'accepting_chats') {
        throw new RtmError('agent_offline', 'The target agent is not accepting chats')
      }
      candidate = agent
      transferredTo = { agent_ids: [agent.id] }
    } else {
      candidate = pickReplacement(ctx, chat, removed)
      transferredTo = { group_ids: [...chat.access.group_ids] }
    }
    if (!candidate && !ignoreAvailability) throw new RtmError('agent_offline', 'No agent can take the chat')

    const before = ctx.publisher.agentsWithAccess(chat.organization_id, [chat])
    const transferredFrom = { group_ids: [...chat.access.group_ids], agent_ids: removed }
    const wasQueued = thread.queue !== undefined
    const gone = removed.filter((id) => id !== candidate?.id)
    chat.users = chat.users.filter((u) => !gone.includes(u.id))
    thread.user_ids = thread.user_ids.filter((id) => !gone.includes(id))
    if (groupIds) {
      chat.access = { group_ids: groupIds }
      thread.access = { group_ids: [...groupIds] }
    }
    ctx.storage.putChat(chat)
    ctx.storage.putThread(thread)
    const user = candidate ? joinChat(ctx, chat, thread, candidate.id) : undefined
    if (!candidate) enqueue(ctx, chat, thread)
    const requester = session.agent.id
    request.afterResponse(() => {
      const queue = thread.queue ? { ...thread.queue } : undefined
      ctx.publisher.toChat(
        chat,
        'chat_transferred',
        () => ({ chat_id: chat.id, thread_id: thread.id, requester_id: requester, reason: 'manual', transferred_to: transferredTo, ...(queue ? { queue } : {}) }),
        { alsoAgents: before },
      )
      for (const id of gone) {
        ctx.publisher.toChat(chat, 'user_removed_from_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user_id: id, reason: 'manual', requester_id: requester }), {
          alsoAgents: before,
        })
      }
      if (user) {
        const wireUser = agentView(ctx, user)
        ctx.publisher.toChat(chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user: wireUser, reason: 'manual', requester_id: requester }))
        ctx.publisher.toAgent(organizationId, user.id, 'incoming_chat', { requester_id: requester, chat: chatView(ctx, chat, thread, 'agent'), transferred_from: transferredFrom }, chat)
      }
      if (wasQueued || !candidate) renumberQueue(ctx, organizationId)
      routeQueue(ctx, organizationId)
      refreshGroupStatuses(ctx, organizationId)
    })
    return {}
  }),

  add_user_to_chat: action(s.add_user_to_chat, (request, payload) => {
    const { ctx, connection, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    const thread = activeThread(ctx, chat)
    if (!thread) throw new RtmError('chat_inactive', 'Chat is inactive')
    if (payload.user_id !== session.agent.id) requirePresence(request, chat, payload.ignore_requester_presence)
    if (payload.user_type === 'customer') {
      if (payload.user_id !== chat.customer_id) throw new RtmError('validation', 'A chat has one customer')
      if (payload.visibility === 'agents') throw new RtmError('validation', 'A customer can only be added with `visibility: "all"`')
      const customer = ctx.storage.getCustomer(chat.organization_id, chat.customer_id)
      if (!customer) throw notFound('Customer')
      const wire = customerView(ctx, customer, { chatUser: findChatUser(chat, customer.id) })
      request.afterResponse(() =>
        ctx.publisher.toChat(chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user: wire, reason: 'manual', requester_id: session.agent.id })),
      )
      return {}
    }
    const agent = ctx.agents.get(payload.user_id)
    if (!agent) throw notFound('Agent')
    const wasQueued = thread.queue !== undefined
    const user = joinChat(ctx, chat, thread, agent.id)
    const wireUser = agentView(ctx, user)
    request.afterResponse(() => {
      ctx.publisher.toChat(chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user: wireUser, reason: 'manual', requester_id: session.agent.id }))
      if (wasQueued) renumberQueue(ctx, connection.organizationId)
      refreshGroupStatuses(ctx, connection.organizationId)
    })
    return {}
  }),

  remove_user_from_chat: action(s.remove_user_from_chat, (request, payload) => {
    const { ctx, connection, session } = request
    const chat = accessibleChat(request, payload.chat_id)
    if (payload.user_type === 'customer') throw new RtmError('validation', 'The customer cannot be removed from a chat')
    const user = findChatUser(chat, payload.user_id)
    if (!user || user.type !== 'agent') throw notFound('User')
    if (payload.user_id !== session.agent.id) requirePresence(request, chat, payload.ignore_requester_presence)
    const thread = activeThread(ctx, chat)
    const before = ctx.publisher.agentsWithAccess(chat.organization_id, [chat])
    chat.users = chat.users.filter((u) => u.id !== user.id)
    ctx.storage.putChat(chat)
    if (thread) {
      thread.user_ids = thread.user_ids.filter((id) => id !== user.id)
      ctx.storage.putThread(thread)
    }
    request.afterResponse(() => {
      ctx.publisher.toChat(
        chat,
        'user_removed_from_chat',
        () => ({ chat_id: chat.id, ...(thread ? { thread_id: thread.id } : {}), user_id: user.id, reason: 'manual', requester_id: session.agent.id }),
        { alsoAgents: before },
      )
      routeQueue(ctx, connection.organizationId)
      refreshGroupStatuses(ctx, connection.organizationId)
    })
    return {}
  }),
}
