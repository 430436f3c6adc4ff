/**
 * The bot framework: `createBot({ auth, transport })`, handlers per event with one context
 * object, middleware, async iterators, and the runtime rules bots need:
 *
 * - events of one chat are handled one after another, in order; chats run side by side;
 * - an event seen before (by event id) is dropped, and so is every event the bot wrote;
 * - a handler that runs past `handlerTimeoutMs` is reported to `bot.catch` (the chat moves
 *   on; the handler's `ctx.signal` is aborted), a handler that throws likewise;
 * - every request goes through the outbox (`botOutbox.ts`): ordered per chat, backing off
 *   on `too_many_requests`;
 * - `stop()` (also on SIGINT/SIGTERM): stop taking chats, let the handlers in flight
 *   finish, flush the outbox, close.
 *
 * It stands on an `AgentTransport` only, so it runs unchanged over RTM or the Web API with
 * webhooks (and on a fake transport in tests).
 */
import { EventEmitter, on as eventsOn } from 'node:events'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AgentClientConfig } from '@rapport/core'
import type { AgentActionMap, AgentCustomer, AgentEvent, MessageEvent, RoutingStatus, WebhookAction } from '@rapport/protocol'
import { createAgentRtmClient, createAgentWebClient } from '../agent/agentClients'
import { type AgentMethods, createAgentMethods } from '../agent/agentMethods'
import type { AgentAction, AgentTransport } from '../agent/agentTransport'
import { type BotTokenSource, type ConfigurationClient, registerWebhook, unregisterWebhook } from '../agent/webApi'
import type { WebhookReceiver } from '../agent/webhookReceiver'
import { type AskOptions, type BotChat, type BotContext, type BotEvent, type BotEventName, type BotEventOf, type MessageContext, type Middleware, type PostbackContext, compose } from './botContext'
import { BotError } from './botError'
import { type BotLogger, createConsoleLogger, isBotDebugEnabled } from './botLogger'
import { type BotMessage, botMessageToWire, describeBotMessage } from './botMessage'
import { type BotOutbox, type ThrottlePolicy, createBotOutbox } from './botOutbox'
import { type StateStore, createMemoryStateStore } from './stateStore'

/** RTM: an agent (or, on the local server, bot) token for the agent WebSocket. */
export interface RtmBotAuth {
  organizationId: string
  accessToken: AgentClientConfig['accessToken']
  /** The server's origin (the local server); the platform's by default. */
  serverUrl?: string
}

/** Web API + webhooks: a bot token (or a renewing source, `createBotTokenSource`). */
export interface WebBotAuth {
  baseUrl?: string
  token: string | (() => Promise<string>) | BotTokenSource
  /** The bot's agent id (from `create_bot`): its own events are ignored by it. */
  botId?: string
}

export type BotAuth = RtmBotAuth | WebBotAuth

export const DEFAULT_WEBHOOK_ACTIONS: readonly WebhookAction[] = [
  'incoming_chat',
  'incoming_event',
  'incoming_rich_message_postback',
  'chat_deactivated',
  'chat_transferred',
  'user_removed_from_chat',
]

export interface BotWebhookOptions {
  /** The `secret_key` deliveries must carry. */
  secretKey: string
  /**
   * Where the bot's own receiver listens (default `127.0.0.1`, any free port, when
   * `register` is given). Without `listen` nor `register`, mount `bot.webhookReceiver.listener`
   * in your own server.
   */
  listen?: { port?: number; host?: string; path?: string }
  /**
   * Registers the webhooks on `start()` (and unregisters them on `stop()`) with a
   * Configuration API client; `url` is the address the platform posts to (default the
   * listening one).
   */
  register?: { config: ConfigurationClient; ownerClientId: string; url?: string; actions?: readonly WebhookAction[] }
}

/** A transport that may also tell whose it is (its agent id), as the test kit's fake does. */
export type BotTransport = AgentTransport & { readonly selfId?: string }

