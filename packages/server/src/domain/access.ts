import type { AgentConfig } from '../options'
import type { ChatRecord } from '../storage/storage'
import type { DomainContext } from './context'
import { notFound } from './errors'

/** An agent may act on a chat it is a user of, or whose groups it serves (group 0 = all agents). */
export const agentCanAccess = (ctx: Pick<DomainContext, 'agents'>, agent: AgentConfig, chat: ChatRecord): boolean => {
  if (chat.users.some((u) => u.type === 'agent' && u.id === agent.id)) return true
  const groups = ctx.agents.groupsOf(agent)
  return chat.access.group_ids.some((g) => groups.includes(g))
}

/** The customer's own chat, or `not_found` (a foreign chat's existence is never revealed). */
export const customerChat = (ctx: DomainContext, organizationId: string, customerId: string, chatId: string): ChatRecord => {
  const chat = ctx.storage.getChat(organizationId, chatId)
  if (!chat || chat.customer_id !== customerId) throw notFound('Chat')
  return chat
}

export const agentChat = (ctx: DomainContext, organizationId: string, agent: AgentConfig, chatId: string): ChatRecord => {
  const chat = ctx.storage.getChat(organizationId, chatId)
  if (!chat || !agentCanAccess(ctx, agent, chat)) throw notFound('Chat')
  return chat
}
