/**
 * Model-based chat flows (`fc.commands`) on the real stack: the local server started
 * in-process, a fault proxy in front of it, a real customer client (`createCustomerClient`)
 * and a real agent client (`createAgentClient`) both talking through the proxy.
 *
 * Commands send messages from both sides, drop connections, stall the network and
 * restart the server; the model records every event anyone tried to send (by custom id)
 * and how its send ended. After the run the network is healed, everyone reconnects and
 * catches up, and `checkChatFlow` verifies the delivery policy:
 *
 * - an event is REQUIRED when its send was acknowledged (the promise resolved, also
 *   late) or when the sender still holds it as `pending` (the customer's outbox took it);
 * - every required event is in the server's store exactly once, and in the customer's
 *   state and the agent's view of the chat exactly once;
 * - any other event (its send rejected and not kept pending) is there at most once;
 * - nothing is there that nobody sent, and no event is there twice;
 * - the customer, the agent and the store list the events in the same order, and the
 *   required events of each sender in the order they were sent.
 *
 * ```ts
 * await runChatFlow(chatFlowCommands(), { numRuns: 10, seed: 42 })
 * // your own clients (a wrapper, another Env, your bot's agent client) under the same faults:
 * await runChatFlow(chatFlowCommands(), { world: { createCustomer: (config) => myCustomerClient(config) } })
 * ```
 */
import {
  type AgentClient,
  type AgentClientConfig,
  type ConnectionPolicy,
  type CustomerClient,
  type CustomerClientConfig,
  type RetryPolicy,
  chatEvents,
  tableValues,
} from '@rapport/core'
import { createAgentClient, createCustomerClient } from '@rapport/node'
import type { Storage } from '@rapport/server'
import { type FaultProxy, createFaultProxy } from '../faultProxy'
import fc from 'fast-check'
import { type TestServer, type TestServerOptions, startTestServer } from './serverHarness'

/** The local server's default bot (`DEFAULT_AGENTS`). */
const DEFAULT_BOT_ID = 'bot@rapport.local'

export type Sender = 'customer' | 'agent'

/** How a send ended, as far as the sender was told. */
export type SendOutcome = 'inflight' | 'acked' | 'rejected'

export interface SentEvent {
  customId: string
  text: string
  by: Sender
  /** Position in the run (every send, both senders). */
  seq: number
  outcome: SendOutcome
  /** The error code of a rejected send. */
  error?: string
  /** The server's event id of an acknowledged send. */
  eventId?: string
  /** The sender kept it as `pending` in its state when its send was not acknowledged in time. */
  keptPending: boolean
  settled: Promise<void>
}

export interface ChatFlowModel {
  chatId: string | null
  sent: SentEvent[]
  restarts: number
  drops: number
  stalls: number
  /** What happened, in order (the counterexample's story). */
  log: string[]
}

export interface ChatFlowWorld {
  server: TestServer
  proxy: FaultProxy
  customer: CustomerClient
  agent: AgentClient
  organizationId: string
  /** Open timers (stalls); cleared by `heal`. */
  timers: Set<ReturnType<typeof setTimeout>>
  /** Every socket (re)connection of each client, counted from `connected` events. */
  connects: { customer: number; agent: number }
}

export type ChatFlowCommand = fc.AsyncCommand<ChatFlowModel, ChatFlowWorld>

export interface ChatFlowWorldOptions {
  organizationId?: string
  /** Storage kept across server restarts (a fresh `MemoryStorage` by default). */
  storage?: Storage
  server?: Omit<TestServerOptions, 'storage'>
  /** The agent's token; by default one the server issues its default bot for the world's organization. */
  agentToken?: string
  /** Connection timings of both clients; fast ones by default (`FAST_CONNECTION`). */
  connection?: Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> }
  /**
   * Makes the customer client under test from the world's config (its `serverUrl` is the fault
   * proxy's): your own wrapper, Env or storage. Default: `@rapport/node`'s `createCustomerClient`.
   */
  createCustomer?: (config: CustomerClientConfig) => CustomerClient
  /** Makes the agent client under test the same way. Default: `@rapport/node`'s `createAgentClient`. */
  createAgent?: (config: AgentClientConfig) => AgentClient
}

