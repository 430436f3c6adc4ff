/**
 * Customers created per client address (security finding: every anonymous token request
 * created a customer record that was never purged). Past `limits.customersPerAddress` new
 * identities in the window the token endpoint answers 429 `temporarily_unavailable` (which
 * the SDK retries with backoff); an identity that proves itself with its cookies still gets
 * its token. Expiry of the customers that never log in: `requestLimits.test.ts`.
 */
import { describe, expect, it } from 'vitest'
import { ORG, startServer } from './helpers/harness'

const tokenRequest = (origin: string, cookie?: string) =>
  fetch(`${origin}/v2/customer/token`, {
    method: 'POST',
    headers: cookie === undefined ? {} : { Cookie: cookie },
    body: JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: ORG }),
  })

/** `name=value; …` of a response's Set-Cookie headers. */
const cookiesOf = (response: Response): string =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')

describe('customers per address', () => {
  it('answers 429 temporarily_unavailable past customersPerAddress new identities; known identities keep getting tokens', async () => {
    const h = await startServer({ limits: { customersPerAddress: 3 } })
    const before = h.server.admin.health().customers
    const first = await tokenRequest(h.server.url)
    expect(first.status).toBe(200)
    for (let i = 0; i < 2; i += 1) expect((await tokenRequest(h.server.url)).status).toBe(200)
    const refused = await tokenRequest(h.server.url)
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({ oauth_exception: 'temporarily_unavailable', exception_description: expect.any(String) })
    expect(h.server.admin.health().customers).toBe(before + 3)
    // the first browser comes back with its cookies
    const again = await tokenRequest(h.server.url, cookiesOf(first))
    expect(again.status).toBe(200)
    expect(((await again.json()) as { entity_id: string }).entity_id).toBe(((await first.json()) as { entity_id: string }).entity_id)
    // a cookie naming an unknown identity asks for a new one: refused too
    expect((await tokenRequest(h.server.url, '__lc_cid=nobody; __lc_cst=x')).status).toBe(429)
  })

  it('the default is 100 per 10 minutes', async () => {
    const h = await startServer()
    const statuses = await Promise.all(Array.from({ length: 101 }, () => tokenRequest(h.server.url).then((r) => r.status)))
    expect(statuses.filter((s) => s === 200)).toHaveLength(100)
    expect(statuses.filter((s) => s === 429)).toHaveLength(1)
  })
})
