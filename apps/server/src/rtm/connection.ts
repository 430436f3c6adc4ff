import { encodeFrame, errorFrame, pushFrame, responseFrame, type ServerFrame, type WireError } from '@rapport/protocol'
import WebSocket from 'ws'
import type { AgentConfig } from '../options'

export type ConnectionSide = 'customer' | 'agent'

export interface CustomerSession {
  kind: 'customer'
  customerId: string
  /** `login.group_id` (0 when absent): the group new chats go to. */
  groupId: number
}

export interface AgentSession {
  kind: 'agent'
  agent: AgentConfig
}

export type Session = CustomerSession | AgentSession

/** Push names that ignore the `login.pushes` subscription. */
const ALWAYS_DELIVERED = new Set(['customer_disconnected', 'agent_disconnected'])

export interface ConnectionTimers {
  loginTimeoutMs: number
  idleTimeoutMs: number
  serverPingIntervalMs: number
}

export interface ConnectionHooks {
  onText(connection: Connection, text: string): void
  onClose(connection: Connection): void
}

let nextConnectionId = 1

/**
 * One RTM WebSocket: session state, push subscription, the login window, the idle
 * cut-off (any inbound frame or ws pong counts as activity) and the server's control
 * pings. Knows nothing about actions; frames go to `hooks.onText`.
 */
export class Connection {
  readonly id = nextConnectionId++
  session: Session | undefined
  /** `undefined` = every push (no `login.pushes`). */
  private subscription: Set<string> | undefined
  /** A stalled connection ignores inbound frames and sends nothing (test hook). */
  stalled = false
  /** Agent connections: `set_away_status`. */
  away = false
  /** Requests received and not answered yet (asynchronous or delayed handlers). */
  pending = 0
  private closed = false
  private tokenTimer: NodeJS.Timeout | undefined
  private loginTimer: NodeJS.Timeout | undefined
  private idleTimer: NodeJS.Timeout | undefined
  private pingTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly ws: WebSocket,
    readonly side: ConnectionSide,
    readonly organizationId: string,
    timers: ConnectionTimers,
    private readonly hooks: ConnectionHooks,
  ) {
    ws.on('message', (data, isBinary) => {
      this.touch()
      if (this.stalled) return
      const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')
      this.hooks.onText(this, text)
    })
    ws.on('pong', () => this.touch())
    ws.on('close', () => this.cleanup())
    ws.on('error', () => this.cleanup())
    if (timers.loginTimeoutMs > 0) {
      this.loginTimer = setTimeout(() => this.disconnect('connection_timeout'), timers.loginTimeoutMs)
    }
    if (timers.idleTimeoutMs > 0) {
      this.idleTimer = setTimeout(() => this.disconnect('connection_timeout'), timers.idleTimeoutMs)
    }
    if (timers.serverPingIntervalMs > 0) {
      this.pingTimer = setInterval(() => {
        if (!this.stalled && ws.readyState === WebSocket.OPEN) ws.ping()
      }, timers.serverPingIntervalMs)
    }
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === WebSocket.OPEN
  }

  /** Marks the connection logged in: ends the login window and sets the push subscription. */
  beginSession(session: Session, pushes: Record<string, string[]> | undefined): void {
    this.session = session
    clearTimeout(this.loginTimer)
    this.loginTimer = undefined
    if (pushes === undefined) {
      this.subscription = undefined
      return
    }
    const names = Object.values(pushes).flat()
    this.subscription = names.includes('all') ? undefined : new Set(names)
  }

  /**
   * Runs `onExpire` when the session's access token expires (epoch ms); a later call
   * replaces the deadline.
   */
  expireAt(expiresAtMs: number, nowMs: number, onExpire: () => void): void {
    clearTimeout(this.tokenTimer)
    const delay = expiresAtMs - nowMs
    if (delay > 2 ** 31 - 1) return
    this.tokenTimer = setTimeout(onExpire, Math.max(0, delay))
  }

  wants(pushName: string): boolean {
    return ALWAYS_DELIVERED.has(pushName) || this.subscription === undefined || this.subscription.has(pushName)
  }

  respond(action: string, payload: unknown, requestId: string | undefined): void {
    this.send(responseFrame(action, payload, requestId))
  }

  fail(action: string, error: WireError, requestId: string | undefined): void {
    this.send(errorFrame(action, error, requestId))
  }

  /** Sends a push if this connection subscribed to it; `requestId` only on the requester's copy. */
  push(action: string, payload: unknown, requestId?: string): void {
    if (this.wants(action)) this.send(pushFrame(action, payload, requestId))
  }

  /** Sends the side's `*_disconnected` push with a reason, then closes the socket. */
  disconnect(reason: string, data?: Record<string, unknown>): void {
    if (!this.isOpen) return
    const action = this.side === 'customer' ? 'customer_disconnected' : 'agent_disconnected'
    this.write(pushFrame(action, data === undefined ? { reason } : { reason, data }))
    this.ws.close(1000, reason.slice(0, 100))
    this.cleanup()
  }

  /** Closes without a push, like a lost network (test hook). */
  drop(): void {
    this.ws.terminate()
    this.cleanup()
  }

  private send(frame: ServerFrame): void {
    if (!this.stalled) this.write(frame)
  }

  private write(frame: ServerFrame): void {
    if (this.isOpen) this.ws.send(encodeFrame(frame))
  }

  private touch(): void {
    this.idleTimer?.refresh()
  }

  private cleanup(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.loginTimer)
    clearTimeout(this.idleTimer)
    clearTimeout(this.tokenTimer)
    clearInterval(this.pingTimer)
    this.hooks.onClose(this)
  }
}
