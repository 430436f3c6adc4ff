import type { WireTokenResponse } from '@rapport/protocol'
import type { ServerContext } from './context'
import type { TokenEndpoint, TokenFailure } from './http/tokenEndpoint'

export interface HealthStatus {
  ok: true
  connections: number
  customers: number
  chats: number
}

export interface AgentTokenResponse {
  access_token: string
  token_type: 'Bearer'
}

/** Test and development controls of a running server (also served under `/rapport/admin`). */
export interface ServerAdmin {
  /** A token an agent or bot logs in with; without an organization it is valid in every one. Throws for an unknown agent. */
  issueAgentToken(agentId: string, organizationId?: string): AgentTokenResponse
  /** A customer token as the token endpoint would issue it (new identity, or the given customer id). */
  issueCustomerToken(organizationId: string, customerId?: string): WireTokenResponse
  /** Pushes `customer_disconnected {reason, data?}` to every socket of the customer, then closes them. Returns how many. */
  disconnectCustomer(customerId: string, reason: string, data?: Record<string, unknown>): number
  /** Pushes `agent_disconnected {reason, data?}` to every socket of the agent, then closes them. */
  disconnectAgent(agentId: string, reason: string, data?: Record<string, unknown>): number
  /** Terminates the customer's sockets without any push (a lost network). */
  dropCustomer(customerId: string): number
  /** Stops (or resumes) answering and pushing on the customer's sockets. */
  stallCustomer(customerId: string, stalled?: boolean): number
  /** Makes every token request fail with this answer until called with `undefined`. */
  failTokenRequests(failure: TokenFailure | undefined): void
  health(): HealthStatus
}

export class AdminError extends Error {}

export const createAdmin = (ctx: ServerContext, tokenEndpoint: TokenEndpoint): ServerAdmin => ({
  issueAgentToken(agentId, organizationId) {
    if (!ctx.agents.get(agentId)) throw new AdminError(`Unknown agent ${agentId}`)
    return { access_token: ctx.tokens.issueAgentToken(agentId, organizationId).access_token, token_type: 'Bearer' }
  },
  issueCustomerToken: (organizationId, customerId) => tokenEndpoint.issue(organizationId, customerId),
  disconnectCustomer(customerId, reason, data) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) {
      connection.stalled = false
      connection.disconnect(reason, data)
    }
    return connections.length
  },
  disconnectAgent(agentId, reason, data) {
    const connections = ctx.registry.agentConnections({ agentId })
    for (const connection of connections) connection.disconnect(reason, data)
    return connections.length
  },
  dropCustomer(customerId) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) connection.drop()
    return connections.length
  },
  stallCustomer(customerId, stalled = true) {
    const connections = ctx.registry.customerConnections(customerId)
    for (const connection of connections) connection.stalled = stalled
    return connections.length
  },
  failTokenRequests(failure) {
    tokenEndpoint.failure = failure
  },
  health: () => ({ ok: true, connections: ctx.registry.size, ...ctx.storage.counts() }),
})
