import {
  type ErrorCode,
  INDIRECT_ACTIONS,
  LIMITS,
  type PushFrame,
  type ServerFrame,
  type WireIncomingChatPush,
  type WireIncomingEventPush,
  createRequestId,
  decodeServerFrame,
  encodeFrame,
  isIndirectAction,
  readWireError,
} from '@rapport/protocol'
import { ChatError } from '../chatError'
import type { Clock, TimerId } from '../env'
import type { Transport } from './transport'
import { Readers } from '../readers'
import type { Diagnostic } from '../diagnostics'

export interface RtmClientOptions {
  clock: Clock
  /** The time on `clock` (milliseconds): requests' deadlines are read from it. */
  now: () => number
  random: () => number
  /** A request without an answer after this long fails with `REQUEST_TIMEOUT`. */
  requestTimeoutMs?: number
  /** Requests in flight at once; more wait in a local queue (the server allows 10). */
  pendingLimit?: number
  /** Requests allowed to wait in the queue before `PENDING_REQUESTS_LIMIT_REACHED`. */
  queueLimit?: number
  /** For indirect actions: how long to wait for the push after a successful response. */
  indirectGraceMs?: number
  /** Told about every frame that is not a valid server frame (it is dropped). */
  onDiagnostic?: (diagnostic: Diagnostic) => void
}

/** Any side's map from action to its request and response wire types (`CustomerActionMap`, `AgentActionMap`). */
export type ActionMapShape<M> = { [A in keyof M]: { request: object; response: unknown } }

/** The push that answers an indirect action (customer-rtm §3.4), by action. */
export interface IndirectPushes {
  start_chat: WireIncomingChatPush
  resume_chat: WireIncomingChatPush
  send_event: WireIncomingEventPush
}

/** What settles a request: its response, or (start_chat, resume_chat, send_event) the push carrying its id. */
export type RtmResult<Response, Push = never> = { via: 'response'; payload: Response } | { via: 'push'; payload: Push; push: PushFrame }

/** The result of action `A` of map `M`. */
export type ResultOf<M extends ActionMapShape<M>, A extends keyof M> = A extends keyof IndirectPushes
  ? RtmResult<M[A]['response'], IndirectPushes[A]>
  : { via: 'response'; payload: M[A]['response'] }

interface Pending {
  id: string
  action: string
  frame: string
  timeoutMs: number
  /** When it fails with `REQUEST_TIMEOUT` (or, once answered indirectly, settles with the response); set when sent. */
  deadline: number
  /** An indirect request whose response came: it waits for its push until `deadline`. */
  answered: boolean
  responsePayload?: unknown
  resolve(result: RtmResult<unknown, unknown>): void
  reject(error: ChatError): void
}

/**
 * Request/response correlation over the frame stream (customer-rtm §3.4). Every
 * request settles: with its answer, with `REQUEST_TIMEOUT`, or with the code given to
 * `failAll` (`CONNECTION_LOST` when the socket goes, `SDK_DESTROYED` on destroy).
 *
 * Deadlines share one timer, armed for the earliest of them: a request settling leaves
 * it be (it finds nothing due when it fires, and re-arms for the next deadline if any),
 * so a stream of requests does not create and clear two timers each.
 */
export class RtmClient<M extends ActionMapShape<M>> {
  private readonly frameReaders = new Readers<ServerFrame>()
  private readonly pushReaders = new Readers<PushFrame>()
  private readonly inFlight = new Map<string, Pending>()
  private readonly queue: Pending[] = []
  private readonly options: Required<Omit<RtmClientOptions, 'onDiagnostic'>> & Pick<RtmClientOptions, 'onDiagnostic'>
  /** The deadline timer, and the time it is armed for. */
  private timer: TimerId | undefined
  private timerAt = Number.POSITIVE_INFINITY

  constructor(
    private readonly transport: Transport,
    options: RtmClientOptions,
  ) {
    this.options = {
      requestTimeoutMs: LIMITS.clientRequestTimeoutMs,
      pendingLimit: LIMITS.pendingRequests,
      queueLimit: 100,
      indirectGraceMs: 2_000,
      ...options,
    }
    transport.listen({ message: (text) => this.onMessage(text), detached: () => this.failAll('CONNECTION_LOST') })
  }

  /** Reads every decoded frame (proof of life for the heartbeat); returns the removal. */
  onFrame(reader: (frame: ServerFrame) => void): () => void {
    return this.frameReaders.add(reader)
  }

  /** Reads pushes, less those that answered one of this client's indirect requests; returns the removal. */
  onPush(reader: (push: PushFrame) => void): () => void {
    return this.pushReaders.add(reader)
  }

  get pendingCount(): number {
    return this.inFlight.size + this.queue.length
  }

  /**
   * Sends `action` and settles with its typed result. The payload types come from the
   * side's action map in `@rapport/protocol`; this is the one place where a frame's
   * payload is given its declared type.
   */
  request<A extends keyof M & string>(action: A, payload: M[A]['request'], options: { timeoutMs?: number } = {}): Promise<ResultOf<M, A>> {
    return this.send(action, payload, options.timeoutMs) as Promise<ResultOf<M, A>>
  }

