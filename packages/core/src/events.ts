import type { CustomerEvent, CustomerEventMap, CustomerEventName } from '@rapport/protocol'
import { type Observable, filter, map } from 'rxjs'

/** The payloads of one event name, out of a stream of tagged events. */
export const payloadsOf = <K extends CustomerEventName>(events$: Observable<CustomerEvent>, name: K): Observable<CustomerEventMap[K]> =>
  events$.pipe(
    filter((event) => event.type === name),
    map((event) => event.payload as CustomerEventMap[K]),
  )

/** Calls `listener` with every payload of `name`; returns the unsubscribe. */
export const listen = <K extends CustomerEventName>(
  events$: Observable<CustomerEvent>,
  name: K,
  listener: (payload: CustomerEventMap[K]) => void,
): (() => void) => {
  const subscription = payloadsOf(events$, name).subscribe(listener)
  return () => subscription.unsubscribe()
}
