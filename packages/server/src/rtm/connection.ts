import { encodeFrame, errorFrame, pushFrame, responseFrame, type ServerFrame, type WireError } from '@rapport/protocol'
import WebSocket from 'ws'
import { TokenBucket } from '../limits'
import type { Requester } from '../domain/ports'
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

/**
 * What an action handler sees of the client that asked: an RTM `Connection`, or one
 * request of the agent Web API (`http/webApi.ts`), which has a session for that request
 * only and receives no pushes.
 */
export interface RequestOrigin extends Requester {
  readonly side: ConnectionSide
  readonly organizationId: string
  session: Session | undefined
  /** Agent connections: `set_away_status`. */
  away: boolean
}

/** Push names that ignore the `login.pushes` subscription. */
const ALWAYS_DELIVERED = new Set(['customer_disconnected', 'agent_disconnected'])

export interface ConnectionTimers {
  loginTimeoutMs: number
  idleTimeoutMs: number
  serverPingIntervalMs: number
}

/**
 * Per-socket flow limits (`../limits.ts`). `0` disables a figure: no rate limit, no pause,
 * no hard cap, no slow-reader timeout.
 */
export interface ConnectionFlow {
  requestsPerSecond: number
  requestBurst: number
  outgoingHighWaterBytes: number
  outgoingHardCapBytes: number
  slowReaderTimeoutMs: number
}

/** Counters every connection of a server adds to (diagnostics and tests). */
export interface TrafficStats {
  /** Frames refused with `too_many_requests`. */
  rateLimited: number
  /** Times a socket's reading was paused because its outgoing buffer passed the high-water mark. */
  readersPaused: number
  /** Sockets closed (1008) for a full outgoing buffer. */
  slowReadersClosed: number
  /** The most outgoing bytes any socket had buffered right after a send. */
  maxBufferedBytes: number
}

export const createTrafficStats = (): TrafficStats => ({ rateLimited: 0, readersPaused: 0, slowReadersClosed: 0, maxBufferedBytes: 0 })

export const UNLIMITED_FLOW: ConnectionFlow = {
  requestsPerSecond: 0,
  requestBurst: 0,
  outgoingHighWaterBytes: 0,
  outgoingHardCapBytes: 0,
  slowReaderTimeoutMs: 0,
}

/** WebSocket close code for a socket that does not read what it asked for (policy violation). */
export const SLOW_READER_CLOSE_CODE = 1008
/** After the 1008 close frame, how long the socket may take to finish the close handshake before it is cut. */
const SLOW_READER_CLOSE_GRACE_MS = 1_000

export interface ConnectionHooks {
  onText(connection: Connection, text: string): void
  /** A frame over the socket's request rate (answer it `too_many_requests`). */
  onOverRate(connection: Connection, text: string): void
  onClose(connection: Connection): void
}

let nextConnectionId = 1

/**
 * One RTM WebSocket: session state, push subscription, the login window, the idle
 * cut-off (any inbound frame or ws pong counts as activity) and the server's control
 * pings. Knows nothing about actions; frames go to `hooks.onText`.
 *
 * Flow control (`ConnectionFlow`): inbound frames pass a token bucket (over it they go to
 * `hooks.onOverRate`). Outbound, once the bytes `ws` has buffered for the socket pass the
 * high-water mark, the connection stops reading it (the TCP socket is paused and frames
 * already received wait, unprocessed, in order) until the buffer drains below half the
 * mark; a socket that keeps its buffer over the mark for `slowReaderTimeoutMs`, or is
 * over the hard cap when something more is to be sent, is closed with 1008. So a client
 * that asks for large answers without reading them costs at most about the hard cap, and
 * its requests stop taking the server's time.
 */
export class Connection implements RequestOrigin {
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
  /** Who opened the socket, as the upgrade request said (a customer's visit records it). */
  peer: { ip?: string; userAgent?: string } = {}
  private closed = false
  /** Why the server closed the socket for flow control, when it did. */
  closeReason: string | undefined
  private tokenTimer: NodeJS.Timeout | undefined
  private loginTimer: NodeJS.Timeout | undefined
  private idleTimer: NodeJS.Timeout | undefined
  private pingTimer: NodeJS.Timeout | undefined
  private slowTimer: NodeJS.Timeout | undefined
  private readonly requests: TokenBucket
  /** Frames received while reading is paused, oldest first. */
  private readonly inbox: string[] = []
  private readingPaused = false

