import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { pushPayloadArbs } from '@rapport/testing'
import {
  AGENT_EVENT_PUSHES,
  AGENT_PUSH_SHAPES,
  CUSTOMER_EVENT_PUSHES,
  CUSTOMER_PUSHES,
  CUSTOMER_PUSH_SHAPES,
  parseAgentPush,
  parseAgentPushChecked,
  parsePush,
  parsePushChecked,
  type AgentEvent,
  type CustomerEvent,
  type CustomerEventName,
  type CustomerEventPush,
  type PushCheck,
  type WireAgent,
  type WireCustomer,
  type WireCustomerPushMap,
  type WireMessageEvent,
} from '../index'
import { misfit, requiredPaths } from '../shape'

const T0 = '2024-05-01T10:00:00.000000Z'
const T1 = '2024-05-01T10:00:05.000000Z'
const CHAT = 'PJ0MRSHTDG'
const THREAD = 'K600PKZON8'
const CUSTOMER = 'b7eff798-f8df-4364-8059-649c35c9ed0c'
const BOT = 'bot@rapport.dev'

const wireCustomer: WireCustomer = {
  id: CUSTOMER,
  type: 'customer',
  name: 'Jane Doe',
  email: 'jane@example.com',
  present: true,
  events_seen_up_to: T0,
  session_fields: [{ plan: 'pro' }],
}
const wireBot: WireAgent = { id: BOT, type: 'agent', name: 'Helper Bot', avatar: 'https://cdn.example.com/bot.png', job_title: 'Bot', present: true }
const wireMessage: WireMessageEvent = {
  id: `${THREAD}_1`,
  custom_id: 'c-1',
  created_at: T0,
  recipients: 'all',
  type: 'message',
  text: 'Where is my order?',
  author_id: CUSTOMER,
  properties: { rapport: { pinned: true } },
}

