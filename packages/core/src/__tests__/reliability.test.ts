/**
 * Field-known failures of chat clients, one named test each, on a fake network with a
 * manual clock (packages/testing FakeEnv) and a scripted server (FakeChatServer).
 */
import { FakeEnv, type FakeSocket } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import type { CustomerClientConfig } from '../customerClient'
import { orderToArray } from '../state/collections'
import { getEvent } from '../state/chatReducer'
import { DEFAULTS } from '../defaults'
import { FakeChatServer } from './fakeChatServer'
import { flush, setup } from './helpers'

const start = async (config: Partial<CustomerClientConfig> = {}, env = new FakeEnv()) => {
  const server = new FakeChatServer(env)
  server.attach()
  const { client } = setup(config, env)
  await flush(10)
  await client.whenStatus('connected')
  return { env, server, client }
}

/** Drops the socket and lets the client reconnect and catch up. */
const outage = async (env: FakeEnv, during?: () => void | Promise<void>) => {
  env.socket.drop()
  await flush()
  await during?.()
  env.clock.advance(1_000)
  await flush(20)
}

const texts = (events: Array<{ type: string; text?: string }>) => events.map((e) => (e.type === 'message' ? e.text : e.type))

const threadTexts = (client: Awaited<ReturnType<typeof start>>['client'], threadId: string) => {
  const state = client.state.getSnapshot()
  return orderToArray(state.threads[threadId]?.eventIds ?? []).map((id) => {
    const event = getEvent(state, id)
    return event?.type === 'message' ? event.text : undefined
  })
}

