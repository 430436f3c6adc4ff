import { describe, expect, it } from 'vitest'
import { nextEvent } from '../customerClient'
import { createCustomerMethods } from '../customerMethods'
import { getEvent } from '../state/chatReducer'
import { orderToArray } from '../state/collections'
import { completeLogin, flush, setup } from './helpers'

describe('customer client over a fake socket', () => {
  it('carries every method the outbound side makes, and reads status from the connection', () => {
    const { client } = setup({ autoConnect: false })
    // the client copies the methods one by one (one shape for all clients): none may be left out
    const made = createCustomerMethods({} as Parameters<typeof createCustomerMethods>[0])
    const missing = Object.keys(made).filter((name) => typeof (client as unknown as Record<string, unknown>)[name] !== 'function')
    expect(missing).toEqual([])
    expect(client.status).toBe('idle')
    client.connect()
    expect(client.status).toBe(client.connection.getSnapshot().status)
    expect(client.status).toBe('connecting')
    client.destroy()
    expect(client.status).toBe('destroyed')
  })

  it('fetches a token, opens the socket, logs in and emits connected', async () => {
    const { env, client } = setup()
    const connected = nextEvent(client, 'connected')
    const customerId = nextEvent(client, 'customer_id')
    const socket = await completeLogin(env)
    expect(socket.url).toBe('wss://api.livechatinc.com/v3.6/customer/rtm/ws?organization_id=org')
    const login = socket.lastSent('login')
    expect(login?.payload).toMatchObject({ token: 'Bearer dal:test', customer: {}, is_mobile: false })
    expect((login?.payload?.pushes as Record<string, string[]>)['3.6']).toContain('incoming_event')
    expect(await customerId).toBe('customer-1')
    expect((await connected).customer.id).toBe('customer-1')
    expect(client.status).toBe('connected')
    expect(client.connection.getSnapshot()).toEqual({ status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    client.destroy()
  })

  it('rejects requests with NO_CONNECTION before login and SDK_DESTROYED after destroy', async () => {
    const { client } = setup({ autoConnect: false })
    await expect(client.getCustomer()).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    client.destroy()
    await expect(client.getCustomer()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
  })

  it('sendEvent resolves from the push carrying its request id, and the push is not emitted', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    const seen: string[] = []
    client.on('incoming_event', ({ event }) => seen.push(event.id))
    const sending = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'hi' } })
    await flush()
    const request = socket.lastSent('send_event')
    expect(request?.payload).toEqual({ chat_id: 'C1', event: { type: 'message', text: 'hi', custom_id: expect.stringMatching(/^rapport_[0-9a-z]{16}$/) } })
    socket.receive({ request_id: request?.request_id, action: 'send_event', type: 'response', success: true, payload: { event_id: 'E1' } })
    socket.receive({
      request_id: request?.request_id,
      action: 'incoming_event',
      type: 'push',
      payload: { chat_id: 'C1', thread_id: 'T1', event: { id: 'E1', type: 'message', text: 'hi', author_id: 'customer-1', created_at: '2026-01-01T00:00:00.000001Z' } },
    })
    const event = await sending
    expect(event).toMatchObject({ id: 'E1', type: 'message', text: 'hi', threadId: 'T1', authorId: 'customer-1' })
    expect(seen).toEqual([])
    await flush()
    expect(orderToArray(client.state.getSnapshot().threads.T1?.eventIds ?? [])).toEqual(['E1'])
    client.destroy()
  })

  it('one sendEvent round trip commits the state twice: the pending entry, then the sent event in its place', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    await flush()
    let notifications = 0
    client.state.subscribe(() => void notifications++)
    const sending = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'hi' } })
    await flush()
    expect(notifications).toBe(1)
    const pending = client.state.getSnapshot().chats.C1?.pendingEventIds ?? []
    expect(pending).toHaveLength(1)
    const request = socket.lastSent('send_event')
    socket.receive({ request_id: request?.request_id, action: 'send_event', type: 'response', success: true, payload: { event_id: 'E1' } })
    socket.receive({
      request_id: request?.request_id,
      action: 'incoming_event',
      type: 'push',
      payload: { chat_id: 'C1', thread_id: 'T1', event: { id: 'E1', type: 'message', text: 'hi', author_id: 'customer-1', created_at: '2026-01-01T00:00:00.000001Z' } },
    })
    await sending
    // the state already holds the sent event when the promise resumes its caller
    const state = client.state.getSnapshot()
    expect(notifications).toBe(2)
    expect(state.chats.C1?.pendingEventIds).toEqual([])
    expect(orderToArray(state.threads.T1?.eventIds ?? [])).toEqual(['E1'])
    expect(getEvent(state, pending[0] as string)).toBeUndefined()
    await flush()
    expect(notifications).toBe(2)
    client.destroy()
  })

  it('sends events one after the other, each as soon as the previous one resolves', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    let answered = 0
    // a server that answers each send_event at once (response, then the push with its id)
    const send = socket.send.bind(socket)
    socket.send = (data: string) => {
      send(data)
      const frame = JSON.parse(data) as { request_id: string; action: string; payload: { event: { text: string; custom_id: string } } }
      if (frame.action !== 'send_event') return
      const id = `E${++answered}`
      queueMicrotask(() => {
        socket.receive({ request_id: frame.request_id, action: 'send_event', type: 'response', success: true, payload: { event_id: id } })
        socket.receive({
          request_id: frame.request_id,
          action: 'incoming_event',
          type: 'push',
          payload: { chat_id: 'C1', thread_id: 'T1', event: { id, type: 'message', text: frame.payload.event.text, custom_id: frame.payload.event.custom_id, author_id: 'customer-1', created_at: `2026-01-01T00:00:0${answered}.000000Z` } },
        })
      })
    }
    let notifications = 0
    client.state.subscribe(() => void notifications++)
    for (let i = 1; i <= 5; i++) expect((await client.sendEvent({ chatId: 'C1', event: { type: 'message', text: `m${i}` } })).id).toBe(`E${i}`)
    expect(notifications).toBe(10)
    expect(orderToArray(client.state.getSnapshot().threads.T1?.eventIds ?? [])).toEqual(['E1', 'E2', 'E3', 'E4', 'E5'])
    client.destroy()
  })

  it('rejects a message over 16 KB with VALIDATION and sends nothing', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    const before = socket.sent.length
    await expect(client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'x'.repeat(16 * 1024 + 1) } })).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(socket.sent.length).toBe(before)
    client.destroy()
  })

  it('fails in-flight requests with CONNECTION_LOST when the socket drops, then reconnects', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    const pending = client.getCustomer()
    await flush()
    const disconnected = nextEvent(client, 'disconnected')
    socket.drop()
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_LOST' })
    expect(await disconnected).toEqual({ reason: 'connection_lost' })
    expect(client.status).toBe('reconnecting')
    env.clock.advance(1_000)
    await completeLogin(env)
    expect(env.sockets.length).toBe(2)
    expect(client.status).toBe('connected')
    client.destroy()
  })
})

