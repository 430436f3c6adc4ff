import {
  type AgentActionMap,
  type AgentConnectedPayload,
  type AgentEvent,
  type AgentEventMap,
  type AgentEventName,
  type Chat,
  type ChatEvent,
  type Properties,
  type Recipients,
  agentRtmUrl,
  createRequestId,
  parseAgentLogin,
  parseAgentPushChecked,
  parseChat,
  policyForAgentReason,
  resolveEndpoints,
  serializeOutgoingEvent,
} from '@rapport/protocol'
import type { Observable } from 'rxjs'
import { ChatError } from './chatError'
import type { Diagnostic } from './diagnostics'
import type { ConnectionStatus } from './connection/connectionMachine'
import { transmitEvent } from './customerMethods'
import { type ConnectionPolicy, type RetryPolicy, resolvePolicy } from './defaults'
import { type Env, createDefaultEnv } from './env'
import { createEmitter } from './events'
import type { ExternalStore } from './externalStore'
import { Outbox } from './outbox'
import { type ConnectionSnapshot, createSession } from './session'
import type { ResultOf } from './transport/rtmClient'

export type RoutingStatus = 'accepting_chats' | 'not_accepting_chats' | 'offline'

export interface AgentClientConfig {
  organizationId: string
  /** The agent's (or bot's) access token, without the `Bearer ` prefix. */
  accessToken: string | (() => Promise<string>)
  /** Origin of the server (the local server); the platform's API host by default. */
  serverUrl?: string
  region?: string
  /** Routing status set right after each login. */
  routingStatus?: RoutingStatus
  connection?: Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> }
  environment?: Env
}

export interface AgentProfile {
  id: string
  name: string
  type: string
}

export interface AgentClient {
  /** Every agent push as a typed event, plus the connection events; each event once. */
  readonly events$: Observable<AgentEvent>
  /** What the client dropped instead of acting on (invalid pushes, undecodable frames): for debugging. */
  readonly diagnostics$: Observable<Diagnostic>
  readonly connection: ExternalStore<ConnectionSnapshot>
  /** Shorthand for `connection.getSnapshot().status`. */
  readonly status: ConnectionStatus
  /** The profile from the last login. */
  readonly profile: AgentProfile | null
  whenStatus(status: ConnectionStatus): Promise<void>
  on<K extends AgentEventName>(name: K, listener: (payload: AgentEventMap[K]) => void): () => void
  connect(): void
  disconnect(): void
  destroy(): void
  setRoutingStatus(status: RoutingStatus): Promise<void>
  /** Sends in order through the outbox (waits while offline); resolves with the event as stored. */
  sendEvent(params: { chatId: string; event: { type: 'message'; text: string; customId?: string; properties?: Properties }; visibility?: Recipients }): Promise<ChatEvent>
  sendTypingIndicator(params: { chatId: string; isTyping: boolean }): Promise<void>
  getChat(params: { chatId: string; threadId?: string }): Promise<Chat>
  deactivateChat(params: { id: string }): Promise<void>
  /** Sends any agent action, typed by the protocol's action map; resolves with the answer's wire payload. */
  request<A extends keyof AgentActionMap>(action: A, payload: AgentActionMap[A]['request']): Promise<ResultOf<AgentActionMap, A>['payload']>
}

/**
 * An agent (or bot) on the Agent Chat API RTM: the same session runtime as the customer
 * client with the agent reason table, agent pushes parsed as `AgentEvent`s. The local
 * server lets bots use RTM; the real platform wants bots on its Web API (agent-rtm §0).
 */
