import { describe, expect, it } from 'vitest'
import { AGENT, BOT, startServer } from './helpers/harness'
import { errorOf, expectNoPush } from './helpers/flows'

type StatusPush = { groups: Array<{ id: number; status: string }> }

describe('list_group_statuses', () => {
  it('answers all groups or the named ones, leaving unknown ids out', async () => {
    const h = await startServer()
    await h.agent(AGENT.id)
    const { socket } = await h.customer()
    expect(await socket.ok('list_group_statuses', { all: true })).toEqual({ groups_status: { '0': 'online', '1': 'online' } })
    expect(await socket.ok('list_group_statuses', { group_ids: [1, 42] })).toEqual({ groups_status: { '1': 'online' } })
    expect(await errorOf(socket, 'list_group_statuses', {})).toBe('validation')
    expect(await errorOf(socket, 'list_group_statuses', { group_ids: ['x'] })).toBe('validation')
  })

  it('reports online_for_queue when every accepting agent is full', async () => {
    const h = await startServer({ maxChatsPerAgent: 1 })
    await h.agent(BOT.id)
    const a = await h.customer()
    await a.socket.ok('start_chat', {})
    const b = await h.customer()
    expect(await b.socket.ok('list_group_statuses', { group_ids: [0, 1] })).toEqual({ groups_status: { '0': 'online_for_queue', '1': 'offline' } })
  })
})

describe('availability pushes', () => {
  it('groups_status_updated reaches customers when an agent’s routing status flips a group; login reflects it', async () => {
    const h = await startServer()
    const { socket, login } = await h.customer()
    expect(login.__priv_dynamic_config).not.toHaveProperty('online_groups_ids')
    const agent = await h.agent(AGENT.id, { accepting: false, login: { away: true } })
    await expectNoPush(socket, 'groups_status_updated')

    await agent.ok('set_routing_status', { status: 'accepting_chats' })
    const online = await socket.push<StatusPush>('groups_status_updated')
    expect(online.payload.groups).toEqual([
      { id: 0, status: 'online' },
      { id: 1, status: 'online' },
    ])
    const later = await h.customer()
    expect(later.login.__priv_dynamic_config).toMatchObject({ online_groups_ids: [0, 1] })

    await agent.ok('set_routing_status', { status: 'not_accepting_chats' })
    expect((await socket.push<StatusPush>('groups_status_updated')).payload.groups).toEqual([
      { id: 0, status: 'offline' },
      { id: 1, status: 'offline' },
    ])
    await agent.ok('set_routing_status', { status: 'accepting_chats' })
    await socket.push('groups_status_updated')
    agent.close()
    expect((await socket.push<StatusPush>('groups_status_updated')).payload.groups.map((g) => g.status)).toEqual(['offline', 'offline'])
  })

  it('only changed groups are pushed', async () => {
    const h = await startServer()
    await h.agent(BOT.id)
    const { socket } = await h.customer()
    await h.agent(AGENT.id)
    expect((await socket.push<StatusPush>('groups_status_updated')).payload.groups).toEqual([{ id: 1, status: 'online' }])
  })
})

