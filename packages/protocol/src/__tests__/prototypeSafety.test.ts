import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  AGENT_EVENT_PUSHES,
  CUSTOMER_EVENT_PUSHES,
  parseAgentLogin,
  parseAgentPushChecked,
  parseChat,
  parseChatSummary,
  parseCustomer,
  parseEvent,
  parseListChats,
  parseProperties,
  parsePropertyNames,
  parsePushChecked,
  parseSeenUpToMap,
  parseSessionFields,
  parseThread,
  type WireAgentLoginResponse,
  type WireChat,
  type WireChatSummary,
  type WireEvent,
  type WireUser,
} from '../index'

/** Keys that reach a prototype when a record is built by plain assignment. */
const DANGER = ['__proto__', 'constructor', 'prototype'] as const
const T0 = '2024-05-01T10:00:00.000000Z'
const CHAT = 'PJ0MRSHTDG'
const THREAD = 'K600PKZON8'

/** What an attacker puts under each dangerous key: were it a prototype, every object would have `polluted`. */
const poison = (): Record<string, unknown> => ({ polluted: 'yes' })

/** `{__proto__: value, constructor: value, prototype: value}` as own keys (as `JSON.parse` makes them). */
const keyed = <V>(value: () => V): Record<string, V> => Object.fromEntries(DANGER.map((key) => [key, value()]))

const properties = () => keyed(() => keyed(poison))
const propertyNames = () => keyed(() => ['polluted'])
const sessionFields = () => DANGER.map((key) => ({ [key]: `${key}-value` }))
const users = (): WireUser[] => [
  ...DANGER.map((id): WireUser => ({ id, type: 'customer', session_fields: sessionFields(), events_seen_up_to: T0 })),
  { id: 'agent-1', type: 'agent', name: 'Ann' },
]
const event = (id = 'e1'): WireEvent => ({
  id,
  type: 'system_message',
  text: 'rated',
  system_message_type: 'rating.chat_rated',
  text_vars: keyed(() => 'x'),
  created_at: T0,
  properties: properties(),
})
const chat = (): WireChat => ({
  id: CHAT,
  users: users(),
  properties: properties(),
  thread: { id: THREAD, active: true, user_ids: [...DANGER], events: [event()], properties: properties(), created_at: T0 },
})

/** Payloads for the pushes that carry records keyed by the wire. */
const PAYLOADS: Record<string, unknown> = {
  incoming_chat: { chat: chat() },
  user_added_to_chat: { chat_id: CHAT, reason: 'manual', user: users()[0] },
  incoming_event: { chat_id: CHAT, thread_id: THREAD, event: event() },
  event_updated: { chat_id: CHAT, thread_id: THREAD, event: event() },
  chat_properties_updated: { chat_id: CHAT, properties: properties() },
  chat_properties_deleted: { chat_id: CHAT, properties: propertyNames() },
  thread_properties_updated: { chat_id: CHAT, thread_id: THREAD, properties: properties() },
  thread_properties_deleted: { chat_id: CHAT, thread_id: THREAD, properties: propertyNames() },
  event_properties_updated: { chat_id: CHAT, thread_id: THREAD, event_id: 'e1', properties: properties() },
  event_properties_deleted: { chat_id: CHAT, thread_id: THREAD, event_id: 'e1', properties: propertyNames() },
  customer_updated: { id: 'c1', session_fields: sessionFields() },
  incoming_greeting: { id: 1, unique_id: 'u1', displayed_first_time: true, event: event(), agent: { id: 'agent-1', name: 'Ann' } },
  incoming_welcome_message: { id: 'wm', event: event() },
  incoming_event_preview: { chat_id: CHAT, thread_id: THREAD, event: event() },
  incoming_multicast: { content: keyed(poison) },
  incoming_rich_message_postback: { user_id: 'c1', chat_id: CHAT, thread_id: THREAD, event_id: 'e1', postback: { id: 'p', toggled: true, ecommerce: keyed(poison) } },
}

const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype])