/**
 * Timings that make a local run reconnect in tens of milliseconds and notice a dead link in
 * about a second. The connect timeout is shorter than the longest default stall (1 200 ms),
 * so runs also cover sockets abandoned in the middle of their handshake.
 */
export const FAST_CONNECTION = {
  connectTimeoutMs: 1_000,
  loginTimeoutMs: 2_000,
  pingIntervalMs: 300,
  pongTimeoutMs: 400,
  unstableGraceMs: 600,
  retry: { baseDelayMs: 20, slowBaseDelayMs: 50, maxDelayMs: 200, minIntervalMs: 10, maxAttempts: Number.POSITIVE_INFINITY },
} satisfies Partial<Omit<ConnectionPolicy, 'retry'>> & { retry?: Partial<RetryPolicy> }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves with `promise`, or with `fallback` after `ms`. */
const within = <T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })

const errorCode = (error: unknown): string =>
  (error as { code?: unknown } | null)?.code !== undefined ? String((error as { code: unknown }).code) : String(error)

const TIMED_OUT = Symbol('timed out')

/** Waits until `status` (bounded); `true` when reached. */
const reach = async (client: { whenStatus(status: 'connected'): Promise<void> }, ms: number): Promise<boolean> =>
  (await within(client.whenStatus('connected').then(() => true), ms, false).catch(() => false)) === true

let worldCounter = 0

/** Starts a server, a fault proxy in front of it, an agent and a customer (both connected, through the proxy). */
export const createChatFlowWorld = async (options: ChatFlowWorldOptions = {}): Promise<ChatFlowWorld> => {
  const organizationId = options.organizationId ?? `flow-${process.pid}-${++worldCounter}`
  const server = await startTestServer({ ...options.server, ...(options.storage && { storage: options.storage }) })
  const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port: server.port } })
  const connection = options.connection ?? FAST_CONNECTION
  const agent = (options.createAgent ?? createAgentClient)({
    organizationId,
    accessToken: options.agentToken ?? server.admin.issueAgentToken(DEFAULT_BOT_ID, organizationId).access_token,
    serverUrl: proxy.url,
    routingStatus: 'accepting_chats',
    connection,
  })
  const customer = (options.createCustomer ?? createCustomerClient)({ organizationId, clientId: 'chat-flow', serverUrl: proxy.url, connection })
  const connects = { customer: 0, agent: 0 }
  customer.on('connected', () => void connects.customer++)
  agent.on('connected', () => void connects.agent++)
  const world: ChatFlowWorld = { server, proxy, customer, agent, organizationId, timers: new Set(), connects }
  if (!(await reach(agent, 5_000)) || !(await reach(customer, 5_000))) {
    await disposeChatFlowWorld(world)
    throw new Error('chat flow: the clients did not connect to a fresh server')
  }
  return world
}

export const disposeChatFlowWorld = async (world: ChatFlowWorld): Promise<void> => {
  for (const timer of world.timers) clearTimeout(timer)
  world.timers.clear()
  world.customer.destroy()
  world.agent.destroy()
  await world.proxy.close()
  await world.server.stop()
}

export const initialChatFlowModel = (): ChatFlowModel => ({ chatId: null, sent: [], restarts: 0, drops: 0, stalls: 0, log: [] })

// ---------------------------------------------------------------- commands

/** How long a command waits for a send to settle before moving on (the send stays tracked). */
const SEND_WAIT_MS = 3_000

const pendingIn = (customer: CustomerClient, customId: string): boolean =>
  [...tableValues(customer.state.getSnapshot().events)].some((e) => e.customId === customId && e.status === 'pending')

