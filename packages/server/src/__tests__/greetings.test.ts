import { describe, expect, it } from 'vitest'
import { BOT, ORG, startServer } from './helpers/harness'
import { errorOf, expectNoPush } from './helpers/flows'

type Greeting = { id: number; unique_id: string; displayed_first_time: boolean; is_exit_intent: boolean; event: Record<string, unknown>; agent: Record<string, unknown> }

describe('greetings', () => {
  it('admin shows a greeting: incoming_greeting to the customer’s tabs only, repeated at login until answered', async () => {
    const h = await startServer()
    const a = await h.customer()
    const tab = await h.open('customer')
    await tab.ok('login', { token: `Bearer ${(await h.token(ORG, a.customerId)).access_token}` })
    const b = await h.customer()
    const sent = h.server.admin.sendGreeting(a.customerId, { id: 7, agentId: BOT.id, text: 'Need help?', subtype: 'announcement' })
    const push = await a.socket.push<Greeting>('incoming_greeting')
    expect(push.payload).toEqual({
      id: 7,
      unique_id: sent.unique_id,
      displayed_first_time: true,
      subtype: 'announcement',
      is_exit_intent: false,
      event: expect.objectContaining({ type: 'message', text: 'Need help?', author_id: BOT.id, recipients: 'all' }),
      agent: { id: BOT.id, name: BOT.name, avatar: '', job_title: 'Bot', is_bot: true },
    })
    await tab.push('incoming_greeting')
    await expectNoPush(b.socket, 'incoming_greeting')

    const again = await h.customer({ customerId: a.customerId })
    expect(again.login.greeting).toMatchObject({ unique_id: sent.unique_id, displayed_first_time: false, accepted: false })
    expect(await a.socket.ok('get_customer')).toMatchObject({ statistics: { greetings_shown_count: 1 } })
  })

  it('accept_greeting → greeting_accepted; then greeting_not_found', async () => {
    const h = await startServer()
    const a = await h.customer()
    const sent = h.server.admin.sendGreeting(a.customerId, { id: 3 })
    await a.socket.push('incoming_greeting')
    expect(await errorOf(a.socket, 'accept_greeting', { greeting_id: 4, unique_id: sent.unique_id })).toBe('greeting_not_found')
    expect(await a.socket.ok('accept_greeting', { greeting_id: 3, unique_id: sent.unique_id })).toEqual({})
    expect((await a.socket.push('greeting_accepted')).payload).toEqual({ unique_id: sent.unique_id })
    expect(await a.socket.ok('get_customer')).toMatchObject({ statistics: { greetings_accepted_count: 1 } })
    expect(await errorOf(a.socket, 'accept_greeting', { greeting_id: 3, unique_id: sent.unique_id })).toBe('greeting_not_found')
    expect(await errorOf(a.socket, 'cancel_greeting', { unique_id: sent.unique_id })).toBe('greeting_not_found')
    expect((await h.customer({ customerId: a.customerId })).login).not.toHaveProperty('greeting')
  })

  it('cancel_greeting → greeting_canceled; a new greeting cancels the pending one; foreign greetings are not found', async () => {
    const h = await startServer()
    const a = await h.customer()
    const b = await h.customer()
    const first = h.server.admin.sendGreeting(a.customerId)
    await a.socket.push('incoming_greeting')
    const response = await h.adminFetch(`customers/${a.customerId}/greeting`, { text: 'Second', is_exit_intent: true })
    const second = (await response.json()) as { unique_id: string }
    expect((await a.socket.push('greeting_canceled')).payload).toEqual({ unique_id: first.unique_id })
    expect((await a.socket.push<Greeting>('incoming_greeting')).payload).toMatchObject({ unique_id: second.unique_id, is_exit_intent: true })

    expect(await errorOf(b.socket, 'cancel_greeting', { unique_id: second.unique_id })).toBe('greeting_not_found')
    expect(await errorOf(b.socket, 'send_greeting_button_clicked', { greeting_unique_id: second.unique_id, button_id: 'b1' })).toBe('greeting_not_found')
    expect(await a.socket.ok('send_greeting_button_clicked', { greeting_unique_id: second.unique_id, button_id: 'b1' })).toEqual({})
    expect(await a.socket.ok('cancel_greeting', { unique_id: second.unique_id })).toEqual({})
    expect((await a.socket.push('greeting_canceled')).payload).toEqual({ unique_id: second.unique_id })
    expect(await errorOf(a.socket, 'send_greeting_button_clicked', { greeting_unique_id: 'nope', button_id: 'b1' })).toBe('greeting_not_found')
    expect(await errorOf(a.socket, 'accept_greeting', { unique_id: 'x' })).toBe('validation')
  })

  it('admin HTTP: unknown customers and agents are 404', async () => {
    const h = await startServer()
    const missing = await h.adminFetch(`customers/nobody/greeting`, {})
    expect(missing.status).toBe(404)
    const a = await h.customer()
    const badAgent = await h.adminFetch(`customers/${a.customerId}/greeting`, { agent_id: 'ghost' })
    expect(badAgent.status).toBe(404)
  })
})