export interface BotOptions<S> {
  /** `rtm` or `webhooks` (with `auth`), or a ready `AgentTransport`. */
  transport: 'rtm' | 'webhooks' | BotTransport
  auth?: BotAuth
  webhooks?: BotWebhookOptions
  /** The bot's own agent id, when the transport cannot tell (a Web API transport without `auth.botId`). */
  botId?: string
  /** The conversation state of a new chat; default `{}`. */
  initialState?: () => S
  /** Where conversation state lives; default in memory. */
  store?: StateStore<S>
  /** Longest a handler may run (not counting `ctx.ask` waits) before it is reported. Default 30 s. */
  handlerTimeoutMs?: number
  /** Longest `stop()` waits for handlers in flight and the outbox. Default 10 s. */
  shutdownTimeoutMs?: number
  throttle?: Partial<ThrottlePolicy>
  /** Routing status set on start (`false`: leave it). Default `accepting_chats`. */
  routingStatus?: RoutingStatus | false
  logger?: BotLogger
  /** Debug logs; default from `RAPPORT_DEBUG` naming `bot`. */
  debug?: boolean
  /** Stop gracefully on SIGINT/SIGTERM (then re-raise it when nothing else listens). Default `true`. */
  handleSignals?: boolean
  /** Event ids remembered for deduplication. Default 10 000. */
  dedupeMemory?: number
  /** RTM connection policy (`createAgentRtmClient`'s `connection`). */
  connection?: AgentClientConfig['connection']
  /** For tests: the clock and randomness of the throttle. */
  clock?: { now?: () => number; random?: () => number; sleep?: (ms: number) => Promise<void> }
}

export type ErrorHandler = (error: BotError, ctx: BotContext<never> | undefined) => unknown