const trackSend = async (model: ChatFlowModel, world: ChatFlowWorld, by: Sender, text: string, send: (customId: string) => Promise<{ eventId: string }>) => {
  const seq = model.sent.length
  const customId = `${by === 'customer' ? 'c' : 'a'}${seq}-${Math.random().toString(36).slice(2, 8)}`
  const entry: SentEvent = { customId, text, by, seq, outcome: 'inflight', keptPending: false, settled: Promise.resolve() }
  model.sent.push(entry)
  let promise: Promise<{ eventId: string }>
  try {
    promise = send(customId)
  } catch (error) {
    promise = Promise.reject(error)
  }
  entry.settled = promise.then(
    (result) => {
      entry.outcome = 'acked'
      entry.eventId = result.eventId
    },
    (error: unknown) => {
      entry.outcome = 'rejected'
      entry.error = errorCode(error)
    },
  )
  await within(entry.settled, SEND_WAIT_MS, TIMED_OUT)
  if (by === 'customer' && entry.outcome !== 'acked' && pendingIn(world.customer, customId)) entry.keptPending = true
  model.log.push(`${by} sends ${customId} ${JSON.stringify(text)}: ${entry.outcome}${entry.error ? ` ${entry.error}` : ''}${entry.keptPending ? ' (kept pending)' : ''}`)
}

class ConnectCustomer implements ChatFlowCommand {
  check = () => true
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    const status = world.customer.status
    if (status === 'idle' || status === 'paused') world.customer.connect()
    const ok = await reach(world.customer, 3_000)
    model.log.push(`connect customer (was ${status}): ${ok ? 'connected' : 'not yet'}`)
  }
  toString = () => 'ConnectCustomer'
}

class StartChat implements ChatFlowCommand {
  check = (model: Readonly<ChatFlowModel>) => model.chatId === null
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    await reach(world.customer, 3_000)
    try {
      const { chat } = await world.customer.startChat()
      model.chatId = chat.id
    } catch (error) {
      // the answer may have been lost after the chat was created: look for it
      const found = await world.customer.listChats().catch(() => null)
      model.chatId = found?.chatsSummary[0]?.id ?? null
      model.log.push(`start chat failed: ${errorCode(error)}`)
    }
    model.log.push(`start chat: ${model.chatId ?? 'none'}`)
  }
  toString = () => 'StartChat'
}

class CustomerSends implements ChatFlowCommand {
  constructor(readonly text: string) {}
  check = (model: Readonly<ChatFlowModel>) => model.chatId !== null
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    const chatId = model.chatId as string
    await trackSend(model, world, 'customer', this.text, async (customId) => {
      const event = await world.customer.sendEvent({ chatId, event: { type: 'message', text: this.text, customId } })
      return { eventId: event.id }
    })
  }
  toString = () => `CustomerSends(${JSON.stringify(this.text)})`
}

class AgentSends implements ChatFlowCommand {
  constructor(readonly text: string) {}
  check = (model: Readonly<ChatFlowModel>) => model.chatId !== null
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    const chatId = model.chatId as string
    await trackSend(model, world, 'agent', this.text, async (customId) => {
      const event = await world.agent.sendEvent({ chatId, event: { type: 'message', text: this.text, customId } })
      return { eventId: event.id }
    })
  }
  toString = () => `AgentSends(${JSON.stringify(this.text)})`
}

export type DropVia = 'proxy' | 'admin'

class DropCustomerConnection implements ChatFlowCommand {
  constructor(readonly via: DropVia) {}
  check = () => true
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    model.drops++
    if (this.via === 'proxy') {
      const n = world.proxy.dropAll()
      model.log.push(`proxy drops every connection (${n})`)
    } else {
      const customerId = world.customer.state.getSnapshot().customerId
      const n = customerId ? world.server.admin.dropCustomer(customerId) : 0
      model.log.push(`server drops the customer's sockets (${n})`)
    }
  }
  toString = () => `DropCustomerConnection(${this.via})`
}

class StallNetwork implements ChatFlowCommand {
  constructor(readonly ms: number) {}
  check = () => true
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    // the stall ends by itself after `ms`; the next commands run while it lasts
    model.stalls++
    world.proxy.stall(true)
    const timer = setTimeout(() => {
      world.timers.delete(timer)
      world.proxy.stall(false)
    }, this.ms)
    world.timers.add(timer)
    model.log.push(`network stalls for ${this.ms} ms`)
  }
  toString = () => `StallNetwork(${this.ms})`
}

class DelayNetwork implements ChatFlowCommand {
  constructor(readonly ms: number) {}
  check = () => true
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    world.proxy.delay(this.ms)
    model.log.push(`network latency ${this.ms} ms`)
  }
  toString = () => `DelayNetwork(${this.ms})`
}