/** One payload per customer push, with every optional part the rules look into present, and the events it becomes. */
type Fixtures = { [K in CustomerEventPush]: { wire: WireCustomerPushMap[K]; events: CustomerEventName[] } }

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
          properties: { rating: { score: 1 } },
          access: { group_ids: [0] },
          queue: { position: 1, wait_time: 30, queued_at: T0 },
          created_at: T0,
        },
      },
    },
    events: ['user_data', 'user_data', 'incoming_chat'],
  },
  chat_deactivated: { wire: { chat_id: CHAT, thread_id: THREAD, user_id: BOT }, events: ['chat_deactivated'] },
  chat_transferred: {
    wire: {
      chat_id: CHAT,
      thread_id: THREAD,
      requester_id: BOT,
      reason: 'manual',
      transferred_to: { group_ids: [19], agent_ids: [BOT] },
      queue: { position: 42, wait_time: 1337, queued_at: T0 },
    },
    events: ['chat_transferred'],
  },
  user_added_to_chat: {
    wire: { chat_id: CHAT, thread_id: THREAD, user: wireBot, reason: 'manual' },
    events: ['user_data', 'user_added_to_chat'],
  },
  user_removed_from_chat: {
    wire: { chat_id: CHAT, thread_id: THREAD, user_id: BOT, reason: 'manual' },
    events: ['user_removed_from_chat'],
  },
  incoming_event_preview: {
    wire: { chat_id: CHAT, thread_id: THREAD, event: { created_at: T1, type: 'message', text: 'Your order shi', author_id: BOT } },
    events: ['incoming_event_preview'],
  },
  incoming_event: { wire: { chat_id: CHAT, thread_id: THREAD, event: wireMessage }, events: ['incoming_event'] },
  event_deleted: { wire: { chat_id: CHAT, thread_id: THREAD, event_id: wireMessage.id }, events: ['event_deleted'] },
  event_updated: { wire: { chat_id: CHAT, thread_id: THREAD, event: { ...wireMessage, text: 'edited' } }, events: ['event_updated'] },
  incoming_rich_message_postback: {
    wire: { user_id: CUSTOMER, chat_id: CHAT, thread_id: THREAD, event_id: wireMessage.id, postback: { id: 'yes', toggled: true } },
    events: ['incoming_rich_message_postback'],
  },
  chat_properties_updated: { wire: { chat_id: CHAT, properties: { routing: { idle: true } } }, events: ['chat_properties_updated'] },
  chat_properties_deleted: { wire: { chat_id: CHAT, properties: { routing: ['idle'] } }, events: ['chat_properties_deleted'] },
  thread_properties_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, properties: { rating: { score: 1 } } },
    events: ['thread_properties_updated'],
  },
  thread_properties_deleted: {
    wire: { chat_id: CHAT, thread_id: THREAD, properties: { rating: ['score'] } },
    events: ['thread_properties_deleted'],
  },
  event_properties_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, event_id: wireMessage.id, properties: { rapport: { pinned: false } } },
    events: ['event_properties_updated'],
  },
  event_properties_deleted: {
    wire: { chat_id: CHAT, thread_id: THREAD, event_id: wireMessage.id, properties: { rapport: ['pinned'] } },
    events: ['event_properties_deleted'],
  },
  customer_updated: {
    wire: { id: CUSTOMER, name: 'Jane', email: 'jane@example.com', avatar: 'https://cdn.example.com/jane.png', session_fields: [{ plan: 'max' }] },
    events: ['customer_updated'],
  },
  groups_status_updated: { wire: { groups: [{ id: 0, status: 'offline' }] }, events: ['availability_updated'] },
  incoming_thinking_indicator: {
    wire: { chat_id: CHAT, thread_id: THREAD, author_id: BOT, sent_at: T1, title: 'Looking it up', custom_id: 'think-1' },
    events: ['incoming_thinking_indicator'],
  },
  incoming_typing_indicator: {
    wire: { chat_id: CHAT, thread_id: THREAD, typing_indicator: { author_id: BOT, recipients: 'all', timestamp: 1714557600, is_typing: true } },
    events: ['incoming_typing_indicator'],
  },
  incoming_multicast: { wire: { author_id: BOT, content: { hello: 'world' }, type: 'lc2' }, events: ['incoming_multicast'] },
  events_marked_as_seen: { wire: { user_id: CUSTOMER, chat_id: CHAT, seen_up_to: T1 }, events: ['events_marked_as_seen'] },
  incoming_greeting: {
    wire: {
      id: 7,
      unique_id: 'e6ae4c0c1b1d4b5bae7bd2e02a8b71c2',
      displayed_first_time: true,
      accepted: false,
      addon: null,
      subtype: 'announcement',
      is_exit_intent: false,
      event: { ...wireMessage, author_id: BOT },
      agent: { id: BOT, name: 'Helper Bot', avatar: '', job_title: 'Bot', is_bot: true },
    },
    events: ['incoming_greeting'],
  },
  greeting_accepted: { wire: { unique_id: 'e6ae4c0c1b1d4b5bae7bd2e02a8b71c2' }, events: ['greeting_accepted'] },
  greeting_canceled: { wire: { unique_id: 'e6ae4c0c1b1d4b5bae7bd2e02a8b71c2' }, events: ['greeting_canceled'] },
  incoming_welcome_message: {
    wire: { id: 'wm-1', event: { created_at: T0, type: 'message', text: 'Hi! How can we help?', author_id: BOT } },
    events: ['incoming_welcome_message'],
  },
  queue_position_updated: {
    wire: { chat_id: CHAT, thread_id: THREAD, queue: { position: 2, wait_time: 60 } },
    events: ['queue_position_updated'],
  },
}

// ---------------------------------------------------------------- helpers

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

/** `chat.users[0].id` → `['chat', 'users', 0, 'id']`; a list payload's paths start with `[i]`. */
const segments = (path: string): Array<string | number> =>
  path.split('.').flatMap((part) => {
    const [, name = '', indexes = ''] = /^([^[]*)((?:\[\d+\])*)$/.exec(part) ?? []
    return [...(name === '' ? [] : [name]), ...[...indexes.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))]
  })

/** A copy of `value` with the field at `path` removed (`replace` absent) or replaced. */
const edit = (value: unknown, path: string, replace?: { with: unknown }): unknown => {
  const root = copy(value)
  const keys = segments(path)
  let parent = root as Record<string | number, unknown>
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = keys[keys.length - 1] as string | number
  if (replace) parent[last] = replace.with
  else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1, undefined)
  else delete parent[last]
  return root
}

