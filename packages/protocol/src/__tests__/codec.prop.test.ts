import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  chatUserArb,
  chatArb,
  customerArb,
  greetingEventArb,
  isWellFormedRequestText,
  malformedFrameArb,
  outgoingEventArb,
  pushFrameArb,
  requestFrameArb,
  responseFrameArb,
  resumeChatParamsArb,
  richMessageButtonArb,
  sdkEventArbs,
  startChatParamsArb,
  threadArb,
  wireGreetingArb,
  wireSystemEventArb,
  wireUnknownRichMessageArb,
} from '@rapport/testing'
import {
  buildStartChatPayload,
  chatToWire,
  chatUserToWire,
  createRequestId,
  customerToWire,
  decodeRequestFrame,
  decodeServerFrame,
  encodeFrame,
  eventToWire,
  fitThumbnail,
  parseChat,
  parseChatUser,
  parseCustomer,
  parseEvent,
  parseEvents,
  parseGreeting,
  parseSessionFields,
  parseThread,
  serializeSessionFields,
  serializeOutgoingEvent,
  threadToWire,
  validateOutgoingEvent,
} from '../index'
import type { FormField, OutgoingEvent, WireEvent } from '../index'

/** What the other side of a socket sees: the value after JSON encoding. */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

const hasUndefined = (value: unknown): boolean =>
  value === undefined ||
  (typeof value === 'object' && value !== null && Object.values(value).some((v) => hasUndefined(v)))

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const SNAKE_KEY = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/

describe('events: parse(toWire(x)) equals x', () => {
  for (const [name, arb] of Object.entries(sdkEventArbs)) {
    test(name, () =>
      fc.assert(
        fc.property(arb, (event) => {
          const wire = eventToWire(event)
          expect(hasUndefined(wire)).toBe(false)
          expect(parseEvent(viaJson(wire), event.threadId)).toEqual(event)
        }),
        { numRuns: 200 },
      ))
  }

  test('greeting events keep threadId null', () =>
    fc.assert(fc.property(greetingEventArb, (event) => {
      expect(parseEvent(viaJson(eventToWire(event)), null)).toEqual(event)
    })))

  test('forms and system messages are authored by system, even when the wire names an author', () =>
    fc.assert(
      fc.property(fc.oneof(sdkEventArbs.form, sdkEventArbs.system_message), fc.uuid(), (event, author) => {
        expect(event.authorId).toBe('system')
        expect(parseEvent({ ...eventToWire(event), author_id: author }, event.threadId)?.authorId).toBe('system')
      }),
    ))

  test('unparseable events (3.6 system, unknown rich templates) give null and leave event lists', () =>
    fc.assert(
      fc.property(
        fc.array(fc.oneof(sdkEventArbs.message, sdkEventArbs.custom), { maxLength: 4 }),
        fc.array(fc.oneof(wireSystemEventArb as fc.Arbitrary<WireEvent>, wireUnknownRichMessageArb), { minLength: 1, maxLength: 3 }),
        (known, unknown) => {
          for (const e of unknown) expect(parseEvent(e, 'T')).toBeNull()
          const mixed = [...unknown, ...known.map((e) => eventToWire({ ...e, threadId: 'T' }))]
          expect(parseEvents(mixed, 'T')).toEqual(known.map((e) => ({ ...e, threadId: 'T' })))
        },
      ),
    ))

  test('the button arbitrary covers every button type', () => {
    const seen = new Set(fc.sample(richMessageButtonArb, 500).map((b) => ('type' in b ? b.type : 'none')))
    expect([...seen].sort()).toEqual(['cancel', 'message', 'none', 'phone', 'url', 'webview'])
  })
})

describe('fitThumbnail', () => {
  test('fits the longer side in max, never enlarges, keeps orientation', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom(300, 600), (w, h, max) => {
        const t = fitThumbnail(w, h, max)
        expect(Math.max(t.width, t.height)).toBe(Math.min(Math.max(w, h), max))
        expect(t.width).toBeLessThanOrEqual(w)
        expect(t.height).toBeLessThanOrEqual(h)
        expect(t.width >= t.height).toBe(w >= h || t.width === t.height)
        expect(Math.min(t.width, t.height)).toBeGreaterThanOrEqual(1)
      }),
    ))
})

