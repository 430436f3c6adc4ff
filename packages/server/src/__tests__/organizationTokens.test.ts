/**
 * Agent and bot tokens are bound to one organization (security finding: the fixed
 * `Bearer rapport-bot-token` logged in to every organization and listed, read and wrote
 * all of their chats).
 */
import { describe, expect, it } from 'vitest'
import { createServer } from '../server'
import { MemoryStorage } from '../storage/memoryStorage'
import { BOT, ORG, startServer } from './helpers/harness'
import { TestSocket } from './helpers/testSocket'

const OTHER = 'b0b0b0b0-0000-4000-8000-000000000002'

describe('organization-bound tokens', () => {
  it('a token issued for one organization is refused in every other', async () => {
    const h = await startServer()
    // a chat in the other organization, the target of the attack
    const victim = await h.customer({ organizationId: OTHER })
    await victim.socket.ok('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'private' }] } } })

    const { access_token } = h.server.admin.issueAgentToken(BOT.id, ORG)
    const home = await h.open('agent', ORG)
    expect((await home.request('login', { token: `Bearer ${access_token}` })).success).toBe(true)
    expect(await home.ok('list_chats', {})).toMatchObject({ found_chats: 0 })
    const abroad = await h.open('agent', OTHER)
    expect((await abroad.request('login', { token: `Bearer ${access_token}` })).payload).toMatchObject({ error: { type: 'authentication' } })
    expect((await abroad.request('list_chats', {})).payload).toMatchObject({ error: { type: 'authentication' } })

    // customer tokens likewise
    const customer = await h.token(ORG)
    const elsewhere = await h.open('customer', OTHER)
    expect((await elsewhere.request('login', { token: `Bearer ${customer.access_token}` })).payload).toMatchObject({ error: { type: 'authentication' } })
  })

  it('a fixed token works only in the organization it is configured for', async () => {
    const h = await startServer({ agents: [{ ...BOT, token: 'fixed-bot-token', tokenOrganizationId: ORG }] })
    const home = await h.open('agent', ORG)
    expect((await home.request('login', { token: 'Bearer fixed-bot-token' })).success).toBe(true)
    for (const organization of [OTHER, 'any-other-org']) {
      const abroad = await h.open('agent', organization)
      expect((await abroad.request('login', { token: 'Bearer fixed-bot-token' })).payload).toMatchObject({ error: { type: 'authentication' } })
    }
  })

  it('knows no built-in bot token', async () => {
    const server = await createServer({ port: 0 })
    try {
      for (const organization of ['rapport-demo', ORG]) {
        const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/v3.6/agent/rtm/ws?organization_id=${organization}`)
        expect((await socket.request('login', { token: 'Bearer rapport-bot-token' })).payload).toMatchObject({ error: { type: 'authentication' } })
        socket.close()
      }
    } finally {
      await server.close()
    }
  })

  it('refuses an agent token stored without an organization (written by an older server)', async () => {
    const storage = new MemoryStorage()
    const h = await startServer({ storage })
    storage.putToken({ access_token: 'legacy-everywhere', kind: 'agent', entity_id: BOT.id, expires_at: Date.now() + 3_600_000 })
    for (const organization of [ORG, OTHER]) {
      const socket = await h.open('agent', organization)
      expect((await socket.request('login', { token: 'Bearer legacy-everywhere' })).payload).toMatchObject({ error: { type: 'authentication' } })
    }
  })

  it('refuses a fixed token without its organization, and an agent token request without one', async () => {
    await expect(createServer({ port: 0, agents: [{ ...BOT, token: 'fixed-bot-token' }] })).rejects.toThrow(/tokenOrganizationId/)
    const h = await startServer()
    expect((await h.adminFetch('agent-token', { agent_id: BOT.id })).status).toBe(400)
    expect((await h.adminFetch('agent-token', { agent_id: BOT.id, organization_id: ORG })).status).toBe(200)
  })
})
