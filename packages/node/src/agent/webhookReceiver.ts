/**
 * The webhook receiver (bots-and-crm §2): what a bot on the platform hears chats through.
 *
 * Each delivery is `{webhook_id, secret_key, action, organization_id, payload,
 * additional_data}`. The receiver checks `secret_key` in constant time (both sides hashed
 * to equal-length digests, compared with `crypto.timingSafeEqual`; a wrong one is 401),
 * parses the payload with the same push parser as the RTM client (so it emits the same
 * `AgentEvent`s), and answers 200 at once; the events are then emitted in order per chat.
 *
 * Webhooks are not a queue: the same body may come twice, bodies may come out of order,
 * and some never come. So an event id seen before is dropped (as is an identical delivery
 * of any other push), a late event is still emitted once, and when a thread's events jump
 * (event ids `<thread id>_<n>`: after `_3` comes `_6`) the missing ones are asked for with
 * `fillGap` and emitted, in order, before the one that revealed the gap.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type AgentEvent, type ChatEvent, parseAgentPushChecked } from '@rapport/protocol'

export interface WebhookRequest {
  headers?: Record<string, string | string[] | undefined>
  /** The raw body (text or bytes) or the body already parsed as JSON. */
  body: unknown
}

export interface WebhookResponse {
  status: number
  body: { ok: true } | { error: { type: string; message: string } }
}

export interface WebhookGap {
  chatId: string
  threadId: string
  /** Sequence numbers of the thread's events that were never delivered, ascending. */
  missing: number[]
}

export interface WebhookReceiverOptions {
  /** The `secret_key` the webhooks were registered with (one, or several during a rotation). */
  secretKey: string | readonly string[]
  /** Gets every event; a listener that throws is reported to `onError`, never to the sender. */
  onEvent(event: AgentEvent, delivery: { webhookId: string; organizationId: string; additionalData: unknown }): void | Promise<void>
  /** Returns the thread's events (at least the missing ones), e.g. from `get_chat`; without it gaps are not filled. */
  fillGap?(gap: WebhookGap): Promise<ChatEvent[]>
  onError?(error: unknown): void
  /** Event ids (and delivery fingerprints) remembered for deduplication. Default 10 000. */
  memory?: number
  /** Largest body the `node:http` handler reads. Default 1 MiB. */
  maxBodyBytes?: number
}

