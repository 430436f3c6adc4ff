/**
 * CORS (security finding: every origin got `Access-Control-Allow-Origin: <its origin>`
 * with `Allow-Credentials: true`, so any page could run the cookie grant with the visitor's
 * identity cookies and read the token).
 *
 * Now credentialed CORS goes to the configured `corsOrigins` only (default: the loopback
 * origins, for local development); the token endpoint refuses any other browser origin
 * before it reads or creates an identity. Requests without `Origin` (servers, Node) are
 * unaffected.
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../server'
import { ORG, startServer } from './helpers/harness'

const body = JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: ORG })
const cookiesOf = (response: Response): string => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
const corsHeaders = (response: Response): string[] => {
  const names: string[] = []
  response.headers.forEach((_value, name) => {
    if (name.startsWith('access-control-')) names.push(name)
  })
  return names
}

const tokenRequest = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/v2/customer/token`, { method: 'POST', headers: { 'Content-Type': 'text/plain;charset=UTF-8', ...headers }, body })

const preflight = (url: string, origin: string, path = '/v2/customer/token', headers = 'content-type') =>
  fetch(`${url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': headers } })

describe('CORS', () => {
  it('by default allows the loopback origins only; other origins get no CORS header and no token', async () => {
    const h = await startServer()
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', h.server.url]) {
      const response = await tokenRequest(h.server.url, { Origin: origin })
      expect(response.status, origin).toBe(200)
      expect(response.headers.get('access-control-allow-origin')).toBe(origin)
      expect(response.headers.get('access-control-allow-credentials')).toBe('true')
    }
    const customers = h.server.admin.health().customers
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'https://localhost:5173', 'null']) {
      const response = await tokenRequest(h.server.url, { Origin: origin })
      expect(response.status, origin).toBe(403)
      expect(await response.json()).toEqual({ oauth_exception: 'access_denied', exception_description: 'Origin not allowed' })
      expect(corsHeaders(response)).toEqual([])
      expect(response.headers.getSetCookie()).toEqual([])
      const refused = await preflight(h.server.url, origin)
      expect(refused.status).toBe(403)
      expect(corsHeaders(refused)).toEqual([])
    }
    // no identity was read or made for them
    expect(h.server.admin.health().customers).toBe(customers)
    // a request without Origin (a server, Node) is not a CORS request
    expect((await tokenRequest(h.server.url)).status).toBe(200)
  })

  it('allows credentialed CORS to configured origins only, and runs the cookie grant for them', async () => {
    const shop = 'https://shop.example'
    const h = await startServer({ corsOrigins: [shop, 'http://dev.example:*'] })
    const allowed = await preflight(h.server.url, shop)
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(shop)
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST')
    expect(allowed.headers.get('vary')).toContain('Origin')
    const upload = await preflight(h.server.url, shop, `/v3.6/customer/action/upload_file?organization_id=${ORG}`, 'authorization')
    expect(upload.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')

    // the documented cookie grant (http.md §2.1): the second call returns the same identity
    const first = await tokenRequest(h.server.url, { Origin: shop })
    expect(first.headers.get('access-control-allow-origin')).toBe(shop)
    const a = (await first.json()) as { entity_id: string }
    const second = await tokenRequest(h.server.url, { Origin: shop, Cookie: cookiesOf(first) })
    expect(((await second.json()) as { entity_id: string }).entity_id).toBe(a.entity_id)

    expect((await tokenRequest(h.server.url, { Origin: 'http://dev.example:4000' })).status).toBe(200)
    expect((await tokenRequest(h.server.url, { Origin: 'http://dev.example' })).status).toBe(200)
    // the default loopback origins are replaced, not added to
    for (const origin of ['http://localhost:5173', 'https://shop.example:8443', 'http://shop.example', 'https://evil.example']) {
      const response = await tokenRequest(h.server.url, { Origin: origin })
      expect(response.status, origin).toBe(403)
      expect(corsHeaders(response)).toEqual([])
    }
    // other routes: no CORS headers for a foreign origin
    const health = await fetch(`${h.server.url}/healthz`, { headers: { Origin: 'https://evil.example' } })
    expect(health.status).toBe(200)
    expect(corsHeaders(health)).toEqual([])
  })

  it('allows no origin with an empty list, and refuses malformed entries at start', async () => {
    const h = await startServer({ corsOrigins: [] })
    expect((await tokenRequest(h.server.url, { Origin: 'http://localhost:5173' })).status).toBe(403)
    expect((await tokenRequest(h.server.url)).status).toBe(200)
    for (const entry of ['*', 'https://*.example', 'shop.example', 'https://shop.example/path', 'ftp://shop.example']) {
      await expect(createServer({ port: 0, corsOrigins: [entry] }), entry).rejects.toThrow(/corsOrigins/)
    }
  })
})
