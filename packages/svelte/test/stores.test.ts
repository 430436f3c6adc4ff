import type { ChatState } from '@rapport/customer-sdk'
import { get } from 'svelte/store'
import { describe, expect, it } from 'vitest'
import {
  availabilityStore,
  chatEventsStore,
  chatListStore,
  connectionStore,
  customerStore,
  greetingStore,
  queuePositionStore,
  selectorStore,
  typingUsersStore,
  unreadCountStore,
  uploadsStore,
} from '../src/index'
import { chatPush, createClient, eventPush, flush, greetingPush, typingPush } from './helpers'

/** Subscribes and records every value the subscriber is run with. */
const record = <T>(store: { subscribe(run: (value: T) => void): () => void }) => {
  const values: T[] = []
  const unsubscribe = store.subscribe((value) => void values.push(value))
  return { values, unsubscribe }
}

describe('the store contract', () => {
  it('the first value is the current one, given synchronously and once', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    env.socket.receive(eventPush(1))
    await flush()
    const events = record(chatEventsStore(client, 'C1'))
    expect(events.values).toHaveLength(1)
    expect(events.values[0]?.map((e) => [e.id, e.status])).toEqual([['C1_E1', 'sent']])
    expect(get(customerStore(client))?.id).toBe('customer-1')
    events.unsubscribe()
    client.destroy()
  })

  it('is lazy: nothing subscribes to the client before the first subscriber; the last one leaving unsubscribes', async () => {
    const { client, listeners } = await createClient()
    const stores = [
      connectionStore(client),
      customerStore(client),
      availabilityStore(client),
      chatListStore(client),
      chatEventsStore(client, 'C1'),
      unreadCountStore(client, 'C1'),
      typingUsersStore(client, 'C1'),
      queuePositionStore(client, 'C1'),
      greetingStore(client),
      uploadsStore(client),
    ]
    expect(listeners()).toBe(0)
    const events = stores[4]
    const first = events?.subscribe(() => {})
    expect(listeners()).toBe(1)
    const second = events?.subscribe(() => {})
    expect(listeners()).toBe(1) // one subscription to the client per store, whatever its subscribers
    first?.()
    expect(listeners()).toBe(1)
    second?.()
    expect(listeners()).toBe(0)
    const all = stores.map((store) => store.subscribe(() => {}))
    expect(listeners()).toBe(stores.length)
    for (const unsubscribe of all) unsubscribe()
    expect(listeners()).toBe(0)
    client.destroy()
  })

  it('a store started again after a pause re-reads the snapshot (no value kept from before)', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const unread = unreadCountStore(client, 'C1')
    expect(get(unread)).toBe(0)
    env.socket.receive(eventPush(1))
    env.socket.receive(eventPush(2))
    await flush()
    expect(get(unread)).toBe(2)
    client.destroy()
  })

  it('skips notifications while its slice is unchanged', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush('C1', 'T1'))
    env.socket.receive(chatPush('C2', 'T2'))
    await flush()
    const events = record(chatEventsStore(client, 'C1'))
    const unread = record(unreadCountStore(client, 'C1'))
    const typing = record(typingUsersStore(client, 'C1'))
    const connection = record(connectionStore(client))
    const greeting = record(greetingStore(client))
    // activity in another chat changes the state, not these slices
    env.socket.receive(eventPush(1, 'C2', 'T2'))
    env.socket.receive(typingPush(true, 'C2'))
    await flush()
    expect(events.values).toHaveLength(1)
    expect(unread.values).toEqual([0])
    expect(typing.values).toEqual([[]])
    expect(connection.values).toHaveLength(1)
    expect(greeting.values).toEqual([null])
    // a change of the slice notifies once, with the new value
    env.socket.receive(eventPush(2, 'C1', 'T1'))
    await flush()
    expect(events.values).toHaveLength(2)
    expect(events.values[1]?.map((e) => e.id)).toEqual(['C1_E2'])
    expect(unread.values).toEqual([0, 1])
    expect(typing.values).toHaveLength(1)
    for (const r of [events, unread, typing, connection, greeting]) r.unsubscribe()
    client.destroy()
  })

  it('a deferred subscriber sees the current value, and the earlier subscribers are caught up with it (once)', async () => {
    const { client, env } = await createClient()
    const connection = connectionStore(client)
    const early = record(connection)
    // the connection's snapshot changes now; the seam notifies its listeners later (a microtask)
    env.signal('offline')
    expect(client.connection.getSnapshot().unstable).toBe(true)
    const late = record(connection)
    expect(late.values.map((c) => c.unstable)).toEqual([true])
    expect(early.values.map((c) => c.unstable)).toEqual([false, true])
    await flush()
    expect(early.values).toHaveLength(2)
    expect(late.values).toHaveLength(1)
    early.unsubscribe()
    late.unsubscribe()
    client.destroy()
  })

  it('a subscriber made by an SDK event listener sees the state that event is in', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const unread = unreadCountStore(client, 'C1')
    const early = record(unread)
    let late: ReturnType<typeof record<number>> | undefined
    // SDK events are emitted once the state holds them, before the state's listeners run
    client.on('incoming_event', () => {
      late = record(unread)
    })
    env.socket.receive(eventPush(1))
    await flush()
    expect(late?.values).toEqual([1])
    expect(early.values).toEqual([0, 1])
    early.unsubscribe()
    late?.unsubscribe()
    client.destroy()
  })

  it('selectorStore takes an equality: a derived value notifies only when it says so', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush('C1', 'T1'))
    await flush()
    const chatIds = (state: ChatState) => Object.keys(state.chats).sort()
    const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i])
    const ids = record(selectorStore(client, chatIds, sameIds))
    env.socket.receive(eventPush(1))
    await flush()
    expect(ids.values).toEqual([['C1']]) // a new array each time, but equal: no notification
    env.socket.receive(chatPush('C2', 'T2'))
    await flush()
    expect(ids.values).toEqual([['C1'], ['C1', 'C2']])
    ids.unsubscribe()
    client.destroy()
  })

  it('no leaks: 1,000 subscribe/unsubscribe cycles of every store leave no listener on the client', async () => {
    const { client, env, listeners } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    for (let i = 0; i < 1_000; i++) {
      const unsubscribers = [
        connectionStore(client),
        customerStore(client),
        availabilityStore(client),
        chatListStore(client),
        chatEventsStore(client, 'C1'),
        unreadCountStore(client, 'C1'),
        typingUsersStore(client, 'C1'),
        queuePositionStore(client, 'C1'),
        greetingStore(client),
        uploadsStore(client),
      ].map((store) => store.subscribe(() => {}))
      expect(listeners()).toBe(10)
      for (const unsubscribe of unsubscribers) unsubscribe()
    }
    expect(listeners()).toBe(0)
    // one store, many subscribers coming and going
    const events = chatEventsStore(client, 'C1')
    for (let i = 0; i < 1_000; i++) events.subscribe(() => {})()
    expect(listeners()).toBe(0)
    client.destroy()
  })
})

