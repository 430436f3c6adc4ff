/**
 * STAND-IN for `@rapport/svelte`, to be replaced: the widget imports its stores from here
 * only, with the names and shapes agreed for `@rapport/svelte`. Until that package is on
 * main, these few lines implement them over `client.state`/`client.connection` and the
 * selectors of `@rapport/customer-sdk`; once it lands, this file becomes
 * `export * from '@rapport/svelte'` (then goes away, the components importing the package).
 */
import { getContext, setContext } from 'svelte'
import { readable, type Readable } from 'svelte/store'
import {
  type Availability,
  type ChatListItem,
  type ChatState,
  type ConnectionSnapshot,
  type Customer,
  type CustomerSDK,
  type EventEntity,
  type ExternalStore,
  type Greeting,
  type Queue,
  type Selector,
  chatEvents,
  chatList,
  currentGreeting,
  pendingUploads,
  queuePosition,
  select,
  typingUsers,
  unreadCount,
} from '@rapport/customer-sdk'

type UploadEntity = ChatState['uploads'][string]

const KEY = Symbol('rapport.client')

export const setRapportClient = (client: CustomerSDK): void => void setContext(KEY, client)

export const getRapportClient = (): CustomerSDK => {
  const client = getContext<CustomerSDK | undefined>(KEY)
  if (!client) throw new Error('No Rapport client in this component tree: call setRapportClient(client) in a parent component first')
  return client
}

const toReadable = <T>(store: ExternalStore<T>): Readable<T> =>
  readable(store.getSnapshot(), (set) => {
    set(store.getSnapshot())
    return store.subscribe(() => set(store.getSnapshot()))
  })

export const selectorStore = <T>(client: CustomerSDK, selector: Selector<T>, equals?: (a: T, b: T) => boolean): Readable<T> =>
  toReadable(select(client.state, selector, equals))

export const connectionStore = (client: CustomerSDK): Readable<ConnectionSnapshot> => toReadable(client.connection)
export const customerStore = (client: CustomerSDK): Readable<Customer | null> => selectorStore(client, (s) => s.customer)
export const availabilityStore = (client: CustomerSDK): Readable<Availability> => selectorStore(client, (s) => s.availability)
export const chatListStore = (client: CustomerSDK): Readable<readonly ChatListItem[]> => selectorStore(client, chatList())
export const chatEventsStore = (client: CustomerSDK, chatId: string): Readable<readonly EventEntity[]> => selectorStore(client, chatEvents(chatId))
export const unreadCountStore = (client: CustomerSDK, chatId: string): Readable<number> => selectorStore(client, unreadCount(chatId))
export const typingUsersStore = (client: CustomerSDK, chatId: string): Readable<readonly string[]> => {
  const users = typingUsers(chatId)
  let last: readonly string[] = []
  return selectorStore(client, (state) => {
    const ids = users(state).map((user) => user.id)
    if (ids.length !== last.length || ids.some((id, i) => id !== last[i])) last = ids
    return last
  })
}
export const queuePositionStore = (client: CustomerSDK, chatId: string): Readable<Queue | null> => selectorStore(client, queuePosition(chatId))
export const greetingStore = (client: CustomerSDK): Readable<Greeting | null> => selectorStore(client, currentGreeting)
export const uploadsStore = (client: CustomerSDK): Readable<readonly UploadEntity[]> => selectorStore(client, pendingUploads)
