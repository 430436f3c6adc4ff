/**
 * Availability of groups (customer-rtm §5.5–5.6, agent-rtm §8).
 *
 * Availability model of the local server: a group is `online` when an agent or bot serving
 * it is `accepting_chats` and has a free slot (fewer than `maxChatsPerAgent` active chats),
 * `online_for_queue` when such agents exist but all are full (a new chat waits in the
 * queue), and `offline` otherwise. `__priv_dynamic_config.online_groups_ids` lists the
 * groups that are `online` or `online_for_queue` (a chat can be started there).
 */
import type { DomainContext } from './context'
import type { GroupStatus } from './groupDirectory'
import { activeThread } from './views'

/** Active chats an agent is a user of (its load). */
export const activeChatsOf = (ctx: DomainContext, organizationId: string, agentId: string): number =>
  ctx.storage.listChats(organizationId).filter((chat) => activeThread(ctx, chat)?.user_ids.includes(agentId)).length

export const groupStatus = (ctx: DomainContext, organizationId: string, groupId: number): GroupStatus => {
  let accepting = false
  for (const agent of ctx.agents.agents) {
    if (!ctx.agents.groupsOf(agent).includes(groupId)) continue
    if (ctx.agents.status(organizationId, agent.id) !== 'accepting_chats') continue
    accepting = true
    if (activeChatsOf(ctx, organizationId, agent.id) < ctx.platform.maxChatsPerAgent) return 'online'
  }
  return accepting ? 'online_for_queue' : 'offline'
}

export const groupStatuses = (ctx: DomainContext, organizationId: string): Map<number, GroupStatus> =>
  new Map(ctx.groups.ids().map((id) => [id, groupStatus(ctx, organizationId, id)]))

/** Groups where a chat can be started right now (`online_groups_ids`). */
export const onlineGroupIds = (ctx: DomainContext, organizationId: string): number[] =>
  [...groupStatuses(ctx, organizationId)].filter(([, status]) => status !== 'offline').map(([id]) => id)

/**
 * Compares group availability with what customers of the organization were last told and
 * pushes `groups_status_updated` with the changed groups only. Call after anything that
 * can change availability (routing status, agent sessions, assignments, deactivations).
 */
export const refreshGroupStatuses = (ctx: DomainContext, organizationId: string): void => {
  const current = groupStatuses(ctx, organizationId)
  const known = ctx.platform.announcedStatuses(organizationId)
  const changed: Array<{ id: number; status: GroupStatus }> = []
  for (const [id, status] of current) if ((known.get(id) ?? 'offline') !== status) changed.push({ id, status })
  ctx.platform.setAnnouncedStatuses(organizationId, current)
  if (changed.length > 0) ctx.publisher.toCustomers(organizationId, 'groups_status_updated', { groups: changed })
}