export const createAgentClient = (config: AgentClientConfig): AgentClient => {
  const env = config.environment ?? createDefaultEnv()
  const policy = resolvePolicy(config.connection)
  const events = createEmitter<AgentEventMap>()

  const session = createSession<AgentActionMap, AgentConnectedPayload>({
    env,
    policy,
    autoConnect: true,
    ...(config.region !== undefined && { region: config.region }),
    reasonPolicy: policyForAgentReason,
    disconnectPush: 'agent_disconnected',
    urlFor: (region) =>
      agentRtmUrl(
        resolveEndpoints({
          organizationId: config.organizationId,
          ...((region ?? config.region) !== undefined && { region: region ?? config.region }),
          ...(config.serverUrl !== undefined && { serverUrl: config.serverUrl }),
        }),
        config.organizationId,
      ),
    getToken: async () => ({ token: `Bearer ${typeof config.accessToken === 'string' ? config.accessToken : await config.accessToken()}` }),
    login: async (token, rtm) => {
      const result = await rtm.request('login', { token, reconnect: true, application: { name: 'rapport_agent', version: '0.1.0' } }, { timeoutMs: policy.loginTimeoutMs })
      const login = parseAgentLogin(result.payload)
      if (config.routingStatus) await rtm.request('set_routing_status', { status: config.routingStatus })
      return login
    },
    onEmitted: (event) => {
      switch (event.type) {
        case 'connected':
          events.emit({ type: 'connected', payload: event.login })
          void catchUp()
          return
        case 'disconnected':
          events.emit({ type: 'disconnected', payload: { reason: event.reason, ...(event.data && { data: event.data }) } })
          return
        case 'connection_unstable':
        case 'connection_recovered':
          events.emit({ type: event.type, payload: undefined })
          return
        default:
          return // customer identity events do not happen on the agent side
      }
    },
    onTerminal: () => client.destroy(),
  })

  /**
   * What the bot has seen, to catch up after a reconnect and never emit an event twice
   * (inbound deduplication: an agent client keeps no chat state): the newest event time
   * per chat, and the ids of recent events (bounded).
   */
  const newestAt = new Map<string, string>()
  const recent = new Set<string>()
  const remember = (chatId: string, event: ChatEvent): void => {
    recent.add(event.id)
    if (recent.size > 10_000) {
      const oldest = recent.values().next()
      if (!oldest.done) recent.delete(oldest.value)
    }
    if ((newestAt.get(chatId) ?? '') < event.createdAt) newestAt.set(chatId, event.createdAt)
  }
  const publish = (event: AgentEvent): void => {
    if (event.type === 'incoming_event') {
      if (recent.has(event.payload.event.id)) return
      remember(event.payload.chatId, event.payload.event)
    } else if (event.type === 'incoming_chat') {
      for (const e of event.payload.chat.thread?.events ?? []) remember(event.payload.chat.id, e)
    } else if (event.type === 'chat_deactivated') {
      newestAt.delete(event.payload.chatId) // nothing more can happen there until it is resumed
    }
    events.emit(event)
  }
  const stopInbound = session.onPush((push) => {
    // a push that does not fit its documented shape is dropped and reported, never emitted
    const parsed = parseAgentPushChecked(push.action, push.payload)
    if (parsed.ok) for (const event of parsed.events) publish(event)
    else session.report({ type: 'invalid_push', action: push.action, reason: parsed.reason })
  })
  session.own(stopInbound)

  const getChat = async ({ chatId, threadId }: { chatId: string; threadId?: string }): Promise<Chat> =>
    parseChat((await session.request('get_chat', { chat_id: chatId, ...(threadId !== undefined && { thread_id: threadId }) })).payload)

  /**
   * A bot's messages wait while it is offline and leave in order once it is back, resent
   * with the same custom id after an ambiguous failure (the server deduplicates).
   */
  const visibilities = new Map<string, Recipients>()
  let caughtUp = false
  const outbox = new Outbox({
    canSend: () => caughtUp && session.canSend(),
    now: () => env.now(),
    transmit: (entry) =>
      transmitEvent(
        (payload) =>
          session.request('send_event', {
            ...payload,
            event: { ...serializeOutgoingEvent(entry.event), visibility: visibilities.get(entry.event.customId) ?? 'all' },
          }),
        getChat,
        entry,
      ),
  })

  /** After a reconnect: emit, once and in order, the events of known chats the bot missed; then send what waited. */
  const catchUp = async (): Promise<void> => {
    caughtUp = false
    const ready = await session.settle(async () => {
      for (const [chatId, since] of [...newestAt]) {
        const chat = await getChat({ chatId })
        for (const event of chat.thread?.events ?? []) {
          if (event.createdAt >= since && !recent.has(event.id)) publish({ type: 'incoming_event', payload: { chatId, event, visibility: 'all' } })
        }
      }
    })
    if (!ready) return
    caughtUp = true
    outbox.pump()
  }

  const client: AgentClient = {
    events$: events.events$,
    diagnostics$: session.diagnostics$,
    connection: session.connection,
    get status() {
      return session.connection.getSnapshot().status
    },
    get profile() {
      const me = session.login?.myProfile
      return me ? { id: me.id, name: me.name, type: me.type } : null
    },
    whenStatus: session.whenStatus,
    on: events.on,
    connect: session.connect,
    disconnect: session.disconnect,
    destroy: () => {
      if (session.destroyed) return
      outbox.close('SDK_DESTROYED')
      session.destroy()
      events.complete()
    },
    setRoutingStatus: async (status) => void (await session.request('set_routing_status', { status })),
    sendEvent: async ({ chatId, event, visibility = 'all' }) => {
      if (session.destroyed) throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
      const customId = event.customId ?? `rapport_${createRequestId(() => env.random(), 16)}`
      visibilities.set(customId, visibility)
      try {
        return await outbox.enqueue(chatId, { ...event, customId })
      } finally {
        visibilities.delete(customId)
      }
    },
    sendTypingIndicator: async ({ chatId, isTyping }) => void (await session.request('send_typing_indicator', { chat_id: chatId, is_typing: isTyping })),
    getChat,
    deactivateChat: async ({ id }) => void (await session.request('deactivate_chat', { id })),
    request: async (action, payload) => (await session.request(action, payload)).payload,
  }
  session.start()
  return client
}
