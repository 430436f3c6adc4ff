import { type Observable, filter, map } from 'rxjs'

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
