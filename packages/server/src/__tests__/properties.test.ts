import { describe, expect, it } from 'vitest'
import { startServer } from './helpers/harness'
import { chatWithBot, errorOf, expectNoPush } from './helpers/flows'

type Incoming = { event: { type: string; system_message_type?: string; text?: string; text_vars?: Record<string, string> } }

describe('chat properties', () => {
  it('update and delete push only the changed keys to everyone in the chat', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await s.customer.ok('update_chat_properties', { id: s.chatId, properties: { shop: { cart: 3, vip: true } } })).toEqual({})
    const updated = { chat_id: s.chatId, properties: { shop: { cart: 3, vip: true } } }
    expect((await s.customer.push('chat_properties_updated')).payload).toEqual(updated)
    expect((await s.tab.push('chat_properties_updated')).payload).toEqual(updated)
    expect((await s.bot.push('chat_properties_updated')).payload).toEqual(updated)
    await expectNoPush(s.other, 'chat_properties_updated')

    await s.customer.ok('update_chat_properties', { id: s.chatId, properties: { shop: { cart: 4 } } })
    expect((await s.bot.push('chat_properties_updated')).payload).toEqual({ chat_id: s.chatId, properties: { shop: { cart: 4 } } })
    expect((await s.customer.ok<{ properties: unknown }>('get_chat', { chat_id: s.chatId })).properties).toEqual({ shop: { cart: 4, vip: true } })

    expect(await s.customer.ok('delete_chat_properties', { id: s.chatId, properties: { shop: ['vip', 'unknown'] } })).toEqual({})
    expect((await s.tab.push('chat_properties_deleted')).payload).toEqual({ chat_id: s.chatId, properties: { shop: ['vip'] } })
    expect((await s.bot.push('chat_properties_deleted')).payload).toEqual({ chat_id: s.chatId, properties: { shop: ['vip'] } })
    expect((await s.customer.ok<{ properties: unknown }>('get_chat', { chat_id: s.chatId })).properties).toEqual({ shop: { cart: 4 } })
  })

  it('agents write properties too; customers get the push', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await s.bot.ok('update_chat_properties', { id: s.chatId, properties: { routing: { priority: 'high' } } })).toEqual({})
    expect((await s.customer.push('chat_properties_updated')).payload).toEqual({ chat_id: s.chatId, properties: { routing: { priority: 'high' } } })
  })

  it('fails for foreign chats, empty and malformed properties', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await errorOf(s.other, 'update_chat_properties', { id: s.chatId, properties: { a: { b: 1 } } })).toBe('not_found')
    expect(await errorOf(s.other, 'delete_chat_properties', { id: s.chatId, properties: { a: ['b'] } })).toBe('not_found')
    expect(await errorOf(s.customer, 'update_chat_properties', { id: s.chatId, properties: {} })).toBe('validation')
    expect(await errorOf(s.customer, 'update_chat_properties', { id: s.chatId, properties: { a: 1 } })).toBe('validation')
    expect(await errorOf(s.customer, 'delete_chat_properties', { id: s.chatId, properties: { a: 'b' } })).toBe('validation')
  })

  it('restricts customer namespaces when customerPropertyNamespaces is set (rating always allowed)', async () => {
    const h = await startServer({ customerPropertyNamespaces: ['shop'] })
    const s = await chatWithBot(h)
    expect(await errorOf(s.customer, 'update_chat_properties', { id: s.chatId, properties: { routing: { x: 1 } } })).toBe('authorization')
    expect(await s.customer.ok('update_chat_properties', { id: s.chatId, properties: { shop: { x: 1 } } })).toEqual({})
    expect(await s.customer.ok('update_chat_properties', { id: s.chatId, properties: { rating: { score: 1 } } })).toEqual({})
    expect(await s.bot.ok('update_chat_properties', { id: s.chatId, properties: { routing: { x: 1 } } })).toEqual({})
  })
})

