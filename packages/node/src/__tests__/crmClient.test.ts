import { describe, expect, it } from 'vitest'
import { CrmError, createCrmClient, crmBaseUrl, type CrmClientOptions, type CrmCustomer } from '../crm'

/** A record with every attribute of seed 001 (and custom attributes), as the API sends it. */
const FULL_RECORD: CrmCustomer = {
  type: 'customer',
  id: '5f1e0c2a9b3d4e0012345678',
  attributes: {
    name: 'Ada Lovelace',
    displayName: 'Ada Lovelace',
    displayColor: 'purple',
    displayIcon: 'owl',
    externalId: 'ext-1',
    externalIds: [{ externalId: 'ext-1', id: null, verified: true }],
    sharedExternalIds: [],
    signedUpAt: '2020-01-02T03:04:05.000Z',
    avatarUrl: 'https://example.com/ada.png',
    username: 'ada',
    emails: [{ email: 'ada@example.com', id: 'e1', type: 'work', verified: true }],
    sharedEmails: [{ email: 'team@example.com', id: null, type: 'other', verified: false }],
    phones: [{ phone: '+441234', type: 'mobile' }],
    sharedPhones: [],
    socials: [{ type: 'twitter', username: 'ada' }],
    sharedSocials: [],
    urls: [{ url: 'https://ada.example.com', type: 'website' }],
    locations: [{ type: 'home', city: 'London' }],
    activeUsers: ['u1'],
    watchers: [],
    recentLocation: { updatedAt: '2024-05-01T10:00:00.000Z' },
    locale: 'en-GB',
    timeZone: 'Europe/London',
    birthdayAt: null,
    gender: 'female',
    presence: 'offline',
    createdAt: '2020-01-02T03:04:05.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    modifiedAt: '2024-05-01T10:00:00.000Z',
    lastSeenAt: '2024-05-01T09:00:00.000Z',
    lastActivityAt: '2024-05-01T09:30:00.000Z',
    lastCustomerActivityAt: '2024-05-01T09:20:00.000Z',
    lastMessageIn: { sentAt: '2024-05-01T09:20:00.000Z', sentiment: null },
    lastConversation: { id: 'conv-1', sentiment: { confidence: 0.8, polarity: 1 }, tags: ['vip'] },
    conversationCounts: { all: 5, done: 3, open: 1, snoozed: 1 },
    preview: { previewAt: '2024-05-01T09:20:00.000Z', subject: 'Order', text: 'Where is my order?', type: 'email' },
    tags: ['t1'],
    sentiment: { confidence: 0.5, polarity: -1 },
    progressiveStatus: 'open',
    verified: true,
    rev: 7,
    custom: { tierStr: 'gold', ordersNum: 12, vipBool: true, renewalAt: '2025-01-01T00:00:00.000Z', notesTxt: null, colorsStr: ['red', 'blue'] },
  },
  relationships: {
    org: { data: { id: 'org-1', type: 'org' }, links: { self: '/v1/orgs/org-1' } },
    messages: { links: { self: '/v1/customers/5f1e0c2a9b3d4e0012345678/messages' } },
    modifiedBy: { data: { id: 'user-1', type: 'user' }, links: { self: '/v1/users/user-1' } },
  },
  links: { self: '/v1/customers/5f1e0c2a9b3d4e0012345678' },
}

interface Call {
  url: string
  headers: Headers
  at: number
}

type Reply = Response | ((init: RequestInit) => Promise<Response>) | Error

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

/** A fetch that answers from a script (the last reply repeats) and records every call. */
const scripted = (...replies: Reply[]) => {
  const calls: Call[] = []
  const fetch: typeof globalThis.fetch = async (input, init = {}) => {
    calls.push({ url: String(input), headers: new Headers(init.headers), at: performance.now() })
    const reply = replies[Math.min(calls.length, replies.length) - 1]
    if (reply === undefined) throw new Error('no reply scripted')
    if (reply instanceof Error) throw reply
    if (typeof reply === 'function') return reply(init)
    return reply.clone()
  }
  return { fetch, calls }
}

