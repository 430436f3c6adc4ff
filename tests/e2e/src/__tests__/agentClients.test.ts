/**
 * The agent client of @rapport/node end to end, over both transports against the local
 * server: RTM (a bot on the agent WebSocket) and the Web API + webhooks (a bot made with
 * `create_bot`, its token from `issue_bot_token`, its events from a webhook receiver). The
 * same scenario runs on each: a customer and the bot converse, the bot reads the
 * agent-side Customer record, transfers one chat to a human and deactivates another.
 */
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type AgentApiClient,
  createAgentRtmClient,
  createAgentWebClient,
  createBotAccount,
  createBotTokenSource,
  createConfigurationClient,
  registerWebhook,
} from '@rapport/node'
import type { AgentEventMap, AgentEventName, WebhookAction } from '@rapport/protocol'
import type { RapportServer } from '@rapport/server'
import { describe, expect, it } from 'vitest'
import { ALICE, BOT_ID, ORG, TWO_AGENTS, connectedCustomer, fast, nextEvent, nextOf, onCleanup, startServer } from './customerSdk/e2eHarness'

const next = <K extends AgentEventName>(client: AgentApiClient, name: K, predicate: (payload: AgentEventMap[K]) => boolean = () => true) =>
  nextOf<AgentEventMap[K]>((fn) => client.on(name, fn), predicate)

const isText = (text: string) => (p: AgentEventMap['incoming_event']) => p.event.type === 'message' && p.event.text === text

const WEBHOOK_ACTIONS: WebhookAction[] = ['incoming_chat', 'incoming_event', 'chat_deactivated', 'chat_transferred', 'user_added_to_chat', 'user_removed_from_chat']

interface Bot {
  client: AgentApiClient
  id: string
}

const rtmBot = async (server: RapportServer): Promise<Bot> => {
  const client = createAgentRtmClient({
    organizationId: ORG,
    accessToken: server.admin.issueAgentToken(BOT_ID, ORG).access_token,
    serverUrl: server.url,
    routingStatus: 'accepting_chats',
    connection: fast,
  })
  onCleanup(() => client.close())
  await client.rtm.whenStatus('connected')
  return { client, id: BOT_ID }
}

