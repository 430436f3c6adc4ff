import { nextEvent } from '@rapport/core'
import { createCustomerClient } from '@rapport/node'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer } from '../server/serverHarness'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('startTestServer', () => {
  it('restarts on the same port with the same storage: a connected customer comes back and keeps its chat', async () => {
    const server = await startTestServer()
    cleanups.push(() => server.stop())
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
    const client = createCustomerClient({
      organizationId: 'harness',
      clientId: 'harness',
      serverUrl: server.url,
      connection: { retry: { baseDelayMs: 20, maxDelayMs: 100, minIntervalMs: 10 } },
    })
    cleanups.push(() => client.destroy())
    await client.whenStatus('connected')
    const { chat } = await client.startChat({ chat: { thread: { events: [{ type: 'message', text: 'before' }] } } })

    const admin = server.admin
    const lost = nextEvent(client, 'disconnected')
    await server.restart()
    expect(server.restarts).toBe(1)
    expect(server.running).toBe(true)
    expect(server.admin).not.toBe(admin)
    expect(server.admin.health()).toMatchObject({ chats: 1, customers: 1 })

    await lost
    await client.whenStatus('connected')
    await client.sendEvent({ chatId: chat.id, event: { type: 'message', text: 'after' } })
    const fetched = await client.getChat({ chatId: chat.id })
    expect(fetched.thread?.events.map((e) => (e.type === 'message' ? e.text : e.type))).toEqual(['before', 'after'])
  })

  it('pause and start, then stop for good', async () => {
    const server = await startTestServer()
    await server.pause()
    expect(server.running).toBe(false)
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    await server.start()
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    await server.stop()
    await expect(server.restart()).rejects.toThrow(/stopped/)
  })
})
