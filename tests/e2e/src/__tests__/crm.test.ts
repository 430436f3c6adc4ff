/**
 * The CRM client (`@rapport/node`) against the local server's `GET /v1/customers/{id}`:
 * a chat customer's record, and every error case over real HTTP.
 */
import { createServer as createHttpServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CrmError, createCrmClient, type CrmClientOptions } from '@rapport/node'
import type { ServerOptions } from '@rapport/server'
import { describe, expect, it } from 'vitest'
import { ORG, connectedCustomer, onCleanup, startServer } from './customerSdk/e2eHarness'

const KEY = 'e2e-crm-key-0123456789'
const NO_ROLE_KEY = 'e2e-crm-no-role-0123456789'

const crmServer = (limits: ServerOptions['limits'] = {}) =>
  startServer({
    crmApiKeys: [
      { key: KEY, organizationId: ORG },
      { key: NO_ROLE_KEY, organizationId: ORG, roles: [] },
    ],
    limits,
  })

/** The global fetch, counting requests. */
const countingFetch = () => {
  const counter = { requests: 0 }
  const fetchImpl: typeof fetch = (input, init) => {
    counter.requests += 1
    return fetch(input, init)
  }
  return { counter, fetch: fetchImpl }
}

const crmFor = (url: string, options: Partial<CrmClientOptions> = {}) => {
  const { counter, fetch } = countingFetch()
  return { counter, crm: createCrmClient({ baseUrl: url }, { apiKey: KEY, fetch, retry: { baseDelayMs: 20 }, ...options }) }
}

const rejection = async (promise: Promise<unknown>): Promise<CrmError> => {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(CrmError)
  return error as CrmError
}

describe('CRM client ↔ local server', () => {
  it('reads a chat customer\'s record, by its id and by its external id', async () => {
    const server = await crmServer()
    const { sdk, me } = await connectedCustomer(server)
    await sdk.updateCustomer({ name: 'Grace Hopper', email: 'grace@example.com', sessionFields: { external_id: 'crm-7', plan: 'pro' } })
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Is my order shipped?' }] } } })
    const { crm, counter } = crmFor(server.url)

    const record = await crm.getCustomer(me.id)
    expect(counter.requests).toBe(1)
    expect(record.id).toBe(me.id)
    expect(record.type).toBe('customer')
    const a = record.attributes
    expect(a.name).toBe('Grace Hopper')
    expect(a.displayName).toBe('Grace Hopper')
    expect(a.emails).toEqual([{ email: 'grace@example.com', id: null, type: 'other', verified: false }])
    expect(a.externalId).toBe('crm-7')
    expect(a.externalIds).toEqual([{ externalId: 'crm-7', id: null, verified: false }])
    expect(a.custom).toEqual({ planStr: 'pro' })
    expect(a.presence).toBe('online')
    expect(a.conversationCounts).toEqual({ all: 1, open: 1, done: 0, snoozed: 0 })
    expect(a.lastConversation?.id).toBe(chat.id)
    expect(a.preview?.text).toBe('Is my order shipped?')
    expect(a.lastMessageIn?.sentAt).toBe(a.lastCustomerActivityAt)
    expect(Date.parse(a.createdAt)).toBeLessThanOrEqual(Date.parse(a.updatedAt))
    expect(record.relationships.org.data).toEqual({ id: ORG, type: 'org' })
    expect(record.links.self).toBe(`/v1/customers/${me.id}`)
    expect(crm.rateLimit).toMatchObject({ limit: 60, remaining: 59 })
    expect(crm.rateLimit?.reset.getTime()).toBeGreaterThan(Date.now())

    expect((await crm.getCustomer('crm-7')).id).toBe(me.id)
  })

  it('401 for a wrong or missing key, 403 for a key without the permission: never retried', async () => {
    const server = await crmServer()
    const { me } = await connectedCustomer(server)
    const wrong = crmFor(server.url, { apiKey: 'not-a-key' })
    const unauthorized = await rejection(wrong.crm.getCustomer(me.id))
    expect(unauthorized).toMatchObject({ status: 401, code: 'unauthorized', detail: 'A valid API key is required' })
    expect(unauthorized.rateLimit).toBeUndefined()
    expect(wrong.counter.requests).toBe(1)

    const noRole = crmFor(server.url, { apiKey: NO_ROLE_KEY })
    const forbidden = await rejection(noRole.crm.getCustomer(me.id))
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden', rateLimit: { limit: 60, remaining: 59 } })
    expect(noRole.counter.requests).toBe(1)
  })

  it('404 for an unknown id (the JSON:API shape parsed); findCustomer answers null', async () => {
    const server = await crmServer()
    const { crm, counter } = crmFor(server.url)
    const error = await rejection(crm.getCustomer('nobody'))
    expect(error).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found', detail: 'No customer nobody', source: { parameter: 'id' } })
    expect(await crm.findCustomer('nobody')).toBeNull()
    expect(counter.requests).toBe(2)
  })

  it('429: waits until the window resets, then succeeds', async () => {
    const server = await crmServer({ crmRequestsPerWindow: 1, crmWindowMs: 1000 })
    const { me } = await connectedCustomer(server)
    const { crm, counter } = crmFor(server.url)
    await crm.getCustomer(me.id)
    const reset = crm.rateLimit?.reset.getTime() ?? 0
    expect(crm.rateLimit?.remaining).toBe(0)
    const record = await crm.getCustomer(me.id)
    expect(record.id).toBe(me.id)
    expect(Date.now()).toBeGreaterThanOrEqual(reset)
    expect(counter.requests).toBe(3) // 200, 429, 200
    expect(crm.rateLimit?.remaining).toBe(0)
  })

  it('5xx: retried with backoff until it passes, or until the attempts run out', async () => {
    const server = await crmServer()
    const { me } = await connectedCustomer(server)
    server.admin.failCrmRequests(503, 2)
    const { crm, counter } = crmFor(server.url)
    expect((await crm.getCustomer(me.id)).id).toBe(me.id)
    expect(counter.requests).toBe(3)

    server.admin.failCrmRequests(500, 5)
    const few = crmFor(server.url, { retry: { attempts: 2, baseDelayMs: 10 } })
    expect(await rejection(few.crm.getCustomer(me.id))).toMatchObject({ status: 500, code: 'internal_error', title: 'Internal Server Error' })
    expect(few.counter.requests).toBe(2)
  })

  it('times out on a server that never answers, and stops at once when aborted', async () => {
    const silent: Server = createHttpServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    onCleanup(
      () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections()
          silent.close(() => resolve())
        }),
    )
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
    const started = performance.now()
    const timedOut = await rejection(crmFor(url, { timeoutMs: 200 }).crm.getCustomer('x'))
    expect(timedOut).toMatchObject({ status: 0, code: 'timeout' })
    expect(performance.now() - started).toBeLessThan(2000)

    const controller = new AbortController()
    const pending = crmFor(url).crm.getCustomer('x', { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect(await rejection(pending)).toMatchObject({ status: 0, code: 'aborted' })
  })

  it('an abort during a rate-limit wait ends the call at once', async () => {
    const server = await crmServer({ crmRequestsPerWindow: 1, crmWindowMs: 30_000 })
    // a deadline past the reset, so that the call waits (with the default 30 s it would fail at once with the 429)
    const { crm, counter } = crmFor(server.url, { timeoutMs: 60_000 })
    await crm.findCustomer('x')
    const controller = new AbortController()
    const started = performance.now()
    const pending = crm.getCustomer('x', { signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    expect(await rejection(pending)).toMatchObject({ code: 'aborted' })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(counter.requests).toBe(2)
  })
})