/** Every path to a value inside `value`, objects and arrays included. */
const allPaths = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => [`${path}[${i}]`, ...allPaths(v, `${path}[${i}]`)])
  if (typeof value === 'object' && value !== null)
    return Object.keys(value).flatMap((key) => {
      const here = path === '' ? key : `${path}.${key}`
      return [here, ...allPaths((value as Record<string, unknown>)[key], here)]
    })
  return []
}

/** The chat ids an event names: `chatId` of its payload, `chat.id` of `incoming_chat`. */
const chatIdsOf = (event: CustomerEvent | AgentEvent): unknown[] => {
  const payload = event.payload as unknown
  if (typeof payload !== 'object' || payload === null) return []
  const ids: unknown[] = []
  if ('chatId' in payload) ids.push(payload.chatId)
  if ('chat' in payload && typeof payload.chat === 'object' && payload.chat !== null && 'id' in payload.chat) ids.push(payload.chat.id)
  if ('positions' in payload && Array.isArray(payload.positions)) for (const p of payload.positions as Array<{ chatId: unknown }>) ids.push(p.chatId)
  return ids
}

const isNonEmptyString = (value: unknown): boolean => typeof value === 'string' && value !== ''

/** What every checked result must be: events with real chat ids, or a reason naming the push. */
const wellFormed = (action: string, result: PushCheck<CustomerEvent | AgentEvent>): boolean =>
  result.ok
    ? Array.isArray(result.events) && result.events.flatMap(chatIdsOf).every(isNonEmptyString)
    : result.reason.startsWith(`${action}: `) && result.reason.length > action.length + 2

const dropped = (result: PushCheck<unknown>): string => (result.ok ? 'kept' : result.reason)

const missing = CUSTOMER_EVENT_PUSHES.flatMap((push) =>
  requiredPaths(fixtures[push].wire, CUSTOMER_PUSH_SHAPES[push]).map((path) => [push, path] as const),
)

// ---------------------------------------------------------------- valid pushes

describe('every customer push: a valid payload parses', () => {
  test('the fixtures cover every push that becomes events, and those are CUSTOMER_PUSHES but the connection’s two', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...CUSTOMER_EVENT_PUSHES].sort())
    expect(CUSTOMER_PUSHES.filter((push) => !(CUSTOMER_EVENT_PUSHES as readonly string[]).includes(push)).sort()).toEqual([
      'customer_disconnected',
      'customer_side_storage_updated',
    ])
  })

  test.each(CUSTOMER_EVENT_PUSHES)('%s', (push) => {
    const { wire, events } = fixtures[push]
    expect(misfit(wire, CUSTOMER_PUSH_SHAPES[push])).toBeNull()
    const result = parsePushChecked(push, wire)
    expect(result).toEqual({ ok: true, events: expect.any(Array) })
    const parsed = result.ok ? result.events : []
    expect(parsed.map((e) => e.type)).toEqual(events)
    expect(parsed.flatMap(chatIdsOf).every((id) => id === CHAT)).toBe(true)
    expect(parsePush(push, wire)).toEqual(parsed)
  })

  test('what a few of them carry', () => {
    expect(parsePush('incoming_typing_indicator', fixtures.incoming_typing_indicator.wire)).toEqual([
      { type: 'incoming_typing_indicator', payload: { chatId: CHAT, typingIndicator: { authorId: BOT, isTyping: true } } },
    ])
    expect(parsePush('incoming_welcome_message', fixtures.incoming_welcome_message.wire)).toEqual([
      {
        type: 'incoming_welcome_message',
        payload: { id: 'wm-1', event: { id: '', authorId: BOT, createdAt: T0, threadId: null, properties: {}, type: 'message', text: 'Hi! How can we help?' } },
      },
    ])
    expect(parsePush('incoming_multicast', fixtures.incoming_multicast.wire)).toEqual([
      { type: 'incoming_multicast', payload: { author_id: BOT, content: { hello: 'world' }, type: 'lc2' } },
    ])
    expect(parsePush('queue_position_updated', fixtures.queue_position_updated.wire)).toEqual([
      { type: 'queue_position_updated', payload: { chatId: CHAT, threadId: THREAD, queue: { position: 2, waitTime: 60 } } },
    ])
  })

  test('the legacy lc2.queue_pos thread property becomes a queue update first', () => {
    const wire = { chat_id: CHAT, thread_id: THREAD, properties: { lc2: { queue_pos: 3, queue_waiting_time: 90 } } }
    expect(parsePush('thread_properties_updated', wire).map((e) => e.type)).toEqual(['queue_position_updated', 'thread_properties_updated'])
    const odd = { chat_id: CHAT, thread_id: THREAD, properties: { lc2: { queue_pos: '3' } } }
    expect(parsePush('thread_properties_updated', odd).map((e) => e.type)).toEqual(['thread_properties_updated'])
  })

  test('optional parts may be absent: a chat without thread, a bare transfer, a server multicast', () => {
    expect(parsePushChecked('incoming_chat', { chat: { id: CHAT, users: [] } })).toMatchObject({ ok: true })
    expect(parsePushChecked('chat_transferred', { chat_id: CHAT, reason: 'other', transferred_to: {} })).toMatchObject({ ok: true })
    expect(parsePushChecked('incoming_multicast', { content: 1 })).toEqual({ ok: true, events: [{ type: 'incoming_multicast', payload: { content: 1 } }] })
  })

  test.each(Object.keys(pushPayloadArbs).filter((name) => name !== 'customer_disconnected'))('%s: every payload of the testing arbitraries fits', (name) => {
    const arb = pushPayloadArbs[name as keyof typeof pushPayloadArbs] as fc.Arbitrary<unknown>
    fc.assert(
      fc.property(arb, (payload) => {
        expect(dropped(parsePushChecked(name, copy(payload)))).toBe('kept')
      }),
      { numRuns: 50 },
    )
  })
})

