/**
 * The storage contract of the unused-customer sweep, on both storages:
 * `listUnusedCustomers` finds the customers that never logged in, are older than the
 * cutoff, are not banned and have no chat and no greeting; `deleteCustomer` removes one
 * with its customer tokens (and only those), inside a transaction that can roll back.
 */
import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../storage/memoryStorage'
import { SqliteStorage } from '../storage/sqliteStorage'
import type { CustomerRecord, GreetingRecord, Storage, TokenRecord } from '../storage/storage'

const ORG = 'org-1'
const OTHER = 'org-2'
const OLD = '2026-01-01T00:00:00.000000Z'
const CUTOFF = '2026-01-02T00:00:00.000000Z'
const NEW = '2026-01-03T00:00:00.000000Z'

const customer = (id: string, extra: Partial<CustomerRecord> = {}, visits = 0): CustomerRecord => ({
  id,
  organization_id: ORG,
  identity_secret: `secret-${id}`,
  created_at: OLD,
  statistics: { chats_count: 0, threads_count: 0, visits_count: visits, page_views_count: 0, greetings_shown_count: 0, greetings_accepted_count: 0 },
  ...extra,
})

const token = (accessToken: string, entityId: string, extra: Partial<TokenRecord> = {}): TokenRecord => ({
  access_token: accessToken,
  kind: 'customer',
  entity_id: entityId,
  organization_id: ORG,
  expires_at: Date.now() + 60_000,
  ...extra,
})

const greeting = (customerId: string): GreetingRecord => ({
  id: 1,
  unique_id: `g-${customerId}`,
  organization_id: ORG,
  customer_id: customerId,
  agent_id: 'bot@test',
  created_at: OLD,
  is_exit_intent: false,
  event: { id: 'e', created_at: OLD, type: 'message', visibility: 'all', text: 'hi' },
  status: 'pending',
  displayed: false,
  clicked_buttons: [],
})

const storages: Array<[string, () => Storage]> = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage', () => new SqliteStorage(':memory:')],
]

describe.each(storages)('unused customers on %s', (_name, make) => {
  it('lists only never-used customers older than the cutoff, at most `limit`', () => {
    const storage = make()
    storage.putCustomer(customer('unused'))
    storage.putCustomer(customer('unused-2'))
    storage.putCustomer(customer('visited', {}, 1))
    storage.putCustomer(customer('young', { created_at: NEW }))
    storage.putCustomer(customer('banned', { banned: true }))
    storage.putCustomer(customer('chatting'))
    storage.putChat({ id: 'ch', organization_id: ORG, customer_id: 'chatting', created_at: OLD, users: [], access: { group_ids: [0] }, properties: {}, thread_ids: [] })
    storage.putCustomer(customer('greeted'))
    storage.putGreeting(greeting('greeted'))
    storage.putCustomer({ ...customer('elsewhere'), organization_id: OTHER })
    expect(storage.listUnusedCustomers(CUTOFF, 100).map((c) => `${c.organization_id}/${c.id}`).sort()).toEqual([
      `${ORG}/unused`,
      `${ORG}/unused-2`,
      `${OTHER}/elsewhere`,
    ])
    expect(storage.listUnusedCustomers(CUTOFF, 1)).toHaveLength(1)
    storage.close()
  })

  it('deletes a customer with its customer tokens of that organization only, and rolls back with the transaction', () => {
    const storage = make()
    storage.putCustomer(customer('c1'))
    storage.putToken(token('t1', 'c1'))
    storage.putToken(token('t2', 'c1'))
    storage.putToken(token('t-other-org', 'c1', { organization_id: OTHER }))
    storage.putToken(token('t-agent', 'c1', { kind: 'agent' }))
    expect(() =>
      storage.transaction(() => {
        storage.deleteCustomer(ORG, 'c1')
        throw new Error('undo')
      }),
    ).toThrow('undo')
    expect(storage.getCustomer(ORG, 'c1')).toBeDefined()
    expect(storage.getToken('t1')).toBeDefined()

    storage.transaction(() => storage.deleteCustomer(ORG, 'c1'))
    expect(storage.getCustomer(ORG, 'c1')).toBeUndefined()
    expect(storage.getToken('t1')).toBeUndefined()
    expect(storage.getToken('t2')).toBeUndefined()
    expect(storage.getToken('t-other-org')).toBeDefined()
    expect(storage.getToken('t-agent')).toBeDefined()
    expect(storage.counts().customers).toBe(0)
    storage.close()
  })
})