describe('structures: parse(toWire(x)) equals x', () => {
  test('thread', () =>
    fc.assert(
      fc.property(threadArb, (thread) => {
        const wire = threadToWire(thread)
        expect(hasUndefined(wire)).toBe(false)
        expect(parseThread(viaJson(wire), thread.chatId)).toEqual(thread)
      }),
    ))

  test('chat', () =>
    fc.assert(
      fc.property(chatArb, (chat) => {
        const wire = chatToWire(chat)
        expect(hasUndefined(wire)).toBe(false)
        expect(parseChat(viaJson(wire))).toEqual(chat)
      }),
    ))

  test('chat user', () =>
    fc.assert(
      fc.property(chatUserArb, (user) => {
        const wire = chatUserToWire(user)
        expect(hasUndefined(wire)).toBe(false)
        expect(parseChatUser(viaJson(wire))).toEqual(user)
      }),
    ))

  test('customer', () =>
    fc.assert(
      fc.property(customerArb, (customer) => {
        const wire = customerToWire(customer)
        expect(hasUndefined(wire)).toBe(false)
        expect(parseCustomer(viaJson(wire))).toEqual(customer)
      }),
    ))

  test('session fields with any keys survive the [{k: v}] array form', () =>
    fc.assert(
      fc.property(
        fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString'), fc.string()), fc.string(), {
          noNullPrototype: true,
        }),
        (fields) => {
          expect(parseSessionFields(viaJson(serializeSessionFields(fields)))).toEqual(fields)
        },
      ),
    ))

  test('greeting: defaults, agent mapping, text from the event', () =>
    fc.assert(
      fc.property(wireGreetingArb, (wire) => {
        const greeting = parseGreeting(viaJson(wire))
        expect(greeting.accepted).toBe(wire.accepted ?? false)
        expect(greeting.subtype).toBe(wire.subtype ?? 'greeting')
        expect(greeting.addon).toBe(wire.addon ?? null)
        expect(greeting.event?.threadId).toBeNull()
        expect(greeting.text).toBe(wire.event.type === 'message' ? wire.event.text : undefined)
        expect(greeting.agent).toEqual({
          id: wire.agent.id,
          name: wire.agent.name,
          avatar: wire.agent.avatar ?? '',
          jobTitle: wire.agent.job_title ?? '',
          isBot: wire.agent.is_bot ?? false,
        })
        expect(greeting).not.toHaveProperty('isExitIntent')
      }),
    ))
})

describe('outgoing events', () => {
  const SIMPLE_KEYS: Record<OutgoingEvent['type'], string[]> = {
    message: ['type', 'text', 'custom_id', 'properties', 'postback'],
    file: ['type', 'url', 'alternative_text', 'custom_id', 'properties'],
    filled_form: ['type', 'form_id', 'form_type', 'fields', 'custom_id', 'properties'],
    system_message: ['type', 'text', 'system_message_type', 'recipients', 'custom_id', 'properties'],
    custom: ['type', 'content', 'custom_id', 'properties'],
  }

  test('are valid for local validation', () =>
    fc.assert(fc.property(outgoingEventArb, (event) => {
      expect(validateOutgoingEvent(event)).toBeNull()
    })))

  test('serialize to snake_case keys, one per given SDK key, with no undefined values', () =>
    fc.assert(
      fc.property(outgoingEventArb, (event) => {
        const wire = serializeOutgoingEvent(event) as unknown as Record<string, unknown>
        expect(hasUndefined(wire)).toBe(false)
        for (const key of Object.keys(wire)) {
          expect(key).toMatch(SNAKE_KEY)
          expect(SIMPLE_KEYS[event.type]).toContain(key)
        }
        expect(Object.keys(wire).sort()).toEqual(Object.keys(event).map(snake).sort())
        for (const [key, value] of Object.entries(event)) {
          if (key === 'fields' || key === 'postback') continue
          expect(wire[snake(key)]).toEqual(value)
        }
        if (event.type === 'message' && event.postback) {
          const p = event.postback
          expect(wire.postback).toEqual({
            id: p.id,
            thread_id: p.threadId,
            event_id: p.eventId,
            ...(p.type !== undefined && { type: p.type }),
            ...(p.value !== undefined && { value: p.value }),
          })
        }
      }),
    ))

  test('group_chooser answers go out as group_id and come back as groupId', () =>
    fc.assert(
      fc.property(
        outgoingEventArb.filter((e) => e.type === 'filled_form'),
        fc.uuid(),
        (event, author) => {
          if (event.type !== 'filled_form') return
          const wire = viaJson(serializeOutgoingEvent(event)) as Extract<WireEvent, { type: 'filled_form' }>
          wire.fields.forEach((field, i) => {
            const original = event.fields[i] as FormField
            if (field.type === 'group_chooser' && original.answer !== undefined) {
              const answer = original.answer as { id: string; groupId: number; label: string }
              expect(field.answer).toEqual({ id: answer.id, group_id: answer.groupId, label: answer.label })
            } else expect(field).toEqual(original)
          })
          const back = parseEvent({ ...wire, id: 'E_1', created_at: '2024-01-01T00:00:00.000000Z', author_id: author }, 'E')
          expect(back).toMatchObject({ type: 'filled_form', formId: event.formId, fields: event.fields })
        },
      ),
    ))

  test('start_chat and resume_chat payloads', () =>
    fc.assert(
      fc.property(fc.oneof(startChatParamsArb, resumeChatParamsArb), (params) => {
        const payload = buildStartChatPayload(params)
        expect(hasUndefined(payload)).toBe(false)
        expect(payload.active).toBe(params.active ?? true)
        expect(payload.continuous).toBe(params.continuous)
        expect(payload.welcome_message_id).toBe(params.welcomeMessageId)
        const chat = params.chat ?? {}
        expect(payload.chat.id).toBe('id' in chat ? chat.id : undefined)
        expect(payload.chat.access).toEqual(chat.access?.groupIds ? { group_ids: chat.access.groupIds } : undefined)
        expect(payload.chat.properties).toEqual(chat.properties)
        if (chat.thread) {
          expect(payload.chat.thread?.events).toEqual(chat.thread.events?.map(serializeOutgoingEvent))
          expect(payload.chat.thread?.properties).toEqual(chat.thread.properties)
        } else expect(payload.chat).not.toHaveProperty('thread')
        for (const key of [...Object.keys(payload), ...Object.keys(payload.chat)]) expect(key).toMatch(SNAKE_KEY)
      }),
    ))
})

