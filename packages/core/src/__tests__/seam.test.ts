/**
 * The seam every adapter reads (STYLE §2): `client.state` and `client.connection` are
 * ExternalStores with a pure `getSnapshot()`, asynchronous notifications, one notification
 * per burst of frames through the real inbound path, and selectors that notify only when
 * their slice changes.
 */
import { describe, expect, it } from 'vitest'
import { type ExternalStore, select } from '../externalStore'
import { getEvent } from '../state/chatReducer'
import { activeThread, chatEvents, chatList, typingUserIds, typingUsers, unreadCount } from '../state/selectors'
import { completeLogin, flush, setup } from './helpers'

const eventPush = (i: number, chatId = 'C1', threadId = 'T1', authorId = 'agent-1') => ({
  action: 'incoming_event',
  type: 'push',
  payload: {
    chat_id: chatId,
    thread_id: threadId,
    event: { id: `${chatId}_E${i}`, type: 'message', text: `message ${i}`, author_id: authorId, created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('Z', '000Z') },
  },
})

const chatPush = (chatId = 'C1', threadId = 'T1') => ({
  action: 'incoming_chat',
  type: 'push',
  payload: {
    chat: {
      id: chatId,
      users: [
        { id: 'customer-1', type: 'customer', present: true, events_seen_up_to: '2026-01-01T00:00:00.000000Z' },
        { id: 'agent-1', type: 'agent', name: 'Ann', present: true },
      ],
      thread: { id: threadId, active: true, events: [], created_at: '2026-01-01T00:00:00.000000Z', properties: {}, access: {} },
      properties: {},
      access: {},
    },
  },
})

const counting = <T>(store: ExternalStore<T>) => {
  let calls = 0
  const unsubscribe = store.subscribe(() => void calls++)
  return { unsubscribe, calls: () => calls }
}

const connected = async () => {
  const { env, client } = setup()
  const socket = await completeLogin(env)
  await flush()
  return { env, client, socket }
}

describe('the state seam', () => {
  it('getSnapshot is a pure read: the same reference until a commit, whatever reads happen mid-burst', async () => {
    const { client, socket } = await connected()
    const before = client.state.getSnapshot()
    expect(client.state.getSnapshot()).toBe(before)
    socket.receive(chatPush())
    for (let i = 0; i < 10; i++) {
      socket.receive(eventPush(i))
      expect(client.state.getSnapshot()).toBe(before)
    }
    await flush()
    const after = client.state.getSnapshot()
    expect(after).not.toBe(before)
    expect(getEvent(after, 'C1_E9')).toMatchObject({ text: 'message 9', status: 'sent' })
    expect(client.state.getSnapshot()).toBe(after)
    client.destroy()
  })

  it('a burst of 100 pushes through the real inbound path: one commit, one notification, every event emitted once after it', async () => {
    const { client, socket } = await connected()
    socket.receive(chatPush())
    await flush()
    const counter = counting(client.state)
    const emitted: string[] = []
    let heldWhenEmitted = true
    client.on('incoming_event', ({ event }) => {
      emitted.push(event.id)
      // an event reaches listeners only once the state holds it
      heldWhenEmitted &&= getEvent(client.state.getSnapshot(), event.id) !== undefined
    })
    for (let i = 0; i < 100; i++) {
      socket.receive(eventPush(i))
      void client.state.getSnapshot() // reads in between never commit
    }
    expect(counter.calls()).toBe(0)
    await flush()
    expect(counter.calls()).toBe(1)
    expect(emitted).toHaveLength(100)
    expect(heldWhenEmitted).toBe(true)
    expect(chatEvents('C1')(client.state.getSnapshot())).toHaveLength(100)
    client.destroy()
  })

  it('a repeated push is folded but not emitted again, in the same burst or a later one', async () => {
    const { client, socket } = await connected()
    const emitted: string[] = []
    client.on('incoming_event', ({ event }) => emitted.push(event.id))
    socket.receive(eventPush(1))
    socket.receive(eventPush(1))
    await flush()
    socket.receive(eventPush(1))
    await flush()
    expect(emitted).toEqual(['C1_E1'])
    client.destroy()
  })

  it('subscribe never calls the listener synchronously; unsubscribe is idempotent', async () => {
    const { client, socket } = await connected()
    let calls = 0
    const unsubscribe = client.state.subscribe(() => void calls++)
    expect(calls).toBe(0)
    socket.receive(eventPush(1))
    expect(calls).toBe(0)
    await flush()
    expect(calls).toBe(1)
    unsubscribe()
    unsubscribe()
    socket.receive(eventPush(2))
    await flush()
    expect(calls).toBe(1)
    client.destroy()
  })

  it('the same listener subscribed twice is called twice and unsubscribed one at a time', async () => {
    const { client, socket } = await connected()
    let calls = 0
    const listener = () => void calls++
    const first = client.state.subscribe(listener)
    client.state.subscribe(listener)
    first()
    socket.receive(eventPush(1))
    await flush()
    expect(calls).toBe(1)
    client.destroy()
  })
})

