import type { SocketLike } from '../env'

/** The one reader of a transport (the RTM client). */
export interface TransportListener {
  /** A raw text frame of the attached socket. */
  message(text: string): void
  /** The attached socket went away. */
  detached(): void
}

/**
 * The one live socket. The socket actor of the connection machine attaches the socket it
 * opened and detaches it when the session ends; its one reader (the RTM client) is called
 * directly, and everything writes through `send`. (A plain listener rather than two RxJS
 * Subjects with a subscription each: a client keeps one transport for its whole life,
 * and those cost about 1 KB per client.)
 */
export class Transport {
  private socket: SocketLike | null = null
  private listener: TransportListener | null = null

  /** Sets the reader (`null` removes it). */
  listen(listener: TransportListener | null): void {
    this.listener = listener
  }

  attach(socket: SocketLike): void {
    if (this.socket && this.socket !== socket) this.detach()
    this.socket = socket
  }

  detach(socket?: SocketLike): void {
    if (!this.socket || (socket && socket !== this.socket)) return
    this.socket = null
    this.listener?.detached()
  }

  get attached(): boolean {
    return this.socket !== null
  }

  /** Sends a text frame; returns false when no socket is attached. */
  send(text: string): boolean {
    if (!this.socket) return false
    try {
      this.socket.send(text)
      return true
    } catch {
      return false
    }
  }

  receive(text: string): void {
    this.listener?.message(text)
  }

  dispose(): void {
    this.detach()
    this.listener = null
  }
}
