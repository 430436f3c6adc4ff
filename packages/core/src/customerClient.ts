import {
  type ConnectedPayload,
  type CustomerActionMap,
  type CustomerEvent,
  type CustomerEventMap,
  type CustomerEventName,
  type LoginChat,
  type Region,
  createRequestId,
  customerRtmUrl,
  customerTokenUrl,
  parseLogin,
  resolveEndpoints,
} from '@rapport/protocol'
import { type Observable, firstValueFrom } from 'rxjs'
import { type CustomerAuth, createCookieAuth } from './auth/customerAuth'
import { ChatError } from './chatError'
import type { Diagnostic } from './diagnostics'
import type { ConnectionStatus } from './connection/connectionMachine'
import { createCustomerInbound } from './customerInbound'
import { type CustomerData, createSideStorage, customerLoginRequest, sideStorageKey } from './customerLogin'
import { type CustomerMethods, createCustomerMethods, transmitEvent } from './customerMethods'
import { type ConnectionPolicy, type RetryPolicy, resolvePolicy } from './defaults'
import { type Env, createDefaultEnv } from './env'
import { createEmitter, payloadsOf } from './events'
import type { ExternalStore } from './externalStore'
import { Outbox } from './outbox'
import { recoverChats } from './recovery'
import { type ConnectionSnapshot, type Session, createSession } from './session'
import type { ChatState } from './state/chatReducer'
import { createChatStore } from './state/chatStore'

export { SDK_VERSION, type CustomerData, migrateLicenseStorage } from './customerLogin'

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
  /** I/O: time, sockets, HTTP, storage. Defaults to the browser's. */
  environment?: Env
}

/** The result of a customer login, as the client keeps it. */
export interface CustomerLogin {
  connected: ConnectedPayload
  chats: LoginChat[]
}

/**
 * The customer engine, as every adapter sees it: the chat state and the connection as
 * `ExternalStore`s, every SDK event on `events$`, and the documented methods.
 */
export interface CustomerClient extends CustomerMethods {
  readonly auth: CustomerAuth
  /** The chat state (read it with the selectors): one commit and one notification per burst of frames. */
  readonly state: ExternalStore<ChatState>
  /** The connection's status and the reason the last session ended. */
  readonly connection: ExternalStore<ConnectionSnapshot>
  /** Every SDK event, typed, emitted once the state holds it. */
  readonly events$: Observable<CustomerEvent>
  /** What the client dropped instead of acting on (invalid pushes, undecodable frames): for debugging. */
  readonly diagnostics$: Observable<Diagnostic>
  /** Shorthand for `connection.getSnapshot().status`. */
  readonly status: ConnectionStatus
  /** Resolves once the connection is in `status` (at once if it already is). */
  whenStatus(status: ConnectionStatus): Promise<void>
  on<K extends CustomerEventName>(name: K, listener: (payload: CustomerEventMap[K]) => void): () => void
  connect(): void
  disconnect(): void
  destroy(): void
}

const validateConfig = (config: CustomerClientConfig): void => {
  if (typeof config.organizationId !== 'string' || config.organizationId.length === 0)
    throw new ChatError('VALIDATION', '`organizationId` must be a non-empty string')
  if (typeof config.clientId !== 'string' || config.clientId.length === 0)
    throw new ChatError('VALIDATION', '`clientId` must be a non-empty string')
  if (config.uniqueGroups && typeof config.groupId !== 'number')
    throw new ChatError('VALIDATION', '`groupId` is required when `uniqueGroups` is true')
}

/**
 * The customer client, along the data flow: a session (socket, machine, RTM), the
 * inbound stage (pushes → SDK events), the state (one store, batched), the outbound side
 * (methods and the outbox), and recovery after each login.
 */
