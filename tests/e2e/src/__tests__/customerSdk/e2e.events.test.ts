/**
 * One end-to-end test per documented event ("Events" of the documentation), each
 * caused through the real local server (the agent side, the admin side, or the
 * customer's own actions) and checked against the documented payload, with the
 * deviations of docs/differences.md (`incoming_event` is `{chatId, event}`; `user_data`
 * and `customer_updated` carry `fields` and `sessionFields`).
 *
 * The push that settles a customer's own `startChat`/`resumeChat`/`sendEvent` is that
 * call's answer and is not emitted (customer-rtm §3.4, sdk-mapping); `incoming_chat` is
 * therefore seen by the customer's other connection.
 */
import { describe, expect, it } from 'vitest'
import {
  ALICE,
  BOT_ID,
  ORG,
  RFC3339,
  TWO_AGENTS,
  agent,
  chatWithBot,
  connectedCustomer,
  customer,
  expectChatShape,
  expectCustomerShape,
  nextEvent,
  richMessageWire,
  startServer,
  switchableIdentity,
} from './e2eHarness'

const heartbeat = { pingIntervalMs: 100, pongTimeoutMs: 100, unstableGraceMs: 10_000, retry: { baseDelayMs: 50, maxDelayMs: 200, minIntervalMs: 20 } }

