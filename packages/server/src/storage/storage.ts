/**
 * The persistence seam of the local server. Every method is synchronous and
 * data-oriented so that a SQLite implementation (better-sqlite3 is synchronous too)
 * can replace the in-memory one without touching any handler.
 *
 * Records are an internal model, not wire frames: field names are snake_case like the
 * wire so that the mapping stays obvious, but views (`domain/views.ts`) decide what each
 * side sees. Differences from the wire:
 * - an event stores `visibility` (`all` | `agents`); customers are shown `recipients`,
 *   agents `visibility`;
 * - a chat stores its users as `ChatUserRecord`s (id, type, presence, seen marker); the
 *   user objects on the wire are built from the customer record or the agent config;
 * - a thread stores no events: events are appended and listed per thread.
 *
 * Every implementation gives the same semantics (the contract suite
 * `__tests__/storage.test.ts` runs against each):
 * - copies in, copies out: a record handed to a write is copied, and every read returns a
 *   fresh copy, so neither side ever shares objects with the storage's state. A change to
 *   a record is stored only when it is written back.
 * - `transaction(fn)`: the writes of `fn` land together or, when it throws, not at all.
 *   The server runs each request in one (`rtm/dispatcher.ts`, the token endpoint, the
 *   admin operations), so a request that fails after a write leaves the storage as it was.
 * - bounded nesting: objects and arrays nested deeper than `STORED_JSON_DEPTH` levels in
 *   a record (the record itself is level 1) are written and read back as `null`. Requests
 *   never get that deep (`maxJsonDepth` refuses deeper frames with `validation`), so this
 *   only ever changes a record written around the server (directly through this API, or
 *   into the SQLite file): whatever is stored can always be copied, encoded and served.
 */
import type { Properties, WireAddress, WireEventType, WireQueue, WireSessionFields } from '@rapport/protocol'

/** Deepest nesting a stored record keeps (see the contract above); `maxJsonDepth` may not exceed it. */
export const STORED_JSON_DEPTH = 64

/** Last page the customer reported (`login.customer_page`, `update_customer_page`). */
export interface CustomerPageRecord {
  url: string
  title?: string
  opened_at: string
}

export type Visibility = 'all' | 'agents'

/** The customer's current (last) visit: one per `login`, its pages from `customer_page` and `update_customer_page`. */
export interface CustomerVisitRecord {
  /** The visit's number (the customer's `visits_count` when it began). */
  id: number
  started_at: string
  referrer?: string
  ip?: string
  user_agent?: string
  /** Newest last, at most `MAX_VISIT_PAGES`. */
  last_pages: CustomerPageRecord[]
}

export const MAX_VISIT_PAGES = 10

export interface CustomerStatisticsRecord {
  chats_count: number
  threads_count: number
  visits_count: number
  page_views_count: number
  greetings_shown_count: number
  greetings_accepted_count: number
}

export interface CustomerRecord {
  id: string
  organization_id: string
  /** Secret of the identity cookie (`__lc_cst`). */
  identity_secret: string
  created_at: string
  name?: string
  email?: string
  avatar?: string
  session_fields?: WireSessionFields
  address?: WireAddress
  phone_number?: string
  omnichannel?: Record<string, unknown>
  /** Opaque map the client keeps and sends back at login (`customer_side_storage_updated`). */
  customer_side_storage?: Record<string, string>
  last_page?: CustomerPageRecord
  /** The last visit (absent before the first login). */
  visit?: CustomerVisitRecord
  /** A banned customer's logins fail with `customer_banned`. */
  banned?: boolean
  statistics: CustomerStatisticsRecord
}

export interface ChatUserRecord {
  id: string
  type: 'customer' | 'agent'
  /** Agents: whether the agent joined (true) or only wrote (false). Customers: unused. */
  present: boolean
  events_seen_up_to?: string
}

export interface ChatRecord {
  id: string
  organization_id: string
  customer_id: string
  created_at: string
  users: ChatUserRecord[]
  access: { group_ids: number[] }
  properties: Properties
  /** Oldest first. */
  thread_ids: string[]
}

export interface ThreadRecord {
  id: string
  chat_id: string
  organization_id: string
  created_at: string
  active: boolean
  user_ids: string[]
  properties: Properties
  access: { group_ids: number[] }
  queue?: WireQueue & { queued_at: string }
  previous_thread_id?: string
  next_thread_id?: string
  /** Number of events appended so far (drives event ids). */
  event_count: number
}

/**
 * An event as stored: a wire event (seed 004 / customer-rtm §9) with `visibility`
 * instead of `recipients`; the type-specific fields (`text`, `url`, `fields`, …) sit
 * next to the common ones exactly as on the wire.
 */
export interface EventRecord {
  id: string
  custom_id?: string
  created_at: string
  type: WireEventType
  author_id?: string
  visibility: Visibility
  properties?: Properties
  /** Deleted (`delete_event`): hidden from customers, shown to agents with `deleted: true`. */
  deleted?: boolean
  [field: string]: unknown
}