describe('frames', () => {
  test('responses survive encode → decodeServerFrame', () =>
    fc.assert(fc.property(responseFrameArb, (frame) => {
      expect(decodeServerFrame(encodeFrame(frame))).toEqual(frame)
    })))

  test('pushes survive encode → decodeServerFrame', () =>
    fc.assert(fc.property(pushFrameArb, (frame) => {
      expect(decodeServerFrame(encodeFrame(frame))).toEqual(frame)
    })))

  test('requests survive encode → decodeRequestFrame', () =>
    fc.assert(
      fc.property(requestFrameArb, (frame) => {
        const decoded = decodeRequestFrame(encodeFrame(frame))
        expect(decoded.ok).toBe(true)
        if (decoded.ok) expect(decoded.frame).toEqual(frame)
      }),
    ))

  test('malformed requests give a validation error and never throw', () =>
    fc.assert(
      fc.property(malformedFrameArb, (text) => {
        const decoded = decodeRequestFrame(text)
        expect(decoded.ok).toBe(false)
        if (!decoded.ok) {
          expect(decoded.error.type).toBe('validation')
          expect(typeof decoded.error.message).toBe('string')
          expect(typeof decoded.action).toBe('string')
        }
      }),
      { numRuns: 500 },
    ))

  test('decodeRequestFrame accepts exactly the well-formed frames', () =>
    fc.assert(
      fc.property(fc.oneof(malformedFrameArb, requestFrameArb.map(encodeFrame), fc.string()), (text) => {
        expect(decodeRequestFrame(text).ok).toBe(isWellFormedRequestText(text))
      }),
    ))

  test('decodeServerFrame never throws and ignores non-frames', () =>
    fc.assert(
      fc.property(fc.oneof(malformedFrameArb, fc.anything()), (input) => {
        const decoded = decodeServerFrame(input)
        if (decoded !== null) expect(['response', 'push']).toContain(decoded.type)
      }),
    ))

  test('createRequestId gives ids of the requested length over [0-9a-z]', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (length, stream) => {
          const random = () => stream.next().value as number
          const id = createRequestId(random, length)
          expect(id).toHaveLength(length)
          expect(id).toMatch(/^[0-9a-z]*$/)
        },
      ),
    ))

  test('createRequestId defaults to 12 characters', () =>
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (r) => {
      expect(createRequestId(() => r)).toMatch(/^[0-9a-z]{12}$/)
    })))
})
