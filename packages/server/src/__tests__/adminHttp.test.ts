/**
 * The admin HTTP API (security finding: `/rapport/admin/*` was on by default, needed no
 * credential and answered any origin with credentialed CORS, so any web page could drive
 * it with a `text/plain` POST that needs no preflight).
 *
 * Now: off unless the server has an `adminSecret`; with it, every request needs
 * `Authorization: Bearer <secret>`, no admin response carries a CORS header, a request from
 * another origin is refused, and bodies must be declared `application/json`.
 */
import { describe, expect, it } from 'vitest'
import { createServer, type RapportServer } from '../server'
import { ORG, startServer } from './helpers/harness'

const SECRET = 'a-long-enough-admin-secret'

const withServer = async (options: Parameters<typeof createServer>[0], run: (server: RapportServer) => Promise<void>): Promise<void> => {
  const server = await createServer({ port: 0, ...options })
  try {
    await run(server)
  } finally {
    await server.close()
  }
}

const corsHeaders = (response: Response): string[] => {
  const names: string[] = []
  response.headers.forEach((_value, name) => {
    if (name.startsWith('access-control-')) names.push(name)
  })
  return names
}

describe('admin HTTP API', () => {
  it('does not exist by default (the in-process admin still works)', async () => {
    await withServer({}, async (server) => {
      const health = await fetch(`${server.url}/rapport/admin/health`)
      expect(health.status).toBe(404)
      // the attack: a cross-origin text/plain POST, no preflight needed
      const issued = await fetch(`${server.url}/rapport/admin/agent-token`, {
        method: 'POST',
        headers: { Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
        body: JSON.stringify({ agent_id: 'bot@rapport.local', organization_id: ORG }),
      })
      expect(issued.status).toBe(404)
      expect(corsHeaders(issued)).toEqual([])
      const preflight = await fetch(`${server.url}/rapport/admin/limits`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
      })
      expect(corsHeaders(preflight)).toEqual([])
      expect(server.admin.health()).toMatchObject({ ok: true })
      expect(server.admin.issueAgentToken('bot@rapport.local', ORG).token_type).toBe('Bearer')
    })
  })

  it('needs the secret as a Bearer token', async () => {
    await withServer({ adminSecret: SECRET }, async (server) => {
      const health = (headers: Record<string, string>) => fetch(`${server.url}/rapport/admin/health`, { headers })
      const none = await health({})
      expect(none.status).toBe(401)
      expect(await none.json()).toMatchObject({ error: { type: 'authentication' } })
      expect((await health({ Authorization: 'Bearer wrong-secret-of-some-length' })).status).toBe(401)
      expect((await health({ Authorization: `Bearer ${SECRET}x` })).status).toBe(401)
      expect((await health({ Authorization: `Basic ${SECRET}` })).status).toBe(401)
      expect((await health({ Authorization: SECRET })).status).toBe(401)
      const ok = await health({ Authorization: `Bearer ${SECRET}` })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({ ok: true })
      // an unauthenticated POST changes nothing
      const limits = await fetch(`${server.url}/rapport/admin/limits`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response_delay_ms: 60_000 }),
      })
      expect(limits.status).toBe(401)
    })
  })

  it('never answers cross-origin: no CORS headers, foreign origins and cross-site fetches refused', async () => {
    await withServer({ adminSecret: SECRET }, async (server) => {
      const auth = { Authorization: `Bearer ${SECRET}` }
      for (const origin of ['https://evil.example', 'http://localhost:1', 'null']) {
        const response = await fetch(`${server.url}/rapport/admin/health`, { headers: { ...auth, Origin: origin } })
        expect(response.status, origin).toBe(403)
        expect(await response.json()).toMatchObject({ error: { type: 'authorization' } })
        expect(corsHeaders(response)).toEqual([])
        const preflight = await fetch(`${server.url}/rapport/admin/agent-token`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
        })
        expect(preflight.status).toBe(403)
        expect(corsHeaders(preflight)).toEqual([])
      }
      for (const site of ['cross-site', 'same-site']) {
        expect((await fetch(`${server.url}/rapport/admin/health`, { headers: { ...auth, 'Sec-Fetch-Site': site } })).status).toBe(403)
      }
      // the server's own origin (a same-origin page) is not refused, and gets no CORS headers either
      const own = await fetch(`${server.url}/rapport/admin/health`, { headers: { ...auth, Origin: server.url, 'Sec-Fetch-Site': 'same-origin' } })
      expect(own.status).toBe(200)
      expect(corsHeaders(own)).toEqual([])
    })
  })

  it('takes application/json bodies only', async () => {
    await withServer({ adminSecret: SECRET }, async (server) => {
      const post = (headers: Record<string, string>, body?: string) =>
        fetch(`${server.url}/rapport/admin/agent-token`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET}`, ...headers }, ...(body === undefined ? {} : { body }) })
      const body = JSON.stringify({ agent_id: 'bot@rapport.local', organization_id: ORG })
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const response = await post({ 'Content-Type': type }, body)
        expect(response.status, type).toBe(415)
        expect(await response.json()).toMatchObject({ error: { type: 'validation' } })
      }
      expect((await post({})).status).toBe(415)
      const ok = await post({ 'Content-Type': 'application/json; charset=utf-8' }, body)
      expect(ok.status).toBe(200)
      expect(await ok.json()).toMatchObject({ token_type: 'Bearer' })
      // a body nested deeper than maxJsonDepth is a validation error
      const deep = await post({ 'Content-Type': 'application/json' }, `{"agent_id":"bot@rapport.local","organization_id":"${ORG}","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)
      expect(deep.status).toBe(400)
    })
  })

  it('refuses a secret too short to be one', async () => {
    await expect(createServer({ port: 0, adminSecret: 'short' })).rejects.toThrow(/adminSecret/)
  })

  it('serves the test harness with its secret', async () => {
    const h = await startServer()
    expect((await h.adminFetch('health')).status).toBe(200)
    expect((await fetch(`${h.server.url}/rapport/admin/health`)).status).toBe(401)
  })
})