/** A bot made as on the platform: create_bot, a renewing token, webhooks to a local receiver, then accepting chats. */
const webBot = async (server: RapportServer): Promise<Bot> => {
  const config = createConfigurationClient({ basic: { login: ALICE.id, password: 'alice-token' } }, { baseUrl: server.url })
  const bot = await createBotAccount(config, { name: 'Web Bot', owner_client_id: 'e2e-client' })
  const token = createBotTokenSource(config, { botId: bot.id, clientId: 'e2e-client', botSecret: bot.secret, organizationId: ORG })
  const client = createAgentWebClient({ baseUrl: server.url, token })
  const receiver = client.createWebhookReceiver({ secretKey: 'e2e-webhook-secret' })
  const http = createHttpServer(receiver.listener)
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  onCleanup(() => new Promise((resolve) => http.close(resolve)))
  onCleanup(() => client.close())
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/webhooks`
  for (const action of WEBHOOK_ACTIONS) {
    await registerWebhook(config, { action, secret_key: 'e2e-webhook-secret', url, type: 'bot', owner_client_id: 'e2e-client' })
  }
  await client.setRoutingStatus('accepting_chats')
  return { client, id: bot.id }
}

describe.each([
  ['RTM', rtmBot],
  ['Web API + webhooks', webBot],
])('agent client over %s', (_name, makeBot) => {
  it('a customer and the bot converse; the bot reads the agent-side Customer record', async () => {
    const server = await startServer({ agents: TWO_AGENTS })
    const { client: bot, id: botId } = await makeBot(server)
    expect(['rtm', 'web']).toContain(bot.transport.kind)
    const { sdk, me } = await connectedCustomer(server)
    await sdk.updateCustomer({ name: 'Ada', email: 'ada@example.com', sessionFields: { plan: 'pro' } })
    await sdk.updateCustomerPage({ url: 'https://shop.example/pricing', title: 'Pricing' })

    const incomingChat = next(bot, 'incoming_chat')
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } } })
    const { chat: heard } = await incomingChat
    expect(heard.id).toBe(chat.id)
    expect(heard.thread?.events.map((e) => (e.type === 'message' ? e.text : e.type))).toContain('Hello')

    await bot.sendTypingIndicator({ chatId: chat.id, isTyping: true })
    await bot.sendThinkingIndicator({ chatId: chat.id, title: 'Looking it up' })
    const customerGot = nextEvent(sdk, 'incoming_event', (p) => p.event.type === 'message' && p.event.text === 'Hi Ada')
    const sent = await bot.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Hi Ada' } })
    expect(sent).toMatchObject({ type: 'message', text: 'Hi Ada', authorId: botId })
    expect((await customerGot).event.id).toBe(sent.id)

    const botGot = next(bot, 'incoming_event', isText('How much is it?'))
    await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'How much is it?' } })
    const question = await botGot
    expect(question.chatId).toBe(chat.id)
    expect(question.event.authorId).toBe(me.id)

    const record = await bot.getCustomer({ id: me.id })
    expect(record).toEqual({
      id: me.id,
      type: 'customer',
      name: 'Ada',
      email: 'ada@example.com',
      emailVerified: false,
      sessionFields: { plan: 'pro' },
      present: true,
      online: true,
      state: 'chatting',
      followed: false,
      groupIds: [0],
      createdAt: expect.any(String),
      eventsSeenUpTo: expect.any(String),
      agentLastEventCreatedAt: sent.createdAt,
      customerLastEventCreatedAt: question.event.createdAt,
      statistics: {
        chatsCount: 1,
        threadsCount: 1,
        visitsCount: 1,
        pageViewsCount: 1,
        greetingsShownCount: 0,
        greetingsAcceptedCount: 0,
        lastVisitStartedAt: expect.any(String),
      },
      visit: {
        id: 1,
        startedAt: expect.any(String),
        ip: expect.stringContaining('127.0.0.1'),
        lastPages: [{ openedAt: expect.any(String), url: 'https://shop.example/pricing', title: 'Pricing' }],
      },
    })

    const listed = await bot.listChats({ filters: { active: true } })
    expect(listed.chats.map((c) => c.id)).toContain(chat.id)
    const fetched = await bot.getChat({ chatId: chat.id })
    expect(fetched.thread?.events.some((e) => e.id === sent.id)).toBe(true)
    await bot.updateChatProperties({ id: chat.id, properties: { routing: { bot_handled: true } } })
    expect((await bot.getChat({ chatId: chat.id })).properties).toMatchObject({ routing: { bot_handled: true } })
  })

  it('the bot transfers one chat to a human and deactivates another', async () => {
    const server = await startServer({ agents: TWO_AGENTS })
    const { client: bot, id: botId } = await makeBot(server)

    const first = await connectedCustomer(server)
    const firstHeard = next(bot, 'incoming_chat')
    const { chat: transferred } = await first.sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'I want a human' }] } } })
    await firstHeard
    const removed = next(bot, 'user_removed_from_chat', (p) => p.chatId === transferred.id && p.userId === botId)
    const customerSawTransfer = nextEvent(first.sdk, 'chat_transferred')
    await bot.transferChat({ id: transferred.id, target: { type: 'agent', ids: [ALICE.id] }, ignoreAgentsAvailability: true })
    await removed
    expect(await customerSawTransfer).toMatchObject({ chatId: transferred.id })
    expect((await bot.getChat({ chatId: transferred.id })).users.map((u) => u.id)).toContain(ALICE.id)

    const second = await connectedCustomer(server)
    const secondHeard = next(bot, 'incoming_chat')
    const { chat: closed } = await second.sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Thanks, bye' }] } } })
    await secondHeard
    const botSawEnd = next(bot, 'chat_deactivated', (p) => p.chatId === closed.id)
    const customerSawEnd = nextEvent(second.sdk, 'chat_deactivated')
    await bot.deactivateChat({ id: closed.id })
    expect(await botSawEnd).toMatchObject({ chatId: closed.id, userId: botId })
    expect(await customerSawEnd).toMatchObject({ chatId: closed.id })
    await expect(bot.sendEvent({ chatId: closed.id, event: { type: 'message', text: 'late' } })).rejects.toMatchObject({ code: 'CHAT_INACTIVE' })
  })
})

describe('Web API setup', () => {
  it('renews the bot token before its 24 h expiry, and errors carry the documented code', async () => {
    const server = await startServer({ agents: TWO_AGENTS })
    const config = createConfigurationClient({ token: 'alice-token' }, { baseUrl: server.url })
    const bot = await createBotAccount(config, { name: 'Renewing Bot', owner_client_id: 'c1' })
    let now = Date.now()
    const token = createBotTokenSource(config, { botId: bot.id, clientId: 'c1', botSecret: bot.secret, organizationId: ORG }, { now: () => now })
    const first = await token()
    expect(await token()).toBe(first)
    now += 22 * 60 * 60 * 1000
    expect(await token()).toBe(first)
    now += 60 * 60 * 1000 + 1 // within the last hour before expiry
    const renewed = await token()
    expect(renewed).not.toBe(first)
    const client = createAgentWebClient({ baseUrl: server.url, token })
    await expect(client.getChat({ chatId: 'NOPE' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const stranger = createAgentWebClient({ baseUrl: server.url, token: 'not-a-token' })
    await expect(stranger.listChats()).rejects.toMatchObject({ code: 'AUTHENTICATION' })
    await expect(createBotAccount(createConfigurationClient({ token: renewed }, { baseUrl: server.url }), { name: 'x' })).rejects.toMatchObject({
      code: 'AUTHORIZATION',
    })
  })
})
