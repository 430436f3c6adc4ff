import type { Storage, TokenRecord } from '../storage/storage'
import type { Clock } from '../util/clock'
import { secret } from '../util/ids'

const AGENT_TOKEN_LIFETIME_S = 24 * 60 * 60

/** Issues and checks the access tokens of customers (token endpoint) and agents (admin). */
export class TokenService {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly customerLifetimeS: number,
  ) {}

  issueCustomerToken(organizationId: string, customerId: string): TokenRecord {
    const token: TokenRecord = {
      access_token: `dal:${secret()}`,
      kind: 'customer',
      entity_id: customerId,
      organization_id: organizationId,
      expires_at: this.clock.nowMs() + this.customerLifetimeS * 1000,
    }
    this.storage.putToken(token)
    return token
  }

  /** An agent's token, valid in that one organization. */
  issueAgentToken(agentId: string, organizationId: string): TokenRecord {
    const token: TokenRecord = {
      access_token: `dal:agent_${secret()}`,
      kind: 'agent',
      entity_id: agentId,
      organization_id: organizationId,
      expires_at: this.clock.nowMs() + AGENT_TOKEN_LIFETIME_S * 1000,
    }
    this.storage.putToken(token)
    return token
  }

  get customerLifetime(): number {
    return this.customerLifetimeS
  }

  /** A live token of that kind by its access token (any organization: the token names its own), or `undefined`. */
  find(accessToken: string, kind: TokenRecord['kind']): (TokenRecord & { organization_id: string }) | undefined {
    const token = this.storage.getToken(accessToken)
    if (!token || token.kind !== kind || token.organization_id === undefined) return undefined
    if (token.expires_at <= this.clock.nowMs()) return undefined
    return { ...token, organization_id: token.organization_id }
  }

  /**
   * Resolves a `login.token` (`"Bearer <access_token>"`) to a live token of the given
   * kind issued for that organization, or `undefined`. A token is never valid outside the
   * organization it was issued for (one stored without an organization, by an older
   * server, is valid in none).
   */
  verify(bearer: string, kind: TokenRecord['kind'], organizationId: string): TokenRecord | undefined {
    const match = /^Bearer (\S+)$/.exec(bearer)
    if (!match?.[1]) return undefined
    const token = this.storage.getToken(match[1])
    if (!token || token.kind !== kind) return undefined
    if (token.organization_id !== organizationId) return undefined
    if (token.expires_at <= this.clock.nowMs()) return undefined
    return token
  }
}
