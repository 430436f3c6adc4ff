import type { WireChat } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { AGENT, BOT, ORG, startServer } from './helpers/harness'
import { chatWithBot, errorOf, expectNoPush } from './helpers/flows'

describe('agent indicators', () => {
  it('typing and thinking indicators and event previews reach the customer’s connections only', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    await s.bot.ok('send_typing_indicator', { chat_id: s.chatId, is_typing: true })
    for (const socket of [s.customer, s.tab]) {
      expect((await socket.push('incoming_typing_indicator')).payload).toMatchObject({
        chat_id: s.chatId,
        thread_id: s.threadId,
        typing_indicator: { author_id: BOT.id, recipients: 'all', is_typing: true },
      })
    }
    await s.bot.ok('send_thinking_indicator', { chat_id: s.chatId, title: 'Thinking…', description: 'Looking it up', custom_id: 't1' })
    for (const socket of [s.customer, s.tab]) {
      expect((await socket.push('incoming_thinking_indicator')).payload).toEqual({
        chat_id: s.chatId,
        thread_id: s.threadId,
        author_id: BOT.id,
        sent_at: expect.any(String),
        title: 'Thinking…',
        description: 'Looking it up',
        custom_id: 't1',
      })
    }
    await s.bot.ok('send_event_preview', { chat_id: s.chatId, event: { type: 'message', text: 'Partial', custom_id: 'p1' } })
    for (const socket of [s.customer, s.tab]) {
      expect((await socket.push('incoming_event_preview')).payload).toEqual({
        chat_id: s.chatId,
        thread_id: s.threadId,
        event: { created_at: expect.any(String), type: 'message', text: 'Partial', author_id: BOT.id, custom_id: 'p1' },
      })
    }
    await s.bot.ok('send_thinking_indicator', { chat_id: s.chatId, visibility: 'agents' })
    await s.bot.ok('send_event_preview', { chat_id: s.chatId, event: { type: 'message', text: 'secret', visibility: 'agents' } })
    await expectNoPush(s.customer, 'incoming_thinking_indicator')
    await expectNoPush(s.customer, 'incoming_event_preview')
    for (const name of ['incoming_typing_indicator', 'incoming_thinking_indicator', 'incoming_event_preview']) await expectNoPush(s.other, name)
    expect(await errorOf(s.bot, 'send_event_preview', { chat_id: s.chatId, event: { type: 'file', url: 'x' } })).toBe('validation')
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    expect(await errorOf(s.bot, 'send_thinking_indicator', { chat_id: s.chatId })).toBe('chat_inactive')
    expect(await errorOf(s.bot, 'send_event_preview', { chat_id: s.chatId, event: { type: 'message', text: 'x' } })).toBe('chat_inactive')
  })

  it('multicast reaches the named customers and agents', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const agent = await h.agent(AGENT.id)
    await s.bot.ok('multicast', { recipients: { customers: [s.customerId], agents: { ids: [AGENT.id] } }, content: { hello: 'world' }, type: 'promo' })
    const expected = { author_id: BOT.id, content: { hello: 'world' }, type: 'promo' }
    expect((await s.customer.push('incoming_multicast')).payload).toEqual(expected)
    expect((await s.tab.push('incoming_multicast')).payload).toEqual(expected)
    expect((await agent.push('incoming_multicast')).payload).toEqual(expected)
    await expectNoPush(s.other, 'incoming_multicast')
    await expectNoPush(s.bot, 'incoming_multicast')
    expect(await errorOf(s.bot, 'multicast', { recipients: {}, content: 1 })).toBe('validation')
  })
})

