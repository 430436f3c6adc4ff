import { describe, expect, it } from 'vitest'
import { BOT, ORG, startServer } from './helpers/harness'
import { errorOf } from './helpers/flows'

describe('bans', () => {
  it('disconnects a banned customer with customer_banned and refuses its logins; other customers are untouched', async () => {
    const h = await startServer()
    const a = await h.customer()
    const b = await h.customer()
    const response = await h.adminFetch(`customers/${a.customerId}/ban`, {})
    expect(await response.json()).toEqual({ ok: true, connections: 1 })
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'customer_banned' })
    await a.socket.closed
    const retry = await h.open('customer')
    expect(await errorOf(retry, 'login', { token: `Bearer ${(await h.token(ORG, a.customerId)).access_token}` })).toBe('customer_banned')
    expect(b.socket.isOpen).toBe(true)
    await b.socket.sync()
    h.server.admin.banCustomer(a.customerId, false, ORG)
    expect((await h.customer({ customerId: a.customerId })).customerId).toBe(a.customerId)
  })
})

describe('limits', () => {
  it('users_limit_reached at login over the concurrent customer limit (option and admin)', async () => {
    const h = await startServer({ usersLimit: 1 })
    const a = await h.customer()
    const second = await h.open('customer')
    expect(await errorOf(second, 'login', { token: `Bearer ${(await h.token()).access_token}` })).toBe('users_limit_reached')
    // Another tab of a connected customer is not a new user.
    expect((await h.customer({ customerId: a.customerId })).customerId).toBe(a.customerId)
    await h.adminFetch(`limits`, { users_limit: null })
    expect((await h.customer()).customerId).toBeTypeOf('string')
  })

  it('too_many_connections for a connection over the per-customer limit', async () => {
    const h = await startServer()
    h.server.admin.setLimits({ maxConnectionsPerCustomer: 1 })
    const a = await h.customer()
    const extra = await h.open('customer')
    extra.send({ request_id: 'l', action: 'login', payload: { token: `Bearer ${(await h.token(ORG, a.customerId)).access_token}` } })
    expect((await extra.push('customer_disconnected')).payload).toEqual({ reason: 'too_many_connections' })
    await extra.closed
    expect(a.socket.isOpen).toBe(true)
  })

  it('pending_requests_limit_reached for the request over the limit while responses are delayed', async () => {
    const h = await startServer({ pendingRequestsLimit: 3 })
    const { socket } = await h.customer()
    const other = await h.customer()
    await h.adminFetch(`limits`, { response_delay_ms: 100 })
    const ids = ['p1', 'p2', 'p3', 'p4']
    for (const id of ids) socket.send({ request_id: id, action: 'get_customer', payload: {} })
    const over = await socket.response('p4')
    expect(over).toMatchObject({ success: false, payload: { error: { type: 'pending_requests_limit_reached' } } })
    for (const id of ids.slice(0, 3)) expect((await socket.response(id)).success).toBe(true)
    // Once answered, requests are accepted again; other sockets were never limited.
    expect((await socket.request('ping')).success).toBe(true)
    expect((await other.socket.request('get_customer')).success).toBe(true)
    h.server.admin.setLimits({ responseDelayMs: 0 })
  })
})

describe('license and region', () => {
  it('license_expired disconnects customers and agents and fails logins until renewed', async () => {
    const h = await startServer()
    const a = await h.customer()
    const bot = await h.agent(BOT.id)
    expect(await (await h.adminFetch(`organizations/${ORG}/license`, { expired: true })).json()).toEqual({ ok: true, connections: 2 })
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'license_expired' })
    expect((await bot.push('agent_disconnected')).payload).toEqual({ reason: 'license_expired' })
    const retry = await h.open('customer')
    expect(await errorOf(retry, 'login', { token: `Bearer ${(await h.token()).access_token}` })).toBe('license_expired')
    h.server.admin.setLicenseExpired(ORG, false)
    expect((await h.customer()).customerId).toBeTypeOf('string')
  })

  it('misdirected_connection with data.region for open and new sockets', async () => {
    const h = await startServer()
    const a = await h.customer()
    await h.adminFetch(`organizations/${ORG}/region`, { region: 'fra' })
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'misdirected_connection', data: { region: 'fra' } })
    const fresh = await h.open('customer')
    expect((await fresh.push('customer_disconnected')).payload).toEqual({ reason: 'misdirected_connection', data: { region: 'fra' } })
    h.server.admin.setRegion(ORG, undefined)
    expect((await h.customer()).customerId).toBeTypeOf('string')
  })
})

describe('access tokens', () => {
  it('admin expiry: open sockets get access_token_expired, later logins fail with authentication', async () => {
    const h = await startServer()
    const a = await h.customer()
    const token = await h.token(ORG, a.customerId)
    const tab = await h.open('customer')
    await tab.ok('login', { token: `Bearer ${token.access_token}` })
    const result = await (await h.adminFetch(`customers/${a.customerId}/expire-tokens`, {})).json()
    expect(result).toMatchObject({ ok: true, connections: 2 })
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'access_token_expired' })
    expect((await tab.push('customer_disconnected')).payload).toEqual({ reason: 'access_token_expired' })
    const retry = await h.open('customer')
    expect(await errorOf(retry, 'login', { token: `Bearer ${token.access_token}` })).toBe('authentication')
    expect((await h.customer({ customerId: a.customerId })).customerId).toBe(a.customerId)
  })

  it('a socket is disconnected when its token’s lifetime ends', async () => {
    const h = await startServer({ tokenLifetimeS: 0.5 })
    const a = await h.customer()
    expect((await a.socket.push('customer_disconnected')).payload).toEqual({ reason: 'access_token_expired' })
  })
})

describe('customer side storage', () => {
  it('login stores it; the admin pushes customer_side_storage_updated to the customer’s sockets', async () => {
    const h = await startServer()
    const a = await h.customer({ login: { customer_side_storage: { visit: '1' } } })
    const b = await h.customer()
    expect(h.server.admin.getCustomer(a.customerId)).toMatchObject({ customer_side_storage: { visit: '1' } })
    const response = await h.adminFetch(`customers/${a.customerId}/side-storage`, { customer_side_storage: { visit: '2', ab: 'B' } })
    expect(response.status).toBe(200)
    expect((await a.socket.push('customer_side_storage_updated')).payload).toEqual({ customer_side_storage: { visit: '2', ab: 'B' } })
    await b.socket.sync()
    expect(b.socket.buffered('customer_side_storage_updated')).toEqual([])
    const stored = await h.adminFetch(`customers/${a.customerId}?organization_id=${ORG}`)
    expect(await stored.json()).toMatchObject({ id: a.customerId, customer_side_storage: { visit: '2', ab: 'B' } })
  })
})

describe('admin HTTP validation', () => {
  it('rejects malformed admin bodies with 400 and unknown targets with 404', async () => {
    const h = await startServer()
    expect((await h.adminFetch(`limits`, { users_limit: 'many' })).status).toBe(400)
    expect((await h.adminFetch(`groups`, { id: -1 })).status).toBe(400)
    expect((await h.adminFetch(`groups`, { id: 5, routing: 'manual' })).status).toBe(200)
    expect((await h.adminFetch(`groups/5/forms/quiz`, { form: null })).status).toBe(404)
    expect((await h.adminFetch(`customers/nobody/ban`, {})).status).toBe(404)
    expect((await h.adminFetch(`customers/nobody`)).status).toBe(404)
    const { socket } = await h.customer()
    expect(await socket.ok('list_group_statuses', { group_ids: [5] })).toEqual({ groups_status: { '5': 'offline' } })
  })
})
