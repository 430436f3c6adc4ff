/**
 * Wire frames the inbound benchmarks feed to clients (customer-rtm.md §3–4): a minimal
 * valid login response, `incoming_event` pushes for one chat (C1, thread T1) with
 * strictly increasing `created_at`, and an `incoming_chat` push carrying a thread of many
 * events (how the benchmarks pre-load a client in one batch).
 */
import { createRequire } from 'node:module'

export const CHAT_ID = 'C1'
export const THREAD_ID = 'T1'
export const ORGANIZATION_ID = 'bench-org'
export const CUSTOMER_ID = 'customer-1'

/** The minimal login response both clients accept (customer.statistics, chats, monitoring.id). */
export const loginResponsePayload = () => ({
  customer: {
    id: CUSTOMER_ID,
    type: 'customer',
    statistics: { chats_count: 0, threads_count: 0, visits_count: 1, page_views_count: 1, greetings_shown_count: 0, greetings_accepted_count: 0 },
  },
  has_active_thread: false,
  chats: [],
  __priv_dynamic_config: { online_groups_ids: [0], customer_groups: { monitoring: { id: 0, static_config_url: '', language_config_url: '' } } },
})

/** The token endpoint's answer (http.md §2.1). */
export const tokenResponseBody = () =>
  JSON.stringify({ access_token: 'dal:bench', entity_id: CUSTOMER_ID, expires_in: 28_800, token_type: 'Bearer', organization_id: ORGANIZATION_ID })

const BASE = Date.UTC(2026, 0, 1)

/** Event `i` of the chat: `E<i>`, one second after event `i - 1`. */
export const wireEvent = (i: number) => ({
  id: `E${i}`,
  type: 'message',
  text: `message ${i}`,
  author_id: i % 2 ? 'agent-1' : CUSTOMER_ID,
  created_at: new Date(BASE + i * 1000).toISOString().replace('Z', '000Z'),
  recipients: 'all',
})

/** One `incoming_event` push, encoded. */
export const incomingEventFrame = (i: number): string =>
  JSON.stringify({ version: '3.6', action: 'incoming_event', type: 'push', payload: { chat_id: CHAT_ID, thread_id: THREAD_ID, event: wireEvent(i) } })

/** An `incoming_chat` push whose thread holds events `0 … count - 1`, encoded. */
export const incomingChatFrame = (count: number): string =>
  JSON.stringify({
    version: '3.6',
    action: 'incoming_chat',
    type: 'push',
    payload: {
      chat: {
        id: CHAT_ID,
        users: [],
        thread: { id: THREAD_ID, active: true, user_ids: [], created_at: new Date(BASE).toISOString().replace('Z', '000Z'), events: Array.from({ length: count }, (_, i) => wireEvent(i)) },
      },
    },
  })

/** A response frame to a request. */
export const responseFrame = (requestId: string | undefined, action: string, payload: object): string =>
  JSON.stringify({ ...(requestId !== undefined && { request_id: requestId }), action, type: 'response', success: true, payload })

/** The part of the `ws` package the benchmarks use. */
export interface WsSocket {
  readonly readyState: number
  send(data: string, callback?: (error?: Error) => void): void
  close(): void
  on(event: 'message', listener: (data: Buffer | string) => void): void
  on(event: 'open' | 'close', listener: () => void): void
  on(event: 'error', listener: (error: Error) => void): void
}
export interface WsModule {
  WebSocket: new (url: string) => WsSocket
  WebSocketServer: new (options: { server: import('node:http').Server }) => { on(event: 'connection', listener: (socket: WsSocket) => void): void; close(): void }
}

/**
 * `ws` is not a dependency of the bench package: it is taken from the first workspace
 * package that has it (@rapport/node, the local server, or an older @rapport/core).
 */
export const loadWs = (): WsModule => {
  for (const anchor of ['../packages/node/package.json', '../packages/server/package.json', '../packages/core/package.json']) {
    try {
      return createRequire(new URL(anchor, import.meta.url))('ws') as WsModule
    } catch {
      // not there: try the next one
    }
  }
  throw new Error('bench: no workspace package provides `ws`')
}