// ---------------------------------------------------------------- invalid pushes

describe('a customer push that does not fit yields no event and says which field', () => {
  test('there are required fields to drop for every push but the multicast', () => {
    const covered = new Set(missing.map(([push]) => push))
    expect(CUSTOMER_EVENT_PUSHES.filter((push) => !covered.has(push))).toEqual(['incoming_multicast'])
  })

  test.each(missing)('%s without %s', (push, path) => {
    const payload = edit(fixtures[push].wire, path)
    expect(parsePushChecked(push, payload)).toEqual({ ok: false, reason: `${push}: ${path}` })
    expect(parsePush(push, payload)).toEqual([])
  })

  test.each(missing)('%s with %s null', (push, path) => {
    const payload = edit(fixtures[push].wire, path, { with: null })
    expect(parsePushChecked(push, payload)).toEqual({ ok: false, reason: `${push}: ${path}` })
  })

  test.each(CUSTOMER_EVENT_PUSHES)('%s: a payload that is not an object', (push) => {
    for (const payload of [null, undefined, 'incoming', 42, true, []])
      expect(parsePushChecked(push, payload)).toEqual({ ok: false, reason: `${push}: payload` })
  })

  test('chat_id missing: no chatId "undefined"', () => {
    for (const push of CUSTOMER_EVENT_PUSHES.filter((p) => 'chat_id' in fixtures[p].wire)) {
      const payload = edit(fixtures[push].wire, 'chat_id')
      expect(parsePushChecked(push, payload)).toEqual({ ok: false, reason: `${push}: chat_id` })
      expect(JSON.stringify(parsePush(push, payload))).not.toContain('undefined')
    }
    expect(parsePushChecked('chat_deactivated', { thread_id: THREAD })).toEqual({ ok: false, reason: 'chat_deactivated: chat_id' })
    expect(parsePushChecked('incoming_typing_indicator', { typing_indicator: { author_id: BOT, is_typing: true } })).toEqual({
      ok: false,
      reason: 'incoming_typing_indicator: chat_id',
    })
  })

  test('a chat id that is an object, a number or empty: no "[object Object]" chat', () => {
    for (const bad of [{}, { id: CHAT }, 42, '', []]) {
      expect(parsePushChecked('incoming_chat', edit(fixtures.incoming_chat.wire, 'chat.id', { with: bad }))).toEqual({
        ok: false,
        reason: 'incoming_chat: chat.id',
      })
      for (const push of CUSTOMER_EVENT_PUSHES.filter((p) => 'chat_id' in fixtures[p].wire)) {
        const payload = edit(fixtures[push].wire, 'chat_id', { with: bad })
        expect(parsePushChecked(push, payload)).toEqual({ ok: false, reason: `${push}: chat_id` })
        expect(JSON.stringify(parsePush(push, payload))).not.toContain('[object Object]')
      }
    }
  })

  test('nested parts: users, thread, events, typing indicator, greeting', () => {
    const chat = fixtures.incoming_chat.wire
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.users', { with: 'Jane' })))).toBe('incoming_chat: chat.users')
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.users[1]', { with: null })))).toBe('incoming_chat: chat.users[1]')
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.users[1].type', { with: 'bot' })))).toBe('incoming_chat: chat.users[1].type')
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.users[0].session_fields', { with: { plan: 'pro' } })))).toBe(
      'incoming_chat: chat.users[0].session_fields',
    )
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.thread', { with: 'K600' })))).toBe('incoming_chat: chat.thread')
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.thread.events[0].text', { with: 7 })))).toBe(
      'incoming_chat: chat.thread.events[0].text',
    )
    expect(dropped(parsePushChecked('incoming_chat', edit(chat, 'chat.properties.routing', { with: true })))).toBe(
      'incoming_chat: chat.properties.routing',
    )
    const typing = fixtures.incoming_typing_indicator.wire
    expect(dropped(parsePushChecked('incoming_typing_indicator', edit(typing, 'typing_indicator.is_typing', { with: 'yes' })))).toBe(
      'incoming_typing_indicator: typing_indicator.is_typing',
    )
    const greeting = fixtures.incoming_greeting.wire
    expect(dropped(parsePushChecked('incoming_greeting', edit(greeting, 'agent', { with: BOT })))).toBe('incoming_greeting: agent')
    expect(dropped(parsePushChecked('incoming_greeting', edit(greeting, 'id', { with: '7' })))).toBe('incoming_greeting: id')
    expect(dropped(parsePushChecked('queue_position_updated', edit(fixtures.queue_position_updated.wire, 'queue.position', { with: '2' })))).toBe(
      'queue_position_updated: queue.position',
    )
    expect(dropped(parsePushChecked('chat_properties_deleted', { chat_id: CHAT, properties: { routing: 'idle' } }))).toBe(
      'chat_properties_deleted: properties.routing',
    )
  })

  test('an event without id is fine in a preview and a welcome message, not in incoming_event', () => {
    const idless = { created_at: T1, type: 'message', text: 'hi' }
    expect(parsePushChecked('incoming_event_preview', { chat_id: CHAT, thread_id: THREAD, event: idless })).toMatchObject({ ok: true })
    expect(parsePushChecked('incoming_welcome_message', { id: 'wm', event: idless })).toMatchObject({ ok: true })
    expect(parsePushChecked('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: idless })).toEqual({
      ok: false,
      reason: 'incoming_event: event.id',
    })
  })

  test('a parser failing deeper than the rule looks is caught and reported', () => {
    const rich = { id: 'e1', created_at: T0, type: 'rich_message', template_id: 'cards', elements: [{ buttons: 'click' }] }
    const result = parsePushChecked('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: rich })
    expect(dropped(result)).toMatch(/^incoming_event: unreadable payload \(.+\)$/)
    expect(parsePush('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: rich })).toEqual([])
  })

  test('unknown pushes and the connection’s own are fine and yield nothing; so does an event type the SDK does not expose', () => {
    expect(parsePushChecked('incoming_hologram', { chat_id: 42 })).toEqual({ ok: true, events: [] })
    expect(parsePushChecked('customer_disconnected', { reason: 'license_expired' })).toEqual({ ok: true, events: [] })
    expect(parsePushChecked('customer_side_storage_updated', { customer_side_storage: {} })).toEqual({ ok: true, events: [] })
    expect(parsePushChecked('__proto__', null)).toEqual({ ok: true, events: [] })
    expect(parsePushChecked('toString', null)).toEqual({ ok: true, events: [] })
    const system = { id: 'e2', created_at: T0, type: 'system', source: 'chat_router', subtype: 'x', version: '1', details: '{}' }
    expect(parsePushChecked('incoming_event', { chat_id: CHAT, thread_id: THREAD, event: system })).toEqual({ ok: true, events: [] })
  })
})

describe('agent pushes: the checked entry point', () => {
  test('unknown pushes and agent_disconnected are fine and yield nothing', () => {
    expect(parseAgentPushChecked('incoming_hologram', 42)).toEqual({ ok: true, events: [] })
    expect(parseAgentPushChecked('agent_disconnected', { reason: 'misdirected_connection' })).toEqual({ ok: true, events: [] })
    expect(parseAgentPushChecked('constructor', {})).toEqual({ ok: true, events: [] })
  })

  test('a push that does not fit says which field', () => {
    expect(parseAgentPushChecked('chat_deactivated', { thread_id: THREAD })).toEqual({ ok: false, reason: 'chat_deactivated: chat_id' })
    expect(parseAgentPushChecked('incoming_chat', { chat: { id: {}, users: [] } })).toEqual({ ok: false, reason: 'incoming_chat: chat.id' })
    expect(parseAgentPushChecked('incoming_chat', { chat: { id: CHAT, users: [{ id: '', type: 'agent', name: 'x' }] } })).toEqual({
      ok: false,
      reason: 'incoming_chat: chat.users[0].id',
    })
    expect(parseAgentPushChecked('queue_positions_updated', [{ chat_id: CHAT, thread_id: THREAD }])).toEqual({
      ok: false,
      reason: 'queue_positions_updated: payload[0].queue',
    })
    expect(parseAgentPushChecked('queue_positions_updated', { chat_id: CHAT })).toEqual({ ok: false, reason: 'queue_positions_updated: payload' })
    expect(parseAgentPush('chat_deactivated', { chat_id: '', thread_id: THREAD })).toEqual([])
  })

  test('the shared pushes have the same rule on both sides', () => {
    for (const push of AGENT_EVENT_PUSHES.filter((p) => (CUSTOMER_EVENT_PUSHES as readonly string[]).includes(p))) {
      const customer = CUSTOMER_PUSH_SHAPES[push as CustomerEventPush]
      if (customer === AGENT_PUSH_SHAPES[push]) {
        const { wire } = fixtures[push as CustomerEventPush]
        expect(parseAgentPushChecked(push, wire)).toMatchObject({ ok: true })
        for (const path of requiredPaths(wire, customer)) expect(dropped(parseAgentPushChecked(push, edit(wire, path)))).toBe(`${push}: ${path}`)
      }
    }
  })
})

// ---------------------------------------------------------------- properties

/** Any value at all, with keys that the rules read and that reach prototypes mixed in. */
const anythingArb = fc.anything({
  key: fc.oneof(
    fc.string(),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'chat_id', 'thread_id', 'event_id', 'chat', 'id', 'users', 'type', 'event', 'thread'),
  ),
  maxDepth: 4,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
})

