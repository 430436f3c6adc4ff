import { describe, expect, it } from 'vitest'
import { AGENT, ORG, startServer } from './helpers/harness'

describe('access control', () => {
  it('answers not_found for every chat-scoped action on another customer\'s chat', async () => {
    const h = await startServer()
    const owner = await h.customer()
    const { chat_id, thread_id } = await owner.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', {})
    const intruder = await h.customer()
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['get_chat', { chat_id }],
      ['get_chat', { chat_id, thread_id }],
      ['list_threads', { chat_id }],
      ['send_event', { chat_id, event: { type: 'message', text: 'x' } }],
      ['deactivate_chat', { id: chat_id }],
      ['resume_chat', { chat: { id: chat_id } }],
      ['mark_events_as_seen', { chat_id, seen_up_to: '2030-01-01T00:00:00.000000Z' }],
    ]
    for (const [action, payload] of attempts) {
      const response = await intruder.socket.request(action, payload)
      expect(response, action).toMatchObject({ action, success: false, payload: { error: { type: 'not_found' } } })
    }
    const unknown = await intruder.socket.request('get_chat', { chat_id: 'NOSUCHCHAT' })
    expect(unknown.payload).toEqual((await intruder.socket.request('get_chat', { chat_id })).payload)
    expect((await intruder.socket.ok<{ total_chats: number }>('list_chats')).total_chats).toBe(0)
    // nothing leaked to the owner and the chat is intact
    await owner.socket.sync()
    expect(owner.socket.received.filter((f) => f.type === 'push').map((f) => f.action)).toEqual(['incoming_chat'])
    expect((await owner.socket.ok<{ thread: { active: boolean } }>('get_chat', { chat_id })).thread.active).toBe(true)
  })

  it('keeps organizations apart', async () => {
    const h = await startServer()
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    const other = await h.customer({ organizationId: 'c0c0c0c0-0000-4000-8000-000000000003' })
    expect((await other.socket.request('get_chat', { chat_id })).payload).toMatchObject({ error: { type: 'not_found' } })
  })

  it('hides chats of other groups from an agent', async () => {
    const h = await startServer({ agents: [{ ...AGENT, groups: [1] }, { id: 'other@test', name: 'Other', type: 'agent', groups: [2] }] })
    const other = await h.agent('other@test', { accepting: false })
    const a = await h.customer({ login: { group_id: 1 } })
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    expect((await other.request('get_chat', { chat_id })).payload).toMatchObject({ error: { type: 'not_found' } })
    expect((await other.request('send_event', { chat_id, event: { type: 'message', text: 'x' } })).payload).toMatchObject({
      error: { type: 'not_found' },
    })
    await other.sync()
    expect(other.received.some((f) => f.action === 'incoming_chat')).toBe(false)
  })

  it('rejects an agent login with a customer token or an unknown one', async () => {
    const h = await startServer()
    const customerToken = await h.token()
    const socket = await h.open('agent')
    expect((await socket.request('login', { token: `Bearer ${customerToken.access_token}` })).payload).toMatchObject({
      error: { type: 'authentication' },
    })
    expect((await socket.request('login', { token: 'Bearer nope' })).payload).toMatchObject({ error: { type: 'authentication' } })
    const { access_token } = h.server.admin.issueAgentToken(AGENT.id, ORG)
    const login = await socket.ok<{ my_profile: Record<string, unknown>; license: Record<string, unknown>; chats_summary: unknown[] }>('login', {
      token: `Bearer ${access_token}`,
    })
    expect(login.my_profile).toMatchObject({ id: AGENT.id, type: 'agent', routing_status: 'accepting_chats' })
    expect(login.chats_summary).toEqual([])
  })

  it('issues agent tokens over HTTP and accepts fixed tokens', async () => {
    const h = await startServer({ agents: [{ id: 'fixed@test', name: 'Fixed', type: 'bot', token: 'fixed-token', tokenOrganizationId: ORG }] })
    const issued = await h.adminFetch('agent-token', { agent_id: 'fixed@test', organization_id: ORG })
    const { access_token, token_type } = (await issued.json()) as { access_token: string; token_type: string }
    expect(token_type).toBe('Bearer')
    const viaIssued = await h.open('agent')
    expect((await viaIssued.request('login', { token: `Bearer ${access_token}` })).success).toBe(true)
    const viaFixed = await h.open('agent')
    expect((await viaFixed.request('login', { token: 'Bearer fixed-token' })).success).toBe(true)
    const unknown = await h.adminFetch('agent-token', { agent_id: 'nobody', organization_id: ORG })
    expect(unknown.status).toBe(404)
  })

  it('forces an agent_disconnected', async () => {
    const h = await startServer()
    const agent = await h.agent(AGENT.id)
    expect(h.server.admin.disconnectAgent(AGENT.id, 'agent_logged_out_remotely')).toBe(1)
    expect((await agent.push('agent_disconnected')).payload).toEqual({ reason: 'agent_logged_out_remotely' })
    await agent.closed
  })
})