/** A fetch that never answers; it rejects as fetch does when its signal aborts. */
const hanging = () => {
  const calls: Call[] = []
  const fetch: typeof globalThis.fetch = (input, init = {}) => {
    calls.push({ url: String(input), headers: new Headers(init.headers), at: performance.now() })
    return new Promise((_resolve, reject) => {
      const signal = init.signal
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
  }
  return { fetch, calls }
}

const client = (fetch: typeof globalThis.fetch, options: Partial<CrmClientOptions> = {}) =>
  createCrmClient({ baseUrl: 'http://crm.test/' }, { apiKey: 'key-1', fetch, random: () => 0, retry: { baseDelayMs: 10, maxDelayMs: 100 }, ...options })

const failure = async (promise: Promise<unknown>): Promise<CrmError> => {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(CrmError)
    return error as CrmError
  }
  throw new Error('expected a CrmError')
}

describe('createCrmClient: the request', () => {
  it('GETs /v1/customers/{id} with the bearer key and parses every attribute of the record', async () => {
    const { fetch, calls } = scripted(json(200, { data: FULL_RECORD }))
    const crm = client(fetch)
    expect(crm.baseUrl).toBe('http://crm.test')
    await expect(crm.getCustomer('a/b c')).resolves.toEqual(FULL_RECORD)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.url).toBe('http://crm.test/v1/customers/a%2Fb%20c')
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer key-1')
    expect(calls[0]?.headers.get('accept')).toBe('application/json')
  })

  it('parses a record without the optional attributes, dropping attributes the seeds do not name', async () => {
    const { name: _n, externalId: _e, lastConversation: _c, custom: _x, ...required } = FULL_RECORD.attributes
    const { modifiedBy: _m, ...relationships } = FULL_RECORD.relationships
    const sent = { ...FULL_RECORD, attributes: { ...required, someFutureAttribute: 1 }, relationships }
    const { fetch } = scripted(json(200, { data: sent }))
    const customer = await client(fetch).getCustomer('x')
    expect(customer.attributes).toEqual(required)
    expect(customer.attributes.name).toBeUndefined()
    expect(customer.relationships.modifiedBy).toBeUndefined()
  })

  it('refuses an answer that is not the documented shape with invalid_response naming the misfit', async () => {
    const wrongRev = { ...FULL_RECORD, attributes: { ...FULL_RECORD.attributes, rev: '7' } }
    const error = await failure(client(scripted(json(200, { data: wrongRev })).fetch).getCustomer('x'))
    expect(error).toMatchObject({ status: 200, code: 'invalid_response' })
    expect(error.detail).toMatch(/^data\.attributes\.rev: /)
    const wrongCustom = { ...FULL_RECORD, attributes: { ...FULL_RECORD.attributes, custom: { ordersNum: 'twelve' } } }
    const custom = await failure(client(scripted(json(200, { data: wrongCustom })).fetch).getCustomer('x'))
    expect(custom.detail).toMatch(/custom\.ordersNum: a custom attribute ending in its type must be a number/)
    const notJson = await failure(client(scripted(new Response('<html>', { status: 200 })).fetch).getCustomer('x'))
    expect(notJson.code).toBe('invalid_response')
  })

  it('targets the organization subdomain, or a base URL; refuses what is neither', () => {
    expect(crmBaseUrl({ subdomain: 'Acme-EU' })).toBe('https://acme-eu.api.kustomerapp.com')
    expect(crmBaseUrl({ baseUrl: 'https://api.prod2.kustomerapp.com//' })).toBe('https://api.prod2.kustomerapp.com')
    expect(crmBaseUrl({ baseUrl: 'http://127.0.0.1:8080/crm/' })).toBe('http://127.0.0.1:8080/crm')
    expect(() => crmBaseUrl({ subdomain: 'acme.evil.com' })).toThrow(TypeError)
    expect(() => crmBaseUrl({ baseUrl: 'ftp://x' })).toThrow(TypeError)
    expect(() => createCrmClient({ subdomain: 'acme' }, { apiKey: ' ' })).toThrow(TypeError)
  })
})

