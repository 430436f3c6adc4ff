import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_DB_PATH, storageFromEnv } from '../storage/fromEnv'
import { MemoryStorage } from '../storage/memoryStorage'
import { SCHEMA_VERSION, SqliteStorage, migrate, schemaVersion } from '../storage/sqliteStorage'
import { STORED_JSON_DEPTH, type ChatRecord, type CustomerRecord, type EventRecord, type FileRecord, type GreetingRecord, type Storage, type ThreadRecord } from '../storage/storage'

const tempDir = mkdtempSync(join(tmpdir(), 'rapport-storage-'))
afterAll(() => rmSync(tempDir, { recursive: true, force: true }))
let fileCounter = 0
const tempDb = (): string => join(tempDir, `db${++fileCounter}`, 'rapport.sqlite')

const ORG = 'org-1'
const OTHER_ORG = 'org-2'

const customer = (id: string, organization_id = ORG): CustomerRecord => ({
  id,
  organization_id,
  identity_secret: `secret-${id}`,
  created_at: '2026-01-01T00:00:00.000000Z',
  statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 0, greetings_shown_count: 0, greetings_accepted_count: 0 },
})

const chat = (id: string, customerId: string, organization_id = ORG): ChatRecord => ({
  id,
  organization_id,
  customer_id: customerId,
  created_at: '2026-01-01T00:00:00.000000Z',
  users: [{ id: customerId, type: 'customer', present: true }],
  access: { group_ids: [0] },
  properties: { routing: { pinned: true } },
  thread_ids: [],
})

const thread = (id: string, chatId: string): ThreadRecord => ({
  id,
  chat_id: chatId,
  organization_id: ORG,
  created_at: '2026-01-01T00:00:00.000000Z',
  active: true,
  user_ids: ['c1'],
  properties: {},
  access: { group_ids: [0] },
  event_count: 0,
})

const message = (id: string, extra: Partial<EventRecord> = {}): EventRecord => ({
  id,
  created_at: '2026-01-01T00:00:00.000000Z',
  type: 'message',
  visibility: 'all',
  author_id: 'c1',
  text: `text of ${id}`,
  ...extra,
})

const greeting = (uniqueId: string, customerId: string): GreetingRecord => ({
  id: 7,
  unique_id: uniqueId,
  organization_id: ORG,
  customer_id: customerId,
  agent_id: 'bot@test',
  created_at: '2026-01-01T00:00:00.000000Z',
  is_exit_intent: false,
  event: message(`g-${uniqueId}`),
  status: 'pending',
  displayed: false,
  clicked_buttons: [],
})

const file = (id: string): FileRecord => ({
  id,
  organization_id: ORG,
  owner_id: 'c1',
  name: `${id}.txt`,
  content_type: 'text/plain',
  size: 2,
  created_at: 'x',
  data: Buffer.from('hi'),
})

/** A customer with two chats, a thread with two events, a token, a greeting, a file and the organization. */
const seed = (storage: Storage): void => {
  storage.putCustomer({ ...customer('c1'), session_fields: [{ plan: 'pro' }] })
  storage.putChat({ ...chat('A', 'c1'), thread_ids: ['T1'] })
  storage.putChat(chat('B', 'c1'))
  storage.putThread(thread('T1', 'A'))
  storage.appendEvent(ORG, 'T1', message('T1_1', { custom_id: 'x1', properties: { p: { q: 1 } } }))
  storage.appendEvent(ORG, 'T1', message('T1_2'))
  storage.putToken({ access_token: 'a', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 1 })
  storage.putGreeting(greeting('g1', 'c1'))
  storage.putFile(file('f1'))
  storage.putOrganization({ id: ORG, license_expired: false })
}

/** Everything `seed` (and the tests) write, as read back. */
const snapshot = (storage: Storage) => {
  const f1 = storage.getFile('f1')
  return {
    customer: storage.getCustomer(ORG, 'c1'),
    chats: storage.listChats(ORG),
    customerChats: storage.listCustomerChats(ORG, 'c1'),
    chat: storage.getChat(ORG, 'A'),
    thread: storage.getThread(ORG, 'T1'),
    events: storage.listEvents(ORG, 'T1'),
    event: storage.getEvent(ORG, 'T1', 'T1_1'),
    byCustomId: storage.findEventByCustomId(ORG, ['T1'], 'c1', 'x1'),
    token: storage.getToken('a'),
    tokens: storage.listTokens('c1'),
    greeting: storage.getGreeting(ORG, 'g1'),
    greetings: storage.listGreetings(ORG, 'c1'),
    file: f1 && { ...f1, data: [...f1.data] },
    organization: storage.getOrganization(ORG),
    counts: storage.counts(),
  }
}

