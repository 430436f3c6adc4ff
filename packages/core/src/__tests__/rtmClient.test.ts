import { ManualClock, seededRandom } from '@rapport/testing'
import { describe, expect, it, vi } from 'vitest'
import { RtmClient } from '../transport/rtmClient'
import { Transport } from '../transport/transport'

/** The client is generic over a side's action map; these tests use any action name. */
type AnyActions = Record<string, { request: object; response: unknown }>

const setup = (options: { pendingLimit?: number; queueLimit?: number } = {}) => {
  const clock = new ManualClock()
  const transport = new Transport()
  const sent: Array<{ request_id: string; action: string; payload: unknown }> = []
  transport.attach({
    readyState: 1,
    send: (text: string) => void sent.push(JSON.parse(text)),
    close: () => {},
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
  })
  const rtm = new RtmClient<AnyActions>(transport, { clock, now: clock.now, random: seededRandom(7), requestTimeoutMs: 1_000, indirectGraceMs: 500, ...options })
  const respond = (index: number, payload: unknown = {}, success = true) => {
    const request = sent[index] as { request_id: string; action: string }
    transport.receive(JSON.stringify({ request_id: request.request_id, action: request.action, type: 'response', success, payload }))
  }
  const push = (action: string, payload: unknown, requestId?: string) =>
    transport.receive(JSON.stringify({ action, type: 'push', payload, ...(requestId && { request_id: requestId }) }))
  return { clock, transport, sent, rtm, respond, push }
}

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve))

