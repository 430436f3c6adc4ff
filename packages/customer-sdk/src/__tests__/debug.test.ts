import { FakeEnv } from '@rapport/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debug, init } from '../index'

const loginResponse = {
  customer: { id: 'customer-1', type: 'customer', statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 } },
  has_active_thread: false,
  chats: [],
  __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0 } } },
}
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

let info: ReturnType<typeof vi.spyOn>
let warn: ReturnType<typeof vi.spyOn>
let error: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  info = vi.spyOn(console, 'info').mockImplementation(() => {})
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  error = vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => vi.restoreAllMocks())

const connected = async () => {
  const env = new FakeEnv()
  const sdk = debug(init({ organizationId: 'org', clientId: 'client', environment: env }))
  await flush()
  env.socket.open()
  await flush()
  env.socket.respond('login', loginResponse)
  await flush()
  return { env, sdk }
}

describe('debug(sdk), as 4.0.2 logs', () => {
  it('keeps the instance: the same keys, each of the same kind, frozen, status read live', async () => {
    const env = new FakeEnv()
    const plain = init({ organizationId: 'org', clientId: 'client', autoConnect: false, environment: env })
    const sdk = debug(plain)
    expect(Object.isFrozen(sdk)).toBe(true)
    const kinds = (o: object) => Object.fromEntries(Object.keys(o).map((k) => [k, typeof Reflect.get(o, k)]))
    expect(kinds(sdk)).toMatchObject(kinds(plain))
    expect(sdk.status).toBe('idle')
    expect(sdk.state).toBe(plain.state)
    sdk.destroy()
    expect(plain.status).toBe('destroyed')
  })

  it('logs every request with its arguments (===>) and what it resolved with (<===)', async () => {
    const { env, sdk } = await connected()
    const pending = sdk.getCustomer()
    expect(info).toHaveBeenCalledWith('.getCustomer() ===>')
    env.socket.respond('get_customer', loginResponse.customer)
    const customer = await pending
    expect(info).toHaveBeenCalledWith('.getCustomer() <===', customer)
    sdk.destroy()
  })

  it('logs a rejection with console.error and still rejects', async () => {
    const { env, sdk } = await connected()
    const pending = sdk.getChat({ chatId: 'c1', threadId: 't1' })
    expect(info).toHaveBeenCalledWith('.getChat() ===>', { chatId: 'c1', threadId: 't1' })
    const request = env.socket.lastSent('get_chat')
    env.socket.receive({ request_id: request?.request_id, action: 'get_chat', type: 'response', success: false, payload: { error: { type: 'not_found', message: 'Chat not found' } } })
    await expect(pending).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(error).toHaveBeenCalledWith('.getChat() <===', expect.objectContaining({ code: 'NOT_FOUND' }))
    sdk.destroy()
  })

  it('logs auth calls with the .auth prefix', async () => {
    const { sdk } = await connected()
    await sdk.auth.getToken()
    expect(info).toHaveBeenCalledWith('.auth.getToken() ===>')
    expect(info).toHaveBeenCalledWith('.auth.getToken() <===', expect.objectContaining({ accessToken: 'dal:test' }))
    sdk.destroy()
  })

  it('logs every event a listener receives; off() removes the listener given to on()', async () => {
    const env = new FakeEnv()
    const sdk = debug(init({ organizationId: 'org', clientId: 'client', environment: env }))
    const seen: unknown[] = []
    const onConnected = (payload: unknown) => seen.push(payload)
    sdk.on('connected', onConnected)
    const once = sdk.once('customer_id')
    await flush()
    expect(await once).toBe('customer-1')
    expect(info).toHaveBeenCalledWith('.once("customer_id") <===', 'customer-1')
    env.socket.open()
    await flush()
    env.socket.respond('login', loginResponse)
    await flush()
    expect(seen).toHaveLength(1)
    expect(info).toHaveBeenCalledWith('.on("connected") <===', seen[0])

    sdk.off('connected', onConnected)
    expect(info).toHaveBeenCalledWith('.off("connected", onConnected)')
    env.socket.drop()
    await flush()
    env.clock.advance(60_000)
    await flush()
    env.socket.open()
    await flush()
    env.socket.respond('login', loginResponse)
    await flush()
    expect(seen).toHaveLength(1)
    sdk.destroy()
  })

  it('logs each page of the chat history', async () => {
    const { env, sdk } = await connected()
    const history = sdk.getChatHistory({ chatId: 'c1' })
    expect(info).toHaveBeenCalledWith('.getChatHistory()', { chatId: 'c1' })
    const page = history.next()
    await flush()
    env.socket.respond('list_threads', { threads: [], found_threads: 0 })
    await page
    expect(info).toHaveBeenCalledWith('history.next() ===>', { chatId: 'c1' })
    expect(info).toHaveBeenCalledWith('history.next() <===', { chatId: 'c1' }, expect.objectContaining({ done: true }))
    sdk.destroy()
  })

  it('warns why an attempt failed (a wrong serverUrl shows its URL from the first attempt)', async () => {
    const env = new FakeEnv({ http: () => ({ status: 404, body: 'Not Found' }) })
    const sdk = debug(init({ organizationId: 'org', clientId: 'client', serverUrl: 'http://localhost:1', environment: env }))
    await flush()
    await flush()
    expect(warn).toHaveBeenCalledWith(
      'connection: destroyed (invalid_request) — token failed: SSO_OAUTH_EXCEPTION invalid_request (HTTP 404) (http://localhost:1/v2/customer/token)',
      expect.objectContaining({ lastError: expect.objectContaining({ url: 'http://localhost:1/v2/customer/token' }) }),
    )
    sdk.destroy()
  })
})
