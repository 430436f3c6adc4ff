import { describe, expect, it } from 'vitest'
import { BOT, ORG, startServer } from './helpers/harness'

describe('customer login', () => {
  it('answers with the customer, its chats and the dynamic config', async () => {
    const h = await startServer()
    const { login, customerId } = await h.customer({
      login: { customer: { name: 'Ann', email: 'ann@example.com', session_fields: [{ plan: 'pro' }] }, group_id: 0, tab_id: 'x', application: { name: 'test', version: '1' } },
    })
    expect(login).toMatchObject({
      customer: {
        id: customerId,
        type: 'customer',
        name: 'Ann',
        email: 'ann@example.com',
        session_fields: [{ plan: 'pro' }],
        statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 0, greetings_shown_count: 0, greetings_accepted_count: 0 },
      },
      has_active_thread: false,
      chats: [],
      __priv_dynamic_config: { customer_groups: { monitoring: { id: 0 } } },
    })
    expect(login.__priv_dynamic_config).not.toHaveProperty('online_groups_ids')
  })

  it('lists online groups once an agent accepts chats', async () => {
    const h = await startServer()
    await h.agent(BOT.id)
    const { login } = await h.customer({ login: { group_id: 3 } })
    expect(login.__priv_dynamic_config).toMatchObject({ online_groups_ids: [0], customer_groups: { monitoring: { id: 3 } } })
  })

  it('rejects an unknown token, a token of another organization and a second login', async () => {
    const h = await startServer()
    const socket = await h.open('customer')
    const bad = await socket.request('login', { token: 'Bearer dal:nope' })
    expect(bad).toMatchObject({ success: false, action: 'login', payload: { error: { type: 'authentication' } } })

    const other = await h.token('b0b0b0b0-0000-4000-8000-000000000002')
    const foreign = await socket.request('login', { token: `Bearer ${other.access_token}` })
    expect(foreign.payload).toMatchObject({ error: { type: 'authentication' } })

    const mine = await h.token()
    expect((await socket.request('login', { token: `Bearer ${mine.access_token}` })).success).toBe(true)
    const twice = await socket.request('login', { token: `Bearer ${mine.access_token}` })
    expect(twice.payload).toMatchObject({ error: { type: 'validation' } })
  })

  it('requires login before any action but ping', async () => {
    const h = await startServer()
    const socket = await h.open('customer')
    expect(await socket.request('ping')).toMatchObject({ action: 'ping', type: 'response', success: true, payload: {} })
    const early = await socket.request('get_customer')
    expect(early).toMatchObject({ request_id: 'r2', action: 'get_customer', success: false, payload: { error: { type: 'authentication' } } })
  })

  it('answers a ping without request_id or payload', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    socket.send({ action: 'ping' })
    const pong = await socket.next((f) => f.action === 'ping')
    expect(pong).toEqual({ action: 'ping', type: 'response', success: true, payload: {} })
  })

  it('rejects an upgrade without organization_id', async () => {
    const h = await startServer()
    const url = h.wsUrl('customer').replace(/\?.*$/, '')
    await expect(import('./helpers/testSocket').then(({ TestSocket }) => TestSocket.open(url))).rejects.toThrow(/400/)
  })

  it('accepts the 3.5 path', async () => {
    const h = await startServer()
    const { TestSocket } = await import('./helpers/testSocket')
    const socket = await TestSocket.open(h.wsUrl('customer').replace('/v3.6/', '/v3.5/'))
    expect((await socket.request('ping')).success).toBe(true)
    socket.close()
  })
})

