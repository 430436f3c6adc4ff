/**
 * One end-to-end test per documented method ("Methods" of the documentation), through
 * the public `init()` against the real local server: the documented result shape and
 * the documented error codes of each method's failure cases.
 *
 * `MISSING_CHAT_THREAD` (cancelRate, rateChat) cannot be reached end to end: every chat
 * a customer can start or resume has a thread (start_chat and resume_chat always open
 * one, `active: false` included), and another customer's chat is `NOT_FOUND` first.
 */
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  ALICE,
  BOT_ID,
  ORG,
  RFC3339,
  agent,
  chatWithBot,
  connectedCustomer,
  customer,
  expectChatShape,
  expectCustomerShape,
  expectSuccess,
  expectThreadShape,
  nextEvent,
  onCleanup,
  richMessageWire,
  startServer,
} from './e2eHarness'

/** A chat of another customer, for the `NOT_FOUND` cases. */
const foreignChat = async (server: Awaited<ReturnType<typeof startServer>>) => {
  const { sdk } = await connectedCustomer(server)
  const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'mine' }] } } })
  return { chatId: chat.id, threadId: chat.thread?.id as string, eventId: chat.thread?.events[0]?.id as string }
}

describe('methods, end to end', () => {
  it('acceptGreeting: success, GREETING_NOT_FOUND for an unknown uniqueId', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id, { id: 7, text: 'Need help?' })
    const greeting = await incoming
    await expect(sdk.acceptGreeting({ greetingId: greeting.id, uniqueId: greeting.uniqueId })).resolves.toEqual({ success: true })
    // accepted once: no longer pending
    await expect(sdk.acceptGreeting({ greetingId: greeting.id, uniqueId: greeting.uniqueId })).rejects.toMatchObject({ code: 'GREETING_NOT_FOUND' })
    await expect(sdk.acceptGreeting({ greetingId: 7, uniqueId: 'NO_SUCH_GREETING' })).rejects.toMatchObject({ code: 'GREETING_NOT_FOUND' })
    await expect(sdk.acceptGreeting({ greetingId: '7' as unknown as number, uniqueId: greeting.uniqueId })).rejects.toMatchObject({ code: 'VALIDATION' })
    expect((await sdk.getCustomer()).statistics.greetingsAcceptedCount).toBe(1)
  })

  it('cancelGreeting: success, GREETING_NOT_FOUND for an unknown uniqueId', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id)
    const greeting = await incoming
    await expect(sdk.cancelGreeting({ uniqueId: greeting.uniqueId })).resolves.toEqual({ success: true })
    await expect(sdk.cancelGreeting({ uniqueId: greeting.uniqueId })).rejects.toMatchObject({ code: 'GREETING_NOT_FOUND' })
    await expect(sdk.cancelGreeting({ uniqueId: 'NO_SUCH_GREETING' })).rejects.toMatchObject({ code: 'GREETING_NOT_FOUND' })
  })

  it('cancelRate: removes the rating of the newest thread; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId } = await chatWithBot(server)
    await sdk.rateChat({ chatId, rating: { score: 1, comment: 'Great' } })
    expect((await sdk.getChat({ chatId })).thread?.properties.rating).toMatchObject({ score: 1, comment: 'Great' })
    const deleted = sdk.once('thread_properties_deleted')
    expectSuccess(await sdk.cancelRate({ chatId, properties: ['score', 'comment'] }))
    expect(await deleted).toEqual({ chatId, threadId, properties: { rating: ['score', 'comment'] } })
    const rating = (await sdk.getChat({ chatId })).thread?.properties.rating as Record<string, unknown> | undefined
    expect(rating?.score).toBeUndefined()
    expect(rating?.comment).toBeUndefined()
    const other = await foreignChat(server)
    await expect(sdk.cancelRate({ chatId: other.chatId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(sdk.cancelRate({ chatId: 'NO_SUCH_CHAT' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('connect: with autoConnect false nothing happens until connect()', async () => {
    const server = await startServer()
    const sdk = customer(server, { autoConnect: false })
    expect(sdk.status).toBe('idle')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    expect(server.admin.health().connections).toBe(0)
    const connected = sdk.once('connected')
    sdk.connect()
    const { customer: me } = await connected
    expect(sdk.status).toBe('connected')
    expect((await sdk.getCustomer()).id).toBe(me.id)
  })

  it('deactivateChat: {success}, chat_deactivated; CHAT_INACTIVE again; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId } = await chatWithBot(server)
    const deactivated = sdk.once('chat_deactivated')
    expectSuccess(await sdk.deactivateChat({ id: chatId }))
    expect(await deactivated).toEqual({ chatId })
    await expect(sdk.deactivateChat({ id: chatId })).rejects.toMatchObject({ code: 'CHAT_INACTIVE' })
    const other = await foreignChat(server)
    await expect(sdk.deactivateChat({ id: other.chatId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(sdk.deactivateChat({ id: 42 as unknown as string })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('deleteChatProperties: {success}; VALIDATION for names not in an array; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId } = await chatWithBot(server)
    await sdk.updateChatProperties({ id: chatId, properties: { shop: { basket: 'full', coupon: 'X1' } } })
    expectSuccess(await sdk.deleteChatProperties({ id: chatId, properties: { shop: ['basket'] } }))
    expect((await sdk.getChat({ chatId })).properties.shop).toEqual({ coupon: 'X1' })
    await expect(sdk.deleteChatProperties({ id: chatId, properties: { shop: 'basket' as unknown as string[] } })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.deleteChatProperties({ id: other.chatId, properties: { shop: ['basket'] } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('deleteEventProperties: {success}; VALIDATION; NOT_FOUND for an unknown event', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId, firstEvent } = await chatWithBot(server)
    await sdk.updateEventProperties({ chatId, threadId, eventId: firstEvent.id, properties: { tags: { mood: 'happy', lang: 'en' } } })
    expectSuccess(await sdk.deleteEventProperties({ chatId, threadId, eventId: firstEvent.id, properties: { tags: ['mood'] } }))
    const event = (await sdk.getChat({ chatId })).thread?.events.find((e) => e.id === firstEvent.id)
    expect(event?.properties.tags).toEqual({ lang: 'en' })
    await expect(sdk.deleteEventProperties({ chatId, threadId, eventId: firstEvent.id, properties: [] as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.deleteEventProperties({ chatId, threadId, eventId: 'NO_SUCH_EVENT', properties: { tags: ['mood'] } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('deleteThreadProperties: {success}; VALIDATION; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId } = await chatWithBot(server)
    await sdk.updateThreadProperties({ chatId, threadId, properties: { survey: { step: '2', done: 'no' } } })
    expectSuccess(await sdk.deleteThreadProperties({ chatId, threadId, properties: { survey: ['step'] } }))
    expect((await sdk.getChat({ chatId })).thread?.properties.survey).toEqual({ done: 'no' })
    await expect(sdk.deleteThreadProperties({ chatId, threadId: '', properties: { survey: ['step'] } })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.deleteThreadProperties({ chatId: other.chatId, threadId: other.threadId, properties: { survey: ['step'] } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('destroy: disconnects, removes listeners, later calls reject with SDK_DESTROYED', async () => {
    const server = await startServer()
    const { sdk } = await connectedCustomer(server)
    const heard: string[] = []
    sdk.on('disconnected', () => heard.push('disconnected'))
    sdk.on('connected', () => heard.push('connected'))
    sdk.destroy()
    expect(sdk.status).toBe('destroyed')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
    await expect(sdk.startChat()).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
    expect(() => sdk.connect()).toThrow(expect.objectContaining({ code: 'SDK_DESTROYED' }))
    // the server sees the socket go
    await expect.poll(() => server.admin.health().connections).toBe(0)
    expect(heard).toEqual([])
    sdk.destroy() // idempotent
  })

  it('disconnect: status idle, no disconnected event, connect() reconnects the same customer', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const disconnections: unknown[] = []
    sdk.on('disconnected', (p) => disconnections.push(p))
    sdk.disconnect()
    await sdk.whenStatus('idle')
    await expect(sdk.getCustomer()).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    await expect.poll(() => server.admin.health().connections).toBe(0)
    const again = sdk.once('connected')
    sdk.connect()
    expect((await again).customer.id).toBe(me.id)
    expect(disconnections).toEqual([])
  })

  it('getChat: the documented chat with the latest or a given thread; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId, me } = await chatWithBot(server)
    const chat = await sdk.getChat({ chatId })
    expectChatShape(chat)
    expect(chat.id).toBe(chatId)
    expect(chat.users.map((u) => u.id).sort()).toEqual([BOT_ID, me.id].sort())
    expect(chat.thread).toMatchObject({ id: threadId, active: true, events: [{ type: 'message', text: 'Hello', authorId: me.id, createdAt: expect.stringMatching(RFC3339) }] })
    await sdk.deactivateChat({ id: chatId })
    const { chat: resumed } = await sdk.resumeChat({ chat: { id: chatId } })
    expect((await sdk.getChat({ chatId })).thread?.id).toBe(resumed.thread?.id)
    expect((await sdk.getChat({ chatId, threadId })).thread).toMatchObject({ id: threadId, active: false })
    const other = await foreignChat(server)
    await expect(sdk.getChat({ chatId: other.chatId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(sdk.getChat({ chatId: chatId, threadId: other.threadId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(sdk.getChat({} as never)).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('getChatHistory: next() pages back through every thread to done; NOT_FOUND for another customer’s chat', async () => {
    const server = await startServer()
    const { sdk, chatId } = await chatWithBot(server)
    // 4 threads of 10 messages each: more than one page of 25 events
    for (let t = 0; t < 4; t++) {
      if (t > 0) await sdk.resumeChat({ chat: { id: chatId } })
      for (let i = 0; i < 10; i++) await sdk.sendEvent({ chatId, event: { type: 'message', text: `t${t}-m${i}` } })
      await sdk.deactivateChat({ id: chatId })
    }
    const history = sdk.getChatHistory({ chatId })
    const pages: Array<{ done: boolean; threads: number }> = []
    const texts: string[] = []
    for (;;) {
      const result = await history.next()
      if (!result.value) break
      expect(result).toEqual({ done: expect.any(Boolean), value: { threads: expect.any(Array) } })
      for (const thread of result.value.threads) expectThreadShape(thread, chatId)
      pages.unshift({ done: result.done, threads: result.value.threads.length })
      texts.unshift(...result.value.threads.flatMap((th) => th.events.map((e) => (e.type === 'message' ? e.text : e.type))))
      if (result.done) break
    }
    expect(pages.length).toBeGreaterThan(1)
    expect(pages.reduce((n, p) => n + p.threads, 0)).toBe(4)
    expect(texts.filter((t) => /^t\d-m\d$/.test(t))).toEqual(Array.from({ length: 40 }, (_, i) => `t${Math.floor(i / 10)}-m${i % 10}`))
    expect(await history.next()).toEqual({ value: undefined, done: true })
    const other = await foreignChat(server)
    await expect(sdk.getChatHistory({ chatId: other.chatId }).next()).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('getCustomer: the documented customer object', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server, { customerDataProvider: () => ({ name: 'Ann', email: 'ann@example.com', sessionFields: { plan: 'pro' } }) })
    const fetched = await sdk.getCustomer()
    expectCustomerShape(fetched, me.id)
    expect(fetched).toMatchObject({ name: 'Ann', email: 'ann@example.com', sessionFields: { plan: 'pro' } })
    expect(fetched.statistics.visitsCount).toBeGreaterThanOrEqual(1)
    await sdk.startChat()
    expect((await sdk.getCustomer()).statistics).toMatchObject({ chatsCount: 1, threadsCount: 1 })
  })

  it('getForm: {enabled, form:{id, fields}}; {enabled:false}; GROUP_NOT_FOUND; VALIDATION', async () => {
    const server = await startServer()
    const { sdk } = await connectedCustomer(server)
    const prechat = await sdk.getForm({ groupId: 0, type: 'prechat' })
    expect(prechat).toEqual({ enabled: true, form: { id: expect.any(String), fields: expect.any(Array) } })
    expect(prechat.form?.fields.length).toBeGreaterThan(0)
    expect(await sdk.getForm({ groupId: 0, type: 'postchat' })).toEqual({ enabled: false })
    server.admin.setForm(0, 'postchat', { id: 'post-0', fields: [{ id: 'r', type: 'rating', label: 'How was it?' }] })
    expect(await sdk.getForm({ groupId: 0, type: 'postchat' })).toEqual({ enabled: true, form: { id: 'post-0', fields: [expect.objectContaining({ id: 'r', type: 'rating' })] } })
    await expect(sdk.getForm({ groupId: 99, type: 'prechat' })).rejects.toMatchObject({ code: 'GROUP_NOT_FOUND' })
    await expect(sdk.getForm({ groupId: 0, type: 'survey' as never })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('getUrlInfo: url, title, description, imageUrl, imageWidth/Height; NOT_FOUND; VALIDATION', async () => {
    // a 2×3 PNG and a page pointing at it
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000002000000030806000000b9eadef30000001049444154789c63f8cfc0f01f0b0300b6a20bfd0bcbfa0c0000000049454e44ae426082',
      'hex',
    )
    const site = createHttpServer((req, res) => {
      if (req.url === '/img.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png)
      const origin = `http://${req.headers.host}`
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        `<html><head><title>Fallback</title><meta property="og:title" content="Rapport"><meta property="og:description" content="Chat SDK"><meta property="og:image" content="${origin}/img.png"></head></html>`,
      )
    })
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
    onCleanup(() => new Promise((resolve) => site.close(resolve)))
    const host = `127.0.0.1:${(site.address() as AddressInfo).port}`
    const server = await startServer({ urlInfoAllowedHosts: [host] })
    const { sdk } = await connectedCustomer(server)
    const info = await sdk.getUrlInfo({ url: `http://${host}/page` })
    expect(info).toEqual({
      url: `http://${host}/page`,
      title: 'Rapport',
      description: 'Chat SDK',
      imageUrl: expect.stringContaining(`${host}/img.png`),
      imageWidth: 2,
      imageHeight: 3,
    })
    await expect(sdk.getUrlInfo({ url: 'http://example.invalid/' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(sdk.getUrlInfo({ url: 'not a url' })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('off: removes one listener, all of an event, or all', async () => {
    const server = await startServer()
    const { sdk, chatId } = await chatWithBot(server)
    const calls: string[] = []
    const a = () => calls.push('a')
    const b = () => calls.push('b')
    const c = () => calls.push('c')
    sdk.on('chat_properties_updated', a)
    sdk.on('chat_properties_updated', b)
    sdk.on('thread_properties_updated', c)
    const update = async () => {
      const done = Promise.all([sdk.once('chat_properties_updated'), sdk.once('thread_properties_updated')])
      await sdk.updateChatProperties({ id: chatId, properties: { n: { v: calls.length } } })
      await sdk.updateThreadProperties({ chatId, threadId: (await sdk.getChat({ chatId })).thread?.id as string, properties: { n: { v: calls.length } } })
      await done
    }
    await update()
    expect(calls.sort()).toEqual(['a', 'b', 'c'])
    calls.length = 0
    sdk.off('chat_properties_updated', a)
    await update()
    expect(calls.sort()).toEqual(['b', 'c'])
    calls.length = 0
    sdk.off('chat_properties_updated')
    await update()
    expect(calls).toEqual(['c'])
    calls.length = 0
    sdk.off()
    await update()
    expect(calls).toEqual([])
  })

  it('on: calls the listener for every event until the returned function is called', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const texts: string[] = []
    const unsubscribe = sdk.on('incoming_event', ({ event }) => texts.push(event.type === 'message' ? event.text : event.type))
    for (const text of ['one', 'two']) {
      const got = sdk.once('incoming_event')
      await bot.sendEvent({ chatId, event: { type: 'message', text } })
      await got
    }
    unsubscribe()
    const got = sdk.once('incoming_event')
    await bot.sendEvent({ chatId, event: { type: 'message', text: 'three' } })
    await got
    expect(texts).toEqual(['one', 'two'])
  })

  it('once: the listener runs once; without a listener it resolves with the next payload', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const texts: string[] = []
    sdk.once('incoming_event', ({ event }) => texts.push(event.type === 'message' ? event.text : event.type))
    const first = sdk.once('incoming_event')
    await bot.sendEvent({ chatId, event: { type: 'message', text: 'one' } })
    expect((await first).event).toMatchObject({ type: 'message', text: 'one' })
    const second = sdk.once('incoming_event')
    await bot.sendEvent({ chatId, event: { type: 'message', text: 'two' } })
    expect((await second).event).toMatchObject({ text: 'two' })
    expect(texts).toEqual(['one'])
  })

  it('listChats: {chatsSummary, totalChats} with the documented summary fields; VALIDATION over 25', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId, me } = await chatWithBot(server)
    const sent = await sdk.sendEvent({ chatId, event: { type: 'message', text: 'last' } })
    const list = await sdk.listChats({ limit: 10 })
    expect(list.totalChats).toBe(1)
    expect(list.chatsSummary).toHaveLength(1)
    const summary = list.chatsSummary[0]
    expect(summary).toMatchObject({
      id: chatId,
      active: true,
      users: expect.any(Array),
      lastEvent: { id: sent.id, type: 'message', text: 'last' },
      lastEventsPerType: { message: { id: sent.id } },
      // documented deviation (docs/differences.md): lastThreadId / eventsSeenUpToMap
      lastThreadId: threadId,
      eventsSeenUpToMap: expect.any(Object),
    })
    expect(summary?.users.map((u) => u.id).sort()).toEqual([BOT_ID, me.id].sort())
    expect(typeof list.totalChats).toBe('number')
    await expect(sdk.listChats({ limit: 26 })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.listChats({ pageId: 'garbage' })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('listGroupStatuses: a map of group ids to statuses, for all or the given groups; VALIDATION', async () => {
    const server = await startServer({ groups: [{ id: 0 }, { id: 5, name: 'Nobody' }] })
    await agent(server)
    const { sdk } = await connectedCustomer(server)
    expect(await sdk.listGroupStatuses()).toEqual({ 0: 'online', 5: 'offline' })
    expect(await sdk.listGroupStatuses({ groupIds: [5] })).toEqual({ 5: 'offline' })
    await expect(sdk.listGroupStatuses({ groupIds: ['5'] as never })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('listThreads: {threads, previousPageId, nextPageId}; paging; VALIDATION; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId } = await chatWithBot(server)
    await sdk.deactivateChat({ id: chatId })
    const { chat } = await sdk.resumeChat({ chat: { id: chatId } })
    const first = await sdk.listThreads({ chatId, limit: 1 })
    expect(first).toEqual({ threads: [expect.any(Object)], previousPageId: null, nextPageId: expect.any(String) })
    expectThreadShape(first.threads[0], chatId)
    expect(first.threads[0]?.id).toBe(chat.thread?.id)
    const second = await sdk.listThreads({ chatId, pageId: first.nextPageId as string })
    expect(second.threads.map((t) => t.id)).toEqual([threadId])
    expect(second.threads[0]?.active).toBe(false)
    expect(second.threads[0]?.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'message', text: 'Hello' })]))
    expect((await sdk.listThreads({ chatId, sortOrder: 'asc' })).threads.map((t) => t.id)).toEqual([threadId, chat.thread?.id])
    await expect(sdk.listThreads({ chatId, limit: 1, minEventsCount: 1 })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.listThreads({ chatId: other.chatId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('markEventsAsSeen: {success}, the agent sees it; VALIDATION for a bad date; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, me } = await chatWithBot(server)
    const incoming = sdk.once('incoming_event')
    await bot.sendEvent({ chatId, event: { type: 'message', text: 'Seen?' } })
    const { event } = await incoming
    const agentSaw = bot.nextPush('events_marked_as_seen')
    expectSuccess(await sdk.markEventsAsSeen({ chatId, seenUpTo: event.createdAt }))
    expect(await agentSaw).toEqual({ chat_id: chatId, user_id: me.id, seen_up_to: event.createdAt })
    await expect(sdk.markEventsAsSeen({ chatId, seenUpTo: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.markEventsAsSeen({ chatId: other.chatId, seenUpTo: event.createdAt })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('rateChat: {success}, the rating lands on the newest thread; VALIDATION; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId } = await chatWithBot(server)
    const updated = sdk.once('thread_properties_updated')
    expectSuccess(await sdk.rateChat({ chatId, rating: { score: 0, comment: 'Slow' } }))
    expect(await updated).toEqual({ chatId, threadId, properties: { rating: { score: 0, comment: 'Slow' } } })
    await expect(sdk.rateChat({ chatId, rating: { score: 5 as 1 } })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.rateChat({ chatId: other.chatId, rating: { score: 1 } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('requestWelcomeMessage: {id, predictedAgent, queue} and incoming_welcome_message; GROUP_OFFLINE', async () => {
    const server = await startServer()
    const { sdk } = await connectedCustomer(server)
    await expect(sdk.requestWelcomeMessage()).rejects.toMatchObject({ code: 'GROUP_OFFLINE' })
    await agent(server)
    const pushed = sdk.once('incoming_welcome_message')
    const welcome = await sdk.requestWelcomeMessage()
    expect(welcome).toEqual({
      id: expect.any(String),
      predictedAgent: { id: BOT_ID, name: 'Rapport Bot', avatar: expect.any(String), jobTitle: 'Assistant', type: 'agent', botType: 'chatbot', isBot: true },
      queue: false,
    })
    expect(await pushed).toMatchObject({ id: welcome.id, event: { type: 'message', text: expect.any(String), authorId: BOT_ID } })
    // the same id again: the same message
    expect((await sdk.requestWelcomeMessage({ id: welcome.id })).id).toBe(welcome.id)
    // and it can be put into a chat
    const { chat } = await sdk.startChat({ welcomeMessageId: welcome.id } as never)
    expect(chat.thread?.events.some((e) => e.authorId === BOT_ID)).toBe(true)
  })

  it('requestWelcomeMessage: GROUP_UNAVAILABLE for a group with manual routing', async () => {
    const server = await startServer({ agents: [{ ...ALICE, groups: [1] }], groups: [{ id: 0 }, { id: 1, routing: 'manual' }] })
    await agent(server, ALICE.token)
    const { sdk } = await connectedCustomer(server, { groupId: 1 })
    await expect(sdk.requestWelcomeMessage()).rejects.toMatchObject({ code: 'GROUP_UNAVAILABLE' })
  })

  it('resumeChat: {chat} with a new thread; CHAT_ALREADY_ACTIVE; GROUPS_OFFLINE; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId } = await chatWithBot(server)
    await expect(sdk.resumeChat({ chat: { id: chatId } })).rejects.toMatchObject({ code: 'CHAT_ALREADY_ACTIVE' })
    await sdk.deactivateChat({ id: chatId })
    const { chat } = await sdk.resumeChat({ chat: { id: chatId, thread: { events: [{ type: 'message', text: 'Back again' }] } } })
    expectChatShape(chat)
    expect(chat.id).toBe(chatId)
    expect(chat.thread).toMatchObject({ active: true, events: [{ type: 'message', text: 'Back again' }] })
    expect(chat.thread?.id).not.toBe(threadId)
    await sdk.deactivateChat({ id: chatId })
    const other = await foreignChat(server)
    await expect(sdk.resumeChat({ chat: { id: other.chatId } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // asynchronous chats off and nobody online: GROUPS_OFFLINE
    server.admin.setLimits({ offlineChats: false })
    bot.destroy()
    await nextEvent(sdk, 'availability_updated', (p) => p.availability === 'offline')
    await expect(sdk.resumeChat({ chat: { id: chatId } })).rejects.toMatchObject({ code: 'GROUPS_OFFLINE' })
    // continuous chats may resume anyway
    expect((await sdk.resumeChat({ chat: { id: chatId }, continuous: true })).chat.thread?.active).toBe(true)
  })

  it('sendEvent: resolves with the stored event; attachToLastThread; VALIDATION; CHAT_INACTIVE; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId, me } = await chatWithBot(server)
    const agentGot = bot.nextPush('incoming_event')
    const sent = await sdk.sendEvent({ chatId, event: { type: 'message', text: 'Hi there', customId: 'c-1', properties: { ns: { k: 'v' } } } })
    expect(sent).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        type: 'message',
        text: 'Hi there',
        customId: 'c-1',
        authorId: me.id,
        createdAt: expect.stringMatching(RFC3339),
        threadId,
        properties: { ns: { k: 'v' } },
      }),
    )
    expect(await agentGot).toMatchObject({ chat_id: chatId, event: { id: sent.id, text: 'Hi there' } })
    const custom = await sdk.sendEvent({ chatId, event: { type: 'custom', content: { cart: [1, 2] } } })
    expect(custom).toMatchObject({ type: 'custom', content: { cart: [1, 2] } })
    await expect(sdk.sendEvent({ chatId, event: { type: 'rich_message' } as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.sendEvent({ chatId, event: { type: 'message' } as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    await sdk.deactivateChat({ id: chatId })
    await expect(sdk.sendEvent({ chatId, event: { type: 'message', text: 'late' } })).rejects.toMatchObject({ code: 'CHAT_INACTIVE' })
    const attached = await sdk.sendEvent({ chatId, event: { type: 'message', text: 'late but attached' }, attachToLastThread: true })
    expect(attached).toMatchObject({ text: 'late but attached', threadId })
    const other = await foreignChat(server)
    await expect(sdk.sendEvent({ chatId: other.chatId, event: { type: 'message', text: 'x' } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('sendRichMessagePostback: {success}, the agent gets the postback; NOT_FOUND for an unknown event', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, threadId, me } = await chatWithBot(server)
    const incoming = nextEvent(sdk, 'incoming_event', (p) => p.event.type === 'rich_message')
    await bot.request('send_event', { chat_id: chatId, event: richMessageWire('pb-yes') })
    const { event } = await incoming
    expect(event).toMatchObject({ type: 'rich_message', template: 'cards', elements: [{ title: 'Did this help?', buttons: [{ postbackId: 'pb-yes', text: 'Yes' }] }] })
    const agentGot = bot.nextPush('incoming_rich_message_postback')
    expectSuccess(await sdk.sendRichMessagePostback({ chatId, threadId, eventId: event.id, postback: { id: 'pb-yes', toggled: true } }))
    expect(await agentGot).toEqual({ user_id: me.id, chat_id: chatId, thread_id: threadId, event_id: event.id, postback: { id: 'pb-yes', toggled: true } })
    // toggled defaults to true
    const again = bot.nextPush('incoming_rich_message_postback')
    expectSuccess(await sdk.sendRichMessagePostback({ chatId, threadId, eventId: event.id, postback: { id: 'pb-yes' } as never }))
    expect((await again).postback).toEqual({ id: 'pb-yes', toggled: true })
    await expect(sdk.sendRichMessagePostback({ chatId, threadId, eventId: 'NO_SUCH_EVENT', postback: { id: 'pb-yes', toggled: true } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
    await expect(sdk.sendRichMessagePostback({ chatId, threadId, eventId: event.id, postback: {} as never })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('sendGreetingButtonClicked: {success}; GREETING_NOT_FOUND for an unknown greeting', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const incoming = sdk.once('incoming_greeting')
    server.admin.sendGreeting(me.id, {
      richMessage: {
        template_id: 'cards',
        elements: [{ title: 'Sale!', buttons: [{ type: 'url', text: 'See', value: 'https://example.com', postback_id: 'see', user_ids: [], button_id: 'btn-1' }] }],
      },
    })
    const greeting = await incoming
    expect(greeting.event).toMatchObject({ type: 'rich_message' })
    expectSuccess(await sdk.sendGreetingButtonClicked({ greetingUniqueId: greeting.uniqueId, buttonId: 'btn-1' }))
    await expect(sdk.sendGreetingButtonClicked({ greetingUniqueId: 'NO_SUCH_GREETING', buttonId: 'btn-1' })).rejects.toMatchObject({ code: 'GREETING_NOT_FOUND' })
    await expect(sdk.sendGreetingButtonClicked({ greetingUniqueId: greeting.uniqueId } as never)).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('setCustomerSessionFields: {success}, fields merge; CUSTOMER_SESSION_FIELDS_LIMIT_REACHED; VALIDATION', async () => {
    const server = await startServer()
    const { sdk } = await connectedCustomer(server)
    expectSuccess(await sdk.setCustomerSessionFields({ sessionFields: { foo: 'bar', test: 'qwerty' } }))
    expectSuccess(await sdk.setCustomerSessionFields({ sessionFields: { foo: 'baz' } }))
    expect((await sdk.getCustomer()).sessionFields).toEqual({ foo: 'baz', test: 'qwerty' })
    const many = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']))
    // too many in one call: refused before sending
    await expect(sdk.setCustomerSessionFields({ sessionFields: many(101, 'a') })).rejects.toMatchObject({ code: 'CUSTOMER_SESSION_FIELDS_LIMIT_REACHED' })
    // too many in total: refused by the server
    expectSuccess(await sdk.setCustomerSessionFields({ sessionFields: many(60, 'b') }))
    await expect(sdk.setCustomerSessionFields({ sessionFields: many(60, 'c') })).rejects.toMatchObject({ code: 'CUSTOMER_SESSION_FIELDS_LIMIT_REACHED' })
    await expect(sdk.setCustomerSessionFields({ sessionFields: { n: 1 as unknown as string } })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('setSneakPeek: returns nothing; reaches agents for an active chat only', async () => {
    const server = await startServer()
    const { sdk, bot, chatId, me } = await chatWithBot(server)
    const peek = bot.nextPush('incoming_sneak_peek')
    expect(sdk.setSneakPeek({ chatId, sneakPeekText: 'what is the price for your ' })).toBeUndefined()
    expect(await peek).toMatchObject({ chat_id: chatId, sneak_peek: { author_id: me.id, text: 'what is the price for your ' } })
    await sdk.deactivateChat({ id: chatId })
    sdk.setSneakPeek({ chatId, sneakPeekText: 'not sent' })
    // a message after it arrives, the sneak peek never did
    const marker = bot.nextPush('incoming_event')
    await sdk.sendEvent({ chatId, event: { type: 'message', text: 'marker' }, attachToLastThread: true })
    await marker
    expect(bot.pushes.filter((p) => p.action === 'incoming_sneak_peek')).toHaveLength(1)
  })

  it('startChat: {chat} with the initial events; CHAT_LIMIT_REACHED; GROUPS_OFFLINE; VALIDATION', async () => {
    const server = await startServer({ offlineChats: false })
    const { sdk: early } = await connectedCustomer(server)
    await expect(early.startChat()).rejects.toMatchObject({ code: 'GROUPS_OFFLINE' })
    // continuous chats may start while offline
    expect((await early.startChat({ continuous: true })).chat.thread?.active).toBe(true)
    const bot = await agent(server)
    const { sdk, me } = await connectedCustomer(server)
    const agentGot = bot.nextPush('incoming_chat')
    const { chat } = await sdk.startChat({
      chat: { properties: { source: { page: 'pricing' } }, thread: { events: [{ type: 'message', text: 'Hi', customId: 'first' }], properties: { t: { a: '1' } } } },
    })
    expectChatShape(chat)
    expect(chat.properties).toMatchObject({ source: { page: 'pricing' } })
    expect(chat.thread).toMatchObject({ active: true, properties: { t: { a: '1' } }, events: [{ type: 'message', text: 'Hi', customId: 'first', authorId: me.id }] })
    expect(((await agentGot).chat as { id: string }).id).toBe(chat.id)
    await expect(sdk.startChat()).rejects.toMatchObject({ code: 'CHAT_LIMIT_REACHED' })
    await expect(sdk.startChat({ chat: { thread: { events: [{ type: 'form' } as never] } } })).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('updateChatProperties: {success}, chat_properties_updated; VALIDATION; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, chatId } = await chatWithBot(server)
    const pushed = sdk.once('chat_properties_updated')
    expectSuccess(await sdk.updateChatProperties({ id: chatId, properties: { property_namespace: { sample: 'property' } } }))
    expect(await pushed).toEqual({ chatId, properties: { property_namespace: { sample: 'property' } } })
    expect((await sdk.getChat({ chatId })).properties.property_namespace).toEqual({ sample: 'property' })
    await expect(sdk.updateChatProperties({ id: chatId, properties: { ns: 'flat' } as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    const other = await foreignChat(server)
    await expect(sdk.updateChatProperties({ id: other.chatId, properties: { ns: { a: 1 } } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('updateCustomer: name, email, sessionFields stored; CUSTOMER_SESSION_FIELDS_LIMIT_REACHED; VALIDATION', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const updated = sdk.once('customer_updated')
    expectSuccess(
      await sdk.updateCustomer({ name: 'John Doe', email: 'john.doe@example.com', sessionFields: { custom_property: 'BasketValue=10usd', any_key_is_ok: 'sample custom field' } }),
    )
    expect(await updated).toMatchObject({ id: me.id, name: 'John Doe', email: 'john.doe@example.com' })
    expect(await sdk.getCustomer()).toMatchObject({
      name: 'John Doe',
      email: 'john.doe@example.com',
      sessionFields: { custom_property: 'BasketValue=10usd', any_key_is_ok: 'sample custom field' },
    })
    const many = Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`k${i}`, 'v']))
    await expect(sdk.updateCustomer({ sessionFields: many })).rejects.toMatchObject({ code: 'CUSTOMER_SESSION_FIELDS_LIMIT_REACHED' })
    await expect(sdk.updateCustomer({ email: 42 as unknown as string })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.updateCustomer({})).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('updateCustomerPage: returns nothing; the server records the page', async () => {
    const server = await startServer()
    const { sdk, me } = await connectedCustomer(server)
    const before = (await sdk.getCustomer()).statistics.pageViewsCount
    expect(sdk.updateCustomerPage({ url: 'https://developers.livechat.com/', title: 'LiveChat for Developers' })).toBeUndefined()
    await expect.poll(() => server.admin.getCustomer(me.id, ORG)?.last_page).toMatchObject({ url: 'https://developers.livechat.com/', title: 'LiveChat for Developers' })
    expect((await sdk.getCustomer()).statistics.pageViewsCount).toBe(before + 1)
  })

  it('updateEventProperties: {success}, event_properties_updated; VALIDATION; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId, firstEvent } = await chatWithBot(server)
    const pushed = sdk.once('event_properties_updated')
    expectSuccess(await sdk.updateEventProperties({ chatId, threadId, eventId: firstEvent.id, properties: { property_namespace: { sample: 'property' } } }))
    expect(await pushed).toEqual({ chatId, threadId, eventId: firstEvent.id, properties: { property_namespace: { sample: 'property' } } })
    await expect(sdk.updateEventProperties({ chatId, threadId, eventId: firstEvent.id, properties: null as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.updateEventProperties({ chatId, threadId, eventId: 'NO_SUCH_EVENT', properties: { ns: { a: 1 } } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('updateThreadProperties: {success}, thread_properties_updated; VALIDATION; NOT_FOUND', async () => {
    const server = await startServer()
    const { sdk, chatId, threadId } = await chatWithBot(server)
    const pushed = sdk.once('thread_properties_updated')
    expectSuccess(await sdk.updateThreadProperties({ chatId, threadId, properties: { property_namespace: { sample: 'property' } } }))
    expect(await pushed).toEqual({ chatId, threadId, properties: { property_namespace: { sample: 'property' } } })
    await expect(sdk.updateThreadProperties({ chatId, threadId, properties: 'x' as never })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(sdk.updateThreadProperties({ chatId, threadId: 'NO_SUCH_THREAD', properties: { ns: { a: 1 } } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('uploadFile: progress 0→1, a fetchable URL usable as a file event; TOO_BIG_FILE; UPLOAD_CANCELED', async () => {
    const server = await startServer()
    const { sdk, bot, chatId } = await chatWithBot(server)
    const content = 'hello, file'
    const progress: number[] = []
    const { promise } = sdk.uploadFile({ file: new Blob([content], { type: 'text/plain' }), name: 'note.txt', onProgress: (p) => progress.push(p) })
    const { url } = await promise
    expect(url).toEqual(expect.any(String))
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(1)
    expect(progress.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= (progress[i - 1] as number)))).toBe(true)
    const fetched = await fetch(url)
    expect(fetched.status).toBe(200)
    expect(await fetched.text()).toBe(content)

    const agentGot = bot.nextPush('incoming_event')
    const event = await sdk.sendEvent({ chatId, event: { type: 'file', url } })
    expect(event).toMatchObject({ type: 'file', url, name: 'note.txt', contentType: expect.stringMatching(/^text\/plain/) })
    expect(await agentGot).toMatchObject({ event: { type: 'file', url, name: 'note.txt' } })

    // a Node Uint8Array works too
    const bytes = await sdk.uploadFile({ file: new TextEncoder().encode('bytes'), name: 'b.dat' }).promise
    expect(await (await fetch(bytes.url)).text()).toBe('bytes')

    await expect(sdk.uploadFile({ file: new Uint8Array(10 * 1024 * 1024 + 1) }).promise).rejects.toMatchObject({ code: 'TOO_BIG_FILE' })
    const canceled = sdk.uploadFile({ file: new Uint8Array(1024 * 1024), name: 'big.dat' })
    canceled.cancel()
    await expect(canceled.promise).rejects.toMatchObject({ code: 'UPLOAD_CANCELED' })
  })
})
