/**
 * Storage in a SQLite database (better-sqlite3, synchronous like the `Storage` seam).
 *
 * - One table per record kind. The fields the server looks records up by (ids, owner,
 *   insertion order, an event's `custom_id`/author) are columns; the rest of a record is
 *   a JSON document in `data`. An uploaded file's bytes are a BLOB next to its metadata.
 * - Insertion order (`listChats`, `listCustomerChats`, `listEvents`, `listGreetings`) is an
 *   `INTEGER PRIMARY KEY` sequence; an upsert (`ON CONFLICT … DO UPDATE`) keeps the row,
 *   so a record keeps its position when it is written again.
 * - `journal_mode = WAL`, `synchronous = NORMAL`, `foreign_keys = ON`; every statement is
 *   prepared once. `transaction(fn)` runs `fn` in one transaction (nested calls become
 *   savepoints), which the dispatcher uses to make each request's writes atomic.
 * - The schema is versioned (`schema_version`); `MIGRATIONS[i]` upgrades version `i` to
 *   `i + 1`, each in its own transaction. A database from a newer server is refused.
 *
 * Copies in, copies out (the `Storage` contract): a write stores the record's JSON, a read
 * decodes a fresh object.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { withinDepth } from '../util/jsonDepth'
import type {
  ChatRecord,
  CustomerRecord,
  EventRecord,
  FileRecord,
  GreetingRecord,
  OrganizationRecord,
  Storage,
  StorageCounts,
  StoredEventMatch,
  ThreadRecord,
  TokenRecord,
} from './storage'
import { STORED_JSON_DEPTH } from './storage'

/** Schema migrations; index `i` takes the database from version `i` to `i + 1`. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE customers (
    organization_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE chats (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (organization_id, id)
  );
  CREATE INDEX chats_by_customer ON chats (organization_id, customer_id, seq);

  CREATE TABLE threads (
    organization_id TEXT NOT NULL,
    id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (organization_id, id)
  ) WITHOUT ROWID;

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    id TEXT NOT NULL,
    custom_id TEXT,
    author_id TEXT,
    data TEXT NOT NULL,
    UNIQUE (organization_id, thread_id, id)
  );
  CREATE INDEX events_by_thread ON events (organization_id, thread_id, seq);
  CREATE INDEX events_by_custom_id ON events (organization_id, custom_id, author_id) WHERE custom_id IS NOT NULL;

  CREATE TABLE tokens (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    access_token TEXT NOT NULL UNIQUE,
    entity_id TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX tokens_by_entity ON tokens (entity_id, seq);

  CREATE TABLE greetings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id TEXT NOT NULL,
    unique_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (organization_id, unique_id)
  );
  CREATE INDEX greetings_by_customer ON greetings (organization_id, customer_id, seq);

  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    data TEXT NOT NULL,
    content BLOB NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

export interface SqliteStorageOptions {
  /** Logs migrations (default: silent). */
  log?: (message: string) => void
}

interface DataRow {
  data: string
}

interface FileRow {
  data: string
  content: Buffer
}

interface EventMatchRow {
  thread_id: string
  data: string
}

/**
 * A record's JSON text, and back. Both bound the nesting to `STORED_JSON_DEPTH` (deeper
 * parts become `null`), like `MemoryStorage`: a record too deep for `JSON.stringify` is
 * still written, and a row written by anything else (an older server, a hand-edited file)
 * is still read and servable.
 */
const encodeRecord = (record: unknown): string => JSON.stringify(withinDepth(record, STORED_JSON_DEPTH))
const decodeRecord = <T>(text: string): T => withinDepth(JSON.parse(text) as T, STORED_JSON_DEPTH)
const decode = <T>(row: DataRow | undefined): T | undefined => (row === undefined ? undefined : decodeRecord<T>(row.data))
const decodeAll = <T>(rows: DataRow[]): T[] => rows.map((row) => decodeRecord<T>(row.data))