describe('RtmClient', () => {
  it('correlates responses by request id, in any order', async () => {
    const { rtm, sent, respond } = setup()
    const a = rtm.request('get_customer', {})
    const b = rtm.request('list_chats', { limit: 10 })
    expect(sent.map((f) => f.action)).toEqual(['get_customer', 'list_chats'])
    expect(sent[0]?.request_id).not.toBe(sent[1]?.request_id)
    respond(1, { total_chats: 0 })
    respond(0, { id: 'c' })
    await expect(a).resolves.toEqual({ via: 'response', payload: { id: 'c' } })
    await expect(b).resolves.toEqual({ via: 'response', payload: { total_chats: 0 } })
  })

  it('rejects with the documented code of an error response', async () => {
    const { rtm, respond } = setup()
    const call = rtm.request('send_event', {})
    respond(0, { error: { type: 'chat_inactive', message: 'inactive' } }, false)
    await expect(call).rejects.toMatchObject({ code: 'CHAT_INACTIVE', message: 'inactive' })
  })

  it('ignores frames for unknown or foreign request ids and malformed frames', async () => {
    const { rtm, transport, respond } = setup()
    const call = rtm.request('get_customer', {})
    transport.receive('not json')
    transport.receive(JSON.stringify({ request_id: 'other', action: 'get_customer', type: 'response', success: true, payload: {} }))
    respond(0, { ok: 1 })
    await expect(call).resolves.toMatchObject({ payload: { ok: 1 } })
  })

  it('times out with REQUEST_TIMEOUT and ignores a late answer', async () => {
    const { rtm, clock, respond } = setup()
    const call = rtm.request('get_customer', {})
    clock.advance(1_000)
    await expect(call).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    expect(() => respond(0)).not.toThrow()
    expect(rtm.pendingCount).toBe(0)
  })

  it('resolves start_chat / resume_chat / send_event from the push carrying their request id, which is not re-emitted', async () => {
    const { rtm, sent, respond, push } = setup()
    const pushes: string[] = []
    rtm.onPush((p) => pushes.push(p.action))
    const call = rtm.request('send_event', { chat_id: 'C' })
    respond(0, { event_id: 'E' })
    push('incoming_event', { chat_id: 'C', event: { id: 'E' } }, sent[0]?.request_id)
    push('incoming_event', { chat_id: 'C', event: { id: 'F' } })
    await expect(call).resolves.toMatchObject({ via: 'push', payload: { event: { id: 'E' } } })
    expect(pushes).toEqual(['incoming_event'])
  })

  it('falls back to the response of an indirect request when no push comes within the grace period', async () => {
    const { rtm, clock, respond } = setup()
    const call = rtm.request('start_chat', {})
    respond(0, { chat_id: 'C', thread_id: 'T' })
    clock.advance(500)
    await expect(call).resolves.toEqual({ via: 'response', payload: { chat_id: 'C', thread_id: 'T' } })
  })

  it('shares one deadline timer among requests; each still times out at its own deadline', async () => {
    const { rtm, clock, respond } = setup()
    // a stream of answered requests creates one timer, not one per request
    const created = vi.spyOn(clock, 'setTimeout')
    for (let i = 0; i < 20; i++) {
      const call = rtm.request('get_customer', {})
      expect(clock.pending).toBe(1)
      respond(i)
      await call
    }
    expect(created).toHaveBeenCalledTimes(1)
    expect(clock.pending).toBe(1)
    const first = rtm.request('a', {})
    clock.advance(300)
    const second = rtm.request('b', {}, { timeoutMs: 1_500 })
    const third = rtm.request('c', {})
    let settled: string[] = []
    for (const [name, call] of [['a', first], ['b', second], ['c', third]] as const) call.catch(() => settled.push(name))
    clock.advance(699) // 999 ms after the first request
    await tick()
    expect(settled).toEqual([])
    clock.advance(1) // the first one's deadline
    await tick()
    expect(settled).toEqual(['a'])
    await expect(first).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT' })
    settled = []
    clock.advance(300) // 1 000 ms after the third request
    await tick()
    expect(settled).toEqual(['c'])
    clock.advance(500) // 1 500 ms after the second
    await tick()
    expect(settled).toEqual(['c', 'b'])
    expect(rtm.pendingCount).toBe(0)
  })

  it('an indirect request answered by its response waits for the push until the grace period ends, under the shared timer', async () => {
    const { rtm, clock, sent, respond, push } = setup()
    const late = rtm.request('send_event', { chat_id: 'C' })
    clock.advance(400)
    const pushed = rtm.request('send_event', { chat_id: 'C' })
    respond(0, { event_id: 'E1' })
    respond(1, { event_id: 'E2' })
    push('incoming_event', { chat_id: 'C', event: { id: 'E2' } }, sent[1]?.request_id)
    await expect(pushed).resolves.toMatchObject({ via: 'push' })
    clock.advance(499)
    await tick()
    expect(rtm.pendingCount).toBe(1)
    clock.advance(1)
    await expect(late).resolves.toEqual({ via: 'response', payload: { event_id: 'E1' } })
  })

  it('keeps at most pendingLimit requests in flight and queues the rest, in order', async () => {
    const { rtm, sent, respond } = setup({ pendingLimit: 2 })
    const calls = [rtm.request('a', {}), rtm.request('b', {}), rtm.request('c', {})]
    expect(sent.map((f) => f.action)).toEqual(['a', 'b'])
    expect(rtm.pendingCount).toBe(3)
    respond(0)
    await calls[0]
    await tick()
    expect(sent.map((f) => f.action)).toEqual(['a', 'b', 'c'])
    respond(1)
    respond(2)
    await Promise.all(calls)
    expect(rtm.pendingCount).toBe(0)
  })

  it('rejects with PENDING_REQUESTS_LIMIT_REACHED when the queue is full, sending nothing', async () => {
    const { rtm, sent } = setup({ pendingLimit: 1, queueLimit: 1 })
    void rtm.request('a', {}).catch(() => {})
    void rtm.request('b', {}).catch(() => {})
    await expect(rtm.request('c', {})).rejects.toMatchObject({ code: 'PENDING_REQUESTS_LIMIT_REACHED' })
    expect(sent.map((f) => f.action)).toEqual(['a'])
    rtm.dispose()
  })

  it('settles every in-flight and queued request with CONNECTION_LOST when the socket goes, SDK_DESTROYED on dispose', async () => {
    const { rtm, transport } = setup({ pendingLimit: 1 })
    const inFlight = rtm.request('a', {})
    const queued = rtm.request('b', {})
    transport.detach()
    await expect(inFlight).rejects.toMatchObject({ code: 'CONNECTION_LOST' })
    await expect(queued).rejects.toMatchObject({ code: 'CONNECTION_LOST' })
    await expect(rtm.request('c', {})).rejects.toMatchObject({ code: 'NO_CONNECTION' })
    rtm.dispose()
  })

  it('dispose rejects pending requests with SDK_DESTROYED and clears its timers', async () => {
    const { rtm, clock } = setup()
    const call = rtm.request('a', {})
    rtm.dispose()
    await expect(call).rejects.toMatchObject({ code: 'SDK_DESTROYED' })
    expect(clock.pending).toBe(0)
  })
})