describe('createCrmClient: errors', () => {
  it('parses the {code, message, meta} shape with the rate-limit figures', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30
    const { fetch } = scripted(
      json(403, { errors: [{ code: 'forbidden', message: 'Missing permission', meta: { role: 'x' } }] }, {
        'x-ratelimit-limit': '300',
        'x-ratelimit-remaining': '299',
        'x-ratelimit-reset': String(reset),
      }),
    )
    const crm = client(fetch)
    const error = await failure(crm.getCustomer('x'))
    expect(error).toMatchObject({ name: 'CrmError', status: 403, code: 'forbidden', detail: 'Missing permission', meta: { role: 'x' } })
    expect(error.rateLimit).toEqual({ limit: 300, remaining: 299, reset: new Date(reset * 1000) })
    expect(error.errors).toEqual([{ code: 'forbidden', detail: 'Missing permission', meta: { role: 'x' } }])
    expect(error.message).toBe('forbidden (HTTP 403): Missing permission')
    expect(crm.rateLimit).toEqual(error.rateLimit)
  })

  it('parses the JSON:API shape (status, code, title, detail, source, meta), every entry kept', async () => {
    const body = {
      errors: [
        { status: '404', code: 'not_found', title: 'Not Found', detail: 'No customer x', source: { parameter: 'id' }, meta: {} },
        { status: 404, title: 'Second' },
      ],
    }
    const error = await failure(client(scripted(json(404, body)).fetch).getCustomer('x'))
    expect(error).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found', detail: 'No customer x', source: { parameter: 'id' }, meta: {} })
    expect(error.errors[1]).toEqual({ status: '404', title: 'Second' })
    expect(error.rateLimit).toBeUndefined()
  })

  it('names an error answer without a usable body by its status', async () => {
    const error = await failure(client(scripted(new Response('Bad gateway', { status: 400 })).fetch).getCustomer('x'))
    expect(error).toMatchObject({ status: 400, code: 'http_400', detail: 'Bad request', errors: [] })
    const odd = await failure(client(scripted(json(422, { errors: [{ code: 5, message: ['x'] }] })).fetch).getCustomer('x'))
    expect(odd).toMatchObject({ status: 422, code: 'http_422', detail: 'HTTP 422' })
  })

  it('reads x-ratelimit-reset as epoch seconds, or as seconds from now when small', async () => {
    const now = 1_700_000_000_000
    const { fetch } = scripted(json(404, { errors: [{ code: 'not_found' }] }, { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '30' }))
    const error = await failure(client(fetch, { now: () => now }).getCustomer('x'))
    expect(error.rateLimit?.reset.getTime()).toBe(now + 30_000)
  })

  it('never retries a 4xx other than 429; findCustomer answers null for a 404 only', async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      const { fetch, calls } = scripted(json(status, { errors: [{ code: `c${status}` }] }))
      const error = await failure(client(fetch).getCustomer('x'))
      expect(error.status).toBe(status)
      expect(calls).toHaveLength(1)
    }
    expect(await client(scripted(json(404, { errors: [{ code: 'not_found' }] })).fetch).findCustomer('x')).toBeNull()
    expect(await client(scripted(json(200, { data: FULL_RECORD })).fetch).findCustomer('x')).toEqual(FULL_RECORD)
    await expect(client(scripted(json(401, { errors: [{ code: 'unauthorized' }] })).fetch).findCustomer('x')).rejects.toMatchObject({ status: 401 })
  })
})

