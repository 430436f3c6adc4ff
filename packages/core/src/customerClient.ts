import {
  type ConnectedPayload,
  type CustomerEvent,
  type CustomerEventMap,
  type CustomerEventName,
  type LoginChat,
  type Region,
  type WireLoginRequest,
  type WireLoginResponse,
  customerPushSubscription,
  createRequestId,
  customerRtmUrl,
  isObject,
  parseLogin,
  parsePush,
  resolveEndpoints,
  serializeSessionFields,
} from '@rapport/protocol'
import { Observable, Subject, firstValueFrom } from 'rxjs'
import { type Actor, createActor, fromPromise } from 'xstate'
import { type CustomerAuth, createCookieAuth } from './auth/customerAuth'
import { ChatError } from './chatError'
import {
  type ConnectionEmitted,
  type ConnectionStatus,
  type TokenOutput,
  connectionMachine,
  statusOf,
  waitForStatus,
} from './connection/connectionMachine'
import { createHeartbeatLogic } from './connection/heartbeat'
import { createSocketLogic } from './connection/socketActor'
import { listen, payloadsOf } from './events'
import { type CustomerMethods, createCustomerMethods, transmitEvent } from './customerMethods'
import { Outbox } from './outbox'
import { recoverChats } from './recovery'
import { type ConnectionPolicy, type RetryPolicy, resolvePolicy } from './defaults'
import { type Env, createDefaultEnv } from './env'
import type { ExternalStore } from './externalStore'
import type { ChatState } from './state/chatReducer'
import { type ChatStore, createChatStore } from './state/chatStore'
import { type RtmResult, RtmClient } from './transport/rtmClient'
import { Transport } from './transport/transport'

export const SDK_VERSION = '0.1.0'

export interface CustomerData {
  name?: string
  email?: string
  avatar?: string
  sessionFields?: Record<string, string>
}

export interface CustomerClientConfig {
  organizationId: string
  clientId: string
  autoConnect?: boolean
  groupId?: number
  uniqueGroups?: boolean
  region?: Region
  /** `production` (default), `labs`, `staging`: the platform environment. */
  env?: string
  /** Origin of a server speaking the Customer Chat API instead of the platform (e.g. the local server). */
  serverUrl?: string
  redirectUri?: string
  customerDataProvider?: () => CustomerData
  identityProvider?: () => CustomerAuth
  page?: { url?: string; title?: string }
  referrer?: string
  tabId?: string
  /** Connection timings and retry figures. */
  connection?: Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> }
  /** I/O: time, sockets, HTTP, storage. Defaults to the real ones. */
  environment?: Env
}

export interface CustomerClient extends ExternalStore<ChatState>, CustomerMethods {
  readonly auth: CustomerAuth
  /** Every SDK event, typed. */
  readonly events$: Observable<CustomerEvent>
  /** The chat state: the current value first, then each change. */
  readonly state$: Observable<ChatState>
  readonly store: ChatStore
  readonly status: ConnectionStatus
  getState(): ChatState
  /** Resolves once the connection is in `status` (at once if it already is). */
  whenStatus(status: ConnectionStatus): Promise<void>
  on<K extends CustomerEventName>(name: K, listener: (payload: CustomerEventMap[K]) => void): () => void
  connect(): void
  disconnect(): void
  destroy(): void
}

/**
 * The customer engine: owns the connection machine, the RTM client and the chat store,
 * and exposes the documented methods as promises. Adapters wrap it; they add no logic.
 */
