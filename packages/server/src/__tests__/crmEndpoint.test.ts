import { describe, expect, it } from 'vitest'
import { FixedWindowCounter } from '../limits'
import { DEFAULT_CRM_API_KEYS, type ServerOptions } from '../options'
import { ORG, startServer } from './helpers/harness'

const KEY = 'test-crm-key-0123456789'
const LEGACY_KEY = 'test-crm-legacy-0123456789'
const NO_ROLE_KEY = 'test-crm-no-role-0123456789'
const OTHER_ORG_KEY = 'test-crm-other-org-012345'

const crmOptions = (limits: ServerOptions['limits'] = {}): ServerOptions => ({
  crmApiKeys: [
    { key: KEY, organizationId: ORG },
    { key: LEGACY_KEY, organizationId: ORG, roles: ['org.user.customer.read'] },
    { key: NO_ROLE_KEY, organizationId: ORG, roles: ['org.permission.conversation.read'] },
    { key: OTHER_ORG_KEY, organizationId: 'another-org' },
  ],
  limits,
})

const get = (url: string, id: string, key?: string): Promise<Response> =>
  fetch(`${url}/v1/customers/${encodeURIComponent(id)}`, key === undefined ? {} : { headers: { Authorization: `Bearer ${key}` } })

const rateHeaders = (response: Response) => ({
  limit: response.headers.get('x-ratelimit-limit'),
  remaining: response.headers.get('x-ratelimit-remaining'),
  reset: response.headers.get('x-ratelimit-reset'),
})

