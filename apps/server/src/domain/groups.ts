/**
 * Groups, their forms and their availability (customer-rtm §5.5–5.6, agent-rtm §8).
 *
 * Availability model of the local server: a group is `online` when an agent or bot serving
 * it is `accepting_chats` and has a free slot (fewer than `maxChatsPerAgent` active chats),
 * `online_for_queue` when such agents exist but all are full (a new chat waits in the
 * queue), and `offline` otherwise. `__priv_dynamic_config.online_groups_ids` lists the
 * groups that are `online` or `online_for_queue` (a chat can be started there).
 */
import type { ServerContext } from '../context'
import type { FormConfig, FormFieldConfig, FormType, GroupConfig, ResolvedOptions } from '../options'
import { pushToCustomers } from '../rtm/fanout'
import { activeThread } from './views'

export type GroupStatus = 'online' | 'online_for_queue' | 'offline'

const DEFAULT_PRECHAT_FIELDS: FormFieldConfig[] = [
  { id: '1', type: 'header', label: 'Welcome to the chat! Please fill in the form below before starting the chat.' },
  { id: '2', type: 'name', label: 'Name:', required: false },
  { id: '3', type: 'email', label: 'E-mail:', required: false },
  { id: '4', type: 'question', label: 'Question:', required: true },
]

export const DEFAULT_WELCOME_MESSAGE = 'Hello! How can we help you today?'

export class GroupDirectory {
  private readonly groups = new Map<number, GroupConfig>()

  constructor(options: ResolvedOptions) {
    this.groups.set(0, { id: 0, name: 'General' })
    const configured = options.groups ?? options.agents.flatMap((agent) => (agent.groups ?? []).map((id) => ({ id })))
    for (const group of configured) this.groups.set(group.id, { ...this.groups.get(group.id), ...group })
  }

  has(groupId: number): boolean {
    return this.groups.has(groupId)
  }

  get(groupId: number): GroupConfig | undefined {
    return this.groups.get(groupId)
  }

  ids(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b)
  }

  /** Adds or changes a group (admin). */
  upsert(group: GroupConfig): GroupConfig {
    const merged = { ...this.groups.get(group.id), ...group }
    this.groups.set(group.id, merged)
    return merged
  }

  /** The form of a type for a group; `undefined` when disabled. */
  form(groupId: number, type: FormType): { id: string; fields: FormFieldConfig[] } | undefined {
    const group = this.groups.get(groupId)
    const configured = group?.forms?.[type]
    if (configured === null) return undefined
    const form: FormConfig | undefined = configured ?? (groupId === 0 && type === 'prechat' ? { fields: DEFAULT_PRECHAT_FIELDS } : undefined)
    if (!form) return undefined
    return { id: form.id ?? `${type}_${groupId}`, fields: form.fields.map((field) => ({ ...field })) }
  }

  setForm(groupId: number, type: FormType, form: FormConfig | null): void {
    const group = this.groups.get(groupId) ?? { id: groupId }
    this.groups.set(groupId, { ...group, forms: { ...group.forms, [type]: form } })
  }

  /** The first group (other than `current`) whose page prefixes match a URL. */
  groupForPage(url: string): number | undefined {
    for (const group of this.groups.values()) if (group.pages?.some((prefix) => url.startsWith(prefix))) return group.id
    return undefined
  }
}

/** Active chats an agent is a user of (its load). */
export const activeChatsOf = (ctx: ServerContext, organizationId: string, agentId: string): number =>
  ctx.storage.listChats(organizationId).filter((chat) => activeThread(ctx, chat)?.user_ids.includes(agentId)).length

export const groupStatus = (ctx: ServerContext, organizationId: string, groupId: number): GroupStatus => {
  let accepting = false
  for (const agent of ctx.agents.agents) {
    if (!ctx.agents.groupsOf(agent).includes(groupId)) continue
    if (ctx.agents.status(organizationId, agent.id) !== 'accepting_chats') continue
    accepting = true
    if (activeChatsOf(ctx, organizationId, agent.id) < ctx.platform.maxChatsPerAgent) return 'online'
  }
  return accepting ? 'online_for_queue' : 'offline'
}

export const groupStatuses = (ctx: ServerContext, organizationId: string): Map<number, GroupStatus> =>
  new Map(ctx.groups.ids().map((id) => [id, groupStatus(ctx, organizationId, id)]))

/** Groups where a chat can be started right now (`online_groups_ids`). */
export const onlineGroupIds = (ctx: ServerContext, organizationId: string): number[] =>
  [...groupStatuses(ctx, organizationId)].filter(([, status]) => status !== 'offline').map(([id]) => id)

/**
 * Compares group availability with what customers of the organization were last told and
 * pushes `groups_status_updated` with the changed groups only. Call after anything that
 * can change availability (routing status, agent sessions, assignments, deactivations).
 */
export const refreshGroupStatuses = (ctx: ServerContext, organizationId: string): void => {
  const current = groupStatuses(ctx, organizationId)
  const known = ctx.platform.announcedStatuses(organizationId)
  const changed: Array<{ id: number; status: GroupStatus }> = []
  for (const [id, status] of current) if ((known.get(id) ?? 'offline') !== status) changed.push({ id, status })
  ctx.platform.setAnnouncedStatuses(organizationId, current)
  if (changed.length > 0) pushToCustomers(ctx, organizationId, 'groups_status_updated', { groups: changed })
}
