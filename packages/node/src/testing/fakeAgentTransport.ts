/**
 * An `AgentTransport` with the platform behind it emulated in memory, for testing bots
 * without a server: customers start chats and write (`incoming_chat`, `incoming_event`),
 * click buttons (`incoming_rich_message_postback`), end chats; the bot's requests are
 * answered as the Agent Chat API would (`send_event` stores the event and pushes the
 * bot's own copy back, `transfer_chat` removes the bot, `get_chat`, `get_customer`, …)
 * and recorded. Faults can be injected (`failNext`) and answers slowed (`latencyMs`).
 */
import { ChatError } from '@rapport/core'
import {
  type AgentActionMap,
  type AgentEvent,
  type AgentEventMap,
  type AgentEventName,
  type Chat,
  type ChatEvent,
  type ChatUser,
  type MessageEvent,
  type RichMessageEvent,
  type WireAgentCustomer,
  type WireErrorType,
  chatToWire,
  parseAgentPush,
  toErrorCode,
} from '@rapport/protocol'
import { Subject } from 'rxjs'
import type { AgentAction, AgentTransport } from '../agent/agentTransport'

export interface FakeCustomer {
  id: string
  name?: string
  email?: string
}

export interface FakeChat {
  id: string
  threadId: string
  customer: FakeCustomer
  events: ChatEvent[]
  active: boolean
  /** Whether the bot is (still) a user of the chat. */
  botPresent: boolean
  /** Where a `transfer_chat` sent it, if anywhere. */
  transferredTo: { type: 'group' | 'agent'; ids: Array<string | number> } | null
}

export interface FakeRequest {
  action: AgentAction
  payload: unknown
  /** When it was sent (`Date.now()`), and answered. */
  sentAt: number
  answeredAt?: number
}

export interface FakeAgentTransportOptions {
  /** The bot's agent id. Default `bot@fake`. */
  botId?: string
  /** How long each request takes to answer (ms, or per request). Default 0. */
  latencyMs?: number | ((action: AgentAction) => number)
}

export interface FakeAgentTransport extends AgentTransport {
  readonly botId: string
  /** The bot's id, for `createBot` (its own events are not handled). */
  readonly selfId: string
  readonly chats: ReadonlyMap<string, FakeChat>
  /** Every request the bot sent, in order. */
  readonly requests: readonly FakeRequest[]
  /** A customer starts a chat (with a first message, if given); the bot gets `incoming_chat`. */
  startChat(customer: FakeCustomer, text?: string): FakeChat
  /** The customer writes in their chat; the bot gets `incoming_event`. Returns the stored event. */
  say(chatId: string, text: string): MessageEvent
  /** The customer clicks a button of a rich message: the postback, then (for a `message` button) its text as a message, as the widget does. */
  click(chatId: string, postbackId: string): void
  /** The customer ends the chat; the bot gets `chat_deactivated`. */
  endChat(chatId: string): void
  /** Pushes any event to the bot (e.g. the same one twice, to test deduplication). */
  push(event: AgentEvent): void
  /** The next `times` (default 1) requests of `action` fail with that error type. */
  failNext(action: AgentAction, type: WireErrorType, times?: number): void
  /** Calls `listener` after each request the bot sends. */
  onRequest(listener: (request: FakeRequest) => void): () => void
  readonly closed: boolean
}

const FAKE_AGENT_TRANSPORT = Symbol.for('rapport.fakeAgentTransport')

export const isFakeAgentTransport = (transport: unknown): transport is FakeAgentTransport =>
  typeof transport === 'object' && transport !== null && FAKE_AGENT_TRANSPORT in transport

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

