/**
 * Deeply nested JSON (security finding: one anonymous `send_event` with a `custom` content
 * nested a few thousand arrays deep was stored, then crashed the process at the next agent
 * login or `get_chat`, and again after every restart).
 *
 * - a payload deeper than `maxJsonDepth` is refused with `validation` before anything
 *   stores it, on both storages and both sides;
 * - a poisoned record written around validation (directly through the storage API, or into
 *   the SQLite file) is still served: the too-deep part comes back as `null`, and the server
 *   keeps answering everything else — also after a restart over the poisoned file;
 * - a response that cannot be encoded answers `internal` for that one request only.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ResponseFrame } from '@rapport/protocol'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Logger } from '../options'
import { MemoryStorage } from '../storage/memoryStorage'
import { SqliteStorage } from '../storage/sqliteStorage'
import { STORED_JSON_DEPTH, type EventRecord, type Storage } from '../storage/storage'
import { BOT, ORG, startServer, type Harness } from './helpers/harness'
import type { TestSocket } from './helpers/testSocket'

const tempDir = mkdtempSync(join(tmpdir(), 'rapport-deep-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))

type Kind = 'arrays' | 'objects'

/** JSON text of a value nested `depth` levels deep (built as text: `JSON.stringify` cannot). */
const deepText = (depth: number, kind: Kind): string =>
  kind === 'arrays' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

/** The same as a value (`JSON.parse` is not recursive). */
const deepValue = (depth: number, kind: Kind): unknown => JSON.parse(deepText(depth, kind))

/** How deep a value nests, counted without recursion. */
const depthOf = (value: unknown): number => {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number]
    if (typeof current !== 'object' || current === null) continue
    deepest = Math.max(deepest, depth + 1)
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return deepest
}

/** Sends a request whose payload holds `deep` (JSON text) where the placeholder string is. */
const requestWithText = async (socket: TestSocket, action: string, payload: unknown, deep: string, requestId: string): Promise<ResponseFrame> => {
  const text = JSON.stringify({ request_id: requestId, action, payload }).replace('"__DEEP__"', deep)
  socket.sendRaw(text)
  return socket.response(requestId)
}

const errorType = (response: ResponseFrame): string | undefined =>
  response.success ? undefined : (response.payload as { error?: { type?: string } }).error?.type

const recordingLogger = (errors: string[]): Logger => ({
  info: () => {},
  warn: () => {},
  error: (message, error) => errors.push(`${message}: ${String(error)}`),
})

const storages: Array<[string, () => Storage]> = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage(':memory:')],
]

const uncaught: unknown[] = []
const onUncaught = (error: unknown): void => void uncaught.push(error)
beforeEach(() => {
  uncaught.length = 0
  process.on('uncaughtException', onUncaught)
  process.on('unhandledRejection', onUncaught)
})
afterEach(() => {
  process.off('uncaughtException', onUncaught)
  process.off('unhandledRejection', onUncaught)
})

/** A customer with a chat the bot serves. */
const chatSetup = async (h: Harness) => {
  const bot = await h.agent(BOT.id)
  const customer = await h.customer()
  const started = await customer.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: 'hello' }] } },
  })
  await bot.push('incoming_chat')
  return { bot, customer: customer.socket, customerId: customer.customerId, chatId: started.chat_id, threadId: started.thread_id }
}

