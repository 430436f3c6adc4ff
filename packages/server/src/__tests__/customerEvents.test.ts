import type { WireEvent } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { startServer } from './helpers/harness'
import { chatWithBot, errorOf, expectNoPush } from './helpers/flows'

type IncomingEvent = { chat_id: string; thread_id: string; event: WireEvent & Record<string, unknown> }

describe('delete_event', () => {
  it('deletes an own event: event_deleted to the chat, gone for customers, flagged for agents', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'oops' } })
    await s.bot.push('incoming_event', (f) => (f.payload as IncomingEvent).event.id === event_id)

    expect(await s.customer.ok('delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id })).toEqual({})
    const expected = { chat_id: s.chatId, thread_id: s.threadId, event_id }
    expect((await s.customer.push('event_deleted')).payload).toEqual(expected)
    expect((await s.tab.push('event_deleted')).payload).toEqual(expected)
    expect((await s.bot.push('event_deleted')).payload).toEqual(expected)
    await expectNoPush(s.other, 'event_deleted')

    const chat = await s.customer.ok<{ thread: { events: Array<{ id: string }> } }>('get_chat', { chat_id: s.chatId })
    expect(chat.thread.events.map((e) => e.id)).not.toContain(event_id)
    const threads = await s.customer.ok<{ threads: Array<{ events: Array<{ id: string }> }> }>('list_threads', { chat_id: s.chatId })
    expect(threads.threads[0]?.events.map((e) => e.id)).not.toContain(event_id)
    const forAgent = await s.bot.ok<{ thread: { events: Array<{ id: string; deleted?: boolean }> } }>('get_chat', { chat_id: s.chatId })
    expect(forAgent.thread.events.find((e) => e.id === event_id)).toMatchObject({ deleted: true })
  })

  it('fails for a foreign chat, an unknown or deleted event and someone else’s event', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.bot.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'agent says' } })
    expect(await errorOf(s.customer, 'delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id })).toBe('authorization')
    expect(await errorOf(s.other, 'delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id })).toBe('not_found')
    expect(await errorOf(s.customer, 'delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id: 'nope' })).toBe('not_found')
    expect(await errorOf(s.customer, 'delete_event', { chat_id: s.chatId, thread_id: 'nope', event_id })).toBe('not_found')
    expect(await errorOf(s.customer, 'delete_event', { chat_id: s.chatId })).toBe('validation')
  })
})

describe('send_rich_message_postback', () => {
  it('passes the postback through to the chat while the thread is active, and not after', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.bot.ok<{ event_id: string }>('send_event', {
      chat_id: s.chatId,
      event: { type: 'rich_message', template_id: 'quick_replies', elements: [{ title: 'Pick', buttons: [{ text: 'Yes', postback_id: 'yes', user_ids: [] }] }] },
    })
    const postback = { id: 'yes', toggled: true, button_type: 'message', button_value: 'Yes', ecommerce: { product_id: 'p1', option_id: 'o1', quantity: 2 } }
    expect(await s.customer.ok('send_rich_message_postback', { chat_id: s.chatId, thread_id: s.threadId, event_id, postback })).toEqual({})
    const expected = { user_id: s.customerId, chat_id: s.chatId, thread_id: s.threadId, event_id, postback }
    expect((await s.bot.push('incoming_rich_message_postback')).payload).toEqual(expected)
    expect((await s.tab.push('incoming_rich_message_postback')).payload).toEqual(expected)
    expect((await s.customer.push('incoming_rich_message_postback')).payload).toEqual(expected)
    await expectNoPush(s.other, 'incoming_rich_message_postback')

    await s.customer.ok('deactivate_chat', { id: s.chatId })
    expect(await s.customer.ok('send_rich_message_postback', { chat_id: s.chatId, thread_id: s.threadId, event_id, postback: { id: 'yes', toggled: false } })).toEqual({})
    await expectNoPush(s.bot, 'incoming_rich_message_postback')
  })

  it('validates the postback and hides foreign chats', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const base = { chat_id: s.chatId, thread_id: s.threadId, event_id: `${s.threadId}_1` }
    expect(await errorOf(s.customer, 'send_rich_message_postback', { ...base, postback: { id: 'x' } })).toBe('validation')
    expect(await errorOf(s.customer, 'send_rich_message_postback', { ...base, postback: { id: 'x', toggled: true, ecommerce: {} } })).toBe('validation')
    expect(await errorOf(s.other, 'send_rich_message_postback', { ...base, postback: { id: 'x', toggled: true } })).toBe('not_found')
    expect(await errorOf(s.customer, 'send_rich_message_postback', { ...base, event_id: 'missing', postback: { id: 'x', toggled: true } })).toBe('not_found')
  })
})

describe('send_sneak_peek', () => {
  it('reaches agents only, as incoming_sneak_peek', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await s.customer.ok('send_sneak_peek', { chat_id: s.chatId, sneak_peek_text: 'what is the pri' })).toEqual({})
    const peek = await s.bot.push<{ chat_id: string; thread_id: string; sneak_peek: Record<string, unknown> }>('incoming_sneak_peek')
    expect(peek.payload).toMatchObject({ chat_id: s.chatId, thread_id: s.threadId, sneak_peek: { author_id: s.customerId, text: 'what is the pri' } })
    expect(peek.payload.sneak_peek.timestamp).toBeTypeOf('number')
    await expectNoPush(s.tab, 'incoming_sneak_peek')
    await expectNoPush(s.customer, 'incoming_sneak_peek')
  })

  it('fails on inactive and foreign chats', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await errorOf(s.other, 'send_sneak_peek', { chat_id: s.chatId, sneak_peek_text: 'x' })).toBe('not_found')
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    expect(await errorOf(s.customer, 'send_sneak_peek', { chat_id: s.chatId, sneak_peek_text: 'x' })).toBe('chat_inactive')
    expect(await errorOf(s.customer, 'send_sneak_peek', { chat_id: s.chatId })).toBe('validation')
  })
})