const opened: Storage[] = []
afterEach(() => {
  for (const storage of opened.splice(0)) storage.close()
})
const open = <S extends Storage>(storage: S): S => {
  opened.push(storage)
  return storage
}

const implementations: Array<[string, () => Storage]> = [
  ['MemoryStorage', () => new MemoryStorage()],
  ['SqliteStorage (:memory:)', () => new SqliteStorage(':memory:')],
  ['SqliteStorage (file)', () => new SqliteStorage(tempDb())],
]

describe.each(implementations)('storage contract: %s', (_name, create) => {
  it('stores customers per organization and overwrites them', () => {
    const storage = open(create())
    expect(storage.getCustomer(ORG, 'c1')).toBeUndefined()
    storage.putCustomer(customer('c1'))
    storage.putCustomer(customer('c1', OTHER_ORG))
    storage.putCustomer({ ...customer('c1'), name: 'Ann', session_fields: [{ plan: 'pro' }], customer_side_storage: { k: 'v' } })
    expect(storage.getCustomer(ORG, 'c1')).toEqual({ ...customer('c1'), name: 'Ann', session_fields: [{ plan: 'pro' }], customer_side_storage: { k: 'v' } })
    expect(storage.getCustomer(OTHER_ORG, 'c1')).toEqual(customer('c1', OTHER_ORG))
    expect(storage.getCustomer(ORG, 'c2')).toBeUndefined()
    expect(storage.counts()).toEqual({ customers: 2, chats: 0 })
  })

  it('finds a customer by a session field of its organization (exact key and value)', () => {
    const storage = open(create())
    storage.putCustomer({ ...customer('c1'), session_fields: [{ plan: 'pro' }, { external_id: 'crm-1' }] })
    storage.putCustomer({ ...customer('c2', OTHER_ORG), session_fields: [{ external_id: 'crm-2' }] })
    storage.putCustomer(customer('c3'))
    expect(storage.findCustomerBySessionField(ORG, 'external_id', 'crm-1')?.id).toBe('c1')
    expect(storage.findCustomerBySessionField(ORG, 'external_id', 'crm-2')).toBeUndefined()
    expect(storage.findCustomerBySessionField(OTHER_ORG, 'external_id', 'crm-2')?.id).toBe('c2')
    expect(storage.findCustomerBySessionField(ORG, 'external_id', 'crm')).toBeUndefined()
    expect(storage.findCustomerBySessionField(ORG, 'plan', 'crm-1')).toBeUndefined()
    expect(storage.findCustomerBySessionField(ORG, 'toString', 'crm-1')).toBeUndefined()
  })

  it('lists chats oldest first, per customer and per organization; a rewrite keeps the position', () => {
    const storage = open(create())
    storage.putChat(chat('A', 'c1'))
    storage.putChat(chat('B', 'c2'))
    storage.putChat(chat('C', 'c1'))
    storage.putChat(chat('D', 'c1', OTHER_ORG))
    storage.putChat({ ...chat('A', 'c1'), thread_ids: ['T1'], properties: {} })
    expect(storage.getChat(ORG, 'A')).toEqual({ ...chat('A', 'c1'), thread_ids: ['T1'], properties: {} })
    expect(storage.getChat(OTHER_ORG, 'A')).toBeUndefined()
    expect(storage.listCustomerChats(ORG, 'c1').map((c) => c.id)).toEqual(['A', 'C'])
    expect(storage.listCustomerChats(ORG, 'c3')).toEqual([])
    expect(storage.listChats(ORG).map((c) => c.id)).toEqual(['A', 'B', 'C'])
    expect(storage.listChats(OTHER_ORG).map((c) => c.id)).toEqual(['D'])
    expect(storage.counts().chats).toBe(4)
  })

  it('stores threads', () => {
    const storage = open(create())
    const t = thread('T1', 'A')
    storage.putThread(t)
    storage.putThread({ ...t, active: false, queue: { position: 1, wait_time: 30, queued_at: 'x' }, next_thread_id: 'T2' })
    expect(storage.getThread(ORG, 'T1')).toEqual({ ...t, active: false, queue: { position: 1, wait_time: 30, queued_at: 'x' }, next_thread_id: 'T2' })
    expect(storage.getThread(OTHER_ORG, 'T1')).toBeUndefined()
  })

  it('appends, lists, finds and updates events in place', () => {
    const storage = open(create())
    storage.appendEvent(ORG, 'T1', message('T1_1', { custom_id: 'x1' }))
    storage.appendEvent(ORG, 'T1', message('T1_2', { visibility: 'agents', properties: { p: { q: 1 } } }))
    storage.appendEvent(ORG, 'T2', message('T2_1', { custom_id: 'x1', author_id: 'c2' }))
    storage.appendEvent(OTHER_ORG, 'T1', message('T1_1'))
    storage.updateEvent(ORG, 'T1', { ...message('T1_1', { custom_id: 'x1' }), deleted: true })
    storage.updateEvent(ORG, 'T1', message('T1_404'))
    expect(storage.listEvents(ORG, 'T1')).toEqual([
      { ...message('T1_1', { custom_id: 'x1' }), deleted: true },
      message('T1_2', { visibility: 'agents', properties: { p: { q: 1 } } }),
    ])
    expect(storage.getEvent(ORG, 'T1', 'T1_2')).toEqual(message('T1_2', { visibility: 'agents', properties: { p: { q: 1 } } }))
    expect(storage.getEvent(ORG, 'T2', 'T1_2')).toBeUndefined()
    expect(storage.listEvents(ORG, 'T3')).toEqual([])

    expect(storage.findEventByCustomId(ORG, ['T1', 'T2'], 'c1', 'x1')).toEqual({
      thread_id: 'T1',
      event: { ...message('T1_1', { custom_id: 'x1' }), deleted: true },
    })
    expect(storage.findEventByCustomId(ORG, ['T1', 'T2'], 'c2', 'x1')?.event.id).toBe('T2_1')
    expect(storage.findEventByCustomId(ORG, ['T1'], 'c2', 'x1')).toBeUndefined()
    expect(storage.findEventByCustomId(ORG, [], 'c1', 'x1')).toBeUndefined()
    expect(storage.findEventByCustomId(OTHER_ORG, ['T1'], 'c1', 'x1')).toBeUndefined()
    expect(storage.findEventByCustomId(ORG, ['T1', 'T2'], 'c1', 'nope')).toBeUndefined()
  })

  it('stores tokens and lists them by entity in issue order', () => {
    const storage = open(create())
    storage.putToken({ access_token: 'a', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 1 })
    storage.putToken({ access_token: 'b', kind: 'agent', entity_id: 'bot', expires_at: 2 })
    storage.putToken({ access_token: 'c', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 3 })
    storage.putToken({ access_token: 'a', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 0 })
    expect(storage.getToken('b')).toEqual({ access_token: 'b', kind: 'agent', entity_id: 'bot', expires_at: 2 })
    expect(storage.getToken('z')).toBeUndefined()
    expect(storage.listTokens('c1').map((t) => [t.access_token, t.expires_at])).toEqual([
      ['a', 0],
      ['c', 3],
    ])
    expect(storage.listTokens('nobody')).toEqual([])
  })

  it('stores greetings per customer, oldest first', () => {
    const storage = open(create())
    storage.putGreeting(greeting('g1', 'c1'))
    storage.putGreeting(greeting('g2', 'c2'))
    storage.putGreeting(greeting('g3', 'c1'))
    storage.putGreeting({ ...greeting('g1', 'c1'), status: 'accepted', clicked_buttons: ['b1'] })
    expect(storage.getGreeting(ORG, 'g1')).toEqual({ ...greeting('g1', 'c1'), status: 'accepted', clicked_buttons: ['b1'] })
    expect(storage.listGreetings(ORG, 'c1').map((g) => g.unique_id)).toEqual(['g1', 'g3'])
    expect(storage.listGreetings(OTHER_ORG, 'c1')).toEqual([])
  })

  it('stores files with their bytes, and organizations', () => {
    const storage = open(create())
    const data = Buffer.from([0, 1, 2, 255, 254])
    storage.putFile({ id: 'f1', organization_id: ORG, owner_id: 'c1', name: 'a.png', content_type: 'image/png', size: 5, width: 1, height: 1, created_at: 'x', data })
    const file = storage.getFile('f1')
    expect(file).toMatchObject({ id: 'f1', organization_id: ORG, owner_id: 'c1', name: 'a.png', content_type: 'image/png', size: 5, width: 1, height: 1 })
    expect(Buffer.compare(file?.data ?? Buffer.alloc(0), data)).toBe(0)
    expect(storage.getFile('f2')).toBeUndefined()
    storage.putOrganization({ id: ORG, license_expired: true })
    storage.putOrganization({ id: ORG, license_expired: false })
    expect(storage.getOrganization(ORG)).toEqual({ id: ORG, license_expired: false })
    expect(storage.getOrganization(OTHER_ORG)).toBeUndefined()
  })

  it('returns copies: changing a record it handed out changes nothing stored', () => {
    const storage = open(create())
    seed(storage)
    const before = snapshot(storage)
    const mutate = (record: { [field: string]: unknown } | undefined): void => {
      if (!record) throw new Error('record missing')
      for (const value of Object.values(record)) {
        if (Array.isArray(value)) value.push('changed')
        else if (value instanceof Uint8Array) value.fill(7)
        else if (typeof value === 'object' && value !== null) Object.assign(value, { changed: true })
      }
      Object.assign(record, { id: 'changed', changed: true })
    }
    mutate(storage.getCustomer(ORG, 'c1') as unknown as Record<string, unknown>)
    mutate(storage.getChat(ORG, 'A') as unknown as Record<string, unknown>)
    for (const c of storage.listChats(ORG)) mutate(c as unknown as Record<string, unknown>)
    for (const c of storage.listCustomerChats(ORG, 'c1')) mutate(c as unknown as Record<string, unknown>)
    mutate(storage.getThread(ORG, 'T1') as unknown as Record<string, unknown>)
    mutate(storage.getEvent(ORG, 'T1', 'T1_1'))
    for (const e of storage.listEvents(ORG, 'T1')) mutate(e)
    mutate(storage.findEventByCustomId(ORG, ['T1'], 'c1', 'x1')?.event)
    mutate(storage.getToken('a') as unknown as Record<string, unknown>)
    for (const t of storage.listTokens('c1')) mutate(t as unknown as Record<string, unknown>)
    mutate(storage.getGreeting(ORG, 'g1') as unknown as Record<string, unknown>)
    for (const g of storage.listGreetings(ORG, 'c1')) mutate(g as unknown as Record<string, unknown>)
    mutate(storage.getFile('f1') as unknown as Record<string, unknown>)
    mutate(storage.getOrganization(ORG) as unknown as Record<string, unknown>)
    expect(snapshot(storage)).toEqual(before)
  })

  it('keeps copies: changing a record after writing it changes nothing stored', () => {
    const storage = open(create())
    const c = customer('c1')
    const a = chat('A', 'c1')
    const t = thread('T1', 'A')
    const e1 = message('T1_1', { custom_id: 'x1', properties: { p: { q: 1 } } })
    const e2 = message('T1_2')
    const token = { access_token: 'a', kind: 'customer' as const, entity_id: 'c1', organization_id: ORG, expires_at: 1 }
    const g = greeting('g1', 'c1')
    const f = file('f1')
    const o = { id: ORG, license_expired: false }
    storage.putCustomer(c)
    storage.putChat(a)
    storage.putThread(t)
    storage.appendEvent(ORG, 'T1', e1)
    storage.appendEvent(ORG, 'T1', message('T1_2', { text: 'first' }))
    storage.updateEvent(ORG, 'T1', e2)
    storage.putToken(token)
    storage.putGreeting(g)
    storage.putFile(f)
    storage.putOrganization(o)
    const before = snapshot(storage)
    c.statistics.chats_count = 99
    c.name = 'changed'
    a.thread_ids.push('T9')
    a.users[0]!.present = false
    a.properties.routing = { pinned: false }
    t.user_ids.push('a1')
    t.access.group_ids.push(5)
    e1.properties = { p: { q: 2 } }
    e1.text = 'changed'
    e2.text = 'changed'
    token.expires_at = 99
    g.clicked_buttons.push('b9')
    g.event.text = 'changed'
    f.data.fill(7)
    f.name = 'changed'
    o.license_expired = true
    expect(snapshot(storage)).toEqual(before)
  })

  it('rolls back a transaction that throws after writes, and a failed nested one only', () => {
    const storage = open(create())
    seed(storage)
    const before = snapshot(storage)
    expect(() =>
      storage.transaction(() => {
        storage.putCustomer({ ...customer('c1'), name: 'Changed' })
        storage.putCustomer(customer('c9'))
        storage.putChat({ ...chat('A', 'c1'), thread_ids: ['T1', 'T2'] })
        storage.putChat(chat('Z', 'c1'))
        storage.putChat(chat('Y', 'c8'))
        storage.putThread({ ...thread('T1', 'A'), active: false })
        storage.putThread(thread('T2', 'A'))
        storage.appendEvent(ORG, 'T1', message('T1_3', { custom_id: 'x3' }))
        storage.appendEvent(ORG, 'T2', message('T2_1'))
        storage.updateEvent(ORG, 'T1', { ...message('T1_1', { custom_id: 'x1' }), deleted: true })
        storage.putToken({ access_token: 'a', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 0 })
        storage.putToken({ access_token: 'z', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 5 })
        storage.putGreeting({ ...greeting('g1', 'c1'), status: 'canceled' })
        storage.putGreeting(greeting('g9', 'c1'))
        storage.putFile({ ...file('f1'), name: 'changed.txt' })
        storage.putFile(file('f9'))
        storage.putOrganization({ id: ORG, license_expired: true })
        storage.putOrganization({ id: OTHER_ORG, license_expired: true })
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(snapshot(storage)).toEqual(before)
    expect(storage.getCustomer(ORG, 'c9')).toBeUndefined()
    expect(storage.getChat(ORG, 'Z')).toBeUndefined()
    expect(storage.listEvents(ORG, 'T2')).toEqual([])
    expect(storage.getOrganization(OTHER_ORG)).toBeUndefined()

    storage.transaction(() => {
      storage.putCustomer(customer('c2'))
      try {
        storage.transaction(() => {
          storage.putCustomer(customer('c3'))
          storage.appendEvent(ORG, 'T1', message('T1_9'))
          throw new Error('inner')
        })
      } catch {
        // the outer transaction goes on
      }
      storage.appendEvent(ORG, 'T1', message('T1_3'))
    })
    expect(storage.getCustomer(ORG, 'c2')).toBeDefined()
    expect(storage.getCustomer(ORG, 'c3')).toBeUndefined()
    expect(storage.listEvents(ORG, 'T1').map((e) => e.id)).toEqual(['T1_1', 'T1_2', 'T1_3'])
    expect(storage.counts()).toEqual({ customers: 2, chats: 2 })
  })

  it('runs a transaction and returns its value', () => {
    const storage = open(create())
    const value = storage.transaction(() => {
      storage.putCustomer(customer('c1'))
      storage.transaction(() => storage.putChat(chat('A', 'c1')))
      return 42
    })
    expect(value).toBe(42)
    expect(storage.getChat(ORG, 'A')?.customer_id).toBe('c1')
    expect(storage.getCustomer(ORG, 'c1')).toBeDefined()
  })

  it('bounds nesting: parts deeper than STORED_JSON_DEPTH are written and read back as null, whatever the depth', () => {
    const storage = open(create())
    // records 10⁵ levels deep: past what JSON.stringify or any recursive copy survives
    const deep = (depth: number, kind: 'arrays' | 'objects'): unknown =>
      JSON.parse(kind === 'arrays' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)
    storage.putCustomer(customer('c1'))
    storage.putChat({ ...chat('A', 'c1'), properties: { ns: { deep: deep(100_000, 'objects') as never } } })
    storage.putThread(thread('T1', 'A'))
    storage.appendEvent(ORG, 'T1', message('E1', { type: 'custom', content: deep(100_000, 'arrays') }))
    storage.appendEvent(ORG, 'T1', message('E2', { type: 'custom', content: deep(STORED_JSON_DEPTH - 1, 'arrays') }))

    // the record is level 1, so content (level 2) keeps STORED_JSON_DEPTH - 1 levels
    let content = storage.getEvent(ORG, 'T1', 'E1')?.content
    let levels = 0
    while (Array.isArray(content)) {
      levels += 1
      content = content[0]
    }
    expect(levels).toBe(STORED_JSON_DEPTH - 1)
    expect(content).toBeNull()
    // a record within the bound is kept exactly
    expect(storage.getEvent(ORG, 'T1', 'E2')?.content).toEqual(deep(STORED_JSON_DEPTH - 1, 'arrays'))
    const properties = storage.getChat(ORG, 'A')?.properties as { ns: { deep: unknown } }
    expect(JSON.stringify(properties).length).toBeLessThan(1000)
    expect(storage.listEvents(ORG, 'T1').map((e) => e.id)).toEqual(['E1', 'E2'])
  })
})

describe('SqliteStorage', () => {
  it('keeps everything across a reopen of the same file', () => {
    const path = tempDb()
    const first = new SqliteStorage(path)
    first.putCustomer(customer('c1'))
    first.putChat({ ...chat('A', 'c1'), thread_ids: ['T1'] })
    first.putThread(thread('T1', 'A'))
    first.appendEvent(ORG, 'T1', message('T1_1', { custom_id: 'x' }))
    first.putToken({ access_token: 'a', kind: 'customer', entity_id: 'c1', organization_id: ORG, expires_at: 1 })
    first.putGreeting(greeting('g1', 'c1'))
    first.putFile({ id: 'f1', organization_id: ORG, owner_id: 'c1', name: 'a.txt', content_type: 'text/plain', size: 2, created_at: 'x', data: Buffer.from('hi') })
    first.putOrganization({ id: ORG, license_expired: true })
    first.close()

    const second = open(new SqliteStorage(path))
    expect(second.getCustomer(ORG, 'c1')).toEqual(customer('c1'))
    expect(second.listCustomerChats(ORG, 'c1')).toEqual([{ ...chat('A', 'c1'), thread_ids: ['T1'] }])
    expect(second.getThread(ORG, 'T1')).toEqual(thread('T1', 'A'))
    expect(second.listEvents(ORG, 'T1')).toEqual([message('T1_1', { custom_id: 'x' })])
    expect(second.findEventByCustomId(ORG, ['T1'], 'c1', 'x')?.event.id).toBe('T1_1')
    expect(second.getToken('a')?.entity_id).toBe('c1')
    expect(second.listGreetings(ORG, 'c1')).toHaveLength(1)
    expect(second.getFile('f1')?.data.toString()).toBe('hi')
    expect(second.getOrganization(ORG)).toEqual({ id: ORG, license_expired: true })
    expect(second.db.pragma('journal_mode', { simple: true })).toBe('wal')
  })

  it('records the schema version, migrates step by step and refuses a newer database', () => {
    const path = tempDb()
    open(new SqliteStorage(path)).close()
    const db = new Database(path)
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
    const logged: string[] = []
    migrate(db, (m) => logged.push(m), [...Array.from({ length: SCHEMA_VERSION }, () => ''), 'CREATE TABLE extra (x INTEGER)'])
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1)
    expect(logged).toEqual([`storage: migrated schema to version ${SCHEMA_VERSION + 1}`])
    // a failing migration leaves the version where it was
    expect(() => migrate(db, undefined, [...Array.from({ length: SCHEMA_VERSION + 1 }, () => ''), 'CREATE TABLE extra (x INTEGER)'])).toThrow()
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION + 1)
    db.close()
    expect(() => new SqliteStorage(path)).toThrow(/newer/)
  })
})

describe('storageFromEnv', () => {
  it('defaults to SQLite, takes RAPPORT_DB, creates its folder, and accepts memory', () => {
    const path = tempDb()
    const sqlite = storageFromEnv({ RAPPORT_DB: path })
    expect(sqlite.storage).toBeInstanceOf(SqliteStorage)
    expect(sqlite.description).toContain(path)
    sqlite.storage.close()
    const memory = storageFromEnv({ RAPPORT_STORAGE: 'memory' })
    expect(memory.storage).toBeInstanceOf(MemoryStorage)
    expect(() => storageFromEnv({ RAPPORT_STORAGE: 'postgres' })).toThrow(/RAPPORT_STORAGE/)
    // the default file is in the data folder of the current directory
    expect(DEFAULT_DB_PATH).toBe(join('.data', 'rapport.sqlite'))
  })
})