describe('field-known failures of chat clients', () => {
  it('messages missed while disconnected are emitted once each after the reconnect, in order', async () => {
    const { env, server, client } = await start()
    server.addEvent('C1', 'before')
    await client.getChat({ chatId: 'C1' })
    const seen: Array<{ type: string; text?: string }> = []
    client.on('incoming_event', ({ event }) => seen.push(event))
    await outage(env, () => {
      server.addEvent('C1', 'missed 1')
      server.addEvent('C1', 'missed 2')
    })
    expect(client.status).toBe('connected')
    expect(texts(seen)).toEqual(['missed 1', 'missed 2'])
    expect(threadTexts(client, server.latest('C1').id)).toEqual(['before', 'missed 1', 'missed 2'])
    client.destroy()
  })

  it('a thread started and finished while away is caught up too (partial history is completed)', async () => {
    const { env, server, client } = await start()
    server.addEvent('C1', 'first thread')
    await client.getChat({ chatId: 'C1' })
    const seen: string[] = []
    client.on('incoming_event', ({ event }) => seen.push(event.type === 'message' ? event.text : event.type))
    const chats: string[] = []
    client.on('incoming_chat', ({ chat }) => chats.push(chat.thread?.id ?? ''))
    await outage(env, () => {
      server.addEvent('C1', 'tail of first thread')
      server.addThread('C1', false)
      server.addEvent('C1', 'second thread')
      const third = server.addThread('C1', true)
      server.addEvent('C1', 'third thread')
      return void third
    })
    expect(seen).toEqual(['tail of first thread', 'second thread'])
    expect(chats).toEqual([server.latest('C1').id])
    expect(client.state.getSnapshot().chats.C1?.threadIds).toHaveLength(3)
    client.destroy()
  })

  it('partial recovery: a drop in the middle of catching up is finished by the next session, with no duplicates', async () => {
    const { env, server, client } = await start()
    server.addEvent('A', 'a0')
    server.addEvent('B', 'b0')
    await client.getChat({ chatId: 'A' })
    await client.getChat({ chatId: 'B' })
    const seen: string[] = []
    client.on('incoming_event', ({ event }) => seen.push(event.type === 'message' ? event.text : ''))
    env.socket.drop()
    server.addEvent('A', 'a1')
    server.addEvent('B', 'b1')
    // the next session drops as soon as chat A was read
    const originalCreate = env.createSocket
    let dropAfterFirstChat = true
    env.createSocket = (url) => {
      const socket = originalCreate(url) as FakeSocket
      const receive = socket.receive.bind(socket)
      socket.receive = (frame: object | string) => {
        receive(frame)
        if (dropAfterFirstChat && typeof frame === 'object' && (frame as { action?: string }).action === 'get_chat') {
          dropAfterFirstChat = false
          queueMicrotask(() => socket.drop())
        }
      }
      return socket
    }
    env.clock.advance(1_000)
    await flush(20)
    env.clock.advance(2_000)
    await flush(20)
    expect(client.status).toBe('connected')
    expect(seen.sort()).toEqual(['a1', 'b1'])
    client.destroy()
  })

  it('duplicates after reconnect: a push repeated by the server is folded again but not emitted again', async () => {
    const { env, server, client } = await start()
    server.latest('C1')
    await client.getChat({ chatId: 'C1' })
    const seen: string[] = []
    client.on('incoming_event', ({ event }) => seen.push(event.id))
    const event = server.addEvent('C1', 'hello')
    server.push(env.socket, 'C1', event)
    await flush()
    await outage(env)
    server.push(env.socket, 'C1', event)
    server.push(env.socket, 'C1', event)
    await flush()
    expect(seen).toEqual([event.id])
    expect(threadTexts(client, server.latest('C1').id)).toEqual(['hello'])
    client.destroy()
  })

  it('listener and timer counts stay flat over 100 reconnects', async () => {
    const { env, client } = await start()
    const listeners = env.signalListeners
    const timersConnected = env.clock.pending
    for (let i = 0; i < 100; i++) await outage(env)
    expect(client.status).toBe('connected')
    expect(env.signalListeners).toBe(listeners)
    expect(env.clock.pending).toBe(timersConnected)
    expect(env.liveSockets).toHaveLength(1)
    // every replaced socket was let go: no handler left on any of them
    expect(env.sockets.slice(0, -1).every((s) => s.onmessage === null && s.onclose === null)).toBe(true)
    client.destroy()
    expect(env.clock.pending).toBe(0)
    expect(env.signalListeners).toBe(0)
  })

  it('a zombie socket after sleep (open, silent) is detected by the watchdog and replaced', async () => {
    const { env, server, client } = await start()
    const events: string[] = []
    client.on('connection_unstable', () => events.push('unstable'))
    client.on('disconnected', ({ reason }) => events.push(`disconnected ${reason}`))
    client.on('connected', () => events.push('connected'))
    const zombie = env.socket
    server.silent = true // the laptop slept: the socket looks open, nothing arrives
    env.clock.advance(15_000 + 5_000)
    await flush()
    expect(events).toEqual(['unstable'])
    server.silent = false
    env.clock.advance(15_000)
    await flush(10)
    env.clock.advance(1_000)
    await flush(20)
    expect(events).toEqual(['unstable', 'disconnected connection_lost', 'connected'])
    expect(zombie.closedByClient).toBe(true)
    expect(env.liveSockets).toEqual([env.socket])
    client.destroy()
  })

  it('background-tab throttling (late timers) does not cause a false disconnect', async () => {
    const { env, client } = await start()
    const events: string[] = []
    client.on('connection_unstable', () => events.push('unstable'))
    client.on('disconnected', () => events.push('disconnected'))
    env.signal('hidden')
    // timers of a hidden tab run late, all at once; the server keeps answering meanwhile
    for (let i = 0; i < 10; i++) {
      env.socket.receive({ action: 'incoming_typing_indicator', type: 'push', payload: { chat_id: 'C', typing_indicator: { author_id: 'a', is_typing: false } } })
      env.clock.advance(60_000)
      await flush()
    }
    expect(events.filter((e) => e === 'disconnected')).toEqual([])
    expect(client.status).toBe('connected')
    client.destroy()
  })

  it('a hidden tab whose socket really died is not declared dead by a throttled timer, but is checked when visible again', async () => {
    const { env, server, client } = await start()
    env.signal('hidden')
    server.silent = true
    env.clock.advance(10 * 60_000)
    await flush()
    expect(client.status).toBe('connected') // unstable, but not dropped while hidden
    server.silent = false
    env.signal('visible') // probe now: the server answers, the link is proven again
    await flush(10)
    expect(client.status).toBe('connected')
    client.destroy()
  })

  it('a lying navigator.onLine: "online" is a probe, "offline" is a suspicion, neither is the truth', async () => {
    const { env, server, client } = await start()
    const events: string[] = []
    client.on('connection_unstable', () => events.push('unstable'))
    client.on('connection_recovered', () => events.push('recovered'))
    client.on('disconnected', () => events.push('disconnected'))
    const pings = server.count('ping')
    env.signal('offline') // the browser says offline, the socket works
    await flush(10)
    expect(server.count('ping')).toBe(pings + 1) // it checked
    expect(events).toEqual(['unstable', 'recovered'])
    server.silent = true
    env.signal('online') // the browser says online, the network is down
    await flush(10)
    expect(events).toEqual(['unstable', 'recovered']) // no recovery is claimed on the browser's word
    client.destroy()
  })

  it('reconnect storm: clients dropped together spread their attempts out', async () => {
    const first: number[] = []
    for (let seed = 1; seed <= 50; seed++) {
      const env = new FakeEnv({ seed })
      const { client } = await start({}, env)
      // connected for a while (pings answered), then the server restarts under everyone
      for (let i = 0; i < 4; i++) {
        env.clock.advance(15_000)
        await flush(3)
      }
      const sockets = env.sockets.length
      env.socket.drop()
      await flush()
      let waited = 0
      while (env.sockets.length === sockets && waited < 2_000) {
        env.clock.advance(10)
        waited += 10
        await flush(2)
      }
      first.push(waited)
      client.destroy()
    }
    // full jitter: the first retry anywhere in [0, 1 s), both halves used, no burst
    const buckets = new Set(first.map((ms) => Math.floor(ms / 50)))
    expect(Math.max(...first)).toBeLessThanOrEqual(1_000)
    expect(first.filter((ms) => ms <= 500).length).toBeGreaterThanOrEqual(first.length / 4)
    expect(first.filter((ms) => ms > 500).length).toBeGreaterThanOrEqual(first.length / 4)
    expect(buckets.size).toBeGreaterThanOrEqual(12) // of the window's 20 × 50 ms
  })

  it('token expiry never loops: one refresh, then a pause until connect()', async () => {
    const env = new FakeEnv()
    const server = new FakeChatServer(env)
    server.attach()
    server.loginError = 'authentication'
    const { client } = setup({}, env)
    const reasons: string[] = []
    client.on('disconnected', ({ reason }) => reasons.push(reason))
    for (let i = 0; i < 30; i++) {
      env.clock.advance(5_000)
      await flush(5)
    }
    expect(client.status).toBe('paused')
    expect(reasons).toEqual(['authentication'])
    expect(server.count('login')).toBe(2)
    expect(env.httpRequests).toHaveLength(2) // the cached token, then one fresh one
    server.loginError = null
    client.connect()
    await flush(20)
    expect(client.status).toBe('connected')
    client.destroy()
  })

  it('unread markers do not drift: after a reconnect they are the server’s, not incremented copies', async () => {
    const { env, server, client } = await start()
    server.addEvent('C1', 'x')
    await client.getChat({ chatId: 'C1' })
    const seenUpTo = server.now()
    await outage(env, () => {
      const chat = server.wireChat('C1')
      chat.users = [{ id: server.customerId, type: 'customer', present: true, events_seen_up_to: seenUpTo } as never]
      server.wireChat = () => chat
    })
    expect(client.state.getSnapshot().chats.C1?.eventsSeenUpTo[server.customerId]).toBe(seenUpTo)
    client.destroy()
  })

  it('a token endpoint that never answers: each attempt times out and counts as failed, the client keeps trying', async () => {
    const env = new FakeEnv({ http: () => new Promise(() => {}) })
    const { client } = setup({}, env)
    await flush()
    expect(client.status).toBe('connecting')
    env.clock.advance(10_000) // the token request's own timeout: a failed attempt
    await flush()
    expect(client.status).toBe('reconnecting')
    env.clock.advance(DEFAULTS.retry.baseDelayMs)
    await flush()
    expect(env.httpRequests).toHaveLength(2)
    client.destroy()
  })

  it('a failed catch-up request is retried: the outbox still sends once the session has caught up', async () => {
    const { env, server, client } = await start()
    server.latest('C1')
    await client.getChat({ chatId: 'C1' })
    server.failNext.set('get_chat', { type: 'internal', times: 1 })
    await outage(env)
    expect(client.status).toBe('connected')
    const sent = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'after a failed catch-up' } })
    env.clock.advance(DEFAULTS.retry.baseDelayMs)
    await flush(20)
    await expect(sent).resolves.toMatchObject({ text: 'after a failed catch-up' })
    expect(server.count('get_chat')).toBeGreaterThanOrEqual(3) // the first read, the failed catch-up, its retry
    client.destroy()
  })

  it('a catch-up that keeps failing replaces the session instead of leaving sends waiting', async () => {
    const { env, server, client } = await start()
    server.latest('C1')
    await client.getChat({ chatId: 'C1' })
    server.failNext.set('get_chat', { type: 'internal', times: DEFAULTS.catchUpAttempts })
    const sockets = env.sockets.length
    await outage(env)
    const sent = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'still goes' } })
    for (let i = 0; i < 10; i++) {
      env.clock.advance(1_000)
      await flush(10)
    }
    expect(env.sockets.length).toBeGreaterThan(sockets + 1) // the outage's socket, then a replacement
    await expect(sent).resolves.toMatchObject({ text: 'still goes' })
    client.destroy()
  })

  it('outgoing messages around an outage are neither lost nor duplicated nor reordered', async () => {
    const { env, server, client } = await start()
    server.latest('C1')
    await client.getChat({ chatId: 'C1' })
    // one in flight when the socket drops (ambiguous: the server stored it), three written while offline
    const inFlight = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'm1' } })
    await flush(2)
    const silentSocket = env.socket
    silentSocket.drop()
    await flush()
    const offline = ['m2', 'm3', 'm4'].map((text) => client.sendEvent({ chatId: 'C1', event: { type: 'message', text } }))
    await flush()
    const pending = client.state.getSnapshot().chats.C1?.pendingEventIds ?? []
    expect(pending.length).toBeGreaterThanOrEqual(3)
    expect(pending.every((id) => getEvent(client.state.getSnapshot(), id)?.status === 'pending')).toBe(true)
    env.clock.advance(1_000)
    await flush(30)
    const sent = await Promise.all([inFlight, ...offline])
    expect(texts(sent)).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(texts(server.latest('C1').events)).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(threadTexts(client, server.latest('C1').id)).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(client.state.getSnapshot().chats.C1?.pendingEventIds).toEqual([])
    client.destroy()
  })

  it('a send the server refuses leaves the outbox as failed with its code, and the next one still goes', async () => {
    const { server, client } = await start()
    server.latest('C1')
    const refused = client.sendEvent({ chatId: 'NOPE', event: { type: 'message', text: 'lost?' } })
    const next = client.sendEvent({ chatId: 'C1', event: { type: 'message', text: 'next' } })
    await expect(refused).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(next).resolves.toMatchObject({ text: 'next' })
    const failed = client.state.getSnapshot().chats.NOPE?.pendingEventIds ?? []
    expect(failed.map((id) => getEvent(client.state.getSnapshot(), id))).toEqual([expect.objectContaining({ status: 'failed', error: 'NOT_FOUND', text: 'lost?' })])
    client.destroy()
  })

  it('repeated connect() never opens a second connection', async () => {
    const env = new FakeEnv()
    new FakeChatServer(env).attach()
    const { client } = setup({ autoConnect: false }, env)
    for (let i = 0; i < 10; i++) client.connect()
    await flush(20)
    expect(env.sockets).toHaveLength(1)
    for (let i = 0; i < 10; i++) client.connect()
    await flush(20)
    expect(env.liveSockets).toHaveLength(1)
    expect(client.status).toBe('connected')
    client.destroy()
  })

  it('never stuck in a terminal state: paused and disconnected resume with connect(); destroyed is final but a new instance works', async () => {
    const { env, server, client } = await start()
    env.socket.receive({ action: 'customer_disconnected', type: 'push', payload: { reason: 'inactivity_timeout' } })
    await flush()
    expect(client.status).toBe('paused')
    client.connect()
    await flush(20)
    expect(client.status).toBe('connected')
    client.disconnect()
    expect(client.status).toBe('idle')
    client.connect()
    await flush(20)
    expect(client.status).toBe('connected')
    env.socket.receive({ action: 'customer_disconnected', type: 'push', payload: { reason: 'customer_banned' } })
    await flush(5)
    expect(client.status).toBe('destroyed')
    expect(() => client.connect()).toThrow(expect.objectContaining({ code: 'SDK_DESTROYED' }))
    const again = setup({}, env).client
    await flush(20)
    expect(again.status).toBe('connected')
    expect(server.count('login')).toBeGreaterThanOrEqual(4)
    again.destroy()
  })
})