describe('each store over the real seam', () => {
  it('connectionStore: status, reason, unstable and nextRetryAt', async () => {
    const { client, env } = await createClient({ login: false })
    const connection = record(connectionStore(client))
    expect(connection.values).toEqual([{ status: 'connecting', reason: null, unstable: false, nextRetryAt: null, lastError: null }])
    env.socket.respond('login', (await import('./helpers')).loginResponse)
    await flush()
    expect(connection.values.at(-1)).toEqual({ status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    env.signal('offline')
    await flush()
    expect(connection.values.at(-1)).toEqual({ status: 'connected', reason: null, unstable: true, nextRetryAt: null, lastError: null })
    env.socket.drop(1006)
    await flush()
    const reconnecting = connection.values.at(-1)
    expect(reconnecting).toMatchObject({ status: 'reconnecting', reason: 'connection_lost', unstable: false })
    expect(reconnecting?.nextRetryAt).toBeGreaterThan(env.now())
    connection.unsubscribe()
    client.destroy()
  })

  it('customerStore and availabilityStore follow the login', async () => {
    const { client, env } = await createClient({ login: false })
    const customer = record(customerStore(client))
    const availability = record(availabilityStore(client))
    expect(customer.values).toEqual([null])
    expect(availability.values).toEqual(['offline'])
    env.socket.respond('login', (await import('./helpers')).loginResponse)
    await flush()
    expect(customer.values.map((c) => c?.id ?? null)).toEqual([null, 'customer-1'])
    expect(availability.values).toEqual(['offline', 'online'])
    customer.unsubscribe()
    availability.unsubscribe()
    client.destroy()
  })

  it('chatListStore: the chats, newest activity first', async () => {
    const { client, env } = await createClient()
    const list = record(chatListStore(client))
    env.socket.receive(chatPush('C1', 'T1'))
    env.socket.receive(chatPush('C2', 'T2'))
    env.socket.receive(eventPush(1, 'C2', 'T2'))
    env.socket.receive(eventPush(2, 'C1', 'T1'))
    await flush()
    expect(list.values.at(-1)?.map((item) => [item.chat.id, item.lastEvent?.id])).toEqual([
      ['C1', 'C1_E2'],
      ['C2', 'C2_E1'],
    ])
    list.unsubscribe()
    client.destroy()
  })

  it('chatEventsStore: the customer’s own message is pending, then sent', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const events = record(chatEventsStore(client, 'C1'))
    const sending = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'hi' } })
    await flush()
    expect(events.values.at(-1)?.map((e) => [e.type === 'message' && e.text, e.status])).toEqual([['hi', 'pending']])
    const request = env.socket.lastSent('send_event')
    env.socket.receive({ request_id: request?.request_id, action: 'send_event', type: 'response', success: true, payload: { event_id: 'E-hi' } })
    env.socket.receive({
      request_id: request?.request_id,
      action: 'incoming_event',
      type: 'push',
      payload: { chat_id: 'C1', thread_id: 'T1', event: { id: 'E-hi', type: 'message', text: 'hi', author_id: 'customer-1', created_at: '2026-01-01T00:00:10.000000Z' } },
    })
    await sending
    await flush()
    expect(events.values.at(-1)?.map((e) => [e.id, e.status])).toEqual([['E-hi', 'sent']])
    events.unsubscribe()
    client.destroy()
  })

  it('typingUsersStore: the ids of the users typing', async () => {
    const { client, env } = await createClient()
    env.socket.receive(chatPush())
    await flush()
    const typing = record(typingUsersStore(client, 'C1'))
    env.socket.receive(typingPush(true))
    await flush()
    env.socket.receive(typingPush(false))
    await flush()
    expect(typing.values).toEqual([[], ['agent-1'], []])
    typing.unsubscribe()
    client.destroy()
  })

  it('queuePositionStore: the queue of the chat’s active thread', async () => {
    const { client, env } = await createClient()
    const queue = record(queuePositionStore(client, 'C1'))
    env.socket.receive(chatPush('C1', 'T1', { position: 3, wait_time: 60 }))
    await flush()
    expect(queue.values).toEqual([null, expect.objectContaining({ position: 3, waitTime: 60 })])
    env.socket.receive({ action: 'queue_position_updated', type: 'push', payload: { chat_id: 'C1', thread_id: 'T1', queue: { position: 1, wait_time: 10 } } })
    await flush()
    expect(queue.values.at(-1)).toMatchObject({ position: 1, waitTime: 10 })
    queue.unsubscribe()
    client.destroy()
  })

  it('greetingStore: the greeting on display', async () => {
    const { client, env } = await createClient()
    const greeting = record(greetingStore(client))
    env.socket.receive(greetingPush())
    await flush()
    expect(greeting.values).toEqual([null, expect.objectContaining({ id: 7, uniqueId: 'G1' })])
    greeting.unsubscribe()
    client.destroy()
  })

  it('uploadsStore: an upload in progress, gone once finished', async () => {
    const { client } = await createClient()
    const uploads = record(uploadsStore(client))
    const { promise } = client.uploadFile({ file: new Blob(['hello']), name: 'hello.txt' })
    await promise
    await flush()
    expect(uploads.values[0]).toEqual([])
    expect(uploads.values.some((list) => list.some((u) => u.name === 'hello.txt' && u.status === 'uploading'))).toBe(true)
    expect(uploads.values.at(-1)).toEqual([])
    uploads.unsubscribe()
    client.destroy()
  })
})
