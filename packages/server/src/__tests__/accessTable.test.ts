/**
 * Every chat-scoped customer action, tried by customer B on customer A's chat, thread,
 * event or greeting — directly, and smuggled through B's own chat (B's chat id with A's
 * thread or event id). Each answers the documented code (`not_found`, or
 * `greeting_not_found` for greetings) exactly like an id that does not exist, A's data is
 * unchanged and neither A nor the bot receives anything.
 */
import { describe, expect, it } from 'vitest'
import { SqliteStorage } from '../storage/sqliteStorage'
import type { Storage } from '../storage/storage'
import { chatWithBot } from './helpers/flows'
import { startServer } from './helpers/harness'
import type { TestSocket } from './helpers/testSocket'

interface Ids {
  chat: string
  thread: string
  event: string
  botEvent: string
  greeting: string
  greetingId: number
  ownChat: string
  ownThread: string
  ownEvent: string
}

type Attempt = [label: string, action: string, payload: (ids: Ids) => Record<string, unknown>, error: string]

const MISSING = 'NOSUCHID00'

const ATTEMPTS: Attempt[] = [
  ['get_chat', 'get_chat', (i) => ({ chat_id: i.chat }), 'not_found'],
  ['get_chat with thread', 'get_chat', (i) => ({ chat_id: i.chat, thread_id: i.thread }), 'not_found'],
  ['get_chat: own chat, their thread', 'get_chat', (i) => ({ chat_id: i.ownChat, thread_id: i.thread }), 'not_found'],
  ['list_threads', 'list_threads', (i) => ({ chat_id: i.chat }), 'not_found'],
  ['send_event', 'send_event', (i) => ({ chat_id: i.chat, event: { type: 'message', text: 'intrusion' } }), 'not_found'],
  ['send_event reusing their custom_id', 'send_event', (i) => ({ chat_id: i.chat, event: { type: 'message', text: 'x', custom_id: 'a-1' } }), 'not_found'],
  ['send_event to last thread', 'send_event', (i) => ({ chat_id: i.chat, event: { type: 'message', text: 'x' }, attach_to_last_thread: true }), 'not_found'],
  ['deactivate_chat', 'deactivate_chat', (i) => ({ id: i.chat }), 'not_found'],
  ['resume_chat', 'resume_chat', (i) => ({ chat: { id: i.chat, thread: { events: [{ type: 'message', text: 'x' }] } } }), 'not_found'],
  ['delete_event', 'delete_event', (i) => ({ chat_id: i.chat, thread_id: i.thread, event_id: i.event }), 'not_found'],
  ['delete_event: own chat, their thread', 'delete_event', (i) => ({ chat_id: i.ownChat, thread_id: i.thread, event_id: i.event }), 'not_found'],
  ['delete_event: own thread, their event', 'delete_event', (i) => ({ chat_id: i.ownChat, thread_id: i.ownThread, event_id: i.event }), 'not_found'],
  [
    'send_rich_message_postback',
    'send_rich_message_postback',
    (i) => ({ chat_id: i.chat, thread_id: i.thread, event_id: i.botEvent, postback: { id: 'b', toggled: true } }),
    'not_found',
  ],
  [
    'send_rich_message_postback: own chat, their thread',
    'send_rich_message_postback',
    (i) => ({ chat_id: i.ownChat, thread_id: i.thread, event_id: i.botEvent, postback: { id: 'b', toggled: true } }),
    'not_found',
  ],
  ['send_sneak_peek', 'send_sneak_peek', (i) => ({ chat_id: i.chat, sneak_peek_text: 'peek' }), 'not_found'],
  ['mark_events_as_seen', 'mark_events_as_seen', (i) => ({ chat_id: i.chat, seen_up_to: '2099-01-01T00:00:00.000000Z' }), 'not_found'],
  ['update_chat_properties', 'update_chat_properties', (i) => ({ id: i.chat, properties: { ns: { x: 1 } } }), 'not_found'],
  ['delete_chat_properties', 'delete_chat_properties', (i) => ({ id: i.chat, properties: { source: ['type'] } }), 'not_found'],
  ['update_thread_properties', 'update_thread_properties', (i) => ({ chat_id: i.chat, thread_id: i.thread, properties: { ns: { x: 1 } } }), 'not_found'],
  [
    'update_thread_properties: own chat, their thread',
    'update_thread_properties',
    (i) => ({ chat_id: i.ownChat, thread_id: i.thread, properties: { ns: { x: 1 } } }),
    'not_found',
  ],
  ['delete_thread_properties', 'delete_thread_properties', (i) => ({ chat_id: i.chat, thread_id: i.thread, properties: { tag: ['v'] } }), 'not_found'],
  [
    'update_event_properties',
    'update_event_properties',
    (i) => ({ chat_id: i.chat, thread_id: i.thread, event_id: i.event, properties: { ns: { x: 1 } } }),
    'not_found',
  ],
  [
    'update_event_properties: own thread, their event',
    'update_event_properties',
    (i) => ({ chat_id: i.ownChat, thread_id: i.ownThread, event_id: i.event, properties: { ns: { x: 1 } } }),
    'not_found',
  ],
  [
    'delete_event_properties',
    'delete_event_properties',
    (i) => ({ chat_id: i.chat, thread_id: i.thread, event_id: i.event, properties: { flag: ['on'] } }),
    'not_found',
  ],
  ['accept_greeting', 'accept_greeting', (i) => ({ greeting_id: i.greetingId, unique_id: i.greeting }), 'greeting_not_found'],
  ['cancel_greeting', 'cancel_greeting', (i) => ({ unique_id: i.greeting }), 'greeting_not_found'],
  ['send_greeting_button_clicked', 'send_greeting_button_clicked', (i) => ({ greeting_unique_id: i.greeting, button_id: 'b1' }), 'greeting_not_found'],
]

