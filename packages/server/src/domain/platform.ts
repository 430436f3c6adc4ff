/**
 * Runtime switches of the simulated platform (set from options, changed through the
 * admin interface): limits, response delays, regions, and what customers were last
 * told about group availability. Not persisted: it describes the running server.
 */
import type { ResolvedOptions } from '../options'
import type { GroupStatus } from './groupDirectory'

export interface WelcomeMessage {
  id: string
  organization_id: string
  customer_id: string
  group_id: number
  agent_id: string
  event: { created_at: string; type: 'message'; text: string; author_id: string }
}

export class PlatformState {
  /** Every request waits this long before it is handled (test hook for pending requests). */
  responseDelayMs = 0
  offlineChats: boolean
  maxChatsPerAgent: number
  usersLimit: number | undefined
  maxConnectionsPerCustomer: number | undefined
  /** Organizations served from another region: connections get `misdirected_connection`. */
  private readonly regions = new Map<string, string>()
  private readonly announced = new Map<string, Map<number, GroupStatus>>()
  private readonly welcomeMessages = new Map<string, WelcomeMessage>()

  constructor(options: ResolvedOptions) {
    this.offlineChats = options.offlineChats
    this.maxChatsPerAgent = options.maxChatsPerAgent
    this.usersLimit = options.usersLimit
    this.maxConnectionsPerCustomer = options.maxConnectionsPerCustomer
  }

  region(organizationId: string): string | undefined {
    return this.regions.get(organizationId)
  }

  setRegion(organizationId: string, region: string | undefined): void {
    if (region === undefined) this.regions.delete(organizationId)
    else this.regions.set(organizationId, region)
  }

  announcedStatuses(organizationId: string): ReadonlyMap<number, GroupStatus> {
    return this.announced.get(organizationId) ?? new Map()
  }

  setAnnouncedStatuses(organizationId: string, statuses: Map<number, GroupStatus>): void {
    this.announced.set(organizationId, statuses)
  }

  welcomeMessage(organizationId: string, customerId: string, id: string): WelcomeMessage | undefined {
    const message = this.welcomeMessages.get(id)
    return message?.organization_id === organizationId && message.customer_id === customerId ? message : undefined
  }

  putWelcomeMessage(message: WelcomeMessage): void {
    this.welcomeMessages.set(message.id, message)
  }
}
