import {
  type ChatListItem,
  type ChatState,
  type ConnectionSnapshot,
  type EventEntity,
  type ExternalStore,
  type UploadEntity,
  chatEvents,
  chatList,
  currentGreeting,
  pendingUploads,
  queuePosition,
  typingUserIds,
  unreadCount,
} from '@rapport/customer-sdk'
import type { Availability, Customer, Greeting, Queue } from '@rapport/customer-sdk'
import { type Readable, readable } from 'svelte/store'

/** What the chat stores read: the client's `state` (any client of the seam, `init()`'s instance among them). */
export interface StateSource {
  readonly state: ExternalStore<ChatState>
}

/** What `connectionStore` reads: the client's `connection`. */
export interface ConnectionSource {
  readonly connection: ExternalStore<ConnectionSnapshot>
}

/**
 * A Svelte store (`readable`) over an ExternalStore of the core seam, through `selector`:
 * - lazy: nothing subscribes to the client before the first subscriber; the last one leaving
 *   unsubscribes from it;
 * - fresh: every subscription re-reads the snapshot, so no subscriber ever starts from a stale
 *   value (the seam notifies asynchronously; a read in between catches the other subscribers up);
 * - quiet: subscribers run only when `equals` says the selected slice changed.
 */
const storeOf = <S, T>(source: ExternalStore<S>, selector: (snapshot: S) => T, equals: (a: T, b: T) => boolean): Readable<T> => {
  // the value of the current subscription period; `set` exists only while someone subscribes
  let value: T
  let set: ((value: T) => void) | null = null
  const refresh = (): void => {
    const next = selector(source.getSnapshot())
    if (equals(value, next)) return
    value = next
    set?.(next)
  }
  const inner = readable<T>(undefined, (setValue) => {
    value = selector(source.getSnapshot())
    setValue(value)
    set = setValue
    const unsubscribe = source.subscribe(refresh)
    return () => {
      set = null
      unsubscribe()
    }
  })
  return {
    subscribe: (run, invalidate) => {
      if (set) refresh()
      return inner.subscribe(run, invalidate)
    },
  }
}

/**
 * The store every chat store is built on: a slice of the chat state, by `selector`, that
 * notifies only when `equals` (`Object.is` by default) says the slice changed. Give it a
 * selector that keeps its result's reference while the slice is unchanged (the core selectors do).
 */
export function selectorStore<T>(client: StateSource, selector: (state: ChatState) => T, equals: (a: T, b: T) => boolean = Object.is): Readable<T> {
  return storeOf(client.state, selector, equals)
}

/** The connection: `status`, `reason`, `unstable` and `nextRetryAt` (a new object only when one changes). */
export function connectionStore(client: ConnectionSource): Readable<ConnectionSnapshot> {
  return storeOf(client.connection, (snapshot) => snapshot, Object.is)
}

/** The customer, once logged in (`null` before). */
export function customerStore(client: StateSource): Readable<Customer | null> {
  return selectorStore(client, (state) => state.customer)
}

/** Whether the customer's group is `online` or `offline`. */
export function availabilityStore(client: StateSource): Readable<Availability> {
  return selectorStore(client, (state) => state.availability)
}

/** The chats, newest activity first, each with its last event. */
export function chatListStore(client: StateSource): Readable<readonly ChatListItem[]> {
  return selectorStore(client, chatList())
}

/** A chat's events in order across its threads, each with its delivery status (`pending`, `sent`, `failed`). */
export function chatEventsStore(client: StateSource, chatId: string): Readable<readonly EventEntity[]> {
  return selectorStore(client, chatEvents(chatId))
}

/** How many events of others in the chat the customer has not seen. */
export function unreadCountStore(client: StateSource, chatId: string): Readable<number> {
  return selectorStore(client, unreadCount(chatId))
}

/** The ids of the users typing in the chat right now (their names are in `state.users`). */
export function typingUsersStore(client: StateSource, chatId: string): Readable<readonly string[]> {
  return selectorStore(client, typingUserIds(chatId))
}

/** The queue of the chat's active thread while it waits in one, else `null`. */
export function queuePositionStore(client: StateSource, chatId: string): Readable<Queue | null> {
  return selectorStore(client, queuePosition(chatId))
}

/** The greeting on display, if any. */
export function greetingStore(client: StateSource): Readable<Greeting | null> {
  return selectorStore(client, currentGreeting)
}

/** Uploads in progress (with `progress` from 0 to 1) or failed; finished ones leave the list. */
export function uploadsStore(client: StateSource): Readable<readonly UploadEntity[]> {
  return selectorStore(client, pendingUploads)
}