/**
 * Every object reachable from `value` has no prototype, or a built-in one: none was swapped
 * for a wire value. Returns the path of the first that was.
 */
const swappedPrototype = (value: unknown, path = 'result', seen = new Set<unknown>()): string | null => {
  if (typeof value !== 'object' || value === null || seen.has(value)) return null
  seen.add(value)
  const proto: unknown = Object.getPrototypeOf(value)
  const builtin =
    proto === null ||
    BUILTIN_PROTOTYPES.has(proto) ||
    (Object.hasOwn(proto as object, 'constructor') && (proto as { constructor: { prototype?: unknown } }).constructor.prototype === proto)
  if (!builtin) return path
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') continue
    const found = swappedPrototype((value as Record<string, unknown>)[key], `${path}.${key}`, seen)
    if (found !== null) return found
  }
  return null
}

/** Each dangerous key is an own key of `record`, holding what the wire gave, and `record` has no prototype to swap. */
const expectOwnDangerKeys = (record: unknown, value: (key: string) => unknown): void => {
  expect(Object.getPrototypeOf(record)).toBeNull()
  for (const key of DANGER) {
    expect(Object.hasOwn(record as object, key), key).toBe(true)
    expect((record as Record<string, unknown>)[key]).toEqual(value(key))
  }
}

let before: string[] = []
beforeEach(() => {
  before = Object.getOwnPropertyNames(Object.prototype).sort()
})
afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
})

