/**
 * Predicted agents (`get_predicted_agent`, `request_welcome_message`): the agent routing
 * would pick for a new chat in a group. `queue: true` when every accepting agent of the
 * group is full (the chat would be queued). Errors: `group_not_found`,
 * `group_unavailable` (the group routes manually), `group_offline` (nobody accepts chats).
 */
import type { AgentConfig } from '../options'
import type { DomainContext } from './context'
import { DomainError } from './errors'
import { pickAgentFor } from './routing'

export interface PredictedAgent {
  id: string
  name: string
  avatar: string
  is_bot: boolean
  bot_type?: 'chatbot' | 'ai_agent'
  job_title: string
  type: 'agent'
}

export const predictedAgentView = (agent: AgentConfig): PredictedAgent => ({
  id: agent.id,
  name: agent.name,
  avatar: agent.avatar ?? '',
  is_bot: agent.type === 'bot',
  ...(agent.type === 'bot' ? { bot_type: 'chatbot' as const } : {}),
  job_title: agent.jobTitle ?? (agent.type === 'bot' ? 'Bot' : 'Support Agent'),
  type: 'agent',
})

export const predictAgent = (ctx: DomainContext, organizationId: string, groupId: number): { agent: AgentConfig; queue: boolean } => {
  const group = ctx.groups.get(groupId)
  if (!group) throw new DomainError('group_not_found', `Group ${groupId} not found`)
  const free = pickAgentFor(ctx, organizationId, [groupId])
  const agent = free ?? pickAgentFor(ctx, organizationId, [groupId], { full: true })
  if (!agent) throw new DomainError('group_offline', `Group ${groupId} is offline`)
  if (group.routing === 'manual') throw new DomainError('group_unavailable', `Group ${groupId} routes chats manually`)
  return { agent, queue: free === undefined }
}
