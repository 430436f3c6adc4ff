import { describe, expect, it } from 'vitest'
import { startServer } from './helpers/harness'
import { chatWithBot, errorOf, expectNoPush } from './helpers/flows'

describe('update_customer', () => {
  it('stores the fields and pushes customer_updated with the changes to the customer and agents with access', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const changes = {
      name: 'Ann',
      email: 'ann@example.com',
      avatar: 'https://example.com/a.png',
      session_fields: [{ plan: 'pro' }],
      omnichannel: { twilio: { phone_number: '+48123' } },
      address: { city: 'Wrocław', country: 'PL' },
    }
    expect(await s.customer.ok('update_customer', changes)).toEqual({})
    for (const socket of [s.customer, s.tab, s.bot]) {
      expect((await socket.push('customer_updated')).payload).toMatchObject({ id: s.customerId, ...changes, phone_number: '+48123' })
    }
    await expectNoPush(s.other, 'customer_updated')
    const me = await s.customer.ok('get_customer')
    expect(me).toMatchObject({ id: s.customerId, ...changes, phone_number: '+48123', statistics: { chats_count: 1 } })

    await s.customer.ok('update_customer', { name: 'Anna' })
    expect((await s.bot.push('customer_updated')).payload).toEqual({ id: s.customerId, name: 'Anna' })
  })

  it('requires a field, checks types and the session field limit', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'update_customer', {})).toBe('validation')
    expect(await errorOf(socket, 'update_customer', { name: 5 })).toBe('validation')
    expect(await errorOf(socket, 'update_customer', { omnichannel: { twilio: {} } })).toBe('validation')
    const many = Array.from({ length: 101 }, (_, i) => ({ [`k${i}`]: 'v' }))
    expect(await errorOf(socket, 'update_customer', { session_fields: many })).toBe('customer_session_fields_limit_reached')
  })
})

describe('set_customer_session_fields', () => {
  it('merges by key and pushes customer_updated', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    await s.customer.ok('set_customer_session_fields', { session_fields: [{ a: '1' }, { b: '2' }] })
    expect((await s.bot.push('customer_updated')).payload).toEqual({ id: s.customerId, session_fields: [{ a: '1' }, { b: '2' }] })
    await s.customer.ok('set_customer_session_fields', { session_fields: [{ a: '3' }, { c: '4' }] })
    expect((await s.tab.push('customer_updated', (f) => (f.payload as { session_fields: unknown[] }).session_fields.length === 3)).payload).toEqual({
      id: s.customerId,
      session_fields: [{ a: '3' }, { b: '2' }, { c: '4' }],
    })
    await expectNoPush(s.other, 'customer_updated')
  })

  it('fails over 100 keys in total and on malformed input', async () => {
    const h = await startServer()
    const { socket } = await h.customer()
    await socket.ok('set_customer_session_fields', { session_fields: Array.from({ length: 100 }, (_, i) => ({ [`k${i}`]: 'v' })) })
    expect(await errorOf(socket, 'set_customer_session_fields', { session_fields: [{ extra: 'v' }] })).toBe('customer_session_fields_limit_reached')
    expect(await errorOf(socket, 'set_customer_session_fields', { session_fields: [{ a: 1 }] })).toBe('validation')
    expect(await errorOf(socket, 'set_customer_session_fields', {})).toBe('validation')
  })
})

describe('update_customer_page', () => {
  it('answers {} and counts a page view; a page of another group moves the customer there', async () => {
    const h = await startServer({ groups: [{ id: 1, pages: ['https://shop.example/de/'] }], agents: [{ id: 'de@test', name: 'De', type: 'agent', groups: [1] }] })
    const { socket } = await h.customer()
    expect(await socket.ok('update_customer_page', { url: 'https://shop.example/cart', title: 'Cart' })).toEqual({})
    expect(await socket.ok('get_customer')).toMatchObject({ statistics: { page_views_count: 1 } })
    expect(await socket.ok('update_customer_page', { url: 'https://shop.example/de/warenkorb' })).toEqual({ groups: [{ id: 1, status: 'offline' }] })
    const { chat_id } = await socket.ok<{ chat_id: string }>('start_chat', {})
    expect(await socket.ok('get_chat', { chat_id })).toMatchObject({ access: { group_ids: [1] } })
    expect(h.server.admin.getCustomer((await socket.ok<{ id: string }>('get_customer')).id)).toMatchObject({ last_page: { url: 'https://shop.example/de/warenkorb' } })
    expect(await errorOf(socket, 'update_customer_page', { title: 'x' })).toBe('validation')
  })
})