describe('thread properties and rating', () => {
  it('rating adds rating.* system messages; cancel adds chat_rating_canceled', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    await s.bot.push('chat_deactivated')
    const rating = { rating: { score: 1, comment: 'Great help' } }
    expect(await s.customer.ok('update_thread_properties', { chat_id: s.chatId, thread_id: s.threadId, properties: rating })).toEqual({})
    expect((await s.tab.push('thread_properties_updated')).payload).toEqual({ chat_id: s.chatId, thread_id: s.threadId, properties: rating })
    expect((await s.bot.push('thread_properties_updated')).payload).toEqual({ chat_id: s.chatId, thread_id: s.threadId, properties: rating })
    const rated = await s.customer.push<Incoming>('incoming_event', (f) => f.payload.event.system_message_type === 'rating.chat_rated')
    expect(rated.payload.event).toMatchObject({ type: 'system_message', text_vars: { score: 'good' } })
    const commented = await s.bot.push<Incoming>('incoming_event', (f) => f.payload.event.system_message_type === 'rating.chat_commented')
    expect(commented.payload.event.text_vars).toEqual({ comment: 'Great help' })
    await expectNoPush(s.other, 'thread_properties_updated')

    // Same score again: no new rating message.
    await s.customer.sync()
    s.customer.buffer.length = 0
    await s.customer.ok('update_thread_properties', { chat_id: s.chatId, thread_id: s.threadId, properties: { rating: { score: 1 } } })
    await s.customer.push('thread_properties_updated')
    await s.customer.sync()
    expect(s.customer.buffered('incoming_event')).toEqual([])

    expect(await s.customer.ok('delete_thread_properties', { chat_id: s.chatId, thread_id: s.threadId, properties: { rating: ['score', 'comment'] } })).toEqual({})
    expect((await s.bot.push('thread_properties_deleted')).payload).toEqual({ chat_id: s.chatId, thread_id: s.threadId, properties: { rating: ['score', 'comment'] } })
    const canceled = await s.customer.push<Incoming>('incoming_event')
    expect(canceled.payload.event.system_message_type).toBe('rating.chat_rating_canceled')
    const thread = await s.customer.ok<{ thread: { properties: unknown } }>('get_chat', { chat_id: s.chatId })
    expect(thread.thread.properties).toEqual({})
  })

  it('validates rating values and thread ownership', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const at = { chat_id: s.chatId, thread_id: s.threadId }
    expect(await errorOf(s.customer, 'update_thread_properties', { ...at, properties: { rating: { score: 5 } } })).toBe('validation')
    expect(await errorOf(s.customer, 'update_thread_properties', { ...at, properties: { rating: { comment: 3 } } })).toBe('validation')
    expect(await errorOf(s.customer, 'update_thread_properties', { ...at, properties: { rating: { stars: 3 } } })).toBe('validation')
    expect(await errorOf(s.customer, 'update_thread_properties', { ...at, thread_id: 'NOPE', properties: { a: { b: 1 } } })).toBe('not_found')
    expect(await errorOf(s.other, 'update_thread_properties', { ...at, properties: { a: { b: 1 } } })).toBe('not_found')
    expect(await errorOf(s.other, 'delete_thread_properties', { ...at, properties: { a: ['b'] } })).toBe('not_found')
  })
})

describe('event properties', () => {
  it('updates and deletes properties of a visible event', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const eventId = `${s.threadId}_1`
    const at = { chat_id: s.chatId, thread_id: s.threadId, event_id: eventId }
    expect(await s.customer.ok('update_event_properties', { ...at, properties: { rating: { score: 0 } } })).toEqual({})
    expect((await s.bot.push('event_properties_updated')).payload).toEqual({ ...at, properties: { rating: { score: 0 } } })
    expect((await s.tab.push('event_properties_updated')).payload).toEqual({ ...at, properties: { rating: { score: 0 } } })
    const chat = await s.customer.ok<{ thread: { events: Array<{ id: string; properties?: unknown }> } }>('get_chat', { chat_id: s.chatId })
    expect(chat.thread.events.find((e) => e.id === eventId)?.properties).toEqual({ rating: { score: 0 } })

    expect(await s.customer.ok('delete_event_properties', { ...at, properties: { rating: ['score'] } })).toEqual({})
    expect((await s.bot.push('event_properties_deleted')).payload).toEqual({ ...at, properties: { rating: ['score'] } })
    await expectNoPush(s.other, 'event_properties_deleted')
  })

  it('hides agents-only events from customers and their property pushes', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.bot.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'note', visibility: 'agents' } })
    const at = { chat_id: s.chatId, thread_id: s.threadId, event_id }
    expect(await errorOf(s.customer, 'update_event_properties', { ...at, properties: { a: { b: 1 } } })).toBe('not_found')
    expect(await s.bot.ok('update_event_properties', { ...at, properties: { a: { b: 1 } } })).toEqual({})
    await expectNoPush(s.customer, 'event_properties_updated')
    expect(await errorOf(s.customer, 'delete_event_properties', { ...at, event_id: 'missing', properties: { a: ['b'] } })).toBe('not_found')
  })
})
