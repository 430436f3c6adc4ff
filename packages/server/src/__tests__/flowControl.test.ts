/**
 * Backpressure and request rate per socket (security findings: a socket that stops
 * reading while asking for large answers grew the server past 1 GB and froze it; one
 * socket could have ~15 000 requests/s processed while another client's pings waited).
 *
 * - a slow reader (a raw `ws` client whose TCP socket is paused) flooding `get_chat` for a
 *   chat with large events: its reading is paused once its outgoing buffer passes the
 *   high-water mark, it is closed (1008) when the buffer stays over it or passes the hard
 *   cap, the bytes buffered for it stay bounded, and another client's pings are answered
 *   all along;
 * - over `requestsPerSecond`/`requestBurst` a socket gets `too_many_requests` (request id
 *   and action echoed), other sockets do not.
 */
import type { ResponseFrame } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, resolveLimits } from '../limits'
import { BOT, ORG, startServer, type Harness } from './helpers/harness'
import type { TestSocket } from './helpers/testSocket'

const KiB = 1024
/** A message text just under the platform's 16 KB. */
const BIG_TEXT = 'x'.repeat(16 * KiB - 64)

/** The client stops reading its TCP socket (ws's own pause: ws does not resume it behind our back). */
const pauseReading = (socket: TestSocket): void => socket.ws.pause()

const resumeReading = (socket: TestSocket): void => socket.ws.resume()

const responses = (socket: TestSocket, prefix: string): ResponseFrame[] =>
  socket.received.filter((f): f is ResponseFrame => f.type === 'response' && (f.request_id ?? '').startsWith(prefix))

/** A customer with a chat holding `events` messages of ~16 KB (a `get_chat` answer of ~16 KB × events). */
const bigChat = async (h: Harness, events: number) => {
  const a = await h.customer()
  const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'hi' }] } } })
  for (let i = 0; i < events; i += 1) await a.socket.ok('send_event', { chat_id, event: { type: 'message', text: BIG_TEXT } })
  return { customer: a, chatId: chat_id }
}

/** The same customer on a second socket, logged in. */
const secondSocket = async (h: Harness, customerId: string): Promise<TestSocket> => {
  const token = await h.token(ORG, customerId)
  const socket = await h.open('customer')
  await socket.ok('login', { token: `Bearer ${token.access_token}` })
  return socket
}

describe('slow readers', () => {
  it('pauses a socket that does not read its large answers, then closes it (1008); its buffer stays bounded and others get answers', { timeout: 30_000 }, async () => {
    const highWater = 256 * KiB
    const hardCap = 1024 * KiB
    const h = await startServer({
      limits: { outgoingHighWaterBytes: highWater, outgoingHardCapBytes: hardCap, slowReaderTimeoutMs: 300, requestsPerSecond: 0 },
    })
    const { customer, chatId } = await bigChat(h, 20)
    const answer = JSON.stringify((await customer.socket.request('get_chat', { chat_id: chatId })).payload).length
    expect(answer).toBeGreaterThan(300 * KiB)

    const slow = await secondSocket(h, customer.customerId)
    const other = (await h.customer()).socket
    pauseReading(slow)
    // 400 × ~320 KB asked for: ~128 MB if every answer were produced
    for (let i = 0; i < 400; i += 1) slow.send({ request_id: `flood${i}`, action: 'get_chat', payload: { chat_id: chatId } })

    // the other client keeps getting ping answers while the slow one is paused and then closed
    let pings = 0
    while (h.server.traffic().slowReadersClosed === 0) {
      await other.sync()
      pings += 1
      // bounded by the test's timeout: the close comes after slowReaderTimeoutMs of pause
      if (pings > 1_000_000) throw new Error(`the slow reader was never closed: ${JSON.stringify(h.server.traffic())}`)
    }
    expect(pings).toBeGreaterThan(0)
    await other.sync()
    const traffic = h.server.traffic()
    expect(traffic.readersPaused).toBeGreaterThanOrEqual(1)
    expect(traffic.slowReadersClosed).toBe(1)
    // paused as soon as the buffer passed the high-water mark: at most one answer more, never the hard cap
    expect(traffic.maxBufferedBytes).toBeLessThanOrEqual(highWater + answer + 4 * KiB)
    expect(h.server.admin.health().connections).toBe(2)

    // once it reads again, the client sees the socket closed after what had been buffered
    resumeReading(slow)
    expect([1006, 1008]).toContain(await slow.closed)
    expect(responses(slow, 'flood').length).toBeLessThan(400)
    expect(responses(slow, 'flood').every((r) => r.success)).toBe(true)
  })

  it('closes a paused socket whose pushes pass the hard cap, and the chat goes on for everyone else', { timeout: 30_000 }, async () => {
    const highWater = 64 * KiB
    const hardCap = 512 * KiB
    const h = await startServer({
      limits: { outgoingHighWaterBytes: highWater, outgoingHardCapBytes: hardCap, slowReaderTimeoutMs: 0, requestsPerSecond: 0 },
    })
    const bot = await h.agent(BOT.id)
    const { customer, chatId } = await bigChat(h, 0)
    await bot.push('incoming_chat')
    const slow = await secondSocket(h, customer.customerId)
    pauseReading(slow)
    // the bot's large messages are pushed to every socket of the customer, the paused one too
    let sent = 0
    while (h.server.traffic().slowReadersClosed === 0) {
      await bot.ok('send_event', { chat_id: chatId, event: { type: 'message', text: BIG_TEXT } })
      sent += 1
      if (sent > 100_000) throw new Error(`the slow reader was never closed: ${JSON.stringify(h.server.traffic())}`)
    }
    const traffic = h.server.traffic()
    // the buffer passed the hard cap by at most one push before the socket was closed
    expect(traffic.maxBufferedBytes).toBeLessThanOrEqual(hardCap + 17 * KiB)
    expect(traffic.slowReadersClosed).toBe(1)
    // the customer's reading socket got every message, and the bot keeps working
    const last = await customer.socket.push<{ event: { text: string } }>('incoming_event', () => customer.socket.received.filter((f) => f.action === 'incoming_event').length >= sent)
    expect(last.payload.event.text).toBe(BIG_TEXT)
    await bot.ok('send_event', { chat_id: chatId, event: { type: 'message', text: 'still here' } })
    await customer.socket.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === 'still here')
  })

  it('a reader that catches up is resumed: every request is answered, in order', async () => {
    const h = await startServer({
      limits: { outgoingHighWaterBytes: 64 * KiB, outgoingHardCapBytes: 64 * 1024 * KiB, slowReaderTimeoutMs: 0, requestsPerSecond: 0 },
    })
    const { customer, chatId } = await bigChat(h, 8)
    const reader = await secondSocket(h, customer.customerId)
    pauseReading(reader)
    // ~26 MB asked for: more than the network buffers between the two can hold
    for (let i = 0; i < 200; i += 1) reader.send({ request_id: `q${i}`, action: 'get_chat', payload: { chat_id: chatId } })
    // wait until the server paused it, then read
    while (h.server.traffic().readersPaused === 0) await customer.socket.sync()
    resumeReading(reader)
    while (responses(reader, 'q').length < 200) await new Promise((resolve) => setTimeout(resolve, 10))
    const ids = responses(reader, 'q').map((r) => r.request_id)
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `q${i}`))
    expect(h.server.traffic().slowReadersClosed).toBe(0)
  }, 30_000)
})