describe.each(storages)('deep nesting on %s', (_name, makeStorage) => {
  it('refuses payloads nested deeper than maxJsonDepth with validation, before storing anything, on both sides', async () => {
    const storage = makeStorage()
    const errors: string[] = []
    const h = await startServer({ storage, logger: recordingLogger(errors) })
    try {
      const { bot, customer, chatId, threadId } = await chatSetup(h)
      const stored = (): number => storage.listEvents(ORG, threadId).length
      const before = stored()
      // payload (1) › event (2) › content (3…): a content 30 deep makes the payload 32 deep, the default limit
      const custom = { chat_id: chatId, event: { type: 'custom', content: '__DEEP__' } }
      let id = 0
      for (const kind of ['arrays', 'objects'] as const) {
        expect((await requestWithText(customer, 'send_event', custom, deepText(30, kind), `ok-${kind}`)).success).toBe(true)
        for (const depth of [31, 100, 10_000, 100_000]) {
          for (const [socket, action, payload] of [
            [customer, 'send_event', custom],
            [bot, 'send_event', custom],
            [customer, 'update_chat_properties', { id: chatId, properties: { ns: { k: '__DEEP__' } } }],
            [customer, 'set_customer_session_fields', { session_fields: ['__DEEP__'] }],
            [bot, 'multicast', { recipients: { agents: { all: true } }, content: { wrapped: '__DEEP__' } }],
            [customer, 'no_such_action', { x: '__DEEP__' }],
          ] as const) {
            const response = await requestWithText(socket, action, payload, deepText(depth, kind), `deep-${++id}`)
            expect(errorType(response), `${action} at depth ${depth} (${kind})`).toBe('validation')
          }
        }
      }
      // only the two shallow events were stored, and the chat's properties are untouched
      expect(stored()).toBe(before + 2)
      expect(storage.getChat(ORG, chatId)?.properties).not.toHaveProperty('ns')
      // both sides keep working
      expect((await customer.ok<{ thread: { events: unknown[] } }>('get_chat', { chat_id: chatId })).thread.events).toHaveLength(before + 2)
      const late = await h.agent(BOT.id)
      expect(await late.ok('list_chats', {})).toMatchObject({ found_chats: 1 })
      expect(errors).toEqual([])
      expect(uncaught).toEqual([])
    } finally {
      await h.server.close()
      storage.close()
    }
  }, 30_000)

  it('serves a poisoned record written around validation: agent login, get_chat, list_threads and pushes keep working', async () => {
    const storage = makeStorage()
    const errors: string[] = []
    const h = await startServer({ storage, logger: recordingLogger(errors) })
    try {
      const { bot, customer, chatId, threadId } = await chatSetup(h)
      // written straight into the store, as no request may: 10⁵ levels in an event, a property, a customer field
      const poisoned: EventRecord = {
        id: 'POISON-1',
        type: 'custom',
        author_id: BOT.id,
        created_at: '2099-01-01T00:00:00.000000Z',
        visibility: 'all',
        content: deepValue(100_000, 'arrays') as Record<string, unknown>,
      } as EventRecord
      storage.appendEvent(ORG, threadId, poisoned)
      const chat = storage.getChat(ORG, chatId)
      if (!chat) throw new Error('no chat')
      storage.putChat({ ...chat, properties: { ns: { deep: deepValue(100_000, 'objects') as never } } })

      // the next agent login carries the chat's last event in chats_summary
      const agent = await h.agent(BOT.id)
      const event = (await customer.ok<{ thread: { events: Array<{ id: string; content?: unknown }> } }>('get_chat', { chat_id: chatId })).thread.events.find(
        (e) => e.id === 'POISON-1',
      )
      expect(event).toBeDefined()
      expect(depthOf(event?.content)).toBeLessThanOrEqual(STORED_JSON_DEPTH)
      expect(await bot.ok('get_chat', { chat_id: chatId, thread_id: threadId })).toMatchObject({ id: chatId })
      expect(await customer.ok('list_threads', { chat_id: chatId })).toMatchObject({ found_threads: 1 })
      expect(await agent.ok('list_chats', {})).toMatchObject({ found_chats: 1 })
      // pushes that carry the chat go out, and the chat goes on
      await customer.ok('send_event', { chat_id: chatId, event: { type: 'message', text: 'still there?' } })
      expect((await bot.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === 'still there?')).payload.event.text).toBe('still there?')
      await customer.ok('deactivate_chat', { id: chatId })
      expect((await customer.ok<{ chat_id: string }>('resume_chat', { chat: { id: chatId } }))).toMatchObject({ thread_id: expect.any(String) })
      expect(errors).toEqual([])
      expect(uncaught).toEqual([])
    } finally {
      await h.server.close()
      storage.close()
    }
  }, 30_000)
})

