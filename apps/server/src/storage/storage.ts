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
 * Records handed to `put*` are owned by the storage afterwards; records returned by
 * `get*`/`list*` may be mutated by the caller only to pass them back to `put*`.
 */
import type { Properties, WireAddress, WireEventType, WireQueue, WireSessionFields } from '@rapport/protocol'

export type Visibility = 'all' | 'agents'

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
  [field: string]: unknown
}

export interface TokenRecord {
  access_token: string
  kind: 'customer' | 'agent'
  /** Customer id or agent id. */
  entity_id: string
  /** `undefined` for agent tokens valid in every organization. */
  organization_id?: string
  /** Epoch milliseconds. */
  expires_at: number
}

export interface StorageCounts {
  customers: number
  chats: number
}

export interface Storage {
  getCustomer(organizationId: string, customerId: string): CustomerRecord | undefined
  putCustomer(customer: CustomerRecord): void

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

  getToken(accessToken: string): TokenRecord | undefined
  putToken(token: TokenRecord): void

  counts(): StorageCounts
  close(): void
}
