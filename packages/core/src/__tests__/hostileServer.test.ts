/**
 * A hostile or broken server: ids and keys that name Object.prototype's members, and
 * pushes missing their fields. Nothing reaches Object.prototype, nothing malformed is
 * emitted, and what is dropped is reported on `diagnostics$`.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Diagnostic } from '../diagnostics'
import { chatEvents } from '../state/selectors'
import { completeLogin, flush, setup } from './helpers'

const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort()
const before = prototypeNames()

afterEach(() => {
  expect(prototypeNames()).toEqual(before)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

const event = (id: string, chatId: string, threadId: string) => ({
  action: 'incoming_event',
  type: 'push',
  payload: { chat_id: chatId, thread_id: threadId, event: { id, type: 'message', text: 'x', author_id: 'agent-1', created_at: '2026-01-01T00:00:01.000000Z' } },
})

describe('a hostile server', () => {
  it('chat, thread, event and user ids named __proto__ / constructor / prototype are plain keys of the state', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    for (const id of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty']) {
      socket.receive(event(id, id, id))
      socket.receive({ action: 'incoming_typing_indicator', type: 'push', payload: { chat_id: id, typing_indicator: { author_id: id, is_typing: true } } })
      socket.receive({ action: 'events_marked_as_seen', type: 'push', payload: { chat_id: id, user_id: id, seen_up_to: '2026-01-01T00:00:02.000000Z' } })
    }
    await flush()
    const state = client.state.getSnapshot()
    for (const id of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty']) {
      expect(Object.hasOwn(state.chats, id)).toBe(true)
      expect(Object.hasOwn(state.threads, id)).toBe(true)
      expect(chatEvents(id)(state).map((e) => e.id)).toEqual([id])
    }
    client.destroy()
  })

  it('property updates and deletions with __proto__ keys touch only the chat’s own properties', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    socket.receive(event('E1', 'C1', 'T1'))
    socket.receive({ action: 'chat_properties_updated', type: 'push', payload: { chat_id: 'C1', properties: JSON.parse('{"__proto__": {"polluted": true}, "ns": {"__proto__": {"polluted": true}}}') } })
    socket.receive({ action: 'chat_properties_deleted', type: 'push', payload: { chat_id: 'C1', properties: JSON.parse('{"__proto__": ["toString"], "ns": ["__proto__"]}') } })
    socket.receive({ action: 'event_properties_updated', type: 'push', payload: { chat_id: 'C1', thread_id: 'T1', event_id: 'E1', properties: JSON.parse('{"__proto__": {"polluted": true}}') } })
    await flush()
    expect(typeof ({} as { toString?: unknown }).toString).toBe('function')
    client.destroy()
  })

  it('pushes missing their fields are dropped and reported, never emitted, and make no phantom chats', async () => {
    const { env, client } = setup()
    const socket = await completeLogin(env)
    const emitted: string[] = []
    const diagnostics: Diagnostic[] = []
    client.events$.subscribe((e) => emitted.push(e.type))
    client.diagnostics$.subscribe((d) => diagnostics.push(d))
    socket.receive({ action: 'incoming_event', type: 'push', payload: { event: { id: 'E1', type: 'message', text: 'x', created_at: '2026-01-01T00:00:01.000000Z' } } })
    socket.receive({ action: 'incoming_event', type: 'push', payload: { chat_id: { id: 'C1' }, thread_id: 'T1', event: { id: 'E2', type: 'message', text: 'x', created_at: '2026-01-01T00:00:01.000000Z' } } })
    socket.receive({ action: 'chat_deactivated', type: 'push', payload: {} })
    socket.receive({ action: 'incoming_chat', type: 'push', payload: { chat: null } })
    socket.receive('not json at all')
    await flush()
    expect(emitted).toEqual([])
    expect(Object.keys(client.state.getSnapshot().chats)).toEqual([])
    expect(diagnostics.filter((d) => d.type === 'invalid_push').map((d) => d.type === 'invalid_push' && d.action)).toEqual(['incoming_event', 'incoming_event', 'chat_deactivated', 'incoming_chat'])
    expect(diagnostics.some((d) => d.type === 'undecodable_frame')).toBe(true)
    expect(client.status).toBe('connected')
    client.destroy()
  })
})