describe('createCrmClient: retries', () => {
  it('retries a 5xx and a failed request with exponential jittered backoff, up to the attempts', async () => {
    const { fetch, calls } = scripted(json(503, { errors: [{ code: 'unavailable' }] }), new TypeError('fetch failed'), json(200, { data: FULL_RECORD }))
    await expect(client(fetch, { retry: { attempts: 3, baseDelayMs: 40, maxDelayMs: 1000 } }).getCustomer('x')).resolves.toEqual(FULL_RECORD)
    expect(calls).toHaveLength(3)
    const [a, b, c] = calls.map((call) => call.at)
    // random() = 0: the full delay, 40 ms then 80 ms
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(38)
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(78)

    const exhausted = scripted(json(502, { errors: [{ status: '502', code: 'bad_gateway', detail: 'Upstream' }] }))
    const error = await failure(client(exhausted.fetch, { retry: { attempts: 2, baseDelayMs: 5 } }).getCustomer('x'))
    expect(error).toMatchObject({ status: 502, code: 'bad_gateway' })
    expect(exhausted.calls).toHaveLength(2)

    const network = scripted(new TypeError('fetch failed'))
    const lost = await failure(client(network.fetch, { retry: { attempts: 2, baseDelayMs: 5 } }).getCustomer('x'))
    expect(lost).toMatchObject({ status: 0, code: 'network', detail: 'fetch failed' })
    expect(lost.cause).toBeInstanceOf(TypeError)
  })

  it('spreads the backoff with the jitter: random() = 1 halves the delay', async () => {
    const { fetch, calls } = scripted(json(500, {}), json(200, { data: FULL_RECORD }))
    await client(fetch, { random: () => 0.999, retry: { baseDelayMs: 200 } }).getCustomer('x')
    const gap = (calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)
    expect(gap).toBeGreaterThanOrEqual(95)
    expect(gap).toBeLessThan(190)
  })

  it('after a 429 waits until x-ratelimit-reset, then tries again', async () => {
    let now = 1_700_000_000_000
    const limited = json(429, { errors: [{ code: 'too_many_requests' }] }, {
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(now / 1000 + 1),
    })
    const { fetch, calls } = scripted(limited, json(200, { data: FULL_RECORD }))
    // the wall clock stands 850 ms before the reset: the wait is 150 ms + the margin
    now += 850
    await expect(client(fetch, { now: () => now }).getCustomer('x')).resolves.toEqual(FULL_RECORD)
    const gap = (calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)
    expect(gap).toBeGreaterThanOrEqual(195)
    expect(gap).toBeLessThan(1000)
  })

  it('gives up on a 429 whose reset is beyond maxWaitMs or the deadline, or after rateLimit.retries', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 120)
    const limited = json(429, { errors: [{ code: 'too_many_requests' }] }, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })
    const far = scripted(limited)
    const started = performance.now()
    const error = await failure(client(far.fetch).getCustomer('x'))
    expect(error).toMatchObject({ status: 429, code: 'too_many_requests', rateLimit: { limit: 2, remaining: 0 } })
    expect(far.calls).toHaveLength(1)
    const soon = json(429, { errors: [{ code: 'too_many_requests' }] }, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' })
    const deadline = scripted(soon)
    expect(await failure(client(deadline.fetch, { timeoutMs: 500 }).getCustomer('x'))).toMatchObject({ status: 429 })
    expect(performance.now() - started).toBeLessThan(400)
    const noHeaders = scripted(json(429, { errors: [{ code: 'too_many_requests' }] }))
    expect(await failure(client(noHeaders.fetch, { rateLimit: { retries: 2 } }).getCustomer('x'))).toMatchObject({ status: 429 })
    expect(noHeaders.calls).toHaveLength(3)
  })
})

describe('createCrmClient: timeout and abort', () => {
  it('fails with timeout when no answer comes within timeoutMs', async () => {
    const { fetch, calls } = hanging()
    const started = performance.now()
    const error = await failure(client(fetch, { timeoutMs: 100 }).getCustomer('x'))
    expect(error).toMatchObject({ status: 0, code: 'timeout' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(calls).toHaveLength(1)
  })

  it('stops a request at once when the caller aborts; an aborted signal sends nothing', async () => {
    const { fetch, calls } = hanging()
    const controller = new AbortController()
    const pending = client(fetch).getCustomer('x', { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('user left')), 20)
    const error = await failure(pending)
    expect(error).toMatchObject({ status: 0, code: 'aborted' })
    expect(error.cause).toEqual(new Error('user left'))
    expect(calls).toHaveLength(1)
    const early = scripted(json(200, { data: FULL_RECORD }))
    expect(await failure(client(early.fetch).getCustomer('x', { signal: AbortSignal.abort() }))).toMatchObject({ code: 'aborted' })
    expect(early.calls).toHaveLength(0)
  })

  it('stops a backoff or a rate-limit wait at once when the caller aborts', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 20)
    const limited = scripted(json(429, { errors: [{ code: 'too_many_requests' }] }, { 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }))
    const failing = scripted(json(503, {}))
    for (const { fetch, calls } of [limited, failing]) {
      const controller = new AbortController()
      const started = performance.now()
      const pending = client(fetch, { retry: { baseDelayMs: 5_000 } }).getCustomer('x', { signal: controller.signal })
      setTimeout(() => controller.abort(), 50)
      expect(await failure(pending)).toMatchObject({ code: 'aborted' })
      expect(performance.now() - started).toBeLessThan(1000)
      expect(calls).toHaveLength(1)
    }
  })
})
