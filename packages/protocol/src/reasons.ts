import type { WireErrorType } from './errors'

/**
 * What the client does after the connection ends for a given reason. This is the one
 * table the connection machine reads (customer-rtm §8, sdk-mapping §4).
 *
 * - `reconnect`: reconnect with backoff (`backoff: 'slow'` starts at a longer delay).
 * - `refreshToken`: drop the cached token, fetch a fresh one, then reconnect.
 * - `reconnectToRegion`: switch to `data.region` and reconnect at once.
 * - `pause`: stay disconnected until the application calls `connect()`.
 * - `destroy`: the instance is unusable; listeners are removed.
 * - `switchIdentity`: a different customer identity came back from the token endpoint:
 *   forget that identity's data, emit `identity_changed`, continue.
 */
export type ReasonAction = 'reconnect' | 'refreshToken' | 'reconnectToRegion' | 'pause' | 'destroy' | 'switchIdentity'

export interface ReasonPolicy {
  readonly action: ReasonAction
  /** Whether the application sees a `disconnected` event for it. */
  readonly emit: boolean
  readonly backoff?: 'default' | 'slow'
}

const reconnect: ReasonPolicy = { action: 'reconnect', emit: true }
const destroy: ReasonPolicy = { action: 'destroy', emit: true }
const pause: ReasonPolicy = { action: 'pause', emit: true }

/** Reasons of the `customer_disconnected` push, and the ones the SDK produces itself. */
export const DISCONNECT_REASON_POLICY = {
  // pushed by the server
  access_token_expired: { action: 'refreshToken', emit: true },
  access_token_revoked: { action: 'refreshToken', emit: true },
  connection_evicted: reconnect,
  connection_timeout: reconnect,
  internal_error: reconnect,
  service_temporarily_unavailable: { action: 'reconnect', emit: false, backoff: 'slow' },
  too_many_unauthorized_connections: { action: 'reconnect', emit: false },
  misdirected_connection: { action: 'reconnectToRegion', emit: true },
  license_not_found: destroy,
  license_expired: destroy,
  unsupported_version: destroy,
  too_many_connections: destroy,
  logged_out_remotely: destroy,
  customer_banned: destroy,
  customer_temporarily_blocked: destroy,
  product_version_changed: destroy,
  inactivity_timeout: pause,
  users_limit_reached: pause,
  // produced by the SDK
  connection_lost: reconnect,
  identity_mismatch: { action: 'switchIdentity', emit: false },
  wrong_product_version: destroy,
} as const satisfies Record<string, ReasonPolicy>

export type DisconnectReason = keyof typeof DISCONNECT_REASON_POLICY

/** Reasons whose pushes may end the connection (everything but the SDK's own). */
export const DISCONNECT_REASONS = /* @__PURE__ */ Object.keys(DISCONNECT_REASON_POLICY) as DisconnectReason[]

/** Unknown reasons reconnect (customer-rtm §8, last row). */
export const policyForReason = (reason: string): ReasonPolicy =>
  (DISCONNECT_REASON_POLICY as Record<string, ReasonPolicy>)[reason] ?? reconnect

/**
 * `agent_disconnected` reasons (agent-rtm §5): for agents `access_token_revoked` and
 * `connection_evicted` mean "don't reconnect".
 */
export const AGENT_DISCONNECT_REASON_POLICY = {
  agent_disconnected_by_server: destroy,
  agent_logged_out_remotely: destroy,
  access_token_revoked: destroy,
  connection_evicted: destroy,
  license_expired: destroy,
  license_not_found: destroy,
  misdirected_connection: { action: 'reconnectToRegion', emit: true },
  unsupported_version: destroy,
  too_many_connections: destroy,
  access_token_expired: { action: 'refreshToken', emit: true },
  connection_timeout: reconnect,
  internal_error: reconnect,
  too_many_unauthorized_connections: { action: 'reconnect', emit: false },
  role_permissions_changed: reconnect,
  connection_lost: reconnect,
} as const satisfies Record<string, ReasonPolicy>

export const policyForAgentReason = (reason: string): ReasonPolicy =>
  (AGENT_DISCONNECT_REASON_POLICY as Record<string, ReasonPolicy>)[reason] ?? reconnect

/**
 * How a failed `login` response is handled (sdk-mapping §4.2). `reason` is the
 * `disconnected` reason the application sees when the policy emits.
 */
export interface LoginErrorPolicy extends ReasonPolicy {
  readonly reason: string
}

const LOGIN_ERROR_POLICY: Partial<Record<WireErrorType, LoginErrorPolicy>> = {
  authentication: { action: 'refreshToken', emit: false, reason: 'access_token_expired' },
  customer_banned: { action: 'destroy', emit: true, reason: 'customer_banned' },
  users_limit_reached: { action: 'pause', emit: true, reason: 'users_limit_reached' },
  wrong_product_version: { action: 'destroy', emit: true, reason: 'wrong_product_version' },
  license_expired: { action: 'destroy', emit: true, reason: 'license_expired' },
  license_not_found: { action: 'destroy', emit: true, reason: 'license_not_found' },
  unsupported_version: { action: 'destroy', emit: true, reason: 'unsupported_version' },
  service_unavailable: { action: 'reconnect', emit: false, backoff: 'slow', reason: 'service_temporarily_unavailable' },
}

/** What a refused login asks for; an error type the table does not know reconnects. */
export const policyForLoginError = (type: WireErrorType | (string & {})): LoginErrorPolicy =>
  (Object.hasOwn(LOGIN_ERROR_POLICY, type) ? LOGIN_ERROR_POLICY[type as WireErrorType] : undefined) ?? { action: 'reconnect', emit: false, reason: type }

/**
 * Token endpoint failures (http.md §2.1): transient exceptions retry, any other one
 * destroys the instance with the exception string as the reason.
 */
export const policyForTokenError = (exception: string): LoginErrorPolicy =>
  exception === 'server_error' || exception === 'temporarily_unavailable'
    ? { action: 'reconnect', emit: false, reason: exception }
    : { action: 'destroy', emit: true, reason: exception }
