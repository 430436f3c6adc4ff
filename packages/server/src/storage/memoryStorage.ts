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
import { copyWithinDepth } from '../util/jsonDepth'

const key = (organizationId: string, id: string): string => `${organizationId}\u0000${id}`

/**
 * A deep copy of a record: records are JSON-like data (what `SqliteStorage` stores as
 * JSON) plus a file's bytes. A hand-written walk: several times faster than
 * `structuredClone`, and it keeps a `Buffer` a `Buffer`. Bounded like every record the
 * storages hand in or out: parts nested deeper than `STORED_JSON_DEPTH` become `null`.
 */
export const copyRecord = <T>(value: T): T => copyWithinDepth(value, STORED_JSON_DEPTH)

/**
 * Storage kept in process memory: the default, and what tests use. Same contract as
 * `SqliteStorage`: records are copied on the way in and on the way out (never shared
 * with the caller), and a transaction that throws undoes its writes (an undo journal;
 * nested transactions undo only their own part).
 */
export class MemoryStorage implements Storage {
  private readonly customers = new Map<string, CustomerRecord>()
  private readonly chats = new Map<string, ChatRecord>()
  private readonly chatsByCustomer = new Map<string, string[]>()
  private readonly threads = new Map<string, ThreadRecord>()
  private readonly events = new Map<string, EventRecord[]>()
  private readonly tokens = new Map<string, TokenRecord>()
  private readonly greetings = new Map<string, GreetingRecord>()
  private readonly files = new Map<string, FileRecord>()
  private readonly organizations = new Map<string, OrganizationRecord>()
  /** Undo steps of the open transaction, oldest first; `undefined` outside a transaction. */
  private journal: Array<() => void> | undefined

  getCustomer(organizationId: string, customerId: string): CustomerRecord | undefined {
    return copyRecord(this.customers.get(key(organizationId, customerId)))
  }

  putCustomer(customer: CustomerRecord): void {
    this.set(this.customers, key(customer.organization_id, customer.id), customer)
  }

  listUnusedCustomers(createdBefore: string, limit: number): CustomerRecord[] {
    const found: CustomerRecord[] = []
    for (const customer of this.customers.values()) {
      if (found.length >= limit) break
      if (customer.statistics.visits_count !== 0 || customer.created_at >= createdBefore || customer.banned === true) continue
      const customerKey = key(customer.organization_id, customer.id)
      if ((this.chatsByCustomer.get(customerKey)?.length ?? 0) > 0) continue
      if (this.listGreetings(customer.organization_id, customer.id).length > 0) continue
      found.push(copyRecord(customer))
    }
    return found
  }

  findCustomerBySessionField(organizationId: string, key: string, value: string): CustomerRecord | undefined {
    for (const customer of this.customers.values()) {
      if (customer.organization_id !== organizationId) continue
      if (customer.session_fields?.some((field) => Object.hasOwn(field, key) && field[key] === value)) return copyRecord(customer)
    }
    return undefined
  }

  deleteCustomer(organizationId: string, customerId: string): void {
    this.remove(this.customers, key(organizationId, customerId))
    for (const token of [...this.tokens.values()]) {
      if (token.kind === 'customer' && token.entity_id === customerId && token.organization_id === organizationId) {
        this.remove(this.tokens, token.access_token)
      }
    }
  }

  getChat(organizationId: string, chatId: string): ChatRecord | undefined {
    return copyRecord(this.chats.get(key(organizationId, chatId)))
  }

  putChat(chat: ChatRecord): void {
    const chatKey = key(chat.organization_id, chat.id)
    if (!this.chats.has(chatKey)) {
      const customerKey = key(chat.organization_id, chat.customer_id)
      this.set(this.chatsByCustomer, customerKey, [...(this.chatsByCustomer.get(customerKey) ?? []), chat.id])
    }
    this.set(this.chats, chatKey, chat)
  }

  listCustomerChats(organizationId: string, customerId: string): ChatRecord[] {
    const ids = this.chatsByCustomer.get(key(organizationId, customerId)) ?? []
    return ids.flatMap((id) => copyRecord(this.chats.get(key(organizationId, id))) ?? [])
  }

  listChats(organizationId: string): ChatRecord[] {
    return [...this.chats.values()].filter((chat) => chat.organization_id === organizationId).map(copyRecord)
  }

