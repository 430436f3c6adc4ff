/**
 * Routing of the local server: a new active thread goes to an agent whose routing
 * status is `accepting_chats`, who serves the chat's group, and who has the fewest
 * active chats (ties: configuration order). Without one the thread waits in the queue
 * and is assigned when an agent starts accepting chats.
 */
import type { ServerContext } from '../context'
import type { AgentConfig } from '../options'
import { pushToChat } from '../rtm/fanout'
import type { ChatRecord, ThreadRecord } from '../storage/storage'
import { activeThread, agentView } from './views'

/** Rough queue wait estimate per position, in seconds. */
const WAIT_PER_POSITION_S = 30

const servesChat = (ctx: ServerContext, agent: AgentConfig, chat: ChatRecord): boolean => {
  const groups = ctx.agents.groupsOf(agent)
  return chat.access.group_ids.some((g) => groups.includes(g))
}

const activeChatsOf = (ctx: ServerContext, organizationId: string, agentId: string): number =>
  ctx.storage.listChats(organizationId).filter((chat) => activeThread(ctx, chat)?.user_ids.includes(agentId)).length

const queuedThreads = (ctx: ServerContext, organizationId: string): Array<{ chat: ChatRecord; thread: ThreadRecord }> =>
  ctx.storage
    .listChats(organizationId)
    .flatMap((chat) => {
      const thread = activeThread(ctx, chat)
      return thread?.queue ? [{ chat, thread }] : []
    })
    .sort((a, b) => (a.thread.queue?.queued_at ?? '').localeCompare(b.thread.queue?.queued_at ?? ''))

const pickAgent = (ctx: ServerContext, chat: ChatRecord): AgentConfig | undefined => {
  let best: { agent: AgentConfig; load: number } | undefined
  for (const agent of ctx.agents.agents) {
    if (ctx.agents.status(chat.organization_id, agent.id) !== 'accepting_chats' || !servesChat(ctx, agent, chat)) continue
    const load = activeChatsOf(ctx, chat.organization_id, agent.id)
    if (!best || load < best.load) best = { agent, load }
  }
  return best?.agent
}

export const assignAgent = (ctx: ServerContext, chat: ChatRecord, thread: ThreadRecord, agent: AgentConfig): void => {
  let user = chat.users.find((u) => u.type === 'agent' && u.id === agent.id)
  if (user) user.present = true
  else {
    user = { id: agent.id, type: 'agent', present: true }
    chat.users.push(user)
  }
  if (!thread.user_ids.includes(agent.id)) thread.user_ids.push(agent.id)
  delete thread.queue
  ctx.storage.putThread(thread)
  ctx.storage.putChat(chat)
  const wireUser = agentView(ctx, user)
  pushToChat(ctx, chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user: wireUser, reason: 'assigned' }))
}

/**
 * Chooses the agent for a freshly opened active thread, or queues the thread when
 * nobody is available. The caller pushes `incoming_chat` and then calls `assignAgent`,
 * so clients see the chat before the agent joins it (customer-rtm §6).
 */
export const planRouting = (ctx: ServerContext, chat: ChatRecord, thread: ThreadRecord): AgentConfig | undefined => {
  const agent = pickAgent(ctx, chat)
  if (agent) return agent
  const position = queuedThreads(ctx, chat.organization_id).length + 1
  thread.queue = { position, wait_time: position * WAIT_PER_POSITION_S, queued_at: ctx.clock.timestamp() }
  ctx.storage.putThread(thread)
  return undefined
}

/** Assigns queued threads of an organization while agents are available (oldest first). */
export const routeQueue = (ctx: ServerContext, organizationId: string): void => {
  for (const { chat, thread } of queuedThreads(ctx, organizationId)) {
    const agent = pickAgent(ctx, chat)
    if (agent) assignAgent(ctx, chat, thread, agent)
  }
}
