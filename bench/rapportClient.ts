/**
 * Every use the benchmarks make of a Rapport client, in one place.
 *
 * The core's API is being reshaped (`client.subscribe`/`getSnapshot` become
 * `client.state.subscribe`/`getSnapshot`; `state.events` becomes a structure read
 * through selectors). Nothing else under bench/ touches the client or its state: when
 * the API changes, adapt this file only. Until the new API settles it reads both shapes
 * (`storeOf`, `heldCounter`), so that the same benchmarks measure before and after.
 */
import * as core from '@rapport/core'
import { type CustomerClient, createCustomerClient } from '@rapport/core'
import type { FakeSocket } from '@rapport/testing'
import { CHAT_ID, ORGANIZATION_ID, loadWs, loginResponsePayload } from './benchFrames'

interface StateStore {
  getSnapshot(): unknown
  subscribe(listener: () => void): () => void
}

/** The chat state's store: `client.state`, or (older cores) the client itself. */
const storeOf = (client: CustomerClient): StateStore => {
  const loose = client as unknown as { state?: Partial<StateStore> } & StateStore
  return typeof loose.state?.getSnapshot === 'function' ? (loose.state as StateStore) : loose
}

/**
 * Counts the events a state holds for the benchmarks' chat: with the core's `chatEvents`
 * selector when it has one, or (older cores) from the threads' `eventIds` arrays.
 */
const heldCounter = (): ((state: unknown) => number) => {
  const chatEvents = (core as unknown as { chatEvents?: (chatId: string) => (state: unknown) => readonly unknown[] }).chatEvents
  if (typeof chatEvents === 'function') {
    const select = chatEvents(CHAT_ID)
    return (state) => select(state).length
  }
  return (state) => {
    const { chats, threads } = state as { chats: Record<string, { threadIds: string[] } | undefined>; threads: Record<string, { eventIds: string[] } | undefined> }
    let count = 0
    for (const threadId of chats[CHAT_ID]?.threadIds ?? []) count += threads[threadId]?.eventIds.length ?? 0
    return count
  }
}

export interface BenchClient {
  /** Calls `listener` for each `incoming_event` the client emits; returns an unsubscribe. */
  onIncomingEvent(listener: () => void): () => void
  /** Calls `listener` on each store notification (a committed change); returns an unsubscribe. */
  subscribe(listener: () => void): () => void
  /** How many events the state holds for the benchmarks' chat (listed in its threads). */
  heldEvents(): number
  /** Sends `get_customer`: the stub server's cue to start pushing. */
  trigger(): Promise<unknown>
  destroy(): void
}

const wrap = (client: CustomerClient): BenchClient => {
  const store = storeOf(client)
  const held = heldCounter()
  return {
    onIncomingEvent: (listener) => client.on('incoming_event', () => listener()),
    subscribe: (listener) => store.subscribe(listener),
    heldEvents: () => held(store.getSnapshot()),
    trigger: () => client.getCustomer(),
    destroy: () => client.destroy(),
  }
}

/**
 * A client with the real Env (real timers, `ws`, fetch) against `serverUrl`, which
 * serves the token endpoint and the RTM socket. Resolves once logged in.
 */
export const connectToServer = async (serverUrl: string): Promise<BenchClient> => {
  // Node 20 has no global WebSocket; the default Env uses it (or, in older cores, `ws` itself)
  const global = globalThis as { WebSocket?: unknown }
  global.WebSocket ??= loadWs().WebSocket
  const client = createCustomerClient({ organizationId: ORGANIZATION_ID, clientId: 'bench', serverUrl })
  await client.whenStatus('connected')
  return wrap(client)
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * A client whose socket is a FakeSocket driven in-process: `receive(frame)` runs the
 * real inbound path (socket → RTM client → parse → store) synchronously. Its clock is
 * manual, so no timer (heartbeat, timeouts) ever fires. Resolves once logged in.
 */
export const connectToFakeSocket = async (): Promise<{ client: BenchClient; receive(frame: string): void }> => {
  // loaded here only: @rapport/testing also builds its fast-check arbitraries, which the
  // throughput child (a real socket) must not carry in its heap
  const { FakeEnv } = await import('@rapport/testing')
  const env = new FakeEnv()
  const client = createCustomerClient({ organizationId: ORGANIZATION_ID, clientId: 'bench', environment: env })
  while (env.sockets.length === 0) await tick()
  const socket: FakeSocket = env.socket
  socket.open()
  while (!socket.lastSent('login')) await tick()
  socket.respond('login', loginResponsePayload())
  await client.whenStatus('connected')
  return { client: wrap(client), receive: (frame) => socket.receive(frame) }
}

/** One client of the reconnect-storm benchmark (see storm.ts). */
export interface StormClient {
  /** The connection's status: `connected`, `reconnecting`, `paused` (gave up)… */
  status(): string
  /** Calls `listener` on each change of status; returns an unsubscribe. */
  onStatus(listener: (status: string) => void): () => void
  destroy(): void
}

/**
 * A customer client on the Node Env of `@rapport/node` (its own cookie jar, `ws`) against
 * `serverUrl`, with the default connection policy. `onSocket` is called each time the
 * client opens a WebSocket, before the socket exists: every connection attempt, refused
 * or not.
 */
export const stormClient = async (serverUrl: string, onSocket: () => void): Promise<StormClient> => {
  const { createNodeEnv } = await import('@rapport/node')
  const env = createNodeEnv()
  const client = createCustomerClient({
    organizationId: ORGANIZATION_ID,
    clientId: 'bench',
    serverUrl,
    environment: {
      ...env,
      createSocket: (url) => {
        onSocket()
        return env.createSocket(url)
      },
    },
  })
  return {
    status: () => client.connection.getSnapshot().status,
    onStatus: (listener) => client.connection.subscribe(() => listener(client.connection.getSnapshot().status)),
    destroy: () => client.destroy(),
  }
}
