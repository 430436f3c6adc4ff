/**
 * Drives a bot from a test in a few lines, on the fake transport:
 *
 * ```ts
 * const t = await botTest((transport) => createMyBot({ transport }))
 * await t.customer.say('hi')
 * await t.expectReply(/hello/)
 * ```
 *
 * Each customer has one chat (started by their first `say`, or `start()`); `expectReply`
 * takes the bot's next message in that chat (a message's text, or a rich message's title)
 * and fails, naming what came instead, when it does not match or does not come in time.
 */
import type { ChatEvent } from '@rapport/protocol'
import type { Bot } from '../bot/bot'
import { type FakeAgentTransport, type FakeAgentTransportOptions, type FakeChat, type FakeCustomer, createFakeAgentTransport, isFakeAgentTransport } from './fakeAgentTransport'

export type ReplyMatcher = RegExp | string | ((event: ChatEvent) => boolean)

export interface BotTestCustomer {
  readonly id: string
  /** The customer's chat, once started. */
  readonly chat: FakeChat | undefined
  /** Starts the chat (with a first message, if given). */
  start(text?: string): Promise<void>
  /** Writes a message; the first one starts the chat. */
  say(text: string): Promise<void>
  /** Clicks the button with this postback id on the bot's latest rich message that has it. */
  click(postbackId: string): Promise<void>
  /** Ends the chat. */
  leave(): Promise<void>
}

export interface BotTestOptions {
  /** The first customer. Default `{ id: 'customer-1', name: 'Ada' }`. */
  customer?: FakeCustomer
  /** How long `expectReply` waits. Default 2 s. */
  timeoutMs?: number
  transport?: FakeAgentTransportOptions
}

export interface BotTest<S> {
  readonly bot: Bot<S>
  readonly transport: FakeAgentTransport
  readonly customer: BotTestCustomer
  newCustomer(customer?: Partial<FakeCustomer>): BotTestCustomer
  /** The bot's next message to the customer (default the first), checked against `matcher`. */
  expectReply(matcher?: ReplyMatcher, options?: { customer?: BotTestCustomer; timeoutMs?: number }): Promise<ChatEvent>
  /** Every message the bot sent the customer so far. */
  replies(customer?: BotTestCustomer): ChatEvent[]
  /** Resolves when the customer's chat has been transferred; with the target. */
  expectHandoff(options?: { customer?: BotTestCustomer; timeoutMs?: number }): Promise<NonNullable<FakeChat['transferredTo']>>
  /** Waits until the bot has handled everything and sent everything. */
  settle(): Promise<void>
  stop(): Promise<void>
}

/** The text a matcher sees: a message's text, a rich message's first title. */
export const replyText = (event: ChatEvent): string =>
  event.type === 'message' ? event.text : event.type === 'rich_message' ? (event.elements[0]?.title ?? '') : event.type

const describeMatcher = (matcher: ReplyMatcher): string => (typeof matcher === 'function' ? 'a predicate' : String(matcher))

const fits = (matcher: ReplyMatcher | undefined, event: ChatEvent): boolean => {
  if (matcher === undefined) return true
  if (typeof matcher === 'function') return matcher(event)
  const text = replyText(event)
  return typeof matcher === 'string' ? text.includes(matcher) : matcher.test(text)
}

export const botTest = async <S>(build: Bot<S> | ((transport: FakeAgentTransport) => Bot<S>), options: BotTestOptions = {}): Promise<BotTest<S>> => {
  let transport: FakeAgentTransport
  let bot: Bot<S>
  if (typeof build === 'function') {
    transport = createFakeAgentTransport(options.transport)
    bot = build(transport)
  } else {
    bot = build
    const given = bot.transport
    if (!isFakeAgentTransport(given)) throw new TypeError('botTest(bot): create the bot with transport: createFakeAgentTransport(), or pass a function of the transport')
    transport = given
  }
  await bot.start()
  const timeoutMs = options.timeoutMs ?? 2_000
  /** How many of each chat's bot events the test has taken. */
  const taken = new Map<string, number>()
  let customers = 0

  const botEvents = (chat: FakeChat | undefined): ChatEvent[] =>
    chat ? chat.events.filter((e) => e.authorId === transport.botId && (e.type === 'message' || e.type === 'rich_message')) : []

  const makeCustomer = (data: FakeCustomer): BotTestCustomer => {
    let chat: FakeChat | undefined
    const self: BotTestCustomer = {
      id: data.id,
      get chat() {
        return chat
      },
      start: async (text) => {
        if (chat) throw new Error(`${data.id} already has a chat`)
        chat = transport.startChat(data, text)
      },
      say: async (text) => {
        if (!chat) chat = transport.startChat(data, text)
        else transport.say(chat.id, text)
      },
      click: async (postbackId) => {
        if (!chat) throw new Error(`${data.id} has no chat`)
        transport.click(chat.id, postbackId)
      },
      leave: async () => {
        if (chat) transport.endChat(chat.id)
      },
    }
    return self
  }
  const first = makeCustomer(options.customer ?? { id: 'customer-1', name: 'Ada' })

  const waitFor = <T>(probe: () => T | undefined, wait: number, describe: () => string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const found = probe()
      if (found !== undefined) return resolve(found)
      const stopWatching = transport.onRequest(() => {
        // the answer's effects (the stored event) are in place once the request settles
        queueMicrotask(() => {
          const value = probe()
          if (value === undefined) return
          clearTimeout(timer)
          stopWatching()
          resolve(value)
        })
      })
      const timer = setTimeout(() => {
        stopWatching()
        reject(new Error(describe()))
      }, wait)
    })

  return {
    bot,
    transport,
    customer: first,
    newCustomer: (data = {}) => {
      customers += 1
      return makeCustomer({ id: data.id ?? `customer-${customers + 1}`, ...(data.name !== undefined && { name: data.name }), ...(data.email !== undefined && { email: data.email }) })
    },
    expectReply: async (matcher, replyOptions = {}) => {
      const customer = replyOptions.customer ?? first
      const event = await waitFor(
        () => {
          const chat = customer.chat
          if (!chat) return undefined
          return botEvents(chat)[taken.get(chat.id) ?? 0]
        },
        replyOptions.timeoutMs ?? timeoutMs,
        () => {
          const sent = botEvents(customer.chat).map(replyText)
          return `expected a reply to ${customer.id} matching ${matcher === undefined ? 'anything' : describeMatcher(matcher)}; none came (the bot said: ${JSON.stringify(sent)})`
        },
      )
      const chatId = customer.chat?.id ?? ''
      taken.set(chatId, (taken.get(chatId) ?? 0) + 1)
      if (!fits(matcher, event)) throw new Error(`expected a reply matching ${describeMatcher(matcher ?? '')}, got ${JSON.stringify(replyText(event))}`)
      return event
    },
    replies: (customer = first) => botEvents(customer.chat),
    expectHandoff: (handoffOptions = {}) => {
      const customer = handoffOptions.customer ?? first
      return waitFor(
        () => customer.chat?.transferredTo ?? undefined,
        handoffOptions.timeoutMs ?? timeoutMs,
        () => `expected ${customer.id}'s chat to be handed off`,
      )
    },
    settle: () => bot.idle(),
    stop: () => bot.stop(),
  }
}
