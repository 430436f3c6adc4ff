import type { AgentConfig } from '../options'
import { secretsEqual } from '../util/secrets'

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline'

const key = (organizationId: string, agentId: string): string => `${organizationId}\u0000${agentId}`

/**
 * The configured agents and bots, and their routing status per organization. A status
 * lives for the agent's session: when its last connection in an organization closes it
 * becomes `offline` (remembered for a `login` with `reconnect: true`).
 */
export class AgentDirectory {
  private readonly byId = new Map<string, AgentConfig>()
  private readonly statuses = new Map<string, RoutingStatus>()
  private readonly remembered = new Map<string, RoutingStatus>()
  private readonly list: AgentConfig[]

  constructor(agents: readonly AgentConfig[]) {
    this.list = [...agents]
    for (const agent of agents) this.byId.set(agent.id, agent)
  }

  /** The configured agents, then the bots created at run time (`create_bot`), in that order. */
  get agents(): readonly AgentConfig[] {
    return this.list
  }

  /** Adds a bot made by `create_bot` (kept in memory: a restarted server forgets it). */
  add(agent: AgentConfig): void {
    if (this.byId.has(agent.id)) throw new Error(`Agent ${agent.id} exists`)
    this.byId.set(agent.id, agent)
    this.list.push(agent)
  }

  /** The agent with this fixed `token`, in whichever organization it is bound to. */
  byFixedTokenAnywhere(token: string): AgentConfig | undefined {
    return this.list.find((agent) => agent.token !== undefined && agent.tokenOrganizationId !== undefined && secretsEqual(token, agent.token))
  }

  get(agentId: string): AgentConfig | undefined {
    return this.byId.get(agentId)
  }

  /** The agent whose fixed `token` this is, when it is bound to this organization. */
  byFixedToken(token: string, organizationId: string): AgentConfig | undefined {
    return this.agents.find(
      (agent) => agent.token !== undefined && agent.tokenOrganizationId === organizationId && secretsEqual(token, agent.token),
    )
  }

  /** Groups an agent serves; group 0 ("all agents") is always included. */
  groupsOf(agent: AgentConfig): number[] {
    return [...new Set([0, ...(agent.groups ?? [])])]
  }

  status(organizationId: string, agentId: string): RoutingStatus {
    return this.statuses.get(key(organizationId, agentId)) ?? 'offline'
  }

  setStatus(organizationId: string, agentId: string, status: RoutingStatus): void {
    this.statuses.set(key(organizationId, agentId), status)
    this.remembered.set(key(organizationId, agentId), status)
  }

  /** Status an agent gets when its session starts. */
  startSession(organizationId: string, agent: AgentConfig, options: { reconnect: boolean; away: boolean }): RoutingStatus {
    const current = this.statuses.get(key(organizationId, agent.id))
    const remembered = options.reconnect ? this.remembered.get(key(organizationId, agent.id)) : undefined
    const status: RoutingStatus = options.away
      ? 'not_accepting_chats'
      : (current ?? remembered ?? (agent.type === 'bot' ? 'not_accepting_chats' : 'accepting_chats'))
    this.statuses.set(key(organizationId, agent.id), status)
    return status
  }

  endSession(organizationId: string, agentId: string): void {
    this.statuses.delete(key(organizationId, agentId))
  }

  /** Groups with at least one agent accepting chats, in an organization. */
  onlineGroups(organizationId: string): number[] {
    const groups = new Set<number>()
    for (const agent of this.agents) {
      if (this.status(organizationId, agent.id) === 'accepting_chats') for (const g of this.groupsOf(agent)) groups.add(g)
    }
    return [...groups].sort((a, b) => a - b)
  }
}