describe('CRM endpoint GET /v1/customers/{id}', () => {
  it('serves a chat customer as the CRM record, by its id or its external id', async () => {
    const h = await startServer(crmOptions())
    const bot = await h.agent()
    const { socket, customerId } = await h.customer({
      login: {
        customer: { name: 'Ada Lovelace', email: 'ada@example.com', session_fields: [{ external_id: 'crm-42' }, { plan: 'pro' }] },
        customer_page: { url: 'https://example.com/pricing', title: 'Pricing' },
      },
    })
    const started = await socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'Hello there' }] } } })
    await bot.push('incoming_chat')

    const response = await get(h.server.url, customerId, KEY)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await response.json()) as { data: Record<string, unknown> & { attributes: Record<string, unknown> } }
    expect(body.data).toMatchObject({
      type: 'customer',
      id: customerId,
      links: { self: `/v1/customers/${customerId}` },
      relationships: { org: { data: { id: ORG, type: 'org' } }, messages: { links: { self: `/v1/customers/${customerId}/messages` } } },
    })
    const attributes = body.data.attributes
    expect(attributes).toMatchObject({
      name: 'Ada Lovelace',
      displayName: 'Ada Lovelace',
      externalId: 'crm-42',
      externalIds: [{ externalId: 'crm-42', id: null, verified: false }],
      emails: [{ email: 'ada@example.com', id: null, type: 'other', verified: false }],
      presence: 'online',
      conversationCounts: { all: 1, open: 1, done: 0, snoozed: 0 },
      progressiveStatus: 'open',
      lastConversation: { id: started.chat_id, sentiment: { confidence: 0, polarity: 0 }, tags: [] },
      preview: { text: 'Hello there', type: 'chat', subject: '' },
      custom: { planStr: 'pro' },
      avatarUrl: null,
      verified: false,
    })
    for (const field of ['createdAt', 'updatedAt', 'modifiedAt', 'lastSeenAt', 'lastActivityAt', 'lastCustomerActivityAt']) {
      expect(attributes[field], field).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    }
    expect(attributes.lastMessageIn).toEqual({ sentAt: attributes.lastCustomerActivityAt, sentiment: null })

    const byExternal = await get(h.server.url, 'crm-42', KEY)
    expect(byExternal.status).toBe(200)
    expect(((await byExternal.json()) as { data: { id: string } }).data.id).toBe(customerId)
  })

  it('answers a customer without a name or any activity with the activity fields left out', async () => {
    const h = await startServer(crmOptions())
    const { customerId } = await h.customer()
    const body = (await (await get(h.server.url, customerId, KEY)).json()) as { data: { attributes: Record<string, unknown> } }
    const attributes = body.data.attributes
    expect(attributes.displayName).toBe(customerId)
    for (const absent of ['name', 'externalId', 'lastConversation', 'lastMessageIn', 'preview', 'lastActivityAt', 'custom']) {
      expect(attributes, absent).not.toHaveProperty(absent)
    }
    expect(attributes.conversationCounts).toEqual({ all: 0, open: 0, done: 0, snoozed: 0 })
    expect(attributes.emails).toEqual([])
  })

  it('refuses a missing or unknown key with 401 in the {code, message, meta} shape, without rate-limit headers', async () => {
    const h = await startServer(crmOptions())
    const { customerId } = await h.customer()
    for (const key of [undefined, 'wrong-key-0123456789', '']) {
      const response = await get(h.server.url, customerId, key)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(rateHeaders(response)).toEqual({ limit: null, remaining: null, reset: null })
      expect(await response.json()).toEqual({ errors: [{ code: 'unauthorized', message: 'A valid API key is required', meta: {} }] })
    }
    const basic = await fetch(`${h.server.url}/v1/customers/${customerId}`, { headers: { Authorization: `Basic ${KEY}` } })
    expect(basic.status).toBe(401)
  })

  it('refuses a key without the read permission with 403; the legacy role reads', async () => {
    const h = await startServer(crmOptions())
    const { customerId } = await h.customer()
    const forbidden = await get(h.server.url, customerId, NO_ROLE_KEY)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toMatchObject({ errors: [{ code: 'forbidden', meta: {} }] })
    expect(rateHeaders(forbidden).limit).toBe('60')
    expect((await get(h.server.url, customerId, LEGACY_KEY)).status).toBe(200)
  })

  it('answers an unknown id, or another organization\'s customer, with a JSON:API 404', async () => {
    const h = await startServer(crmOptions())
    const { customerId } = await h.customer()
    const unknown = await get(h.server.url, 'no-such-customer', KEY)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({
      errors: [{ status: '404', code: 'not_found', title: 'Not Found', detail: 'No customer no-such-customer', source: { parameter: 'id' }, meta: {} }],
    })
    expect((await get(h.server.url, customerId, OTHER_ORG_KEY)).status).toBe(404)
    const tooLong = await get(h.server.url, 'x'.repeat(300), KEY)
    expect(tooLong.status).toBe(400)
    expect(await tooLong.json()).toMatchObject({ errors: [{ status: '400', code: 'bad_request', source: { parameter: 'id' } }] })
  })

  it('counts each key in a fixed window: the headers count down, 429 until the reset, then it passes again', async () => {
    const h = await startServer(crmOptions({ crmRequestsPerWindow: 2, crmWindowMs: 1000 }))
    const { customerId } = await h.customer()
    const before = Date.now()
    const first = await get(h.server.url, customerId, KEY)
    const second = await get(h.server.url, 'unknown', KEY)
    const third = await get(h.server.url, customerId, KEY)
    expect([first.status, second.status, third.status]).toEqual([200, 404, 429])
    expect(rateHeaders(first)).toMatchObject({ limit: '2', remaining: '1' })
    expect(rateHeaders(second)).toMatchObject({ limit: '2', remaining: '0' })
    expect(rateHeaders(third)).toMatchObject({ limit: '2', remaining: '0' })
    const reset = Number(rateHeaders(third).reset)
    expect(reset * 1000).toBeGreaterThanOrEqual(before + 1000)
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 2000)
    expect(await third.json()).toMatchObject({ errors: [{ code: 'too_many_requests', meta: { limit: 2, reset } }] })
    // another key has its own window
    expect((await get(h.server.url, customerId, LEGACY_KEY)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, reset * 1000 - Date.now() + 20))
    const after = await get(h.server.url, customerId, KEY)
    expect(after.status).toBe(200)
    expect(rateHeaders(after)).toMatchObject({ limit: '2', remaining: '1' })
  })

  it('answers injected failures in the JSON:API shape, then serves again', async () => {
    const h = await startServer(crmOptions())
    const { customerId } = await h.customer()
    h.server.admin.failCrmRequests(503, 2)
    const failed = await get(h.server.url, customerId, KEY)
    expect(failed.status).toBe(503)
    expect(await failed.json()).toMatchObject({ errors: [{ status: '503', code: 'service_unavailable', title: 'Service Unavailable' }] })
    expect((await get(h.server.url, customerId, undefined)).status).toBe(401) // the key check comes first
    expect((await get(h.server.url, customerId, KEY)).status).toBe(503)
    expect((await get(h.server.url, customerId, KEY)).status).toBe(200)
  })

  it('has a demo key for the demo organization by default, and none with crmApiKeys: []', async () => {
    expect(DEFAULT_CRM_API_KEYS).toEqual([{ key: 'rapport-demo-crm-key', organizationId: 'rapport-demo', roles: ['org.permission.customer.read'] }])
    const demo = await startServer()
    const { customerId } = await demo.customer({ organizationId: 'rapport-demo' })
    expect((await get(demo.server.url, customerId, 'rapport-demo-crm-key')).status).toBe(200)
    const none = await startServer({ crmApiKeys: [] })
    const other = await none.customer({ organizationId: 'rapport-demo' })
    expect((await get(none.server.url, other.customerId, 'rapport-demo-crm-key')).status).toBe(401)
    await expect(startServer({ crmApiKeys: [{ key: 'short', organizationId: ORG }] })).rejects.toThrow(/at least 16/)
  })
})

describe('FixedWindowCounter', () => {
  it('starts a window with a key\'s first request and forgets it after', () => {
    let now = 10_000
    const counter = new FixedWindowCounter(2, 1000, () => now)
    expect(counter.take('k')).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: 11_000 })
    now = 10_500
    expect(counter.take('k')).toEqual({ allowed: true, limit: 2, remaining: 0, resetAtMs: 11_000 })
    expect(counter.take('k')).toEqual({ allowed: false, limit: 2, remaining: 0, resetAtMs: 11_000 })
    expect(counter.take('j')?.resetAtMs).toBe(11_500)
    now = 11_000
    expect(counter.take('k')).toEqual({ allowed: true, limit: 2, remaining: 1, resetAtMs: 12_000 })
    now = 12_000
    counter.prune()
    expect(counter.size).toBe(0)
    expect(new FixedWindowCounter(0, 1000, () => now).take('k')).toBeUndefined()
  })
})
