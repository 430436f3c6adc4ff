import { chatEvents } from '@rapport/core'
import { init } from '@rapport/customer-sdk'
import { createNodeEnv } from '@rapport/node'
import { MemoryStorage, createServer } from '@rapport/server'
import { describe, expect, it } from 'vitest'
import { ORG, agent, customer, fast, nextOf, onCleanup, startServer } from './e2eHarness'

describe('customer and agent chat through the local server', () => {
  it('connects, starts a chat, exchanges messages both ways, deactivates', async () => {
    const server = await startServer()
    const bot = await agent(server)
    const sdk = customer(server)
    const connected = await sdk.once('connected')
    expect(connected.customer.type).toBe('customer')
    expect(connected.availability).toBe('online')

    const botGotChat = nextOf<{ chat: { id: string } }>((fn) => bot.on('incoming_chat', fn))
    const agentAdded = sdk.once('user_added_to_chat')
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } } })
    expect(chat.thread?.events).toMatchObject([{ type: 'message', text: 'Hello', authorId: connected.customer.id }])
    expect((await botGotChat).chat.id).toBe(chat.id)
    expect((await agentAdded).user).toMatchObject({ id: 'bot@rapport.local', type: 'agent', present: true })

    // customer → agent
    const botGotMessage = nextOf<{ event: { type: string; text?: string } }>((fn) => bot.on('incoming_event', fn), (e) => e.event.type === 'message')
    const sent = await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'Where is my order?', customId: 'c-1' } })
    expect(sent).toMatchObject({ type: 'message', text: 'Where is my order?', customId: 'c-1', threadId: chat.thread?.id })
    expect((await botGotMessage).event).toMatchObject({ text: 'Where is my order?' })

    // agent → customer
    const customerGot = sdk.once('incoming_event')
    await bot.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'On its way.' } })
    const incoming = await customerGot
    expect(incoming).toMatchObject({ chatId: chat.id, event: { type: 'message', text: 'On its way.', authorId: 'bot@rapport.local' } })

    // agents-only events never reach the customer
    const seen: string[] = []
    sdk.on('incoming_event', ({ event }) => seen.push(event.type === 'message' ? event.text : event.type))
    await bot.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'internal note' }, visibility: 'agents' })
    await bot.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'public' } })
    await nextOf<string>((fn) => sdk.on('incoming_event', ({ event }) => fn(event.id)))
    expect(seen).toEqual(['public'])

    const threadId = chat.thread?.id as string
    const events = chatEvents(chat.id)(sdk.state.getSnapshot()).filter((e) => e.threadId === threadId)
    expect(events.map((e) => e.type === 'message' && e.text)).toEqual([
      'Hello',
      'Where is my order?',
      'On its way.',
      'public',
    ])

    const deactivated = sdk.once('chat_deactivated')
    await expect(sdk.deactivateChat({ id: chat.id })).resolves.toEqual({ success: true })
    expect(await deactivated).toEqual({ chatId: chat.id })
    expect(sdk.state.getSnapshot().chats[chat.id]?.active).toBe(false)

    const fetched = await sdk.getChat({ chatId: chat.id })
    expect(fetched.thread?.active).toBe(false)
    const list = await sdk.listChats()
    expect(list.chatsSummary.map((s) => s.id)).toEqual([chat.id])
    const me = await sdk.getCustomer()
    expect(me.id).toBe(connected.customer.id)
    expect(me.statistics.chatsCount).toBeGreaterThanOrEqual(1)
  })

  it('answers bad input with the documented codes and loses nothing', async () => {
    const server = await startServer()
    const sdk = customer(server)
    await sdk.once('connected')
    const { chat } = await sdk.startChat()
    await expect(sdk.startChat()).rejects.toMatchObject({ code: 'CHAT_LIMIT_REACHED' })
    await expect(sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'x'.repeat(16 * 1024 + 1) } })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.getChat({ chatId: 'NO_SUCH_CHAT' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // the action map refuses these at compile time; the server refuses them at run time
    // @ts-expect-error an action that does not exist
    await expect(sdk.request('no_such_action', {})).rejects.toMatchObject({ code: 'VALIDATION' })
    // @ts-expect-error a chat id of the wrong type, no event
    await expect(sdk.request('send_event', { chat_id: 42 })).rejects.toMatchObject({ code: 'VALIDATION' })
    await sdk.deactivateChat({ id: chat.id })
    await expect(sdk.deactivateChat({ id: chat.id })).rejects.toMatchObject({ code: 'CHAT_INACTIVE' })
    await expect(sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'late' } })).rejects.toMatchObject({ code: 'CHAT_INACTIVE' })
    // the connection survived all of it
    expect(sdk.status).toBe('connected')
    const resumed = await sdk.resumeChat({ chat: { id: chat.id } })
    expect(resumed.chat.thread?.active).toBe(true)
  })

  it('a customer cannot read or change another customer’s chat', async () => {
    const server = await startServer()
    const alice = customer(server)
    const bob = customer(server)
    await Promise.all([alice.once('connected'), bob.once('connected')])
    const { chat } = await alice.startChat()
    await expect(bob.getChat({ chatId: chat.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(bob.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'hijack' } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(bob.deactivateChat({ id: chat.id })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await bob.listChats()).chatsSummary).toEqual([])
  })

  it('reconnects when the server comes back after being killed mid-chat', async () => {
    const storage = new MemoryStorage()
    const first = await createServer({ port: 0, storage })
    const port = first.port
    const sdk = init({ organizationId: ORG, clientId: 'e2e', serverUrl: first.url, connection: fast, environment: createNodeEnv() })
    onCleanup(() => sdk.destroy())
    await sdk.once('connected')
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'before' }] } } })

    const disconnected = sdk.once('disconnected')
    await first.close()
    expect(await disconnected).toEqual({ reason: 'connection_lost' })
    await expect(sdk.getChat({ chatId: chat.id })).rejects.toMatchObject({ code: 'NO_CONNECTION' })

    const reconnected = sdk.once('connected')
    const second = await createServer({ port, storage })
    onCleanup(() => second.close())
    await reconnected
    const after = await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'after' } })
    expect(after).toMatchObject({ type: 'message', text: 'after' })
    const fetched = await sdk.getChat({ chatId: chat.id })
    expect(fetched.thread?.events.map((e) => (e.type === 'message' ? e.text : e.type))).toEqual(['before', 'after'])
  })

  it('obeys a forced disconnection reason: inactivity_timeout pauses until connect()', async () => {
    const server = await startServer()
    const sdk = customer(server)
    const { customer: me } = await sdk.once('connected')
    const disconnected = sdk.once('disconnected')
    server.admin.disconnectCustomer(me.id, 'inactivity_timeout')
    expect(await disconnected).toEqual({ reason: 'inactivity_timeout' })
    await sdk.whenStatus('paused')
    const again = sdk.once('connected')
    sdk.connect()
    await again
    expect(sdk.status).toBe('connected')
  })

  it('obeys a forced disconnection reason: customer_banned destroys the instance', async () => {
    const server = await startServer()
    const sdk = customer(server)
    const { customer: me } = await sdk.once('connected')
    const disconnected = sdk.once('disconnected')
    server.admin.disconnectCustomer(me.id, 'customer_banned')
    expect(await disconnected).toEqual({ reason: 'customer_banned' })
    await sdk.whenStatus('destroyed')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
  })
})

