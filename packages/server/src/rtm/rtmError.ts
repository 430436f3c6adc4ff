import type { WireError, WireErrorType } from '@rapport/protocol'
import { DomainError } from '../domain/errors'
import { TypedError } from '../util/typedError'

/** A documented error a handler answers with (customer-rtm §10, agent-rtm §6). */
export class RtmError extends TypedError<WireErrorType> {
  toWire(): WireError {
    return { type: this.type, message: this.message, ...(this.data ? { data: this.data } : {}) }
  }
}

/**
 * The wire error a handler's exception is answered with: an `RtmError` as it is, a
 * `DomainError` with its documented type (the one place the domain's errors meet the
 * wire); `undefined` for anything else (a bug: answered as `internal`).
 */
export const toRtmError = (error: unknown): RtmError | undefined => {
  if (error instanceof RtmError) return error
  if (error instanceof DomainError) return new RtmError(error.type, error.message, error.data)
  return undefined
}
