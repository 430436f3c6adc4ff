import { describe, expect, test } from 'vitest'
import {
  AGENT_EVENT_NAMES,
  AGENT_EVENT_PUSHES,
  parseAgentLogin,
  parseAgentPush,
  parseAgentPushChecked,
  type AgentEventMap,
  type AgentEventPush,
  type ChatEvent,
  type ChatUser,
  type WireAgent,
  type WireAgentLoginResponse,
  type WireAgentPushMap,
  type WireCustomer,
  type WireMessageEvent,
} from '../index'

const T0 = '2024-05-01T10:00:00.000000Z'
const T1 = '2024-05-01T10:00:05.000000Z'
const CHAT = 'PJ0MRSHTDG'
const THREAD = 'K600PKZON8'
const CUSTOMER = 'b7eff798-f8df-4364-8059-649c35c9ed0c'
const BOT = 'bot@rapport.dev'
const AGENT = 'smith@example.com'

const wireCustomer: WireCustomer = {
  id: CUSTOMER,
  type: 'customer',
  name: 'Jane Doe',
  email: 'jane@example.com',
  present: true,
  events_seen_up_to: T0,
  session_fields: [{ plan: 'pro' }],
}
const customer: ChatUser = { id: CUSTOMER, type: 'customer', name: 'Jane Doe', email: 'jane@example.com', sessionFields: { plan: 'pro' }, present: true }

const wireBot: WireAgent = {
  id: BOT,
  type: 'agent',
  name: 'Helper Bot',
  email: BOT,
  avatar: 'https://cdn.example.com/bot.png',
  job_title: 'Bot',
  present: true,
  is_bot: true,
}
const bot: ChatUser = { id: BOT, type: 'agent', name: 'Helper Bot', avatar: 'https://cdn.example.com/bot.png', jobTitle: 'Bot', present: true }

const wireMessage: WireMessageEvent = {
  id: `${THREAD}_1`,
  created_at: T0,
  visibility: 'all',
  type: 'message',
  text: 'Where is my order?',
  author_id: CUSTOMER,
}
const message: ChatEvent = {
  id: `${THREAD}_1`,
  authorId: CUSTOMER,
  createdAt: T0,
  threadId: THREAD,
  properties: {},
  type: 'message',
  text: 'Where is my order?',
}

/** One realistic payload per agent push (agent-rtm §5), what it parses to, and the fields it cannot do without. */
type Fixtures = {
  [K in AgentEventPush]: { wire: WireAgentPushMap[K]; parsed: AgentEventMap[K]; required: string[] }
}