export class SqliteStorage implements Storage {
  readonly db: Database.Database
  private readonly s

  /** `filename`: a path (its folder is created) or `:memory:`. */
  constructor(filename: string, options: SqliteStorageOptions = {}) {
    if (filename !== ':memory:' && !filename.startsWith('file:')) mkdirSync(dirname(filename), { recursive: true })
    this.db = new Database(filename)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    migrate(this.db, options.log)
    const db = this.db
    this.s = {
      getCustomer: db.prepare<[string, string], DataRow>('SELECT data FROM customers WHERE organization_id = ? AND id = ?'),
      putCustomer: db.prepare<[string, string, string]>(
        'INSERT INTO customers (organization_id, id, data) VALUES (?, ?, ?) ON CONFLICT (organization_id, id) DO UPDATE SET data = excluded.data',
      ),
      countCustomers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM customers'),
      // a scan: it runs from the periodic sweep only
      listUnusedCustomers: db.prepare<[string, number], DataRow>(
        `SELECT c.data FROM customers c
         WHERE json_extract(c.data, '$.statistics.visits_count') = 0
           AND json_extract(c.data, '$.created_at') < ?
           AND coalesce(json_extract(c.data, '$.banned'), 0) = 0
           AND NOT EXISTS (SELECT 1 FROM chats h WHERE h.organization_id = c.organization_id AND h.customer_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM greetings g WHERE g.organization_id = c.organization_id AND g.customer_id = c.id)
         LIMIT ?`,
      ),
      // a scan of one organization's customers: CRM lookups by external id (a development server)
      findCustomerBySessionField: db.prepare<[string, string, string], DataRow>(
        `SELECT c.data FROM customers c, json_each(c.data, '$.session_fields') f, json_each(f.value) g
         WHERE c.organization_id = ? AND g.key = ? AND g.type = 'text' AND g.value = ?
         LIMIT 1`,
      ),
      deleteCustomer: db.prepare<[string, string]>('DELETE FROM customers WHERE organization_id = ? AND id = ?'),
      deleteCustomerTokens: db.prepare<[string, string]>(
        `DELETE FROM tokens WHERE entity_id = ? AND json_extract(data, '$.kind') = 'customer' AND json_extract(data, '$.organization_id') = ?`,
      ),

      getChat: db.prepare<[string, string], DataRow>('SELECT data FROM chats WHERE organization_id = ? AND id = ?'),
      putChat: db.prepare<[string, string, string, string]>(
        'INSERT INTO chats (organization_id, id, customer_id, data) VALUES (?, ?, ?, ?) ON CONFLICT (organization_id, id) DO UPDATE SET customer_id = excluded.customer_id, data = excluded.data',
      ),
      listCustomerChats: db.prepare<[string, string], DataRow>(
        'SELECT data FROM chats WHERE organization_id = ? AND customer_id = ? ORDER BY seq',
      ),
      listChats: db.prepare<[string], DataRow>('SELECT data FROM chats WHERE organization_id = ? ORDER BY seq'),
      countChats: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM chats'),

      getThread: db.prepare<[string, string], DataRow>('SELECT data FROM threads WHERE organization_id = ? AND id = ?'),
      putThread: db.prepare<[string, string, string, string]>(
        'INSERT INTO threads (organization_id, id, chat_id, data) VALUES (?, ?, ?, ?) ON CONFLICT (organization_id, id) DO UPDATE SET chat_id = excluded.chat_id, data = excluded.data',
      ),

      appendEvent: db.prepare<[string, string, string, string | null, string | null, string]>(
        'INSERT INTO events (organization_id, thread_id, id, custom_id, author_id, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      listEvents: db.prepare<[string, string], DataRow>('SELECT data FROM events WHERE organization_id = ? AND thread_id = ? ORDER BY seq'),
      getEvent: db.prepare<[string, string, string], DataRow>(
        'SELECT data FROM events WHERE organization_id = ? AND thread_id = ? AND id = ?',
      ),
      updateEvent: db.prepare<[string | null, string | null, string, string, string, string]>(
        'UPDATE events SET custom_id = ?, author_id = ?, data = ? WHERE organization_id = ? AND thread_id = ? AND id = ?',
      ),
      findByCustomId: db.prepare<[string, string, string, string], EventMatchRow>(
        `SELECT thread_id, data FROM events
         WHERE organization_id = ? AND custom_id = ? AND author_id = ? AND thread_id IN (SELECT value FROM json_each(?))
         ORDER BY seq LIMIT 1`,
      ),

      getToken: db.prepare<[string], DataRow>('SELECT data FROM tokens WHERE access_token = ?'),
      putToken: db.prepare<[string, string, string]>(
        'INSERT INTO tokens (access_token, entity_id, data) VALUES (?, ?, ?) ON CONFLICT (access_token) DO UPDATE SET entity_id = excluded.entity_id, data = excluded.data',
      ),
      listTokens: db.prepare<[string], DataRow>('SELECT data FROM tokens WHERE entity_id = ? ORDER BY seq'),

      getGreeting: db.prepare<[string, string], DataRow>('SELECT data FROM greetings WHERE organization_id = ? AND unique_id = ?'),
      putGreeting: db.prepare<[string, string, string, string]>(
        'INSERT INTO greetings (organization_id, unique_id, customer_id, data) VALUES (?, ?, ?, ?) ON CONFLICT (organization_id, unique_id) DO UPDATE SET customer_id = excluded.customer_id, data = excluded.data',
      ),
      listGreetings: db.prepare<[string, string], DataRow>(
        'SELECT data FROM greetings WHERE organization_id = ? AND customer_id = ? ORDER BY seq',
      ),

      getFile: db.prepare<[string], FileRow>('SELECT data, content FROM files WHERE id = ?'),
      putFile: db.prepare<[string, string, string, Buffer]>(
        'INSERT INTO files (id, organization_id, data, content) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, data = excluded.data, content = excluded.content',
      ),

      getOrganization: db.prepare<[string], DataRow>('SELECT data FROM organizations WHERE id = ?'),
      putOrganization: db.prepare<[string, string]>(
        'INSERT INTO organizations (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
      ),
    }
  }

  getCustomer(organizationId: string, customerId: string): CustomerRecord | undefined {
    return decode(this.s.getCustomer.get(organizationId, customerId))
  }

  putCustomer(customer: CustomerRecord): void {
    this.s.putCustomer.run(customer.organization_id, customer.id, encodeRecord(customer))
  }

  listUnusedCustomers(createdBefore: string, limit: number): CustomerRecord[] {
    return decodeAll(this.s.listUnusedCustomers.all(createdBefore, limit))
  }

  findCustomerBySessionField(organizationId: string, key: string, value: string): CustomerRecord | undefined {
    return decode(this.s.findCustomerBySessionField.get(organizationId, key, value))
  }

  deleteCustomer(organizationId: string, customerId: string): void {
    this.s.deleteCustomer.run(organizationId, customerId)
    this.s.deleteCustomerTokens.run(customerId, organizationId)
  }

  getChat(organizationId: string, chatId: string): ChatRecord | undefined {
    return decode(this.s.getChat.get(organizationId, chatId))
  }

  putChat(chat: ChatRecord): void {
    this.s.putChat.run(chat.organization_id, chat.id, chat.customer_id, encodeRecord(chat))
  }

  listCustomerChats(organizationId: string, customerId: string): ChatRecord[] {
    return decodeAll(this.s.listCustomerChats.all(organizationId, customerId))
  }

  listChats(organizationId: string): ChatRecord[] {
    return decodeAll(this.s.listChats.all(organizationId))
  }

  getThread(organizationId: string, threadId: string): ThreadRecord | undefined {
    return decode(this.s.getThread.get(organizationId, threadId))
  }

  putThread(thread: ThreadRecord): void {
    this.s.putThread.run(thread.organization_id, thread.id, thread.chat_id, encodeRecord(thread))
  }

  appendEvent(organizationId: string, threadId: string, event: EventRecord): void {
    this.s.appendEvent.run(organizationId, threadId, event.id, event.custom_id ?? null, event.author_id ?? null, encodeRecord(event))
  }

  listEvents(organizationId: string, threadId: string): EventRecord[] {
    return decodeAll(this.s.listEvents.all(organizationId, threadId))
  }

  getEvent(organizationId: string, threadId: string, eventId: string): EventRecord | undefined {
    return decode(this.s.getEvent.get(organizationId, threadId, eventId))
  }

  updateEvent(organizationId: string, threadId: string, event: EventRecord): void {
    this.s.updateEvent.run(event.custom_id ?? null, event.author_id ?? null, encodeRecord(event), organizationId, threadId, event.id)
  }

  findEventByCustomId(organizationId: string, threadIds: readonly string[], authorId: string, customId: string): StoredEventMatch | undefined {
    if (threadIds.length === 0) return undefined
    const row = this.s.findByCustomId.get(organizationId, customId, authorId, JSON.stringify(threadIds))
    return row === undefined ? undefined : { thread_id: row.thread_id, event: decodeRecord<EventRecord>(row.data) }
  }

  getToken(accessToken: string): TokenRecord | undefined {
    return decode(this.s.getToken.get(accessToken))
  }

  putToken(token: TokenRecord): void {
    this.s.putToken.run(token.access_token, token.entity_id, encodeRecord(token))
  }

  listTokens(entityId: string): TokenRecord[] {
    return decodeAll(this.s.listTokens.all(entityId))
  }

  getGreeting(organizationId: string, uniqueId: string): GreetingRecord | undefined {
    return decode(this.s.getGreeting.get(organizationId, uniqueId))
  }

  putGreeting(greeting: GreetingRecord): void {
    this.s.putGreeting.run(greeting.organization_id, greeting.unique_id, greeting.customer_id, encodeRecord(greeting))
  }

  listGreetings(organizationId: string, customerId: string): GreetingRecord[] {
    return decodeAll(this.s.listGreetings.all(organizationId, customerId))
  }

  getFile(fileId: string): FileRecord | undefined {
    const row = this.s.getFile.get(fileId)
    if (row === undefined) return undefined
    return { ...decodeRecord<Omit<FileRecord, 'data'>>(row.data), data: row.content }
  }

  putFile(file: FileRecord): void {
    const { data, ...meta } = file
    this.s.putFile.run(file.id, file.organization_id, encodeRecord(meta), data)
  }

  getOrganization(organizationId: string): OrganizationRecord | undefined {
    return decode(this.s.getOrganization.get(organizationId))
  }

  putOrganization(organization: OrganizationRecord): void {
    this.s.putOrganization.run(organization.id, encodeRecord(organization))
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  counts(): StorageCounts {
    return { customers: this.s.countCustomers.get()?.n ?? 0, chats: this.s.countChats.get()?.n ?? 0 }
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}

/** The database's schema version (0 for a new database). */
export const schemaVersion = (db: Database.Database): number => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)')
  const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get()
  return row?.version ?? 0
}

/** Brings the schema to `SCHEMA_VERSION`, one migration per transaction. */
export const migrate = (db: Database.Database, log?: (message: string) => void, migrations: readonly string[] = MIGRATIONS): void => {
  const current = schemaVersion(db)
  if (current > migrations.length) {
    throw new Error(`Database schema version ${current} is newer than this server's (${migrations.length})`)
  }
  for (let version = current; version < migrations.length; version += 1) {
    const sql = migrations[version] ?? ''
    db.transaction(() => {
      db.exec(sql)
      db.prepare('DELETE FROM schema_version').run()
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version + 1)
    })()
    log?.(`storage: migrated schema to version ${version + 1}`)
  }
}
