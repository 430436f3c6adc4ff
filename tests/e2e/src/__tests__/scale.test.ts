/**
 * Many synthetic customers in one process: customer clients of @rapport/node against the
 * local server in-process, each a new customer that connects, starts a chat and sends one
 * message. None may fail, lose its connection or drop a frame. (The 1,000-customer run, with
 * the memory per customer beside raw `ws`, is the `scale` section of `pnpm bench`.)
 */
import type { CustomerClient } from '@rapport/core'
import { createCustomerClient } from '@rapport/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, startTestServer } from '@rapport/testing/server'

const CUSTOMERS = 100
const organizationId = 'scale-org'

describe(`${CUSTOMERS} customers in one process`, () => {
  let server: TestServer
  const clients: CustomerClient[] = []

  beforeAll(async () => {
    // every customer comes from 127.0.0.1: the limit on new customers per address is off
    server = await startTestServer({ limits: { customersPerAddress: 0 } })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it('all connect, each starts a chat and sends a message, with no error', async () => {
    const problems: string[] = []
    const sent = await Promise.all(
      Array.from({ length: CUSTOMERS }, async (_, i) => {
        const client = createCustomerClient({ organizationId, clientId: 'scale', serverUrl: server.url })
        clients.push(client)
        client.diagnostics$.subscribe((diagnostic) => problems.push(`customer ${i}: diagnostic ${JSON.stringify(diagnostic)}`))
        let connected = false
        client.connection.subscribe(() => {
          const { status, reason } = client.connection.getSnapshot()
          if (status === 'connected') connected = true
          else if (connected) problems.push(`customer ${i}: ${status} (${reason ?? 'no reason'})`)
        })
        await client.whenStatus('connected')
        const { chat } = await client.startChat()
        const event = await client.sendEvent({ chatId: chat.id, event: { type: 'message', text: `hello from customer ${i}` } })
        return { customerId: client.state.getSnapshot().customerId, chatId: chat.id, event }
      }),
    )
    expect(problems).toEqual([])
    expect(clients.every((client) => client.status === 'connected')).toBe(true)
    // a hundred customers, a hundred chats, each message stored in its own chat
    expect(new Set(sent.map((s) => s.customerId)).size).toBe(CUSTOMERS)
    expect(new Set(sent.map((s) => s.chatId)).size).toBe(CUSTOMERS)
    sent.forEach((s, i) => {
      expect(s.event).toMatchObject({ type: 'message', text: `hello from customer ${i}`, authorId: s.customerId })
    })
  }, 60_000)
})