const fixtures: Fixtures = {
  incoming_chat: {
    wire: {
      chat: {
        id: CHAT,
        users: [wireCustomer, wireBot],
        properties: { routing: { idle: false } },
        access: { group_ids: [0] },
        thread: {
          id: THREAD,
          active: true,
          user_ids: [CUSTOMER, BOT],
          events: [wireMessage],
          properties: {},
          access: { group_ids: [0] },
          created_at: T0,
        },
      },
      requester_id: CUSTOMER,
      transferred_from: { group_ids: [1], agent_ids: [AGENT] },
    },
    parsed: {
      chat: {
        id: CHAT,
        access: { groupIds: [0] },
        users: [customer, bot],
        properties: { routing: { idle: false } },
        eventsSeenUpToMap: { [CUSTOMER]: T0, [BOT]: null },
        thread: {
          id: THREAD,
          chatId: CHAT,
          active: true,
          access: { groupIds: [0] },
          createdAt: T0,
          userIds: [CUSTOMER, BOT],
          events: [message],
          properties: {},
          previousThreadId: null,
          nextThreadId: null,
          queue: null,
        },
      },
      requesterId: CUSTOMER,
      transferredFrom: { groupIds: [1], agentIds: [AGENT] },
    },
    required: ['chat'],
  },
  chat_deactivated: {
    wire: { chat_id: CHAT, thread_id: THREAD, user_id: BOT },
    parsed: { chatId: CHAT, threadId: THREAD, userId: BOT },
    required: ['chat_id', 'thread_id'],
  },
  chat_transferred: {
    wire: {
      chat_id: CHAT,
      thread_id: THREAD,
      requester_id: AGENT,
      reason: 'manual',
      transferred_to: { group_ids: [19] },
      queue: { position: 42, wait_time: 1337, queued_at: T0 },
    },
    parsed: {
      chatId: CHAT,
      threadId: THREAD,
      transferredTo: { groupIds: [19] },
      queue: { position: 42, waitTime: 1337, queuedAt: T0 },
      reason: 'manual',
      requesterId: AGENT,
    },
    required: ['chat_id', 'reason'],
  },
  chat_access_updated: {
    wire: { id: CHAT, access: { group_ids: [0, 1] } },
    parsed: { chatId: CHAT, access: { groupIds: [0, 1] } },
    required: ['id', 'access'],
  },
  user_added_to_chat: {
    wire: { chat_id: CHAT, thread_id: THREAD, user: { ...wireBot, present: false }, reason: 'manual', requester_id: AGENT },
    parsed: { chatId: CHAT, threadId: THREAD, user: { ...bot, present: false }, present: false, reason: 'manual', requesterId: AGENT },
    required: ['chat_id', 'user', 'reason'],
  },
  user_removed_from_chat: {
    wire: { chat_id: CHAT, thread_id: THREAD, user_id: BOT, reason: 'manual', requester_id: AGENT },
    parsed: { chatId: CHAT, threadId: THREAD, userId: BOT, reason: 'manual', requesterId: AGENT },
    required: ['chat_id', 'user_id', 'reason'],
  },
  incoming_event: {
    wire: {
      chat_id: CHAT,
      thread_id: THREAD,
      event: { id: `${THREAD}_2`, created_at: T1, visibility: 'agents', type: 'message', text: 'VIP customer, be nice', author_id: AGENT },
    },
    parsed: {
      chatId: CHAT,
      event: { id: `${THREAD}_2`, authorId: AGENT, createdAt: T1, threadId: THREAD, properties: {}, type: 'message', text: 'VIP customer, be nice' },
      visibility: 'agents',
    },
    required: ['chat_id', 'thread_id', 'event'],
  },
  event_deleted: {
    wire: { chat_id: CHAT, thread_id: THREAD, event_id: `${THREAD}_1` },
    parsed: { chatId: CHAT, threadId: THREAD, eventId: `${THREAD}_1` },
    required: ['chat_id', 'thread_id', 'event_id'],
  },
  event_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, event: { ...wireMessage, text: 'Where is my order #1234?' } },
    parsed: { chatId: CHAT, threadId: THREAD, event: { ...message, text: 'Where is my order #1234?' } },
    required: ['chat_id', 'thread_id', 'event'],
  },
  incoming_rich_message_postback: {
    wire: {
      user_id: CUSTOMER,
      chat_id: CHAT,
      thread_id: THREAD,
      event_id: 'a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f7',
      postback: { id: 'Method URL_yes', toggled: true, button_type: 'message', button_value: 'yes' },
    },
    parsed: {
      userId: CUSTOMER,
      chatId: CHAT,
      threadId: THREAD,
      eventId: 'a0c22fdd-fb71-40b5-bfc6-a8a0bc3117f7',
      postback: { id: 'Method URL_yes', toggled: true, button_type: 'message', button_value: 'yes' },
    },
    required: ['user_id', 'chat_id', 'thread_id', 'event_id', 'postback'],
  },
  chat_properties_updated: {
    wire: { chat_id: CHAT, properties: { rating: { score: 1, comment: 'Very good!' } } },
    parsed: { chatId: CHAT, properties: { rating: { score: 1, comment: 'Very good!' } } },
    required: ['chat_id', 'properties'],
  },
  chat_properties_deleted: {
    wire: { chat_id: CHAT, properties: { rating: ['score', 'comment'] } },
    parsed: { chatId: CHAT, properties: { rating: ['score', 'comment'] } },
    required: ['chat_id', 'properties'],
  },
  thread_properties_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, properties: { rating: { score: 0 } } },
    parsed: { chatId: CHAT, threadId: THREAD, properties: { rating: { score: 0 } } },
    required: ['chat_id', 'thread_id', 'properties'],
  },
  thread_properties_deleted: {
    wire: { chat_id: CHAT, thread_id: THREAD, properties: { rating: ['score'] } },
    parsed: { chatId: CHAT, threadId: THREAD, properties: { rating: ['score'] } },
    required: ['chat_id', 'thread_id', 'properties'],
  },
  event_properties_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, event_id: `${THREAD}_1`, properties: { rating: { comment: 'Helpful' } } },
    parsed: { chatId: CHAT, threadId: THREAD, eventId: `${THREAD}_1`, properties: { rating: { comment: 'Helpful' } } },
    required: ['chat_id', 'thread_id', 'event_id', 'properties'],
  },
  event_properties_deleted: {
    wire: { chat_id: CHAT, thread_id: THREAD, event_id: `${THREAD}_1`, properties: { rating: ['comment'] } },
    parsed: { chatId: CHAT, threadId: THREAD, eventId: `${THREAD}_1`, properties: { rating: ['comment'] } },
    required: ['chat_id', 'thread_id', 'event_id', 'properties'],
  },
  customer_updated: {
    wire: { id: CUSTOMER, name: 'Jane Roe', email: 'jane.roe@example.com', session_fields: [{ plan: 'pro' }, { source: 'ads' }] },
    parsed: {
      id: CUSTOMER,
      name: 'Jane Roe',
      email: 'jane.roe@example.com',
      sessionFields: { plan: 'pro', source: 'ads' },
      fields: { plan: 'pro', source: 'ads' },
    },
    required: ['id'],
  },
  incoming_sneak_peek: {
    wire: { chat_id: CHAT, thread_id: THREAD, sneak_peek: { author_id: CUSTOMER, text: 'where is my ord', timestamp: 1714557600 } },
    parsed: { chatId: CHAT, threadId: THREAD, sneakPeek: { authorId: CUSTOMER, text: 'where is my ord', timestamp: 1714557600 } },
    required: ['chat_id', 'thread_id', 'sneak_peek'],
  },
  incoming_typing_indicator: {
    wire: { chat_id: CHAT, thread_id: THREAD, typing_indicator: { author_id: AGENT, visibility: 'agents', timestamp: 1714557600, is_typing: true } },
    parsed: { chatId: CHAT, threadId: THREAD, typingIndicator: { authorId: AGENT, isTyping: true, visibility: 'agents', timestamp: 1714557600 } },
    required: ['chat_id', 'thread_id', 'typing_indicator'],
  },
  incoming_thinking_indicator: {
    wire: {
      chat_id: CHAT,
      thread_id: THREAD,
      author_id: BOT,
      sent_at: T1,
      title: 'Thinking…',
      description: 'Looking up your order',
      custom_id: 'think-1',
    },
    parsed: {
      chatId: CHAT,
      threadId: THREAD,
      authorId: BOT,
      sentAt: T1,
      customId: 'think-1',
      title: 'Thinking…',
      description: 'Looking up your order',
    },
    required: ['chat_id', 'thread_id', 'author_id', 'sent_at'],
  },
  events_marked_as_seen: {
    wire: { user_id: CUSTOMER, chat_id: CHAT, seen_up_to: T1 },
    parsed: { chatId: CHAT, userId: CUSTOMER, seenUpTo: T1 },
    required: ['user_id', 'chat_id', 'seen_up_to'],
  },
  routing_status_set: {
    wire: { agent_id: BOT, status: 'accepting_chats' },
    parsed: { agentId: BOT, status: 'accepting_chats' },
    required: ['agent_id', 'status'],
  },
  queue_positions_updated: {
    wire: [
      { chat_id: CHAT, thread_id: THREAD, queue: { position: 1, wait_time: 30 } },
      { chat_id: 'PWJ8Y4THAV', thread_id: 'RZ1MVBGXTS', queue: { position: 2, wait_time: 60 } },
    ],
    parsed: {
      positions: [
        { chatId: CHAT, threadId: THREAD, queue: { position: 1, waitTime: 30 } },
        { chatId: 'PWJ8Y4THAV', threadId: 'RZ1MVBGXTS', queue: { position: 2, waitTime: 60 } },
      ],
    },
    required: [],
  },
  incoming_multicast: {
    wire: { author_id: AGENT, content: { example: { nested: 'json' } }, type: 'lc2' },
    parsed: { authorId: AGENT, content: { example: { nested: 'json' } }, type: 'lc2' },
    required: [],
  },
}