describe('events, end to end', () => {
  it('availability_updated: {availability} as the only agent stops and starts accepting chats', async () => {
    const server = await startServer()
    const bot = await agent(server)
    const { sdk, connected } = await connectedCustomer(server)
    expect(connected.availability).toBe('online')
    const offline = sdk.once('availability_updated')
    await bot.setRoutingStatus('not_accepting_chats')
    expect(await offline).toEqual({ availability: 'offline' })
    const online = sdk.once('availability_updated')
    await bot.setRoutingStatus('accepting_chats')
    expect(await online).toEqual({ availability: 'online' })
  })

  it('chat_deactivated: {chatId} when the agent closes the chat', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const deactivated = sdk.once('chat_deactivated')
    await bot.deactivateChat({ id: chatId })
    expect(await deactivated).toEqual({ chatId })
    expect(sdk.state.getSnapshot().chats[chatId]?.active).toBe(false)
  })

  it('chat_properties_deleted: {chatId, properties} with the deleted names', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    await bot.request('update_chat_properties', { id: chatId, properties: { crm: { ticket: '42', owner: 'ann' } } })
    const deleted = sdk.once('chat_properties_deleted')
    await bot.request('delete_chat_properties', { id: chatId, properties: { crm: ['ticket'] } })
    expect(await deleted).toEqual({ chatId, properties: { crm: ['ticket'] } })
  })

  it('chat_properties_updated: {chatId, properties}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const updated = sdk.once('chat_properties_updated')
    await bot.request('update_chat_properties', { id: chatId, properties: { crm: { ticket: '42' } } })
    expect(await updated).toEqual({ chatId, properties: { crm: { ticket: '42' } } })
  })

  it('chat_transferred: {chatId, threadId, reason, requesterId, transferredTo, queue}', async () => {
    const server = await startServer({ agents: TWO_AGENTS, groups: [{ id: 0 }, { id: 1 }, { id: 2, name: 'Nobody' }] })
    const alice = await agent(server, ALICE.token)
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    // to an agent
    const toAgent = sdk.once('chat_transferred')
    await bot.request('transfer_chat', { id: chatId, target: { type: 'agent', ids: [ALICE.id] } })
    expect(await toAgent).toEqual({ chatId, threadId, reason: 'manual', requesterId: BOT_ID, transferredTo: { agentIds: [ALICE.id] }, queue: null })
    // to a group nobody serves: the chat waits in the queue
    const toGroup = sdk.once('chat_transferred')
    await alice.request('transfer_chat', { id: chatId, target: { type: 'group', ids: [2] }, ignore_agents_availability: true })
    expect(await toGroup).toEqual({
      chatId,
      threadId,
      reason: 'manual',
      requesterId: ALICE.id,
      transferredTo: { groupIds: [2] },
      queue: { position: 1, waitTime: expect.any(Number), queuedAt: expect.stringMatching(RFC3339) },
    })
  })

  it('connected: {customer, availability, greeting?}', async () => {
    const server = await startServer()
    const { sdk, connected, me } = await connectedCustomer(server)
    expectCustomerShape(connected.customer)
    expect(connected.availability).toBe('offline')
    expect(connected.greeting).toBeUndefined()
    // a pending greeting comes with the next login
    const incoming = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id, { id: 3, text: 'Welcome back' })
    const greeting = await incoming
    const again = sdk.once('connected')
    server.admin.disconnectCustomer(me.id, 'internal_error')
    const reconnected = await again
    expectCustomerShape(reconnected.customer, me.id)
    expect(reconnected.greeting).toMatchObject({
      id: 3,
      text: 'Welcome back',
      uniqueId: greeting.uniqueId,
      displayedFirstTime: false,
      accepted: false,
      agent: { id: BOT_ID, name: 'Rapport Bot', avatar: expect.any(String), jobTitle: 'Assistant', isBot: true },
    })
  })

  it('connection_recovered: after connection_unstable, when frames flow again (no payload)', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server, { connection: heartbeat })
    const order: string[] = []
    sdk.on('connection_unstable', () => order.push('unstable'))
    const unstable = sdk.once('connection_unstable')
    server.admin.stallCustomer(me.id, true)
    await unstable
    const recovered = sdk.once('connection_recovered')
    sdk.on('connection_recovered', () => order.push('recovered'))
    server.admin.stallCustomer(me.id, false)
    expect(await recovered).toBeUndefined()
    expect(order).toEqual(['unstable', 'recovered'])
    expect(sdk.status).toBe('connected')
    expect((await sdk.getCustomer()).id).toBe(me.id)
  })

  it('connection_unstable: when pings go unanswered; the connection is kept (no payload)', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server, { connection: heartbeat })
    const disconnections: unknown[] = []
    sdk.on('disconnected', (p) => disconnections.push(p))
    const unstable = sdk.once('connection_unstable')
    server.admin.stallCustomer(me.id, true)
    expect(await unstable).toBeUndefined()
    expect(sdk.status).toBe('connected')
    const recovered = sdk.once('connection_recovered')
    server.admin.stallCustomer(me.id, false)
    await recovered
    expect(disconnections).toEqual([])
  })

  it('customer_id: the customer id (a string), before connected', async () => {
    const server = await startServer()
    const sdk = customer(server, { autoConnect: false })
    const order: string[] = []
    const id = sdk.once('customer_id')
    sdk.on('customer_id', () => order.push('customer_id'))
    sdk.on('connected', () => order.push('connected'))
    const connected = sdk.once('connected')
    sdk.connect()
    const [customerId, { customer: me }] = await Promise.all([id, connected])
    expect(typeof customerId).toBe('string')
    expect(customerId).toBe(me.id)
    expect(order).toEqual(['customer_id', 'connected'])
  })

  it('identity_changed: {previousId, newId}, then customer_id; the old identity’s chats are forgotten', async () => {
    const server = await startServer()
    const identity = switchableIdentity(server)
    const { sdk, me } = await connectedCustomer(server, { identityProvider: () => identity.auth })
    const { chat } = await sdk.startChat()
    expect(sdk.state.getSnapshot().chats[chat.id]).toBeDefined()
    const changed = sdk.once('identity_changed')
    const newIds: string[] = []
    sdk.on('customer_id', (id) => newIds.push(id))
    const reconnected = sdk.once('connected')
    const newId = identity.switchTo()
    server.admin.dropCustomer(me.id)
    expect(await changed).toEqual({ previousId: me.id, newId })
    expect((await reconnected).customer.id).toBe(newId)
    expect(newIds[0]).toBe(newId)
    expect(sdk.state.getSnapshot().chats[chat.id]).toBeUndefined()
    expect((await sdk.listChats()).chatsSummary).toEqual([])
  })

  it('customer_updated: {id?, name, email, avatar, fields} with the updated properties only', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const updated = sdk.once('customer_updated')
    await sdk.updateCustomer({ name: 'Jane', sessionFields: { plan: 'pro' } })
    const payload = await updated
    expect(payload).toEqual({ id: me.id, name: 'Jane', fields: { plan: 'pro' }, sessionFields: { plan: 'pro' } })
    const second = sdk.once('customer_updated')
    await sdk.updateCustomer({ email: 'jane@example.com', avatar: 'https://example.com/a.png' })
    expect(await second).toEqual({ id: me.id, email: 'jane@example.com', avatar: 'https://example.com/a.png' })
  })

  it('disconnected: {reason} (and {data} when the server gives it)', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnected = sdk.once('disconnected')
    server.admin.disconnectCustomer(me.id, 'internal_error', { detail: 'maintenance' })
    expect(await disconnected).toEqual({ reason: 'internal_error', data: { detail: 'maintenance' } })
    await sdk.whenStatus('connected')
  })

  it('event_properties_deleted: {chatId, threadId, eventId, properties}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId, firstEvent } = await chatWithBot(server)
    await bot.request('update_event_properties', { chat_id: chatId, thread_id: threadId, event_id: firstEvent.id, properties: { qa: { score: 3, note: 'ok' } } })
    const deleted = sdk.once('event_properties_deleted')
    await bot.request('delete_event_properties', { chat_id: chatId, thread_id: threadId, event_id: firstEvent.id, properties: { qa: ['score'] } })
    expect(await deleted).toEqual({ chatId, threadId, eventId: firstEvent.id, properties: { qa: ['score'] } })
  })

  it('event_properties_updated: {chatId, threadId, eventId, properties}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId, firstEvent } = await chatWithBot(server)
    const updated = sdk.once('event_properties_updated')
    await bot.request('update_event_properties', { chat_id: chatId, thread_id: threadId, event_id: firstEvent.id, properties: { qa: { score: 3 } } })
    expect(await updated).toEqual({ chatId, threadId, eventId: firstEvent.id, properties: { qa: { score: 3 } } })
  })

  it('event_updated: {chatId, threadId, event} with the entire updated event', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const incoming = sdk.once('incoming_event')
    const { id: eventId } = await bot.sendEvent({ chatId, event: { type: 'message', text: 'Typo hree' } })
    await incoming
    const updated = sdk.once('event_updated')
    server.admin.updateEvent(ORG, chatId, threadId, eventId, { text: 'Typo here' })
    expect(await updated).toEqual({
      chatId,
      threadId,
      event: expect.objectContaining({ id: eventId, type: 'message', text: 'Typo here', authorId: BOT_ID, createdAt: expect.stringMatching(RFC3339), threadId }),
    })
  })

  it('events_marked_as_seen: {chatId, userId, seenUpTo}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const sent = await sdk.sendEvent({ chatId, event: { type: 'message', text: 'Anyone?' } })
    const seen = sdk.once('events_marked_as_seen')
    await bot.request('mark_events_as_seen', { chat_id: chatId, seen_up_to: sent.createdAt })
    expect(await seen).toEqual({ chatId, userId: BOT_ID, seenUpTo: sent.createdAt })
  })

  it('greeting_accepted: {uniqueId}', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id)
    const greeting = await incoming
    const accepted = sdk.once('greeting_accepted')
    await sdk.acceptGreeting({ greetingId: greeting.id, uniqueId: greeting.uniqueId })
    expect(await accepted).toEqual({ uniqueId: greeting.uniqueId })
  })

  it('greeting_canceled: {uniqueId}, when canceled and when a new greeting replaces the displayed one', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const first = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id, { text: 'first' })
    const one = await first
    const replaced = sdk.once('greeting_canceled')
    const second = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id, { text: 'second' })
    expect(await replaced).toEqual({ uniqueId: one.uniqueId })
    const two = await second
    const canceled = sdk.once('greeting_canceled')
    await sdk.cancelGreeting({ uniqueId: two.uniqueId })
    expect(await canceled).toEqual({ uniqueId: two.uniqueId })
  })

  it('incoming_chat: {chat} with the new thread and its initial events, on the customer’s other connection', async () => {
    const server = await startServer()
    await agent(server)
    const { sdk: tab1, me } = await connectedCustomer(server)
    const sameCustomer = switchableIdentity(server, me.id)
    const { sdk: tab2 } = await connectedCustomer(server, { identityProvider: () => sameCustomer.auth })
    const incoming = tab2.once('incoming_chat')
    const { chat } = await tab1.startChat({ chat: { thread: { events: [{ type: 'message', text: 'From tab 1' }] } } })
    const payload = await incoming
    expectChatShape(payload.chat)
    expect(payload.chat.id).toBe(chat.id)
    expect(payload.chat.thread).toMatchObject({ id: chat.thread?.id, active: true, events: [{ type: 'message', text: 'From tab 1', authorId: me.id }] })
    expect(payload.chat.users.map((u) => u.id)).toContain(me.id)
    expect(tab2.state.getSnapshot().chats[chat.id]?.active).toBe(true)
  })

  it('incoming_event: {chatId, event} with the whole event', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const incoming = sdk.once('incoming_event')
    const { id: eventId } = await bot.sendEvent({ chatId, event: { type: 'message', text: 'On its way', customId: 'agent-1' } })
    expect(await incoming).toEqual({
      chatId,
      event: expect.objectContaining({
        id: eventId,
        type: 'message',
        text: 'On its way',
        customId: 'agent-1',
        authorId: BOT_ID,
        createdAt: expect.stringMatching(RFC3339),
        threadId,
        properties: expect.any(Object),
      }),
    })
  })

  it('incoming_greeting: {id, text, uniqueId, displayedFirstTime, accepted, agent}', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_greeting')
    const sent = server.admin.sendGreeting(me.id, { id: 12, text: 'Can I help?' })
    expect(await incoming).toMatchObject({
      id: 12,
      text: 'Can I help?',
      uniqueId: sent.unique_id,
      displayedFirstTime: true,
      accepted: false,
      agent: { id: BOT_ID, name: 'Rapport Bot', avatar: expect.any(String), jobTitle: 'Assistant', isBot: true },
    })
  })

  it('incoming_rich_message_postback: {userId, chatId, threadId, eventId, postback:{id, toggled}}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const incoming = nextEvent(sdk, 'incoming_event', (p) => p.event.type === 'rich_message')
    await bot.request('send_event', { chat_id: chatId, event: richMessageWire('pb-no') })
    const { event } = await incoming
    const postback = sdk.once('incoming_rich_message_postback')
    await bot.request('send_rich_message_postback', { chat_id: chatId, thread_id: threadId, event_id: event.id, postback: { id: 'pb-no', toggled: false } })
    expect(await postback).toEqual({ userId: BOT_ID, chatId, threadId, eventId: event.id, postback: { id: 'pb-no', toggled: false } })
  })

  it('incoming_typing_indicator: {chatId, typingIndicator:{authorId, isTyping}}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const typing = sdk.once('incoming_typing_indicator')
    await bot.sendTypingIndicator({ chatId, isTyping: true })
    expect(await typing).toEqual({ chatId, typingIndicator: { authorId: BOT_ID, isTyping: true } })
    const stopped = sdk.once('incoming_typing_indicator')
    await bot.sendTypingIndicator({ chatId, isTyping: false })
    expect(await stopped).toEqual({ chatId, typingIndicator: { authorId: BOT_ID, isTyping: false } })
  })

  it('incoming_thinking_indicator: {chatId, threadId, authorId, sentAt, customId?, title?, description?}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const thinking = sdk.once('incoming_thinking_indicator')
    await bot.request('send_thinking_indicator', { chat_id: chatId, title: 'Looking it up', description: 'Checking your order', custom_id: 'think-1' })
    expect(await thinking).toEqual({
      chatId,
      threadId,
      authorId: BOT_ID,
      sentAt: expect.stringMatching(RFC3339),
      customId: 'think-1',
      title: 'Looking it up',
      description: 'Checking your order',
    })
    const bare = sdk.once('incoming_thinking_indicator')
    await bot.request('send_thinking_indicator', { chat_id: chatId })
    expect(await bare).toEqual({ chatId, threadId, authorId: BOT_ID, sentAt: expect.stringMatching(RFC3339) })
  })

  it('incoming_welcome_message: {id, event}', async () => {
    const server = await startServer({ groups: [{ id: 0, welcomeMessage: 'Hi! How can we help?' }] })
    await agent(server)
    const { sdk } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_welcome_message')
    const { id } = await sdk.requestWelcomeMessage()
    expect(await incoming).toEqual({ id, event: expect.objectContaining({ type: 'message', text: 'Hi! How can we help?', authorId: BOT_ID }) })
  })

  it('incoming_event_preview: {chatId, threadId, event:{type, text}}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const preview = sdk.once('incoming_event_preview')
    await bot.request('send_event_preview', { chat_id: chatId, event: { type: 'message', text: 'Your order shi' } })
    expect(await preview).toEqual({ chatId, threadId, event: expect.objectContaining({ type: 'message', text: 'Your order shi', authorId: BOT_ID }) })
  })

  it('queue_position_updated: {chatId, threadId, queue:{position, waitTime}} as the queue moves', async () => {
    const server = await startServer({ maxChatsPerAgent: 1 })
    const { sdk: first } = await connectedCustomer(server)
    const { sdk: second } = await connectedCustomer(server)
    await first.startChat()
    const { chat } = await second.startChat()
    expect(chat.thread?.queue).toMatchObject({ position: 2 })
    const moved = second.once('queue_position_updated')
    await agent(server) // takes the first chat: the second moves up
    expect(await moved).toEqual({ chatId: chat.id, threadId: chat.thread?.id, queue: { position: 1, waitTime: expect.any(Number) } })
  })

  it('thread_properties_deleted: {chatId, threadId, properties}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    await bot.request('update_thread_properties', { chat_id: chatId, thread_id: threadId, properties: { routing: { tier: 'gold', vip: true } } })
    const deleted = sdk.once('thread_properties_deleted')
    await bot.request('delete_thread_properties', { chat_id: chatId, thread_id: threadId, properties: { routing: ['vip'] } })
    expect(await deleted).toEqual({ chatId, threadId, properties: { routing: ['vip'] } })
  })

  it('thread_properties_updated: {chatId, threadId, properties}', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    const updated = sdk.once('thread_properties_updated')
    await bot.request('update_thread_properties', { chat_id: chatId, thread_id: threadId, properties: { routing: { tier: 'gold' } } })
    expect(await updated).toEqual({ chatId, threadId, properties: { routing: { tier: 'gold' } } })
  })

  it('user_added_to_chat: {chatId, user, present}', async () => {
    const server = await startServer({ agents: TWO_AGENTS })
    const { sdk, bot, chatId } = await chatWithBot(server)
    await agent(server, ALICE.token, 'not_accepting_chats')
    const added = sdk.once('user_added_to_chat')
    await bot.request('add_user_to_chat', { chat_id: chatId, user_id: ALICE.id, user_type: 'agent', visibility: 'all' })
    expect(await added).toEqual({
      chatId,
      user: { id: ALICE.id, type: 'agent', name: 'Alice', avatar: expect.any(String), jobTitle: 'Support Agent', present: true },
      present: true,
    })
  })

  it('user_data: agents {type, id, name, avatar, jobTitle} and customers {type, id, fields, …} without present', async () => {
    const server = await startServer()
    await agent(server)
    const { sdk, me } = await connectedCustomer(server, { customerDataProvider: () => ({ name: 'Ann', sessionFields: { plan: 'pro' } }) })
    const users = new Map<string, unknown>()
    sdk.on('user_data', (user) => users.set(user.id, user))
    const agentData = nextEvent(sdk, 'user_data', (u) => u.type === 'agent')
    await sdk.startChat()
    expect(await agentData).toEqual({ type: 'agent', id: BOT_ID, name: 'Rapport Bot', avatar: expect.any(String), jobTitle: 'Assistant' })
    await sdk.listChats()
    expect(users.get(me.id)).toEqual(expect.objectContaining({ type: 'customer', id: me.id, name: 'Ann', fields: { plan: 'pro' }, sessionFields: { plan: 'pro' } }))
    for (const user of users.values()) expect(user).not.toHaveProperty('present')
  })

  it('user_removed_from_chat: {chatId, userId, reason}', async () => {
    const server = await startServer({ agents: TWO_AGENTS })
    const { sdk, bot, chatId } = await chatWithBot(server)
    await agent(server, ALICE.token, 'not_accepting_chats')
    const added = sdk.once('user_added_to_chat')
    await bot.request('add_user_to_chat', { chat_id: chatId, user_id: ALICE.id, user_type: 'agent', visibility: 'all' })
    await added
    const removed = sdk.once('user_removed_from_chat')
    await bot.request('remove_user_from_chat', { chat_id: chatId, user_id: ALICE.id, user_type: 'agent' })
    expect(await removed).toEqual({ chatId, userId: ALICE.id, reason: 'manual' })
  })
})
