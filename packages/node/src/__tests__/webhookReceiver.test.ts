import { timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type AgentEvent, type ChatEvent, parseEvent } from '@rapport/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createWebhookReceiver, type WebhookGap } from '../agent/webhookReceiver'

// the receiver's constant-time compare, observed (the real one runs)
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>()
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) }
})

const SECRET = 'webhook-secret-1'
const CHAT = 'CHAT1'
const THREAD = 'THREAD1'

const wireEvent = (n: number, text = `message ${n}`) => ({
  id: `${THREAD}_${n}`,
  type: 'message' as const,
  text,
  author_id: 'customer-1',
  created_at: `2026-01-01T00:00:0${n}.000000Z`,
  visibility: 'all' as const,
})

const body = (n: number, overrides: Record<string, unknown> = {}) => ({
  webhook_id: 'wh1',
  secret_key: SECRET,
  action: 'incoming_event',
  organization_id: 'org',
  payload: { chat_id: CHAT, thread_id: THREAD, event: wireEvent(n) },
  additional_data: {},
  ...overrides,
})

/** An event as the Web API's `get_chat` gives it back, parsed. */
const chatEvent = (n: number): ChatEvent => {
  const event = parseEvent({ ...wireEvent(n), type: 'message' }, THREAD)
  if (!event) throw new Error('unparsable event')
  return event
}

const texts = (events: AgentEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'incoming_event' && e.payload.event.type === 'message' ? [e.payload.event.text] : []))

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

describe('createWebhookReceiver', () => {
  it('refuses a wrong secret with 401, comparing equal-length digests with timingSafeEqual', async () => {
    const compare = vi.mocked(timingSafeEqual)
    compare.mockClear()
    const events: AgentEvent[] = []
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: (e) => void events.push(e) })
    for (const secret of ['wrong', SECRET.slice(0, -1), `${SECRET}x`, '']) {
      const answer = await receiver.handle({ body: JSON.stringify(body(1, { secret_key: secret })) })
      expect(answer).toEqual({ status: 401, body: { error: { type: 'authentication', message: 'Wrong secret_key' } } })
    }
    expect(compare).toHaveBeenCalled()
    for (const [a, b] of compare.mock.calls) expect(a.byteLength).toBe(b.byteLength)
    expect((await receiver.handle({ body: body(1) })).status).toBe(200)
    await receiver.idle()
    expect(texts(events)).toEqual(['message 1'])
  })

  it('refuses bodies that are not webhooks and payloads that do not fit their push', async () => {
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: () => {} })
    expect((await receiver.handle({ body: '{nope' })).status).toBe(400)
    expect((await receiver.handle({ body: [] })).status).toBe(400)
    expect((await receiver.handle({ body: body(1, { action: 42 }) })).status).toBe(400)
    const bad = await receiver.handle({ body: body(1, { payload: { chat_id: CHAT } }) })
    expect(bad.status).toBe(400)
  })

  it('drops duplicate deliveries of an event and of other pushes', async () => {
    const events: AgentEvent[] = []
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: (e) => void events.push(e) })
    await receiver.handle({ body: body(1) })
    await receiver.handle({ body: body(1) })
    await receiver.handle({ body: Buffer.from(JSON.stringify(body(1))) })
    const deactivated = body(0, { action: 'chat_deactivated', payload: { chat_id: CHAT, thread_id: THREAD, user_id: 'agent' } })
    await receiver.handle({ body: deactivated })
    await receiver.handle({ body: deactivated })
    await receiver.idle()
    expect(events.map((e) => e.type)).toEqual(['incoming_event', 'chat_deactivated'])
  })

  it('tolerates out-of-order deliveries: a late event is emitted once, and no gap is filled for it', async () => {
    const events: AgentEvent[] = []
    const fillGap = vi.fn(async (_gap: WebhookGap) => [] as ChatEvent[])
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: (e) => void events.push(e), fillGap })
    await receiver.handle({ body: body(1) })
    await receiver.handle({ body: body(2) })
    await receiver.handle({ body: body(4) }) // 3 is late: asked for once, the server does not have more
    await receiver.handle({ body: body(3) })
    await receiver.handle({ body: body(3) })
    await receiver.idle()
    expect(texts(events)).toEqual(['message 1', 'message 2', 'message 4', 'message 3'])
    expect(fillGap).toHaveBeenCalledTimes(1)
    expect(fillGap).toHaveBeenCalledWith({ chatId: CHAT, threadId: THREAD, missing: [3] })
  })

  it('fills a missed delivery from the Web API, in order, before the event that revealed it', async () => {
    const events: AgentEvent[] = []
    // the thread as get_chat answers it: every event so far
    const fillGap = vi.fn(async (_gap: WebhookGap) => [1, 2, 3, 4].map(chatEvent))
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: (e) => void events.push(e), fillGap })
    await receiver.handle({ body: body(1) })
    await receiver.handle({ body: body(4) }) // 2 and 3 never came
    await receiver.handle({ body: body(3) }) // 3 comes late after all: already filled, dropped
    await receiver.idle()
    expect(texts(events)).toEqual(['message 1', 'message 2', 'message 3', 'message 4'])
    expect(fillGap).toHaveBeenCalledWith({ chatId: CHAT, threadId: THREAD, missing: [2, 3] })
  })

  it('reports a failing listener or gap fill to onError and keeps answering 200', async () => {
    const onError = vi.fn()
    const receiver = createWebhookReceiver({
      secretKey: [SECRET, 'old-secret'],
      onEvent: () => {
        throw new Error('listener broke')
      },
      fillGap: () => Promise.reject(new Error('fill broke')),
      onError,
    })
    expect((await receiver.handle({ body: body(1, { secret_key: 'old-secret' }) })).status).toBe(200)
    expect((await receiver.handle({ body: body(3) })).status).toBe(200)
    await receiver.idle()
    expect(onError.mock.calls.map(([e]) => (e as Error).message)).toEqual(['listener broke', 'fill broke', 'listener broke'])
  })

  it('serves as a node:http listener', async () => {
    const events: AgentEvent[] = []
    const receiver = createWebhookReceiver({ secretKey: SECRET, onEvent: (e) => void events.push(e), maxBodyBytes: 4096 })
    const server = createServer(receiver.listener)
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const post = (payload: unknown) => fetch(url, { method: 'POST', body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } })
    expect((await post(body(1))).status).toBe(200)
    expect((await post(body(2, { secret_key: 'nope' }))).status).toBe(401)
    expect((await post({ ...body(2), filler: 'x'.repeat(8192) })).status).toBe(413)
    expect((await fetch(url)).status).toBe(405)
    await receiver.idle()
    expect(texts(events)).toEqual(['message 1'])
  })
})