export interface WebhookReceiver {
  /** Answers one delivery: usable from any framework. */
  handle(request: WebhookRequest): Promise<WebhookResponse>
  /** A `node:http` request listener (or Express/Connect middleware without `next`). */
  readonly listener: (req: IncomingMessage, res: ServerResponse) => void
  /** Resolves when every accepted delivery has been emitted (gap fills included). */
  idle(): Promise<void>
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The thread id and sequence number of an id `<thread id>_<n>`, when it is one. */
const sequenceOf = (eventId: string, threadId: string): number | undefined => {
  if (!eventId.startsWith(`${threadId}_`)) return undefined
  const n = Number(eventId.slice(threadId.length + 1))
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/** A set that forgets its oldest members past `limit`. */
const boundedSet = (limit: number) => {
  const items = new Set<string>()
  return {
    has: (key: string) => items.has(key),
    add(key: string) {
      items.add(key)
      if (items.size > limit) {
        const oldest = items.values().next()
        if (!oldest.done) items.delete(oldest.value)
      }
    },
  }
}

const refuse = (status: number, type: string, message: string): WebhookResponse => ({ status, body: { error: { type, message } } })

export const createWebhookReceiver = (options: WebhookReceiverOptions): WebhookReceiver => {
  const secrets = (typeof options.secretKey === 'string' ? [options.secretKey] : options.secretKey).map(digest)
  if (secrets.length === 0) throw new TypeError('createWebhookReceiver needs a secretKey')
  const memory = options.memory ?? 10_000
  const seen = boundedSet(memory)
  /** Highest sequence number emitted per thread. */
  const highest = new Map<string, number>()
  /** Deliveries in progress, per chat (events of one chat are emitted in order). */
  const queues = new Map<string, Promise<void>>()
  const reportError = (error: unknown): void => {
    if (options.onError) options.onError(error)
  }

  const secretMatches = (presented: string): boolean => {
    const candidate = digest(presented)
    let match = false
    // every secret is compared, so the time does not tell which (if any) matched
    for (const secret of secrets) match = timingSafeEqual(candidate, secret) || match
    return match
  }

  const note = (threadId: string, eventId: string): void => {
    const n = sequenceOf(eventId, threadId)
    if (n !== undefined && n > (highest.get(threadId) ?? 0)) highest.set(threadId, n)
  }

  type Delivery = { webhookId: string; organizationId: string; additionalData: unknown }

  const emit = async (event: AgentEvent, delivery: Delivery): Promise<void> => {
    try {
      await options.onEvent(event, delivery)
    } catch (error) {
      reportError(error)
    }
  }

  /** Emits one event unless seen; fills the thread's gap first when its sequence jumps. */
  const process = async (event: AgentEvent, delivery: Delivery, fingerprint: string): Promise<void> => {
    if (event.type === 'incoming_chat') {
      const thread = event.payload.chat.thread
      for (const e of thread?.events ?? []) {
        seen.add(`event:${e.id}`)
        if (thread) note(thread.id, e.id)
      }
      await emit(event, delivery)
      return
    }
    if (event.type !== 'incoming_event') {
      if (seen.has(fingerprint)) return
      seen.add(fingerprint)
      await emit(event, delivery)
      return
    }
    const { chatId, event: chatEvent } = event.payload
    const key = `event:${chatEvent.id}`
    if (seen.has(key)) return
    const threadId = chatEvent.threadId
    const n = threadId === null ? undefined : sequenceOf(chatEvent.id, threadId)
    const known = threadId === null ? undefined : highest.get(threadId)
    if (options.fillGap && threadId !== null && n !== undefined && known !== undefined && n > known + 1) {
      const missing: number[] = []
      for (let i = known + 1; i < n; i++) if (!seen.has(`event:${threadId}_${i}`)) missing.push(i)
      if (missing.length > 0) {
        try {
          const events = await options.fillGap({ chatId, threadId, missing })
          const wanted = new Set(missing.map((i) => `${threadId}_${i}`))
          const filled = events.filter((e) => wanted.has(e.id) && !seen.has(`event:${e.id}`)).sort((a, b) => (sequenceOf(a.id, threadId) ?? 0) - (sequenceOf(b.id, threadId) ?? 0))
          for (const e of filled) {
            seen.add(`event:${e.id}`)
            note(threadId, e.id)
            await emit({ type: 'incoming_event', payload: { chatId, event: e, visibility: 'all' } }, delivery)
          }
        } catch (error) {
          reportError(error)
        }
      }
    }
    if (seen.has(key)) return // a fill brought it
    seen.add(key)
    if (threadId !== null) note(threadId, chatEvent.id)
    await emit(event, delivery)
  }

  const chatOf = (event: AgentEvent): string => {
    const payload: unknown = event.payload
    if (isRecord(payload)) {
      if (typeof payload.chatId === 'string') return payload.chatId
      if (isRecord(payload.chat) && typeof payload.chat.id === 'string') return payload.chat.id
    }
    return ''
  }

  const enqueue = (event: AgentEvent, delivery: Delivery, fingerprint: string): void => {
    const chat = chatOf(event)
    const next = (queues.get(chat) ?? Promise.resolve()).then(() => process(event, delivery, fingerprint))
    queues.set(chat, next)
    void next.finally(() => {
      if (queues.get(chat) === next) queues.delete(chat)
    })
  }

  const handle = async (request: WebhookRequest): Promise<WebhookResponse> => {
    let body: unknown = request.body
    if (typeof body === 'string' || body instanceof Uint8Array) {
      try {
        body = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'))
      } catch {
        return refuse(400, 'validation', 'The body is not JSON')
      }
    }
    if (!isRecord(body) || typeof body.secret_key !== 'string') return refuse(400, 'validation', 'Not a webhook body')
    if (!secretMatches(body.secret_key)) return refuse(401, 'authentication', 'Wrong secret_key')
    const { action, webhook_id: webhookId, organization_id: organizationId } = body
    if (typeof action !== 'string' || typeof webhookId !== 'string' || typeof organizationId !== 'string') {
      return refuse(400, 'validation', 'A webhook body carries webhook_id, action and organization_id')
    }
    const parsed = parseAgentPushChecked(action, body.payload)
    if (!parsed.ok) return refuse(400, 'validation', `Unexpected payload: ${parsed.reason}`)
    const delivery = { webhookId, organizationId, additionalData: body.additional_data }
    const fingerprint = `push:${action}:${digest(JSON.stringify(body.payload) ?? '').toString('base64')}`
    for (const event of parsed.events) enqueue(event, delivery, fingerprint)
    return { status: 200, body: { ok: true } }
  }

  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const answer = (response: WebhookResponse): void => {
      const text = JSON.stringify(response.body)
      res.writeHead(response.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text)
    }
    if (req.method !== 'POST') return answer(refuse(405, 'validation', 'POST only'))
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        answer(refuse(413, 'entity_too_large', 'Body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > maxBodyBytes) return
      handle({ headers: req.headers, body: Buffer.concat(chunks) }).then(answer, (error: unknown) => {
        reportError(error)
        answer(refuse(500, 'internal', 'Internal error'))
      })
    })
    req.on('error', reportError)
  }

  return {
    handle,
    listener,
    async idle() {
      while (queues.size > 0) await Promise.allSettled([...queues.values()])
    },
  }
}