export const createCustomerClient = (config: CustomerClientConfig): CustomerClient => {
  validateConfig(config)
  const env = config.environment ?? createDefaultEnv()
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
  const sideStorage = createSideStorage(env.storage, sideStorageKey(config))
  const page: { current?: { url?: string; title?: string } } = config.page ? { current: { ...config.page } } : {}

  // state: SDK events reach listeners after the commit that folds them
  const events = createEmitter<CustomerEventMap>()
  const store = createChatStore({ onEvents: (news) => news.forEach((event) => events.emit(event)) })

  const session: Session<CustomerActionMap, CustomerLogin> = createSession<CustomerActionMap, CustomerLogin>({
    env,
    policy: resolvePolicy(config.connection),
    autoConnect: config.autoConnect ?? true,
    ...(config.region !== undefined && { region: config.region }),
    disconnectPush: 'customer_disconnected',
    urlFor: (region) => customerRtmUrl(endpoints(region ?? config.region), config.organizationId),
    ...(config.identityProvider === undefined && { tokenUrl: () => customerTokenUrl(endpoints(config.region), config) }),
    getToken: async (fresh) => {
      const token = fresh ? await auth.getFreshToken() : await auth.getToken()
      return { token: `${token.tokenType} ${token.accessToken}`, customerId: token.entityId }
    },
    login: async (token, rtm) => {
      const request = customerLoginRequest(token, { ...config, page }, sideStorage)
      const result = await rtm.request('login', request, { timeoutMs: resolvePolicy(config.connection).loginTimeoutMs })
      return parseLogin(result.payload)
    },
    onEmitted: (event) => {
      switch (event.type) {
        case 'connected':
          store.dispatch({ type: 'login/succeeded', connected: event.login.connected, chats: event.login.chats })
          store.publish([{ type: 'connected', payload: event.login.connected }])
          void catchUp(event.login.chats.map((c) => c.id))
          return
        case 'disconnected':
          store.publish([{ type: 'disconnected', payload: { reason: event.reason, ...(event.data && { data: event.data }) } }])
          return
        case 'connection_unstable':
        case 'connection_recovered':
          store.publish([{ type: event.type, payload: undefined }])
          return
        case 'customer_id':
          store.publish([{ type: 'customer_id', payload: event.id }])
          return
        case 'identity_changed':
          // the previous identity's data must not leak into the new one
          sideStorage.clear()
          store.dispatch({ type: 'identity/reset', customerId: event.newId })
          store.publish([
            { type: 'identity_changed', payload: { previousId: event.previousId, newId: event.newId } },
            { type: 'customer_id', payload: event.newId },
          ])
          return
      }
    },
    onTerminal: () => client.destroy(),
  })

  session.own(createCustomerInbound({ onPush: session.onPush, store, sideStorage, report: session.report }))

  // outbound: events leave in order through the outbox, once the session has caught up
  let caughtUp = false
  const outbox = new Outbox({
    store,
    canSend: () => caughtUp && session.canSend(),
    transmit: (entry) => transmitEvent((payload) => session.request('send_event', payload), methods.getChat, entry),
    now: () => env.now(),
  })
  const methods = createCustomerMethods({
    outbox,
    newCustomId: () => `rapport_${createRequestId(() => env.random(), 16)}`,
    env,
    auth,
    store,
    organizationId: config.organizationId,
    endpoints: () => endpoints(session.region()),
    send: session.request,
    isConnected: session.canSend,
    publish: (news) => store.publish(news),
    page,
  })

  /**
   * After every login: emit what was missed while away (retried, or the session is
   * replaced), then send what waited in the outbox.
   */
  const catchUp = async (loginChats: string[]): Promise<void> => {
    caughtUp = false
    const ready = await session.settle(() =>
      recoverChats({
        store,
        send: session.request,
        loginChats,
        onServerEvent: (event) => {
          if (event.customId) outbox.confirm(event.customId, event)
        },
      }),
    )
    if (!ready) return
    caughtUp = true
    outbox.pump()
  }

  const client: CustomerClient = new ClientObject(
    {
      auth,
      state: { getSnapshot: store.getSnapshot, subscribe: store.subscribe },
      connection: session.connection,
      events$: events.events$,
      diagnostics$: session.diagnostics$,
      whenStatus: session.whenStatus,
      on: events.on,
      connect: session.connect,
      disconnect: session.disconnect,
      destroy: () => {
        if (session.destroyed) return
        outbox.close('SDK_DESTROYED')
        session.destroy()
        store.flush()
        events.complete()
        store.dispose()
      },
    },
    methods,
  )

  session.start()
  return client
}

type Writable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Copies the documented methods onto `target`, one named assignment each. Objects built
 * this way (in a constructor, always in this order) share one compact shape; a spread or
 * an `Object.assign` of this many keys leaves V8 objects in dictionary mode instead
 * (about 1.3 KB more per instance). Adapters building their own instance use it too.
 */
export const assignCustomerMethods = (target: Writable<CustomerMethods>, from: CustomerMethods): void => {
  target.acceptGreeting = from.acceptGreeting
  target.cancelGreeting = from.cancelGreeting
  target.cancelRate = from.cancelRate
  target.deactivateChat = from.deactivateChat
  target.deleteChatProperties = from.deleteChatProperties
  target.deleteEventProperties = from.deleteEventProperties
  target.deleteThreadProperties = from.deleteThreadProperties
  target.getChat = from.getChat
  target.getChatHistory = from.getChatHistory
  target.getCustomer = from.getCustomer
  target.getForm = from.getForm
  target.getUrlInfo = from.getUrlInfo
  target.listChats = from.listChats
  target.listGroupStatuses = from.listGroupStatuses
  target.listThreads = from.listThreads
  target.markEventsAsSeen = from.markEventsAsSeen
  target.rateChat = from.rateChat
  target.requestWelcomeMessage = from.requestWelcomeMessage
  target.resumeChat = from.resumeChat
  target.sendEvent = from.sendEvent
  target.sendGreetingButtonClicked = from.sendGreetingButtonClicked
  target.sendRichMessagePostback = from.sendRichMessagePostback
  target.setCustomerSessionFields = from.setCustomerSessionFields
  target.setSneakPeek = from.setSneakPeek
  target.startChat = from.startChat
  target.updateChatProperties = from.updateChatProperties
  target.updateCustomer = from.updateCustomer
  target.updateCustomerPage = from.updateCustomerPage
  target.updateEventProperties = from.updateEventProperties
  target.updateThreadProperties = from.updateThreadProperties
  target.uploadFile = from.uploadFile
  target.request = from.request
}

type ClientFields = Omit<CustomerClient, 'status' | keyof CustomerMethods>

// the class gives the client one shared shape and keeps `status` a getter of its prototype
// (a getter in an object literal this size costs the same dictionary mode as a spread)
interface ClientObject extends Writable<Omit<CustomerClient, 'status'>> {}
class ClientObject {
  constructor(fields: ClientFields, methods: CustomerMethods) {
    this.auth = fields.auth
    this.state = fields.state
    this.connection = fields.connection
    this.events$ = fields.events$
    this.diagnostics$ = fields.diagnostics$
    this.whenStatus = fields.whenStatus
    this.on = fields.on
    this.connect = fields.connect
    this.disconnect = fields.disconnect
    this.destroy = fields.destroy
    assignCustomerMethods(this, methods)
  }

  get status(): ConnectionStatus {
    return this.connection.getSnapshot().status
  }
}

/** Resolves with the next event of that name. */
export const nextEvent = <K extends CustomerEventName>(client: Pick<CustomerClient, 'events$'>, name: K): Promise<CustomerEventMap[K]> =>
  firstValueFrom(payloadsOf(client.events$, name))