describe('the connection seam', () => {
  it('status and reason come from the machine alone; the snapshot keeps its reference until they change; notified asynchronously', async () => {
    const { env, client } = setup()
    const counter = counting(client.connection)
    const first = client.connection.getSnapshot()
    expect(first).toEqual({ status: 'connecting', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    expect(client.connection.getSnapshot()).toBe(first)
    expect(counter.calls()).toBe(0)
    const socket = await completeLogin(env)
    expect(client.connection.getSnapshot()).toEqual({ status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    expect(counter.calls()).toBeGreaterThan(0)
    const calls = counter.calls()
    socket.drop(1006)
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'reconnecting', reason: 'connection_lost', unstable: false })
    expect(counter.calls()).toBe(calls) // not synchronously
    await flush()
    expect(counter.calls()).toBe(calls + 1)
    counter.unsubscribe()
    counter.unsubscribe()
    client.destroy()
    expect(client.connection.getSnapshot().status).toBe('destroyed')
    expect(client.status).toBe('destroyed')
  })

  it('unstable while connected with a suspect link, cleared when a frame proves it again; one new snapshot per change', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    const counter = counting(client.connection)
    const stable = client.connection.getSnapshot()
    expect(stable).toMatchObject({ status: 'connected', unstable: false })
    env.signal('offline')
    const unstable = client.connection.getSnapshot()
    expect(unstable).toEqual({ status: 'connected', reason: null, unstable: true, nextRetryAt: null, lastError: null })
    expect(client.connection.getSnapshot()).toBe(unstable)
    await flush()
    expect(counter.calls()).toBe(1)
    socket.receive({ action: 'ping', type: 'response', success: true, payload: {} })
    expect(client.connection.getSnapshot()).toEqual({ status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    await flush()
    expect(counter.calls()).toBe(2)
    counter.unsubscribe()
    client.destroy()
  })

  it('nextRetryAt: the due time of the next attempt while reconnecting (the attempt starts then), null otherwise', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    env.clock.advance(1_000)
    socket.drop(1006)
    const reconnecting = client.connection.getSnapshot()
    expect(reconnecting.status).toBe('reconnecting')
    const dueAt = reconnecting.nextRetryAt
    expect(dueAt).toBeTypeOf('number')
    expect(dueAt).toBeGreaterThan(env.now())
    expect(client.connection.getSnapshot()).toBe(reconnecting)
    // the machine's timer is the one the snapshot announced: nothing happens a moment before, the attempt starts on time
    const sockets = env.sockets.length
    env.clock.advance((dueAt as number) - env.now() - 1)
    expect(client.connection.getSnapshot()).toBe(reconnecting)
    env.clock.advance(1)
    await flush()
    expect(env.sockets.length).toBe(sockets + 1)
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'connecting', nextRetryAt: null })
    // a second failure schedules a later attempt
    env.socket.drop(1006)
    const again = client.connection.getSnapshot()
    expect(again).toMatchObject({ status: 'reconnecting' })
    expect(again.nextRetryAt).toBeGreaterThan(env.now())
    // connect() while waiting: the attempt starts now and the due time is gone
    client.connect()
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'connecting', nextRetryAt: null })
    client.destroy()
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'destroyed', nextRetryAt: null, unstable: false })
  })
})