describe('queue', () => {
  it('queues chats when nobody can take them and pushes position updates as the queue moves', async () => {
    const h = await startServer()
    const first = await h.customer()
    const second = await h.customer()
    await first.socket.ok('start_chat', {})
    const firstChat = (await first.socket.push<{ chat: { id: string; thread: { queue: { position: number } } } }>('incoming_chat')).payload.chat
    await second.socket.ok('start_chat', {})
    const secondChat = (await second.socket.push<{ chat: { id: string; thread: { id: string; queue: { position: number; wait_time: number; queued_at: string } } } }>('incoming_chat')).payload.chat
    expect(firstChat.thread.queue.position).toBe(1)
    expect(secondChat.thread.queue).toMatchObject({ position: 2, wait_time: expect.any(Number), queued_at: expect.any(String) })

    const agent = await h.agent(BOT.id, { accepting: false })
    await first.socket.ok('deactivate_chat', { id: firstChat.id })
    const moved = await second.socket.push<{ chat_id: string; thread_id: string; queue: Record<string, unknown> }>('queue_position_updated')
    expect(moved.payload).toEqual({ chat_id: secondChat.id, thread_id: secondChat.thread.id, queue: { position: 1, wait_time: expect.any(Number) } })
    const forAgents = await agent.push<Array<{ chat_id: string; queue: { position: number } }>>('queue_positions_updated')
    expect(forAgents.payload).toEqual([{ chat_id: secondChat.id, thread_id: secondChat.thread.id, queue: { position: 1, wait_time: expect.any(Number) } }])
    await expectNoPush(first.socket, 'queue_position_updated')

    await agent.ok('set_routing_status', { status: 'accepting_chats' })
    expect((await second.socket.push('user_added_to_chat')).payload).toMatchObject({ chat_id: secondChat.id, reason: 'assigned', user: { id: BOT.id } })
  })
})

describe('groups for chats', () => {
  it('group_not_found for a chat naming an unknown group (start_chat, resume_chat)', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'start_chat', { chat: { access: { group_ids: [99] } } })).toBe('group_not_found')
    const lost = await h.customer({ login: { group_id: 7 } })
    expect(await errorOf(lost.socket, 'start_chat', {})).toBe('group_not_found')
    const { chat_id } = await socket.ok<{ chat_id: string }>('start_chat', { active: false })
    expect(await errorOf(socket, 'resume_chat', { chat: { id: chat_id, access: { group_ids: [99] } } })).toBe('group_not_found')
  })

  it('groups_offline when asynchronous chats are off, unless continuous; admin switch', async () => {
    const h = await startServer({ offlineChats: false })
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'start_chat', {})).toBe('groups_offline')
    const started = await socket.ok<{ chat_id: string }>('start_chat', { continuous: true })
    await socket.ok('deactivate_chat', { id: started.chat_id })
    expect(await errorOf(socket, 'resume_chat', { chat: { id: started.chat_id } })).toBe('groups_offline')
    await h.agent(BOT.id)
    expect(await socket.ok('resume_chat', { chat: { id: started.chat_id } })).toMatchObject({ thread_id: expect.any(String) })

    const other = await startServer()
    other.server.admin.setLimits({ offlineChats: false })
    const c = await other.customer()
    expect(await errorOf(c.socket, 'start_chat', {})).toBe('groups_offline')
    await other.adminFetch(`limits`, { offline_chats: true })
    expect(await c.socket.ok('start_chat', {})).toMatchObject({ chat_id: expect.any(String) })
  })
})

describe('get_form', () => {
  it('has a default prechat form for group 0, disabled others, and admin-configured forms', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    const prechat = await socket.ok<{ enabled: boolean; form: { id: string; fields: Array<{ type: string }> } }>('get_form', { group_id: 0, type: 'prechat' })
    expect(prechat.enabled).toBe(true)
    expect(prechat.form.id).toBeTypeOf('string')
    expect(prechat.form.fields.map((f) => f.type)).toEqual(expect.arrayContaining(['name', 'email', 'question']))
    expect(await socket.ok('get_form', { group_id: 0, type: 'postchat' })).toEqual({ enabled: false })

    h.server.admin.setForm(0, 'postchat', { id: 'post-1', fields: [{ id: 'r', type: 'rating', label: 'How was it?' }] })
    expect(await socket.ok('get_form', { group_id: 0, type: 'postchat' })).toEqual({
      enabled: true,
      form: { id: 'post-1', fields: [{ id: 'r', type: 'rating', label: 'How was it?' }] },
    })
    const response = await h.adminFetch(`groups/0/forms/prechat`, { form: null })
    expect(response.status).toBe(200)
    expect(await socket.ok('get_form', { group_id: 0, type: 'prechat' })).toEqual({ enabled: false })
    expect(await errorOf(socket, 'get_form', { group_id: 55, type: 'prechat' })).toBe('group_not_found')
    expect(await errorOf(socket, 'get_form', { group_id: 0, type: 'survey' })).toBe('validation')
  })

  it('takes forms from the groups option', async () => {
    const h = await startServer({ groups: [{ id: 2, forms: { ticket: { fields: [{ id: 'e', type: 'email' }] } } }] })
    const { socket } = await h.customer()
    expect(await socket.ok('get_form', { group_id: 2, type: 'ticket' })).toEqual({ enabled: true, form: { id: 'ticket_2', fields: [{ id: 'e', type: 'email' }] } })
  })
})

