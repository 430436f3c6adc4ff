import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../storage/memoryStorage'
import type { ChatRecord } from '../storage/storage'
import { startServer } from './helpers/harness'

const errorOf = (frame: { payload: unknown }) => (frame.payload as { error: { type: string; message: string } }).error

describe('bad frames', () => {
  it('answers every malformed frame with validation, echoing what it can, and keeps the connection usable', async () => {
    const h = await startServer()
    const a = await h.customer()
    const bystander = await h.customer()
    const { chat_id } = await a.socket.ok<{ chat_id: string }>('start_chat', {})
    const { socket } = a

    socket.sendRaw('{not json')
    expect(await socket.next((f) => f.type === 'response' && f.action === 'unknown')).toMatchObject({
      success: false,
      payload: { error: { type: 'validation' } },
    })
    socket.sendRaw('[1,2,3]')
    expect(errorOf(await socket.next((f) => f.type === 'response' && f.action === 'unknown'))).toMatchObject({ type: 'validation' })

    const unknown = await socket.request('fly_to_the_moon', {}, 'moon')
    expect(unknown).toMatchObject({ request_id: 'moon', action: 'fly_to_the_moon', success: false })
    expect(errorOf(unknown).type).toBe('validation')
    expect(errorOf(unknown).message).toMatch(/unknown action/i)

    const cases: Array<[string, unknown]> = [
      ['send_event', { chat_id: 42, event: { type: 'message', text: 'x' } }],
      ['send_event', { chat_id }],
      ['send_event', { chat_id, event: { type: 'message' } }],
      ['send_event', { chat_id, event: { type: 'form', form_id: 'x', fields: [] } }],
      ['send_event', { chat_id, event: { type: 'message', text: 'x'.repeat(16 * 1024 + 1) } }],
      ['send_event', { chat_id, event: { type: 'message', text: 'é'.repeat(8 * 1024 + 1) } }],
      ['get_chat', {}],
      ['list_chats', { limit: 26 }],
      ['list_threads', { chat_id, limit: 2, min_events_count: 2 }],
      ['mark_events_as_seen', { chat_id, seen_up_to: 'yesterday' }],
      ['deactivate_chat', { id: null }],
    ]
    for (const [action, payload] of cases) {
      const response = await socket.request(action, payload)
      expect(response, `${action} ${JSON.stringify(payload).slice(0, 80)}`).toMatchObject({ action, success: false })
      expect(errorOf(response).type).toBe('validation')
    }
    socket.send({ request_id: 'p', action: 'ping', payload: 'not an object' })
    expect(errorOf(await socket.response('p')).type).toBe('validation')
    socket.send({ request_id: 7, action: 'ping' })
    expect(await socket.next((f) => f.action === 'ping' && f.type === 'response')).toMatchObject({ success: false })

    // exactly 16 KB is fine
    expect((await socket.request('send_event', { chat_id, event: { type: 'message', text: 'x'.repeat(16 * 1024) } })).success).toBe(true)
    expect(socket.isOpen).toBe(true)
    expect((await bystander.socket.request('get_customer')).success).toBe(true)
  })

  it('answers a failing handler with internal, for that request only', async () => {
    class FlakyStorage extends MemoryStorage {
      broken = false
      override listCustomerChats(organizationId: string, customerId: string): ChatRecord[] {
        if (this.broken) throw new Error('disk on fire')
        return super.listCustomerChats(organizationId, customerId)
      }
    }
    const storage = new FlakyStorage()
    const errors: string[] = []
    const h = await startServer({ storage, logger: { info: () => {}, warn: () => {}, error: (message) => errors.push(message) } })
    const a = await h.customer()
    const b = await h.customer()
    storage.broken = true
    const failed = await a.socket.request('list_chats', {})
    expect(failed).toMatchObject({ request_id: 'r2', action: 'list_chats', success: false, payload: { error: { type: 'internal' } } })
    expect(errors).toHaveLength(1)
    storage.broken = false
    expect((await a.socket.request('list_chats', {})).success).toBe(true)
    expect((await b.socket.request('get_customer')).success).toBe(true)
  })
})
