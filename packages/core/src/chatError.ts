import type { ErrorCode, WireError } from '@rapport/protocol'
import { toErrorCode } from '@rapport/protocol'

const RETRYABLE: ReadonlySet<string> = new Set([
  'CONNECTION_LOST',
  'NO_CONNECTION',
  'REQUEST_TIMEOUT',
  'SERVICE_UNAVAILABLE',
  'SERVICE_TEMPORARILY_UNAVAILABLE',
  'TOO_MANY_REQUESTS',
  'PENDING_REQUESTS_LIMIT_REACHED',
  'INTERNAL',
  'MISDIRECTED_CONNECTION',
  'UPLOAD_FAILED',
])

/** The error every SDK call rejects with: `code` is the documented upper-case code. */
export class ChatError extends Error {
  readonly code: ErrorCode
  /** The documented snake_case reason/type behind the code, when there is one. */
  readonly reason: string
  /** Whether trying again later may succeed. */
  readonly retryable: boolean
  readonly data?: Record<string, unknown>

  constructor(code: ErrorCode, message?: string, data?: Record<string, unknown>) {
    super(message ?? code)
    this.name = 'ChatError'
    this.code = code
    this.reason = code.toLowerCase()
    this.retryable = RETRYABLE.has(code)
    if (data) this.data = data
  }

  static fromWire(error: WireError): ChatError {
    return new ChatError(toErrorCode(error.type), error.message, error.data)
  }
}

export const isChatError = (value: unknown): value is ChatError => value instanceof ChatError
