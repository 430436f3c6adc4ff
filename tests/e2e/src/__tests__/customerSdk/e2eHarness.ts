/**
 * Shared helpers of the end-to-end tests: a real local server on a random port, SDK
 * instances made with the public `init()`, agents (the default bot, or others the
 * server is configured with), and waiting helpers. Every resource is released after
 * each test (`afterEach` below runs in every file that imports this module).
 */
import type { AgentClient, CustomerAuth, Env, Token } from '@rapport/core'
import { type CustomerSDK, init } from '@rapport/customer-sdk'
import { createAgentClient, createNodeEnv } from '@rapport/node'
import type { ChatEvent, CustomerEventMap, CustomerEventName } from '@rapport/protocol'
import { type AgentConfig, DEFAULT_AGENTS, type RapportServer, createServer } from '@rapport/server'
import { afterEach, expect } from 'vitest'

export const ORG = 'e2e-org'
export const BOT_ID = 'bot@rapport.local'
/** Alice logs in with a fixed token, valid in ORG only. */
export const ALICE: AgentConfig = {
  id: 'alice@rapport.local',
  name: 'Alice',
  type: 'agent',
  jobTitle: 'Support Agent',
  token: 'alice-token',
  tokenOrganizationId: ORG,
  groups: [0, 1],
}
/** The default bot plus a human agent, Alice, for transfers and chat users. */
export const TWO_AGENTS: AgentConfig[] = [...DEFAULT_AGENTS, ALICE]

export const fast = { retry: { baseDelayMs: 50, maxDelayMs: 200, minIntervalMs: 20 } }

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})
export const onCleanup = (fn: () => unknown): void => void cleanups.push(fn)

export const startServer = async (options: Parameters<typeof createServer>[0] = {}): Promise<RapportServer> => {
  const server = await createServer({ port: 0, ...options })
  cleanups.push(() => server.close())
  return server
}

export type InitConfig = Parameters<typeof init>[0]

export const customer = (server: RapportServer, config: Partial<InitConfig> = {}): CustomerSDK => {
  const sdk = init({ organizationId: ORG, clientId: 'e2e', serverUrl: server.url, connection: fast, environment: createNodeEnv(), ...config })
  cleanups.push(() => sdk.destroy())
  return sdk
}

/** A customer SDK, connected: resolves with it and its `connected` payload. */
export const connectedCustomer = async (server: RapportServer, config: Partial<InitConfig> = {}) => {
  const sdk = customer(server, config)
  const connected = await sdk.once('connected')
  return { sdk, connected, me: connected.customer }
}

export interface RawPush {
  action: string
  payload: Record<string, unknown>
}

/**
 * The real environment, except that every frame a socket receives is also handed to
 * `onFrame` (to see pushes the agent client does not turn into events, e.g. sneak peeks).
 */