describe('predicted agent and welcome message', () => {
  it('get_predicted_agent names the agent routing would pick; errors per group state', async () => {
    const h = await startServer({ groups: [{ id: 1 }, { id: 2, routing: 'manual' }], agents: [BOT, { ...AGENT, groups: [1, 2] }] })
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'get_predicted_agent', {})).toBe('group_offline')
    await h.agent(AGENT.id)
    expect(await socket.ok('get_predicted_agent', { group_id: 1 })).toEqual({
      agent: { id: AGENT.id, name: AGENT.name, avatar: '', is_bot: false, job_title: 'Support Agent', type: 'agent' },
      queue: false,
    })
    expect(await errorOf(socket, 'get_predicted_agent', { group_id: 2 })).toBe('group_unavailable')
    expect(await errorOf(socket, 'get_predicted_agent', { group_id: 9 })).toBe('group_not_found')
  })

  it('request_welcome_message answers with the predicted agent and pushes incoming_welcome_message', async () => {
    const h = await startServer({ groups: [{ id: 0, welcomeMessage: 'Hi there!' }] })
    const bot = await h.agent(BOT.id)
    const { socket } = await h.customer()
    socket.send({ request_id: 'wm', action: 'request_welcome_message', payload: {} })
    const response = await socket.response('wm')
    const body = response.payload as { id: string; predicted_agent: Record<string, unknown>; queue: boolean }
    expect(body).toEqual({
      id: expect.any(String),
      predicted_agent: { id: BOT.id, name: BOT.name, avatar: '', is_bot: true, bot_type: 'chatbot', job_title: 'Bot', type: 'agent' },
      queue: false,
    })
    const push = await socket.push<{ id: string; event: Record<string, unknown> }>('incoming_welcome_message')
    expect(push.payload).toEqual({ id: body.id, event: { created_at: expect.any(String), type: 'message', text: 'Hi there!', author_id: BOT.id } })

    const again = await socket.ok<{ id: string }>('request_welcome_message', { id: body.id })
    expect(again.id).toBe(body.id)

    // Starting the chat with the welcome message puts it first in the thread.
    await socket.ok('start_chat', { welcome_message_id: body.id, chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } } })
    const chat = (await socket.push<{ chat: { thread: { events: Array<{ text: string; author_id: string }> } } }>('incoming_chat')).payload.chat
    expect(chat.thread.events.map((e) => [e.author_id, e.text])).toEqual([
      [BOT.id, 'Hi there!'],
      [expect.any(String), 'Hello'],
    ])
    await bot.sync()
    bot.close()
  })

  it('request_welcome_message fails for offline, manual and unknown groups', async () => {
    const h = await startServer({ groups: [{ id: 3, routing: 'manual' }], agents: [{ ...BOT, groups: [3] }] })
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'request_welcome_message', {})).toBe('group_offline')
    await h.agent(BOT.id)
    expect(await errorOf(socket, 'request_welcome_message', { group_id: 3 })).toBe('group_unavailable')
    expect(await errorOf(socket, 'request_welcome_message', { group_id: 4 })).toBe('group_not_found')
    expect(await errorOf(socket, 'request_welcome_message', { id: 5 })).toBe('validation')
  })
})