describe('selectors', () => {
  it('chatEvents orders a chat across threads with delivery status and notifies only when that chat changes', async () => {
    const { client, socket } = await connected()
    socket.receive(chatPush('C1', 'T1'))
    socket.receive(chatPush('C2', 'T9'))
    socket.receive(eventPush(1, 'C1', 'T1'))
    await flush()
    const events = select(client.state, chatEvents('C1'))
    const counter = counting(events)
    const before = events.getSnapshot()
    expect(before.map((e) => [e.id, e.status])).toEqual([['C1_E1', 'sent']])

    socket.receive(eventPush(2, 'C2', 'T9')) // another chat
    await flush()
    expect(counter.calls()).toBe(0)
    expect(events.getSnapshot()).toBe(before)

    const sending = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'mine' } })
    await flush()
    expect(counter.calls()).toBe(1)
    expect(events.getSnapshot().map((e) => e.status)).toEqual(['sent', 'pending'])
    socket.drop(1006)
    await expect(Promise.race([sending, flush().then(() => 'waiting')])).resolves.toBe('waiting')
    client.destroy()
  })

  it('unreadCount counts others’ events after the customer’s seen marker; typingUsers and activeThread follow their pushes', async () => {
    const { client, socket } = await connected()
    socket.receive(chatPush('C1', 'T1'))
    for (let i = 1; i <= 3; i++) socket.receive(eventPush(i))
    socket.receive(eventPush(4, 'C1', 'T1', 'customer-1'))
    await flush()
    const state = () => client.state.getSnapshot()
    expect(unreadCount('C1')(state())).toBe(3)
    expect(activeThread('C1')(state())?.id).toBe('T1')

    const typing = select(client.state, typingUsers('C1'))
    const typingCounter = counting(typing)
    socket.receive({ action: 'incoming_typing_indicator', type: 'push', payload: { chat_id: 'C1', typing_indicator: { author_id: 'agent-1', is_typing: true } } })
    await flush()
    expect(typing.getSnapshot().map((u) => u.id)).toEqual(['agent-1'])
    const typingIds = typingUserIds('C1')
    const ids = typingIds(state())
    expect(ids).toEqual(['agent-1'])
    socket.receive(eventPush(5))
    await flush()
    expect(typingCounter.calls()).toBe(1) // a new event elsewhere in the state: the typing slice did not change
    expect(typingIds(state())).toBe(ids)
    expect(typingUserIds('nope')(state())).toEqual([])

    socket.receive({ action: 'events_marked_as_seen', type: 'push', payload: { chat_id: 'C1', user_id: 'customer-1', seen_up_to: '2026-01-01T00:00:05.000000Z' } })
    await flush()
    expect(unreadCount('C1')(state())).toBe(0)
    socket.receive({ action: 'chat_deactivated', type: 'push', payload: { chat_id: 'C1' } })
    await flush()
    expect(activeThread('C1')(state())).toBeNull()
    client.destroy()
  })

  it('chatList gives each chat with its last event, newest activity first, keeping items that did not change', async () => {
    const { client, socket } = await connected()
    socket.receive(chatPush('C1', 'T1'))
    socket.receive(chatPush('C2', 'T9'))
    socket.receive(eventPush(1, 'C1', 'T1'))
    socket.receive(eventPush(2, 'C2', 'T9'))
    await flush()
    const list = chatList()
    const first = list(client.state.getSnapshot())
    expect(first.map((item) => [item.chat.id, item.lastEvent?.id])).toEqual([
      ['C2', 'C2_E2'],
      ['C1', 'C1_E1'],
    ])
    socket.receive(eventPush(3, 'C1', 'T1'))
    await flush()
    const second = list(client.state.getSnapshot())
    expect(second.map((item) => item.chat.id)).toEqual(['C1', 'C2'])
    expect(second[1]).toBe(first[0]) // C2 unchanged: the same item
    client.destroy()
  })
})