describe('records keyed by the wire: __proto__, constructor and prototype are ordinary own keys', () => {
  test('parseSessionFields', () => {
    expectOwnDangerKeys(parseSessionFields(sessionFields()), (key) => `${key}-value`)
  })

  test('parseProperties and parsePropertyNames: namespaces and names', () => {
    const parsed = parseProperties(properties())
    expectOwnDangerKeys(parsed, () => expect.anything())
    for (const key of DANGER) expectOwnDangerKeys(parsed[key], () => ({ polluted: 'yes' }))
    expectOwnDangerKeys(parsePropertyNames(propertyNames()), () => ['polluted'])
  })

  test('parseSeenUpToMap: user ids', () => {
    expectOwnDangerKeys(parseSeenUpToMap(users()), () => T0)
  })

  test('parseEvent: properties and text_vars', () => {
    const parsed = parseEvent(event(), THREAD)
    expect(parsed?.type).toBe('system_message')
    if (parsed?.type !== 'system_message') return
    expectOwnDangerKeys(parsed.properties.constructor, () => ({ polluted: 'yes' }))
    expectOwnDangerKeys(parsed.textVars, () => 'x')
    expect(swappedPrototype(parsed)).toBeNull()
  })

  test('parseChat and parseThread: users, session fields, seen-up-to map, properties at every level', () => {
    const parsed = parseChat(chat())
    expectOwnDangerKeys(parsed.eventsSeenUpToMap, () => T0)
    expectOwnDangerKeys(parsed.properties, () => expect.anything())
    expectOwnDangerKeys(parsed.thread?.properties.__proto__, () => ({ polluted: 'yes' }))
    expectOwnDangerKeys(parsed.thread?.events[0]?.properties.prototype, () => ({ polluted: 'yes' }))
    const customer = parsed.users[0]
    if (customer?.type !== 'customer') throw new Error('the first user is a customer')
    expectOwnDangerKeys(customer.sessionFields, (key) => `${key}-value`)
    expect(swappedPrototype(parsed)).toBeNull()
    expect(swappedPrototype(parseThread(chat().thread as NonNullable<WireChat['thread']>, CHAT))).toBeNull()
  })

  test('parseCustomer, parseChatSummary, parseListChats, parseAgentLogin', () => {
    expectOwnDangerKeys(parseCustomer({ id: 'c1', type: 'customer', session_fields: sessionFields() }).sessionFields, (key) => `${key}-value`)
    const summary: WireChatSummary = {
      id: CHAT,
      users: users(),
      properties: properties(),
      last_event_per_type: keyed(() => ({ thread_id: THREAD, thread_created_at: T0, event: event() })),
    }
    const parsedSummary = parseChatSummary(summary)
    expectOwnDangerKeys(parsedSummary.eventsSeenUpToMap, () => T0)
    expectOwnDangerKeys(parsedSummary.properties, () => expect.anything())
    expect(swappedPrototype(parsedSummary)).toBeNull()
    expect(swappedPrototype(parseListChats({ chats_summary: [summary], total_chats: 1 }))).toBeNull()
    const login: WireAgentLoginResponse = {
      my_profile: { id: 'agent-1', type: 'agent', name: 'Ann' },
      license: { id: '1' },
      chats_summary: [
        {
          id: CHAT,
          users: users(),
          properties: properties(),
          last_thread_summary: { id: THREAD, created_at: T0, user_ids: [], properties: properties(), active: true, access: {} },
        },
      ],
    }
    const agentChat = parseAgentLogin(login).chats[0]
    expectOwnDangerKeys(agentChat?.lastThreadSummary?.properties, () => expect.anything())
    expectOwnDangerKeys(agentChat?.eventsSeenUpToMap, () => T0)
    expect(swappedPrototype(agentChat)).toBeNull()
  })

  test.each(Object.keys(PAYLOADS))('customer push %s', (push) => {
    const result = parsePushChecked(push, PAYLOADS[push])
    expect(result).toMatchObject({ ok: true })
    expect(swappedPrototype(result)).toBeNull()
  })

  test.each(Object.keys(PAYLOADS).filter((push) => (AGENT_EVENT_PUSHES as readonly string[]).includes(push)))('agent push %s', (push) => {
    const result = parseAgentPushChecked(push, PAYLOADS[push])
    expect(result).toMatchObject({ ok: true })
    expect(swappedPrototype(result)).toBeNull()
  })

  test('the keys survive into the events', () => {
    const props = parsePushChecked('chat_properties_updated', PAYLOADS.chat_properties_updated)
    const updated = props.ok ? props.events[0] : undefined
    if (updated?.type !== 'chat_properties_updated') throw new Error('chat_properties_updated parses')
    expectOwnDangerKeys(updated.payload.properties, () => expect.anything())
    const events = parsePushChecked('incoming_chat', PAYLOADS.incoming_chat)
    const incoming = events.ok ? events.events.find((e) => e.type === 'incoming_chat') : undefined
    if (incoming?.type !== 'incoming_chat') throw new Error('incoming_chat parses')
    expectOwnDangerKeys(incoming.payload.chat.eventsSeenUpToMap, () => T0)
    const customer = parsePushChecked('customer_updated', PAYLOADS.customer_updated)
    const fields = customer.ok && customer.events[0]?.type === 'customer_updated' ? customer.events[0].payload.sessionFields : undefined
    expectOwnDangerKeys(fields, (key) => `${key}-value`)
  })

  test('any payload with such keys anywhere, for every push: no prototype is swapped or polluted', () => {
    const dangerous = fc.anything({
      key: fc.oneof(fc.constantFrom(...DANGER, 'polluted', 'properties', 'session_fields', 'id', 'users', 'chat_id'), fc.string()),
      maxDepth: 4,
      withNullPrototype: true,
    })
    const pushes = [...new Set([...CUSTOMER_EVENT_PUSHES, ...AGENT_EVENT_PUSHES])]
    fc.assert(
      fc.property(fc.constantFrom(...pushes), fc.option(fc.constantFrom(...Object.keys(PAYLOADS)), { nil: undefined }), dangerous, (push, base, extra) => {
        // A valid payload with a dangerous part merged in (own keys), or anything at all.
        const payload = base === undefined ? extra : { ...(PAYLOADS[base] as object), properties: extra, session_fields: [extra] }
        for (const result of [parsePushChecked(push, payload), parseAgentPushChecked(push, payload)]) expect(swappedPrototype(result)).toBeNull()
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
      { numRuns: 500 },
    )
  })
})