  /** The keep-alive request both sides have (customer-rtm §4, agent-rtm §2). */
  async ping(timeoutMs?: number): Promise<void> {
    await this.send('ping', {}, timeoutMs)
  }

  private send(action: string, payload: object, timeoutMs: number | undefined): Promise<RtmResult<unknown, unknown>> {
    return new Promise<RtmResult<unknown, unknown>>((resolve, reject) => {
      if (!this.transport.attached) {
        reject(new ChatError('NO_CONNECTION', `Cannot send "${action}": not connected`))
        return
      }
      if (this.queue.length >= this.options.queueLimit) {
        reject(new ChatError('PENDING_REQUESTS_LIMIT_REACHED', 'Too many requests waiting for an answer'))
        return
      }
      let id = createRequestId(this.options.random)
      while (this.inFlight.has(id) || this.queue.some((p) => p.id === id)) id = createRequestId(this.options.random)
      const pending: Pending = {
        id,
        action,
        frame: encodeFrame({ request_id: id, action, payload }),
        timeoutMs: timeoutMs ?? this.options.requestTimeoutMs,
        deadline: Number.POSITIVE_INFINITY,
        answered: false,
        resolve,
        reject,
      }
      this.queue.push(pending)
      this.pump()
    })
  }

  /** Rejects every request in flight or queued with `code`. */
  failAll(code: ErrorCode, message?: string): void {
    const all = [...this.inFlight.values(), ...this.queue.splice(0)]
    this.inFlight.clear()
    this.disarm()
    for (const pending of all) {
      pending.reject(new ChatError(code, message ?? `Request "${pending.action}" failed: ${code}`))
    }
  }

  dispose(code: ErrorCode = 'SDK_DESTROYED'): void {
    this.failAll(code)
    this.transport.listen(null)
    this.frameReaders.clear()
    this.pushReaders.clear()
  }

  private pump(): void {
    while (this.inFlight.size < this.options.pendingLimit && this.queue.length > 0) {
      const pending = this.queue.shift() as Pending
      if (!this.transport.send(pending.frame)) {
        pending.reject(new ChatError('NO_CONNECTION', `Cannot send "${pending.action}": not connected`))
        continue
      }
      this.inFlight.set(pending.id, pending)
      this.setDeadline(pending, pending.timeoutMs)
    }
  }

  private settle(id: string): Pending | undefined {
    const pending = this.inFlight.get(id)
    if (!pending) return undefined
    this.inFlight.delete(id)
    if (this.queue.length > 0) queueMicrotask(() => this.pump())
    return pending
  }

  private setDeadline(pending: Pending, ms: number): void {
    pending.deadline = this.options.now() + ms
    if (pending.deadline >= this.timerAt) return
    this.disarm()
    this.timerAt = pending.deadline
    this.timer = this.options.clock.setTimeout(() => this.expire(), ms)
  }

  private disarm(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Number.POSITIVE_INFINITY
  }

  /** The deadline timer fired: settles every request that is due, then re-arms for the next one. */
  private expire(): void {
    this.timer = undefined
    this.timerAt = Number.POSITIVE_INFINITY
    const now = this.options.now()
    let next: Pending | undefined
    for (const pending of [...this.inFlight.values()]) {
      if (pending.deadline > now) {
        if (!next || pending.deadline < next.deadline) next = pending
      } else if (pending.answered) {
        this.settle(pending.id)?.resolve({ via: 'response', payload: pending.responsePayload })
      } else {
        this.settle(pending.id)?.reject(new ChatError('REQUEST_TIMEOUT', `No answer to "${pending.action}"`))
      }
    }
    if (next) {
      this.timerAt = next.deadline
      this.timer = this.options.clock.setTimeout(() => this.expire(), next.deadline - now)
    }
  }

  private onMessage(text: string): void {
    const frame = decodeServerFrame(text)
    if (!frame) {
      this.options.onDiagnostic?.({ type: 'undecodable_frame', length: text.length })
      return
    }
    this.frameReaders.emit(frame)
    const id = frame.request_id
    const pending = id === undefined ? undefined : this.inFlight.get(id)
    if (frame.type === 'response') {
      if (!pending || pending.action !== frame.action) return
      if (!frame.success) {
        this.settle(pending.id)?.reject(ChatError.fromWire(readWireError(frame.payload)))
      } else if (isIndirectAction(pending.action)) {
        // the push carrying our request id settles it; fall back to the response after a grace period
        pending.responsePayload = frame.payload
        pending.answered = true
        this.setDeadline(pending, this.options.indirectGraceMs)
      } else {
        this.settle(pending.id)?.resolve({ via: 'response', payload: frame.payload })
      }
      return
    }
    if (pending && isIndirectAction(pending.action) && INDIRECT_ACTIONS[pending.action] === frame.action) {
      this.settle(pending.id)?.resolve({ via: 'push', payload: frame.payload, push: frame })
      return
    }
    this.pushReaders.emit(frame)
  }
}