const tappedEnv = (onFrame: (frame: RawPush & { type?: string }) => void): Env => {
  const base = createNodeEnv()
  const env: Env = Object.create(base)
  env.createSocket = (url) => {
    const socket = base.createSocket(url)
    return new Proxy(socket, {
      set(target, prop, value) {
        const tapped =
          prop === 'onmessage' && typeof value === 'function'
            ? (event: { data: unknown }) => {
                try {
                  onFrame(JSON.parse(String(event.data)))
                } catch {
                  // not JSON: ignored
                }
                value(event)
              }
            : value
        return Reflect.set(target, prop, tapped, target)
      },
      get(target, prop) {
        const value = Reflect.get(target, prop, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }
  return env
}

export type Agent = AgentClient & {
  /** Every push this agent received, raw (action and wire payload). */
  readonly pushes: RawPush[]
  /** The next raw push of that action (already received ones are not considered). */
  nextPush(action: string, predicate?: (payload: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>
}

/** An agent on the agent RTM, logged in and accepting chats (the default bot, with a token issued for ORG, unless a token is given). */
export const agent = async (
  server: RapportServer,
  accessToken = server.admin.issueAgentToken(BOT_ID, ORG).access_token,
  routingStatus: 'accepting_chats' | 'not_accepting_chats' = 'accepting_chats',
): Promise<Agent> => {
  const pushes: RawPush[] = []
  const waiters = new Set<(push: RawPush) => void>()
  const env = tappedEnv((frame) => {
    if (frame.type !== 'push') return
    const push = { action: frame.action, payload: frame.payload }
    pushes.push(push)
    for (const waiter of [...waiters]) waiter(push)
  })
  const client = createAgentClient({ organizationId: ORG, accessToken, serverUrl: server.url, routingStatus, connection: fast, environment: env })
  cleanups.push(() => client.destroy())
  await client.whenStatus('connected')
  return Object.assign(Object.create(client) as AgentClient, {
    pushes,
    nextPush: (action: string, predicate: (payload: Record<string, unknown>) => boolean = () => true) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const waiter = (push: RawPush) => {
          if (push.action !== action || !predicate(push.payload)) return
          waiters.delete(waiter)
          resolve(push.payload)
        }
        waiters.add(waiter)
      }),
  })
}

/** Resolves with the next value a subscription delivers that passes the predicate. */
export const nextOf = <T>(subscribe: (fn: (value: T) => void) => () => void, predicate: (value: T) => boolean = () => true): Promise<T> =>
  new Promise((resolve) => {
    const off = subscribe((value) => {
      if (!predicate(value)) return
      off()
      resolve(value)
    })
  })

/** The next SDK event of that name passing the predicate. */
export const nextEvent = <K extends CustomerEventName>(
  sdk: CustomerSDK,
  name: K,
  predicate: (payload: CustomerEventMap[K]) => boolean = () => true,
): Promise<CustomerEventMap[K]> => nextOf<CustomerEventMap[K]>((fn) => sdk.on(name, fn), predicate)

/**
 * A connected customer with an active chat the bot serves: the chat starts with one
 * message; resolves once the bot has joined it (as the customer sees it).
 */
export const chatWithBot = async (server: RapportServer, config: Partial<InitConfig> = {}) => {
  const bot = await agent(server)
  const { sdk, me } = await connectedCustomer(server, config)
  const joined = sdk.once('user_added_to_chat')
  const { chat } = await sdk.startChat({ chat: { thread: { events: [{ type: 'message', text: 'Hello' }] } } })
  await joined
  const threadId = chat.thread?.id as string
  const firstEvent = chat.thread?.events[0] as ChatEvent
  return { bot, sdk, me, chat, chatId: chat.id, threadId, firstEvent }
}

/** A token provider that logs in as whatever customer `current` holds (see identity_mismatch). */
export const switchableIdentity = (server: RapportServer, firstCustomerId?: string) => {
  const toToken = (wire: ReturnType<RapportServer['admin']['issueCustomerToken']>): Token => ({
    accessToken: wire.access_token,
    entityId: wire.entity_id,
    expiresIn: wire.expires_in * 1000,
    tokenType: wire.token_type,
    creationDate: Date.now(),
    organizationId: wire.organization_id,
  })
  const state = { current: toToken(server.admin.issueCustomerToken(ORG, firstCustomerId)) }
  const auth: CustomerAuth = {
    getToken: async () => state.current,
    getFreshToken: async () => state.current,
    hasToken: async () => true,
    invalidate: async () => {},
  }
  return {
    auth,
    get customerId() {
      return state.current.entityId
    },
    /** From now on, tokens are another customer's (a new identity unless one is named). */
    switchTo: (customerId?: string) => {
      state.current = toToken(server.admin.issueCustomerToken(ORG, customerId))
      return state.current.entityId
    },
  }
}

// ---------------------------------------------------------------- shapes

export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** The documented customer object (`getCustomer`, `connected.customer`). */
export const expectCustomerShape = (customer: unknown, id?: string): void => {
  expect(customer).toMatchObject({
    type: 'customer',
    id: id ?? expect.any(String),
    sessionFields: expect.any(Object),
    statistics: {
      chatsCount: expect.any(Number),
      threadsCount: expect.any(Number),
      visitsCount: expect.any(Number),
      pageViewsCount: expect.any(Number),
      greetingsShownCount: expect.any(Number),
      greetingsAcceptedCount: expect.any(Number),
    },
  })
}

/** The documented chat object (`getChat`, `startChat`, `incoming_chat`). */
export const expectChatShape = (chat: unknown): void => {
  expect(chat).toMatchObject({
    id: expect.any(String),
    access: expect.any(Object),
    users: expect.any(Array),
    properties: expect.any(Object),
    thread: {
      id: expect.any(String),
      active: expect.any(Boolean),
      createdAt: expect.stringMatching(RFC3339),
      userIds: expect.any(Array),
      events: expect.any(Array),
      properties: expect.any(Object),
      access: expect.any(Object),
    },
  })
}

/** The documented thread object (`listThreads`, `getChatHistory`). */
export const expectThreadShape = (thread: unknown, chatId: string): void => {
  expect(thread).toMatchObject({
    id: expect.any(String),
    chatId,
    active: expect.any(Boolean),
    createdAt: expect.stringMatching(RFC3339),
    userIds: expect.any(Array),
    events: expect.any(Array),
    properties: expect.any(Object),
    access: expect.any(Object),
  })
}

export const expectSuccess = (value: unknown): void => expect(value).toEqual({ success: true })

/** A rich message (cards) with one postback button, as an agent sends it on the wire. */
export const richMessageWire = (postbackId = 'pb-yes') => ({
  type: 'rich_message' as const,
  template_id: 'cards' as const,
  elements: [
    {
      title: 'Did this help?',
      buttons: [{ type: 'message' as const, text: 'Yes', postback_id: postbackId, user_ids: [], value: 'yes' }],
    },
  ],
})
