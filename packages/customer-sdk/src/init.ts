import {
  type ConnectionSnapshot,
  type ConnectionStatus,
  type CustomerAuth,
  type CustomerClient,
  type CustomerClientConfig,
  type CustomerMethods,
  type ChatState,
  type ExternalStore,
  assignCustomerMethods,
  createCustomerClient,
  createDefaultEnv,
  migrateLicenseStorage,
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
 * The second argument is the platform environment (`production` by default). The third,
 * a license id, is what 4.0.2 takes it for: the token and side storage an older SDK kept
 * under the license's keys move to the organization's.
 */
export const init = (config: InitConfig, env?: string, licenseId?: string | number): CustomerSDK => {
  let environment = config.environment
  if (licenseId !== undefined) {
    environment ??= createDefaultEnv()
    migrateLicenseStorage(environment.storage, { ...config, licenseId })
  }
  const client = createCustomerClient({ ...config, ...(environment !== undefined && { environment }), ...(env !== undefined && { env }) })
  // made on the first on()/once(): most instances never call them
  let listeners: Map<string, Map<Function, () => void>> | undefined

  const add = <K extends CustomerEventName>(name: K, listener: Listener<K>, onlyOnce: boolean): (() => void) => {
    listeners ??= new Map()
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
    if (!listeners) return
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

  return Object.freeze(
    new Instance(client, {
      on: <K extends CustomerEventName>(name: K, listener: Listener<K>) => add(name, listener, false),
      off,
      once,
      destroy: () => {
        client.destroy()
        off()
      },
    }),
  )
}

type Writable<T> = { -readonly [K in keyof T]: T[K] }
type OwnListeners = Pick<CustomerSDK, 'on' | 'off' | 'once' | 'destroy'>

// one class, its fields assigned in one order, `status` a getter of its prototype: the
// instance keeps one compact shape shared by all (an object literal with a getter, or a
// spread of the methods, is kept by V8 in dictionary mode: about 1.3 KB more per instance)
interface Instance extends Writable<Omit<CustomerSDK, 'status'>> {}
class Instance {
  constructor(client: CustomerClient, own: OwnListeners) {
    assignCustomerMethods(this, client)
    this.auth = client.auth
    this.state = client.state
    this.connection = client.connection
    this.events$ = client.events$
    this.diagnostics$ = client.diagnostics$
    this.connect = client.connect
    this.disconnect = client.disconnect
    this.whenStatus = client.whenStatus
    this.on = own.on
    this.off = own.off
    this.once = own.once
    this.destroy = own.destroy
  }

  get status(): ConnectionStatus {
    return this.connection.getSnapshot().status
  }
}
