import type { PushFrame, WireChat, WireEvent } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { AGENT, BOT, ORG, startServer } from './helpers/harness'

type IncomingChat = { chat: WireChat }
type IncomingEvent = { chat_id: string; thread_id: string; event: WireEvent & Record<string, unknown> }

describe('start_chat', () => {
  it('answers, pushes incoming_chat with request_id to the requester only, routes to an agent', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const token = await h.token(ORG, a.customerId)
    const tab = await h.open('customer')
    await tab.ok('login', { token: `Bearer ${token.access_token}` })

    a.socket.send({
      request_id: 'start-1',
      action: 'start_chat',
      payload: { chat: { thread: { events: [{ type: 'message', text: 'Hello', custom_id: 'c1' }] } } },
    })
    const response = await a.socket.response('start-1')
    expect(response).toMatchObject({ action: 'start_chat', success: true })
    const { chat_id, thread_id, event_ids } = response.payload as { chat_id: string; thread_id: string; event_ids: string[] }
    expect(event_ids).toHaveLength(1)

    const primary = await a.socket.push<IncomingChat>('incoming_chat')
    expect(primary.request_id).toBe('start-1')
    expect(primary.payload.chat).toMatchObject({ id: chat_id, thread: { id: thread_id, active: true } })
    const events = primary.payload.chat.thread?.events ?? []
    expect(events[0]).toMatchObject({ type: 'message', text: 'Hello', custom_id: 'c1', recipients: 'all', author_id: a.customerId })
    expect(events[0]?.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)

    const secondary = await tab.push<IncomingChat>('incoming_chat')
    expect(secondary.request_id).toBeUndefined()
    expect(secondary.payload.chat.id).toBe(chat_id)

    const forAgent = await bot.push<IncomingChat>('incoming_chat')
    expect(forAgent.request_id).toBeUndefined()
    expect(forAgent.payload.chat.thread?.events[0]).toMatchObject({ visibility: 'all' })
    expect(forAgent.payload.chat.thread?.events[0]).not.toHaveProperty('recipients')

    const added = await a.socket.push<{ user: Record<string, unknown>; reason: string }>('user_added_to_chat')
    expect(added.request_id).toBeUndefined()
    expect(added.payload).toMatchObject({ chat_id, thread_id, reason: 'assigned', user: { id: BOT.id, type: 'agent', present: true } })
    await tab.push('user_added_to_chat')
    await bot.push('user_added_to_chat')

    await a.socket.sync()
    expect(a.socket.received.filter((f) => f.request_id === 'start-1')).toHaveLength(2)
  })

  it('queues the chat when nobody is available, assigns it when an agent starts accepting', async () => {
    const h = await startServer()
    const a = await h.customer()
    await a.socket.ok('start_chat', {})
    const chat = (await a.socket.push<IncomingChat>('incoming_chat')).payload.chat
    expect(chat.thread?.queue).toMatchObject({ position: 1 })
    expect(chat.thread?.queue?.queued_at).toBeTypeOf('string')

    const bot = await h.agent(BOT.id, { accepting: false })
    await bot.ok('set_routing_status', { status: 'accepting_chats' })
    expect((await a.socket.push('user_added_to_chat')).payload).toMatchObject({ user: { id: BOT.id } })
    const got = await a.socket.ok<WireChat>('get_chat', { chat_id: chat.id })
    expect(got.thread?.queue).toBeUndefined()
    expect(got.thread?.user_ids).toContain(BOT.id)
    expect(await bot.ok('list_routing_statuses', {})).toEqual([
      { agent_id: BOT.id, status: 'accepting_chats' },
      { agent_id: AGENT.id, status: 'offline' },
    ])
  })

  it('routes to the agent with the fewest active chats that serves the group', async () => {
    const h = await startServer()
    await h.agent(BOT.id)
    const agent = await h.agent(AGENT.id)
    const first = await h.customer()
    await first.socket.ok('start_chat', {})
    const firstAdded = await first.socket.push<{ user: { id: string } }>('user_added_to_chat')
    const second = await h.customer()
    await second.socket.ok('start_chat', {})
    const secondAdded = await second.socket.push<{ user: { id: string } }>('user_added_to_chat')
    expect(new Set([firstAdded.payload.user.id, secondAdded.payload.user.id])).toEqual(new Set([BOT.id, AGENT.id]))

    const grouped = await h.customer({ login: { group_id: 1 } })
    await grouped.socket.ok('start_chat', {})
    expect((await grouped.socket.push<{ user: { id: string } }>('user_added_to_chat')).payload.user.id).toBe(AGENT.id)
    expect((await agent.push<IncomingChat>('incoming_chat', (f) => f.payload.chat.access?.group_ids?.[0] === 1)).payload.chat).toBeDefined()
  })

  it('allows one chat per customer', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    await socket.ok('start_chat', {})
    const again = await socket.request('start_chat', {})
    expect(again.payload).toMatchObject({ error: { type: 'chat_limit_reached' } })
  })
})

