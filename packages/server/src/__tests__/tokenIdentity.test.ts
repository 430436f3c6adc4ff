/**
 * The token endpoint issues a token for an identity only with that identity's proof
 * (security finding: `?customer_id=<id>` or `X-Rapport-Customer-Id: <id>` returned a token
 * for any existing customer, checked before the cookie secret).
 */
import { describe, expect, it } from 'vitest'
import { ORG, startServer } from './helpers/harness'

const body = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: ORG, ...extra })
const cookiesOf = (response: Response): string => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')

describe('customer identity at the token endpoint', () => {
  it('refuses a request that names a customer by id, in the query or a header, with or without other cookies', async () => {
    const h = await startServer()
    const victim = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body() })
    const victimId = ((await victim.json()) as { entity_id: string }).entity_id
    const attacker = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body() })
    const attackerCookies = cookiesOf(attacker)

    const attempts: Array<[string, RequestInit]> = [
      [`/v2/customer/token?customer_id=${victimId}`, { method: 'POST', body: body() }],
      ['/v2/customer/token', { method: 'POST', body: body(), headers: { 'X-Rapport-Customer-Id': victimId } }],
      [`/v2/customer/token?customer_id=${victimId}`, { method: 'POST', body: body(), headers: { Cookie: attackerCookies } }],
      [`/v2/customer/${ORG}/0/token?customer_id=${victimId}`, { method: 'POST', body: body() }],
      [`/v2/customer/token?entity_id=${victimId}`, { method: 'POST', body: body() }],
    ]
    for (const [path, init] of attempts) {
      const response = await fetch(`${h.server.url}${path}`, init)
      expect(response.status, path).toBe(400)
      const answer = (await response.json()) as Record<string, unknown>
      expect(answer).toMatchObject({ oauth_exception: 'invalid_request' })
      expect(answer).not.toHaveProperty('access_token')
      expect(response.headers.getSetCookie()).toEqual([])
    }
    // an id in the body is not read: the answer is some other (new) identity
    const inBody = (await (await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body({ customer_id: victimId, entity_id: victimId }) })).json()) as {
      entity_id: string
    }
    expect(inBody.entity_id).not.toBe(victimId)
  })

  it('needs the identity secret with the identity cookie', async () => {
    const h = await startServer()
    const first = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body() })
    const { entity_id } = (await first.json()) as { entity_id: string }
    const named = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Cookie: `__lc_cid=${entity_id}` } })
    expect(named.status).toBe(401)
    expect(await named.json()).toEqual({ identity_exception: 'unauthorized' })
    const forged = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Cookie: `__lc_cid=${entity_id}; __lc_cst=guess` } })
    expect(forged.status).toBe(401)
    const proven = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Cookie: cookiesOf(first) } })
    expect(((await proven.json()) as { entity_id: string }).entity_id).toBe(entity_id)
    // an unknown identity cookie gets a new identity, never the id it names
    const unknown = await fetch(`${h.server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Cookie: '__lc_cid=chosen-id; __lc_cst=x' } })
    expect(((await unknown.json()) as { entity_id: string }).entity_id).not.toBe('chosen-id')
  })

  it('leaves naming a customer to the in-process admin (tests)', async () => {
    const h = await startServer()
    const a = await h.customer()
    expect(h.server.admin.issueCustomerToken(ORG, a.customerId).entity_id).toBe(a.customerId)
  })
})
