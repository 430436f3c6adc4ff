import type { ChatHistoryResult, ConnectionSnapshot } from '@rapport/core'
import type { CustomerEventMap, CustomerEventName } from '@rapport/protocol'
import type { CustomerSDK } from './init'

type Listener<K extends CustomerEventName> = (payload: CustomerEventMap[K]) => void

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function'

/** Each function of `target` logged as 4.0.2 logs it: `<prefix>.<name>() ===>` with the arguments, `<===` with the result. */
const loggedMethods = <T extends object>(target: T, prefix: string, skip: readonly string[] = []): T => {
  const logged: Record<string, unknown> = {}
  for (const name of Object.keys(target)) {
    const value: unknown = Reflect.get(target, name)
    if (typeof value !== 'function' || skip.includes(name)) {
      logged[name] = value
      continue
    }
    const label = `${prefix}.${name}()`
    logged[name] = (...args: unknown[]): unknown => {
      console.info(`${label} ===>`, ...args)
      const result: unknown = Reflect.apply(value, undefined, args)
      if (!isThenable(result)) return result
      return result.then(
        (data) => {
          console.info(`${label} <===`, data)
          return data
        },
        (error: unknown) => {
          console.error(`${label} <===`, error)
          throw error
        },
      )
    }
  }
  // the same keys with the same kinds: functions stay functions of the same arguments
  return logged as T
}

const describeConnection = (snapshot: ConnectionSnapshot): string => {
  const error = snapshot.lastError
  const why = error ? ` — ${error.stage} failed: ${error.code} ${error.message}${error.url !== null ? ` (${error.url})` : ''}` : ''
  const reason = snapshot.reason !== null ? ` (${snapshot.reason})` : ''
  return `connection: ${snapshot.status}${reason}${why}`
}

/**
 * The instance, logging to the console as 4.0.2's `debug(customerSDK)` does: every method
 * call and what it resolved or rejected with (`.sendEvent() ===>` / `<===`, `.auth.getToken()`,
 * each `history.next()`), and every event as a listener receives it (`.on("incoming_event") <===`).
 * Rapport adds the connection's changes, with why an attempt failed (`lastError`), and what
 * the client dropped (`diagnostics$`). Not meant for production.
 */
export const debug = (sdk: CustomerSDK): CustomerSDK => {
  if (typeof process !== 'undefined' && process.env?.NODE_ENV === 'production') {
    console.warn('You probably do not want to use debug(customerSDK) in your production environment.')
  }
  // one logging listener per listener and event, so that off() finds the one given to on()
  const enhanced = new WeakMap<Function, Map<string, Function>>()
  const enhance = <K extends CustomerEventName>(label: string, name: K, listener: Listener<K>): Listener<K> => {
    let byEvent = enhanced.get(listener)
    if (!byEvent) enhanced.set(listener, (byEvent = new Map()))
    const known = byEvent.get(name)
    if (known) return known as Listener<K>
    const logging: Listener<K> = (payload) => {
      console.info(`.${label}("${name}") <===`, payload)
      listener(payload)
    }
    byEvent.set(name, logging)
    return logging
  }

  function once<K extends CustomerEventName>(name: K): Promise<CustomerEventMap[K]>
  function once<K extends CustomerEventName>(name: K, listener: Listener<K>): () => void
  function once<K extends CustomerEventName>(name: K, listener?: Listener<K>) {
    if (listener) return sdk.once(name, enhance('once', name, listener))
    return sdk.once(name).then((payload) => {
      console.info(`.once("${name}") <===`, payload)
      return payload
    })
  }

  const unsubscribeConnection = sdk.connection.subscribe(() => {
    const snapshot = sdk.connection.getSnapshot()
    if (snapshot.lastError) console.warn(describeConnection(snapshot), snapshot)
    else console.info(describeConnection(snapshot), snapshot)
  })
  const diagnostics = sdk.diagnostics$.subscribe((diagnostic) => console.warn('diagnostic', diagnostic))

  const methods = loggedMethods(sdk, '', ['on', 'once', 'off', 'getChatHistory', 'destroy', 'auth', 'state', 'connection', 'events$', 'diagnostics$'])
  const debugged: CustomerSDK = {
    ...methods,
    auth: Object.freeze(loggedMethods(sdk.auth, '.auth')),
    get status() {
      return sdk.status
    },
    getChatHistory: (params) => {
      console.info('.getChatHistory()', params)
      const history = sdk.getChatHistory(params)
      const label = 'history.next()'
      const next = () => {
        console.info(`${label} ===>`, params)
        return history.next().then(
          (data) => {
            console.info(`${label} <===`, params, data)
            return data
          },
          (error: unknown) => {
            console.error(`${label} <===`, params, error)
            throw error
          },
        )
      }
      // a `for await` loop yields the last page too, then stops (as the history itself does)
      let finished = false
      const iterate = async (): Promise<IteratorResult<ChatHistoryResult, undefined>> => {
        if (finished) return { value: undefined, done: true }
        const step = await next()
        finished = step.done
        return step.value ? { value: step.value, done: false } : { value: undefined, done: true }
      }
      return { next, [Symbol.asyncIterator]: () => ({ next: iterate }) }
    },
    on: (name, listener) => sdk.on(name, enhance('on', name, listener)),
    once,
    off: (name, listener) => {
      console.info(`.off(${name === undefined ? '' : `"${name}"`}${listener ? `, ${listener.name || 'anonymous'}` : ''})`)
      const logging = listener && name !== undefined ? enhanced.get(listener)?.get(name) : undefined
      sdk.off(name, (logging ?? listener) as typeof listener)
    },
    destroy: () => {
      console.info('.destroy() ===>')
      unsubscribeConnection()
      diagnostics.unsubscribe()
      sdk.destroy()
    },
  }
  return Object.freeze(debugged)
}