/** A greeting shown to a customer (`incoming_greeting`). */
export interface GreetingRecord {
  /** Greeting template id (a number on the wire). */
  id: number
  unique_id: string
  organization_id: string
  customer_id: string
  agent_id: string
  created_at: string
  subtype?: string
  is_exit_intent: boolean
  /** The greeting's message or rich message, as an event record (no `author_id` yet: the agent). */
  event: EventRecord
  /** `pending` until accepted or canceled (or replaced by a newer greeting). */
  status: 'pending' | 'accepted' | 'canceled'
  /** Whether it was already sent once (`displayed_first_time` is true only the first time). */
  displayed: boolean
  /** Button ids the customer clicked (`send_greeting_button_clicked`). */
  clicked_buttons: string[]
}

/** An uploaded file (`upload_file`), served at `/files/<id>/<name>`. */
export interface FileRecord {
  id: string
  organization_id: string
  /** Customer who uploaded it. */
  owner_id: string
  name: string
  content_type: string
  size: number
  width?: number
  height?: number
  created_at: string
  data: Buffer
}

/** License state of an organization (admin-controlled). */
export interface OrganizationRecord {
  id: string
  license_expired: boolean
}

export interface TokenRecord {
  access_token: string
  kind: 'customer' | 'agent'
  /** Customer id or agent id. */
  entity_id: string
  /**
   * The one organization the token is valid in. Optional only for records written by
   * older servers (agent tokens valid everywhere): such a token is now valid nowhere.
   */
  organization_id?: string
  /** Epoch milliseconds. */
  expires_at: number
}

/** An event found by `findEventByCustomId`, with its thread. */
export interface StoredEventMatch {
  thread_id: string
  event: EventRecord
}

export interface StorageCounts {
  customers: number
  chats: number
}

export interface Storage {
  getCustomer(organizationId: string, customerId: string): CustomerRecord | undefined
  putCustomer(customer: CustomerRecord): void
  /**
   * Customers that were never used: no login (`statistics.visits_count` 0), created before
   * `createdBefore` (a timestamp), not banned, with no chat and no greeting; at most `limit`.
   */
  listUnusedCustomers(createdBefore: string, limit: number): CustomerRecord[]
  /**
   * The first customer of the organization (in no particular order) with a session field
   * `key` of exactly `value`, or `undefined`. A scan: for lookups of the CRM endpoint by
   * external id on a development server.
   */
  findCustomerBySessionField(organizationId: string, key: string, value: string): CustomerRecord | undefined
  /** Deletes a customer and the customer tokens issued to it in its organization. */
  deleteCustomer(organizationId: string, customerId: string): void

  getChat(organizationId: string, chatId: string): ChatRecord | undefined
  putChat(chat: ChatRecord): void
  /** Chats of one customer, oldest first. */
  listCustomerChats(organizationId: string, customerId: string): ChatRecord[]
  /** Every chat of an organization, oldest first. */
  listChats(organizationId: string): ChatRecord[]

  getThread(organizationId: string, threadId: string): ThreadRecord | undefined
  putThread(thread: ThreadRecord): void

  appendEvent(organizationId: string, threadId: string, event: EventRecord): void
  /** Events of a thread in the order they were appended. */
  listEvents(organizationId: string, threadId: string): EventRecord[]
  getEvent(organizationId: string, threadId: string, eventId: string): EventRecord | undefined
  /** Replaces the stored event with the same id (keeps its position). */
  updateEvent(organizationId: string, threadId: string, event: EventRecord): void
  /**
   * The first event (in append order) of those threads with that `custom_id` and
   * `author_id` (idempotent sends), or `undefined`.
   */
  findEventByCustomId(organizationId: string, threadIds: readonly string[], authorId: string, customId: string): StoredEventMatch | undefined

  getToken(accessToken: string): TokenRecord | undefined
  putToken(token: TokenRecord): void
  /** Tokens issued to a customer or agent id. */
  listTokens(entityId: string): TokenRecord[]

  getGreeting(organizationId: string, uniqueId: string): GreetingRecord | undefined
  putGreeting(greeting: GreetingRecord): void
  /** A customer's greetings, oldest first. */
  listGreetings(organizationId: string, customerId: string): GreetingRecord[]

  getFile(fileId: string): FileRecord | undefined
  putFile(file: FileRecord): void

  getOrganization(organizationId: string): OrganizationRecord | undefined
  putOrganization(organization: OrganizationRecord): void

  /**
   * Runs `fn` so that its writes land together, or not at all when it throws (the error is
   * rethrown). A nested call is a savepoint: its failure undoes only its own writes. `fn`
   * must be synchronous.
   */
  transaction<T>(fn: () => T): T

  counts(): StorageCounts
  close(): void
}
