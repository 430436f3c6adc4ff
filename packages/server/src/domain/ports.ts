/**
 * The ports of the domain: what it needs from the layers around it, declared here and
 * implemented there (the RTM layer fans pushes out to its connections and knows who is
 * connected). The domain never imports those layers.
 */
import type { ChatRecord } from '../storage/storage'

/** The two sides of the API: what a push or a view shows depends on it. */
export type Side = 'customer' | 'agent'

/**
 * The client whose request caused a push (an RTM connection): its copy of a push carries
 * the request id, and some answers go to it alone.
 */
export interface Requester {
  readonly side: Side
  /** Sends a push to this client only (if it subscribed to it). */
  push(action: string, payload: unknown, requestId?: string): void
}

/** Where a push comes from: the requester's copy carries `requestId`. */
export interface PushOrigin {
  requester?: Requester
  requestId?: string
}

export interface ChatPushOptions extends PushOrigin {
  /** Deliver to the chat's customer (default true). */
  customers?: boolean
  /** Deliver to agents with access to the chat (default true). */
  agents?: boolean
  /** A client that must not receive it (e.g. the author of a typing indicator). */
  exclude?: Requester
  /** Agent clients that get the agent copy even without access (e.g. an agent just removed). */
  alsoAgents?: readonly Requester[]
}

/** The fan-out of pushes (customer-rtm §7, agent-rtm §8). */
export interface Publisher {
  /**
   * A push about a chat to its customer and to every agent with access to it.
   * `payloadFor` builds the payload once per side; `undefined` skips that side.
   */
  toChat(chat: ChatRecord, action: string, payloadFor: (side: Side) => unknown, options?: ChatPushOptions): void
  /** A push to every client of one customer. */
  toCustomer(organizationId: string, customerId: string, action: string, payload: unknown, origin?: PushOrigin): void
  /** A push to every logged-in customer of an organization. */
  toCustomers(organizationId: string, action: string, payload: unknown): void
  /**
   * One push per agent client with access to at least one of the chats, its payload the
   * list of the entries of those chats (e.g. `queue_positions_updated`).
   */
  toAgentsOfChats(organizationId: string, action: string, entries: ReadonlyArray<{ chat: ChatRecord; entry: unknown }>): void
}

/** Who is connected right now. */
export interface Presence {
  isCustomerConnected(organizationId: string, customerId: string): boolean
}
