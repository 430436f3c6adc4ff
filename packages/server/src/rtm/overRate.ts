import { decodeRequestFrame } from '@rapport/protocol'
import type { Connection } from './connection'

/**
 * Answers a frame over its socket's request rate with `too_many_requests` (customer-rtm
 * §10: "rate limit hit; unblocks after a while"), echoing its `action` and `request_id`
 * when they can be read. The frame is not handled.
 */
export const refuseOverRate = (connection: Connection, text: string): void => {
  const decoded = decodeRequestFrame(text)
  const action = decoded.ok ? decoded.frame.action : decoded.action
  const requestId = decoded.ok ? decoded.frame.request_id : decoded.requestId
  connection.fail(action, { type: 'too_many_requests', message: 'Too many requests on this socket: slow down' }, requestId)
}
