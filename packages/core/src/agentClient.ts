import {
  type AgentAction,
  type WireEvent,
  createRequestId,
  parseEvent,
  serializeOutgoingEvent,
  type ChatEvent,
  type CustomerEvent,
  type CustomerEventMap,
  type CustomerEventName,
  type Properties,
  type Recipients,
  type WireChat,
  agentRtmUrl,
  isObject,
  parseChat,
  parsePush,
  policyForAgentReason,
  resolveEndpoints,
} from '@rapport/protocol'
import { type Observable, Subject } from 'rxjs'
import { createActor, fromPromise } from 'xstate'
import { ChatError } from './chatError'
import { type ConnectionStatus, connectionMachine, statusOf, waitForStatus } from './connection/connectionMachine'
import { createHeartbeatLogic } from './connection/heartbeat'
import { createSocketLogic } from './connection/socketActor'
import { listen } from './events'
import { Outbox } from './outbox'
import { type ConnectionPolicy, type RetryPolicy, resolvePolicy } from './defaults'
import { type Env, createDefaultEnv } from './env'
import { RtmClient } from './transport/rtmClient'
import { Transport } from './transport/transport'

export interface AgentClientConfig {
  organizationId: string
  /** The agent's (or bot's) access token, without the `Bearer ` prefix. */
  accessToken: string | (() => Promise<string>)
  /** Origin of the server (the local server); the platform's API host by default. */
  serverUrl?: string
  region?: string
  /** Routing status set right after each login. */
  routingStatus?: 'accepting_chats' | 'not_accepting_chats' | 'offline'
  connection?: Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> }
  environment?: Env
}

export interface AgentProfile {
  id: string
  name: string
  type: string
}

export interface AgentClient {
  readonly events$: Observable<CustomerEvent>
  readonly status: ConnectionStatus
  /** The profile from the last login. */
  readonly profile: AgentProfile | null
  whenStatus(status: ConnectionStatus): Promise<void>
  on<K extends CustomerEventName>(name: K, listener: (payload: CustomerEventMap[K]) => void): () => void
  connect(): void
  disconnect(): void
  destroy(): void
  setRoutingStatus(status: 'accepting_chats' | 'not_accepting_chats' | 'offline'): Promise<void>
  sendEvent(params: { chatId: string; event: { type: 'message'; text: string; customId?: string; properties?: Properties }; visibility?: Recipients }): Promise<{ eventId: string }>
  sendTypingIndicator(params: { chatId: string; isTyping: boolean }): Promise<void>
  getChat(params: { chatId: string; threadId?: string }): ReturnType<typeof parseChat> extends infer C ? Promise<C> : never
  deactivateChat(params: { id: string }): Promise<void>
  request(action: AgentAction, payload?: object): Promise<unknown>
}

/**
 * An agent (or bot) on the Agent Chat API RTM, sharing the connection machine with the
 * customer client and reading the agent reason table. The local server lets bots use
 * RTM; the real platform wants bots on its Web API (agent-rtm §0).
 */
