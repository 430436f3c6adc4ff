import { describe, expect, it } from 'vitest'
import { ORG, startServer } from './helpers/harness'

const body = (organizationId = ORG) =>
  JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: organizationId })

const cookiesOf = (response: Response): string => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')

describe('customer token endpoint', () => {
  it('issues a new identity per request, parsing a text/plain body', async () => {
    const { server } = await startServer()
    const post = () =>
      fetch(`${server.url}/v2/customer/token`, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, body: body() })
    const first = await post()
    const second = await post()
    expect(first.status).toBe(200)
    const a = (await first.json()) as Record<string, unknown>
    const b = (await second.json()) as Record<string, unknown>
    expect(a).toMatchObject({ token_type: 'Bearer', expires_in: 28800, organization_id: ORG })
    expect(a.access_token).toMatch(/^dal:/)
    expect(a.entity_id).not.toBe(b.entity_id)
    const cookies = first.headers.getSetCookie()
    expect(cookies.some((c) => c.startsWith('__lc_cid=') && /HttpOnly/i.test(c) && /SameSite=None/i.test(c) && /Path=\/v2\/customer/.test(c))).toBe(true)
    expect(cookies.some((c) => c.startsWith('__lc_cst='))).toBe(true)
  })

  it('reuses the identity presented by its cookies with a fresh token', async () => {
    const { server } = await startServer()
    const first = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: body() })
    const a = (await first.json()) as Record<string, unknown>
    const second = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Cookie: cookiesOf(first) } })
    const b = (await second.json()) as Record<string, unknown>
    expect(b.entity_id).toBe(a.entity_id)
    expect(b.access_token).not.toBe(a.access_token)
  })

  it('rejects a forged identity secret with identity_exception', async () => {
    const { server } = await startServer()
    const first = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: body() })
    const { entity_id } = (await first.json()) as { entity_id: string }
    const forged = await fetch(`${server.url}/v2/customer/token`, {
      method: 'POST',
      body: body(),
      headers: { Cookie: `__lc_cid=${entity_id}; __lc_cst=wrong` },
    })
    expect(forged.status).toBe(401)
    expect(await forged.json()).toEqual({ identity_exception: 'unauthorized' })
  })

  it('answers invalid requests with oauth_exception', async () => {
    const { server } = await startServer()
    const missing = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: JSON.stringify({ grant_type: 'cookie' }) })
    expect(missing.status).toBe(400)
    expect(await missing.json()).toMatchObject({ oauth_exception: 'invalid_request' })
    const malformed = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: '{nope' })
    expect(await malformed.json()).toMatchObject({ oauth_exception: 'invalid_request' })
  })

  it('gives a separate identity per group on the uniqueGroups route', async () => {
    const { server } = await startServer()
    const url = (group: number) => `${server.url}/v2/customer/${ORG}/${group}/token`
    const g1 = await fetch(url(1), { method: 'POST', body: body() })
    const a = (await g1.json()) as Record<string, unknown>
    const g1again = (await (await fetch(url(1), { method: 'POST', body: body(), headers: { Cookie: cookiesOf(g1) } })).json()) as Record<string, unknown>
    const g2 = (await (await fetch(url(2), { method: 'POST', body: body(), headers: { Cookie: cookiesOf(g1) } })).json()) as Record<string, unknown>
    expect(g1again.entity_id).toBe(a.entity_id)
    expect(g2.entity_id).not.toBe(a.entity_id)
  })

  it('allows credentialed CORS to a configured origin and answers its preflight', async () => {
    const origin = 'http://shop.example'
    const { server } = await startServer({ corsOrigins: [origin] })
    const preflight = await fetch(`${server.url}/v2/customer/token`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    const response = await fetch(`${server.url}/v2/customer/token`, { method: 'POST', body: body(), headers: { Origin: origin } })
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(response.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('serves health over HTTP', async () => {
    const h = await startServer()
    expect(await (await fetch(`${h.server.url}/healthz`)).json()).toEqual({ ok: true })
    expect(await (await h.adminFetch('health')).json()).toEqual({ ok: true, connections: 0, customers: 0, chats: 0 })
  })
})
