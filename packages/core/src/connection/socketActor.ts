import { isObject } from '@rapport/protocol'
import { fromCallback } from 'xstate'
import type { Env } from '../env'
import type { Transport } from '../transport/transport'
import type { SocketEvent } from './connectionMachine'

/**
 * The socket: opens it, attaches it to the transport once open,
 * reports open/close to the machine, and closes it when the machine leaves the state
 * that invoked it — so there is never more than one.
 */
export const openSocket = (env: Pick<Env, 'createSocket'>, transport: Transport, url: string, sendBack: (event: SocketEvent) => void): (() => void) => {
  const socket = env.createSocket(url)
  let open = false
  // what the error event said (Node's `ws`: "connect ECONNREFUSED …"); the close that follows carries it
  let error: string | undefined
  socket.onopen = () => {
    open = true
    transport.attach(socket)
    sendBack({ type: 'socket.opened' })
  }
  socket.onmessage = (event) => {
    if (open) transport.receive(typeof event.data === 'string' ? event.data : String(event.data))
  }
  socket.onclose = (event) => {
    open = false
    transport.detach(socket)
    sendBack({ type: 'socket.closed', ...(event?.code !== undefined && { code: event.code }), ...(error !== undefined && { error }) })
  }
  socket.onerror = (event) => {
    // a close event follows
    const message = isObject(event) ? event.message : undefined
    if (typeof message === 'string' && message !== '') error = message
  }
  return () => {
    socket.onopen = socket.onmessage = socket.onclose = null
    // closing a socket still in its handshake reports an error; it must have a listener
    // (Node's `ws` throws an unhandled 'error' otherwise)
    socket.onerror = () => {}
    transport.detach(socket)
    try {
      socket.close(1000)
    } catch {
      // already closed
    }
  }
}

/** The socket as an actor of its own (tests; the machine calls `openSocket` through the session's ports). */
export const createSocketLogic = (env: Pick<Env, 'createSocket'>, transport: Transport, urlFor: (region?: string) => string) =>
  fromCallback<{ type: 'noop' }, { region?: string }, SocketEvent>(({ input, sendBack }) => openSocket(env, transport, urlFor(input.region), sendBack))
