import type { Availability, ChatListItem, ChatState, ConnectionFailure, ConnectionSnapshot, ConnectionStatus, Customer, CustomerSDK, EventEntity, Greeting, Queue, UploadEntity } from '@rapport/customer-sdk'
import type { Readable } from 'svelte/store'
import { fromStore } from 'svelte/store'
import { describe, expectTypeOf, it } from 'vitest'
import {
  availabilityStore,
  chatEventsStore,
  chatListStore,
  connectionStore,
  customerStore,
  getRapportClient,
  greetingStore,
  queuePositionStore,
  selectorStore,
  setRapportClient,
  typingUsersStore,
  unreadCountStore,
  uploadsStore,
} from '../src/index'

declare const client: CustomerSDK

describe('@rapport/svelte types', () => {
  it('each store holds what the API says', () => {
    expectTypeOf(connectionStore(client)).toEqualTypeOf<Readable<ConnectionSnapshot>>()
    expectTypeOf(customerStore(client)).toEqualTypeOf<Readable<Customer | null>>()
    expectTypeOf(availabilityStore(client)).toEqualTypeOf<Readable<Availability>>()
    expectTypeOf(chatListStore(client)).toEqualTypeOf<Readable<readonly ChatListItem[]>>()
    expectTypeOf(chatEventsStore(client, 'C1')).toEqualTypeOf<Readable<readonly EventEntity[]>>()
    expectTypeOf(unreadCountStore(client, 'C1')).toEqualTypeOf<Readable<number>>()
    expectTypeOf(typingUsersStore(client, 'C1')).toEqualTypeOf<Readable<readonly string[]>>()
    expectTypeOf(queuePositionStore(client, 'C1')).toEqualTypeOf<Readable<Queue | null>>()
    expectTypeOf(greetingStore(client)).toEqualTypeOf<Readable<Greeting | null>>()
    expectTypeOf(uploadsStore(client)).toEqualTypeOf<Readable<readonly UploadEntity[]>>()
  })

  it('the connection snapshot has status, reason, unstable and nextRetryAt', () => {
    expectTypeOf<ConnectionSnapshot>().toEqualTypeOf<{ status: ConnectionStatus; reason: string | null; unstable: boolean; nextRetryAt: number | null; lastError: ConnectionFailure | null }>()
    expectTypeOf<Availability>().toEqualTypeOf<'online' | 'offline'>()
  })

  it('selectorStore infers the selector’s type and checks the equality against it', () => {
    expectTypeOf(selectorStore(client, (state) => state.chats)).toEqualTypeOf<Readable<ChatState['chats']>>()
    expectTypeOf(selectorStore(client, (state) => state.customerId, (a, b) => a === b)).toEqualTypeOf<Readable<string | null>>()
    // @ts-expect-error the equality compares values of the selected type
    selectorStore(client, (state) => state.customerId, (a: number, b: number) => a === b)
  })

  it('the stores follow the Svelte store contract: fromStore gives .current of the same type', () => {
    expectTypeOf(fromStore(unreadCountStore(client, 'C1')).current).toEqualTypeOf<number>()
    expectTypeOf(fromStore(connectionStore(client)).current.nextRetryAt).toEqualTypeOf<number | null>()
    const unsubscribe = chatEventsStore(client, 'C1').subscribe((events) => expectTypeOf(events).toEqualTypeOf<readonly EventEntity[]>())
    expectTypeOf(unsubscribe).toBeFunction()
  })

  it('the context takes and gives the init() instance', () => {
    expectTypeOf(setRapportClient).parameter(0).toEqualTypeOf<CustomerSDK>()
    expectTypeOf(getRapportClient()).toEqualTypeOf<CustomerSDK>()
    // @ts-expect-error not a client
    setRapportClient({})
  })
})
