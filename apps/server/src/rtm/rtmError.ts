import type { WireError, WireErrorType } from '@rapport/protocol'

/** A documented error a handler answers with (customer-rtm §10, agent-rtm §6). */
export class RtmError extends Error {
  constructor(
    readonly type: WireErrorType,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'RtmError'
  }

  toWire(): WireError {
    return { type: this.type, message: this.message, ...(this.data ? { data: this.data } : {}) }
  }
}

export const notFound = (what: string): RtmError => new RtmError('not_found', `${what} not found`)
