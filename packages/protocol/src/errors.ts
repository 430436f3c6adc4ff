/**
 * Error vocabulary of the Customer Chat API v3.6 (customer-rtm §10, agent-rtm §6) and
 * the codes the SDK itself produces (sdk-mapping §11). On the wire an error is
 * `{type, message, data?}` with a snake_case `type`; the SDK exposes `type.toUpperCase()`
 * as `error.code`.
 */
export const WIRE_ERROR_TYPES = [
  'authentication',
  'authorization',
  'chat_anonymized',
  'chat_inactive',
  'customer_banned',
  'greeting_not_found',
  'group_not_found',
  'group_offline',
  'group_unavailable',
  'groups_offline',
  'internal',
  'license_expired',
  'limit_reached',
  'not_allowed',
  'not_found',
  'pending_requests_limit_reached',
  'request_timeout',
  'service_unavailable',
  'too_many_requests',
  'unsupported_version',
  'users_limit_reached',
  'validation',
  'wrong_product_version',
  'chat_already_active',
  'chat_limit_reached',
  'customer_session_fields_limit_reached',
  'entity_too_large',
  'misdirected_request',
  'license_not_found',
  // agent side
  'agent_offline',
  'missing_access',
  'requester_already_offline',
  'requester_awaiting_approval',
  'requester_suspended',
  'seats_limit_exceeded',
] as const

export type WireErrorType = (typeof WIRE_ERROR_TYPES)[number]

export interface WireError {
  type: WireErrorType
  message: string
  data?: Record<string, unknown>
}

/** Codes produced by the client itself, never sent by a server. */
export const CLIENT_ERROR_CODES = [
  'CONNECTION_LOST',
  'NO_CONNECTION',
  'SDK_DESTROYED',
  'REQUEST_TIMEOUT',
  'MISDIRECTED_CONNECTION',
  'SERVICE_TEMPORARILY_UNAVAILABLE',
  'TOO_MANY_UNAUTHORIZED_CONNECTIONS',
  'MISSING_CHAT_THREAD',
  'IDENTITY_MISMATCH',
  'TOO_BIG_FILE',
  'UPLOAD_FAILED',
  'UPLOAD_CANCELED',
  'SSO_IDENTITY_EXCEPTION',
  'SSO_OAUTH_EXCEPTION',
  'VALIDATION',
] as const

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number]

/** Every `error.code` an SDK call can reject with. */
export type ErrorCode = Uppercase<WireErrorType> | ClientErrorCode

export const isWireErrorType = (value: unknown): value is WireErrorType =>
  typeof value === 'string' && (WIRE_ERROR_TYPES as readonly string[]).includes(value)

export const toErrorCode = (type: WireErrorType): ErrorCode => type.toUpperCase() as ErrorCode

/** Reads `payload.error` of a failed response; anything unreadable becomes `internal`. */
export const readWireError = (payload: unknown): WireError => {
  const error = (payload as { error?: unknown } | null)?.error as Partial<WireError> | undefined
  if (error && typeof error === 'object' && isWireErrorType(error.type)) {
    return {
      type: error.type,
      message: typeof error.message === 'string' ? error.message : error.type,
      ...(error.data && typeof error.data === 'object' ? { data: error.data } : {}),
    }
  }
  return { type: 'internal', message: 'Malformed error response' }
}
