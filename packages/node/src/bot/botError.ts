/** What the bot reports to `bot.catch`: the failure, which handler and event it came from. */
export type BotErrorCode =
  /** A handler (or middleware) threw or rejected. */
  | 'HANDLER_FAILED'
  /** A handler ran longer than `handlerTimeoutMs` (time waiting in `ctx.ask` not counted); it goes on running. */
  | 'HANDLER_TIMEOUT'
  /** A handler that had timed out failed later. */
  | 'LATE_HANDLER_FAILED'
  /** Loading or saving the conversation state failed. */
  | 'STATE_FAILED'
  /** The transport or webhook receiver reported an error. */
  | 'TRANSPORT_FAILED'

export class BotError extends Error {
  readonly code: BotErrorCode
  readonly chatId: string | undefined
  /** The event type being handled (`incoming_chat`, `incoming_event`, …). */
  readonly eventType: string | undefined

  constructor(code: BotErrorCode, message: string, details: { chatId?: string; eventType?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'BotError'
    this.code = code
    this.chatId = details.chatId
    this.eventType = details.eventType
  }
}
