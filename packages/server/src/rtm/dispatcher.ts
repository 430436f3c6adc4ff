import { LIMITS, decodeRequestFrame, type WireError } from '@rapport/protocol'
import type { ServerContext } from '../context'
import type { LoginContext, RequestContext, SideProtocol } from './actionTable'
import { Connection, type RequestOrigin, type Session } from './connection'
import { exceedsDepth } from '../util/jsonDepth'
import { RtmError, toRtmError } from './rtmError'

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const INTERNAL: WireError = { type: 'internal', message: 'Internal server error' }

/**
 * One client's side of a request: who asks (an RTM connection or one Web API request),
 * where the answer goes, and how many of its requests are still unanswered.
 */
export interface Exchange extends RequestOrigin {
  pending: number
  respond(action: string, payload: unknown, requestId: string | undefined): void
  fail(action: string, error: WireError, requestId: string | undefined): void
}

/**
 * Handles one inbound text frame: decoded here, then handled by `dispatchRequest`. Never
 * throws: a frame that does not decode gets a `validation` error.
 */
export const dispatchFrame = <S extends Session>(
  ctx: ServerContext,
  protocol: SideProtocol<S>,
  connection: Connection,
  text: string,
): void => {
  const decoded = decodeRequestFrame(text)
  if (!decoded.ok) {
    answerFailure(ctx, protocol, connection, decoded.action, decoded.error, decoded.requestId)
    return
  }
  dispatchRequest(ctx, protocol, connection, decoded.frame.action, decoded.frame.payload ?? {}, decoded.frame.request_id)
}

/** Sends an error answer; one that cannot be sent is replaced by `internal` (both logged, never thrown). */
const answerFailure = (ctx: ServerContext, protocol: SideProtocol<Session>, exchange: Exchange, action: string, error: WireError, requestId: string | undefined): void => {
  const attempt = (write: () => void): boolean => {
    try {
      write()
      return true
    } catch (failure) {
      ctx.options.logger.error(`${protocol.side} error response to ${action} failed`, failure)
      return false
    }
  }
  if (!attempt(() => exchange.fail(action, error, requestId))) attempt(() => exchange.fail(action, INTERNAL, requestId))
}

/**
 * Handles one request of either transport (an RTM frame, a Web API call): validate, run
 * the handler, answer through the exchange. Never throws: a payload nested deeper than
 * `maxJsonDepth` gets a `validation` error before anything reads or stores it, a failing
 * handler an `internal` error for that request only, and a response that cannot be sent
 * (it fails to encode) is replaced by an `internal` error; the pushes after a response are
 * each guarded the same way (logged, never thrown). `login` exists on RTM connections only.
 *
 * Synchronous handlers answer at once. A handler that returns a promise (or every handler
 * while the admin "delay responses" switch is on) leaves the request pending; a client
 * with `pendingRequestsLimit` unanswered requests gets `pending_requests_limit_reached`
 * for the next one, and a request still unanswered after 15 s fails with `request_timeout`.
 */
export const dispatchRequest = <S extends Session>(
  ctx: ServerContext,
  protocol: SideProtocol<S>,
  exchange: Exchange,
  action: string,
  payload: Record<string, unknown>,
  requestId: string | undefined,
): void => {
  const logger = ctx.options.logger
  /** Runs one write to the client; `false` (logged) when it threw, e.g. a payload that does not encode. */
  const attempt = (what: string, write: () => void): boolean => {
    try {
      write()
      return true
    } catch (error) {
      logger.error(`${protocol.side} ${what} failed`, error)
      return false
    }
  }
  const failRequest = (failedAction: string, error: WireError, id: string | undefined): void =>
    answerFailure(ctx, protocol, exchange, failedAction, error, id)

  const maxDepth = ctx.options.maxJsonDepth
  if (exceedsDepth(payload, maxDepth)) {
    failRequest(action, { type: 'validation', message: `The payload is nested deeper than ${maxDepth} levels` }, requestId)
    return
  }
  if (exchange.pending >= ctx.options.pendingRequestsLimit) {
    failRequest(
      action,
      { type: 'pending_requests_limit_reached', message: `More than ${ctx.options.pendingRequestsLimit} unanswered requests` },
      requestId,
    )
    return
  }
  const effects: Array<() => void> = []
  const base = {
    ctx,
    action,
    requestId,
    afterResponse: (effect: () => void) => effects.push(effect),
  }
  const execute = (): unknown => {
    if (action === 'ping') return {}
    if (action === 'login' && exchange instanceof Connection) {
      if (exchange.session) throw new RtmError('validation', 'Already logged in: login is allowed once per connection')
      const request: LoginContext = { ...base, connection: exchange, session: undefined }
      return protocol.login.run(request, payload)
    }
    const handler = Object.hasOwn(protocol.actions, action) ? protocol.actions[action] : undefined
    if (!handler) throw new RtmError('validation', `Unknown action \`${action}\``)
    const session = exchange.session
    if (!protocol.isSession(session)) throw new RtmError('authentication', 'Log in first')
    const request: RequestContext<S> = { ...base, connection: exchange, session }
    return handler.run(request, payload)
  }
  // The synchronous part of a handler runs in one storage transaction; a promise it
  // returns is boxed (a transaction function may not return one) and settles outside.
  const atomically = (fn: () => unknown): unknown => ctx.storage.transaction(() => ({ value: fn() })).value
  const failWith = (error: unknown): void => {
    const rtmError = toRtmError(error)
    if (rtmError) {
      failRequest(action, rtmError.toWire(), requestId)
    } else {
      logger.error(`${protocol.side} action ${action} failed`, error)
      failRequest(action, INTERNAL, requestId)
    }
  }
  const finish = (result: unknown): void => {
    if (!attempt(`response to ${action}`, () => exchange.respond(action, result, requestId))) {
      failRequest(action, INTERNAL, requestId)
      return
    }
    if (effects.length === 0) return
    try {
      ctx.storage.transaction(() => {
        for (const effect of effects) {
          try {
            // A failing effect undoes its own writes only (a savepoint); the others go on.
            ctx.storage.transaction(effect)
          } catch (error) {
            logger.error(`pushes after ${action} failed`, error)
          }
        }
      })
    } catch (error) {
      logger.error(`pushes after ${action} failed`, error)
    }
  }

  const delay = ctx.platform.responseDelayMs
  let result: unknown
  if (delay === 0) {
    try {
      // A request's writes land together (or, when it fails, not at all with SQLite).
      result = atomically(execute)
    } catch (error) {
      failWith(error)
      return
    }
    if (!isPromise(result)) {
      finish(result)
      return
    }
  }
  exchange.pending += 1
  const work = delay === 0 ? (result as Promise<unknown>) : sleep(delay).then(() => atomically(execute))
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RtmError('request_timeout', 'Request timed out')), LIMITS.serverRequestTimeoutMs + delay)
  })
  Promise.race([work, timeout])
    .then(finish, failWith)
    .catch((error: unknown) => logger.error(`answering ${action} failed`, error))
    .finally(() => {
      clearTimeout(timer)
      exchange.pending -= 1
    })
}
