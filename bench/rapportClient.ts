/**
 * Every use the benchmarks make of a Rapport client, in one place.
 *
 * The core's API is being reshaped (`client.subscribe`/`getSnapshot` become
 * `client.state.subscribe`/`getSnapshot`; `state.events` becomes a structure read
 * through selectors). Nothing else under bench/ touches the client or its state: when
 * the API changes, adapt this file only. Until the new API settles it reads both shapes
 * (`storeOf`, `heldCounter`), so that the same benchmarks measure before and after.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
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
  /** Starts a chat; resolves with its id. */
  startChat(): Promise<string>
  /** `sendEvent` of a message into the chat; resolves when the client resolves it (the server's copy is held). */
  sendMessage(chatId: string, text: string): Promise<unknown>
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
    startChat: async () => (await client.startChat()).chat.id,
    sendMessage: (chatId, text) => client.sendEvent({ chatId, event: { type: 'message', text } }),
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

/**
 * The documented `init()` from `module` (a `buildVanilla()` output: the SDK as a bundler
 * ships it) against `serverUrl`, with the cookie grant of the server's token endpoint.
 * Resolves once connected. Counts held events with the built copy's own `chatEvents`.
 */
export const connectVanillaToServer = async (serverUrl: string, module: string): Promise<BenchClient> => {
  const global = globalThis as { WebSocket?: unknown }
  global.WebSocket ??= loadWs().WebSocket
  const sdkModule = (await import(pathToFileURL(module).href)) as Pick<typeof import('@rapport/customer-sdk'), 'init' | 'chatEvents'>
  const sdk = sdkModule.init({ organizationId: ORGANIZATION_ID, clientId: 'bench', serverUrl })
  await sdk.once('connected')
  const held = sdkModule.chatEvents(CHAT_ID)
  return {
    onIncomingEvent: (listener) => {
      const handler = () => listener()
      sdk.on('incoming_event', handler)
      return () => sdk.off('incoming_event', handler)
    },
    subscribe: (listener) => sdk.state.subscribe(listener),
    heldEvents: () => held(sdk.state.getSnapshot()).length,
    trigger: () => sdk.getCustomer(),
    startChat: async () => (await sdk.startChat()).chat.id,
    sendMessage: (chatId, text) => sdk.sendEvent({ chatId, event: { type: 'message', text } }),
    destroy: () => sdk.destroy(),
  }
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

/** A documented Customer SDK instance, as `init()` of @rapport/customer-sdk makes it. */
export interface VanillaClient {
  /** Resolves at the instance's first `connected` event. */
  readonly connected: Promise<void>
  destroy(): void
}

/**
 * Builds @rapport/customer-sdk from source into one ES module for Node, as a bundler
 * would ship it; returns its path. The memory and startup benchmarks load this instead of
 * the source through tsx: tsx compiles with esbuild's `keepNames`, which gives every
 * closure a `name` property (a 256-byte property store each, over 100 closures per
 * client), a cost no built copy of the package has.
 */
export const buildVanilla = async (): Promise<string> => {
  const { build } = await import('esbuild')
  const folder = mkdtempSync(join(tmpdir(), 'rapport-bench-'))
  const outfile = join(folder, 'customer-sdk.mjs')
  await build({
    entryPoints: [new URL('../packages/customer-sdk/src/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    conditions: ['@rapport/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    outfile,
    logLevel: 'silent',
  })
  return outfile
}

type InitModule = Pick<typeof import('@rapport/customer-sdk'), 'init'>

/**
 * The vanilla `init()` users call, against `serverUrl` (the stub serves the RTM socket),
 * loaded from `module` (a `buildVanilla()` output) or else from the workspace package.
 * With `token`, the identity comes from an `identityProvider` answering that token, as
 * the official client is driven in the benchmarks; without, from the cookie grant of the
 * stub's token endpoint. Resolves once the code is loaded with a factory of instances
 * (the first instance made in a process still pays for the code's first use).
 */
export const initVanilla = async (serverUrl: string, token?: { accessToken: string; entityId: string }, module?: string): Promise<() => VanillaClient> => {
  const global = globalThis as { WebSocket?: unknown }
  global.WebSocket ??= loadWs().WebSocket
  const { init }: InitModule = module ? ((await import(pathToFileURL(module).href)) as InitModule) : await import('@rapport/customer-sdk')
  const full = token && { ...token, expiresIn: 28_800_000, tokenType: 'Bearer', creationDate: Date.now(), organizationId: ORGANIZATION_ID }
  // one provider for every client, as in clientKinds.ts (the harness must not add to what a client costs)
  const provider = full && { getToken: async () => full, getFreshToken: async () => full, hasToken: async () => true, invalidate: async () => {} }
  const identityProvider = provider && (() => provider)
  return () => {
    const sdk = init({ organizationId: ORGANIZATION_ID, clientId: 'bench', serverUrl, ...(identityProvider && { identityProvider }) })
    return { connected: sdk.once('connected').then(() => {}), destroy: () => sdk.destroy() }
  }
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
