import { Subject } from 'rxjs'
import type { SocketLike } from '../env'

/**
 * The one live socket, as streams. The socket actor of the connection machine
 * attaches the socket it opened and detaches it when the session ends; everything
 * else reads `messages$` and writes through `send`.
 */
export class Transport {
  /** Raw text frames of the attached socket. */
  readonly messages$ = new Subject<string>()
  /** Emits each time the attached socket goes away. */
  readonly detached$ = new Subject<void>()
  private socket: SocketLike | null = null

  attach(socket: SocketLike): void {
    if (this.socket && this.socket !== socket) this.detach()
    this.socket = socket
  }

  detach(socket?: SocketLike): void {
    if (!this.socket || (socket && socket !== this.socket)) return
    this.socket = null
    this.detached$.next()
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
    this.messages$.next(text)
  }

  dispose(): void {
    this.detach()
    this.messages$.complete()
    this.detached$.complete()
  }
}