class RestartServer implements ChatFlowCommand {
  constructor(readonly maxRestarts: number) {}
  check = (model: Readonly<ChatFlowModel>) => model.restarts < this.maxRestarts
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    model.restarts++
    await world.server.restart()
    model.log.push('server restarts')
  }
  toString = () => 'RestartServer'
}

class DeactivateChat implements ChatFlowCommand {
  constructor(readonly by: Sender) {}
  check = (model: Readonly<ChatFlowModel>) => model.chatId !== null
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    const id = model.chatId as string
    const result = await within(
      (this.by === 'customer' ? world.customer.deactivateChat({ id }) : world.agent.deactivateChat({ id })).then(
        () => 'ok',
        (error: unknown) => errorCode(error),
      ),
      SEND_WAIT_MS,
      'no answer yet',
    )
    model.log.push(`${this.by} deactivates the chat: ${result}`)
  }
  toString = () => `DeactivateChat(${this.by})`
}

class ResumeChat implements ChatFlowCommand {
  check = (model: Readonly<ChatFlowModel>) => model.chatId !== null
  async run(model: ChatFlowModel, world: ChatFlowWorld) {
    const id = model.chatId as string
    const result = await within(
      world.customer.resumeChat({ chat: { id } }).then(
        () => 'ok',
        (error: unknown) => errorCode(error),
      ),
      SEND_WAIT_MS,
      'no answer yet',
    )
    model.log.push(`customer resumes the chat: ${result}`)
  }
  toString = () => 'ResumeChat'
}

export const connectCustomer = (): ChatFlowCommand => new ConnectCustomer()
export const startChat = (): ChatFlowCommand => new StartChat()
export const customerSends = (text: string): ChatFlowCommand => new CustomerSends(text)
export const agentSends = (text: string): ChatFlowCommand => new AgentSends(text)
export const dropCustomerConnection = (via: DropVia = 'proxy'): ChatFlowCommand => new DropCustomerConnection(via)
export const stallNetwork = (ms: number): ChatFlowCommand => new StallNetwork(ms)
export const delayNetwork = (ms: number): ChatFlowCommand => new DelayNetwork(ms)
export const restartServer = (maxRestarts = 1): ChatFlowCommand => new RestartServer(maxRestarts)
export const deactivateChat = (by: Sender = 'customer'): ChatFlowCommand => new DeactivateChat(by)
export const resumeChat = (): ChatFlowCommand => new ResumeChat()

export interface ChatFlowCommandOptions {
  /** Include deactivating and resuming the chat (new threads). Default `true`. */
  threads?: boolean
  /** Longest stall, in ms (default 1 200: long enough for the heartbeat to give up on the link). */
  maxStallMs?: number
  /** Longest added latency, in ms (default 50). */
  maxDelayMs?: number
  /** Server restarts allowed per run (default 1; `0` leaves them out). */
  maxRestarts?: number
}

/** Message texts: short, any Unicode, never empty. */
export const chatTextArb: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 })

/** The command arbitraries of a chat flow, for `fc.commands` or `runChatFlow`. */
export const chatFlowCommands = (options: ChatFlowCommandOptions = {}): Array<fc.Arbitrary<ChatFlowCommand>> => {
  const maxRestarts = options.maxRestarts ?? 1
  return [
    fc.constant(connectCustomer()),
    fc.constant(startChat()),
    chatTextArb.map(customerSends),
    chatTextArb.map(customerSends),
    chatTextArb.map(agentSends),
    chatTextArb.map(agentSends),
    fc.constantFrom<DropVia>('proxy', 'admin').map(dropCustomerConnection),
    fc.integer({ min: 50, max: options.maxStallMs ?? 1_200 }).map(stallNetwork),
    fc.integer({ min: 0, max: options.maxDelayMs ?? 50 }).map(delayNetwork),
    ...(maxRestarts > 0 ? [fc.constant(restartServer(maxRestarts))] : []),
    ...(options.threads ?? true ? [fc.constantFrom<Sender>('customer', 'agent').map(deactivateChat), fc.constant(resumeChat())] : []),
  ]
}

// ---------------------------------------------------------------- healing and the invariant