describe('send_event', () => {
  it('goes from customer to agent and back, with ids, timestamps and custom_id', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})

    a.socket.send({ request_id: 'say', action: 'send_event', payload: { chat_id, event: { type: 'message', text: 'Hi', custom_id: 'm1' } } })
    const { event_id } = (await a.socket.response('say')).payload as { event_id: string }
    const mine = await a.socket.push<IncomingEvent>('incoming_event', (f) => f.request_id === 'say')
    expect(mine.payload.event).toMatchObject({ id: event_id, custom_id: 'm1', text: 'Hi', author_id: a.customerId, recipients: 'all' })
    const atBot = await bot.push<IncomingEvent>('incoming_event')
    expect(atBot.request_id).toBeUndefined()
    expect(atBot.payload.event).toMatchObject({ id: event_id, visibility: 'all' })

    bot.send({ request_id: 'reply', action: 'send_event', payload: { chat_id, event: { type: 'message', text: 'Hello!' } } })
    const reply = (await bot.response('reply')).payload as { event_id: string }
    expect((await bot.push<IncomingEvent>('incoming_event', (f) => f.request_id === 'reply')).payload.event.id).toBe(reply.event_id)
    const atCustomer = await a.socket.push<IncomingEvent>('incoming_event', (f) => f.payload.event.id === reply.event_id)
    expect(atCustomer.request_id).toBeUndefined()
    expect(atCustomer.payload.event).toMatchObject({ text: 'Hello!', author_id: BOT.id, recipients: 'all' })
    expect(atCustomer.payload.event.created_at > mine.payload.event.created_at).toBe(true)
    expect(reply.event_id).not.toBe(event_id)
  })

  it('hides agents-only events from the customer', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    const { event_id } = await bot.ok<{ event_id: string }>('send_event', {
      chat_id,
      event: { type: 'message', text: 'internal note', visibility: 'agents' },
    })
    expect((await bot.push<IncomingEvent>('incoming_event', (f) => f.payload.event.id === event_id)).payload.event.visibility).toBe('agents')
    await a.socket.sync()
    expect(a.socket.received.some((f) => f.action === 'incoming_event')).toBe(false)
    const chat = await a.socket.ok<WireChat>('get_chat', { chat_id })
    expect(chat.thread?.events.map((e) => e.id)).not.toContain(event_id)
    const agentView = await bot.ok<WireChat>('get_chat', { chat_id })
    expect(agentView.thread?.events.map((e) => e.id)).toContain(event_id)
  })

  it('sends a typing indicator to the customer', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    await bot.ok('send_typing_indicator', { chat_id, is_typing: true })
    const typing = await a.socket.push('incoming_typing_indicator')
    expect(typing.payload).toMatchObject({ chat_id, typing_indicator: { author_id: BOT.id, recipients: 'all', is_typing: true } })
  })

  it('fails with chat_inactive on an inactive chat unless attach_to_last_thread', async () => {
    const h = await startServer()
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    await a.socket.ok('deactivate_chat', { id: chat_id })
    const refused = await a.socket.request('send_event', { chat_id, event: { type: 'message', text: 'late' } })
    expect(refused.payload).toMatchObject({ error: { type: 'chat_inactive' } })
    const attached = await a.socket.request('send_event', { chat_id, event: { type: 'message', text: 'late' }, attach_to_last_thread: true })
    expect(attached.success).toBe(true)
    expect((await a.socket.request('deactivate_chat', { id: chat_id })).payload).toMatchObject({ error: { type: 'chat_inactive' } })
  })
})

describe('deactivate and resume', () => {
  it('pushes a system message then chat_deactivated to everyone; resume opens a new thread', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const { chat_id, thread_id } = await a.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', {})
    await a.socket.request('deactivate_chat', { id: chat_id })
    for (const socket of [a.socket, bot]) {
      const system = await socket.push<IncomingEvent>('incoming_event', (f) => f.payload.event.type === 'system_message')
      expect(system.request_id).toBeUndefined()
      expect(system.payload.event).toMatchObject({ system_message_type: 'manual_archived_customer' })
      const deactivated = await socket.push('chat_deactivated')
      expect(deactivated.payload).toEqual({ chat_id, thread_id, user_id: a.customerId })
      const order = socket.received.filter((f) => f.type === 'push').map((f) => f.action)
      expect(order.lastIndexOf('chat_deactivated')).toBeGreaterThan(order.lastIndexOf('incoming_event'))
    }

    a.socket.send({ request_id: 'resume', action: 'resume_chat', payload: { chat: { id: chat_id } } })
    const resumed = (await a.socket.response('resume')).payload as { thread_id: string }
    const chat = await a.socket.push<IncomingChat>('incoming_chat', (f) => f.request_id === 'resume')
    expect(chat.payload.chat.thread).toMatchObject({ id: resumed.thread_id, active: true, previous_thread_id: thread_id, events: [] })
    expect((await a.socket.request('resume_chat', { chat: { id: chat_id } })).payload).toMatchObject({ error: { type: 'chat_already_active' } })

    await bot.ok('deactivate_chat', { id: chat_id })
    const byAgent = await a.socket.push<IncomingEvent>('incoming_event', (f) => f.payload.event.system_message_type === 'manual_archived_agent')
    expect(byAgent.payload.thread_id).toBe(resumed.thread_id)
    expect((await a.socket.push('chat_deactivated', (f) => f.payload.thread_id === resumed.thread_id)).payload).toMatchObject({ user_id: BOT.id })
  })
})

