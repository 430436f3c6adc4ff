import type { ServerContext } from '../../context'
import type { RoutingStatus } from '../../domain/agentDirectory'
import { refreshGroupStatuses } from '../../domain/groups'
import { routeQueue } from '../../domain/routing'
import type { RequestOrigin } from '../connection'

/**
 * Announces a routing status change to the organization's agents, assigns queued chats
 * when the agent accepts chats, and tells customers about groups whose availability flipped.
 */
export const announceRoutingStatus = (ctx: ServerContext, organizationId: string, agentId: string, status: RoutingStatus): void => {
  ctx.publisher.toAgents(organizationId, 'routing_status_set', { agent_id: agentId, status })
  if (status === 'accepting_chats') routeQueue(ctx, organizationId)
  refreshGroupStatuses(ctx, organizationId)
}

/** After `set_away_status`: an agent whose every connection is away stops accepting chats. */
export const announceAway = (ctx: ServerContext, connection: RequestOrigin): void => {
  if (connection.session?.kind !== 'agent') return
  const agentId = connection.session.agent.id
  const organizationId = connection.organizationId
  const all = ctx.registry.agentConnections({ organizationId, agentId })
  if (all.length === 0 || !all.every((c) => c.away)) return
  if (ctx.agents.status(organizationId, agentId) !== 'accepting_chats') return
  ctx.agents.setStatus(organizationId, agentId, 'not_accepting_chats')
  announceRoutingStatus(ctx, organizationId, agentId, 'not_accepting_chats')
}