export interface ChatFlowCheckOptions {
  /**
   * Read every thread of the chat with `getChat` into the customer's state before comparing
   * (what a UI reopening the chat does). `false` (default) checks the state exactly as the
   * client's own reconnection and recovery left it.
   */
  refetchCustomer?: boolean
  /** How long everyone has to reconnect and catch up, in ms (default 8 000). */
  settleMs?: number
}

export interface ChatFlowViews {
  server: string[]
  agent: string[]
  customer: string[]
}

/** Ends every fault, starts the server if needed and waits until both clients are connected. */
export const healChatFlow = async (world: ChatFlowWorld, timeoutMs = 8_000): Promise<void> => {
  for (const timer of world.timers) clearTimeout(timer)
  world.timers.clear()
  world.proxy.resetAll()
  await world.server.start()
  const status = world.customer.status
  if (status === 'idle' || status === 'paused') world.customer.connect()
  const [customer, agent] = await Promise.all([reach(world.customer, timeoutMs), reach(world.agent, timeoutMs)])
  if (!customer || !agent) throw new Error(`chat flow: after healing, not connected (customer ${world.customer.status}, agent ${world.agent.status})`)
}

const trackedIds = (model: ChatFlowModel): Set<string> => new Set(model.sent.map((e) => e.customId))

const serverView = (world: ChatFlowWorld, chatId: string): { threadIds: string[]; customIds: string[] } => {
  const chat = world.server.storage.getChat(world.organizationId, chatId)
  const threadIds = chat?.thread_ids ?? []
  const customIds: string[] = []
  for (const threadId of threadIds)
    for (const event of world.server.storage.listEvents(world.organizationId, threadId))
      if (event.custom_id !== undefined && !event.deleted) customIds.push(event.custom_id)
  return { threadIds, customIds }
}

const customerView = (world: ChatFlowWorld, chatId: string, tracked: Set<string>): string[] => {
  const out: string[] = []
  for (const event of chatEvents(chatId)(world.customer.state.getSnapshot()))
    if (event.status === 'sent' && event.customId !== undefined && tracked.has(event.customId)) out.push(event.customId)
  return out
}