  constructor(
    private readonly ws: WebSocket,
    readonly side: ConnectionSide,
    readonly organizationId: string,
    timers: ConnectionTimers,
    private readonly hooks: ConnectionHooks,
    private readonly flow: ConnectionFlow = UNLIMITED_FLOW,
    private readonly stats: TrafficStats = createTrafficStats(),
  ) {
    this.requests = new TokenBucket(flow.requestsPerSecond, flow.requestBurst)
    ws.on('message', (data, isBinary) => {
      this.touch()
      if (this.stalled) return
      const text = isBinary ? '' : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')
      if (this.readingPaused || this.inbox.length > 0) {
        this.inbox.push(text)
        return
      }
      this.receive(text)
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

  /** Whether reading is paused because the outgoing buffer is over the high-water mark. */
  get isReadingPaused(): boolean {
    return this.readingPaused
  }

  /** Bytes `ws` holds for this socket that the network has not taken yet. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount
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
    if (!this.isOpen) return
    const { outgoingHighWaterBytes: highWater, outgoingHardCapBytes: hardCap } = this.flow
    if (hardCap > 0 && this.ws.bufferedAmount > hardCap) {
      this.closeSlowReader(`more than ${hardCap} bytes waiting to be sent`)
      return
    }
    this.ws.send(encodeFrame(frame), this.flushed)
    const buffered = this.ws.bufferedAmount
    if (buffered > this.stats.maxBufferedBytes) this.stats.maxBufferedBytes = buffered
    if (highWater > 0 && !this.readingPaused && buffered > highWater) this.pauseReading()
  }

  /** One inbound frame, in order: over the rate it is refused, else handled. */
  private receive(text: string): void {
    if (this.requests.take()) {
      this.hooks.onText(this, text)
      return
    }
    this.stats.rateLimited += 1
    this.hooks.onOverRate(this, text)
  }

  /** Called by `ws` once each frame is handed to the network: reading resumes below half the high-water mark. */
  private readonly flushed = (): void => {
    if (this.readingPaused && this.ws.bufferedAmount <= this.flow.outgoingHighWaterBytes / 2) this.resumeReading()
  }

  private pauseReading(): void {
    this.readingPaused = true
    this.stats.readersPaused += 1
    this.ws.pause()
    if (this.flow.slowReaderTimeoutMs > 0) {
      this.slowTimer = setTimeout(
        () => this.closeSlowReader(`outgoing buffer over ${this.flow.outgoingHighWaterBytes} bytes for ${this.flow.slowReaderTimeoutMs} ms`),
        this.flow.slowReaderTimeoutMs,
      )
    }
  }

  private resumeReading(): void {
    this.readingPaused = false
    clearTimeout(this.slowTimer)
    this.slowTimer = undefined
    if (this.closed) return
    this.ws.resume()
    // frames that arrived meanwhile, outside the send callback that got us here
    setImmediate(() => this.drainInbox())
  }

  private drainInbox(): void {
    while (!this.readingPaused && this.inbox.length > 0 && this.isOpen && !this.stalled) {
      const text = this.inbox.shift()
      if (text !== undefined) this.receive(text)
    }
  }

  /**
   * Closes a socket that does not read: 1008, then, if the close handshake has not ended
   * within a second (its buffer is full, so it usually cannot), the TCP connection is cut,
   * which frees what was buffered for it.
   */
  private closeSlowReader(reason: string): void {
    if (this.closed) return
    this.stats.slowReadersClosed += 1
    this.inbox.length = 0
    this.ws.close(SLOW_READER_CLOSE_CODE, 'Slow reader: outgoing buffer full')
    const ws = this.ws
    setTimeout(() => ws.terminate(), SLOW_READER_CLOSE_GRACE_MS).unref()
    this.closeReason = reason
    this.cleanup()
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
    clearTimeout(this.slowTimer)
    this.inbox.length = 0
    this.hooks.onClose(this)
  }
}
