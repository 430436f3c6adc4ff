/**
 * One end-to-end test per documented disconnection reason ("Disconnection reasons"),
 * forced through the local server, and the documented reaction of the SDK: it
 * reconnects on its own, waits for `connect()` (status `paused`), or destroys the
 * instance (status `destroyed`, calls reject with `SDK_DESTROYED`). `license_expired`
 * destroys the instance (docs/differences.md); `identity_mismatch` is the SDK's own
 * reason for an identity switch and surfaces as `identity_changed`.
 */
import { describe, expect, it } from 'vitest'
import type { CustomerSDK } from '@rapport/customer-sdk'
import { ORG, connectedCustomer, customer, startServer, switchableIdentity } from './e2eHarness'

/** The instance is gone for good: status, calls, connect(). */
const expectDestroyed = async (sdk: CustomerSDK): Promise<void> => {
  await sdk.whenStatus('destroyed')
  expect(sdk.status).toBe('destroyed')
  await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
  await expect(sdk.listChats()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
  expect(() => sdk.connect()).toThrow(expect.objectContaining({ code: 'SDK_DESTROYED' }))
}

/** Forces a reason with `customer_disconnected` and resolves with the `disconnected` payload. */
const force = async (server: Awaited<ReturnType<typeof startServer>>, sdk: CustomerSDK, customerId: string, reason: string) => {
  const disconnected = sdk.once('disconnected')
  expect(server.admin.disconnectCustomer(customerId, reason)).toBe(1)
  return disconnected
}

describe('disconnection reasons, end to end', () => {
  it('access_token_expired: fetches a new token and reconnects on its own, as the same customer', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnected = sdk.once('disconnected')
    const reconnected = sdk.once('connected')
    expect(server.admin.expireCustomerTokens(me.id).connections).toBe(1)
    expect(await disconnected).toEqual({ reason: 'access_token_expired' })
    expect((await reconnected).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
    expect((await sdk.getCustomer()).id).toBe(me.id)
  })

  it('connection_lost: reconnects on its own', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnected = sdk.once('disconnected')
    const reconnected = sdk.once('connected')
    expect(server.admin.dropCustomer(me.id)).toBe(1)
    expect(await disconnected).toEqual({ reason: 'connection_lost' })
    expect((await reconnected).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
  })

  it('customer_banned: destroys the instance', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnected = sdk.once('disconnected')
    expect(server.admin.banCustomer(me.id)).toBe(1)
    expect(await disconnected).toEqual({ reason: 'customer_banned' })
    await expectDestroyed(sdk)
    await expect.poll(() => server.admin.health().connections).toBe(0)
  })

  it('customer_temporarily_blocked: destroys the instance', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    expect(await force(server, sdk, me.id, 'customer_temporarily_blocked')).toEqual({ reason: 'customer_temporarily_blocked' })
    await expectDestroyed(sdk)
  })

  it('identity_mismatch: switches to the new identity with identity_changed, without crashing', async () => {
    const server = await startServer()
    const identity = switchableIdentity(server)
    const { sdk, me } = await connectedCustomer(server, { identityProvider: () => identity.auth })
    await sdk.startChat()
    const reasons: string[] = []
    sdk.on('disconnected', ({ reason }) => reasons.push(reason))
    const changed = sdk.once('identity_changed')
    const reconnected = sdk.once('connected')
    const newId = identity.switchTo()
    server.admin.dropCustomer(me.id)
    expect(await changed).toEqual({ previousId: me.id, newId })
    expect((await reconnected).customer.id).toBe(newId)
    expect(sdk.status).toBe('connected')
    expect(reasons).not.toContain('identity_mismatch')
    expect(Object.keys(sdk.state.getSnapshot().chats)).toEqual([])
    // fully usable as the new customer
    const { chat } = await sdk.startChat()
    expect(chat.users.map((u) => u.id)).toContain(newId)
  })

  it('inactivity_timeout: waits for connect()', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    expect(await force(server, sdk, me.id, 'inactivity_timeout')).toEqual({ reason: 'inactivity_timeout' })
    await sdk.whenStatus('paused')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    expect(server.admin.health().connections).toBe(0)
    const again = sdk.once('connected')
    sdk.connect()
    expect((await again).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
  })

  it('internal_error: reconnects on its own', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const reconnected = sdk.once('connected')
    expect(await force(server, sdk, me.id, 'internal_error')).toEqual({ reason: 'internal_error' })
    expect((await reconnected).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
  })

  it('license_expired: destroys the instance (docs/differences.md)', async () => {
    const server = await startServer()
    const { sdk } = await connectedCustomer(server)
    const disconnected = sdk.once('disconnected')
    expect(server.admin.setLicenseExpired(ORG)).toBe(1)
    expect(await disconnected).toEqual({ reason: 'license_expired' })
    await expectDestroyed(sdk)
  })

  it('license_not_found: destroys the instance', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    expect(await force(server, sdk, me.id, 'license_not_found')).toEqual({ reason: 'license_not_found' })
    await expectDestroyed(sdk)
    // the same from the server's own check of the organization, at the socket (the token
    // endpoint would refuse the unknown organization first: `invalid_request`, also fatal)
    const strict = await startServer({ organizations: ['another-org'] })
    const identity = switchableIdentity(strict)
    const other = customer(strict, { identityProvider: () => identity.auth })
    expect(await other.once('disconnected')).toEqual({ reason: 'license_not_found' })
    await expectDestroyed(other)
  })

  it('misdirected_connection: reconnects to the region it is given, on its own', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnected = new Promise<unknown>((resolve) =>
      sdk.once('disconnected', (payload) => {
        // the organization is back home before the SDK reconnects
        server.admin.setRegion(ORG, undefined)
        resolve(payload)
      }),
    )
    const reconnected = sdk.once('connected')
    expect(server.admin.setRegion(ORG, 'fra')).toBe(1)
    expect(await disconnected).toEqual({ reason: 'misdirected_connection', data: { region: 'fra' } })
    expect((await reconnected).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
  })

  it('too_many_connections: destroys the instance that went over the limit', async () => {
    const server = await startServer({ maxConnectionsPerCustomer: 1 })
    const { sdk: first, me } = await connectedCustomer(server)
    const sameCustomer = switchableIdentity(server, me.id)
    const second = customer(server, { identityProvider: () => sameCustomer.auth })
    expect(await second.once('disconnected')).toEqual({ reason: 'too_many_connections' })
    await expectDestroyed(second)
    expect(first.status).toBe('connected')
    expect((await first.getCustomer()).id).toBe(me.id)
  })

  it('too_many_unauthorized_connections: reconnects on its own (no disconnected event)', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const reasons: string[] = []
    sdk.on('disconnected', ({ reason }) => reasons.push(reason))
    const reconnected = sdk.once('connected')
    expect(server.admin.disconnectCustomer(me.id, 'too_many_unauthorized_connections')).toBe(1)
    expect((await reconnected).customer.id).toBe(me.id)
    expect(sdk.status).toBe('connected')
    expect(reasons).toEqual([])
  })

  it('unsupported_version: destroys the instance', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    expect(await force(server, sdk, me.id, 'unsupported_version')).toEqual({ reason: 'unsupported_version' })
    await expectDestroyed(sdk)
  })

  it('users_limit_reached: waits for connect()', async () => {
    const server = await startServer({ usersLimit: 1 })
    await connectedCustomer(server)
    const sdk = customer(server)
    expect(await sdk.once('disconnected')).toEqual({ reason: 'users_limit_reached' })
    await sdk.whenStatus('paused')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    server.admin.setLimits({ usersLimit: null })
    const connected = sdk.once('connected')
    sdk.connect()
    await connected
    expect(sdk.status).toBe('connected')
  })
})