describe('identity in Node', () => {
  it('keeps the same customer across token refreshes (the identity cookies are kept)', async () => {
    const server = await startServer()
    const sdk = customer(server)
    const { customer: first } = await sdk.once('connected')
    const changed: unknown[] = []
    sdk.on('identity_changed', (p) => changed.push(p))
    const fresh = await sdk.auth.getFreshToken()
    expect(fresh.entityId).toBe(first.id)
    const reconnected = sdk.once('connected')
    server.admin.disconnectCustomer(first.id, 'access_token_expired')
    expect((await reconnected).customer.id).toBe(first.id)
    expect(changed).toEqual([])
  })
})

describe('a bot that was away', () => {
  it('catches up on the messages it missed while disconnected, once each, in order', async () => {
    const server = await startServer()
    const bot = await agent(server)
    const sdk = customer(server)
    await sdk.once('connected')
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'first' }] } } })
    const seen: string[] = []
    bot.on('incoming_event', ({ event }) => {
      if (event.type === 'message') seen.push(event.text)
    })
    const away = nextOf<{ reason: string }>((fn) => bot.on('disconnected', fn))
    server.admin.disconnectAgent('bot@rapport.local', 'connection_timeout')
    await away
    await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'while away 1' } })
    await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'while away 2' } })
    await bot.whenStatus('connected')
    await expect.poll(() => seen).toEqual(['while away 1', 'while away 2'])
    await sdk.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'live again' } })
    await expect.poll(() => seen).toEqual(['while away 1', 'while away 2', 'live again'])
  })
})

describe('a bot writing while it is away', () => {
  it('its messages wait, then reach the customer once each, in order', async () => {
    const server = await startServer()
    const bot = await agent(server)
    const sdk = customer(server)
    await sdk.once('connected')
    const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'hi' }] } } })
    const got: string[] = []
    sdk.on('incoming_event', ({ event }) => {
      if (event.type === 'message') got.push(event.text)
    })
    const away = nextOf<{ reason: string }>((fn) => bot.on('disconnected', fn))
    server.admin.disconnectAgent('bot@rapport.local', 'connection_timeout')
    await away
    const sends = ['one', 'two', 'three'].map((text) => bot.sendEvent({ chatId: chat.id, event: { type: 'message', text } }))
    const ids = await Promise.all(sends)
    expect(new Set(ids.map((r) => r.id)).size).toBe(3)
    await expect.poll(() => got).toEqual(['one', 'two', 'three'])
    const stored = await sdk.getChat({ chatId: chat.id })
    expect(stored.thread?.events.map((e) => (e.type === 'message' ? e.text : e.type))).toEqual(['hi', 'one', 'two', 'three'])
  })
})