describe('reading', () => {
  it('pages list_threads with page_id, newest first', async () => {
    const h = await startServer()
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    const threadIds: string[] = []
    for (let i = 0; i < 4; i++) {
      const chat = await a.socket.ok<WireChat>('get_chat', { chat_id })
      threadIds.push(chat.thread?.id ?? '')
      await a.socket.ok('send_event', { chat_id, event: { type: 'message', text: `m${i}` } })
      await a.socket.ok('deactivate_chat', { id: chat_id })
      if (i < 3) await a.socket.ok('resume_chat', { chat: { id: chat_id } })
    }
    type Threads = { threads: Array<{ id: string; events: unknown[] }>; found_threads: number; next_page_id?: string; previous_page_id?: string }
    const first = await a.socket.ok<Threads>('list_threads', { chat_id, limit: 3 })
    expect(first.found_threads).toBe(4)
    expect(first.threads.map((t) => t.id)).toEqual([...threadIds].reverse().slice(0, 3))
    expect(first.threads.every((t) => Array.isArray(t.events))).toBe(true)
    expect(first.previous_page_id).toBeUndefined()
    const second = await a.socket.ok<Threads>('list_threads', { chat_id, page_id: first.next_page_id })
    expect(second.threads.map((t) => t.id)).toEqual([threadIds[0]])
    expect(second.next_page_id).toBeUndefined()
    expect(second.previous_page_id).toBeTypeOf('string')
    const byEvents = await a.socket.ok<Threads>('list_threads', { chat_id, min_events_count: 3 })
    expect(byEvents.threads).toHaveLength(2) // two events (message + system message) per thread
    const bad = await a.socket.request('list_threads', { chat_id, page_id: 'garbage' })
    expect(bad.payload).toMatchObject({ error: { type: 'validation' } })
  })

  it('lists chats, reads the customer with statistics and marks events as seen', async () => {
    const h = await startServer()
    const bot = await h.agent(BOT.id)
    const a = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    const reply = await bot.ok<{ event_id: string }>('send_event', { chat_id, event: { type: 'message', text: 'Hi' } })
    const event = (await a.socket.push<IncomingEvent>('incoming_event', (f) => f.payload.event.id === reply.event_id)).payload.event

    const list = await a.socket.ok<{ chats_summary: Array<Record<string, unknown>>; total_chats: number }>('list_chats', {})
    expect(list.total_chats).toBe(1)
    expect(list.chats_summary[0]).toMatchObject({ id: chat_id, active: true, last_event_per_type: { message: { event: { id: reply.event_id } } } })

    const customer = await a.socket.ok('get_customer')
    expect(customer).toMatchObject({ id: a.customerId, type: 'customer', statistics: { chats_count: 1, threads_count: 1, visits_count: 1 } })

    const relog = await h.customer({ customerId: a.customerId })
    expect(relog.login).toMatchObject({ has_active_thread: true, chats: [{ chat_id, has_unread_events: true, has_active_thread: true }] })

    await a.socket.ok('mark_events_as_seen', { chat_id, seen_up_to: event.created_at })
    const seen = (await bot.push('events_marked_as_seen')) as PushFrame
    expect(seen.payload).toEqual({ user_id: a.customerId, chat_id, seen_up_to: event.created_at })
    const again = await h.customer({ customerId: a.customerId })
    expect(again.login).toMatchObject({ chats: [{ chat_id, has_unread_events: false }] })

    const agentList = await bot.ok<{ chats_summary: Array<Record<string, unknown>>; found_chats: number }>('list_chats', {})
    expect(agentList.found_chats).toBe(1)
    expect(agentList.chats_summary[0]).toMatchObject({ id: chat_id, last_thread_summary: { active: true } })
    expect(await bot.ok('get_customer', { id: a.customerId })).toMatchObject({ id: a.customerId, statistics: { chats_count: 1 } })
  })
})