describe('identity switch', () => {
  it('a token for another customer emits identity_changed then customer_id, and clears that identity’s data', async () => {
    let customer = 'customer-1'
    const { FakeEnv } = await import('@rapport/testing')
    const env = new FakeEnv({
      http: () => ({ status: 200, body: JSON.stringify({ access_token: `dal:${customer}`, entity_id: customer, expires_in: 28_800, token_type: 'Bearer', organization_id: 'org' }) }),
    })
    const { client } = setup({}, env)
    const socket = await completeLogin(env)
    socket.receive({ action: 'customer_side_storage_updated', type: 'push', payload: { customer_side_storage: { k: 'v' } } })
    socket.receive({ action: 'incoming_chat', type: 'push', payload: { chat: { id: 'C1', users: [], thread: { id: 'T1', active: true, user_ids: [], events: [], created_at: '2026-01-01T00:00:00.000000Z' } } } })
    await flush()
    expect(client.state.getSnapshot().chats.C1).toBeDefined()
    expect(env.storage.getItem('side_storage_org')).toBe('{"k":"v"}')

    const events: string[] = []
    client.on('identity_changed', ({ previousId, newId }) => events.push(`changed ${previousId}→${newId}`))
    client.on('customer_id', (id) => events.push(`id ${id}`))
    customer = 'customer-2'
    socket.receive({ action: 'customer_disconnected', type: 'push', payload: { reason: 'access_token_expired' } })
    await flush()
    env.clock.advance(1_000)
    await completeLogin(env, 'customer-2')
    expect(events).toEqual(['changed customer-1→customer-2', 'id customer-2'])
    expect(client.state.getSnapshot().chats.C1).toBeUndefined()
    expect(client.state.getSnapshot().customerId).toBe('customer-2')
    expect(env.storage.getItem('side_storage_org')).toBeNull()
    expect(env.socket.lastSent('login')?.payload?.customer_side_storage).toEqual({})
    client.destroy()
  })
})