export const createCustomerClient = (config: CustomerClientConfig): CustomerClient => {
  if (typeof config.organizationId !== 'string' || config.organizationId.length === 0)
    throw new ChatError('VALIDATION', '`organizationId` must be a non-empty string')
  if (typeof config.clientId !== 'string' || config.clientId.length === 0)
    throw new ChatError('VALIDATION', '`clientId` must be a non-empty string')

  if (config.uniqueGroups && typeof config.groupId !== 'number')
    throw new ChatError('VALIDATION', '`groupId` is required when `uniqueGroups` is true')
  const env = config.environment ?? createDefaultEnv()
  const policy = resolvePolicy(config.connection)
  const endpoints = (region?: string) =>
    resolveEndpoints({
      organizationId: config.organizationId,
      ...(region !== undefined && { region }),
      ...(config.env !== undefined && { env: config.env }),
      ...(config.serverUrl !== undefined && { serverUrl: config.serverUrl }),
    })
  const auth =
    config.identityProvider?.() ??
    createCookieAuth(env, {
      organizationId: config.organizationId,
      clientId: config.clientId,
      endpoints: endpoints(config.region),
      ...(config.uniqueGroups !== undefined && { uniqueGroups: config.uniqueGroups }),
      ...(config.groupId !== undefined && { groupId: config.groupId }),
      ...(config.redirectUri !== undefined && { redirectUri: config.redirectUri }),
    })
  const sideStorageKey = `side_storage_${config.organizationId}${config.uniqueGroups ? `:${config.groupId ?? 0}` : ''}`

  const transport = new Transport()
  const rtm = new RtmClient(transport, { clock: env.clock, random: () => env.random() })
  const store = createChatStore()
  const eventsSubject = new Subject<CustomerEvent>()
  const disposers = new Set<() => void>()
  const pageRef: { current?: { url?: string; title?: string } } = config.page ? { current: { ...config.page } } : {}
  let destroyed = false

  const emit = (events: CustomerEvent[]): void => {
    if (events.length === 0) return
    store.dispatch(events)
    for (const event of events) eventsSubject.next(event)
  }

  const readSideStorage = (): Record<string, string> => {
    try {
      const raw = env.storage.getItem(sideStorageKey)
      const value: unknown = raw ? JSON.parse(raw) : {}
      return isObject(value) ? (value as Record<string, string>) : {}
    } catch {
      return {}
    }
  }

  const loginPayload = (token: string): WireLoginRequest => {
    const data = config.customerDataProvider?.()
    return {
      token,
      customer: data
        ? {
            ...(data.name !== undefined && { name: data.name }),
            ...(data.email !== undefined && { email: data.email }),
            ...(data.avatar !== undefined && { avatar: data.avatar }),
            ...(data.sessionFields !== undefined && { session_fields: serializeSessionFields(data.sessionFields) }),
          }
        : {},
      customer_side_storage: readSideStorage(),
      is_mobile: false,
      application: { name: 'rapport_customer_sdk', version: SDK_VERSION },
      ...(typeof config.groupId === 'number' && { group_id: config.groupId }),
      ...(pageRef.current?.url !== undefined && { customer_page: { url: pageRef.current.url, ...(pageRef.current.title !== undefined && { title: pageRef.current.title }) } }),
      ...(config.referrer !== undefined && { referrer: config.referrer }),
      ...(config.tabId !== undefined && { tab_id: config.tabId }),
      pushes: customerPushSubscription(),
    }
  }

  const machine = connectionMachine.provide({
    actors: {
      token: fromPromise<TokenOutput, { fresh: boolean }>(async ({ input }) => {
        const token = input.fresh ? await auth.getFreshToken() : await auth.getToken()
        return { token: `${token.tokenType} ${token.accessToken}`, customerId: token.entityId }
      }),
      socket: createSocketLogic(env, transport, (region) => customerRtmUrl(endpoints(region ?? config.region), config.organizationId)),
      login: fromPromise<unknown, { token: string }>(async ({ input }) => {
        const result = await rtm.request('login', loginPayload(input.token), { timeoutMs: policy.loginTimeoutMs })
        return parseLogin(result.payload as WireLoginResponse)
      }),
      heartbeat: createHeartbeatLogic({
        activity$: rtm.frames$,
        sendPing: () => void rtm.request('ping', {}, { timeoutMs: policy.pongTimeoutMs + policy.unstableGraceMs }).catch(() => {}),
        clock: env.clock,
        now: () => env.now(),
      }),
    },
  })

  const actor: Actor<typeof machine> = createActor(machine, {
    clock: env.clock,
    input: {
      policy,
      env: { now: () => env.now(), random: () => env.random() },
      autoConnect: config.autoConnect ?? true,
      ...(config.region !== undefined && { region: config.region }),
    },
  })

  const onEmitted = (event: ConnectionEmitted): void => {
    switch (event.type) {
      case 'connected': {
        const login = event.login as { connected: ConnectedPayload; chats: LoginChat[] }
        store.dispatch({ type: 'login/succeeded', connected: login.connected, chats: login.chats })
        emit([{ type: 'connected', payload: login.connected }])
        void catchUp(login.chats.map((c) => c.id))
        return
      }
      case 'disconnected':
        emit([{ type: 'disconnected', payload: { reason: event.reason, ...(event.data && { data: event.data }) } }])
        return
      case 'connection_unstable':
      case 'connection_recovered':
        emit([{ type: event.type, payload: undefined }])
        return
      case 'customer_id':
        emit([{ type: 'customer_id', payload: event.id }])
        return
      case 'identity_changed':
        // the previous identity's data must not leak into the new one
        env.storage.removeItem(sideStorageKey)
        store.dispatch({ type: 'identity/reset', customerId: event.newId })
        emit([
          { type: 'identity_changed', payload: { previousId: event.previousId, newId: event.newId } },
          { type: 'customer_id', payload: event.newId },
        ])
        return
    }
  }
  for (const type of ['connected', 'disconnected', 'connection_unstable', 'connection_recovered', 'customer_id', 'identity_changed'] as const) {
    const subscription = actor.on(type, onEmitted as (event: ConnectionEmitted) => void)
    disposers.add(() => subscription.unsubscribe())
  }

  let lastStatus: ConnectionStatus | null = null
  const statusSubscription = actor.subscribe((snapshot) => {
    const status = statusOf(snapshot)
    if (status !== lastStatus) {
      lastStatus = status
      store.dispatch({ type: 'connection/status', status, reason: snapshot.context.reason })
      // a reason that destroys the instance (customer_banned, …): release everything
      if (status === 'destroyed' && !destroyed) queueMicrotask(() => client.destroy())
    }
  })
  disposers.add(() => statusSubscription.unsubscribe())

  const pushSubscription = rtm.pushes$.subscribe((push) => {
    if (push.action === 'customer_disconnected') {
      const p = push.payload as { reason?: unknown; data?: unknown }
      actor.send({
        type: 'server.disconnected',
        reason: typeof p.reason === 'string' ? p.reason : 'internal_error',
        ...(isObject(p.data) && { data: p.data }),
      })
      return
    }
    if (push.action === 'customer_side_storage_updated') {
      const storage = (push.payload as { customer_side_storage?: unknown }).customer_side_storage
      if (isObject(storage)) env.storage.setItem(sideStorageKey, JSON.stringify(storage))
      return
    }
    try {
      const events = parsePush(push.action, push.payload)
      // an event the client already holds (a repeated push) is folded again but not re-emitted
      const snapshot = store.getSnapshot()
      const fresh = events.filter((e) => e.type !== 'incoming_event' || snapshot.events[e.payload.event.id]?.status !== 'sent')
      store.dispatch(events.filter((e) => !fresh.includes(e)))
      emit(fresh)
    } catch {
      // a push that does not fit its documented shape is dropped, never fatal
    }
  })
  disposers.add(() => pushSubscription.unsubscribe())

  const unwatch = env.watchSignals((signal) => {
    actor.send({ type: signal === 'online' ? 'network.online' : signal === 'offline' ? 'network.offline' : signal === 'visible' ? 'page.visible' : 'page.hidden' })
  })
  disposers.add(unwatch)
  if (!env.isVisible()) actor.send({ type: 'page.hidden' })

  /**
   * After every login: emit what was missed while away, then send what waited in the
   * outbox. A failure (the connection dropped again) leaves both for the next login.
   */
  let session = 0
  const catchUp = async (loginChats: string[]): Promise<void> => {
    const current = ++session
    caughtUp = false
    try {
      await recoverChats({
        store,
        send,
        emit,
        loginChats,
        onServerEvent: (event) => {
          if (event.customId) outbox.confirm(event.customId, event)
        },
      })
    } catch {
      return // the next session catches up
    }
    if (current !== session || destroyed) return
    caughtUp = true
    outbox.pump()
  }

  const ensureUsable = (): void => {
    if (destroyed) throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
  }

  const send = async (action: string, payload: object = {}): Promise<RtmResult> => {
    ensureUsable()
    if (!actor.getSnapshot().hasTag('canSend')) throw new ChatError('NO_CONNECTION', `Cannot send "${action}": not connected`)
    return rtm.request(action, payload)
  }

  /** True once the session after the latest login has caught up (recovery done). */
  let caughtUp = false
  const outbox = new Outbox({
    store,
    canSend: () => caughtUp && !destroyed && actor.getSnapshot().hasTag('canSend'),
    transmit: (entry) => transmitEvent(send, methods.getChat, entry),
    now: () => env.now(),
  })
  const methods = createCustomerMethods({
    outbox,
    newCustomId: () => `rapport_${createRequestId(() => env.random(), 16)}`,
    env,
    auth,
    store,
    organizationId: config.organizationId,
    endpoints: () => endpoints(actor.getSnapshot().context.region ?? config.region),
    send,
    isConnected: () => actor.getSnapshot().hasTag('canSend'),
    emit,
    page: pageRef,
  })

  const client: CustomerClient = {
    auth,
    events$: eventsSubject.asObservable(),
    state$: new Observable<ChatState>((subscriber) => {
      subscriber.next(store.getSnapshot())
      return store.subscribe(() => subscriber.next(store.getSnapshot()))
    }),
    store,
    get status() {
      return statusOf(actor.getSnapshot())
    },
    getState: () => store.getSnapshot(),
    getSnapshot: () => store.getSnapshot(),
    subscribe: (listener) => store.subscribe(listener),
    whenStatus: async (status) => {
      if (destroyed && status !== 'destroyed') throw new ChatError('SDK_DESTROYED', 'This instance was destroyed')
      await waitForStatus(actor, status)
    },
    on: (name, listener) => listen(eventsSubject, name, listener),
    connect: () => {
      ensureUsable()
      actor.send({ type: 'connect' })
    },
    disconnect: () => {
      if (destroyed) return
      actor.send({ type: 'disconnect' })
    },
    destroy: () => {
      if (destroyed) return
      destroyed = true
      outbox.close('SDK_DESTROYED')
      rtm.dispose('SDK_DESTROYED')
      if (actor.getSnapshot().status === 'active') actor.send({ type: 'destroy' })
      store.dispatch({ type: 'connection/status', status: 'destroyed', reason: actor.getSnapshot().context.reason })
      store.getSnapshot()
      for (const dispose of [...disposers]) dispose()
      disposers.clear()
      actor.stop()
      transport.dispose()
      eventsSubject.complete()
      store.dispose()
    },

    ...methods,
  }

  actor.start()
  return client
}

/** Resolves with the next event of that name. */
export const nextEvent = <K extends CustomerEventName>(client: Pick<CustomerClient, 'events$'>, name: K): Promise<CustomerEventMap[K]> =>
  firstValueFrom(payloadsOf(client.events$, name))