/** A push that is malformed is dropped: no event, and the checked parse says why (neither ever throws). */
const yieldsNoEvent = (action: string, payload: unknown): boolean =>
  parseAgentPush(action, payload).length === 0 && !parseAgentPushChecked(action, payload).ok

const without = (payload: object, field: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(payload).filter(([key]) => key !== field))

describe('every agent push parses to its event (agent-rtm §5)', () => {
  test('the fixtures cover the pushes that become events, and the event names add the connection events', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...AGENT_EVENT_PUSHES].sort())
    expect([...AGENT_EVENT_NAMES].sort()).toEqual(
      [...AGENT_EVENT_PUSHES, 'connected', 'disconnected', 'connection_unstable', 'connection_recovered'].sort(),
    )
  })

  test.each(AGENT_EVENT_PUSHES)('%s', (push) => {
    const { wire, parsed } = fixtures[push]
    expect(parseAgentPush(push, wire)).toEqual([{ type: push, payload: parsed }])
  })
})

describe('details the agent side adds or keeps', () => {
  test('incoming_event: visibility defaults to all; customer-style recipients is read too', () => {
    const { visibility: _visibility, ...event } = wireMessage
    const [plain] = parseAgentPush('incoming_event', { chat_id: CHAT, thread_id: THREAD, event })
    expect(plain).toEqual({ type: 'incoming_event', payload: { chatId: CHAT, event: message, visibility: 'all' } })
    const [recipients] = parseAgentPush('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: { ...event, recipients: 'agents' } })
    expect(recipients?.type === 'incoming_event' && recipients.payload.visibility).toBe('agents')
  })

  test('incoming_event with an event type the SDK does not expose (3.6 system) yields nothing', () => {
    const system = { id: `${THREAD}_3`, created_at: T1, type: 'system', source: 'ai', subtype: 'summary', version: '1', details: '{}' }
    expect(parseAgentPush('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: system })).toEqual([])
  })

  test('incoming_chat emits no user_data events (those are the customer client’s)', () => {
    expect(parseAgentPush('incoming_chat', fixtures.incoming_chat.wire).map((e) => e.type)).toEqual(['incoming_chat'])
  })

  test('thread_properties_updated carrying lc2.queue_pos is just a property update for agents', () => {
    const wire = { chat_id: CHAT, thread_id: THREAD, properties: { lc2: { queue_pos: 3, queue_waiting_time: 90 } } }
    expect(parseAgentPush('thread_properties_updated', wire)).toEqual([
      { type: 'thread_properties_updated', payload: { chatId: CHAT, threadId: THREAD, properties: wire.properties } },
    ])
  })

  test('optional fields stay absent: a router-closed chat, a server multicast, an unassigned transfer', () => {
    expect(parseAgentPush('chat_deactivated', { chat_id: CHAT, thread_id: THREAD })).toEqual([
      { type: 'chat_deactivated', payload: { chatId: CHAT, threadId: THREAD } },
    ])
    expect(parseAgentPush('incoming_multicast', { content: 'maintenance at 22:00' })).toEqual([
      { type: 'incoming_multicast', payload: { content: 'maintenance at 22:00' } },
    ])
    expect(parseAgentPush('chat_transferred', { chat_id: CHAT, reason: 'unassigned', requester_id: AGENT, transferred_to: {} })).toEqual([
      { type: 'chat_transferred', payload: { chatId: CHAT, transferredTo: {}, queue: null, reason: 'unassigned' } },
    ])
  })

  test('agent_disconnected and unknown pushes yield no event', () => {
    expect(parseAgentPush('agent_disconnected', { reason: 'connection_timeout' })).toEqual([])
    expect(parseAgentPush('thread_tagged', { chat_id: CHAT, thread_id: THREAD, tag: 'sales' })).toEqual([])
    expect(parseAgentPush('toString', {})).toEqual([])
    expect(parseAgentPush('__proto__', {})).toEqual([])
  })
})

describe('malformed agent pushes yield no event', () => {
  test.each(AGENT_EVENT_PUSHES)('%s: not an object', (push) => {
    for (const payload of [null, undefined, 'incoming', 42, true]) expect(yieldsNoEvent(push, payload)).toBe(true)
  })

  const missing = AGENT_EVENT_PUSHES.flatMap((push) => fixtures[push].required.map((field) => [push, field] as const))
  test.each(missing)('%s without %s', (push, field) => {
    expect(yieldsNoEvent(push, without(fixtures[push].wire, field))).toBe(true)
  })

  test.each([
    ['chat_deactivated', { chat_id: 42, thread_id: THREAD }],
    ['incoming_chat', { chat: { id: CHAT, users: 'Jane' } }],
    ['incoming_chat', { chat: { id: CHAT, users: [null] } }],
    ['incoming_event', { chat_id: CHAT, thread_id: THREAD, event: { type: 'message', text: 'no id' } }],
    ['user_added_to_chat', { chat_id: CHAT, reason: 'manual', user: { id: BOT, type: 'bot' } }],
    ['incoming_typing_indicator', { chat_id: CHAT, thread_id: THREAD, typing_indicator: { author_id: AGENT, is_typing: 'yes' } }],
    ['incoming_sneak_peek', { chat_id: CHAT, thread_id: THREAD, sneak_peek: { author_id: CUSTOMER } }],
    ['incoming_rich_message_postback', { ...fixtures.incoming_rich_message_postback.wire, postback: { id: 'x' } }],
    ['routing_status_set', { agent_id: BOT, status: 'busy' }],
    ['chat_access_updated', { id: CHAT, access: 'all' }],
    ['queue_positions_updated', { chat_id: CHAT, thread_id: THREAD, queue: { position: 1, wait_time: 30 } }],
    ['queue_positions_updated', [{ chat_id: CHAT, thread_id: THREAD }]],
    ['queue_positions_updated', [{ chat_id: CHAT, thread_id: THREAD, queue: { position: '1', wait_time: 30 } }]],
  ] as const)('%s: %j', (push, payload) => {
    expect(yieldsNoEvent(push, payload)).toBe(true)
  })
})

describe('parseAgentLogin (agent-rtm §2)', () => {
  const response: WireAgentLoginResponse = {
    license: {
      id: '104130623',
      organization_id: '390e44e6-f1e6-0368c-z6ddb-74g14508c2ex',
      plan: 'enterprise',
      expiration_timestamp: 1483433500,
      creation_timestamp: 1482433500,
      in_trial: true,
    },
    my_profile: {
      id: AGENT,
      type: 'agent',
      name: 'Agent Smith',
      email: AGENT,
      present: true,
      events_seen_up_to: T0,
      avatar: 'https://cdn.example.com/smith.png',
      routing_status: 'accepting_chats',
      permission: 'administrator',
    },
    chats_summary: [
      {
        id: CHAT,
        users: [wireCustomer, wireBot],
        last_event_per_type: { message: { thread_id: THREAD, thread_created_at: T0, event: wireMessage } },
        last_thread_summary: {
          id: THREAD,
          created_at: T0,
          user_ids: [CUSTOMER, BOT],
          properties: { routing: { idle: false } },
          active: true,
          access: { group_ids: [0] },
          queue: { position: 1, wait_time: 30, queued_at: T0 },
        },
        properties: {},
        access: { group_ids: [0] },
        is_followed: true,
      },
    ],
  }

  test('my_profile, license and the chat summaries, camelCased', () => {
    expect(parseAgentLogin(response)).toEqual({
      myProfile: {
        id: AGENT,
        type: 'agent',
        name: 'Agent Smith',
        email: AGENT,
        avatar: 'https://cdn.example.com/smith.png',
        jobTitle: '',
        routingStatus: 'accepting_chats',
        permission: 'administrator',
        isBot: false,
      },
      license: {
        id: '104130623',
        organizationId: '390e44e6-f1e6-0368c-z6ddb-74g14508c2ex',
        plan: 'enterprise',
        expirationTimestamp: 1483433500,
        creationTimestamp: 1482433500,
        inTrial: true,
      },
      chats: [
        {
          id: CHAT,
          active: true,
          access: { groupIds: [0] },
          properties: {},
          users: [customer, bot],
          lastThreadId: THREAD,
          lastThreadCreatedAt: T0,
          eventsSeenUpToMap: { [CUSTOMER]: T0, [BOT]: null },
          lastEventsPerType: { message },
          lastEvent: message,
          lastThreadSummary: {
            id: THREAD,
            createdAt: T0,
            userIds: [CUSTOMER, BOT],
            properties: { routing: { idle: false } },
            active: true,
            access: { groupIds: [0] },
            queue: { position: 1, waitTime: 30, queuedAt: T0 },
          },
          isFollowed: true,
        },
      ],
    })
  })

  test('a bot profile; a chat without threads', () => {
    const connected = parseAgentLogin({
      ...response,
      my_profile: { id: BOT, type: 'agent', name: 'Helper Bot', job_title: 'Bot', is_bot: true },
      chats_summary: [{ id: CHAT, users: [wireCustomer] }],
    })
    expect(connected.myProfile).toEqual({ id: BOT, type: 'agent', name: 'Helper Bot', avatar: '', jobTitle: 'Bot', isBot: true })
    expect(connected.chats[0]).toMatchObject({ id: CHAT, active: false, lastThreadId: null, lastThreadSummary: null, isFollowed: false })
  })
})