export const createAgentClient = (config: AgentClientConfig): AgentClient => {
  const env = config.environment ?? createDefaultEnv()
  const policy = resolvePolicy(config.connection)
  const transport = new Transport()
  const rtm = new RtmClient(transport, { clock: env.clock, random: () => env.random() })
  const events = new Subject<CustomerEvent>()
  let profile: AgentProfile | null = null
  let destroyed = false

  const urlFor = (region?: string) =>
    agentRtmUrl(
      resolveEndpoints({
        organizationId: config.organizationId,
        ...((region ?? config.region) !== undefined && { region: region ?? config.region }),
        ...(config.serverUrl !== undefined && { serverUrl: config.serverUrl }),
      }),
      config.organizationId,
    )

  const machine = connectionMachine.provide({
    actors: {
      token: fromPromise(async () => ({
        token: `Bearer ${typeof config.accessToken === 'string' ? config.accessToken : await config.accessToken()}`,
      })),
      socket: createSocketLogic(env, transport, urlFor),
      login: fromPromise<unknown, { token: string }>(async ({ input }) => {
        const result = await rtm.request('login', { token: input.token, reconnect: true, application: { name: 'rapport_agent', version: '0.1.0' } }, { timeoutMs: policy.loginTimeoutMs })
        const me = (result.payload as { my_profile?: { id: string; name: string; type: string } }).my_profile
        if (me) profile = { id: me.id, name: me.name, type: me.type }
        if (config.routingStatus) await rtm.request('set_routing_status', { status: config.routingStatus })
        return result.payload
      }),
      heartbeat: createHeartbeatLogic({
        activity$: rtm.frames$,
        sendPing: () => void rtm.request('ping', {}).catch(() => {}),
        clock: env.clock,
        now: () => env.now(),
      }),
    },
  })
  const actor = createActor(machine, {
    clock: env.clock,
    input: { policy, env: { now: () => env.now(), random: () => env.random() }, autoConnect: true, reasonPolicy: policyForAgentReason },
  })
  const emitted = [
    actor.on('connected', () => {
      events.next({ type: 'connected', payload: undefined as never })
      void catchUp()
    }),
    actor.on('disconnected', (e) => events.next({ type: 'disconnected', payload: { reason: e.reason, ...(e.data && { data: e.data }) } })),
    actor.on('connection_unstable', () => events.next({ type: 'connection_unstable', payload: undefined })),
    actor.on('connection_recovered', () => events.next({ type: 'connection_recovered', payload: undefined })),
  ]
  const pushes = rtm.pushes$.subscribe((push) => {
    if (push.action === 'agent_disconnected') {
      const p = push.payload as { reason?: unknown; data?: unknown }
      actor.send({ type: 'server.disconnected', reason: typeof p.reason === 'string' ? p.reason : 'internal_error', ...(isObject(p.data) && { data: p.data }) })
      return
    }
    try {
      for (const event of parsePush(push.action, push.payload)) publish(event)
    } catch {
      // malformed push: dropped
    }
  })

  /**
   * What the bot has seen, to catch up after a reconnect and never emit an event twice:
   * the newest event time per chat, and the ids of recent events (bounded).
   */
  const newestAt = new Map<string, string>()
  const recent = new Set<string>()
  const remember = (chatId: string, event: ChatEvent): void => {
    recent.add(event.id)
    if (recent.size > 10_000) recent.delete(recent.values().next().value as string)
    if ((newestAt.get(chatId) ?? '') < event.createdAt) newestAt.set(chatId, event.createdAt)
  }
  const publish = (event: CustomerEvent): void => {
    if (event.type === 'incoming_event') {
      if (recent.has(event.payload.event.id)) return
      remember(event.payload.chatId, event.payload.event)
    } else if (event.type === 'incoming_chat') {
      for (const e of event.payload.chat.thread?.events ?? []) remember(event.payload.chat.id, e)
    } else if (event.type === 'chat_deactivated') {
      newestAt.delete(event.payload.chatId) // nothing more can happen there until it is resumed
    }
    events.next(event)
  }
  /**
   * A bot's messages wait while it is offline and leave in order once it is back, resent
   * with the same custom id after an ambiguous failure (the server deduplicates).
   */
  const visibilities = new Map<string, Recipients>()
  let caughtUp = false
  const outbox = new Outbox({
    canSend: () => caughtUp && !destroyed && actor.getSnapshot().hasTag('canSend'),
    now: () => env.now(),
    transmit: async (entry) => {
      const result = await rtm.request('send_event', {
        chat_id: entry.chatId,
        event: { ...serializeOutgoingEvent(entry.event), visibility: visibilities.get(entry.event.customId) ?? 'all' },
      })
      // `send_event` is indirect: the requester's `incoming_event` push (with our request id)
      // usually settles it; a plain response only has `event_id`
      const answer = result.payload as { event_id?: string; thread_id?: string; event?: WireEvent }
      const event = answer.event ? parseEvent(answer.event, answer.thread_id ?? null) : null
      if (event) return event
      return { id: String(answer.event_id), type: 'message', text: '', authorId: profile?.id ?? '', createdAt: '', threadId: null, properties: {} }
    },
  })

  /** After a reconnect: emit, once and in order, the events of known chats the bot missed; then send what waited. */
  const catchUp = async (): Promise<void> => {
    caughtUp = false
    await catchUpEvents()
    if (destroyed || !actor.getSnapshot().hasTag('canSend')) return
    caughtUp = true
    outbox.pump()
  }
  const catchUpEvents = async (): Promise<void> => {
    for (const [chatId, since] of [...newestAt]) {
      try {
        const chat = parseChat((await send('get_chat', { chat_id: chatId })) as WireChat)
        for (const event of chat.thread?.events ?? []) {
          if (event.createdAt >= since && !recent.has(event.id)) publish({ type: 'incoming_event', payload: { chatId, event } })
        }
      } catch {
        return // dropped again: the next session catches up
      }
    }
  }

  const send = async (action: AgentAction, payload: object = {}) => {
    if (destroyed) throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
    if (!actor.getSnapshot().hasTag('canSend')) throw new ChatError('NO_CONNECTION', `Cannot send "${action}": not connected`)
    return (await rtm.request(action, payload)).payload
  }

  const client: AgentClient = {
    events$: events.asObservable(),
    get status() {
      return statusOf(actor.getSnapshot())
    },
    get profile() {
      return profile
    },
    whenStatus: (status) => waitForStatus(actor, status),
    on: (name, listener) => listen(events, name, listener),
    connect: () => actor.send({ type: 'connect' }),
    disconnect: () => actor.send({ type: 'disconnect' }),
    destroy: () => {
      if (destroyed) return
      destroyed = true
      outbox.close('SDK_DESTROYED')
      rtm.dispose('SDK_DESTROYED')
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'destroy' })
      for (const subscription of emitted) subscription.unsubscribe()
      pushes.unsubscribe()
      actor.stop()
      transport.dispose()
      events.complete()
    },
    setRoutingStatus: async (status) => void (await send('set_routing_status', { status })),
    sendEvent: async ({ chatId, event, visibility = 'all' }) => {
      if (destroyed) throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
      const customId = event.customId ?? `rapport_${createRequestId(() => env.random(), 16)}`
      visibilities.set(customId, visibility)
      try {
        const sent = await outbox.enqueue(chatId, { ...event, customId })
        return { eventId: sent.id }
      } finally {
        visibilities.delete(customId)
      }
    },
    sendTypingIndicator: async ({ chatId, isTyping }) => void (await send('send_typing_indicator', { chat_id: chatId, is_typing: isTyping })),
    getChat: async ({ chatId, threadId }) => parseChat((await send('get_chat', { chat_id: chatId, ...(threadId !== undefined && { thread_id: threadId }) })) as WireChat),
    deactivateChat: async ({ id }) => void (await send('deactivate_chat', { id })),
    request: (action, payload = {}) => send(action, payload),
  }
  actor.start()
  return client
}
