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

const key = (organizationId: string, id: string): string => `${organizationId}\u0000${id}`

/** Storage kept in process memory: the default, and what tests use. */
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

  getCustomer(organizationId: string, customerId: string): CustomerRecord | undefined {
    return this.customers.get(key(organizationId, customerId))
  }

  putCustomer(customer: CustomerRecord): void {
    this.customers.set(key(customer.organization_id, customer.id), customer)
  }

  getChat(organizationId: string, chatId: string): ChatRecord | undefined {
    return this.chats.get(key(organizationId, chatId))
  }

  putChat(chat: ChatRecord): void {
    const chatKey = key(chat.organization_id, chat.id)
    if (!this.chats.has(chatKey)) {
      const customerKey = key(chat.organization_id, chat.customer_id)
      this.chatsByCustomer.set(customerKey, [...(this.chatsByCustomer.get(customerKey) ?? []), chat.id])
    }
    this.chats.set(chatKey, chat)
  }

  listCustomerChats(organizationId: string, customerId: string): ChatRecord[] {
    const ids = this.chatsByCustomer.get(key(organizationId, customerId)) ?? []
    return ids.flatMap((id) => this.chats.get(key(organizationId, id)) ?? [])
  }

  listChats(organizationId: string): ChatRecord[] {
    return [...this.chats.values()].filter((chat) => chat.organization_id === organizationId)
  }

  getThread(organizationId: string, threadId: string): ThreadRecord | undefined {
    return this.threads.get(key(organizationId, threadId))
  }

  putThread(thread: ThreadRecord): void {
    this.threads.set(key(thread.organization_id, thread.id), thread)
  }

  appendEvent(organizationId: string, threadId: string, event: EventRecord): void {
    const threadKey = key(organizationId, threadId)
    const list = this.events.get(threadKey)
    if (list) list.push(event)
    else this.events.set(threadKey, [event])
  }

  listEvents(organizationId: string, threadId: string): EventRecord[] {
    return [...(this.events.get(key(organizationId, threadId)) ?? [])]
  }

  getEvent(organizationId: string, threadId: string, eventId: string): EventRecord | undefined {
    return this.events.get(key(organizationId, threadId))?.find((e) => e.id === eventId)
  }

  updateEvent(organizationId: string, threadId: string, event: EventRecord): void {
    const list = this.events.get(key(organizationId, threadId))
    const index = list?.findIndex((e) => e.id === event.id) ?? -1
    if (list && index >= 0) list[index] = event
  }

  findEventByCustomId(organizationId: string, threadIds: readonly string[], authorId: string, customId: string): StoredEventMatch | undefined {
    for (const threadId of threadIds) {
      const event = this.events.get(key(organizationId, threadId))?.find((e) => e.custom_id === customId && e.author_id === authorId)
      if (event) return { thread_id: threadId, event }
    }
    return undefined
  }

  getToken(accessToken: string): TokenRecord | undefined {
    return this.tokens.get(accessToken)
  }

  putToken(token: TokenRecord): void {
    this.tokens.set(token.access_token, token)
  }

  listTokens(entityId: string): TokenRecord[] {
    return [...this.tokens.values()].filter((token) => token.entity_id === entityId)
  }

  getGreeting(organizationId: string, uniqueId: string): GreetingRecord | undefined {
    return this.greetings.get(key(organizationId, uniqueId))
  }

  putGreeting(greeting: GreetingRecord): void {
    this.greetings.set(key(greeting.organization_id, greeting.unique_id), greeting)
  }

  listGreetings(organizationId: string, customerId: string): GreetingRecord[] {
    return [...this.greetings.values()].filter((g) => g.organization_id === organizationId && g.customer_id === customerId)
  }

  getFile(fileId: string): FileRecord | undefined {
    return this.files.get(fileId)
  }

  putFile(file: FileRecord): void {
    this.files.set(file.id, file)
  }

  getOrganization(organizationId: string): OrganizationRecord | undefined {
    return this.organizations.get(organizationId)
  }

  putOrganization(organization: OrganizationRecord): void {
    this.organizations.set(organization.id, organization)
  }

  transaction<T>(fn: () => T): T {
    return fn()
  }

  counts(): StorageCounts {
    return { customers: this.customers.size, chats: this.chats.size }
  }

  close(): void {}
}
