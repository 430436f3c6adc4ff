/**
 * One transaction per request, on both stores: an RTM request, an admin operation or a
 * token request that fails after some of its writes leaves the storage as it was.
 */
import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../storage/memoryStorage'
import { SqliteStorage } from '../storage/sqliteStorage'
import type { Storage } from '../storage/storage'
import { errorOf } from './helpers/flows'
import { ORG, startServer } from './helpers/harness'

type Write = 'putThread' | 'putCustomer' | 'putToken'

/** Makes the store's next call of a write throw, once (a failing disk). */
const failNext = (storage: Storage, write: Write): void => {
  const writes = storage as unknown as Record<Write, (record: unknown) => void>
  const original = writes[write]
  writes[write] = () => {
    writes[write] = original
    throw new Error(`${write} failed`)
  }
}

const stores: Array<[string, () => Storage]> = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage(':memory:')],
]

describe.each(stores)('requests are atomic: %s', (_name, create) => {
  const serve = async () => {
    const storage = create()
    const h = await startServer({ storage })
    const done = async (): Promise<void> => {
      await h.server.close()
      storage.close()
    }
    return { h, storage, done }
  }

  it('an RTM request that fails after writing leaves nothing behind', async () => {
    const { h, storage, done } = await serve()
    const { socket, customerId } = await h.customer()
    const before = storage.getCustomer(ORG, customerId)
    // start_chat writes the chat and the customer's statistics, then fails on the thread.
    failNext(storage, 'putThread')
    expect(await errorOf(socket, 'start_chat', {})).toBe('internal')
    expect(storage.listCustomerChats(ORG, customerId)).toEqual([])
    expect(storage.getCustomer(ORG, customerId)).toEqual(before)

    const started = await socket.ok<{ chat_id: string }>('start_chat', {})
    expect(storage.listCustomerChats(ORG, customerId).map((chat) => chat.id)).toEqual([started.chat_id])
    expect(storage.getCustomer(ORG, customerId)?.statistics.chats_count).toBe(1)
    await done()
  })

  it('an admin operation that fails after writing leaves nothing behind', async () => {
    const { h, storage, done } = await serve()
    const { customerId } = await h.customer()
    // sendGreeting stores the greeting, then fails on the customer's statistics.
    failNext(storage, 'putCustomer')
    expect(() => h.server.admin.sendGreeting(customerId)).toThrow('putCustomer failed')
    expect(storage.listGreetings(ORG, customerId)).toEqual([])
    h.server.admin.sendGreeting(customerId)
    expect(storage.listGreetings(ORG, customerId)).toHaveLength(1)
    await done()
  })

  it('a token request that fails after creating its customer creates nothing', async () => {
    const { h, storage, done } = await serve()
    const before = storage.counts()
    failNext(storage, 'putToken')
    const response = await fetch(`${h.server.url}/v2/customer/token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'cookie', client_id: 'test', response_type: 'token', organization_id: ORG }),
    })
    expect(response.status).toBe(500)
    expect(storage.counts()).toEqual(before)
    expect(() => h.server.admin.issueCustomerToken(ORG, 'pinned')).not.toThrow()
    expect(storage.counts().customers).toBe(before.customers + 1)
    await done()
  })
})