describe('request rate per socket', () => {
  it('answers too_many_requests over the burst, echoing request id and action; other sockets are not limited', async () => {
    const h = await startServer({ limits: { requestsPerSecond: 1, requestBurst: 10 } })
    const a = await h.customer()
    const b = await h.customer()
    for (let i = 0; i < 60; i += 1) a.socket.send({ request_id: `p${i}`, action: i % 2 === 0 ? 'ping' : 'get_customer', payload: {} })
    await a.socket.response('p59')
    const answered = responses(a.socket, 'p')
    expect(answered).toHaveLength(60)
    const limited = answered.filter((r) => !r.success)
    // the login took one token; at most one more refilled meanwhile
    expect(answered.filter((r) => r.success).length).toBeLessThanOrEqual(10)
    expect(limited.length).toBeGreaterThanOrEqual(50)
    for (const response of limited) {
      expect((response.payload as { error: { type: string } }).error.type).toBe('too_many_requests')
      expect(response.action).toBe(Number(response.request_id?.slice(1)) % 2 === 0 ? 'ping' : 'get_customer')
    }
    expect(h.server.traffic().rateLimited).toBe(limited.length)
    // another socket has its own budget
    await b.socket.sync()
    // and malformed frames count too, answered with what could be read
    a.socket.sendRaw('not json')
    const garbled = await a.socket.next((f) => f.type === 'response' && f.action === 'unknown')
    expect((garbled.payload as { error: { type: string } }).error.type).toBe('too_many_requests')
  })

  it('the defaults: 100 requests/s, bursts of 500; environment variables and options override them', () => {
    expect(DEFAULT_LIMITS.requestsPerSecond).toBe(100)
    expect(DEFAULT_LIMITS.requestBurst).toBe(500)
    expect(resolveLimits({}, {}).requestsPerSecond).toBe(100)
    expect(resolveLimits({}, { RAPPORT_LIMIT_REQUESTS_PER_SECOND: '7' }).requestsPerSecond).toBe(7)
    expect(resolveLimits({ requestsPerSecond: 3 }, { RAPPORT_LIMIT_REQUESTS_PER_SECOND: '7' }).requestsPerSecond).toBe(3)
    expect(resolveLimits({}, { RAPPORT_LIMIT_REQUESTS_PER_SECOND: 'lots' }).requestsPerSecond).toBe(100)
    expect(resolveLimits({}, { RAPPORT_LIMIT_FIELD_NAME: '40' }).fields.name).toBe(40)
    expect(resolveLimits({ pageIdSecret: 's' }, { RAPPORT_PAGE_ID_SECRET: 'e' }).pageIdSecret).toBe('s')
    expect(resolveLimits({}, { RAPPORT_PAGE_ID_SECRET: 'e' }).pageIdSecret).toBe('e')
  })
})
