import {
  type ConnectionSnapshot,
  type ConnectionStatus,
  type CustomerAuth,
  type CustomerClient,
  type CustomerClientConfig,
  type CustomerMethods,
  type ChatState,
  type ExternalStore,
  createCustomerClient,
} from '@rapport/core'
import type { CustomerEventMap, CustomerEventName } from '@rapport/protocol'

export type InitConfig = Omit<CustomerClientConfig, 'env'>

type Listener<K extends CustomerEventName> = (payload: CustomerEventMap[K]) => void

/**
 * The documented SDK instance: the methods, `auth`, connection control and on/off/once;
 * plus Rapport's read side (`state`, `connection`, `events$`, `status`), the same seam every
 * adapter uses. The state's write side is not part of it.
 */
export type CustomerSDK = CustomerMethods & {
  readonly auth: CustomerAuth
  /** The chat state; read it with the selectors of `@rapport/core`. */
  readonly state: ExternalStore<ChatState>
  readonly connection: ExternalStore<ConnectionSnapshot>
  readonly events$: CustomerClient['events$']
  /** What the client dropped instead of acting on (invalid pushes, undecodable frames): for debugging. */
  readonly diagnostics$: CustomerClient['diagnostics$']
  /** Shorthand for `connection.getSnapshot().status`. */
  readonly status: ConnectionStatus
  connect(): void
  disconnect(): void
  destroy(): void
  /** Resolves once the connection is in `status` (at once if it already is). */
  whenStatus(status: ConnectionStatus): Promise<void>
  /** Adds a listener; returns a function that removes it. */
  on<K extends CustomerEventName>(name: K, listener: Listener<K>): () => void
  /** Removes one listener, every listener of an event, or (no arguments) every listener. */
  off<K extends CustomerEventName>(name?: K, listener?: Listener<K>): void
  /** Calls the listener once; without a listener, resolves with the next payload. */
  once<K extends CustomerEventName>(name: K): Promise<CustomerEventMap[K]>
  once<K extends CustomerEventName>(name: K, listener: Listener<K>): () => void
}

/**
 * Creates a Customer SDK instance, as `CustomerSDK.init(config)` in the documentation.
 * The second argument is the platform environment (`production` by default).
 */
export const init = (config: InitConfig, env?: string): CustomerSDK => {
  const client = createCustomerClient({ ...config, ...(env !== undefined && { env }) })
  const listeners = new Map<string, Map<Function, () => void>>()

  const add = <K extends CustomerEventName>(name: K, listener: Listener<K>, onlyOnce: boolean): (() => void) => {
    let byListener = listeners.get(name)
    if (!byListener) listeners.set(name, (byListener = new Map()))
    byListener.get(listener)?.()
    const remove = () => {
      unsubscribe()
      if (byListener.get(listener) === remove) byListener.delete(listener)
    }
    const unsubscribe = client.on(name, (payload) => {
      if (onlyOnce) remove()
      listener(payload)
    })
    byListener.set(listener, remove)
    return remove
  }

  const off = <K extends CustomerEventName>(name?: K, listener?: Listener<K>): void => {
    const names = name === undefined ? [...listeners.keys()] : [name]
    for (const n of names) {
      const byListener = listeners.get(n)
      if (!byListener) continue
      const removers = listener === undefined ? [...byListener.values()] : [byListener.get(listener)].filter((r) => r !== undefined)
      for (const remove of removers) remove()
    }
  }

  function once<K extends CustomerEventName>(name: K): Promise<CustomerEventMap[K]>
  function once<K extends CustomerEventName>(name: K, listener: Listener<K>): () => void
  function once<K extends CustomerEventName>(name: K, listener?: Listener<K>) {
    if (listener) return add(name, listener, true)
    return new Promise<CustomerEventMap[K]>((resolve) => void add(name, resolve as Listener<K>, true))
  }

  const sdk = {
    ...methodsOf(client),
    auth: client.auth,
    state: client.state,
    connection: client.connection,
    events$: client.events$,
    diagnostics$: client.diagnostics$,
    get status() {
      return client.status
    },
    connect: client.connect,
    disconnect: client.disconnect,
    whenStatus: client.whenStatus,
    on: <K extends CustomerEventName>(name: K, listener: Listener<K>) => add(name, listener, false),
    off,
    once,
    destroy: () => {
      client.destroy()
      off()
    },
  } satisfies CustomerSDK
  return Object.freeze(sdk)
}

/** The client's documented methods (closures: nothing to bind); the type makes sure none is missing. */
const methodsOf = (client: CustomerClient): CustomerMethods => ({
  acceptGreeting: client.acceptGreeting,
  cancelGreeting: client.cancelGreeting,
  cancelRate: client.cancelRate,
  deactivateChat: client.deactivateChat,
  deleteChatProperties: client.deleteChatProperties,
  deleteEventProperties: client.deleteEventProperties,
  deleteThreadProperties: client.deleteThreadProperties,
  getChat: client.getChat,
  getChatHistory: client.getChatHistory,
  getCustomer: client.getCustomer,
  getForm: client.getForm,
  getUrlInfo: client.getUrlInfo,
  listChats: client.listChats,
  listGroupStatuses: client.listGroupStatuses,
  listThreads: client.listThreads,
  markEventsAsSeen: client.markEventsAsSeen,
  rateChat: client.rateChat,
  requestWelcomeMessage: client.requestWelcomeMessage,
  resumeChat: client.resumeChat,
  sendEvent: client.sendEvent,
  sendGreetingButtonClicked: client.sendGreetingButtonClicked,
  sendRichMessagePostback: client.sendRichMessagePostback,
  setCustomerSessionFields: client.setCustomerSessionFields,
  setSneakPeek: client.setSneakPeek,
  startChat: client.startChat,
  updateChatProperties: client.updateChatProperties,
  updateCustomer: client.updateCustomer,
  updateCustomerPage: client.updateCustomerPage,
  updateEventProperties: client.updateEventProperties,
  updateThreadProperties: client.updateThreadProperties,
  uploadFile: client.uploadFile,
  request: client.request,
})
