import { type ChatState, type ConnectionSnapshot, type CustomerSDK, type ExternalStore, init } from '@rapport/customer-sdk'
import { FakeEnv } from '@rapport/testing'

export const loginResponse = {
  customer: {
    id: 'customer-1',
    type: 'customer',
    statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 },
  },
  has_active_thread: false,
  chats: [],
  __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0 } } },
}

/** Lets pending promise chains and the seam's (microtask) notifications run; the fake clock does not move. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

/** Counts the listeners an ExternalStore of the client holds right now. */
const counted = <T>(store: ExternalStore<T>) => {
  let listeners = 0
  const wrapped: ExternalStore<T> = {
    getSnapshot: () => store.getSnapshot(),
    subscribe: (listener) => {
      listeners++
      const unsubscribe = store.subscribe(listener)
      let done = false
      return () => {
        if (done) return
        done = true
        listeners--
        unsubscribe()
      }
    },
  }
  return { store: wrapped, count: () => listeners }
}

/**
 * A real instance from `init()` on a FakeEnv, seen through a client whose `state` and
 * `connection` count their listeners (everything else is the instance's own).
 */
export const createClient = async (options: { login?: boolean } = {}) => {
  const env = new FakeEnv()
  const sdk = init({ organizationId: 'org', clientId: 'client', environment: env })
  const state = counted<ChatState>(sdk.state)
  const connection = counted<ConnectionSnapshot>(sdk.connection)
  const client: CustomerSDK = Object.freeze({ ...sdk, state: state.store, connection: connection.store })
  await flush()
  env.socket.open()
  await flush()
  if (options.login !== false) {
    env.socket.respond('login', loginResponse)
    await flush()
  }
  return { env, sdk, client, listeners: () => state.count() + connection.count() }
}

export const chatPush = (chatId = 'C1', threadId = 'T1', queue?: { position: number; wait_time: number }) => ({
  action: 'incoming_chat',
  type: 'push',
  payload: {
    chat: {
      id: chatId,
      users: [
        { id: 'customer-1', type: 'customer', present: true, events_seen_up_to: '2026-01-01T00:00:00.000000Z' },
        { id: 'agent-1', type: 'agent', name: 'Ann', present: true },
      ],
      thread: { id: threadId, active: true, events: [], created_at: '2026-01-01T00:00:00.000000Z', properties: {}, access: {}, ...(queue && { queue }) },
      properties: {},
      access: {},
    },
  },
})

export const eventPush = (i: number, chatId = 'C1', threadId = 'T1', authorId = 'agent-1') => ({
  action: 'incoming_event',
  type: 'push',
  payload: {
    chat_id: chatId,
    thread_id: threadId,
    event: { id: `${chatId}_E${i}`, type: 'message', text: `message ${i}`, author_id: authorId, created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString().replace('Z', '000Z') },
  },
})

export const typingPush = (isTyping: boolean, chatId = 'C1', authorId = 'agent-1') => ({
  action: 'incoming_typing_indicator',
  type: 'push',
  payload: { chat_id: chatId, typing_indicator: { author_id: authorId, is_typing: isTyping } },
})

export const greetingPush = () => ({
  action: 'incoming_greeting',
  type: 'push',
  payload: {
    id: 7,
    unique_id: 'G1',
    displayed_first_time: true,
    event: { id: 'GE1', type: 'message', text: 'Hello there', author_id: 'agent-1', created_at: '2026-01-01T00:00:00.000000Z' },
    agent: { id: 'agent-1', name: 'Ann' },
  },
})