const agentView = async (world: ChatFlowWorld, chatId: string, threadIds: string[], tracked: Set<string>): Promise<string[]> => {
  const out: string[] = []
  for (const threadId of threadIds) {
    const chat = await world.agent.getChat({ chatId, threadId })
    for (const event of chat.thread?.events ?? []) if (event.customId !== undefined && tracked.has(event.customId)) out.push(event.customId)
  }
  return out
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** The problems of a run under the delivery policy (empty: the run is fine). */
export const chatFlowViolations = (model: ChatFlowModel, views: ChatFlowViews): string[] => {
  const problems: string[] = []
  const byId = new Map(model.sent.map((e) => [e.customId, e]))
  const required = model.sent.filter((e) => e.outcome === 'acked' || e.keptPending)
  for (const [name, view] of Object.entries(views) as Array<[keyof ChatFlowViews, string[]]>) {
    const counts = new Map<string, number>()
    for (const id of view) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (const [id, n] of counts) {
      if (!byId.has(id)) problems.push(`${name}: ${id} was never sent`)
      else if (n > 1) problems.push(`${name}: ${id} appears ${n} times`)
    }
    for (const e of required)
      if (!counts.has(e.customId))
        problems.push(`${name}: ${e.customId} (${e.by}, ${e.outcome}${e.keptPending ? ', kept pending' : ''}) is missing`)
    for (const by of ['customer', 'agent'] as const) {
      const mine = required.filter((e) => e.by === by).map((e) => e.customId)
      const order = view.filter((id) => mine.includes(id))
      const expected = mine.filter((id) => order.includes(id))
      if (!same(order, expected)) problems.push(`${name}: the ${by}'s events are out of order: ${order.join(',')} (sent ${expected.join(',')})`)
    }
  }
  if (!same(views.agent, views.server)) problems.push(`agent view ${views.agent.join(',')} differs from the store ${views.server.join(',')}`)
  if (!same(views.customer, views.server)) problems.push(`customer view ${views.customer.join(',')} differs from the store ${views.server.join(',')}`)
  return problems
}

/**
 * Heals the network, waits for everyone to reconnect, for every send to settle and for
 * the customer's state to catch up, then throws if the delivery policy (see the module
 * comment) does not hold. Returns the three views compared.
 */
export const checkChatFlow = async (model: ChatFlowModel, world: ChatFlowWorld, options: ChatFlowCheckOptions = {}): Promise<ChatFlowViews> => {
  const settleMs = options.settleMs ?? 8_000
  await healChatFlow(world, settleMs)
  const deadline = Date.now() + settleMs
  await within(Promise.all(model.sent.map((e) => e.settled)), settleMs, TIMED_OUT)
  const chatId = model.chatId
  if (chatId === null) return { server: [], agent: [], customer: [] }
  const tracked = trackedIds(model)

  let views: ChatFlowViews = { server: [], agent: [], customer: [] }
  let problems: string[]
  for (;;) {
    // a client may still be finding out that its socket died (a restart just before the
    // heal): a read failing for want of a connection is retried until the deadline
    try {
      const server = serverView(world, chatId)
      if (options.refetchCustomer) for (const threadId of server.threadIds) await world.customer.getChat({ chatId, threadId })
      views = {
        server: server.customIds.filter((id) => tracked.has(id)),
        agent: await agentView(world, chatId, server.threadIds, tracked),
        customer: customerView(world, chatId, tracked),
      }
      problems = chatFlowViolations(model, views)
    } catch (error) {
      if (Date.now() > deadline) throw error
      problems = [`reading the views failed: ${errorCode(error)}`]
    }
    if (problems.length === 0 || Date.now() > deadline) break
    await sleep(100)
    await Promise.all([reach(world.customer, 1_000), reach(world.agent, 1_000)])
  }
  if (problems.length > 0) {
    const sends = model.sent.map((e) => `  ${e.customId} ${e.by} ${e.outcome}${e.error ? ` ${e.error}` : ''}${e.keptPending ? ' kept-pending' : ''}`)
    throw new Error(
      [
        'chat flow: delivery policy violated',
        ...problems.map((p) => `- ${p}`),
        'sends:',
        ...sends,
        `store:    ${views.server.join(' ')}`,
        `agent:    ${views.agent.join(' ')}`,
        `customer: ${views.customer.join(' ')}`,
        'story:',
        ...model.log.map((line) => `  ${line}`),
      ].join('\n'),
    )
  }
  return views
}

// ---------------------------------------------------------------- runner

export interface ChatFlowRunOptions extends ChatFlowCheckOptions {
  seed?: number
  /** Replay path printed by fast-check for a failure. */
  path?: string
  numRuns?: number
  /** Longest command sequence (default 12). */
  maxCommands?: number
  /** Stop at the first failure without shrinking (shrinking replays whole flows: slow). Default `true`. */
  endOnFailure?: boolean
  world?: ChatFlowWorldOptions
  /** Called after each successful run with its model and views (figures, extra assertions). */
  onRun?(model: ChatFlowModel, views: ChatFlowViews, world: ChatFlowWorld): void | Promise<void>
}

/**
 * Runs random chat flows made of `commands` (default `chatFlowCommands()`) against a fresh
 * world each, and checks the delivery policy at the end of every run (`checkChatFlow`).
 * Rejects with fast-check's report (seed, path, counterexample) on a failure.
 */
export const runChatFlow = async (
  commands: Array<fc.Arbitrary<ChatFlowCommand>> = chatFlowCommands(),
  options: ChatFlowRunOptions = {},
): Promise<void> => {
  const property = fc.asyncProperty(fc.commands(commands, { maxCommands: options.maxCommands ?? 12 }), async (cmds) => {
    const world = await createChatFlowWorld(options.world)
    const model = initialChatFlowModel()
    try {
      // every flow starts with a chat, so that sends have somewhere to go
      await startChat().run(model, world)
      await fc.asyncModelRun(() => ({ model, real: world }), cmds)
      const views = await checkChatFlow(model, world, options)
      await options.onRun?.(model, views, world)
    } finally {
      await disposeChatFlowWorld(world)
    }
  })
  await fc.assert(property, {
    numRuns: options.numRuns ?? 10,
    endOnFailure: options.endOnFailure ?? true,
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.path !== undefined && { path: options.path }),
  })
}
