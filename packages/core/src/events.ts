import { type Observable, Subject, filter, map } from 'rxjs'
import { Readers } from './readers'

/** The tagged union of a map of event names to payloads (`CustomerEvent` of `CustomerEventMap`, …). */
export type EventOf<Map> = { [K in keyof Map]: { type: K; payload: Map[K] } }[keyof Map]

/** The payloads of one event name, out of a stream of tagged events. */
export const payloadsOf = <Map, K extends keyof Map>(events$: Observable<EventOf<Map>>, name: K): Observable<Map[K]> =>
  events$.pipe(
    filter((event) => event.type === name),
    // the filter guarantees it: an event of type K carries Map[K]
    map((event) => event.payload as Map[K]),
  )

/** Calls `listener` with every payload of `name`; returns the unsubscribe. */
export const listen = <Map, K extends keyof Map>(events$: Observable<EventOf<Map>>, name: K, listener: (payload: Map[K]) => void): (() => void) => {
  const subscription = payloadsOf(events$, name).subscribe(listener)
  return () => subscription.unsubscribe()
}

/**
 * The events of a client: `events$` for streams, and `on(name, listener)` dispatched by
 * name (a listener costs nothing for the events it does not listen to).
 */
export interface Emitter<Map> {
  readonly events$: Observable<EventOf<Map>>
  emit(event: EventOf<Map>): void
  on<K extends keyof Map>(name: K, listener: (payload: Map[K]) => void): () => void
  complete(): void
}

export const createEmitter = <Map>(): Emitter<Map> => {
  const subject = new Subject<EventOf<Map>>()
  // per name, the listeners in the order added (a list replaced on change, so a listener
  // added or removed during a dispatch does not change that dispatch; no copy per event)
  const byName = new Map<keyof Map, Readers<never>>()
  let completed = false
  return {
    events$: subject.asObservable(),
    emit: (event) => {
      // most clients listen by name only: an unobserved Subject is not called per event
      if (subject.observed) subject.next(event)
      // each list holds listeners of this name's payload only (see on): the payload fits them
      byName.get(event.type)?.emit(event.payload as never)
    },
    on: (name, listener) => {
      if (completed) return () => {}
      let listeners = byName.get(name)
      if (!listeners) byName.set(name, (listeners = new Readers()))
      // each subscription is its own entry: the same function added twice is called twice
      return listeners.add((payload: never) => listener(payload))
    },
    complete: () => {
      completed = true
      for (const listeners of byName.values()) listeners.clear()
      byName.clear()
      subject.complete()
    },
  }
}
