/**
 * Routing of the local server: a new active thread goes to an agent whose routing
 * status is `accepting_chats`, who serves the chat's group, who has a free slot (fewer
 * than `maxChatsPerAgent` active chats) and the fewest active chats (ties:
 * configuration order). Groups with `routing: "manual"` are never auto-assigned. Without
 * an agent the thread waits in the queue; queued threads are assigned (oldest first) when
 * an agent becomes available, and every change of a queue position is pushed:
 * `queue_position_updated` to the customer, `queue_positions_updated` to agents.
 */
import type { AgentConfig } from '../options'
import type { ChatRecord, ThreadRecord } from '../storage/storage'
import type { DomainContext } from './context'
import { activeChatsOf, refreshGroupStatuses } from './groups'
import { activeThread, agentView } from './views'

/** Rough queue wait estimate per position, in seconds. */
export const WAIT_PER_POSITION_S = 30

const isManual = (ctx: DomainContext, chat: ChatRecord): boolean =>
  chat.access.group_ids.length > 0 && chat.access.group_ids.every((g) => ctx.groups.get(g)?.routing === 'manual')

export const queuedThreads = (ctx: DomainContext, organizationId: string): Array<{ chat: ChatRecord; thread: ThreadRecord }> =>
  ctx.storage
    .listChats(organizationId)
    .flatMap((chat) => {
      const thread = activeThread(ctx, chat)
      return thread?.queue ? [{ chat, thread }] : []
    })
    .sort((a, b) => (a.thread.queue?.queued_at ?? '').localeCompare(b.thread.queue?.queued_at ?? ''))

/**
 * The agent routing would pick for a chat in these groups, or `undefined`. With `full`
 * an accepting agent without a free slot counts too (for predictions).
 */
export const pickAgentFor = (
  ctx: DomainContext,
  organizationId: string,
  groupIds: readonly number[],
  options: { exclude?: readonly string[]; full?: boolean } = {},
): AgentConfig | undefined => {
  let best: { agent: AgentConfig; load: number } | undefined
  for (const agent of ctx.agents.agents) {
    if (options.exclude?.includes(agent.id)) continue
    if (ctx.agents.status(organizationId, agent.id) !== 'accepting_chats') continue
    const groups = ctx.agents.groupsOf(agent)
    if (!groupIds.some((g) => groups.includes(g))) continue
    const load = activeChatsOf(ctx, organizationId, agent.id)
    if (options.full !== true && load >= ctx.platform.maxChatsPerAgent) continue
    if (!best || load < best.load) best = { agent, load }
  }
  return best?.agent
}

const pickAgent = (ctx: DomainContext, chat: ChatRecord, exclude: readonly string[] = []): AgentConfig | undefined =>
  isManual(ctx, chat) ? undefined : pickAgentFor(ctx, chat.organization_id, chat.access.group_ids, { exclude })

/** Makes an agent a present user of the chat and its thread (no pushes). Returns the chat user. */
export const joinChat = (ctx: DomainContext, chat: ChatRecord, thread: ThreadRecord, agentId: string) => {
  let user = chat.users.find((u) => u.type === 'agent' && u.id === agentId)
  if (user) user.present = true
  else {
    user = { id: agentId, type: 'agent', present: true }
    chat.users.push(user)
  }
  if (!thread.user_ids.includes(agentId)) thread.user_ids.push(agentId)
  delete thread.queue
  ctx.storage.putThread(thread)
  ctx.storage.putChat(chat)
  return user
}

export const assignAgent = (ctx: DomainContext, chat: ChatRecord, thread: ThreadRecord, agent: AgentConfig): void => {
  const wasQueued = thread.queue !== undefined
  const user = joinChat(ctx, chat, thread, agent.id)
  const wireUser = agentView(ctx, user)
  ctx.publisher.toChat(chat, 'user_added_to_chat', () => ({ chat_id: chat.id, thread_id: thread.id, user: wireUser, reason: 'assigned' }))
  if (wasQueued) renumberQueue(ctx, chat.organization_id)
  refreshGroupStatuses(ctx, chat.organization_id)
}

/** Puts an active thread at the end of the queue (no pushes). */
export const enqueue = (ctx: DomainContext, chat: ChatRecord, thread: ThreadRecord): void => {
  const position = queuedThreads(ctx, chat.organization_id).filter((q) => q.thread.id !== thread.id).length + 1
  thread.queue = { position, wait_time: position * WAIT_PER_POSITION_S, queued_at: ctx.clock.timestamp() }
  ctx.storage.putThread(thread)
}

/**
 * Chooses the agent for a freshly opened active thread, or queues the thread when
 * nobody is available. The caller pushes `incoming_chat` and then calls `assignAgent`,
 * so clients see the chat before the agent joins it (customer-rtm §6).
 */
export const planRouting = (ctx: DomainContext, chat: ChatRecord, thread: ThreadRecord): AgentConfig | undefined => {
  const agent = pickAgent(ctx, chat)
  if (agent) return agent
  enqueue(ctx, chat, thread)
  return undefined
}

/**
 * Gives every queued thread of an organization its position (oldest first) and pushes
 * the changes: `queue_position_updated` to the chat's customer, `queue_positions_updated`
 * (an array) to each agent connection with access to changed chats.
 */
export const renumberQueue = (ctx: DomainContext, organizationId: string): void => {
  const changed: Array<{ chat: ChatRecord; thread: ThreadRecord }> = []
  queuedThreads(ctx, organizationId).forEach(({ chat, thread }, index) => {
    const queue = thread.queue
    if (!queue || queue.position === index + 1) return
    thread.queue = { ...queue, position: index + 1, wait_time: (index + 1) * WAIT_PER_POSITION_S }
    ctx.storage.putThread(thread)
    changed.push({ chat, thread })
  })
  if (changed.length === 0) return
  const entries = changed.map(({ chat, thread }) => {
    const queue = { position: thread.queue?.position ?? 0, wait_time: thread.queue?.wait_time ?? 0 }
    ctx.publisher.toChat(chat, 'queue_position_updated', () => ({ chat_id: chat.id, thread_id: thread.id, queue }), { agents: false })
    return { chat, entry: { chat_id: chat.id, thread_id: thread.id, queue } }
  })
  ctx.publisher.toAgentsOfChats(organizationId, 'queue_positions_updated', entries)
}

/** Assigns queued threads of an organization while agents are available (oldest first). */
export const routeQueue = (ctx: DomainContext, organizationId: string): void => {
  for (const { chat, thread } of queuedThreads(ctx, organizationId)) {
    const agent = pickAgent(ctx, chat)
    if (agent) assignAgent(ctx, chat, thread, agent)
  }
  renumberQueue(ctx, organizationId)
}

/** Re-routes a chat away from the given agents (used by transfers). */
export const pickReplacement = (ctx: DomainContext, chat: ChatRecord, exclude: readonly string[]): AgentConfig | undefined =>
  pickAgent(ctx, chat, exclude)