describe('transfers and chat users', () => {
  it('transfer_chat to an agent: chat_transferred, user_removed_from_chat, user_added_to_chat, incoming_chat with transferred_from', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const agent = await h.agent(AGENT.id)
    expect(await s.bot.ok('transfer_chat', { id: s.chatId, target: { type: 'agent', ids: [AGENT.id] } })).toEqual({})
    const transferred = { chat_id: s.chatId, thread_id: s.threadId, requester_id: BOT.id, reason: 'manual', transferred_to: { agent_ids: [AGENT.id] } }
    for (const socket of [s.customer, s.tab, s.bot]) expect((await socket.push('chat_transferred')).payload).toEqual(transferred)
    for (const socket of [s.customer, s.tab, s.bot]) {
      expect((await socket.push('user_removed_from_chat')).payload).toEqual({ chat_id: s.chatId, thread_id: s.threadId, user_id: BOT.id, reason: 'manual', requester_id: BOT.id })
    }
    expect((await s.customer.push('user_added_to_chat')).payload).toMatchObject({ chat_id: s.chatId, user: { id: AGENT.id, present: true }, reason: 'manual' })
    const incoming = await agent.push<{ chat: WireChat; transferred_from: unknown }>('incoming_chat', (f) => f.payload.chat.id === s.chatId)
    expect(incoming.payload.transferred_from).toEqual({ group_ids: [0], agent_ids: [BOT.id] })
    for (const name of ['chat_transferred', 'user_removed_from_chat']) await expectNoPush(s.other, name)
    const chat = await s.customer.ok<WireChat>('get_chat', { chat_id: s.chatId })
    expect(chat.thread?.user_ids).toEqual([s.customerId, AGENT.id])
  })

  it('transfer_chat to a group re-routes or queues, with documented failures', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    expect(await errorOf(s.bot, 'transfer_chat', { id: s.chatId, target: { type: 'group', ids: [1] } })).toBe('agent_offline')
    expect(await errorOf(s.bot, 'transfer_chat', { id: s.chatId, target: { type: 'group', ids: [9] } })).toBe('group_not_found')
    expect(await errorOf(s.bot, 'transfer_chat', { id: s.chatId, target: { type: 'agent', ids: ['ghost'] } })).toBe('not_found')
    expect(await errorOf(s.bot, 'transfer_chat', { id: s.chatId, target: { type: 'agent', ids: [AGENT.id] } })).toBe('agent_offline')
    expect(await errorOf(s.bot, 'transfer_chat', { id: s.chatId, target: { type: 'team', ids: [1] } })).toBe('validation')
    expect(await s.bot.ok('transfer_chat', { id: s.chatId, target: { type: 'group', ids: [1] }, ignore_agents_availability: true })).toEqual({})
    const pushed = await s.customer.push<{ queue: { position: number } }>('chat_transferred')
    expect(pushed.payload).toMatchObject({ transferred_to: { group_ids: [1] }, queue: { position: 1, wait_time: expect.any(Number), queued_at: expect.any(String) } })
    // The bot lost access with the group change but still heard about the transfer.
    await s.bot.push('chat_transferred')
    const agent = await h.agent(AGENT.id)
    expect((await s.customer.push('user_added_to_chat')).payload).toMatchObject({ user: { id: AGENT.id }, reason: 'assigned' })
    await agent.sync()
    await s.customer.ok('deactivate_chat', { id: s.chatId })
    expect(await errorOf(agent, 'transfer_chat', { id: s.chatId })).toBe('chat_inactive')
  })

  it('add_user_to_chat and remove_user_from_chat', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const agent = await h.agent(AGENT.id)
    expect(await s.bot.ok('add_user_to_chat', { chat_id: s.chatId, user_id: AGENT.id, user_type: 'agent', visibility: 'all' })).toEqual({})
    for (const socket of [s.customer, s.tab]) {
      expect((await socket.push('user_added_to_chat')).payload).toMatchObject({ chat_id: s.chatId, thread_id: s.threadId, user: { id: AGENT.id, type: 'agent', present: true }, reason: 'manual', requester_id: BOT.id })
    }
    expect(await s.bot.ok('remove_user_from_chat', { chat_id: s.chatId, user_id: AGENT.id, user_type: 'agent' })).toEqual({})
    const removed = { chat_id: s.chatId, thread_id: s.threadId, user_id: AGENT.id, reason: 'manual', requester_id: BOT.id }
    for (const socket of [s.customer, s.tab, agent]) expect((await socket.push('user_removed_from_chat')).payload).toEqual(removed)
    await expectNoPush(s.other, 'user_removed_from_chat')
    expect(await errorOf(s.bot, 'remove_user_from_chat', { chat_id: s.chatId, user_id: s.customerId, user_type: 'customer' })).toBe('validation')
    expect(await errorOf(s.bot, 'remove_user_from_chat', { chat_id: s.chatId, user_id: 'ghost', user_type: 'agent' })).toBe('not_found')
    expect(await errorOf(s.bot, 'add_user_to_chat', { chat_id: s.chatId, user_id: 'ghost', user_type: 'agent' })).toBe('not_found')
    expect(await errorOf(s.bot, 'add_user_to_chat', { chat_id: s.chatId, user_id: 'someone', user_type: 'customer' })).toBe('validation')
    expect(await errorOf(agent, 'add_user_to_chat', { chat_id: s.chatId, user_id: BOT.id, user_type: 'agent' })).toBe('authorization')
  })
})

describe('events edited or deleted from the agent side', () => {
  it('admin updateEvent pushes event_updated; agent delete_event pushes event_deleted', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.bot.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'message', text: 'typo' } })
    const response = await h.adminFetch(`organizations/${ORG}/event`, { chat_id: s.chatId, thread_id: s.threadId, event_id, event: { text: 'fixed' } })
    expect(response.status).toBe(200)
    for (const socket of [s.customer, s.tab]) {
      expect((await socket.push('event_updated')).payload).toMatchObject({ chat_id: s.chatId, thread_id: s.threadId, event: { id: event_id, text: 'fixed', recipients: 'all' } })
    }
    expect((await s.bot.push('event_updated')).payload).toMatchObject({ event: { id: event_id, text: 'fixed', visibility: 'all' } })
    await expectNoPush(s.other, 'event_updated')
    expect(() => h.server.admin.updateEvent(ORG, s.chatId, s.threadId, 'nope', {})).toThrow()

    expect(await s.bot.ok('delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id })).toEqual({})
    expect((await s.customer.push('event_deleted')).payload).toEqual({ chat_id: s.chatId, thread_id: s.threadId, event_id })
    expect(await errorOf(s.bot, 'delete_event', { chat_id: s.chatId, thread_id: s.threadId, event_id })).toBe('not_found')
  })

  it('agent postbacks and set_away_status', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    await s.bot.ok('send_rich_message_postback', { chat_id: s.chatId, thread_id: s.threadId, event_id: `${s.threadId}_1`, postback: { id: 'b', toggled: true } })
    expect((await s.customer.push('incoming_rich_message_postback')).payload).toMatchObject({ user_id: BOT.id, postback: { id: 'b', toggled: true } })
    await s.bot.ok('set_away_status', { away: true })
    expect((await s.bot.push('routing_status_set')).payload).toEqual({ agent_id: BOT.id, status: 'not_accepting_chats' })
  })
})
