import type { ChatEvent, ErrorCode, OutgoingEvent } from '@rapport/protocol'
import { ChatError } from './chatError'
import type { EventEntity } from './state/chatReducer'
import type { ChatStore } from './state/chatStore'

export interface OutboxEntry {
  localId: string
  chatId: string
  event: OutgoingEvent & { customId: string }
  attachToLastThread?: boolean
  resolve(event: ChatEvent): void
  reject(error: ChatError): void
  timeouts: number
}

/** Failures after which nobody knows whether the server stored the event: try again (same custom id). */
const AMBIGUOUS: ReadonlySet<ErrorCode> = new Set(['CONNECTION_LOST', 'NO_CONNECTION', 'REQUEST_TIMEOUT', 'SERVICE_UNAVAILABLE', 'MISDIRECTED_CONNECTION', 'PENDING_REQUESTS_LIMIT_REACHED'])

export interface OutboxOptions {
  /** The chat state that shows pending and failed events; a client without state leaves it out. */
  store?: ChatStore
  canSend(): boolean
  /** Sends one event; resolves with the server's copy. */
  transmit(entry: OutboxEntry): Promise<ChatEvent>
  /** Retries of a request that timed out while connected, before giving up. */
  maxTimeouts?: number
  now(): number
}

/**
 * The customer's outgoing events, in order. An event waits here (shown `pending` in the
 * state) until the client is connected, is sent one at a time, and is sent again after an
 * ambiguous failure with the same `custom_id`, which the server deduplicates. It leaves
 * as `sent` (the promise resolves with the server's event) or `failed` (the promise
 * rejects with the server's code).
 */
export class Outbox {
  private readonly entries: OutboxEntry[] = []
  private running = false
  private closed: ErrorCode | null = null

  constructor(private readonly options: OutboxOptions) {}

  get size(): number {
    return this.entries.length
  }

  /** The custom ids waiting to be confirmed. */
  pendingCustomIds(): ReadonlySet<string> {
    return new Set(this.entries.map((e) => e.event.customId))
  }

  enqueue(chatId: string, event: OutgoingEvent & { customId: string }, attachToLastThread?: boolean): Promise<ChatEvent> {
    if (this.closed) return Promise.reject(new ChatError(this.closed, 'The client was destroyed'))
    return new Promise<ChatEvent>((resolve, reject) => {
      const localId = `local:${event.customId}`
      const entry: OutboxEntry = { localId, chatId, event, ...(attachToLastThread && { attachToLastThread }), resolve, reject, timeouts: 0 }
      this.entries.push(entry)
      const pending = {
        ...event,
        id: localId,
        authorId: this.options.store?.getSnapshot().customerId ?? '',
        createdAt: new Date(this.options.now()).toISOString(),
        threadId: null,
        properties: event.properties ?? {},
        status: 'pending',
      } as EventEntity
      this.options.store?.dispatch({ type: 'event/pending', chatId, event: pending })
      this.pump()
    })
  }

  /** The server already holds the event with this custom id (seen during recovery). */
  confirm(customId: string, event: ChatEvent): void {
    const index = this.entries.findIndex((e) => e.event.customId === customId)
    if (index < 0) return
    const [entry] = this.entries.splice(index, 1)
    if (!entry) return
    this.options.store?.dispatch({ type: 'event/sent', chatId: entry.chatId, event, localId: entry.localId })
    entry.resolve(event)
  }

  /** Sends what waits, in order, while the client can send. */
  pump(): void {
    if (this.running || this.closed) return
    this.running = true
    void this.drain()
  }

  /**
   * Sends entries one at a time. It stops being `running` in the same step as its last
   * entry settles, so an event sent right when the previous one resolves starts a new
   * round instead of finding the queue still marked busy.
   */
  private async drain(): Promise<void> {
    try {
      while (!this.closed && this.options.canSend()) {
        const entry = this.entries[0]
        if (!entry) return
        try {
          const event = await this.options.transmit(entry)
          if (this.entries[0] !== entry) continue // confirmed meanwhile
          this.entries.shift()
          this.options.store?.dispatch({ type: 'event/sent', chatId: entry.chatId, event, localId: entry.localId })
          entry.resolve(event)
        } catch (error) {
          if (this.entries[0] !== entry) continue
          const chatError = error instanceof ChatError ? error : new ChatError('INTERNAL', String(error))
          const timedOut = chatError.code === 'REQUEST_TIMEOUT' && ++entry.timeouts <= (this.options.maxTimeouts ?? 2)
          if (AMBIGUOUS.has(chatError.code) && (chatError.code !== 'REQUEST_TIMEOUT' || timedOut)) {
            // keep it first in line; the next connection (or the next round) sends it again
            if (chatError.code === 'REQUEST_TIMEOUT' && this.options.canSend()) continue
            return
          }
          this.entries.shift()
          this.options.store?.dispatch({ type: 'event/failed', localId: entry.localId, error: chatError.code })
          entry.reject(chatError)
        }
      }
    } finally {
      this.running = false
    }
  }

  /** Fails everything that waits (destroy). */
  close(code: ErrorCode): void {
    this.closed = code
    for (const entry of this.entries.splice(0)) {
      this.options.store?.dispatch({ type: 'event/failed', localId: entry.localId, error: code })
      entry.reject(new ChatError(code, 'The client was destroyed before the event was sent'))
    }
  }
}
