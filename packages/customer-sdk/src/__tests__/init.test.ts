import { FakeEnv } from '@rapport/testing'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { init } from '../index'

const loginResponse = {
  customer: { id: 'customer-1', type: 'customer', statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 } },
  has_active_thread: false,
  chats: [],
  __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0 } } },
}

/** Lets pending promise chains (token fetch, actor steps) run; the fake clock does not move. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

const connect = async () => {
  const env = new FakeEnv()
  const sdk = init({ organizationId: 'org', clientId: 'client', environment: env })
  await flush()
  env.socket.open()
  await flush()
  return { env, sdk, login: () => env.socket.respond('login', loginResponse) }
}

describe('init()', () => {
  it('validates the required options', () => {
    expect(() => init({ organizationId: '', clientId: 'c' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => init({ organizationId: 'o', clientId: undefined as unknown as string })).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })

  it('returns a frozen instance with the documented surface', async () => {
    const { sdk } = await connect()
    expect(Object.isFrozen(sdk)).toBe(true)
    for (const name of ['on', 'off', 'once', 'connect', 'disconnect', 'destroy', 'startChat', 'sendEvent', 'getChat', 'listChats', 'getCustomer', 'deactivateChat']) {
      expect(typeof (sdk as unknown as Record<string, unknown>)[name]).toBe('function')
    }
    expect(typeof sdk.auth.getToken).toBe('function')
    sdk.destroy()
  })

  it('status reads the connection, and methods work detached from the instance', async () => {
    const { sdk, login } = await connect()
    expect(sdk.status).toBe('connecting')
    login()
    await flush()
    expect(sdk.status).toBe('connected')
    const { getCustomer, status } = sdk
    expect(status).toBe('connected')
    const request = getCustomer()
    sdk.destroy()
    await expect(request).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
    expect(sdk.status).toBe('destroyed')
  })

  it('exposes the read side (state, connection, diagnostics$) and not the store’s write side', async () => {
    const { env, sdk, login } = await connect()
    login()
    await flush()
    expect(sdk.connection.getSnapshot()).toEqual({ status: 'connected', reason: null, unstable: false, nextRetryAt: null, lastError: null })
    expect('store' in sdk).toBe(false)
    expect('dispatch' in sdk.state).toBe(false)
    const dropped: string[] = []
    sdk.diagnostics$.subscribe((d) => dropped.push(d.type))
    env.socket.receive({ action: 'incoming_event', type: 'push', payload: { event: {} } })
    await flush()
    expect(dropped).toEqual(['invalid_push'])
    sdk.destroy()
  })

  it('on() returns an unsubscribe; off() removes one listener, an event’s listeners, or all', async () => {
    const { sdk, env, login } = await connect()
    const calls: string[] = []
    const a = () => calls.push('a')
    const b = () => calls.push('b')
    const recovered = () => calls.push('recovered')
    const unsubscribe = sdk.on('connection_unstable', a)
    sdk.on('connection_unstable', b)
    sdk.on('connection_recovered', recovered)
    login()
    await flush()
    const goOffline = async () => {
      env.signal('offline')
      await flush()
    }
    const answer = async () => {
      // any frame proves the link again
      env.socket.receive({ action: 'ping', type: 'response', success: true, payload: {} })
      await flush()
    }
    await goOffline()
    expect(calls).toEqual(['a', 'b'])
    await answer()
    expect(calls).toEqual(['a', 'b', 'recovered'])
    unsubscribe()
    await goOffline()
    expect(calls).toEqual(['a', 'b', 'recovered', 'b'])
    await answer()
    sdk.off('connection_unstable', b)
    await goOffline()
    expect(calls).toEqual(['a', 'b', 'recovered', 'b', 'recovered'])
    await answer()
    expect(calls).toEqual(['a', 'b', 'recovered', 'b', 'recovered', 'recovered'])
    sdk.off()
    await goOffline()
    await answer()
    expect(calls).toHaveLength(6)
    sdk.destroy()
  })

  it('once() with a listener calls it one time; without one it resolves with the payload', async () => {
    const { sdk, login } = await connect()
    const seen: string[] = []
    sdk.once('connected', ({ customer }) => seen.push(customer.id))
    const next = sdk.once('connected')
    expectTypeOf(next).resolves.toHaveProperty('availability')
    login()
    expect((await next).availability).toBe('online')
    expect(seen).toEqual(['customer-1'])
    sdk.destroy()
  })

  it('destroy() removes every listener and fails calls with SDK_DESTROYED', async () => {
    const { sdk, login } = await connect()
    let count = 0
    sdk.on('connected', () => count++)
    login()
    await flush()
    sdk.destroy()
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
    expect(count).toBe(1)
    expect(sdk.status).toBe('destroyed')
  })

  it('sends the documented login fields from the options', async () => {
    const env = new FakeEnv()
    const sdk = init({
      organizationId: 'org',
      clientId: 'client',
      environment: env,
      groupId: 2,
      page: { url: 'https://shop.example/cart', title: 'Cart' },
      referrer: 'https://search.example',
      tabId: 'tab-7',
      region: 'fra',
      customerDataProvider: () => ({ name: 'Ann', email: 'ann@example.com', sessionFields: { plan: 'pro' } }),
    })
    await flush()
    expect(env.socket.url).toBe('wss://api-fra.livechatinc.com/v3.6/customer/rtm/ws?organization_id=org')
    env.socket.open()
    await flush()
    expect(env.socket.lastSent('login')?.payload).toMatchObject({
      group_id: 2,
      customer_page: { url: 'https://shop.example/cart', title: 'Cart' },
      referrer: 'https://search.example',
      tab_id: 'tab-7',
      customer: { name: 'Ann', email: 'ann@example.com', session_fields: [{ plan: 'pro' }] },
    })
    expect(JSON.parse(env.httpRequests[0]?.body ?? '{}')).toMatchObject({ grant_type: 'cookie', client_id: 'client', organization_id: 'org', response_type: 'token' })
    sdk.destroy()
  })

  it('autoConnect: false waits for connect()', async () => {
    const env = new FakeEnv()
    const sdk = init({ organizationId: 'org', clientId: 'client', environment: env, autoConnect: false })
    await flush()
    expect(env.sockets).toHaveLength(0)
    sdk.connect()
    await flush()
    expect(env.sockets).toHaveLength(1)
    sdk.destroy()
  })
})
