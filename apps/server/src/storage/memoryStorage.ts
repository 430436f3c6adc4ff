import type { ChatRecord, CustomerRecord, EventRecord, Storage, StorageCounts, ThreadRecord, TokenRecord } from './storage'

const key = (organizationId: string, id: string): string => `${organizationId}\u0000${id}`

/** Storage kept in process memory: the default, and what tests use. */
export class MemoryStorage implements Storage {
  private readonly customers = new Map<string, CustomerRecord>()
  private readonly chats = new Map<string, ChatRecord>()
  private readonly chatsByCustomer = new Map<string, string[]>()
  private readonly threads = new Map<string, ThreadRecord>()
  private readonly events = new Map<string, EventRecord[]>()
  private readonly tokens = new Map<string, TokenRecord>()

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

  getToken(accessToken: string): TokenRecord | undefined {
    return this.tokens.get(accessToken)
  }

  putToken(token: TokenRecord): void {
    this.tokens.set(token.access_token, token)
  }

  counts(): StorageCounts {
    return { customers: this.customers.size, chats: this.chats.size }
  }

  close(): void {}
}