export interface Bot<S = Record<string, unknown>> {
  /** The bot's agent id, once known. */
  readonly id: string | undefined
  /** The transport (created on `start()` for `rtm` and `webhooks`). */
  readonly transport: AgentTransport
  /** The agent API, through the throttle. */
  readonly api: AgentMethods
  /** The webhook receiver (transport `webhooks`), once started. */
  readonly webhookReceiver: WebhookReceiver | undefined
  /** The URL the bot's own receiver listens on, once started. */
  readonly webhookUrl: string | undefined
  readonly log: BotLogger
  /** Runs for every event, in registration order with the handlers. */
  use(middleware: Middleware<S>): this
  on<K extends BotEventName>(type: K | readonly K[], handler: Middleware<S, BotContext<S, K>>): this
  /** A customer's message: every one, or those whose text matches (a string matches case-insensitively as a word or phrase). */
  message(handler: Middleware<S, MessageContext<S>>): this
  message(pattern: RegExp | string | ReadonlyArray<RegExp | string>, handler: Middleware<S, MessageContext<S>>): this
  /** A click on a rich message button with this postback id (or matching it). */
  postback(id: string | RegExp, handler: Middleware<S, PostbackContext<S>>): this
  /** Gets every failure (thrown, timed out, state store…). Without one, failures are logged. */
  catch(handler: ErrorHandler): this
  /** Each customer message, as a context (besides the handlers), until the bot stops. */
  messages(): AsyncIterableIterator<MessageContext<S>>
  /** Each event of those types (all when none), as a context, until the bot stops. */
  events<K extends BotEventName>(...types: K[]): AsyncIterableIterator<BotContext<S, K>>
  /** Connects (or starts the webhook receiver), sets the routing status. Idempotent. */
  start(): Promise<void>
  /** Graceful shutdown. Idempotent. */
  stop(): Promise<void>
  /** Hands the bot one event, as a transport would. */
  handle(event: AgentEvent): void
  /** Resolves when no handler is queued or running and the outbox is empty. */
  idle(): Promise<void>
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** The chat a request is about (its requests are ordered by it). */
const chatOfPayload = (action: AgentAction, payload: unknown): string | undefined => {
  if (!isRecord(payload)) return undefined
  if (typeof payload.chat_id === 'string') return payload.chat_id
  if ((action === 'transfer_chat' || action === 'deactivate_chat' || action.endsWith('chat_properties')) && typeof payload.id === 'string') return payload.id
  return undefined
}

/** The chat an event is about, or `undefined`. */
const chatOfEvent = (event: AgentEvent): string | undefined => {
  const payload: unknown = event.payload
  if (!isRecord(payload)) return undefined
  if (typeof payload.chatId === 'string') return payload.chatId
  if (isRecord(payload.chat) && typeof payload.chat.id === 'string') return payload.chat.id
  return undefined
}

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

const matches = (pattern: RegExp | string, text: string): RegExpExecArray | null => {
  if (typeof pattern !== 'string') {
    pattern.lastIndex = 0
    return pattern.exec(text)
  }
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?:^|\\b)${escaped}(?:\\b|$)`, 'iu').exec(text)
}

const isRtmAuth = (auth: BotAuth): auth is RtmBotAuth => 'organizationId' in auth && 'accessToken' in auth

interface PendingAsk {
  resolve(answer: MessageEvent | null): void
}

interface Deadline {
  pause(): void
  resume(): void
}

/**
 * A bot on a transport: `createBot({ auth, transport })`. (Creating the bot's account on
 * the platform is `createBotAccount`, the Configuration API's `create_bot`.)
 */
export const createBot = <S = Record<string, unknown>>(options: BotOptions<S>): Bot<S> => createBotRuntime(options)

const createBotRuntime = <S>(options: BotOptions<S>): Bot<S> => {
  const debug = options.debug ?? isBotDebugEnabled(process.env.RAPPORT_DEBUG)
  const log = options.logger ?? createConsoleLogger({ level: debug ? 'debug' : 'info' })
  const store = options.store ?? createMemoryStateStore<S>()
  const initialState = options.initialState ?? (() => ({}) as S)
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 30_000
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 10_000
  const stack: Array<Middleware<S>> = []
  const errorHandlers: ErrorHandler[] = []
  const seen = boundedSet(options.dedupeMemory ?? 10_000)
  const sentIds = boundedSet(1_000)
  const chats = new Map<string, BotChat>()
  const asks = new Map<string, PendingAsk>()
  const typingOn = new Set<string>()
  /** Postback ids' button texts per chat: the message a `message` button also posts is the click's echo. */
  const buttonTexts = new Map<string, Map<string, string>>()
  const echoes = new Map<string, string[]>()
  const queues = new Map<string, Promise<void>>()
  const running = new Set<Promise<unknown>>()
  const taps = new EventEmitter()
  taps.setMaxListeners(0)
  const stopController = new AbortController()

  let selfId: string | undefined =
    options.botId ?? (options.auth && !isRtmAuth(options.auth) ? options.auth.botId : undefined) ?? (typeof options.transport === 'object' ? options.transport.selfId : undefined)
  let transport: AgentTransport | undefined = typeof options.transport === 'object' ? options.transport : undefined
  let receiver: WebhookReceiver | undefined
  let http: Server | undefined
  let webhookUrl: string | undefined
  let registered: string[] = []
  let unsubscribe: (() => void) | undefined
  let phase: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle'
  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined
  let removeSignals: (() => void) | undefined

  const requireTransport = (): AgentTransport => {
    if (!transport) throw new Error('The bot has no transport yet: call bot.start() first')
    return transport
  }

  const outbox: BotOutbox = createBotOutbox({
    send: (action, payload) => requireTransport().request(action, payload),
    ...(options.throttle && { policy: options.throttle }),
    ...(options.clock?.random && { random: options.clock.random }),
    ...(options.clock?.sleep && { sleep: options.clock.sleep }),
    ...(options.clock?.now && { now: options.clock.now }),
    log,
  })
  const throttled: AgentTransport = {
    kind: 'web',
    request: <A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']) => outbox.request(action, payload, chatOfPayload(action, payload)),
    get events$() {
      return requireTransport().events$
    },
    on: (name, listener) => requireTransport().on(name, listener),
    close: () => requireTransport().close(),
  }
  const api = createAgentMethods(throttled)

  const report = (error: BotError, ctx?: BotContext<S>): void => {
    if (errorHandlers.length === 0) {
      log.error({ code: error.code, chatId: error.chatId, eventType: error.eventType, err: error.cause ?? error }, error.message)
      return
    }
    for (const handler of errorHandlers) {
      try {
        void Promise.resolve(handler(error, ctx as BotContext<never> | undefined)).catch((failure: unknown) =>
          log.error({ err: failure }, 'bot.catch handler failed'),
        )
      } catch (failure) {
        log.error({ err: failure }, 'bot.catch handler failed')
      }
    }
  }

  const chatInfo = (chatId: string): BotChat => {
    let chat = chats.get(chatId)
    if (!chat) {
      chat = { id: chatId, threadId: null, customerId: null }
      chats.set(chatId, chat)
    }
    return chat
  }

  const forgetChat = async (chatId: string): Promise<void> => {
    asks.get(chatId)?.resolve(null)
    asks.delete(chatId)
    chats.delete(chatId)
    typingOn.delete(chatId)
    buttonTexts.delete(chatId)
    echoes.delete(chatId)
    try {
      await store.delete(chatId)
    } catch (error) {
      report(new BotError('STATE_FAILED', 'Deleting the conversation state failed', { chatId, cause: error }))
    }
  }

  // ------------------------------------------------------------------ contexts

  const createContext = (
    event: BotEvent,
    chatId: string,
    state: S,
    deadline: Deadline,
    signal: AbortSignal,
    message?: MessageEvent,
  ): BotContext<S> => {
    const chat = chatInfo(chatId)
    let customer: Promise<AgentCustomer> | undefined
    const postback = event.type === 'incoming_rich_message_postback' ? event.payload.postback : undefined
    const reply = async (content: BotMessage, replyOptions: { visibility?: 'all' | 'agents' } = {}) => {
      if (typeof content === 'object' && content.type === 'rich_message') {
        const texts = buttonTexts.get(chatId) ?? new Map<string, string>()
        for (const element of content.elements) {
          for (const button of element.buttons ?? []) if ((button.type ?? 'message') === 'message') texts.set(button.postbackId, button.value ?? button.text)
        }
        buttonTexts.set(chatId, texts)
      }
      const { event_id: eventId } = await throttled.request('send_event', { chat_id: chatId, event: botMessageToWire(content, replyOptions.visibility) })
      sentIds.add(eventId)
      log.debug({ chatId, eventId, text: describeBotMessage(content) }, 'reply sent')
      // best effort: the chat may have ended with this very reply
      if (typingOn.delete(chatId)) await api.sendTypingIndicator({ chatId, isTyping: false }).catch((error: unknown) => log.debug({ chatId, err: error }, 'typing off failed'))
      return { eventId }
    }
    const ctx: BotContext<S> = {
      event,
      chat,
      message,
      text: message?.text,
      match: null,
      postback,
      state,
      signal,
      log,
      api,
      reply,
      typing: async (isTyping = true) => {
        if (isTyping) typingOn.add(chatId)
        else typingOn.delete(chatId)
        await api.sendTypingIndicator({ chatId, isTyping })
      },
      thinking: async (thinking = {}) => api.sendThinkingIndicator({ chatId, ...thinking }),
      ask: async (question: BotMessage | null, askOptions: AskOptions = {}) => {
        if (phase === 'stopping' || phase === 'stopped') return null
        asks.get(chatId)?.resolve(null)
        let settle: (answer: MessageEvent | null) => void = () => {}
        const answer = new Promise<MessageEvent | null>((resolve) => {
          settle = resolve
        })
        const timer = setTimeout(() => pending.resolve(null), askOptions.timeoutMs ?? 5 * 60_000)
        const pending: PendingAsk = {
          resolve: (value) => {
            clearTimeout(timer)
            if (asks.get(chatId) === pending) asks.delete(chatId)
            settle(value)
          },
        }
        // waiting first, then asking: an answer that comes before the question's response is not lost
        asks.set(chatId, pending)
        try {
          if (question !== null) await reply(question)
        } catch (error) {
          pending.resolve(null)
          throw error
        }
        deadline.pause()
        try {
          return await answer
        } finally {
          deadline.resume()
        }
      },
      handoff: async ({ groupId, message: farewell }) => {
        if (farewell !== undefined) await reply(farewell)
        await api.transferChat({ id: chatId, target: { type: 'group', ids: [groupId] }, ignoreAgentsAvailability: true })
        log.info({ chatId, groupId }, 'chat handed off')
      },
      get customer() {
        customer ??= (async () => {
          const customerId = chat.customerId ?? (await api.getChat({ chatId })).users.find((u) => u.type === 'customer')?.id
          if (!customerId) throw new Error(`Chat ${chatId} has no customer`)
          chat.customerId = customerId
          return api.getCustomer({ id: customerId })
        })()
        return customer
      },
    }
    return ctx
  }

  // ------------------------------------------------------------------ dispatch

  /**
   * The handler's timeout: `pause()`/`resume()` around `ctx.ask` waits, so only the time
   * the handler itself runs counts.
   */
  const createDeadline = () => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let remaining = handlerTimeoutMs
    let armedAt = 0
    let paused = 0
    let done = false
    let onTimeout: () => void = () => {}
    const expired = new Promise<'timeout'>((resolve) => {
      onTimeout = () => resolve('timeout')
    })
    const arm = () => {
      armedAt = Date.now()
      timer = setTimeout(onTimeout, remaining)
    }
    return {
      expired,
      start: arm,
      clear: () => {
        done = true
        clearTimeout(timer)
      },
      pause: () => {
        if (paused++ === 0 && !done) {
          clearTimeout(timer)
          remaining = Math.max(0, remaining - (Date.now() - armedAt))
        }
      },
      resume: () => {
        if (--paused === 0 && !done) arm()
      },
    }
  }

  const runHandlers = (ctx: BotContext<S>, chatId: string, controller: AbortController, deadline: ReturnType<typeof createDeadline>): Promise<void> => {
    let timedOut = false
    const work = compose<S>(stack)(ctx).then(
      async () => {
        try {
          await store.set(chatId, ctx.state)
        } catch (error) {
          report(new BotError('STATE_FAILED', 'Saving the conversation state failed', { chatId, eventType: ctx.event.type, cause: error }), ctx)
        }
        return 'done' as const
      },
      (error: unknown) => {
        report(
          new BotError(timedOut ? 'LATE_HANDLER_FAILED' : 'HANDLER_FAILED', `A handler of ${ctx.event.type} failed: ${error instanceof Error ? error.message : String(error)}`, {
            chatId,
            eventType: ctx.event.type,
            cause: error,
          }),
          ctx,
        )
        return 'failed' as const
      },
    )
    running.add(work)
    void work.finally(() => running.delete(work))
    deadline.start()
    return Promise.race([work, deadline.expired]).then((outcome) => {
      deadline.clear()
      if (outcome !== 'timeout') return
      timedOut = true
      controller.abort(new BotError('HANDLER_TIMEOUT', 'The handler timed out'))
      report(
        new BotError('HANDLER_TIMEOUT', `A handler of ${ctx.event.type} ran longer than ${handlerTimeoutMs} ms`, { chatId, eventType: ctx.event.type }),
        ctx,
      )
    })
  }

  /** Queues one event of a chat: its handlers run after the chat's earlier ones. */
  const dispatch = (chatId: string, event: BotEvent, message?: MessageEvent, after?: () => Promise<void>): void => {
    const task = async (): Promise<void> => {
      const controller = new AbortController()
      const signal = AbortSignal.any([controller.signal, stopController.signal])
      let state: S
      try {
        state = (await store.get(chatId)) ?? initialState()
      } catch (error) {
        report(new BotError('STATE_FAILED', 'Reading the conversation state failed', { chatId, eventType: event.type, cause: error }))
        state = initialState()
      }
      const deadline = createDeadline()
      const ctx = createContext(event, chatId, state, deadline, signal, message)
      log.debug({ chatId, type: event.type, ...(message && { eventId: message.id }) }, 'handling')
      if (message) taps.emit('message', ctx)
      taps.emit('event', ctx)
      await runHandlers(ctx, chatId, controller, deadline)
      if (after) await after()
    }
    const key = chatId
    const next = (queues.get(key) ?? Promise.resolve()).then(task).catch((error: unknown) => {
      report(new BotError('HANDLER_FAILED', 'Dispatch failed', { chatId, eventType: event.type, cause: error }))
    })
    queues.set(key, next)
    void next.finally(() => {
      if (queues.get(key) === next) queues.delete(key)
    })
  }

  const isFromCustomer = (chatId: string, event: MessageEvent): boolean => {
    if (event.authorId === 'system' || event.authorId === selfId) return false
    const customerId = chats.get(chatId)?.customerId
    return customerId === null || customerId === undefined || customerId === event.authorId
  }

  /** A customer's message: the answer of a pending `ask`, the echo of a button click, or handled. */
  const routeMessage = (chatId: string, threadId: string | null, message: MessageEvent): void => {
    const pending = asks.get(chatId)
    if (pending) {
      log.debug({ chatId, eventId: message.id }, 'answer to ask')
      pending.resolve(message)
      return
    }
    const expected = echoes.get(chatId)
    const echo = expected?.indexOf(message.text) ?? -1
    if (expected && echo >= 0) {
      expected.splice(echo, 1)
      log.debug({ chatId, eventId: message.id }, 'message of a button click: handled by its postback')
      return
    }
    const event: BotEventOf<'incoming_event'> = { type: 'incoming_event', payload: { chatId, event: { ...message, threadId: message.threadId ?? threadId }, visibility: 'all' } }
    dispatch(chatId, event, message)
  }

  const accept = (event: AgentEvent): void => {
    if (event.type === 'connected') {
      selfId = event.payload.myProfile.id
      return
    }
    if (event.type === 'disconnected' || event.type === 'connection_unstable' || event.type === 'connection_recovered') {
      log.debug({ type: event.type }, 'connection')
      return
    }
    if (phase === 'stopping' || phase === 'stopped') {
      log.debug({ type: event.type, chatId: chatOfEvent(event) }, 'event dropped: the bot is stopping')
      return
    }
    switch (event.type) {
      case 'incoming_chat': {
        const { chat } = event.payload
        const key = `chat:${chat.id}:${chat.thread?.id ?? ''}`
        if (seen.has(key)) return
        seen.add(key)
        const info = chatInfo(chat.id)
        info.threadId = chat.thread?.id ?? null
        info.customerId = chat.users.find((u) => u.type === 'customer')?.id ?? null
        dispatch(chat.id, event)
        // the customer's messages since the last word of an agent: each handled as a message
        const events = chat.thread?.events ?? []
        let from = 0
        events.forEach((e, i) => {
          if ((e.type === 'message' || e.type === 'rich_message') && e.authorId !== info.customerId && e.authorId !== 'system') from = i + 1
        })
        for (const e of events.slice(from)) {
          if (seen.has(`event:${e.id}`)) continue
          seen.add(`event:${e.id}`)
          if (e.type === 'message' && isFromCustomer(chat.id, e)) routeMessage(chat.id, info.threadId, e)
        }
        return
      }
      case 'incoming_event': {
        const { chatId, event: chatEvent } = event.payload
        const key = `event:${chatEvent.id}`
        if (seen.has(key)) return
        seen.add(key)
        if (sentIds.has(chatEvent.id) && selfId === undefined) selfId = chatEvent.authorId
        if (sentIds.has(chatEvent.id) || chatEvent.authorId === selfId) return
        if (chatEvent.threadId) chatInfo(chatId).threadId = chatEvent.threadId
        if (chatEvent.type === 'message' && isFromCustomer(chatId, chatEvent)) routeMessage(chatId, chatEvent.threadId, chatEvent)
        else dispatch(chatId, event)
        return
      }
      case 'incoming_rich_message_postback': {
        const { chatId, eventId, userId, postback } = event.payload
        if (userId === selfId) return
        const key = `postback:${chatId}:${eventId}:${postback.id}:${postback.toggled}`
        if (seen.has(key)) return
        seen.add(key)
        const text = buttonTexts.get(chatId)?.get(postback.id)
        if (text !== undefined) echoes.set(chatId, [...(echoes.get(chatId) ?? []), text])
        dispatch(chatId, event)
        return
      }
      case 'chat_deactivated':
        dispatch(event.payload.chatId, event, undefined, () => forgetChat(event.payload.chatId))
        return
      case 'user_removed_from_chat':
        dispatch(event.payload.chatId, event, undefined, event.payload.userId === selfId ? () => forgetChat(event.payload.chatId) : undefined)
        return
      default: {
        const chatId = chatOfEvent(event) ?? ''
        dispatch(chatId, event)
      }
    }
  }

  // ------------------------------------------------------------------ lifecycle

  const listenWebhooks = async (webhooks: BotWebhookOptions, listener: WebhookReceiver['listener']): Promise<string> => {
    const host = webhooks.listen?.host ?? '127.0.0.1'
    const path = webhooks.listen?.path ?? '/webhooks'
    const server = createServer((req, res) => {
      if ((req.url ?? '/').split('?')[0] !== path) {
        res.writeHead(404).end()
        return
      }
      listener(req, res)
    })
    http = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(webhooks.listen?.port ?? 0, host, () => resolve())
    })
    const { port } = server.address() as AddressInfo
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`
  }

  const listen = (opened: AgentTransport): void => {
    if (unsubscribe) return
    const subscription = opened.events$.subscribe({ next: accept })
    unsubscribe = () => subscription.unsubscribe()
  }

  const openTransport = async (): Promise<AgentTransport> => {
    if (transport) {
      listen(transport)
      return transport
    }
    const auth = options.auth
    if (!auth) throw new TypeError(`createBot: transport '${String(options.transport)}' needs auth`)
    if (options.transport === 'rtm') {
      if (!isRtmAuth(auth)) throw new TypeError("createBot: transport 'rtm' needs auth { organizationId, accessToken }")
      const client = createAgentRtmClient({
        organizationId: auth.organizationId,
        accessToken: auth.accessToken,
        ...(auth.serverUrl !== undefined && { serverUrl: auth.serverUrl }),
        ...(options.routingStatus !== false && { routingStatus: options.routingStatus ?? 'accepting_chats' }),
        ...(options.connection && { connection: options.connection }),
      })
      transport = client.transport
      // listening before the login completes: no push of the first moments is missed
      listen(client.transport)
      // connected, or refused for good (a wrong token: `disconnected`)
      await new Promise<void>((resolve, reject) => {
        const off = client.on('disconnected', ({ reason }) => {
          off()
          reject(new Error(`The bot could not connect: ${reason}`))
        })
        void client.rtm.whenStatus('connected').then(() => {
          off()
          resolve()
        })
      })
      selfId = client.rtm.profile?.id ?? selfId
      return client.transport
    }
    if (isRtmAuth(auth)) throw new TypeError("createBot: transport 'webhooks' needs auth { token, baseUrl }")
    const webhooks = options.webhooks
    if (!webhooks) throw new TypeError("createBot: transport 'webhooks' needs webhooks { secretKey }")
    const client = createAgentWebClient({ token: auth.token, ...(auth.baseUrl !== undefined && { baseUrl: auth.baseUrl }) })
    transport = client.transport
    listen(client.transport)
    receiver = client.createWebhookReceiver({
      secretKey: webhooks.secretKey,
      onError: (error) => report(new BotError('TRANSPORT_FAILED', 'A webhook delivery failed', { cause: error })),
    })
    if (webhooks.listen || webhooks.register) webhookUrl = await listenWebhooks(webhooks, receiver.listener)
    const registration = webhooks.register
    if (registration) {
      const url = registration.url ?? webhookUrl
      if (!url) throw new TypeError('createBot: no URL to register the webhooks with')
      for (const action of registration.actions ?? DEFAULT_WEBHOOK_ACTIONS) {
        const { id } = await registerWebhook(registration.config, {
          action,
          secret_key: webhooks.secretKey,
          url,
          type: 'bot',
          owner_client_id: registration.ownerClientId,
        })
        registered.push(id)
      }
    }
    return client.transport
  }

  const installSignals = (): void => {
    if (options.handleSignals === false) return
    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'stopping')
      removeSignals?.()
      void stop().finally(() => {
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
      })
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    removeSignals = () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      removeSignals = undefined
    }
  }

  const start = (): Promise<void> => {
    starting ??= (async () => {
      phase = 'starting'
      const opened = await openTransport()
      if (opened.kind === 'web' && options.routingStatus !== false) await api.setRoutingStatus(options.routingStatus ?? 'accepting_chats')
      installSignals()
      phase = 'running'
      log.info({ transport: opened.kind, botId: selfId, webhookUrl }, 'bot started')
    })()
    return starting
  }

  const idle = async (): Promise<void> => {
    while (queues.size > 0 || running.size > 0 || outbox.size > 0) {
      await Promise.allSettled([...queues.values(), ...running])
      await outbox.flush()
    }
  }

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (starting) await starting.catch(() => {})
      phase = 'stopping'
      removeSignals?.()
      // no new chats
      if (transport && options.routingStatus !== false) {
        await api.setRoutingStatus('not_accepting_chats').catch((error: unknown) => log.warn({ err: error }, 'could not stop accepting chats'))
      }
      // nobody will answer a question now
      for (const pending of [...asks.values()]) pending.resolve(null)
      stopController.abort(new Error('The bot is stopping'))
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, shutdownTimeoutMs, 'timeout').unref())
      if ((await Promise.race([idle().then(() => 'idle' as const), timeout])) === 'timeout') {
        log.warn({ running: running.size, queued: queues.size, outbox: outbox.size }, 'stopped before every handler finished')
      }
      unsubscribe?.()
      if (registered.length > 0 && options.webhooks?.register) {
        const { config, ownerClientId } = options.webhooks.register
        for (const id of registered) await unregisterWebhook(config, id, ownerClientId).catch((error: unknown) => log.warn({ err: error }, 'could not unregister a webhook'))
        registered = []
      }
      if (http) {
        const server = http
        await new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
      }
      transport?.close()
      phase = 'stopped'
      taps.emit('stop')
      log.info({}, 'bot stopped')
    })()
    return stopping
  }

  const iterate = <C>(name: 'message' | 'event', keep: (ctx: BotContext<S>) => boolean): AsyncIterableIterator<C> => {
    const source = eventsOn(taps, name, { signal: stopController.signal })
    const iterator = (async function* () {
      try {
        for await (const [ctx] of source) {
          if (keep(ctx as BotContext<S>)) yield ctx as C
        }
      } catch (error) {
        if (!(error instanceof Error && error.name === 'AbortError')) throw error
      }
    })()
    return iterator
  }

  const bot: Bot<S> = {
    get id() {
      return selfId
    },
    get transport() {
      return requireTransport()
    },
    api,
    get webhookReceiver() {
      return receiver
    },
    get webhookUrl() {
      return webhookUrl
    },
    log,
    use(middleware) {
      stack.push(middleware)
      return this
    },
    on(type, handler) {
      const types: readonly BotEventName[] = typeof type === 'string' ? [type] : type
      stack.push((ctx, next) => (types.includes(ctx.event.type as BotEventName) ? handler(ctx as never, next) : next()))
      return this
    },
    message(patternOrHandler: unknown, maybeHandler?: unknown) {
      const handler = (typeof patternOrHandler === 'function' ? patternOrHandler : maybeHandler) as Middleware<S, MessageContext<S>>
      const patterns = typeof patternOrHandler === 'function' ? null : ([] as Array<RegExp | string>).concat(patternOrHandler as RegExp | string | Array<RegExp | string>)
      stack.push((ctx, next) => {
        if (ctx.message === undefined || ctx.text === undefined) return next()
        if (patterns === null) return handler(ctx as MessageContext<S>, next)
        for (const pattern of patterns) {
          const match = matches(pattern, ctx.text)
          if (match) {
            ctx.match = match
            return handler(ctx as MessageContext<S>, next)
          }
        }
        return next()
      })
      return this
    },
    postback(id, handler) {
      stack.push((ctx, next) => {
        const postback = ctx.postback
        if (postback === undefined) return next()
        if (typeof id === 'string' ? postback.id !== id : !(ctx.match = (id.lastIndex = 0, id.exec(postback.id)))) return next()
        return handler(ctx as PostbackContext<S>, next)
      })
      return this
    },
    catch(handler) {
      errorHandlers.push(handler)
      return this
    },
    messages: () => iterate<MessageContext<S>>('message', () => true),
    events: (...types) => iterate('event', (ctx) => types.length === 0 || types.includes(ctx.event.type as never)),
    start,
    stop,
    handle: accept,
    idle,
  }
  return bot
}