describe('a poisoned SQLite file', () => {
  it('restarts over it, logs the bot in, serves the chat and keeps serving other requests', async () => {
    const path = join(tempDir, 'poisoned.sqlite')
    const first = new SqliteStorage(path)
    const h1 = await startServer({ storage: first })
    const { customer, customerId, chatId, threadId } = await chatSetup(h1)
    const { event_id } = await customer.ok<{ event_id: string }>('send_event', { chat_id: chatId, event: { type: 'custom', content: { a: 1 } } })
    await h1.server.close()
    // the row is rewritten behind the server's back: its content nested 10⁵ arrays deep
    const row = first.db.prepare('SELECT data FROM events WHERE id = ?').get(event_id) as { data: string }
    const data = JSON.stringify({ ...(JSON.parse(row.data) as object), content: '__DEEP__' }).replace('"__DEEP__"', deepText(100_000, 'arrays'))
    first.db.prepare('UPDATE events SET data = ? WHERE id = ?').run(data, event_id)
    first.close()

    const errors: string[] = []
    const second = new SqliteStorage(path)
    const h2 = await startServer({ storage: second, logger: recordingLogger(errors) })
    try {
      const bot = await h2.agent(BOT.id)
      const tab = await h2.customer({ customerId })
      const chat = await tab.socket.ok<{ thread: { events: Array<{ id: string; content?: unknown }> } }>('get_chat', { chat_id: chatId, thread_id: threadId })
      const event = chat.thread.events.find((e) => e.id === event_id)
      expect(event).toBeDefined()
      expect(depthOf(event?.content)).toBeLessThanOrEqual(STORED_JSON_DEPTH)
      expect(await bot.ok('get_chat', { chat_id: chatId, thread_id: threadId })).toMatchObject({ id: chatId })
      // other customers are served as usual
      const other = await h2.customer()
      expect(await other.socket.ok('start_chat', {})).toMatchObject({ chat_id: expect.any(String) })
      expect((await fetch(`${h2.server.url}/healthz`)).status).toBe(200)
      expect(errors).toEqual([])
      expect(uncaught).toEqual([])
    } finally {
      await h2.server.close()
      second.close()
    }
  }, 30_000)
})

describe('a response that cannot be encoded', () => {
  /** A store that hands out records nested too deep to encode, as a broken storage might. */
  class UnboundedStorage extends MemoryStorage {
    override listEvents(organizationId: string, threadId: string): EventRecord[] {
      return super.listEvents(organizationId, threadId).map((event) => (event.type === 'custom' ? { ...event, content: deepValue(100_000, 'objects') as Record<string, unknown> } : event))
    }
  }

  it('answers internal for that request only; the process stays up and the connection keeps serving', async () => {
    const storage = new UnboundedStorage()
    const errors: string[] = []
    const h = await startServer({ storage, logger: recordingLogger(errors) })
    try {
      const { bot, customer, chatId } = await chatSetup(h)
      await customer.ok('send_event', { chat_id: chatId, event: { type: 'custom', content: { a: 1 } } })
      const response = await customer.request('get_chat', { chat_id: chatId })
      expect(errorType(response)).toBe('internal')
      expect(errors.some((line) => /get_chat/.test(line))).toBe(true)
      // the same sockets go on
      await customer.sync()
      await customer.ok('send_event', { chat_id: chatId, event: { type: 'message', text: 'next' } })
      expect((await bot.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === 'next')).payload.event.text).toBe('next')
      expect(uncaught).toEqual([])
    } finally {
      await h.server.close()
    }
  }, 30_000)
})
