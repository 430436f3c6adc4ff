import { decodeRequestFrame } from '@rapport/protocol'
import type { ServerContext } from '../context'
import type { RequestContext, SideProtocol } from './actionTable'
import type { Connection, Session } from './connection'
import { RtmError } from './rtmError'

/**
 * Handles one inbound text frame: decode, validate, run the handler, answer. Never
 * throws: a bad frame gets a `validation` error, a failing handler an `internal` error
 * for that request only.
 */
export const dispatchFrame = <S extends Session>(
  ctx: ServerContext,
  protocol: SideProtocol<S>,
  connection: Connection,
  text: string,
): void => {
  const decoded = decodeRequestFrame(text)
  if (!decoded.ok) {
    connection.fail(decoded.action, decoded.error, decoded.requestId)
    return
  }
  const { action, request_id: requestId } = decoded.frame
  const payload = decoded.frame.payload ?? {}
  const effects: Array<() => void> = []
  const base = {
    ctx,
    connection,
    action,
    requestId,
    afterResponse: (effect: () => void) => effects.push(effect),
  }
  let result: unknown
  try {
    if (action === 'ping') {
      result = {}
    } else if (action === 'login') {
      if (connection.session) throw new RtmError('validation', 'Already logged in: login is allowed once per connection')
      const request: RequestContext<undefined> = { ...base, session: undefined }
      result = protocol.login.run(request, payload)
    } else {
      const handler = Object.hasOwn(protocol.actions, action) ? protocol.actions[action] : undefined
      if (!handler) throw new RtmError('validation', `Unknown action \`${action}\``)
      const session = connection.session
      if (!protocol.isSession(session)) throw new RtmError('authentication', 'Log in first')
      const request: RequestContext<S> = { ...base, session }
      result = handler.run(request, payload)
    }
  } catch (error) {
    if (error instanceof RtmError) {
      connection.fail(action, error.toWire(), requestId)
    } else {
      ctx.options.logger.error(`${protocol.side} action ${action} failed`, error)
      connection.fail(action, { type: 'internal', message: 'Internal server error' }, requestId)
    }
    return
  }
  connection.respond(action, result, requestId)
  for (const effect of effects) {
    try {
      effect()
    } catch (error) {
      ctx.options.logger.error(`pushes after ${action} failed`, error)
    }
  }
}
