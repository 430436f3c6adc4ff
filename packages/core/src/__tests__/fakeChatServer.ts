import type { FakeEnv, FakeSocket } from '@rapport/testing'

type Frame = { request_id?: string; action: string; payload?: Record<string, unknown> }
type WireEvent = { id: string; type: string; text?: string; custom_id?: string; author_id: string; created_at: string }
type WireThread = { id: string; active: boolean; user_ids: string[]; events: WireEvent[]; created_at: string }

/**
 * A tiny scripted Customer Chat API behind FakeEnv's sockets, for reliability tests that
 * need a server with state but full control of time and of the network: it answers on
 * the current socket (a dropped socket answers nothing), and the test can add events
 * behind the client's back, repeat pushes, refuse logins or stop answering.
 */
export class FakeChatServer {
  customerId = 'customer-1'
  readonly chats = new Map<string, { id: string; threads: WireThread[] }>()
  readonly received: Frame[] = []
  /** When set, logins fail with this error type. */
  loginError: string | null = null
  /** Stop answering anything (a stalled server). */
  silent = false
  /** Answers the next N requests of an action with this error type (e.g. a failing `get_chat`). */
  readonly failNext = new Map<string, { type: string; times: number }>()
  private clock = 0
  private seq = 0
  private wired = new WeakSet<FakeSocket>()

  constructor(private readonly env: FakeEnv) {}

  /** Answers the frames of every socket the client opens from now on; opens them too. */
  attach(): void {
    const wire = () => {
      for (const socket of this.env.sockets) {
        if (this.wired.has(socket)) continue
        this.wired.add(socket)
        const send = socket.send.bind(socket)
        socket.send = (data: string) => {
          send(data)
          const frame = JSON.parse(data) as Frame
          this.received.push(frame)
          queueMicrotask(() => this.handle(socket, frame))
        }
        queueMicrotask(() => {
          if (socket.readyState === 0) socket.open()
        })
      }
    }
    const create = this.env.createSocket
    this.env.createSocket = (url) => {
      const socket = create(url)
      queueMicrotask(wire)
      return socket
    }
    wire()
  }

  now(): string {
    this.clock += 1
    return new Date(Date.UTC(2026, 0, 1) + this.clock * 1000).toISOString().replace('Z', '000Z')
  }

  /** An event appears in the chat's latest thread (e.g. an agent wrote while the client was away). */
  addEvent(chatId: string, text: string, author = 'agent-1'): WireEvent {
    const thread = this.latest(chatId)
    const event: WireEvent = { id: `E${++this.seq}`, type: 'message', text, author_id: author, created_at: this.now() }
    thread.events.push(event)
    return event
  }

  /** A new thread starts in the chat (the old one closes). */
  addThread(chatId: string, active = true): WireThread {
    const chat = this.chat(chatId)
    for (const t of chat.threads) t.active = false
    const thread: WireThread = { id: `T${++this.seq}`, active, user_ids: [this.customerId], events: [], created_at: this.now() }
    chat.threads.push(thread)
    return thread
  }

  chat(chatId: string) {
    let chat = this.chats.get(chatId)
    if (!chat) {
      chat = { id: chatId, threads: [] }
      this.chats.set(chatId, chat)
    }
    return chat
  }

  latest(chatId: string): WireThread {
    const chat = this.chat(chatId)
    return chat.threads.at(-1) ?? this.addThread(chatId)
  }

  /** Pushes an event to the current socket, as the live server does. */
  push(socket: FakeSocket, chatId: string, event: WireEvent, threadId = this.latest(chatId).id, requestId?: string): void {
    socket.receive({ action: 'incoming_event', type: 'push', ...(requestId && { request_id: requestId }), payload: { chat_id: chatId, thread_id: threadId, event } })
  }

  count(action: string): number {
    return this.received.filter((f) => f.action === action).length
  }

  wireChat(chatId: string, thread = this.latest(chatId)) {
    return { id: chatId, users: [{ id: this.customerId, type: 'customer', present: true }], thread }
  }

  private respond(socket: FakeSocket, frame: Frame, payload: object): void {
    socket.receive({ request_id: frame.request_id, action: frame.action, type: 'response', success: true, payload })
  }

  private fail(socket: FakeSocket, frame: Frame, type: string): void {
    socket.receive({ request_id: frame.request_id, action: frame.action, type: 'response', success: false, payload: { error: { type, message: type } } })
  }

  private handle(socket: FakeSocket, frame: Frame): void {
    if (this.silent || !socket.isOpen) return
    const p = frame.payload ?? {}
    const failure = this.failNext.get(frame.action)
    if (failure && failure.times > 0) {
      failure.times--
      return this.fail(socket, frame, failure.type)
    }
    switch (frame.action) {
      case 'login':
        if (this.loginError) return this.fail(socket, frame, this.loginError)
        return this.respond(socket, frame, {
          customer: { id: this.customerId, type: 'customer', statistics: {} },
          has_active_thread: false,
          chats: [...this.chats.values()].map((c) => ({ chat_id: c.id, has_unread_events: false, has_active_thread: c.threads.at(-1)?.active ?? false })),
          __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0 } } },
        })
      case 'ping':
        return this.respond(socket, frame, {})
      case 'get_chat': {
        const chat = this.chats.get(String(p.chat_id))
        if (!chat) return this.fail(socket, frame, 'not_found')
        return this.respond(socket, frame, this.wireChat(chat.id))
      }
      case 'list_threads': {
        const chat = this.chats.get(String(p.chat_id))
        if (!chat) return this.fail(socket, frame, 'not_found')
        return this.respond(socket, frame, { threads: [...chat.threads].reverse(), found_threads: chat.threads.length })
      }
      case 'send_event': {
        const chatId = String(p.chat_id)
        if (!this.chats.has(chatId)) return this.fail(socket, frame, 'not_found')
        const incoming = p.event as { text?: string; custom_id?: string }
        const thread = this.latest(chatId)
        // a custom id already stored: answer with that event, create nothing
        const existing = incoming.custom_id ? thread.events.find((e) => e.custom_id === incoming.custom_id) : undefined
        const event = existing ?? { id: `E${++this.seq}`, type: 'message', text: incoming.text ?? '', author_id: this.customerId, created_at: this.now(), ...(incoming.custom_id && { custom_id: incoming.custom_id }) }
        if (!existing) thread.events.push(event)
        this.respond(socket, frame, { event_id: event.id })
        return this.push(socket, chatId, event, thread.id, frame.request_id)
      }
      default:
        return this.respond(socket, frame, {})
    }
  }
}