/** The same request with every foreign id replaced by one that does not exist. */
const withMissingIds = (ids: Ids): Ids => ({
  ...ids,
  chat: ids.chat === ids.ownChat ? ids.chat : MISSING,
  thread: MISSING,
  event: `${MISSING}_1`,
  botEvent: `${MISSING}_2`,
  greeting: 'no-such-greeting',
})

const stores: Array<[string, () => Storage | undefined]> = [
  ['memory', () => undefined],
  ['sqlite', () => new SqliteStorage(':memory:')],
]

const snapshot = async (socket: TestSocket, chatId: string): Promise<unknown> => ({
  chat: await socket.ok('get_chat', { chat_id: chatId }),
  threads: await socket.ok('list_threads', { chat_id: chatId }),
  chats: await socket.ok('list_chats', {}),
})

describe.each(stores)('customer access control table (%s storage)', (_name, makeStorage) => {
  it.each(ATTEMPTS)('%s on another customer’s data → %s', async (_label, action, payload, error) => {
    const storage = makeStorage()
    const h = await startServer(storage ? { storage } : {})
    const a = await chatWithBot(h)
    const mine = await a.customer.ok<{ event_id: string }>('send_event', { chat_id: a.chatId, event: { type: 'message', text: 'secret', custom_id: 'a-1' } })
    await a.customer.ok('update_thread_properties', { chat_id: a.chatId, thread_id: a.threadId, properties: { tag: { v: 'a' } } })
    await a.customer.ok('update_event_properties', { chat_id: a.chatId, thread_id: a.threadId, event_id: mine.event_id, properties: { flag: { on: true } } })
    await a.customer.ok('update_chat_properties', { id: a.chatId, properties: { source: { type: 'widget' } } })
    const botEvent = await a.bot.ok<{ event_id: string }>('send_event', {
      chat_id: a.chatId,
      event: { type: 'rich_message', template_id: 'quick_replies', elements: [{ title: 'Pick', buttons: [{ type: 'message', text: 'Yes', postback_id: 'b' }] }] },
    })
    const greeting = h.server.admin.sendGreeting(a.customerId, { text: 'Hello A' })
    await a.customer.push('incoming_greeting')

    const b = a.other
    const own = await b.ok<{ chat_id: string; thread_id: string; event_ids: string[] }>('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'b' }] } },
    })
    const ids: Ids = {
      chat: a.chatId,
      thread: a.threadId,
      event: mine.event_id,
      botEvent: botEvent.event_id,
      greeting: greeting.unique_id,
      greetingId: greeting.id,
      ownChat: own.chat_id,
      ownThread: own.thread_id,
      ownEvent: own.event_ids[0] ?? '',
    }

    for (const socket of [a.customer, a.tab, a.bot]) {
      await socket.sync()
      socket.buffer.length = 0
    }
    const before = await snapshot(a.customer, a.chatId)

    const response = await b.request(action, payload(ids))
    expect(response).toMatchObject({ action, success: false, payload: { error: { type: error } } })
    // indistinguishable from ids that do not exist
    const missing = await b.request(action, payload(withMissingIds(ids)))
    expect((missing.payload as { error: unknown }).error).toEqual((response.payload as { error: unknown }).error)

    expect(await snapshot(a.customer, a.chatId)).toEqual(before)
    for (const socket of [a.customer, a.tab, a.bot]) {
      await socket.sync()
      expect(socket.buffer.filter((f) => f.type === 'push').map((f) => f.action), 'no push reaches A or the bot').toEqual([])
    }
    // A's greeting is still pending and acceptable by A
    expect((await a.customer.request('accept_greeting', { greeting_id: greeting.id, unique_id: greeting.unique_id })).success).toBe(true)
  })
})
