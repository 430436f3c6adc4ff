import type { FakeSocket } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import type { CustomerClient } from '../customerClient'
import { completeLogin, flush, setup } from './helpers'

const connected = async () => {
  const { env, client } = setup()
  const socket = await completeLogin(env)
  return { env, client, socket }
}

/** Calls a method, answers its request with `answer`, returns [frame sent, result]. */
const roundTrip = async (socket: FakeSocket, call: () => Promise<unknown>, action: string, answer: object = {}) => {
  const pending = call()
  await flush()
  const frame = socket.lastSent(action)
  expect(frame, `a ${action} request`).toBeDefined()
  socket.respond(action, answer)
  return [frame?.payload, await pending] as const
}

type Case = {
  name: string
  call: (c: CustomerClient) => Promise<unknown>
  action: string
  payload: object
  answer?: object
  result: unknown
}

const OK = { success: true }

const cases: Case[] = [
  { name: 'acceptGreeting', call: (c) => c.acceptGreeting({ greetingId: 7, uniqueId: 'Q1' }), action: 'accept_greeting', payload: { greeting_id: 7, unique_id: 'Q1' }, result: OK },
  { name: 'cancelGreeting', call: (c) => c.cancelGreeting({ uniqueId: 'Q1' }), action: 'cancel_greeting', payload: { unique_id: 'Q1' }, result: OK },
  { name: 'deactivateChat', call: (c) => c.deactivateChat({ id: 'C1' }), action: 'deactivate_chat', payload: { id: 'C1' }, result: OK },
  { name: 'deleteChatProperties', call: (c) => c.deleteChatProperties({ id: 'C1', properties: { ns: ['a'] } }), action: 'delete_chat_properties', payload: { id: 'C1', properties: { ns: ['a'] } }, result: OK },
  {
    name: 'deleteEventProperties',
    call: (c) => c.deleteEventProperties({ chatId: 'C1', threadId: 'T1', eventId: 'E1', properties: { ns: ['a'] } }),
    action: 'delete_event_properties',
    payload: { chat_id: 'C1', thread_id: 'T1', event_id: 'E1', properties: { ns: ['a'] } },
    result: OK,
  },
  {
    name: 'deleteThreadProperties',
    call: (c) => c.deleteThreadProperties({ chatId: 'C1', threadId: 'T1', properties: { ns: ['a'] } }),
    action: 'delete_thread_properties',
    payload: { chat_id: 'C1', thread_id: 'T1', properties: { ns: ['a'] } },
    result: OK,
  },
  {
    name: 'getForm',
    call: (c) => c.getForm({ groupId: 0, type: 'prechat' }),
    action: 'get_form',
    payload: { group_id: 0, type: 'prechat' },
    answer: { enabled: true, form: { id: 'F1', fields: [{ id: '1', type: 'group_chooser', options: [{ id: 'o', group_id: 2, label: 'Sales' }] }] } },
    result: { enabled: true, form: { id: 'F1', fields: [{ id: '1', type: 'group_chooser', options: [{ id: 'o', groupId: 2, label: 'Sales' }] }] } },
  },
  {
    name: 'getUrlInfo',
    call: (c) => c.getUrlInfo({ url: 'https://example.com' }),
    action: 'get_url_info',
    payload: { url: 'https://example.com' },
    answer: { url: 'https://example.com', title: 'Example', image_url: '//cdn.example/i.png', image_width: 10, image_height: 5, image_original_url: 'x' },
    result: { url: 'https://example.com', title: 'Example', imageUrl: 'https://cdn.example/i.png', imageWidth: 10, imageHeight: 5 },
  },
  {
    name: 'listGroupStatuses (all)',
    call: (c) => c.listGroupStatuses(),
    action: 'list_group_statuses',
    payload: { all: true },
    answer: { groups_status: { '0': 'online', '3': 'offline' } },
    result: { '0': 'online', '3': 'offline' },
  },
  {
    name: 'listGroupStatuses (ids)',
    call: (c) => c.listGroupStatuses({ groupIds: [3, 10] }),
    action: 'list_group_statuses',
    payload: { group_ids: [3, 10] },
    answer: { groups_status: { '3': 'online_for_queue' } },
    result: { '3': 'online_for_queue' },
  },
  { name: 'markEventsAsSeen', call: (c) => c.markEventsAsSeen({ chatId: 'C1', seenUpTo: '2026-01-01T00:00:00.000000Z' }), action: 'mark_events_as_seen', payload: { chat_id: 'C1', seen_up_to: '2026-01-01T00:00:00.000000Z' }, result: OK },
  {
    name: 'requestWelcomeMessage',
    call: (c) => c.requestWelcomeMessage({ id: 'W0' }),
    action: 'request_welcome_message',
    payload: { id: 'W0' },
    answer: { id: 'W1', predicted_agent: { id: 'a', name: 'Ann', avatar: 'x', job_title: 'Support', type: 'agent', is_bot: true, bot_type: 'ai_agent' }, queue: false },
    result: { id: 'W1', predictedAgent: { id: 'a', name: 'Ann', avatar: 'x', jobTitle: 'Support', type: 'agent', botType: 'ai_agent', isBot: true }, queue: false },
  },
  {
    name: 'sendGreetingButtonClicked',
    call: (c) => c.sendGreetingButtonClicked({ greetingUniqueId: 'Q1', buttonId: 'B1' }),
    action: 'send_greeting_button_clicked',
    payload: { greeting_unique_id: 'Q1', button_id: 'B1' },
    result: OK,
  },
  {
    name: 'sendRichMessagePostback (toggled defaults to true)',
    call: (c) => c.sendRichMessagePostback({ chatId: 'C1', threadId: 'T1', eventId: 'E1', postback: { id: 'P1' } }),
    action: 'send_rich_message_postback',
    payload: { chat_id: 'C1', thread_id: 'T1', event_id: 'E1', postback: { id: 'P1', toggled: true } },
    result: OK,
  },
  {
    name: 'setCustomerSessionFields',
    call: (c) => c.setCustomerSessionFields({ sessionFields: { foo: 'bar', test: 'qwerty' } }),
    action: 'set_customer_session_fields',
    payload: { session_fields: [{ foo: 'bar' }, { test: 'qwerty' }] },
    result: OK,
  },
  { name: 'updateChatProperties', call: (c) => c.updateChatProperties({ id: 'C1', properties: { ns: { a: 1 } } }), action: 'update_chat_properties', payload: { id: 'C1', properties: { ns: { a: 1 } } }, result: OK },
  {
    name: 'updateCustomer',
    call: (c) => c.updateCustomer({ name: 'John', email: 'j@example.com', sessionFields: { plan: 'pro' } }),
    action: 'update_customer',
    payload: { name: 'John', email: 'j@example.com', session_fields: [{ plan: 'pro' }] },
    result: OK,
  },
  {
    name: 'updateEventProperties',
    call: (c) => c.updateEventProperties({ chatId: 'C1', threadId: 'T1', eventId: 'E1', properties: { ns: { a: 1 } } }),
    action: 'update_event_properties',
    payload: { chat_id: 'C1', thread_id: 'T1', event_id: 'E1', properties: { ns: { a: 1 } } },
    result: OK,
  },
  {
    name: 'updateThreadProperties',
    call: (c) => c.updateThreadProperties({ chatId: 'C1', threadId: 'T1', properties: { routing: { transcript_email: 'j@example.com' } } }),
    action: 'update_thread_properties',
    payload: { chat_id: 'C1', thread_id: 'T1', properties: { routing: { transcript_email: 'j@example.com' } } },
    result: OK,
  },
]