export const createFakeAgentTransport = (options: FakeAgentTransportOptions = {}): FakeAgentTransport => {
  const botId = options.botId ?? 'bot@fake'
  const subject = new Subject<AgentEvent>()
  const chats = new Map<string, FakeChat>()
  const requests: FakeRequest[] = []
  const faults = new Map<AgentAction, Array<WireErrorType>>()
  const requestListeners = new Set<(request: FakeRequest) => void>()
  let chatCount = 0
  let closed = false
  const now = () => new Date().toISOString()

  const emit = (event: AgentEvent): void => {
    if (!closed) subject.next(event)
  }
  const chatOf = (chatId: unknown): FakeChat => {
    const chat = typeof chatId === 'string' ? chats.get(chatId) : undefined
    if (!chat) throw new ChatError('NOT_FOUND', `Chat ${String(chatId)} not found`)
    return chat
  }
  const users = (chat: FakeChat): ChatUser[] => {
    const customer: ChatUser = {
      id: chat.customer.id,
      type: 'customer',
      ...(chat.customer.name !== undefined && { name: chat.customer.name }),
      ...(chat.customer.email !== undefined && { email: chat.customer.email }),
      sessionFields: {},
      present: true,
    }
    const bot: ChatUser = { id: botId, type: 'agent', name: 'Bot', avatar: '', jobTitle: '', present: true }
    return chat.botPresent ? [customer, bot] : [customer]
  }
  const toChat = (chat: FakeChat): Chat => ({
    id: chat.id,
    access: { groupIds: [0] },
    users: users(chat),
    properties: {},
    eventsSeenUpToMap: {},
    thread: {
      id: chat.threadId,
      chatId: chat.id,
      active: chat.active,
      access: { groupIds: [0] },
      createdAt: chat.events[0]?.createdAt ?? now(),
      userIds: users(chat).map((u) => u.id),
      events: [...chat.events],
      properties: {},
      previousThreadId: null,
      nextThreadId: null,
      queue: null,
    },
  })
  const append = <E extends ChatEvent>(chat: FakeChat, event: E): E => {
    chat.events.push(event)
    return event
  }
  const nextId = (chat: FakeChat) => `${chat.threadId}_${chat.events.length + 1}`

  const answer = (action: AgentAction, payload: unknown): unknown => {
    const p = isRecord(payload) ? payload : {}
    switch (action) {
      case 'send_event': {
        const chat = chatOf(p.chat_id)
        if (!chat.active) throw new ChatError('CHAT_INACTIVE', 'Chat is inactive')
        if (!chat.botPresent) throw new ChatError('MISSING_ACCESS', 'The bot is not in the chat')
        const wire = isRecord(p.event) ? p.event : {}
        // checked as the server's push of it would be
        const pushed = parseAgentPush('incoming_event', {
          chat_id: chat.id,
          thread_id: chat.threadId,
          event: { ...wire, id: nextId(chat), author_id: botId, created_at: now() },
        })[0]
        const parsed = pushed?.type === 'incoming_event' ? pushed.payload.event : undefined
        if (!parsed) throw new ChatError('VALIDATION', 'Not an event the API accepts')
        append(chat, parsed)
        // the requester's copy, as the server pushes it to every chat user
        queueMicrotask(() => emit({ type: 'incoming_event', payload: { chatId: chat.id, event: parsed, visibility: 'all' } }))
        return { event_id: parsed.id }
      }
      case 'get_chat':
        return chatToWire(toChat(chatOf(p.chat_id)))
      case 'transfer_chat': {
        const chat = chatOf(p.id)
        if (!chat.active) throw new ChatError('CHAT_INACTIVE', 'Chat is inactive')
        const target = isRecord(p.target) ? p.target : {}
        chat.transferredTo = { type: target.type === 'agent' ? 'agent' : 'group', ids: Array.isArray(target.ids) ? target.ids.filter((id): id is string | number => typeof id === 'string' || typeof id === 'number') : [] }
        chat.botPresent = false
        queueMicrotask(() => emit({ type: 'user_removed_from_chat', payload: { chatId: chat.id, threadId: chat.threadId, userId: botId, reason: 'manual' } }))
        return {}
      }
      case 'deactivate_chat': {
        const chat = chatOf(p.id)
        chat.active = false
        queueMicrotask(() => emit({ type: 'chat_deactivated', payload: { chatId: chat.id, threadId: chat.threadId, userId: botId } }))
        return {}
      }
      case 'get_customer': {
        const customer = [...chats.values()].map((c) => c.customer).find((c) => c.id === p.id)
        if (!customer) throw new ChatError('NOT_FOUND', 'Customer not found')
        const record: WireAgentCustomer = {
          id: customer.id,
          type: 'customer',
          ...(customer.name !== undefined && { name: customer.name }),
          ...(customer.email !== undefined && { email: customer.email }),
          present: true,
          online: true,
        }
        return record
      }
      default:
        return {}
    }
  }

  const transport: FakeAgentTransport & { [FAKE_AGENT_TRANSPORT]: true } = {
    [FAKE_AGENT_TRANSPORT]: true,
    kind: 'web',
    botId,
    selfId: botId,
    chats,
    requests,
    request: async <A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']) => {
      const record: FakeRequest = { action, payload, sentAt: Date.now() }
      requests.push(record)
      const latency = typeof options.latencyMs === 'function' ? options.latencyMs(action) : (options.latencyMs ?? 0)
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency))
      else await Promise.resolve()
      record.answeredAt = Date.now()
      try {
        const fault = faults.get(action)?.shift()
        if (fault) throw new ChatError(toErrorCode(fault), `Injected ${fault}`)
        // the one place the fake's answer is typed as the action's response
        return answer(action, payload) as AgentActionMap[A]['response']
      } finally {
        for (const listener of requestListeners) listener(record)
      }
    },
    events$: subject.asObservable(),
    on: <K extends AgentEventName>(name: K, listener: (payload: AgentEventMap[K]) => void) => {
      const subscription = subject.subscribe((event) => {
        if (event.type === name) listener(event.payload as AgentEventMap[K])
      })
      return () => subscription.unsubscribe()
    },
    close: () => {
      if (closed) return
      closed = true
      subject.complete()
    },
    get closed() {
      return closed
    },
    startChat(customer, text) {
      chatCount += 1
      const chat: FakeChat = { id: `CHAT${chatCount}`, threadId: `T${chatCount}`, customer, events: [], active: true, botPresent: true, transferredTo: null }
      chats.set(chat.id, chat)
      if (text !== undefined) append(chat, message(chat, text))
      emit({ type: 'incoming_chat', payload: { chat: toChat(chat) } })
      return chat
    },
    say(chatId, text) {
      const chat = chatOf(chatId)
      const event = append(chat, message(chat, text))
      emit({ type: 'incoming_event', payload: { chatId, event, visibility: 'all' } })
      return event
    },
    click(chatId, postbackId) {
      const chat = chatOf(chatId)
      const rich = [...chat.events].reverse().find((e): e is RichMessageEvent => e.type === 'rich_message' && e.elements.some((el) => el.buttons?.some((b) => b.postbackId === postbackId)))
      if (!rich) throw new Error(`No button ${postbackId} in chat ${chatId}`)
      const button = rich.elements.flatMap((el) => el.buttons ?? []).find((b) => b.postbackId === postbackId)
      emit({
        type: 'incoming_rich_message_postback',
        payload: { userId: chat.customer.id, chatId, threadId: chat.threadId, eventId: rich.id, postback: { id: postbackId, toggled: true } },
      })
      if (button && (!('type' in button) || button.type === 'message')) transport.say(chatId, button.text)
    },
    endChat(chatId) {
      const chat = chatOf(chatId)
      chat.active = false
      emit({ type: 'chat_deactivated', payload: { chatId, threadId: chat.threadId, userId: chat.customer.id } })
    },
    push: emit,
    failNext(action, type, times = 1) {
      faults.set(action, [...(faults.get(action) ?? []), ...Array.from({ length: times }, () => type)])
    },
    onRequest(listener) {
      requestListeners.add(listener)
      return () => requestListeners.delete(listener)
    },
  }

  const message = (chat: FakeChat, text: string): MessageEvent => ({
    id: nextId(chat),
    type: 'message',
    text,
    authorId: chat.customer.id,
    createdAt: now(),
    threadId: chat.threadId,
    properties: {},
  })

  return transport
}