/** A valid payload of a customer push with one part of it removed or replaced by anything. */
const corruptedArb = fc.constantFrom(...CUSTOMER_EVENT_PUSHES).chain((push) => {
  const wire = fixtures[push].wire
  return fc
    .tuple(fc.constantFrom(...allPaths(wire)), fc.option(anythingArb, { nil: undefined, freq: 3 }))
    .map(([path, replacement]) => ({ push, payload: replacement === undefined ? edit(wire, path) : edit(wire, path, { with: replacement }) }))
})

const ACTIONS = [...CUSTOMER_PUSHES, ...AGENT_EVENT_PUSHES, 'agent_disconnected', 'incoming_hologram', '__proto__']

describe('properties: the parsers never throw, and events always name a real chat', () => {
  test('parsePushChecked and parseAgentPushChecked on anything', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), anythingArb, (action, payload) => {
        const customer = parsePushChecked(action, payload)
        const agent = parseAgentPushChecked(action, payload)
        expect(wellFormed(action, customer)).toBe(true)
        expect(wellFormed(action, agent)).toBe(true)
        expect(parsePush(action, payload)).toEqual(customer.ok ? customer.events : [])
      }),
      { numRuns: 1000 },
    )
  })

  test('on valid payloads with one part removed or replaced by anything', () => {
    fc.assert(
      fc.property(corruptedArb, ({ push, payload }) => {
        expect(wellFormed(push, parsePushChecked(push, payload))).toBe(true)
        expect(wellFormed(push, parseAgentPushChecked(push, payload))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

})
