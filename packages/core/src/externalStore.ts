import { Observable } from 'rxjs'

/** The seam every adapter reads state through (STYLE §2). */
export interface ExternalStore<T> {
  /** Immutable; the same reference until the state changes. */
  getSnapshot(): T
  /** Never calls the listener synchronously; returns an idempotent unsubscribe. */
  subscribe(listener: () => void): () => void
}

/** A store of a slice; notifies only when `equals` says the slice changed. */
export const select = <T, U>(store: ExternalStore<T>, selector: (state: T) => U, equals: (a: U, b: U) => boolean = Object.is): ExternalStore<U> => {
  let last = selector(store.getSnapshot())
  const read = (): U => {
    const next = selector(store.getSnapshot())
    if (!equals(last, next)) last = next
    return last
  }
  return {
    getSnapshot: read,
    subscribe: (listener) => {
      let seen = read()
      return store.subscribe(() => {
        const next = read()
        if (next !== seen) {
          seen = next
          listener()
        }
      })
    },
  }
}

/** The store as an Observable of snapshots, starting with the current one. */
export const toObservable = <T>(store: ExternalStore<T>): Observable<T> =>
  new Observable<T>((subscriber) => {
    subscriber.next(store.getSnapshot())
    return store.subscribe(() => subscriber.next(store.getSnapshot()))
  })