describe('connection lifecycle', () => {
  it('pushes connection_timeout and closes an idle connection', async () => {
    const h = await startServer({ idleTimeoutMs: 150 })
    const { socket } = await h.customer()
    const push = await socket.push('customer_disconnected')
    expect(push.payload).toEqual({ reason: 'connection_timeout' })
    await socket.closed
  })

  it('keeps a silent client alive with control pings (a pong is activity)', async () => {
    const h = await startServer({ idleTimeoutMs: 300, serverPingIntervalMs: 50 })
    const { socket } = await h.customer()
    // The harness client answers pings automatically; wait for several idle periods' worth of pings.
    let pings = 0
    await new Promise<void>((resolve) => socket.ws.on('ping', () => ++pings === 12 && resolve()))
    expect(socket.isOpen).toBe(true)
    expect(socket.buffered('customer_disconnected')).toEqual([])
  })

  it('times out a client that never pongs', async () => {
    const h = await startServer({ idleTimeoutMs: 200, serverPingIntervalMs: 50 })
    const token = await h.token()
    const socket = await h.open('customer', ORG, { autoPong: false })
    await socket.ok('login', { token: `Bearer ${token.access_token}` })
    expect((await socket.push('customer_disconnected')).payload).toEqual({ reason: 'connection_timeout' })
  })

  it('closes a socket that does not log in within the login window', async () => {
    const h = await startServer({ loginTimeoutMs: 100, idleTimeoutMs: 0 })
    const socket = await h.open('customer')
    expect((await socket.push('customer_disconnected')).payload).toEqual({ reason: 'connection_timeout' })
    await socket.closed
  })

  it('forces a customer_disconnected with any reason and data, then closes (admin in-process and HTTP)', async () => {
    const h = await startServer()
    const a = await h.customer()
    const tab = await h.open('customer')
    const token = await h.token(ORG, a.customerId)
    await tab.ok('login', { token: `Bearer ${token.access_token}`, pushes: { '3.6': ['incoming_chat'] } })
    expect(h.server.admin.disconnectCustomer(a.customerId, 'misdirected_connection', { region: 'fra' })).toBe(2)
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'misdirected_connection', data: { region: 'fra' } })
    // delivered even though this tab did not subscribe to it
    expect((await tab.push('customer_disconnected')).payload).toMatchObject({ reason: 'misdirected_connection' })
    await a.socket.closed
    await tab.closed

    const b = await h.customer()
    const response = await h.adminFetch(`customers/${b.customerId}/disconnect`, { reason: 'customer_banned' })
    expect(await response.json()).toEqual({ ok: true, connections: 1 })
    expect((await b.socket.push('customer_disconnected')).payload).toEqual({ reason: 'customer_banned' })
    await b.socket.closed
  })

  it('drops sockets silently and stalls them on demand', async () => {
    const h = await startServer()
    const a = await h.customer()
    h.server.admin.dropCustomer(a.customerId)
    await a.socket.closed
    expect(a.socket.buffered('customer_disconnected')).toEqual([])

    const b = await h.customer()
    expect(h.server.admin.stallCustomer(b.customerId)).toBe(1)
    b.socket.send({ request_id: 'stalled', action: 'ping' })
    // let the frame reach the stalled socket before resuming it
    await new Promise((resolve) => setTimeout(resolve, 50))
    h.server.admin.stallCustomer(b.customerId, false)
    await b.socket.sync()
    expect(b.socket.received.some((f) => f.request_id === 'stalled')).toBe(false)
    const stall = await h.adminFetch(`customers/${b.customerId}/stall`, {})
    expect(await stall.json()).toEqual({ ok: true, connections: 1 })
  })

  it('reports state counts', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    await socket.ok('start_chat', {})
    expect(h.server.admin.health()).toEqual({ ok: true, connections: 1, customers: 1, chats: 1 })
  })

  it('filters pushes by the login subscription', async () => {
    const h = await startServer()
    const a = await h.customer()
    const token = await h.token(ORG, a.customerId)
    const tab = await h.open('customer')
    await tab.ok('login', { token: `Bearer ${token.access_token}`, pushes: { '3.6': ['incoming_event'] } })
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    await a.socket.ok('send_event', { chat_id, event: { type: 'message', text: 'hi' } })
    await tab.push('incoming_event')
    await tab.sync()
    expect(tab.received.filter((f) => f.type === 'push').map((f) => f.action)).toEqual(['incoming_event'])
  })
})