  getThread(organizationId: string, threadId: string): ThreadRecord | undefined {
    return copyRecord(this.threads.get(key(organizationId, threadId)))
  }

  putThread(thread: ThreadRecord): void {
    this.set(this.threads, key(thread.organization_id, thread.id), thread)
  }

  appendEvent(organizationId: string, threadId: string, event: EventRecord): void {
    const threadKey = key(organizationId, threadId)
    const list = this.events.get(threadKey)
    if (!list) {
      // the list is created empty (undone as a whole), so each event is copied from its own root
      this.set(this.events, threadKey, [])
      this.events.get(threadKey)?.push(copyRecord(event))
      return
    }
    list.push(copyRecord(event))
    this.journal?.push(() => list.pop())
  }

  listEvents(organizationId: string, threadId: string): EventRecord[] {
    return (this.events.get(key(organizationId, threadId)) ?? []).map(copyRecord)
  }

  getEvent(organizationId: string, threadId: string, eventId: string): EventRecord | undefined {
    return copyRecord(this.events.get(key(organizationId, threadId))?.find((e) => e.id === eventId))
  }

  updateEvent(organizationId: string, threadId: string, event: EventRecord): void {
    const list = this.events.get(key(organizationId, threadId))
    const index = list?.findIndex((e) => e.id === event.id) ?? -1
    const previous = list?.[index]
    if (!list || previous === undefined) return
    list[index] = copyRecord(event)
    this.journal?.push(() => {
      list[index] = previous
    })
  }

  findEventByCustomId(organizationId: string, threadIds: readonly string[], authorId: string, customId: string): StoredEventMatch | undefined {
    for (const threadId of threadIds) {
      const event = this.events.get(key(organizationId, threadId))?.find((e) => e.custom_id === customId && e.author_id === authorId)
      if (event) return { thread_id: threadId, event: copyRecord(event) }
    }
    return undefined
  }

  getToken(accessToken: string): TokenRecord | undefined {
    return copyRecord(this.tokens.get(accessToken))
  }

  putToken(token: TokenRecord): void {
    this.set(this.tokens, token.access_token, token)
  }

  listTokens(entityId: string): TokenRecord[] {
    return [...this.tokens.values()].filter((token) => token.entity_id === entityId).map(copyRecord)
  }

  getGreeting(organizationId: string, uniqueId: string): GreetingRecord | undefined {
    return copyRecord(this.greetings.get(key(organizationId, uniqueId)))
  }

  putGreeting(greeting: GreetingRecord): void {
    this.set(this.greetings, key(greeting.organization_id, greeting.unique_id), greeting)
  }

  listGreetings(organizationId: string, customerId: string): GreetingRecord[] {
    return [...this.greetings.values()].filter((g) => g.organization_id === organizationId && g.customer_id === customerId).map(copyRecord)
  }

  getFile(fileId: string): FileRecord | undefined {
    return copyRecord(this.files.get(fileId))
  }

  putFile(file: FileRecord): void {
    this.set(this.files, file.id, file)
  }

  getOrganization(organizationId: string): OrganizationRecord | undefined {
    return copyRecord(this.organizations.get(organizationId))
  }

  putOrganization(organization: OrganizationRecord): void {
    this.set(this.organizations, organization.id, organization)
  }

  transaction<T>(fn: () => T): T {
    const outermost = this.journal === undefined
    const journal = this.journal ?? []
    this.journal = journal
    const mark = journal.length
    try {
      return fn()
    } catch (error) {
      while (journal.length > mark) journal.pop()?.()
      throw error
    } finally {
      if (outermost) this.journal = undefined
    }
  }

  counts(): StorageCounts {
    return { customers: this.customers.size, chats: this.chats.size }
  }

  close(): void {}

  /** Deletes the record under the key, journaling it inside a transaction. */
  private remove<V>(map: Map<string, V>, id: string): void {
    if (!map.has(id)) return
    const previous = map.get(id) as V
    this.journal?.push(() => map.set(id, previous))
    map.delete(id)
  }

  /** Stores a copy of the record under the key, journaling the previous state inside a transaction. */
  private set<V>(map: Map<string, V>, id: string, record: V): void {
    if (this.journal) {
      const had = map.has(id)
      const previous = map.get(id)
      this.journal.push(() => {
        if (had) map.set(id, previous as V)
        else map.delete(id)
      })
    }
    map.set(id, copyRecord(record))
  }
}
