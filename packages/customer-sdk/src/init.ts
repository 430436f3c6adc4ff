import { type CustomerClient, type CustomerClientConfig, createCustomerClient } from '@rapport/core'
import type { CustomerEventMap, CustomerEventName } from '@rapport/protocol'

export type InitConfig = Omit<CustomerClientConfig, 'env'>

type Listener<K extends CustomerEventName> = (payload: CustomerEventMap[K]) => void

/** The documented SDK instance: the client's methods plus on/off/once. */
export type CustomerSDK = Omit<CustomerClient, 'on'> & {
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

  const sdk: CustomerSDK = {
    ...bindAll(client),
    on: (name, listener) => add(name, listener, false),
    off,
    once,
    destroy: () => {
      client.destroy()
      off()
    },
  }
  // keep the live getters of the client
  Object.defineProperty(sdk, 'status', { get: () => client.status, enumerable: true })
  return Object.freeze(sdk)
}

/** The client's methods bound to it, and its plain properties. */
const bindAll = (client: CustomerClient): Omit<CustomerClient, 'on'> => {
  const result: Record<string, unknown> = {}
  for (const key of Object.keys(client) as Array<keyof CustomerClient>) {
    if (key === 'on' || key === 'status') continue
    const value = client[key]
    result[key] = typeof value === 'function' ? (value as Function).bind(client) : value
  }
  return result as Omit<CustomerClient, 'on'>
}
