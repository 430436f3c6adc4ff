import { describe, expect, it } from 'vitest'
import { SqliteStorage } from '../storage/sqliteStorage'
import type { Storage } from '../storage/storage'
import { chatWithBot, expectNoPush } from './helpers/flows'
import { startServer } from './helpers/harness'

interface EventPush {
  chat_id: string
  thread_id: string
  event: { id: string; text?: string; custom_id?: string }
}

const stores: Array<[string, () => Storage | undefined]> = [
  ['memory', () => undefined],
  ['sqlite', () => new SqliteStorage(':memory:')],
]

describe.each(stores)('idempotent sends (%s storage)', (_name, makeStorage) => {
  const start = () => {
    const storage = makeStorage()
    return startServer(storage ? { storage } : {})
  }

  it('answers a resent send_event with the original event, to the requester only', async () => {
    const h = await start()
    const s = await chatWithBot(h)
    const first = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'Pay', custom_id: 'm-1' } })
    await s.customer.push('incoming_event', (f) => f.request_id !== undefined)
    await s.tab.push('incoming_event')
    await s.bot.push('incoming_event')

    // the resend: same custom_id; even a different text does not make a new event
    const resent = await s.customer.request('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'Pay!', custom_id: 'm-1' } }, 'again')
    expect(resent).toMatchObject({ success: true, payload: { event_id: first.event_id } })
    const push = await s.customer.push<EventPush>('incoming_event', (f) => f.request_id === 'again')
    expect(push.payload).toMatchObject({ chat_id: s.chatId, thread_id: s.threadId, event: { id: first.event_id, text: 'Pay', custom_id: 'm-1' } })
    await expectNoPush(s.tab, 'incoming_event')
    await expectNoPush(s.bot, 'incoming_event')
    await expectNoPush(s.other, 'incoming_event')

    const { threads } = await s.customer.ok<{ threads: Array<{ events: Array<{ custom_id?: string }> }> }>('list_threads', { chat_id: s.chatId })
    expect(threads.flatMap((t) => t.events).filter((e) => e.custom_id === 'm-1')).toHaveLength(1)
  })

  it('keys on the author and the chat: the same custom_id from someone else is a new event', async () => {
    const h = await start()
    const s = await chatWithBot(h)
    const mine = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'a', custom_id: 'x' } })
    const bots = await s.bot.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'b', custom_id: 'x' } })
    expect(bots.event_id).not.toBe(mine.event_id)
    // the agent side is idempotent too
    expect((await s.bot.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'b', custom_id: 'x' } })).event_id).toBe(bots.event_id)
    // another customer's chat with the same custom_id
    const { chat_id } = await s.other.ok<{ chat_id: string }>('start_chat', {})
    const others = await s.other.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'a', custom_id: 'x' } })
    expect(others.event_id).not.toBe(mine.event_id)
    // no custom_id: every send is new
    const one = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'same' } })
    const two = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'same' } })
    expect(one.event_id).not.toBe(two.event_id)
  })

  it('answers a resend after the chat was deactivated, and finds events of earlier threads', async () => {
    const h = await start()
    const s = await chatWithBot(h)
    const first = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'late', custom_id: 'late-1' } })
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    expect((await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'late', custom_id: 'late-1' } })).event_id).toBe(
      first.event_id,
    )
    // a new event to an inactive chat still fails
    expect((await s.customer.request('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'new', custom_id: 'late-2' } })).payload).toMatchObject({
      error: { type: 'chat_inactive' },
    })
    // resume_chat with an old custom_id among new ones: only the new one is appended
    const resumed = await s.customer.ok<{ thread_id: string; event_ids: string[] }>('resume_chat', {
      chat: { id: s.chatId, thread: { events: [{ type: 'message', text: 'late', custom_id: 'late-1' }, { type: 'message', text: 'fresh', custom_id: 'r-1' }] } },
    })
    expect(resumed.event_ids[0]).toBe(first.event_id)
    expect(resumed.event_ids[1]?.startsWith(resumed.thread_id)).toBe(true)
    const chat = await s.customer.ok<{ thread: { events: Array<{ custom_id?: string }> } }>('get_chat', { chat_id: s.chatId })
    expect(chat.thread.events.map((e) => e.custom_id).filter(Boolean)).toEqual(['r-1'])
  })

  it('answers a resent start_chat or resume_chat with the original chat and thread', async () => {
    const h = await start()
    const s = await chatWithBot(h)
    const customer = await h.customer()
    const payload = { chat: { thread: { events: [{ type: 'message', text: 'Hi', custom_id: 's-1' }] } } }
    const started = await customer.socket.ok<{ chat_id: string; thread_id: string; event_ids: string[] }>('start_chat', payload)
    await s.bot.push('incoming_chat', (f) => (f.payload as { chat: { id: string } }).chat.id === started.chat_id)
    const again = await customer.socket.request('start_chat', payload, 'start-again')
    expect(again).toMatchObject({ success: true, payload: started })
    expect((await customer.socket.push<{ chat: { id: string } }>('incoming_chat', (f) => f.request_id === 'start-again')).payload.chat.id).toBe(started.chat_id)
    await s.bot.sync()
    expect(s.bot.buffered('incoming_chat').filter((f) => (f.payload as { chat: { id: string } }).chat.id === started.chat_id)).toEqual([])
    expect((await customer.socket.ok<{ total_chats: number }>('list_chats')).total_chats).toBe(1)
    // a start_chat without custom ids is still over the limit
    expect((await customer.socket.request('start_chat', {})).payload).toMatchObject({ error: { type: 'chat_limit_reached' } })

    // resume_chat
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    const resume = { chat: { id: s.chatId, thread: { events: [{ type: 'message', text: 'Back', custom_id: 'back-1' }] } } }
    const resumed = await s.customer.ok<{ thread_id: string; event_ids: string[] }>('resume_chat', resume)
    const resumedAgain = await s.customer.request('resume_chat', resume, 'resume-again')
    expect(resumedAgain).toMatchObject({ success: true, payload: resumed })
    await s.customer.push('incoming_chat', (f) => f.request_id === 'resume-again')
    expect((await s.customer.ok<{ threads: unknown[] }>('list_threads', { chat_id: s.chatId })).threads).toHaveLength(2)
    // without custom ids it is still chat_already_active
    expect((await s.customer.request('resume_chat', { chat: { id: s.chatId } })).payload).toMatchObject({ error: { type: 'chat_already_active' } })
  })
})