describe('customer methods on the wire', () => {
  for (const c of cases) {
    it(`${c.name} sends ${c.action} and resolves with the documented shape`, async () => {
      const { client, socket } = await connected()
      const [payload, result] = await roundTrip(socket, () => c.call(client), c.action, c.answer)
      expect(payload).toEqual(c.payload)
      expect(result).toEqual(c.result)
      client.destroy()
    })
  }

  it('rateChat rates the newest thread; cancelRate removes the rating', async () => {
    const { client, socket } = await connected()
    const thread = (id: string) => ({ id, active: false, user_ids: [], events: [], created_at: '2026-01-01T00:00:00.000000Z' })
    const rating = client.rateChat({ chatId: 'C1', rating: { score: 1, comment: 'Great' } })
    await flush()
    expect(socket.lastSent('list_threads')?.payload).toEqual({ chat_id: 'C1' })
    socket.respond('list_threads', { threads: [thread('T2'), thread('T1')], found_threads: 2 })
    await flush()
    expect(socket.lastSent('update_thread_properties')?.payload).toEqual({ chat_id: 'C1', thread_id: 'T2', properties: { rating: { score: 1, comment: 'Great' } } })
    socket.respond('update_thread_properties')
    await expect(rating).resolves.toEqual(OK)

    const cancel = client.cancelRate({ chatId: 'C1', properties: ['score', 'comment'] })
    await flush()
    socket.respond('list_threads', { threads: [thread('T2')], found_threads: 1 })
    await flush()
    expect(socket.lastSent('delete_thread_properties')?.payload).toEqual({ chat_id: 'C1', thread_id: 'T2', properties: { rating: ['score', 'comment'] } })
    socket.respond('delete_thread_properties')
    await expect(cancel).resolves.toEqual(OK)
    client.destroy()
  })

  it('rateChat / cancelRate on a chat without threads fail with MISSING_CHAT_THREAD', async () => {
    const { client, socket } = await connected()
    const rating = client.rateChat({ chatId: 'C1', rating: { score: 0 } })
    await flush()
    socket.respond('list_threads', { threads: [], found_threads: 0 })
    await expect(rating).rejects.toMatchObject({ code: 'MISSING_CHAT_THREAD' })
    client.destroy()
  })

  it('validates locally and sends nothing for bad input', async () => {
    const { client, socket } = await connected()
    const before = socket.sent.length
    const bad: Array<() => Promise<unknown>> = [
      () => client.rateChat({ chatId: 'C1', rating: { score: 2 as 0 } }),
      () => client.updateCustomer({}),
      () => client.updateCustomer({ sessionFields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) }),
      () => client.updateChatProperties({ id: 'C1', properties: { ns: 'flat' as unknown as Record<string, unknown> } }),
      () => client.deleteChatProperties({ id: 'C1', properties: { ns: 'a' as unknown as string[] } }),
      () => client.getForm({ groupId: 0, type: 'survey' as 'prechat' }),
      () => client.listChats({ limit: 26 }),
      () => client.listThreads({ chatId: 'C1', limit: 3, minEventsCount: 5 }),
      () => client.sendEvent({ chatId: 'C1', event: { type: 'form' } as never }),
      () => client.acceptGreeting({ greetingId: '7' as unknown as number, uniqueId: 'Q' }),
      () => client.getChat({ chatId: '' }),
    ]
    for (const call of bad) await expect(call()).rejects.toHaveProperty('code')
    await expect(bad[2]?.()).rejects.toMatchObject({ code: 'CUSTOMER_SESSION_FIELDS_LIMIT_REACHED' })
    await expect(bad[0]?.()).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(socket.sent.length).toBe(before)
    client.destroy()
  })

  it('setSneakPeek is sent only for an active chat while connected, and never rejects', async () => {
    const { client, socket } = await connected()
    client.setSneakPeek({ chatId: 'C1', sneakPeekText: 'hel' })
    await flush()
    expect(socket.lastSent('send_sneak_peek')).toBeUndefined()
    socket.receive({
      action: 'incoming_chat',
      type: 'push',
      payload: { chat: { id: 'C1', users: [], thread: { id: 'T1', active: true, user_ids: [], events: [], created_at: '2026-01-01T00:00:00.000000Z' } } },
    })
    await flush()
    client.setSneakPeek({ chatId: 'C1', sneakPeekText: 'hello' })
    await flush()
    expect(socket.lastSent('send_sneak_peek')?.payload).toEqual({ chat_id: 'C1', sneak_peek_text: 'hello' })
    socket.receive({ request_id: socket.lastSent('send_sneak_peek')?.request_id, action: 'send_sneak_peek', type: 'response', success: false, payload: { error: { type: 'chat_inactive', message: '' } } })
    await flush()
    client.destroy()
  })

  it('updateCustomerPage remembers the page for the next login and sends it now when connected', async () => {
    const { env, client, socket } = await connected()
    client.updateCustomerPage({ url: 'https://shop.example/a', title: 'A' })
    await flush()
    expect(socket.lastSent('update_customer_page')?.payload).toEqual({ url: 'https://shop.example/a', title: 'A' })
    socket.drop()
    env.clock.advance(1_000)
    await flush()
    env.socket.open()
    await flush()
    expect(env.socket.lastSent('login')?.payload?.customer_page).toEqual({ url: 'https://shop.example/a', title: 'A' })
    client.destroy()
  })

  it('emits user_data for every user of a fetched chat, with the documented fields alias', async () => {
    const { client, socket } = await connected()
    const users: unknown[] = []
    client.on('user_data', (u) => users.push(u))
    const [, chat] = await roundTrip(socket, () => client.getChat({ chatId: 'C1' }), 'get_chat', {
      id: 'C1',
      users: [
        { id: 'customer-1', type: 'customer', session_fields: [{ a: '1' }], present: true },
        { id: 'agent-1', type: 'agent', name: 'Ann', avatar: 'x', job_title: 'Support', present: true },
      ],
      thread: { id: 'T1', active: true, user_ids: [], events: [], created_at: '2026-01-01T00:00:00.000000Z' },
    })
    expect((chat as { id: string }).id).toBe('C1')
    expect(users).toEqual([
      { id: 'customer-1', type: 'customer', sessionFields: { a: '1' }, fields: { a: '1' } },
      { id: 'agent-1', type: 'agent', name: 'Ann', avatar: 'x', jobTitle: 'Support' },
    ])
    client.destroy()
  })
})
