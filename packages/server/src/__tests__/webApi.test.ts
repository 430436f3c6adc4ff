/**
 * The agent Web API and the Configuration API actions a bot needs (bots-and-crm §1–3):
 * the same handlers as RTM over HTTP, credentials, validation, body limits, and webhook
 * delivery to loopback URLs with retries and a delivery log.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { isLoopbackUrl } from '../webApi/webhooks'
import { AGENT, BOT, ORG, startServer, type Harness } from './helpers/harness'

interface Received {
  body: Record<string, unknown>
  headers: IncomingMessage['headers']
}

const receivers: Server[] = []
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/** A webhook receiver on loopback answering each POST with the next status of `statuses` (then 200). */
const startReceiver = async (statuses: number[] = []): Promise<{ url: string; received: Received[] }> => {
  const received: Received[] = []
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, headers: req.headers })
      res.writeHead(statuses.shift() ?? 200).end()
    })
  })
  receivers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

const call = async (h: Harness, path: string, body: unknown, authorization?: string) => {
  const response = await fetch(`${h.server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization === undefined ? {} : { Authorization: authorization }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { type: string; message: string } } }
}

const agentToken = (h: Harness, agentId = AGENT.id): string => `Bearer ${h.server.admin.issueAgentToken(agentId, ORG).access_token}`
const agentAction = (h: Harness, action: string, body: unknown, authorization: string) => call(h, `/v3.6/agent/action/${action}`, body, authorization)
const config = (h: Harness, action: string, body: unknown, authorization: string) => call(h, `/v3.6/configuration/action/${action}`, body, authorization)

describe('agent Web API', () => {
  it('refuses requests without valid credentials with 401 authentication', async () => {
    const h = await startServer()
    for (const authorization of [undefined, 'Bearer nope', 'Basic bm9wZQ==', `Basic ${Buffer.from(`${BOT.id}:wrong`).toString('base64')}`]) {
      const r = await agentAction(h, 'list_chats', {}, authorization as string)
      expect(r.status).toBe(401)
      expect(r.body.error?.type).toBe('authentication')
    }
    // a token of another agent under Basic: the user name must be the token's agent
    const token = h.server.admin.issueAgentToken(AGENT.id, ORG).access_token
    const wrongUser = await agentAction(h, 'list_chats', {}, `Basic ${Buffer.from(`${BOT.id}:${token}`).toString('base64')}`)
    expect(wrongUser.status).toBe(401)
    const basic = await agentAction(h, 'list_chats', {}, `Basic ${Buffer.from(`${AGENT.id}:${token}`).toString('base64')}`)
    expect(basic.status).toBe(200)
    expect(basic.body).toMatchObject({ chats_summary: [], found_chats: 0 })
  })

  it('runs the RTM handlers: a customer and an agent converse over HTTP, with the documented errors', async () => {
    const h = await startServer()
    const auth = agentToken(h, BOT.id)
    expect((await agentAction(h, 'set_routing_status', { status: 'accepting_chats' }, auth)).status).toBe(200)
    const customer = await h.customer()
    const started = await customer.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'Hi' }] } } })
    await customer.socket.push('user_added_to_chat')
    const sent = await agentAction(h, 'send_event', { chat_id: started.chat_id, event: { type: 'message', text: 'Hello from HTTP' } }, auth)
    expect(sent.status).toBe(200)
    expect(sent.body).toEqual({ event_id: expect.any(String) })
    const incoming = await customer.socket.push('incoming_event')
    expect(incoming.payload).toMatchObject({ chat_id: started.chat_id, event: { text: 'Hello from HTTP', author_id: BOT.id } })

    const chat = await agentAction(h, 'get_chat', { chat_id: started.chat_id }, auth)
    expect(chat.body).toMatchObject({ id: started.chat_id, thread: { events: expect.any(Array) } })

    const invalid = await agentAction(h, 'send_event', { chat_id: started.chat_id, event: { type: 'message' } }, auth)
    expect(invalid.status).toBe(400)
    expect(invalid.body.error).toMatchObject({ type: 'validation', message: expect.stringContaining('event') })
    const missing = await agentAction(h, 'get_chat', { chat_id: 'NOPE' }, auth)
    expect(missing).toMatchObject({ status: 404, body: { error: { type: 'not_found' } } })
    const unknown = await agentAction(h, 'no_such_action', {}, auth)
    expect(unknown).toMatchObject({ status: 400, body: { error: { type: 'validation', message: 'Unknown action `no_such_action`' } } })
    const login = await agentAction(h, 'login', { token: auth }, auth)
    expect(login.body.error?.type).toBe('validation')
    expect((await agentAction(h, 'list_chats', '[1,2]', auth)).body.error?.type).toBe('validation')
    expect((await agentAction(h, 'list_chats', '{not json', auth)).body.error?.type).toBe('validation')

    expect((await agentAction(h, 'deactivate_chat', { id: started.chat_id }, auth)).status).toBe(200)
    await customer.socket.push('chat_deactivated')
    expect(await agentAction(h, 'send_typing_indicator', { chat_id: started.chat_id, is_typing: true }, auth)).toMatchObject({
      status: 422,
      body: { error: { type: 'chat_inactive' } },
    })
  })

  it('refuses a body over the limit with 413', async () => {
    const h = await startServer({ webApiMaxBodyBytes: 1024 })
    const r = await agentAction(h, 'list_chats', { filler: 'x'.repeat(2048) }, agentToken(h))
    expect(r).toMatchObject({ status: 413, body: { error: { type: 'entity_too_large' } } })
  })

  it('get_customer answers the agent-side Customer record', async () => {
    const h = await startServer()
    const auth = agentToken(h, BOT.id)
    await agentAction(h, 'set_routing_status', { status: 'accepting_chats' }, auth)
    const customer = await h.customer({ login: { customer: { name: 'Ada', email: 'ada@example.com', session_fields: [{ plan: 'pro' }] }, customer_page: { url: 'https://shop.example/a', title: 'A' }, referrer: 'https://ref.example' } })
    await customer.socket.ok('update_customer_page', { url: 'https://shop.example/b', title: 'B' })
    const started = await customer.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'Hi' }] } } })
    await agentAction(h, 'send_event', { chat_id: started.chat_id, event: { type: 'message', text: 'Hello' } }, auth)
    const r = await agentAction(h, 'get_customer', { id: customer.customerId }, auth)
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      id: customer.customerId,
      type: 'customer',
      name: 'Ada',
      email: 'ada@example.com',
      email_verified: false,
      session_fields: [{ plan: 'pro' }],
      present: true,
      online: true,
      state: 'chatting',
      followed: false,
      group_ids: [0],
      created_at: expect.any(String),
      events_seen_up_to: expect.any(String),
      agent_last_event_created_at: expect.any(String),
      customer_last_event_created_at: expect.any(String),
      statistics: {
        chats_count: 1,
        threads_count: 1,
        visits_count: 1,
        page_views_count: 2,
        greetings_shown_count: 0,
        greetings_accepted_count: 0,
        last_visit_started_at: expect.any(String),
      },
      visit: {
        id: 1,
        started_at: expect.any(String),
        referrer: 'https://ref.example',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        last_pages: [
          { opened_at: expect.any(String), url: 'https://shop.example/a', title: 'A' },
          { opened_at: expect.any(String), url: 'https://shop.example/b', title: 'B' },
        ],
      },
    })
    const body = r.body as { agent_last_event_created_at: string; customer_last_event_created_at: string }
    expect(body.agent_last_event_created_at > body.customer_last_event_created_at).toBe(true)
  })
})

describe('configuration API and webhooks', () => {
  it('create_bot, issue_bot_token (24 h) and a bot acting with its token; bot tokens cannot configure', async () => {
    const h = await startServer()
    const admin = agentToken(h)
    const created = await config(h, 'create_bot', { name: 'Helper', owner_client_id: 'client-1', groups: [{ id: 0, priority: 'normal' }] }, admin)
    expect(created).toMatchObject({ status: 200, body: { id: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.any(String) } })
    const { id, secret } = created.body as { id: string; secret: string }
    const wrong = await config(h, 'issue_bot_token', { bot_id: id, client_id: 'client-1', bot_secret: 'wrong', organization_id: ORG }, admin)
    expect(wrong).toMatchObject({ status: 401, body: { error: { type: 'authentication' } } })
    const otherClient = await config(h, 'issue_bot_token', { bot_id: id, client_id: 'client-2', bot_secret: secret, organization_id: ORG }, admin)
    expect(otherClient.status).toBe(401)
    const issued = await config(h, 'issue_bot_token', { bot_id: id, client_id: 'client-1', bot_secret: secret, organization_id: ORG }, admin)
    expect(issued).toMatchObject({ status: 200, body: { token: expect.any(String) } })
    const botAuth = `Bearer ${(issued.body as { token: string }).token}`
    const record = h.server.admin // the token is stored like any agent token, valid 24 h
    expect(record).toBeDefined()
    expect((await agentAction(h, 'set_routing_status', { status: 'accepting_chats' }, botAuth)).status).toBe(200)
    const statuses = await agentAction(h, 'list_routing_statuses', {}, botAuth)
    expect(statuses.body).toEqual(expect.arrayContaining([{ agent_id: id, status: 'accepting_chats' }]))
    expect(await config(h, 'create_bot', { name: 'Sneaky' }, botAuth)).toMatchObject({ status: 403, body: { error: { type: 'authorization' } } })
    expect((await config(h, 'create_bot', { name: 'x', groups: [{ id: 99, priority: 'first' }] }, admin)).body.error?.type).toBe('group_not_found')
  })

  it('register_webhook takes loopback URLs only; list and unregister', async () => {
    const h = await startServer()
    const admin = agentToken(h)
    for (const url of ['http://example.com/hook', 'http://10.0.0.1/hook', 'file:///etc/passwd', 'http://user:pw@127.0.0.1/x', 'http://169.254.169.254/']) {
      const r = await config(h, 'register_webhook', { action: 'incoming_event', secret_key: 's', url, type: 'license', owner_client_id: 'c' }, admin)
      expect(r).toMatchObject({ status: 400, body: { error: { type: 'validation' } } })
    }
    expect(isLoopbackUrl('http://localhost:9/x')).toBe(true)
    expect(isLoopbackUrl('http://[::1]:9/x')).toBe(true)
    expect(isLoopbackUrl('http://127.1.2.3/x')).toBe(true)
    expect(isLoopbackUrl('http://127.0.0.1.example.com/x')).toBe(false)
    const ok = await config(h, 'register_webhook', { action: 'incoming_event', secret_key: 's', url: 'http://127.0.0.1:9/hook', type: 'license', owner_client_id: 'c' }, admin)
    expect(ok.status).toBe(200)
    const id = (ok.body as { id: string }).id
    expect((await config(h, 'register_webhook', { action: 'no_such_push', secret_key: 's', url: 'http://127.0.0.1:9/', type: 'bot', owner_client_id: 'c' }, admin)).body.error?.type).toBe('validation')
    expect((await config(h, 'list_webhooks', { owner_client_id: 'c' }, admin)).body).toEqual([
      { id, action: 'incoming_event', secret_key: 's', url: 'http://127.0.0.1:9/hook', type: 'license', owner_client_id: 'c' },
    ])
    expect((await config(h, 'unregister_webhook', { id, owner_client_id: 'other' }, admin)).status).toBe(404)
    expect((await config(h, 'unregister_webhook', { id, owner_client_id: 'c' }, admin)).status).toBe(200)
    expect((await config(h, 'list_webhooks', { owner_client_id: 'c' }, admin)).body).toEqual([])
  })

  it('delivers the documented body, retries failures with backoff, and logs every attempt', async () => {
    const h = await startServer({ webhooks: { backoffMs: 20, maxAttempts: 3 } })
    const admin = agentToken(h)
    const receiver = await startReceiver([500, 503])
    const created = (await config(h, 'create_bot', { name: 'Hooked', owner_client_id: 'client-1' }, admin)).body as { id: string; secret: string }
    const registered = await config(
      h,
      'register_webhook',
      { action: 'incoming_chat', secret_key: 'sekret', url: receiver.url, type: 'bot', owner_client_id: 'client-1', additional_data: ['chat_presence_user_ids'] },
      admin,
    )
    const token = (await config(h, 'issue_bot_token', { bot_id: created.id, client_id: 'client-1', bot_secret: created.secret, organization_id: ORG }, admin)).body as { token: string }
    await agentAction(h, 'set_routing_status', { status: 'accepting_chats' }, `Bearer ${token.token}`)
    const customer = await h.customer()
    const started = await customer.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'Hi' }] } } })
    await h.server.webhooks.settled()
    expect(receiver.received).toHaveLength(3)
    const body = receiver.received[2]?.body
    expect(body).toMatchObject({
      webhook_id: (registered.body as { id: string }).id,
      secret_key: 'sekret',
      action: 'incoming_chat',
      organization_id: ORG,
      payload: { chat: { id: started.chat_id, thread: { events: [expect.objectContaining({ text: 'Hi' })] } } },
      additional_data: { chat_presence_user_ids: expect.arrayContaining([customer.customerId]) },
    })
    expect(receiver.received[0]?.headers['content-type']).toBe('application/json')
    const log = h.server.webhooks.deliveries().filter((d) => d.action === 'incoming_chat')
    expect(log.map((d) => [d.attempt, d.outcome, d.status, d.final])).toEqual([
      [1, 'failed', 500, false],
      [2, 'failed', 503, false],
      [3, 'delivered', 200, true],
    ])
    const at = log.map((d) => Date.parse(d.at))
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(35) // 20 ms, then 40 ms
  })

  it('gives up after maxAttempts on an unreachable receiver, and never delivers chats a bot webhook may not see', async () => {
    const h = await startServer({ webhooks: { backoffMs: 5, maxAttempts: 2, timeoutMs: 500 }, groups: [{ id: 1 }, { id: 2 }] })
    const admin = agentToken(h)
    const receiver = await startReceiver()
    const created = (await config(h, 'create_bot', { name: 'Group two', owner_client_id: 'client-9', groups: [{ id: 2, priority: 'first' }] }, admin)).body as { id: string }
    expect(created.id).toBeDefined()
    await config(h, 'register_webhook', { action: 'incoming_chat', secret_key: 'k', url: receiver.url, type: 'bot', owner_client_id: 'client-9' }, admin)
    await config(h, 'register_webhook', { action: 'incoming_chat', secret_key: 'k', url: 'http://127.0.0.1:1/closed', type: 'license', owner_client_id: 'client-9' }, admin)
    const customer = await h.customer({ login: { group_id: 1 } })
    const started = await customer.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'Hi' }] } } })
    expect((await agentAction(h, 'get_chat', { chat_id: started.chat_id }, admin)).body).toMatchObject({ access: { group_ids: [1] } })
    await h.server.webhooks.settled()
    expect(receiver.received).toHaveLength(0) // the bot serves group 2 (and 0) only
    const closed = h.server.webhooks.deliveries().filter((d) => d.url.endsWith('/closed'))
    expect(closed.map((d) => [d.attempt, d.outcome, d.final])).toEqual([
      [1, 'failed', false],
      [2, 'failed', true],
    ])
    expect(closed[0]?.error).toBeDefined()
  })
})
